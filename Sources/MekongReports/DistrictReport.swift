import GRDB
import MekongCore
import MekongStore

/// The summed quantity of one seized item in one canonical unit, and how many incidents it came from.
public struct SeizureTotal: Hashable, Sendable {
    public var item: SeizureItem
    public var unit: QuantityUnit
    public var quantity: Double
    public var incidents: Int

    public init(item: SeizureItem, unit: QuantityUnit, quantity: Double, incidents: Int) {
        self.item = item
        self.unit = unit
        self.quantity = quantity
        self.incidents = incidents
    }
}

/// The figures of SPEC section 4 for one district (or the sum over districts) in one period.
public struct DistrictFigures: Hashable, Sendable {
    public var incidents = 0
    public var byType: [IncidentType: Int] = [:]
    public var arrests = 0
    public var persons = 0
    public var vehicles = 0
    public var victims = 0
    public var lossTHB: Double = 0
    /// Sorted by item, then unit.
    public var seizures: [SeizureTotal] = []
    /// Incidents with at least 1,000,000 tablets or 100 kg of one item.
    public var largeSeizures = 0

    public init() {}

    /// Adds another district's figures: how `totals` is made.
    public mutating func add(_ other: DistrictFigures) {
        incidents += other.incidents
        for (type, count) in other.byType { byType[type, default: 0] += count }
        arrests += other.arrests
        persons += other.persons
        vehicles += other.vehicles
        victims += other.victims
        lossTHB += other.lossTHB
        largeSeizures += other.largeSeizures
        var merged: [SeizureKey: SeizureTotal] = [:]
        for total in seizures + other.seizures {
            let key = SeizureKey(item: total.item, unit: total.unit)
            if var existing = merged[key] {
                existing.quantity += total.quantity
                existing.incidents += total.incidents
                merged[key] = existing
            } else {
                merged[key] = total
            }
        }
        seizures = merged.values.sorted(by: SeizureKey.order)
    }
}

struct SeizureKey: Hashable {
    var item: SeizureItem
    var unit: QuantityUnit

    static func order(_ a: SeizureTotal, _ b: SeizureTotal) -> Bool {
        (a.item.rawValue, a.unit.rawValue) < (b.item.rawValue, b.unit.rawValue)
    }
}

/// One district's line in the district report.
public struct DistrictLine: Hashable, Sendable {
    public var district: District
    public var figures: DistrictFigures
    /// The same figures for the period of equal length just before.
    public var previous: DistrictFigures
}

/// The district summary of SPEC section 4: every district, incidents by type, people, losses,
/// seizures in canonical units, large seizures, and the previous period for comparison.
public struct DistrictReport: Sendable {
    public var period: Period
    public var timeZone: String
    public var districts: [DistrictLine]
    public var totals: DistrictFigures
    public var previousTotals: DistrictFigures

    /// The thresholds of a large seizure (SPEC section 4), less a tolerance of a microgram
    /// (and of half a tablet) so that, say, 99,999 g + 1 g counts as the 100 kg it is, whatever
    /// the binary rounding of the gram-to-kilogram conversion.
    public static let largeTablets = 1_000_000.0 - 0.5
    public static let largeKilograms = 100.0 - 1e-9

    /// Computes the report with SQL aggregations over the indexed local date.
    ///
    /// - Parameters:
    ///   - zone: the zone local dates are counted in; the database's own when nil.
    ///   - district: only this district (its code), or all.
    public static func build(_ database: AppDatabase, period: Period, zone: LocalCalendar? = nil, district: String? = nil) throws -> DistrictReport {
        try database.read { db in
            let databaseCalendar = try Settings.calendar(db)
            let calendar = zone ?? databaseCalendar
            var districts = try Row.fetchAll(db, sql: "SELECT * FROM districts ORDER BY code").map(District.init(row:))
            if let district {
                districts = districts.filter { $0.code == district }
                if districts.isEmpty {
                    throw MekongError(.unknownReference, "unknown district code \(quoted(district)) (see `mekong district list`)")
                }
            }
            let current = try figures(db, period: period, calendar: calendar, databaseZone: databaseCalendar.identifier, district: district)
            let previous = try figures(db, period: period.previous, calendar: calendar, databaseZone: databaseCalendar.identifier, district: district)
            var report = DistrictReport(period: period, timeZone: calendar.identifier, districts: [], totals: DistrictFigures(), previousTotals: DistrictFigures())
            for district in districts {
                let line = DistrictLine(district: district, figures: current[district.code] ?? DistrictFigures(),
                                        previous: previous[district.code] ?? DistrictFigures())
                report.totals.add(line.figures)
                report.previousTotals.add(line.previous)
                report.districts.append(line)
            }
            return report
        }
    }

    /// The figures of every district with something in the period, keyed by district code.
    static func figures(_ db: Database, period: Period, calendar: LocalCalendar, databaseZone: String, district: String?) throws -> [String: DistrictFigures] {
        let filter = PeriodFilter(period, zone: calendar, databaseZone: databaseZone)
        var condition = filter.sql
        var arguments = filter.arguments
        if let district {
            condition += " AND i.district = ?"
            arguments += [district]
        }
        var result: [String: DistrictFigures] = [:]
        let counts = try Row.fetchCursor(db, sql: """
            SELECT i.district, i.type, count(*) AS incidents, sum(i.arrests) AS arrests, sum(i.persons) AS persons,
                   sum(i.vehicles) AS vehicles, sum(i.victims) AS victims, total(i.loss_thb) AS loss
            FROM incidents i WHERE \(condition)
            GROUP BY i.district, i.type
            """, arguments: arguments)
        while let row = try counts.next() {
            let code: String = row["district"]
            var figures = result[code] ?? DistrictFigures()
            let incidents: Int = row["incidents"]
            if let type = IncidentType(rawValue: row["type"]) { figures.byType[type, default: 0] += incidents }
            figures.incidents += incidents
            figures.arrests += row["arrests"] as Int
            figures.persons += row["persons"] as Int
            figures.vehicles += row["vehicles"] as Int
            figures.victims += row["victims"] as Int
            figures.lossTHB += row["loss"] as Double
            result[code] = figures
        }
        // Seizure totals and large seizures. In the database's zone they are read from the
        // seizures' own copy of district and instant, through one covering index; another zone
        // needs each incident's written occurred_at, so joins.
        let ownZone = calendar.identifier == databaseZone
        let seizureFilter = ownZone ? PeriodFilter(period, zone: calendar, databaseZone: databaseZone, alias: "s") : filter
        var seizureCondition = seizureFilter.sql
        var seizureArguments = seizureFilter.arguments
        if let district {
            seizureCondition += ownZone ? " AND s.district = ?" : " AND i.district = ?"
            seizureArguments += [district]
        }
        let source = ownZone ? "seizures s" : "seizures s JOIN incidents i ON i.seq = s.incident"
        let districtColumn = ownZone ? "s.district" : "i.district"
        let seizures = try Row.fetchCursor(db, sql: """
            SELECT \(districtColumn) AS district, s.item, s.unit, sum(s.quantity) AS quantity, count(DISTINCT s.incident) AS incidents
            FROM \(source) WHERE \(seizureCondition)
            GROUP BY \(districtColumn), s.item, s.unit
            ORDER BY \(districtColumn), s.item, s.unit
            """, arguments: seizureArguments)
        while let row = try seizures.next() {
            guard let item = SeizureItem(rawValue: row["item"]), let unit = QuantityUnit(rawValue: row["unit"]) else { continue }
            let code: String = row["district"]
            result[code, default: DistrictFigures()].seizures.append(
                SeizureTotal(item: item, unit: unit, quantity: row["quantity"], incidents: row["incidents"]))
        }
        // A large seizure: one incident with ≥ 1,000,000 tablets or ≥ 100 kg of one item.
        let large = try Row.fetchCursor(db, sql: """
            SELECT district, count(DISTINCT incident) AS incidents FROM (
                SELECT \(districtColumn) AS district, s.incident
                FROM \(source)
                WHERE \(seizureCondition) AND (s.unit = 'tablets' OR s.unit = 'kg')
                GROUP BY s.incident, s.item, s.unit
                HAVING (s.unit = 'tablets' AND sum(s.quantity) >= ?) OR (s.unit = 'kg' AND sum(s.quantity) >= ?)
            ) GROUP BY district
            """, arguments: seizureArguments + [largeTablets, largeKilograms])
        while let row = try large.next() {
            result[row["district"] as String, default: DistrictFigures()].largeSeizures = row["incidents"]
        }
        return result
    }
}

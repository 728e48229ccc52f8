import GRDB
import MekongCore
import MekongStore

/// How a trend is cut: by calendar month, or by week (Monday to Sunday, local).
public enum TrendStep: String, NamedChoice {
    case week
    case month

    public static let choiceName = "period length"

    /// The first day of the step that holds `date`.
    public func start(of date: LocalDate) -> LocalDate {
        switch self {
        case .month: return LocalDate(year: date.year, month: date.month, day: 1)!
        case .week:
            // 1970-01-01 was a Thursday; Monday is 3 days before a Thursday.
            let weekday = ((date.daysSinceEpoch % 7) + 7 + 3) % 7  // 0 = Monday
            return date.adding(days: -weekday)
        }
    }

    /// The first day of the next step.
    public func next(after start: LocalDate) -> LocalDate {
        switch self {
        case .week: return start.adding(days: 7)
        case .month:
            return start.month == 12 ? LocalDate(year: start.year + 1, month: 1, day: 1)! : LocalDate(year: start.year, month: start.month + 1, day: 1)!
        }
    }

    /// How a step is named: `2025-06` for a month, `2025-06-23` (its Monday) for a week.
    public func label(_ start: LocalDate) -> String {
        self == .month ? String(start.description.prefix(7)) : start.description
    }
}

/// One step of a trend.
public struct TrendPoint: Hashable, Sendable {
    /// The first day of the step (a Monday for weeks, the 1st for months).
    public var start: LocalDate
    public var label: String
    public var figures: DistrictFigures
}

/// Counts and seizure totals per week or month, for spotting rises.
public struct TrendReport: Sendable {
    public var period: Period
    public var timeZone: String
    public var step: TrendStep
    public var type: IncidentType?
    public var district: String?
    /// Every step of the period, in order, zeros where nothing happened.
    public var points: [TrendPoint]

    public static func build(_ database: AppDatabase, period: Period, step: TrendStep, type: IncidentType? = nil,
                             district: String? = nil, zone: LocalCalendar? = nil) throws -> TrendReport {
        try database.read { db in
            let databaseCalendar = try Settings.calendar(db)
            let calendar = zone ?? databaseCalendar
            if let district, try Row.fetchOne(db, sql: "SELECT 1 FROM districts WHERE code = ?", arguments: [district]) == nil {
                throw MekongError(.unknownReference, "unknown district code \(quoted(district)) (see `mekong district list`)")
            }
            let filter = PeriodFilter(period, zone: calendar, databaseZone: databaseCalendar.identifier)
            var condition = filter.sql
            var arguments = filter.arguments
            if let type {
                condition += " AND i.type = ?"
                arguments += [type.rawValue]
            }
            if let district {
                condition += " AND i.district = ?"
                arguments += [district]
            }
            // The local date in the command's zone: the stored column in the database's own zone,
            // otherwise computed by a function registered for this read.
            let localDate: String
            if calendar.identifier == databaseCalendar.identifier {
                localDate = "i.local_date"
            } else {
                db.add(function: LocalDateFunction.make(calendar))
                localDate = "mekong_local_date(i.occurred_at, i.occurred_utc)"
            }
            let key = step == .month ? "substr(\(localDate), 1, 7) || '-01'" : "date(\(localDate), '-6 days', 'weekday 1')"
            var figures: [String: DistrictFigures] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT \(key) AS step, i.type, count(*) AS incidents, sum(i.arrests) AS arrests, sum(i.persons) AS persons,
                       sum(i.vehicles) AS vehicles, sum(i.victims) AS victims, total(i.loss_thb) AS loss
                FROM incidents i WHERE \(condition) GROUP BY step, i.type
                """, arguments: arguments) {
                var point = figures[row["step"], default: DistrictFigures()]
                let count: Int = row["incidents"]
                if let type = IncidentType(rawValue: row["type"]) { point.byType[type, default: 0] += count }
                point.incidents += count
                point.arrests += row["arrests"] as Int
                point.persons += row["persons"] as Int
                point.vehicles += row["vehicles"] as Int
                point.victims += row["victims"] as Int
                point.lossTHB += row["loss"] as Double
                figures[row["step"]] = point
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT \(key) AS step, s.item, s.unit, sum(s.quantity) AS quantity, count(DISTINCT s.incident) AS incidents
                FROM seizures s JOIN incidents i ON i.seq = s.incident
                WHERE \(condition) GROUP BY step, s.item, s.unit ORDER BY step, s.item, s.unit
                """, arguments: arguments) {
                guard let item = SeizureItem(rawValue: row["item"]), let unit = QuantityUnit(rawValue: row["unit"]) else { continue }
                figures[row["step"], default: DistrictFigures()].seizures.append(
                    SeizureTotal(item: item, unit: unit, quantity: row["quantity"], incidents: row["incidents"]))
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT step, count(DISTINCT incident) AS incidents FROM (
                    SELECT \(key) AS step, s.incident FROM seizures s JOIN incidents i ON i.seq = s.incident
                    WHERE \(condition) AND s.unit IN ('tablets', 'kg')
                    GROUP BY s.incident, s.item, s.unit
                    HAVING (s.unit = 'tablets' AND sum(s.quantity) >= ?) OR (s.unit = 'kg' AND sum(s.quantity) >= ?)
                ) GROUP BY step
                """, arguments: arguments + [DistrictReport.largeTablets, DistrictReport.largeKilograms]) {
                figures[row["step"], default: DistrictFigures()].largeSeizures = row["incidents"]
            }
            var points: [TrendPoint] = []
            var start = step.start(of: period.from)
            while start <= period.to {
                points.append(TrendPoint(start: start, label: step.label(start), figures: figures[start.description] ?? DistrictFigures()))
                start = step.next(after: start)
            }
            return TrendReport(period: period, timeZone: calendar.identifier, step: step, type: type, district: district, points: points)
        }
    }
}

/// `mekong_local_date(occurred_at, occurred_utc)`: an incident's local date in another zone
/// than the database's (a bare date keeps its written date).
enum LocalDateFunction {
    static func make(_ calendar: LocalCalendar) -> DatabaseFunction {
        DatabaseFunction("mekong_local_date", argumentCount: 2, pure: true) { values in
            guard let text = String.fromDatabaseValue(values[0]), let utc = Int64.fromDatabaseValue(values[1]) else { return nil }
            if text.utf8.count == 10 { return text }
            return calendar.localDate(ofInstant: utc).description
        }
    }
}

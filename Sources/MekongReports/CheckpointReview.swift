import GRDB
import MekongCore
import MekongStore

/// One checkpoint's line in the utilisation review (SPEC section 4).
public struct CheckpointLine: Hashable, Sendable {
    public var checkpoint: Checkpoint
    /// Days with a traffic record in the period.
    public var daysReported: Int
    /// persons_in + persons_out, summed over the period.
    public var persons: Int
    public var vehicles: Int
    public var outOfHours: Int
    /// persons / days reported; nil without traffic.
    public var averageDailyPersons: Double?
    /// The median average of the checkpoints of the same kind with traffic (itself included).
    public var peerMedianAverageDailyPersons: Double?
    /// Its average over the peers' median; nil without traffic or when the median is 0.
    public var utilisationRatio: Double?
    public var underutilised: Bool
    /// Incidents in the period that name the checkpoint.
    public var incidents: Int
    public var incidentsPer10kCrossings: Double?
}

/// The checkpoint utilisation review: which crossing points are busy, which are under-used
/// and might be moved (as with Ban Rompho Thong against busier Ban Romfa Thai).
public struct CheckpointReview: Sendable {
    public var period: Period
    public var timeZone: String
    public var threshold: Double
    /// Under-used first (lowest ratio first), then the busiest, then those without traffic.
    public var checkpoints: [CheckpointLine]

    public static let defaultThreshold = 0.25

    public static func build(_ database: AppDatabase, period: Period, threshold: Double = defaultThreshold,
                             zone: LocalCalendar? = nil) throws -> CheckpointReview {
        guard threshold.isFinite, threshold >= 0 else { throw MekongError(.usage, "--threshold must be a number 0 or more", field: "threshold") }
        return try database.read { db in
            let databaseCalendar = try Settings.calendar(db)
            let calendar = zone ?? databaseCalendar
            // Traffic dates are local dates already: a plain range on the primary key.
            var lines: [CheckpointLine] = try Row.fetchAll(db, sql: """
                SELECT c.*, count(t.date) AS days, total(t.persons_in + t.persons_out) AS persons_total,
                       total(t.vehicles_in + t.vehicles_out) AS vehicles_total, total(t.out_of_hours) AS out_of_hours_total
                FROM checkpoints c
                LEFT JOIN checkpoint_traffic t ON t.checkpoint = c.code AND t.date BETWEEN ? AND ?
                GROUP BY c.code ORDER BY c.code
                """, arguments: [period.from.description, period.to.description]).map { row in
                let days: Int = row["days"]
                let persons = Int(row["persons_total"] as Double)
                return CheckpointLine(checkpoint: Checkpoint(row: row), daysReported: days, persons: persons,
                                      vehicles: Int(row["vehicles_total"] as Double), outOfHours: Int(row["out_of_hours_total"] as Double),
                                      averageDailyPersons: days > 0 ? Double(persons) / Double(days) : nil,
                                      peerMedianAverageDailyPersons: nil, utilisationRatio: nil, underutilised: false,
                                      incidents: 0, incidentsPer10kCrossings: nil)
            }
            let filter = PeriodFilter(period, zone: calendar, databaseZone: databaseCalendar.identifier)
            var incidents: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT i.checkpoint, count(*) AS incidents FROM incidents i
                WHERE \(filter.sql) AND i.checkpoint IS NOT NULL GROUP BY i.checkpoint
                """, arguments: filter.arguments) {
                incidents[row["checkpoint"]] = row["incidents"]
            }
            // Peers: same kind, with traffic in the period.
            var averagesByKind: [CheckpointKind: [Double]] = [:]
            for line in lines {
                if let average = line.averageDailyPersons { averagesByKind[line.checkpoint.kind, default: []].append(average) }
            }
            for index in lines.indices {
                lines[index].incidents = incidents[lines[index].checkpoint.code] ?? 0
                if lines[index].persons > 0 {
                    lines[index].incidentsPer10kCrossings = Double(lines[index].incidents) / Double(lines[index].persons) * 10_000
                }
                guard let average = lines[index].averageDailyPersons,
                      let median = median(averagesByKind[lines[index].checkpoint.kind] ?? []) else { continue }
                lines[index].peerMedianAverageDailyPersons = median
                if median > 0 {
                    let ratio = average / median
                    lines[index].utilisationRatio = ratio
                    lines[index].underutilised = ratio < threshold
                }
            }
            lines.sort(by: CheckpointReview.order)
            return CheckpointReview(period: period, timeZone: calendar.identifier, threshold: threshold, checkpoints: lines)
        }
    }

    /// Under-used first, lowest ratio first; then the rest with traffic, busiest first; then
    /// those without traffic, by code.
    static func order(_ a: CheckpointLine, _ b: CheckpointLine) -> Bool {
        func rank(_ line: CheckpointLine) -> Int { line.underutilised ? 0 : (line.daysReported > 0 ? 1 : 2) }
        let (ra, rb) = (rank(a), rank(b))
        if ra != rb { return ra < rb }
        switch ra {
        case 0:
            if a.utilisationRatio != b.utilisationRatio { return (a.utilisationRatio ?? 0) < (b.utilisationRatio ?? 0) }
        case 1:
            if a.averageDailyPersons != b.averageDailyPersons { return (a.averageDailyPersons ?? 0) > (b.averageDailyPersons ?? 0) }
        default:
            break
        }
        return a.checkpoint.code < b.checkpoint.code
    }
}

/// The usual median: the middle value, or the mean of the middle two for an even count.
func median(_ values: [Double]) -> Double? {
    guard !values.isEmpty else { return nil }
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

import GRDB
import MekongCore

/// The SQL condition that keeps incidents whose local date falls in a period.
///
/// In the database's own zone a local-date range is exactly a range of instants (the stored
/// `local_date` is computed from the instant in that zone), read through the `occurred_utc`
/// index. For another zone (`--tz`), instants are compared with the period's bounds in that
/// zone; a bare date (`2025-06-24`) has no time to move and keeps its written date.
struct PeriodFilter {
    let sql: String
    let arguments: StatementArguments

    init(_ period: Period, zone: LocalCalendar, databaseZone: String, alias: String = "i") {
        if zone.identifier == databaseZone {
            sql = "\(alias).occurred_utc >= ? AND \(alias).occurred_utc < ?"
            arguments = [zone.startOfDay(period.from), zone.startOfDay(period.to.adding(days: 1))]
        } else {
            sql = """
                (CASE WHEN length(\(alias).occurred_at) = 10 THEN \(alias).occurred_at BETWEEN ? AND ?
                 ELSE \(alias).occurred_utc >= ? AND \(alias).occurred_utc < ? END)
                """
            arguments = [period.from.description, period.to.description,
                         zone.startOfDay(period.from), zone.startOfDay(period.to.adding(days: 1))]
        }
    }
}

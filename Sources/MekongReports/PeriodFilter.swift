import GRDB
import MekongCore

/// The SQL condition that keeps incidents whose local date falls in a period.
///
/// In the database's own zone this is a range on the stored, indexed `local_date`. For another
/// zone (`--tz`), instants are compared with the period's bounds in that zone; a bare date
/// (`2025-06-24`) has no time to move and keeps its written date.
struct PeriodFilter {
    let sql: String
    let arguments: StatementArguments

    init(_ period: Period, zone: LocalCalendar, databaseZone: String, alias: String = "i") {
        if zone.identifier == databaseZone {
            sql = "\(alias).local_date BETWEEN ? AND ?"
            arguments = [period.from.description, period.to.description]
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

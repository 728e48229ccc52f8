import Foundation
import GRDB
import MekongCore

/// Which incidents a listing or an export takes.
public struct IncidentFilter: Sendable {
    public var district: String?
    public var type: IncidentType?
    public var status: IncidentStatus?
    public var checkpoint: String?
    /// Local dates, inclusive, in the zone of the command (`--tz`) or the database.
    public var since: LocalDate?
    public var until: LocalDate?

    public init(district: String? = nil, type: IncidentType? = nil, status: IncidentStatus? = nil, checkpoint: String? = nil,
                since: LocalDate? = nil, until: LocalDate? = nil) {
        self.district = district
        self.type = type
        self.status = status
        self.checkpoint = checkpoint
        self.since = since
        self.until = until
    }
}

/// One page of a listing, newest first, and where the next page starts.
public struct IncidentPage: Sendable {
    public var incidents: [Incident]
    /// Give this to `--cursor` for the next page; nil on the last page.
    public var nextCursor: String?
}

/// A position in the newest-first order: the instant and row of the last incident shown.
///
/// Pages are read by keyset (`WHERE (occurred_utc, seq) < cursor`), not by offset, so the
/// hundredth page costs what the first does.
struct ListCursor: Equatable {
    var occurredUTC: Int64
    var seq: Int64

    var token: String {
        Data("v1:\(occurredUTC):\(seq)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    init(occurredUTC: Int64, seq: Int64) {
        self.occurredUTC = occurredUTC
        self.seq = seq
    }

    init(token: String) throws {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else {
            throw MekongError(.usage, "invalid cursor \(quoted(token)) (use the next_cursor of a previous page)", field: "cursor")
        }
        let parts = text.split(separator: ":")
        guard parts.count == 3, parts[0] == "v1", let utc = Int64(parts[1]), let seq = Int64(parts[2]) else {
            throw MekongError(.usage, "invalid cursor \(quoted(token)) (use the next_cursor of a previous page)", field: "cursor")
        }
        self.init(occurredUTC: utc, seq: seq)
    }
}

extension AppDatabase {
    /// A page of incidents matching `filter`, newest first.
    public func listIncidents(_ filter: IncidentFilter, zone: LocalCalendar? = nil, limit: Int = 50, cursor: String? = nil) throws -> IncidentPage {
        try read { db in
            let (sql, arguments) = try IncidentQuery.page(db, filter: filter, zone: zone, limit: limit, cursor: cursor)
            var rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            var next: String?
            if rows.count > limit {
                rows.removeLast()
                let last = rows[rows.count - 1]
                next = ListCursor(occurredUTC: last["occurred_utc"], seq: last["seq"]).token
            }
            return IncidentPage(incidents: try IncidentReader.incidents(rows, db: db), nextCursor: next)
        }
    }

    /// SQLite's plan for the query `listIncidents` runs: to check that a page is read through
    /// an index, never by scanning the table.
    public func explainListIncidents(_ filter: IncidentFilter, zone: LocalCalendar? = nil, limit: Int = 50, cursor: String? = nil) throws -> [String] {
        try read { db in
            let (sql, arguments) = try IncidentQuery.page(db, filter: filter, zone: zone, limit: limit, cursor: cursor)
            return try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
        }
    }
}

/// The SQL conditions of a filter, shared by listing and export.
enum IncidentQuery {
    /// The query of one page: newest first, from the cursor on, one row more than the page to
    /// know whether another follows.
    static func page(_ db: Database, filter: IncidentFilter, zone: LocalCalendar?, limit: Int, cursor: String?) throws -> (String, StatementArguments) {
        guard (1...10_000).contains(limit) else { throw MekongError(.usage, "--limit must be from 1 to 10000", field: "limit") }
        let position = try cursor.map { try ListCursor(token: $0) }
        var (conditions, arguments) = try conditions(db, filter: filter, zone: zone)
        if let position {
            // The first condition bounds the index range; the second breaks ties on the instant.
            conditions.append("occurred_utc <= ? AND (occurred_utc < ? OR seq < ?)")
            arguments += [position.occurredUTC, position.occurredUTC, position.seq]
        }
        let sql = "SELECT * FROM incidents" + whereClause(conditions) + " ORDER BY occurred_utc DESC, seq DESC LIMIT \(limit + 1)"
        return (sql, arguments)
    }

    static func conditions(_ db: Database, filter: IncidentFilter, zone: LocalCalendar?) throws -> ([String], StatementArguments) {
        var conditions: [String] = []
        var arguments = StatementArguments()
        if let district = filter.district {
            guard try Bool.exists(db, sql: "SELECT 1 FROM districts WHERE code = ?", arguments: [district]) else {
                throw MekongError(.unknownReference, "unknown district code \(quoted(district)) (see `mekong district list`)")
            }
            conditions.append("district = ?")
            arguments += [district]
        }
        if let checkpoint = filter.checkpoint {
            guard try Bool.exists(db, sql: "SELECT 1 FROM checkpoints WHERE code = ?", arguments: [checkpoint]) else {
                throw MekongError(.unknownReference, "unknown checkpoint code \(quoted(checkpoint)) (see `mekong checkpoint list`)")
            }
            conditions.append("checkpoint = ?")
            arguments += [checkpoint]
        }
        if let type = filter.type {
            conditions.append("type = ?")
            arguments += [type.rawValue]
        }
        if let status = filter.status {
            conditions.append("status = ?")
            arguments += [status.rawValue]
        }
        if let since = filter.since, let until = filter.until, since > until {
            throw MekongError(.usage, "--since \(since) is after --until \(until)", field: "since")
        }
        // Local dates become instants in the zone of the command, so the filter and the
        // newest-first order both use the (…, occurred_utc) indexes.
        let calendar = try zone ?? Settings.calendar(db)
        if let since = filter.since {
            conditions.append("occurred_utc >= ?")
            arguments += [calendar.startOfDay(since)]
        }
        if let until = filter.until {
            conditions.append("occurred_utc < ?")
            arguments += [calendar.startOfDay(until.adding(days: 1))]
        }
        return (conditions, arguments)
    }

    static func whereClause(_ conditions: [String]) -> String {
        conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
    }
}

extension IncidentReader {
    /// Incidents for a page of rows, with their seizures read in one query.
    static func incidents(_ rows: [Row], db: Database) throws -> [Incident] {
        guard !rows.isEmpty else { return [] }
        let seqs = rows.map { $0["seq"] as Int64 }
        var seizures: [Int64: [Seizure]] = [:]
        let placeholders = Array(repeating: "?", count: seqs.count).joined(separator: ",")
        for row in try Row.fetchAll(db, sql: """
            SELECT incident, item, quantity, unit, recorded_quantity, recorded_unit FROM seizures
            WHERE incident IN (\(placeholders)) ORDER BY incident, position
            """, arguments: StatementArguments(seqs)) {
            seizures[row["incident"], default: []].append(seizure(row))
        }
        return try rows.map { try incident($0, seizures: seizures[$0["seq"] as Int64] ?? []) }
    }
}

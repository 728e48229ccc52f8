import Foundation
import GRDB
import MekongCore

/// What a traffic import did.
public struct TrafficImportOutcome: Sendable {
    public var rows = 0
    /// Checkpoint days written (a day given twice in the file counts once).
    public var days = 0
    /// Of those, days that replaced figures stored before.
    public var replaced = 0
    public var rejected = 0
    public var problems: [RecordProblem] = []
    public var unreportedProblems = 0
    public var sha256: String?
    public var dryRun = false
}

/// A traffic import refused as a whole: nothing was written.
public struct TrafficImportRefused: Error, Sendable {
    public var outcome: TrafficImportOutcome
}

extension AppDatabase {
    /// Imports checkpoint traffic (CSV, SPEC section 3) in one transaction, all or nothing.
    ///
    /// Logging a checkpoint and date again replaces that day's figures; within one file the last
    /// row for a checkpoint and date wins. One audit entry names the file's SHA-256 and counts.
    public func importTraffic(from source: any ByteSource, options: ImportOptions) throws -> TrafficImportOutcome {
        var chunks = ChunkReader(source)
        var parser = CSVParser()
        var outcome = TrafficImportOutcome()
        outcome.dryRun = options.dryRun
        var header: [String]?
        do {
            try write { db in
                if !options.dryRun { _ = try Authorizer.require(db, officer: options.officer, for: .importRecords) }
                let checkpoints = Set(try String.fetchAll(db, sql: "SELECT code FROM checkpoints"))
                let now = nowTimestamp()
                try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS traffic_seen (checkpoint TEXT, date TEXT, PRIMARY KEY (checkpoint, date)) WITHOUT ROWID")
                try db.execute(sql: "DELETE FROM temp.traffic_seen")
                let upsert = try db.cachedStatement(sql: """
                    INSERT INTO checkpoint_traffic (checkpoint, date, persons_in, persons_out, vehicles_in, vehicles_out, out_of_hours, recorded_by, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (checkpoint, date) DO UPDATE SET persons_in = excluded.persons_in, persons_out = excluded.persons_out,
                        vehicles_in = excluded.vehicles_in, vehicles_out = excluded.vehicles_out, out_of_hours = excluded.out_of_hours,
                        recorded_by = excluded.recorded_by, updated_at = excluded.updated_at
                    """)
                let existed = try db.cachedStatement(sql: "SELECT 1 FROM checkpoint_traffic WHERE checkpoint = ? AND date = ?")
                let seen = try db.cachedStatement(sql: "INSERT OR IGNORE INTO temp.traffic_seen VALUES (?, ?)")
                func handle(_ record: CSVRecord) throws {
                    guard let columns = header else {
                        let missing = ["checkpoint", "date", "persons_in", "persons_out", "vehicles_in", "vehicles_out"].filter { !record.fields.contains($0) }
                        let unknown = record.fields.filter { !TrafficDay.columns.contains($0) }
                        if !missing.isEmpty || !unknown.isEmpty || Set(record.fields).count != record.fields.count {
                            throw MekongError(.badData, "line \(record.line): the header must be \(TrafficDay.columns.joined(separator: ",")) (out_of_hours optional)\(missing.isEmpty ? "" : "; missing \(missing.joined(separator: ", "))")\(unknown.isEmpty ? "" : "; unknown \(unknown.joined(separator: ", "))")")
                        }
                        header = record.fields
                        return
                    }
                    outcome.rows += 1
                    if outcome.rows & 4095 == 0 { options.progress?(chunks.bytesRead, outcome.rows) }
                    guard record.fields.count == columns.count else {
                        reject([RecordProblem(line: record.line, field: nil, message: "\(record.fields.count) fields, but the header has \(columns.count)")])
                        return
                    }
                    let day: TrafficDay
                    do {
                        day = try TrafficDay.parse(Dictionary(uniqueKeysWithValues: zip(columns, record.fields)), checkpoints: checkpoints)
                    } catch {
                        reject(error.problems.map { RecordProblem(line: record.line, field: $0.field, message: $0.message) })
                        return
                    }
                    try seen.execute(arguments: [day.checkpoint, day.date.description])
                    let firstInFile = db.changesCount > 0
                    if firstInFile {
                        outcome.days += 1
                        if try Bool.fetchOne(existed, arguments: [day.checkpoint, day.date.description]) != nil { outcome.replaced += 1 }
                    }
                    if !options.dryRun {
                        try upsert.execute(arguments: [day.checkpoint, day.date.description, day.personsIn, day.personsOut,
                                                       day.vehiclesIn, day.vehiclesOut, day.outOfHours, options.officer, now])
                    }
                }
                func reject(_ problems: [RecordProblem]) {
                    outcome.rejected += 1
                    for problem in problems {
                        if outcome.problems.count < options.maximumReported { outcome.problems.append(problem) } else { outcome.unreportedProblems += 1 }
                    }
                }
                do {
                    while try chunks.next({ bytes in try parser.feed(bytes, emit: handle) }) {}
                    try parser.finish(emit: handle)
                } catch let error as CSVSyntaxError {
                    throw MekongError(.badData, "line \(error.line): \(error.message); nothing was imported")
                }
                if header == nil { throw MekongError(.badData, "the file is empty (expected a header: \(TrafficDay.columns.joined(separator: ",")))") }
                options.progress?(chunks.bytesRead, outcome.rows)
                outcome.sha256 = chunks.digest
                try db.execute(sql: "DROP TABLE temp.traffic_seen")
                if outcome.rejected > 0 || options.dryRun { throw TrafficRollBack(outcome: outcome) }
                try AuditLog.append(db, officer: options.officer, action: "traffic.import", entity: "import", key: outcome.sha256, detail: .object([
                    "source": .string(options.sourceName), "sha256": JSONValue(outcome.sha256), "rows": JSONValue(outcome.rows),
                    "days": JSONValue(outcome.days), "replaced": JSONValue(outcome.replaced),
                ]), at: now)
            }
        } catch let rollBack as TrafficRollBack {
            if rollBack.outcome.rejected > 0 { throw TrafficImportRefused(outcome: rollBack.outcome) }
            return rollBack.outcome
        }
        return outcome
    }
}

private struct TrafficRollBack: Error {
    var outcome: TrafficImportOutcome
}

extension AppDatabase {
    /// Logs one checkpoint's crossings for one local date (officers and above; audited). A day
    /// logged again replaces its figures; returns whether it did.
    @discardableResult
    public func logTraffic(_ fields: [String: String], officer: String?) throws -> (day: TrafficDay, replaced: Bool) {
        try write { db in
            let actor = try Authorizer.require(db, officer: officer, for: .logTraffic)
            let day = try TrafficDay.parse(fields, checkpoints: Set(try String.fetchAll(db, sql: "SELECT code FROM checkpoints")))
            let before = try Row.fetchOne(db, sql: """
                SELECT persons_in, persons_out, vehicles_in, vehicles_out, out_of_hours FROM checkpoint_traffic WHERE checkpoint = ? AND date = ?
                """, arguments: [day.checkpoint, day.date.description])
            let now = nowTimestamp()
            try db.execute(sql: """
                INSERT INTO checkpoint_traffic (checkpoint, date, persons_in, persons_out, vehicles_in, vehicles_out, out_of_hours, recorded_by, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (checkpoint, date) DO UPDATE SET persons_in = excluded.persons_in, persons_out = excluded.persons_out,
                    vehicles_in = excluded.vehicles_in, vehicles_out = excluded.vehicles_out, out_of_hours = excluded.out_of_hours,
                    recorded_by = excluded.recorded_by, updated_at = excluded.updated_at
                """, arguments: [day.checkpoint, day.date.description, day.personsIn, day.personsOut, day.vehiclesIn,
                                 day.vehiclesOut, day.outOfHours, actor.code, now])
            func figures(_ values: [Int]) -> JSONValue {
                .object(zip(["persons_in", "persons_out", "vehicles_in", "vehicles_out", "out_of_hours"], values).reduce(into: [:]) {
                    $0[$1.0] = .number(Double($1.1))
                })
            }
            var detail: [String: JSONValue] = [
                "checkpoint": .string(day.checkpoint), "date": .string(day.date.description),
                "after": figures([day.personsIn, day.personsOut, day.vehiclesIn, day.vehiclesOut, day.outOfHours]),
            ]
            if let before {
                detail["before"] = figures([before["persons_in"], before["persons_out"], before["vehicles_in"], before["vehicles_out"], before["out_of_hours"]])
            }
            try AuditLog.append(db, officer: actor.code, action: "traffic.log", entity: "checkpoint", key: day.checkpoint,
                                detail: .object(detail), at: now)
            return (day, before != nil)
        }
    }
}

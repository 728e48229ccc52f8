import Foundation
import GRDB
import MekongCore

/// A problem with one record of an import file: `line 17, field "district": unknown district code "9999"`.
public struct RecordProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// The line the record starts on.
    public var line: Int
    /// The field at fault, or nil when the record as a whole is unreadable.
    public var field: String?
    public var message: String

    public init(line: Int, field: String?, message: String) {
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String {
        if let field { return "line \(line), field \"\(field)\": \(message)" }
        return "line \(line): \(message)"
    }
}

/// How an import behaves.
public struct ImportOptions: Sendable {
    /// Import the good records and report the bad ones instead of refusing the whole file.
    public var skipInvalid = false
    /// Validate only; write nothing.
    public var dryRun = false
    /// The officer the records are recorded by.
    public var officer: String?
    /// The file's name for the audit entry (`demo incidents`, a path, `standard input`).
    public var sourceName = "records"
    /// How many problems to keep for the report; the rest are only counted.
    public var maximumReported = 100

    public init(skipInvalid: Bool = false, dryRun: Bool = false, officer: String? = nil, maximumReported: Int = 100) {
        self.skipInvalid = skipInvalid
        self.dryRun = dryRun
        self.officer = officer
        self.maximumReported = maximumReported
    }
}

/// What an import did.
public struct ImportOutcome: Sendable {
    /// Records read (blank lines are not records).
    public var records = 0
    public var inserted = 0
    /// Records skipped because their id is stored already or came earlier in the file.
    public var duplicates = 0
    /// Records refused for problems.
    public var rejected = 0
    /// The first problems found, up to the reporting limit, in file order.
    public var problems: [RecordProblem] = []
    /// Problems found beyond the reporting limit.
    public var unreportedProblems = 0
    public var dryRun = false
    /// SHA-256 of the bytes read, when the source was hashed.
    public var sha256: String?

    public init() {}
}

/// The import was refused as a whole (all-or-nothing): nothing was written.
public struct ImportRefused: Error, Sendable {
    public var outcome: ImportOutcome
}

/// One record read from a file, before validation.
struct DraftRecord {
    var line: Int
    var draft: IncidentDraft
}

/// Reads NDJSON records one line at a time; blank lines are skipped.
struct NDJSONRecords<Source: ByteSource> {
    var lines: LineReader<Source>

    /// The next record, or a problem that makes the whole line unreadable.
    mutating func next() throws -> Result<DraftRecord, RecordProblem>? {
        while let line = try lines.next() {
            switch line {
            case .tooLong(let number, let length):
                return .failure(RecordProblem(line: number, field: nil, message: "the line is \(length) bytes long; a record may have at most \(lines.maximumLength)"))
            case .text(let number, let bytes):
                if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                do {
                    return .success(DraftRecord(line: number, draft: try IncidentJSON.read(bytes)))
                } catch {
                    return .failure(RecordProblem(line: number, field: nil, message: error.description))
                }
            }
        }
        return nil
    }
}

extension AppDatabase {
    /// Imports NDJSON incident records from `source` in one transaction.
    ///
    /// Every record is held to the rules of `incident log`. By default the import is
    /// all-or-nothing: one bad record refuses the file (`ImportRefused`, listing every problem up
    /// to the limit) and nothing is written. Records whose id is stored already, or came earlier
    /// in the file, are skipped and counted, so importing an export again changes nothing.
    public func importNDJSON(from source: some ByteSource, options: ImportOptions) throws -> ImportOutcome {
        var records = NDJSONRecords(lines: LineReader(source))
        return try importRecords(options: options, digest: { records.lines.digest }) { try records.next() }
    }

    func importRecords(options: ImportOptions, digest: () -> String?,
                       next: () throws -> Result<DraftRecord, RecordProblem>?) throws -> ImportOutcome {
        /// Thrown out of the transaction so that it rolls back, carrying what was found.
        struct RollBack: Error { var outcome: ImportOutcome }
        var outcome = ImportOutcome()
        outcome.dryRun = options.dryRun
        do {
            try write { db in
                if !options.dryRun {
                    _ = try Authorizer.require(db, officer: options.officer, for: .importRecords)
                }
                var writer = try IncidentWriter(db)
                var created = ImportDigest()
                var firstSeq: Int64?
                var lastSeq: Int64?
                let known = try KnownCodes.fetch(db)
                var generator = IncidentIDGenerator()
                let now = nowTimestamp()
                // Ids seen in this file while nothing is being written (a dry run, or after the
                // first bad record of an all-or-nothing import) go to a temporary table rather than
                // memory, so a file of any size is checked in flat memory.
                var tracking = false
                func createSeenTable() throws {
                    try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS import_seen (id BLOB PRIMARY KEY) WITHOUT ROWID")
                }
                func report(_ problem: RecordProblem) {
                    if outcome.problems.count < options.maximumReported {
                        outcome.problems.append(problem)
                    } else {
                        outcome.unreportedProblems += 1
                    }
                }
                if options.dryRun {
                    try createSeenTable()
                    tracking = true
                }
                while let item = try next() {
                    outcome.records += 1
                    let record: DraftRecord
                    switch item {
                    case .failure(let problem):
                        report(problem)
                        outcome.rejected += 1
                        if !options.skipInvalid && !tracking {
                            try createSeenTable()
                            tracking = true
                        }
                        continue
                    case .success(let value):
                        record = value
                    }
                    var incident: Incident
                    do throws(ValidationFailure) {
                        incident = try record.draft.validate(known: known) {
                            generator.next(nowMilliseconds: nowMilliseconds())
                        }
                    } catch {
                        for problem in error.problems {
                            report(RecordProblem(line: record.line, field: problem.field, message: problem.message))
                        }
                        outcome.rejected += 1
                        if !options.skipInvalid && !tracking {
                            try createSeenTable()
                            tracking = true
                        }
                        continue
                    }
                    if try writer.exists(incident.id) {
                        outcome.duplicates += 1
                    } else if tracking {
                        try db.execute(sql: "INSERT OR IGNORE INTO temp.import_seen (id) VALUES (?)", arguments: [Data(incident.id.bytes)])
                        if db.changesCount == 0 { outcome.duplicates += 1 } else { outcome.inserted += 1 }
                    } else {
                        let (seq, hash) = try writer.insert(&incident, recordedBy: options.officer, now: now)
                        created.add(hash)
                        firstSeq = firstSeq ?? seq
                        lastSeq = seq
                        outcome.inserted += 1
                    }
                }
                if tracking { try db.execute(sql: "DROP TABLE temp.import_seen") }
                if options.dryRun || (outcome.rejected > 0 && !options.skipInvalid) {
                    throw RollBack(outcome: outcome)
                }
                try writer.finish()
                outcome.sha256 = digest()
                try AuditLog.append(db, officer: options.officer, action: "incident.import", entity: "import", key: outcome.sha256, detail: .object([
                    "source": .string(options.sourceName),
                    "sha256": JSONValue(outcome.sha256),
                    "records": JSONValue(outcome.records),
                    "inserted": JSONValue(outcome.inserted),
                    "duplicates": JSONValue(outcome.duplicates),
                    "rejected": JSONValue(outcome.rejected),
                    "first_seq": JSONValue(firstSeq.map(Int.init)),
                    "last_seq": JSONValue(lastSeq.map(Int.init)),
                    "created_digest": .string(created.finish()),
                ]), at: now)
            }
        } catch let rollBack as RollBack {
            if rollBack.outcome.rejected > 0 && !options.skipInvalid { throw ImportRefused(outcome: rollBack.outcome) }
            return rollBack.outcome
        }
        return outcome
    }
}

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
    /// Import the good records and write the bad ones to `rejectsPath` instead of refusing the file.
    public var skipInvalid = false
    /// Validate only; write nothing.
    public var dryRun = false
    /// The officer the records are recorded by.
    public var officer: String?
    /// How many problems to keep for the report; the rest are only counted.
    public var maximumReported = 100
    /// The file's name for the audit entry (`demo incidents`, a path, `standard input`).
    public var sourceName = "records"
    /// Where refused records go with `skipInvalid`.
    public var rejectsPath: String?
    /// Called now and then with the bytes read so far and the records seen, for a progress bar.
    public var progress: (@Sendable (_ bytes: Int64, _ records: Int) -> Void)?

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
    /// SHA-256 of the bytes read.
    public var sha256: String?
    /// Where refused records were written, when they were.
    public var rejectsPath: String?

    public init() {}
}

/// The import was refused as a whole (all-or-nothing): nothing was written.
public struct ImportRefused: Error, Sendable {
    public var outcome: ImportOutcome
}

extension AppDatabase {
    /// Imports incident records (NDJSON or CSV) from `source` in one transaction.
    ///
    /// Every record is held to the rules of `incident log`. By default the import is
    /// all-or-nothing: one bad record refuses the file (`ImportRefused`, listing every problem up
    /// to the limit) and nothing is written. Records whose id is stored already, or came earlier
    /// in the file, are skipped and counted, so importing an export again changes nothing. The
    /// file is read once, in chunks, in flat memory; one audit entry names its SHA-256 and counts.
    public func importIncidents(from source: any ByteSource, format: RecordFormat, options: ImportOptions) throws -> ImportOutcome {
        switch format {
        case .ndjson:
            return try importRecords(NDJSONRecordReader(source), options: options)
        case .csv:
            return try importRecords(CSVRecordReader(source), options: options)
        }
    }

    /// NDJSON incidents (the demo, tests).
    public func importNDJSON(from source: any ByteSource, options: ImportOptions) throws -> ImportOutcome {
        try importIncidents(from: source, format: .ndjson, options: options)
    }

    func importRecords(_ reader: any IncidentRecordReader, options: ImportOptions) throws -> ImportOutcome {
        let box = ReaderBox(reader)
        var outcome = ImportOutcome()
        outcome.dryRun = options.dryRun
        var rejects: RejectsWriter?
        if options.skipInvalid && !options.dryRun, let path = options.rejectsPath {
            rejects = try RejectsWriter(path: path)
            outcome.rejectsPath = path
        }
        defer { try? rejects?.close() }
        do {
            try bulkWrite { db in
                if !options.dryRun {
                    _ = try Authorizer.require(db, officer: options.officer, for: .importRecords)
                }
                // A large transaction touches index pages all over the file; a bigger page cache
                // keeps them in memory instead of spilling them to the WAL again and again.
                try db.execute(sql: "PRAGMA cache_size = -\(importCacheKiB)")
                defer { try? db.execute(sql: "PRAGMA cache_size = -2000") }
                var writer = try IncidentWriter(db)
                let known = try KnownCodes.fetch(db)
                var created = ImportDigest()
                var firstSeq: Int64?
                var lastSeq: Int64?
                let now = nowTimestamp()
                // Ids seen in this file while nothing is being written (a dry run, or after the
                // first bad record of an all-or-nothing import) go to a temporary table rather than
                // memory, so a file of any size is checked in flat memory.
                var tracking = false
                var markSeen: BulkStatement?
                func createSeenTable() throws {
                    try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS import_seen (id BLOB PRIMARY KEY) WITHOUT ROWID")
                    markSeen = try BulkStatement(db, sql: "INSERT OR IGNORE INTO temp.import_seen (id) VALUES (?)")
                }
                // Ids made here all carry the import's start time; the generator counts up within it.
                let startMilliseconds = nowMilliseconds()
                func report(_ problem: RecordProblem) {
                    if outcome.problems.count < options.maximumReported {
                        outcome.problems.append(problem)
                    } else {
                        outcome.unreportedProblems += 1
                    }
                }
                func refuse(_ problems: [RecordProblem], line: Int, original: OriginalRecord?, header: [String]?) throws {
                    problems.forEach(report)
                    outcome.rejected += 1
                    rejects?.write(original, line: line, problems: problems, header: header)
                    if !options.skipInvalid && !tracking {
                        try createSeenTable()
                        tracking = true
                    }
                }
                if options.dryRun {
                    try createSeenTable()
                    tracking = true
                }
                let pipeline = RecordPipeline(box, known: known, calendar: writer.calendar, recordedBy: options.officer, now: now,
                                              startMilliseconds: startMilliseconds)
                defer { pipeline.cancel() }
                var header: [String]?
                var bytesRead: Int64 = 0
                batches: while true {
                    let batch = try pipeline.next()
                    header = batch.header ?? header
                    for prepared in batch.records {
                        outcome.records += 1
                        switch prepared {
                        case .invalid(let problems, let line, let original):
                            try refuse(problems, line: line, original: original, header: header)
                        case .valid(var incident, let hash, _):
                            if try writer.exists(incident.id) {
                                outcome.duplicates += 1
                            } else if tracking, let markSeen {
                                markSeen.bind(1, bytes: incident.id.bytes)
                                try markSeen.execute()
                                if db.changesCount == 0 { outcome.duplicates += 1 } else { outcome.inserted += 1 }
                            } else {
                                let seq = try writer.insert(prepared: &incident, createdHash: hash)
                                created.add(hash, caseNumber: incident.caseNumber ?? "")
                                firstSeq = firstSeq ?? seq
                                lastSeq = seq
                                outcome.inserted += 1
                            }
                        }
                    }
                    bytesRead = batch.bytesRead
                    options.progress?(bytesRead, outcome.records)
                    if batch.finished {
                        outcome.sha256 = batch.digest
                        break batches
                    }
                }
                if tracking {
                    markSeen = nil
                    try db.execute(sql: "DROP TABLE temp.import_seen")
                }
                if options.dryRun || (outcome.rejected > 0 && !options.skipInvalid) {
                    throw RollBack(outcome: outcome)
                }
                try writer.finish()
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

/// Thrown out of an import's transaction so that it rolls back, carrying what was found.
private struct RollBack: Error {
    var outcome: ImportOutcome
}

/// The page cache of an import, in KiB: most of the import's memory, well under its 100 MB.
let importCacheKiB = 32 * 1024

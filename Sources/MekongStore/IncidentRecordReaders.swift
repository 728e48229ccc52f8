import Foundation
import MekongCore

/// The shapes an import file may have.
public enum RecordFormat: String, Sendable, CaseIterable {
    case ndjson
    case csv

    /// The format a file's name says (`.ndjson`, `.jsonl`, `.csv`), if any.
    public init?(fileName: String) {
        let lower = fileName.lowercased()
        if lower.hasSuffix(".ndjson") || lower.hasSuffix(".jsonl") || lower.hasSuffix(".json") {
            self = .ndjson
        } else if lower.hasSuffix(".csv") {
            self = .csv
        } else {
            return nil
        }
    }
}

/// One record read from a file, before validation, with what is needed to write it to a
/// rejects file as it was.
struct DraftRecord {
    var line: Int
    var draft: IncidentDraft
    var original: OriginalRecord
}

/// A record as it stood in the file.
enum OriginalRecord {
    case json([UInt8])
    case csv([String])
}

/// A record that could not be read at all, as it stood in the file.
struct UnreadableRecord: Error {
    var problem: RecordProblem
    var original: OriginalRecord?
}

/// Reads incident records one at a time from an import file.
protocol IncidentRecordReader {
    /// The next record, a record that cannot be read, or nil at the end.
    mutating func next() throws -> Result<DraftRecord, UnreadableRecord>?
    var bytesRead: Int64 { get }
    /// SHA-256 of the file, once read to the end.
    var digest: String? { get }
    /// The header of a CSV file (for a rejects file in the same shape).
    var header: [String]? { get }
}

/// NDJSON: one JSON object per line; blank lines are skipped.
struct NDJSONRecordReader: IncidentRecordReader {
    var lines: LineReader

    init(_ source: any ByteSource) {
        lines = LineReader(source, maximumLength: Limits.recordBytes)
    }

    var bytesRead: Int64 { lines.bytesRead }
    var digest: String? { lines.digest }
    var header: [String]? { nil }

    mutating func next() throws -> Result<DraftRecord, UnreadableRecord>? {
        while let line = try lines.next() {
            switch line {
            case .tooLong(let number, let length):
                return .failure(UnreadableRecord(problem: RecordProblem(line: number, field: nil, message: "the line is \(length) bytes long; a record may have at most \(Limits.recordBytes)"), original: nil))
            case .text(let number, let bytes):
                if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                if number == 1, bytes.filter({ $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) == [UInt8(ascii: "[")] {
                    // `export --format json` writes one array; say so once rather than refuse every line.
                    throw MekongError(.badData, "line 1: the file is a JSON array (as `mekong export --format json` writes); import reads NDJSON, one record per line: export with --format ndjson")
                }
                do {
                    return .success(DraftRecord(line: number, draft: try IncidentJSON.read(bytes), original: .json(bytes)))
                } catch {
                    return .failure(UnreadableRecord(problem: RecordProblem(line: number, field: nil, message: error.description), original: .json(bytes)))
                }
            }
        }
        return nil
    }
}

/// CSV (RFC 4180) with a header row naming the fields of SPEC section 2; `seizures` is one cell
/// in the compact form `item:quantity:unit;…`; an empty cell is an absent value.
struct CSVRecordReader: IncidentRecordReader {
    private var chunks: ChunkReader
    private var parser = CSVParser()
    private var queue: [CSVRecord] = []
    private var queueIndex = 0
    private(set) var header: [String]?
    private var columns: [Column] = []

    /// What each column of the file holds.
    enum Column {
        case field(IncidentCSVField)
        case ignored
    }

    init(_ source: any ByteSource) {
        chunks = ChunkReader(source)
        parser.maximumFieldBytes = Limits.recordBytes
    }

    var bytesRead: Int64 { chunks.bytesRead }
    var digest: String? { chunks.digest }


    mutating func next() throws -> Result<DraftRecord, UnreadableRecord>? {
        guard let record = try nextRecord() else { return nil }
        if header == nil {
            try readHeader(record)
            return try next()
        }
        guard record.fields.count == columns.count else {
            return .failure(UnreadableRecord(problem: RecordProblem(line: record.line, field: nil, message: "\(record.fields.count) fields, but the header has \(columns.count)"), original: .csv(record.fields)))
        }
        var draft = IncidentDraft()
        for index in 0..<columns.count {
            let value = record.fields[index]
            guard !value.isEmpty, case .field(let field) = columns[index] else { continue }
            field.set(value, in: &draft)
        }
        return .success(DraftRecord(line: record.line, draft: draft, original: .csv(record.fields)))
    }

    /// Reads the header: every column must be a field of the record format (or one an export
    /// writes), each at most once, and the required ones must be there.
    private mutating func readHeader(_ record: CSVRecord) throws {
        var seen: Set<String> = []
        var problems: [String] = []
        columns = record.fields.map { name in
            if !seen.insert(name).inserted { problems.append("column \(quoted(name)) appears twice") }
            if let field = IncidentCSVField(rawValue: name) { return .field(field) }
            if ignoredCSVColumns.contains(name) { return .ignored }
            problems.append("unknown column \(quoted(name))")
            return .ignored
        }
        let missing = ["type", "occurred_at", "district", "summary"].filter { !seen.contains($0) }
        if !missing.isEmpty { problems.append("the header lacks \(missing.joined(separator: ", "))") }
        if !problems.isEmpty {
            throw MekongError(.badData, "line \(record.line): \(problems.joined(separator: "; ")) (expected columns: \(IncidentJSON.inputFields.sorted().joined(separator: ",")))")
        }
        header = record.fields
    }

    private mutating func nextRecord() throws -> CSVRecord? {
        while queueIndex >= queue.count {
            queue.removeAll(keepingCapacity: true)
            queueIndex = 0
            do {
                let more = try chunks.next { bytes in
                    try parser.feed(bytes) { queue.append($0) }
                }
                if !more {
                    try parser.finish { queue.append($0) }
                    if queue.isEmpty { return nil }
                }
            } catch let error as CSVSyntaxError {
                throw MekongError(.badData, "line \(error.line): \(error.message); nothing was imported")
            }
        }
        defer { queueIndex += 1 }
        return queue[queueIndex]
    }

}

/// Columns that exports write and imports ignore, and the column a rejects file adds.
let ignoredCSVColumns: Set<String> = IncidentJSON.outputOnlyFields.union(["rejected_reason"])

/// Writes the records an import refused, as they were, with the reasons, so an officer can fix
/// them and import the file again: NDJSON records gain a `_rejected` field and CSV rows a
/// `rejected_reason` column, both of which imports ignore.
final class RejectsWriter {
    private let handle: FileHandle
    private let path: String
    private var wroteHeader = false

    init(path: String) throws(MekongError) {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw MekongError(.storage, "cannot write the rejects file \(path)")
        }
        self.handle = handle
    }

    func write(_ original: OriginalRecord?, line: Int, problems: [RecordProblem], header: [String]?) {
        var text = ""
        switch original {
        case .csv(let fields)?:
            if !wroteHeader, let header {
                text += (header + ["rejected_reason"]).map(csvEscape).joined(separator: ",") + "\r\n"
                wroteHeader = true
            }
            text += (fields + [problems.map(\.description).joined(separator: "; ")]).map(csvEscape).joined(separator: ",") + "\r\n"
        case .json(let bytes)?:
            var json = JSONWriter()
            json.beginObject()
            json.key("_rejected")
            rejection(line: line, problems: problems, to: &json)
            if case .object(let fields)? = try? JSONValue(parsing: bytes) {
                for key in fields.keys.sorted() where key != "_rejected" {
                    json.key(key)
                    fields[key]!.write(to: &json)
                }
            } else {
                json.field("_text", String(decoding: bytes, as: UTF8.self))
            }
            json.endObject()
            text = json.text + "\n"
        case nil:
            var json = JSONWriter()
            json.beginObject()
            json.key("_rejected")
            rejection(line: line, problems: problems, to: &json)
            json.endObject()
            text = json.text + "\n"
        }
        handle.write(Data(text.utf8))
    }

    private func rejection(line: Int, problems: [RecordProblem], to json: inout JSONWriter) {
        json.beginObject()
        json.field("line", line)
        json.key("problems")
        json.beginArray()
        for problem in problems {
            json.beginObject()
            json.field("field", problem.field)
            json.field("message", problem.message)
            json.endObject()
        }
        json.endArray()
        json.endObject()
    }

    func close() throws {
        try handle.synchronize()
        try handle.close()
    }

    private func csvEscape(_ text: String) -> String {
        if text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) {
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return text
    }
}

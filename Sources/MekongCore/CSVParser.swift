/// One CSV record and the line it starts on (a quoted field may span lines).
public struct CSVRecord: Hashable, Sendable {
    public var line: Int
    public var fields: [String]

    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }
}

/// What is wrong with the CSV text itself, and on which line.
public struct CSVSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var message: String

    public var description: String { "line \(line): \(message)" }
}

/// An RFC 4180 reader that is fed bytes in chunks of any size and hands out whole records.
///
/// Handles quoted fields holding commas, doubled quotes and line breaks; CRLF, LF or CR line
/// ends; an optional UTF-8 byte-order mark; and blank lines, which are skipped. Each record
/// carries the line it starts on, so errors can point at it.
public struct CSVParser: Sendable {
    private enum State: Sendable {
        case fieldStart, unquoted, quoted, quoteInQuoted, afterCR
    }

    /// The longest field accepted, in bytes: a broken quote otherwise swallows the whole file.
    public var maximumFieldBytes = 1 << 20
    /// The most fields one record may have.
    public var maximumFields = 1000

    private var state = State.fieldStart
    private var field: [UInt8] = []
    private var fields: [String] = []
    private var fieldWasQuoted = false
    private var line = 1
    private var recordLine = 1
    private var atStartOfInput = true
    private var bomBytesSeen = 0

    public init() {}

    /// Reads a chunk; `emit` is called for every record the chunk completes.
    public mutating func feed(_ chunk: some Collection<UInt8>, emit: (CSVRecord) throws -> Void) throws {
        if let done = try chunk.withContiguousStorageIfAvailable({ buffer in try feed(buffer: buffer, emit: emit) }) {
            return done
        }
        let copy = Array(chunk)
        try copy.withUnsafeBufferPointer { try feed(buffer: $0, emit: emit) }
    }

    /// The bytes of a chunk, taken a run at a time: between special bytes (comma, quote, line
    /// breaks) a field's bytes are copied as one slice rather than one by one.
    private mutating func feed(buffer: UnsafeBufferPointer<UInt8>, emit: (CSVRecord) throws -> Void) throws {
        var index = 0
        let count = buffer.count
        while index < count {
            if atStartOfInput {
                // Skip a UTF-8 byte-order mark, EF BB BF, at the very start.
                let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
                let byte = buffer[index]
                if byte == bom[bomBytesSeen] {
                    bomBytesSeen += 1
                    if bomBytesSeen == 3 { atStartOfInput = false }
                    index += 1
                    continue
                }
                atStartOfInput = false
                if bomBytesSeen > 0 { for prefix in bom[0..<bomBytesSeen] { try consume(prefix, emit: emit) } }
            }
            switch state {
            case .unquoted, .quoted:
                // Copy the run up to the next byte that matters in this state.
                let start = index
                if state == .unquoted {
                    while index < count {
                        let byte = buffer[index]
                        if byte == UInt8(ascii: ",") || byte == 0x0A || byte == 0x0D || byte == UInt8(ascii: "\"") { break }
                        index += 1
                    }
                } else {
                    while index < count {
                        let byte = buffer[index]
                        if byte == UInt8(ascii: "\"") { break }
                        if byte == 0x0A { line += 1 }
                        index += 1
                    }
                }
                if index > start {
                    guard field.count + (index - start) <= maximumFieldBytes else {
                        throw CSVSyntaxError(line: recordLine, message: "a field is longer than \(maximumFieldBytes) bytes (is a quote left open?)")
                    }
                    field.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<index]))
                }
                if index < count {
                    try consume(buffer[index], emit: emit)
                    index += 1
                }
            default:
                try consume(buffer[index], emit: emit)
                index += 1
            }
        }
    }

    /// Ends the input, emitting a last record that had no line break after it.
    public mutating func finish(emit: (CSVRecord) throws -> Void) throws {
        switch state {
        case .quoted:
            throw CSVSyntaxError(line: recordLine, message: "a quoted field is not closed before the end of the file")
        case .afterCR:
            state = .fieldStart
        case .fieldStart where fields.isEmpty && field.isEmpty && !fieldWasQuoted:
            break
        default:
            try endRecord(emit: emit)
        }
    }

    /// Parses a whole text at once.
    public static func records(in text: String) throws -> [CSVRecord] {
        var parser = CSVParser()
        var out: [CSVRecord] = []
        try parser.feed(Array(text.utf8)) { out.append($0) }
        try parser.finish { out.append($0) }
        return out
    }

    @inline(__always)
    private mutating func consume(_ byte: UInt8, emit: (CSVRecord) throws -> Void) throws {
        switch state {
        case .afterCR:
            state = .fieldStart
            if byte == 0x0A { return }  // CRLF is one line end
            try consume(byte, emit: emit)
        case .fieldStart:
            switch byte {
            case UInt8(ascii: "\""):
                fieldWasQuoted = true
                state = .quoted
            case UInt8(ascii: ","):
                try endField()
            case 0x0A:
                try endLine(emit: emit)
            case 0x0D:
                try endLine(emit: emit)
                state = .afterCR
            default:
                try append(byte)
                state = .unquoted
            }
        case .unquoted:
            switch byte {
            case UInt8(ascii: ","):
                try endField()
                state = .fieldStart
            case 0x0A:
                try endLine(emit: emit)
                state = .fieldStart
            case 0x0D:
                try endLine(emit: emit)
                state = .afterCR
            case UInt8(ascii: "\""):
                throw CSVSyntaxError(line: line, message: "a quote inside an unquoted field (quote the whole field and double the quote)")
            default:
                try append(byte)
            }
        case .quoted:
            if byte == UInt8(ascii: "\"") {
                state = .quoteInQuoted
            } else {
                if byte == 0x0A { line += 1 }
                try append(byte)
            }
        case .quoteInQuoted:
            switch byte {
            case UInt8(ascii: "\""):
                try append(byte)
                state = .quoted
            case UInt8(ascii: ","):
                try endField()
                state = .fieldStart
            case 0x0A:
                try endLine(emit: emit)
                state = .fieldStart
            case 0x0D:
                try endLine(emit: emit)
                state = .afterCR
            default:
                throw CSVSyntaxError(line: line, message: "unexpected text after a closing quote")
            }
        }
    }

    @inline(__always)
    private mutating func append(_ byte: UInt8) throws {
        guard field.count < maximumFieldBytes else {
            throw CSVSyntaxError(line: recordLine, message: "a field is longer than \(maximumFieldBytes) bytes (is a quote left open?)")
        }
        field.append(byte)
    }

    private mutating func endField() throws {
        guard fields.count < maximumFields else {
            throw CSVSyntaxError(line: recordLine, message: "more than \(maximumFields) fields in one record")
        }
        let text: String
        if field.allSatisfy({ $0 < 0x80 }) {
            text = String(decoding: field, as: UTF8.self)  // ASCII needs no validation
        } else {
            guard let valid = String(validating: field, as: UTF8.self) else {
                throw CSVSyntaxError(line: recordLine, message: "field \(fields.count + 1) is not valid UTF-8 text")
            }
            text = valid
        }
        fields.append(text)
        field.removeAll(keepingCapacity: true)
        fieldWasQuoted = false
    }

    /// A line break outside quotes: the end of a record, unless the line was blank.
    private mutating func endLine(emit: (CSVRecord) throws -> Void) throws {
        if fields.isEmpty && field.isEmpty && !fieldWasQuoted {
            line += 1
            recordLine = line
            return
        }
        try endRecord(emit: emit)
        line += 1
        recordLine = line
    }

    private mutating func endRecord(emit: (CSVRecord) throws -> Void) throws {
        try endField()
        let record = CSVRecord(line: recordLine, fields: fields)
        fields.removeAll(keepingCapacity: true)
        try emit(record)
    }
}

/// A CSV table read by its header: fields are found by column name, so column order is free
/// and extra columns (a `notes` column) are allowed.
public struct CSVTable: Sendable {
    public let header: [String]
    public let rows: [CSVRecord]
    private let columns: [String: Int]

    /// Reads `text`, requiring the `required` columns in its header.
    public init(_ text: String, required: [String]) throws {
        let records = try CSVParser.records(in: text)
        guard let first = records.first else { throw CSVSyntaxError(line: 1, message: "the file is empty (expected a header: \(required.joined(separator: ",")))") }
        header = first.fields
        var columns: [String: Int] = [:]
        for (index, name) in header.enumerated() {
            if columns[name] != nil { throw CSVSyntaxError(line: first.line, message: "column \(quoted(name)) appears twice in the header") }
            columns[name] = index
        }
        let missing = required.filter { columns[$0] == nil }
        if !missing.isEmpty {
            throw CSVSyntaxError(line: first.line, message: "the header lacks column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", "))")
        }
        for record in records.dropFirst() where record.fields.count != header.count {
            throw CSVSyntaxError(line: record.line, message: "\(record.fields.count) fields, but the header has \(header.count)")
        }
        self.columns = columns
        self.rows = Array(records.dropFirst())
    }

    public func hasColumn(_ name: String) -> Bool { columns[name] != nil }

    /// The value of `column` in `row`; empty when the column is absent.
    public func value(_ row: CSVRecord, _ column: String) -> String {
        guard let index = columns[column] else { return "" }
        return row.fields[index]
    }
}

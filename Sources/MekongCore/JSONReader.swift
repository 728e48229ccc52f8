/// What is wrong with a piece of JSON, and where (a byte offset from the start of the record).
public struct JSONSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    public var offset: Int
    public var message: String

    public var description: String { "not valid JSON at column \(offset + 1): \(message)" }
}

/// The kind of the next JSON value, so a decoder can say "must be a number" instead of failing.
public enum JSONKind: Sendable {
    case object, array, string, number, bool, null

    public var name: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "true or false"
        case .null: "null"
        }
    }
}

/// Reads one JSON document token by token, without building a tree.
///
/// The incident decoder pulls exactly the fields it knows and skips the rest, which keeps a
/// million-record import to one pass over the bytes. Strictly RFC 8259: no comments, no trailing
/// commas, no control characters in strings, valid UTF-8 only; nesting is bounded.
public struct JSONReader {
    public static let maximumDepth = 32

    private let bytes: [UInt8]
    public private(set) var index = 0
    /// Open containers; true when the container has had an element (so a comma is due).
    private var containers: [Bool] = []

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    public init(_ text: String) {
        self.bytes = Array(text.utf8)
    }

    // MARK: Structure

    /// The kind of the value at the reader's position.
    public mutating func peek() throws(JSONSyntaxError) -> JSONKind {
        skipWhitespace()
        guard index < bytes.count else { throw fail("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: throw fail("unexpected character \(describe(bytes[index]))")
        }
    }

    public mutating func beginObject() throws(JSONSyntaxError) {
        try expect(UInt8(ascii: "{"))
        try push()
    }

    /// The next key of the current object, or nil at its end (which it consumes).
    public mutating func nextKey() throws(JSONSyntaxError) -> String? {
        skipWhitespace()
        guard index < bytes.count else { throw fail("unexpected end of input inside an object") }
        if bytes[index] == UInt8(ascii: "}") {
            index += 1
            containers.removeLast()
            return nil
        }
        if containers[containers.count - 1] {
            guard bytes[index] == UInt8(ascii: ",") else { throw fail("expected \",\" or \"}\"") }
            index += 1
            skipWhitespace()
        }
        containers[containers.count - 1] = true
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a field name in quotes") }
        let key = try readString()
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected \":\" after a field name") }
        index += 1
        return key
    }

    public mutating func beginArray() throws(JSONSyntaxError) {
        try expect(UInt8(ascii: "["))
        try push()
    }

    /// Whether the current array has another element (consuming its end if not).
    public mutating func nextElement() throws(JSONSyntaxError) -> Bool {
        skipWhitespace()
        guard index < bytes.count else { throw fail("unexpected end of input inside an array") }
        if bytes[index] == UInt8(ascii: "]") {
            index += 1
            containers.removeLast()
            return false
        }
        if containers[containers.count - 1] {
            guard bytes[index] == UInt8(ascii: ",") else { throw fail("expected \",\" or \"]\"") }
            index += 1
        }
        containers[containers.count - 1] = true
        return true
    }

    /// Checks that nothing but white space follows the document.
    public mutating func finish() throws(JSONSyntaxError) {
        skipWhitespace()
        guard index == bytes.count else { throw fail("unexpected \(describe(bytes[index])) after the end of the record") }
    }

    // MARK: Scalars

    public mutating func readString() throws(JSONSyntaxError) -> String {
        try expect(UInt8(ascii: "\""))
        let start = index
        // Fast path: no escapes, so the bytes are the string.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = try utf8String(start..<index)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw fail("control character \(describe(byte)) inside a string (write it as an escape)") }
            index += 1
        }
        var out = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let text = String(validating: out, as: UTF8.self) else { throw fail("text is not valid UTF-8", at: start) }
                return text
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw fail("unfinished escape") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                            throw fail("lone surrogate \\u\(String(scalar, radix: 16)) in a string")
                        }
                        index += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw fail("invalid surrogate pair in a string") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw fail("lone surrogate \\u\(String(scalar, radix: 16)) in a string")
                    }
                    out.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
                default:
                    throw fail("unknown escape \\\(describe(escape))")
                }
            default:
                if byte < 0x20 { throw fail("control character \(describe(byte)) inside a string (write it as an escape)") }
                out.append(byte)
                index += 1
            }
        }
        throw fail("unterminated string", at: start - 1)
    }

    /// Reads a number. `integral` is true when it was written without fraction or exponent.
    public mutating func readNumber() throws(JSONSyntaxError) -> (value: Double, integral: Bool) {
        skipWhitespace()
        let start = index
        var integral = true
        var small: Int64 = 0
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        let intStart = index
        while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
            small = small &* 10 &+ Int64(bytes[index] - 48)
            index += 1
        }
        let intDigits = index - intStart
        guard intDigits > 0 else { throw fail("invalid number", at: start) }
        if intDigits > 1, bytes[intStart] == UInt8(ascii: "0") { throw fail("numbers may not have leading zeros", at: start) }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            integral = false
            index += 1
            let fracStart = index
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 { index += 1 }
            guard index > fracStart else { throw fail("invalid number: digits expected after \".\"", at: start) }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            integral = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            let expStart = index
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 { index += 1 }
            guard index > expStart else { throw fail("invalid number: digits expected in the exponent", at: start) }
        }
        if integral && intDigits <= 15 {
            return (Double(negative ? -small : small), true)
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw fail("number \(text) is out of range", at: start) }
        return (value, integral && value.rounded(.towardZero) == value)
    }

    public mutating func readBool() throws(JSONSyntaxError) -> Bool {
        skipWhitespace()
        if literal("true") { return true }
        if literal("false") { return false }
        throw fail("expected true or false")
    }

    public mutating func readNull() throws(JSONSyntaxError) {
        skipWhitespace()
        guard literal("null") else { throw fail("expected null") }
    }

    /// Skips the next value whatever it is, within the nesting limit.
    public mutating func skipValue() throws(JSONSyntaxError) {
        switch try peek() {
        case .object:
            try beginObject()
            while try nextKey() != nil { try skipValue() }
        case .array:
            try beginArray()
            while try nextElement() { try skipValue() }
        case .string: _ = try readString()
        case .number: _ = try readNumber()
        case .bool: _ = try readBool()
        case .null: try readNull()
        }
    }

    // MARK: Internals

    private mutating func push() throws(JSONSyntaxError) {
        guard containers.count < JSONReader.maximumDepth else {
            throw fail("nested more than \(JSONReader.maximumDepth) levels deep")
        }
        containers.append(false)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func expect(_ byte: UInt8) throws(JSONSyntaxError) {
        skipWhitespace()
        guard index < bytes.count else { throw fail("unexpected end of input") }
        guard bytes[index] == byte else { throw fail("expected \(describe(byte)), found \(describe(bytes[index]))") }
        index += 1
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        let matches = word.withUTF8Buffer { expected in
            (0..<count).allSatisfy { bytes[index + $0] == expected[$0] }
        }
        if matches { index += count }
        return matches
    }

    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail("incomplete \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case 48...57: digit = UInt32(byte - 48)
            case 97...102: digit = UInt32(byte - 87)
            case 65...70: digit = UInt32(byte - 55)
            default: throw fail("invalid \\u escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    private func utf8String(_ range: Range<Int>) throws(JSONSyntaxError) -> String {
        // Pure ASCII needs no validation beyond what the loop already did.
        var ascii = true
        for position in range where bytes[position] >= 0x80 {
            ascii = false
            break
        }
        if ascii { return String(decoding: bytes[range], as: UTF8.self) }
        guard let text = String(validating: bytes[range], as: UTF8.self) else {
            throw fail("text is not valid UTF-8", at: range.lowerBound)
        }
        return text
    }

    private func fail(_ message: String, at offset: Int? = nil) -> JSONSyntaxError {
        JSONSyntaxError(offset: offset ?? index, message: message)
    }

    private func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "\"\(Character(Unicode.Scalar(byte)))\"" }
        return "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }
}

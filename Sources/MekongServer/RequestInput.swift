import Foundation
import Hummingbird
import MekongCore

/// A request's query string, read strictly: every parameter known to the endpoint, each given
/// once, percent-decoded, `+` as a space. A misspelt filter (`?distrct=5709`) is refused
/// rather than ignored, because an ignored filter returns every district's incidents as if
/// they were one district's.
struct QueryParameters {
    private var values: [String: String] = [:]

    init(_ request: Request, allowed: Set<String>) throws(APIError) {
        guard let query = request.uri.query, !query.isEmpty else { return }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decode(parts[0], name: String(parts[0]))
            let value = try Self.decode(parts.count > 1 ? parts[1] : "", name: name)
            guard allowed.contains(name) else {
                let known = allowed.isEmpty ? "this path takes none" : "expected: \(allowed.sorted().joined(separator: ", "))"
                throw APIError(.badRequest, "unknown query parameter \(quoted(name)) (\(known))", field: name)
            }
            guard values[name] == nil else {
                throw APIError(.badRequest, "query parameter \(quoted(name)) is given more than once", field: name)
            }
            values[name] = value
        }
    }

    private static func decode(_ text: Substring, name: String) throws(APIError) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        guard let decoded = spaced.removingPercentEncoding else {
            throw APIError(.badRequest, "query parameter \(quoted(name)) is not valid percent-encoded UTF-8", field: name)
        }
        return decoded
    }

    func string(_ name: String) -> String? { values[name] }

    func required(_ name: String) throws(APIError) -> String {
        guard let value = values[name], !value.isEmpty else {
            throw APIError(.badRequest, "query parameter \(quoted(name)) is required", field: name)
        }
        return value
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws(APIError) -> Int? {
        guard let text = values[name] else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw APIError(.badRequest, "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \(quoted(text))", field: name)
        }
        return value
    }

    func number(_ name: String) throws(APIError) -> Double? {
        guard let text = values[name] else { return nil }
        guard let value = Double(text), value.isFinite else {
            throw APIError(.badRequest, "\(name) must be a number, not \(quoted(text))", field: name)
        }
        return value
    }

    func date(_ name: String) throws(APIError) -> LocalDate? {
        guard let text = values[name] else { return nil }
        guard let date = LocalDate(text) else {
            throw APIError(.badRequest, "\(name) \(quoted(text)) is not a date YYYY-MM-DD", field: name)
        }
        return date
    }

    func choice<T: NamedChoice>(_ name: String, _ type: T.Type) throws(APIError) -> T? {
        guard let text = values[name] else { return nil }
        guard let value = T(rawValue: text) else {
            throw APIError(.badRequest, "\(name) \(quoted(text)) is not a known \(T.choiceName) (expected one of: \(T.choices.joined(separator: ", ")))", field: name)
        }
        return value
    }
}

extension Request {
    /// The body, whole: at most `APIContext.maximumBody` bytes (else 413), and not empty.
    mutating func bodyBytes() async throws -> [UInt8] {
        let buffer = try await collectBody(upTo: APIContext.maximumBody)
        guard buffer.readableBytes > 0 else { throw APIError(.badRequest, "the request needs a JSON body") }
        return Array(buffer: buffer)
    }

    /// The body as a JSON object (400 when it is not JSON, or not an object).
    mutating func bodyObject() async throws -> [String: JSONValue] {
        let value = try JSONValue(parsing: try await bodyBytes())
        guard let object = value.objectValue else { throw APIError(.badRequest, "the body must be a JSON object") }
        return object
    }

    /// A path parameter, percent-decoded.
    func pathParameter(_ name: String, _ context: APIContext) throws(APIError) -> String {
        guard let raw = context.parameters.get(name), let value = raw.removingPercentEncoding, !value.isEmpty else {
            throw APIError(.notFound, "no such path")
        }
        return value
    }
}

/// Problems with the fields of a JSON body, collected so the client hears of all at once.
struct BodyFields {
    let object: [String: JSONValue]
    private(set) var problems: [FieldProblem] = []

    init(_ object: [String: JSONValue], allowed: Set<String>) {
        self.object = object
        for key in object.keys.sorted() where !allowed.contains(key) {
            problems.append(FieldProblem(field: key, message: "unknown field (expected: \(allowed.sorted().joined(separator: ", ")))"))
        }
    }

    mutating func string(_ name: String, required: Bool = false) -> String? {
        switch object[name] {
        case .string(let text)?: return text
        case nil, .null?:
            if required { problems.append(FieldProblem(field: name, message: "\(name) is required")) }
            return nil
        case let value?:
            problems.append(FieldProblem(field: name, message: "must be a string, not \(Self.kind(value))"))
            return nil
        }
    }

    mutating func integer(_ name: String, required: Bool = false) -> Int? {
        switch object[name] {
        case .number(let value)?:
            guard value.rounded() == value, abs(value) <= Double(Limits.maximumCount) * 10 else {
                problems.append(FieldProblem(field: name, message: "must be a whole number, not \(formatNumber(value))"))
                return nil
            }
            return Int(value)
        case nil, .null?:
            if required { problems.append(FieldProblem(field: name, message: "\(name) is required")) }
            return nil
        case let value?:
            problems.append(FieldProblem(field: name, message: "must be a whole number, not \(Self.kind(value))"))
            return nil
        }
    }

    /// Throws every problem found so far as one validation failure (422).
    func check() throws(ValidationFailure) {
        if !problems.isEmpty { throw ValidationFailure(problems) }
    }

    static func kind(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

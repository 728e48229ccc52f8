/// One thing wrong with a record, named by the field that holds it, so an officer can fix it.
///
/// Validation collects every problem of a record rather than stopping at the first: an officer
/// correcting a spreadsheet wants the whole list at once.
public struct FieldProblem: Error, Hashable, Sendable, CustomStringConvertible {
    /// The field at fault, as named in the record formats (`district`, `seizures[1].unit`).
    public var field: String
    /// What is wrong, in words an officer understands.
    public var message: String
    /// Whether the problem is a code or id the database does not know (see `unknownReference`).
    public var isUnknownReference = false

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "field \"\(field)\": \(message)" }
}

/// A record that failed validation, with every problem found in it.
public struct ValidationFailure: Error, Sendable, CustomStringConvertible {
    public var problems: [FieldProblem]

    public init(_ problems: [FieldProblem]) {
        self.problems = problems
    }

    public var description: String {
        problems.map(\.description).joined(separator: "; ")
    }
}

/// A closed set of values named by a string: incident types, statuses, units, roles and kinds.
///
/// Parsing one gives a problem that lists the valid choices, which is what an officer needs to
/// correct a typo.
public protocol NamedChoice: RawRepresentable, CaseIterable, Hashable, Sendable where RawValue == String {
    /// What the values are called in messages: "incident type", "unit".
    static var choiceName: String { get }
}

extension NamedChoice {
    /// The valid values in declaration order, for messages and prompts.
    public static var choices: [String] { allCases.map(\.rawValue) }

    /// Reads `text` as one of the values, or explains what would have been valid.
    public static func parse(_ text: String, field: String) throws(FieldProblem) -> Self {
        if let value = Self(rawValue: text) { return value }
        throw FieldProblem(
            field: field,
            message: "unknown \(choiceName) \(quoted(text)) (expected one of: \(choices.joined(separator: ", ")))"
        )
    }
}

/// Quotes a value for a message, shortened so a pasted paragraph does not flood the terminal.
public func quoted(_ text: String, limit: Int = 60) -> String {
    var shown = text
    if text.unicodeScalars.count > limit {
        shown = String(String.UnicodeScalarView(text.unicodeScalars.prefix(limit))) + "…"
    }
    var out = "\""
    for scalar in shown.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += "\\u{\(String(scalar.value, radix: 16))}"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

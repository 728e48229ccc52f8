/// An error a user can act on, with a kind that decides the exit status (CLI) or HTTP status (API).
///
/// The message is one line that says what went wrong and where, never a stack trace.
public struct MekongError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The command was used wrongly (exit 64, HTTP 400).
        case usage
        /// A record or file failed validation; nothing was written (exit 65, HTTP 422).
        case badData
        /// An input file is missing or unreadable (exit 66).
        case inputMissing
        /// A district, checkpoint, officer or id named on the command line is unknown (exit 69, HTTP 404).
        case unknownReference
        /// The database cannot be opened, read or written (exit 74).
        case storage
        /// Another process held the database longer than the retry budget (exit 75, HTTP 503).
        case busy
        /// The acting officer is unknown or lacks the role (exit 77, HTTP 403).
        case forbidden
        /// The change conflicts with the record's state (exit 1, HTTP 409).
        case conflict
        /// Anything else, including a check that found a fault (exit 1).
        case failure
    }

    public var kind: Kind
    public var message: String
    /// The option, parameter or field at fault, when one is (the HTTP API names it).
    public var field: String?

    public init(_ kind: Kind, _ message: String, field: String? = nil) {
        self.kind = kind
        self.message = message
        self.field = field
    }

    public var description: String { message }
}

/// Formats instants as RFC 3339 UTC text with milliseconds (`2025-06-24T07:30:00.000Z`), the
/// form of `created_at`, `updated_at` and audit times.
public enum Timestamp {
    public static func utc(milliseconds ms: Int64) -> String {
        let days = floorDiv(ms, 86_400_000)
        let rest = Int(ms - days * 86_400_000)
        var text = LocalDate(daysSinceEpoch: Int(days)).description
        text += "T"
        appendPadded(rest / 3_600_000, width: 2, to: &text)
        text += ":"
        appendPadded(rest / 60_000 % 60, width: 2, to: &text)
        text += ":"
        appendPadded(rest / 1000 % 60, width: 2, to: &text)
        text += "."
        appendPadded(rest % 1000, width: 3, to: &text)
        text += "Z"
        return text
    }
}

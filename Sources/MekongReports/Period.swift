import MekongCore

/// An inclusive range of local dates: `2025-01-01` to `2025-12-31` is the year 2025.
public struct Period: Hashable, Sendable, CustomStringConvertible {
    public let from: LocalDate
    public let to: LocalDate

    public init(from: LocalDate, to: LocalDate) throws(MekongError) {
        guard from <= to else {
            throw MekongError(.usage, "the period ends (\(to)) before it begins (\(from))", field: "to")
        }
        self.from = from
        self.to = to
    }

    /// The whole of one calendar year.
    public static func year(_ year: Int) -> Period {
        // Both dates exist for every year 1...9999.
        try! Period(from: LocalDate(year: year, month: 1, day: 1)!, to: LocalDate(year: year, month: 12, day: 31)!)
    }

    /// Number of days, counting both ends.
    public var days: Int { from.daysThrough(to) }

    /// The period of the same length that ends the day before this one begins.
    public var previous: Period {
        // from - days ... from - 1 is never empty and never inverted.
        try! Period(from: from.adding(days: -days), to: from.adding(days: -1))
    }

    public var description: String { "\(from) to \(to)" }
}

extension Period {
    /// `"key": {"from": …, "to": …[, "time_zone": …]}`, as every report's JSON opens (SPEC section 4).
    func write(to json: inout JSONWriter, key: String = "period", timeZone: String? = nil) {
        json.key(key)
        json.beginObject()
        json.field("from", from.description)
        json.field("to", to.description)
        if let timeZone { json.field("time_zone", timeZone) }
        json.endObject()
    }
}

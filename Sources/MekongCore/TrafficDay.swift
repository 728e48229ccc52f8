/// Crossings through one checkpoint on one local date (SPEC section 3): what the checkpoint
/// utilisation review is computed from.
public struct TrafficDay: Hashable, Sendable {
    public var checkpoint: String
    public var date: LocalDate
    public var personsIn: Int
    public var personsOut: Int
    public var vehiclesIn: Int
    public var vehiclesOut: Int
    /// Crossings outside official hours (the emergency patient-transfer agreement allows some).
    public var outOfHours: Int

    public init(checkpoint: String, date: LocalDate, personsIn: Int, personsOut: Int, vehiclesIn: Int, vehiclesOut: Int, outOfHours: Int = 0) {
        self.checkpoint = checkpoint
        self.date = date
        self.personsIn = personsIn
        self.personsOut = personsOut
        self.vehiclesIn = vehiclesIn
        self.vehiclesOut = vehiclesOut
        self.outOfHours = outOfHours
    }

    public static let columns = ["checkpoint", "date", "persons_in", "persons_out", "vehicles_in", "vehicles_out", "out_of_hours"]

    /// Reads one day from its fields as text (a CSV row, command-line options), checking every
    /// one against `checkpoints` and reporting all problems at once. `out_of_hours` may be absent.
    public static func parse(_ fields: [String: String], checkpoints: Set<String>) throws(ValidationFailure) -> TrafficDay {
        var problems: [FieldProblem] = []
        let checkpoint = fields["checkpoint"] ?? ""
        if checkpoint.isEmpty {
            problems.append(FieldProblem(field: "checkpoint", message: "checkpoint is required"))
        } else if !checkpoints.contains(checkpoint) {
            problems.append(.unknownReference(field: "checkpoint", message: "unknown checkpoint code \(quoted(checkpoint))"))
        }
        let dateText = fields["date"] ?? ""
        let date = LocalDate(dateText)
        if date == nil {
            problems.append(FieldProblem(field: "date", message: dateText.isEmpty ? "date is required" : "\(quoted(dateText)) is not a date YYYY-MM-DD"))
        }
        func count(_ field: String, optional: Bool = false) -> Int {
            let text = fields[field] ?? ""
            if text.isEmpty {
                if !optional { problems.append(FieldProblem(field: field, message: "\(field) is required")) }
                return 0
            }
            guard let value = Int(text), value >= 0, value <= Limits.maximumCount else {
                problems.append(FieldProblem(field: field, message: "\(field) must be a whole number from 0 to \(Limits.maximumCount), not \(quoted(text))"))
                return 0
            }
            return value
        }
        let day = TrafficDay(checkpoint: checkpoint, date: date ?? LocalDate(daysSinceEpoch: 0),
                             personsIn: count("persons_in"), personsOut: count("persons_out"),
                             vehiclesIn: count("vehicles_in"), vehiclesOut: count("vehicles_out"),
                             outOfHours: count("out_of_hours", optional: true))
        if !problems.isEmpty { throw ValidationFailure(problems) }
        return day
    }
}

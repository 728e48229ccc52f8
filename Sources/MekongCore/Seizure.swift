/// What was seized. Each item accepts only the units that make sense for it (SPEC section 2).
public enum SeizureItem: String, NamedChoice, Codable {
    case methamphetamineTablets = "methamphetamine_tablets"
    case crystalMethamphetamine = "crystal_methamphetamine"
    case heroin
    case opium
    case ketamine
    case cannabis
    case cocaine
    case precursorChemicals = "precursor_chemicals"
    case wildlife
    case timber
    case other

    public static let choiceName = "seizure item"

    /// The kinds of measure this item may be recorded in.
    public var acceptedMeasures: Set<Measure> {
        switch self {
        case .methamphetamineTablets: [.tablets]
        case .crystalMethamphetamine, .heroin, .opium, .ketamine, .cannabis, .cocaine: [.mass]
        case .precursorChemicals: [.mass, .volume]
        case .wildlife, .timber, .other: [.mass, .volume, .pieces]
        }
    }

    /// The units an officer may use for this item, for messages and prompts.
    public var acceptedUnits: [QuantityUnit] {
        QuantityUnit.allCases.filter { acceptedMeasures.contains($0.measure) }
    }
}

/// What a quantity measures. Quantities of different measures are never added together.
public enum Measure: String, Hashable, Sendable, Codable {
    case mass
    case volume
    case tablets
    case pieces
}

/// A unit a seizure may be recorded in. Mass and volume are normalised to kg and l on the way in,
/// so every stored and reported quantity is in its measure's canonical unit.
public enum QuantityUnit: String, NamedChoice, Codable {
    case tablets
    case pieces
    case g
    case kg
    case t
    case ml
    case l

    public static let choiceName = "unit"

    public var measure: Measure {
        switch self {
        case .tablets: .tablets
        case .pieces: .pieces
        case .g, .kg, .t: .mass
        case .ml, .l: .volume
        }
    }

    /// The unit quantities of this measure are stored and reported in.
    public var canonical: QuantityUnit {
        switch measure {
        case .mass: .kg
        case .volume: .l
        case .tablets: .tablets
        case .pieces: .pieces
        }
    }

    /// Whether quantities in this unit are counts, which must be whole numbers.
    public var isCount: Bool { measure == .tablets || measure == .pieces }

    /// Converts a quantity in this unit to the canonical unit.
    ///
    /// Grams and millilitres are divided rather than multiplied by 0.001, so that, for
    /// example, 300 g becomes exactly the double nearest 0.3 kg.
    public func toCanonical(_ quantity: Double) -> Double {
        switch self {
        case .g, .ml: quantity / 1000
        case .t: quantity * 1000
        case .kg, .l, .tablets, .pieces: quantity
        }
    }
}

/// One seized item of an incident, in the canonical unit of its measure.
public struct Seizure: Hashable, Sendable {
    public var item: SeizureItem
    /// The quantity in `unit`, which is always canonical (kg, l, tablets or pieces).
    public var quantity: Double
    public var unit: QuantityUnit
    /// The quantity and unit as the officer recorded them, kept for the case file.
    public var recordedQuantity: Double
    public var recordedUnit: QuantityUnit

    /// Checks the unit against the item and normalises the quantity.
    ///
    /// Problems name `field` (`seizures[2]`, `seizure`) so a message points at the right entry.
    public init(item: SeizureItem, quantity: Double, unit: QuantityUnit, field: String = "seizures") throws(ValidationFailure) {
        var problems: [FieldProblem] = []
        if !item.acceptedMeasures.contains(unit.measure) {
            problems.append(FieldProblem(
                field: "\(field).unit",
                message: "unit \(quoted(unit.rawValue)) does not fit \(item.rawValue) (accepted: \(item.acceptedUnits.map(\.rawValue).joined(separator: ", ")))"
            ))
        }
        if !quantity.isFinite || quantity <= 0 {
            problems.append(FieldProblem(field: "\(field).quantity", message: "quantity must be a number greater than 0"))
        } else if quantity > Limits.maximumQuantity {
            problems.append(FieldProblem(field: "\(field).quantity", message: "quantity \(formatNumber(quantity)) is larger than \(formatNumber(Limits.maximumQuantity))"))
        } else if unit.isCount && quantity.rounded(.towardZero) != quantity {
            problems.append(FieldProblem(field: "\(field).quantity", message: "\(unit.rawValue) are counted in whole numbers, not \(formatNumber(quantity))"))
        }
        if !problems.isEmpty { throw ValidationFailure(problems) }
        self.item = item
        self.recordedQuantity = quantity
        self.recordedUnit = unit
        self.quantity = unit.toCanonical(quantity)
        self.unit = unit.canonical
    }

    /// A seizure read back from the store, already checked and normalised when it was written.
    public init(stored item: SeizureItem, quantity: Double, unit: QuantityUnit, recordedQuantity: Double, recordedUnit: QuantityUnit) {
        self.item = item
        self.quantity = quantity
        self.unit = unit
        self.recordedQuantity = recordedQuantity
        self.recordedUnit = recordedUnit
    }

    /// Reads the compact form `item:quantity:unit` used by `--seizure` and the CSV `seizures` cell.
    ///
    ///     try Seizure(compact: "methamphetamine_tablets:250000:tablets")
    public init(compact text: String, field fieldName: @autoclosure () -> String = "seizure") throws(ValidationFailure) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw ValidationFailure([FieldProblem(field: fieldName(), message: "expected item:quantity:unit, got \(quoted(text))")])
        }
        // The happy path builds no message strings; they are made only for a problem.
        let item = SeizureItem(rawValue: String(parts[0]))
        let quantity = parseDecimal(parts[1])
        let unit = QuantityUnit(rawValue: String(parts[2]))
        guard let item, let unit, let quantity else {
            let field = fieldName()
            var problems: [FieldProblem] = []
            do { _ = try SeizureItem.parse(String(parts[0]), field: "\(field).item") } catch { problems.append(error) }
            if quantity == nil {
                problems.append(FieldProblem(field: "\(field).quantity", message: "quantity \(quoted(String(parts[1]))) is not a number"))
            }
            do { _ = try QuantityUnit.parse(String(parts[2]), field: "\(field).unit") } catch { problems.append(error) }
            throw ValidationFailure(problems)
        }
        do { try self.init(item: item, quantity: quantity, unit: unit) } catch {
            // Name the entry as the caller knows it: `seizures[2].unit`, `seizure.unit`.
            let field = fieldName()
            throw ValidationFailure(error.problems.map {
                FieldProblem(field: field + $0.field.dropFirst("seizures".count), message: $0.message)
            })
        }
    }

    /// Reads a `;`-separated list of compact seizures, as in a CSV `seizures` cell. An empty cell is no seizures.
    public static func parseList(_ text: String, field: String = "seizures") throws(ValidationFailure) -> [Seizure] {
        if text.isEmpty { return [] }
        // Counted before splitting, so a cell of a hundred thousand entries costs no more than a scan.
        var entries = 1
        for byte in text.utf8 where byte == UInt8(ascii: ";") { entries += 1 }
        if entries > Limits.maximumSeizuresPerIncident {
            throw ValidationFailure([FieldProblem(field: field, message: "more than \(Limits.maximumSeizuresPerIncident) seizures in one incident")])
        }
        let parts = text.split(separator: ";", omittingEmptySubsequences: false)
        var seizures: [Seizure] = []
        var problems: [FieldProblem] = []
        for (index, part) in parts.enumerated() {
            do { seizures.append(try Seizure(compact: String(part), field: "\(field)[\(index + 1)]")) }
            catch { problems += error.problems }
        }
        if !problems.isEmpty { throw ValidationFailure(problems) }
        return seizures
    }

    /// The compact form, in canonical units: `methamphetamine_tablets:250000:tablets`.
    public var compact: String { "\(item.rawValue):\(formatNumber(quantity)):\(unit.rawValue)" }
}

/// Parses a plain decimal number (`250000`, `1.5`, `-3`, `2e6`), refusing anything else
/// (hex, `nan`, `inf`, thousands separators, surrounding spaces).
public func parseDecimal(_ text: String) -> Double? {
    parseDecimal(text[...])
}

/// The same, for a piece of a longer string (a cell of the compact seizure form).
public func parseDecimal(_ text: Substring) -> Double? {
    var index = text.utf8.startIndex
    let end = text.utf8.endIndex
    let utf8 = text.utf8
    func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
    func digits() -> Int {
        var count = 0
        while index < end, isDigit(utf8[index]) {
            index = utf8.index(after: index)
            count += 1
        }
        return count
    }
    func sign() {
        if index < end, utf8[index] == UInt8(ascii: "-") || utf8[index] == UInt8(ascii: "+") { index = utf8.index(after: index) }
    }
    sign()
    var mantissaDigits = digits()
    var plainInteger = true
    if index < end, utf8[index] == UInt8(ascii: ".") {
        plainInteger = false
        index = utf8.index(after: index)
        mantissaDigits += digits()
    }
    guard mantissaDigits > 0 else { return nil }
    if index < end, utf8[index] == UInt8(ascii: "e") || utf8[index] == UInt8(ascii: "E") {
        plainInteger = false
        index = utf8.index(after: index)
        sign()
        guard digits() > 0 else { return nil }
    }
    guard index == end else { return nil }
    // Most quantities are whole numbers of a few digits: no String, no strtod.
    if plainInteger && mantissaDigits <= 15 {
        var value: Int64 = 0
        var negative = false
        for byte in utf8 {
            if byte == UInt8(ascii: "-") { negative = true } else if isDigit(byte) { value = value * 10 + Int64(byte - 48) }
        }
        return Double(negative ? -value : value)
    }
    guard let value = Double(String(text)), value.isFinite else { return nil }
    return value
}

/// Formats a number without a needless `.0`: `1350000`, `0.25`, `1e-06`.
public func formatNumber(_ value: Double) -> String {
    if value.isFinite, value.rounded(.towardZero) == value, abs(value) < 9.007_199_254_740_992e15 {
        return String(Int64(value))
    }
    return "\(value)"
}

/// A point on the map, both coordinates or neither (SPEC section 2).
public struct Coordinates: Hashable, Sendable {
    public var latitude: Double
    public var longitude: Double

    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }
}

/// An incident case as the service keeps it: the record of SPEC section 2.
public struct Incident: Hashable, Sendable {
    public var id: IncidentID
    /// The human case number (`CR-2025-000123`), assigned by the store on insert.
    public var caseNumber: String?
    public var type: IncidentType
    public var status: IncidentStatus
    public var source: IncidentSource?
    public var occurredAt: OccurredAt
    public var district: String
    public var checkpoint: String?
    public var summary: String
    public var place: String?
    public var coordinates: Coordinates?
    public var arrests: Int
    public var persons: Int
    public var vehicles: Int
    public var victims: Int
    /// Scam losses in Thai baht, when known.
    public var lossTHB: Double?
    public var seizures: [Seizure]

    // Kept by the store, not part of what a file supplies.
    /// The local date of `occurredAt` in the database's zone, the day reports count it on.
    public var localDate: LocalDate?
    /// The officer who logged or imported it.
    public var recordedBy: String?
    /// The officer the case is assigned to.
    public var assignedTo: String?
    /// When the record was created and last changed, RFC 3339 UTC.
    public var createdAt: String?
    public var updatedAt: String?

    public init(id: IncidentID, caseNumber: String? = nil, type: IncidentType, status: IncidentStatus = .open,
                source: IncidentSource? = nil, occurredAt: OccurredAt, district: String, checkpoint: String? = nil,
                summary: String, place: String? = nil, coordinates: Coordinates? = nil,
                arrests: Int = 0, persons: Int = 0, vehicles: Int = 0, victims: Int = 0,
                lossTHB: Double? = nil, seizures: [Seizure] = []) {
        self.id = id
        self.caseNumber = caseNumber
        self.type = type
        self.status = status
        self.source = source
        self.occurredAt = occurredAt
        self.district = district
        self.checkpoint = checkpoint
        self.summary = summary
        self.place = place
        self.coordinates = coordinates
        self.arrests = arrests
        self.persons = persons
        self.vehicles = vehicles
        self.victims = victims
        self.lossTHB = lossTHB
        self.seizures = seizures
    }
}

/// The district and checkpoint codes a record may name: the reference data of the database.
public struct KnownCodes: Sendable {
    public var districts: Set<String>
    public var checkpoints: Set<String>

    public init(districts: Set<String>, checkpoints: Set<String>) {
        self.districts = districts
        self.checkpoints = checkpoints
    }
}

/// A seizure as written, before its item and unit are checked.
public struct SeizureDraft: Hashable, Sendable {
    public var item: String?
    public var quantity: Double?
    public var unit: String?

    public init(item: String?, quantity: Double?, unit: String?) {
        self.item = item
        self.quantity = quantity
        self.unit = unit
    }
}

/// An incident as an officer or a file gives it, before validation.
///
/// Decoders (command-line flags, NDJSON, CSV) fill in what they could read and report type
/// errors themselves; `validate` then applies the rules of SPEC section 2 and returns every
/// problem at once.
public struct IncidentDraft: Sendable {
    public var id: String?
    public var type: String?
    public var occurredAt: String?
    public var district: String?
    public var checkpoint: String?
    public var summary: String?
    public var status: String?
    public var source: String?
    public var place: String?
    public var latitude: Double?
    public var longitude: Double?
    public var arrests: Int?
    public var persons: Int?
    public var vehicles: Int?
    public var victims: Int?
    public var lossTHB: Double?
    public var seizures: [SeizureDraft] = []
    /// Seizures already parsed from the compact form (`--seizure`, the CSV cell).
    public var parsedSeizures: [Seizure] = []
    /// Problems the reader found before validation (a wrong JSON type, an unknown field, a
    /// malformed `--seizure`), reported together with the rest.
    public var readProblems: [FieldProblem] = []

    public init() {}

    /// Applies every rule and returns the incident, or all the problems found.
    ///
    /// - Parameters:
    ///   - known: the district and checkpoint codes of the reference data.
    ///   - newID: makes an id when the draft has none.
    public func validate(known: KnownCodes, newID: () -> IncidentID) throws(ValidationFailure) -> Incident {
        var problems = readProblems
        func check<T>(_ body: () throws(FieldProblem) -> T) -> T? {
            do { return try body() } catch {
                problems.append(error)
                return nil
            }
        }

        var id: IncidentID?
        if let text = self.id {
            id = IncidentID(text)
            if id == nil {
                problems.append(FieldProblem(field: "id", message: "\(quoted(text)) is not a UUID (expected 8-4-4-4-12 hexadecimal digits)"))
            }
        }
        let type = required(self.type, "type", &problems).flatMap { text in check { () throws(FieldProblem) in try IncidentType.parse(text, field: "type") } }
        let occurredAt = required(occurredAt, "occurred_at", &problems).flatMap { text in check { () throws(FieldProblem) in try OccurredAt(text) } }
        let district = required(self.district, "district", &problems)
        if let district, !known.districts.contains(district) {
            problems.append(.unknownReference(field: "district", message: "unknown district code \(quoted(district))"))
        }
        let checkpoint = checkpoint.flatMap { $0.isEmpty ? nil : $0 }
        if let checkpoint, !known.checkpoints.contains(checkpoint) {
            problems.append(.unknownReference(field: "checkpoint", message: "unknown checkpoint code \(quoted(checkpoint))"))
        }
        let summary = required(self.summary, "summary", &problems)
        if let summary {
            problems += TextRule.summary.problems(summary, field: "summary")
        }
        let status = status.flatMap { text in check { () throws(FieldProblem) in try IncidentStatus.parse(text, field: "status") } } ?? (status == nil ? .open : nil)
        let source = source.flatMap { text in check { () throws(FieldProblem) in try IncidentSource.parse(text, field: "source") } }
        let place = place.flatMap { $0.isEmpty ? nil : $0 }
        if let place { problems += TextRule.short.problems(place, field: "place") }

        var coordinates: Coordinates?
        switch (latitude, longitude) {
        case (nil, nil): break
        case let (lat?, lon?):
            if !(lat.isFinite && (-90...90).contains(lat)) {
                problems.append(FieldProblem(field: "lat", message: "latitude \(formatNumber(lat)) is outside -90…90"))
            }
            if !(lon.isFinite && (-180...180).contains(lon)) {
                problems.append(FieldProblem(field: "lon", message: "longitude \(formatNumber(lon)) is outside -180…180"))
            }
            coordinates = Coordinates(latitude: lat, longitude: lon)
        case (nil, _?):
            problems.append(FieldProblem(field: "lat", message: "lat is missing: give both lat and lon, or neither"))
        case (_?, nil):
            problems.append(FieldProblem(field: "lon", message: "lon is missing: give both lat and lon, or neither"))
        }

        func count(_ value: Int?, _ field: String) -> Int {
            guard let value else { return 0 }
            if value < 0 || value > Limits.maximumCount {
                problems.append(FieldProblem(field: field, message: "\(field) must be a whole number from 0 to \(Limits.maximumCount), not \(value)"))
            }
            return value
        }
        let arrests = count(arrests, "arrests")
        let persons = count(persons, "persons")
        let vehicles = count(vehicles, "vehicles")
        let victims = count(victims, "victims")
        if let lossTHB, !(lossTHB.isFinite && lossTHB >= 0 && lossTHB <= Limits.maximumLossTHB) {
            problems.append(FieldProblem(field: "loss_thb", message: "loss_thb must be a number from 0 to \(formatNumber(Limits.maximumLossTHB)), not \(formatNumber(lossTHB))"))
        }

        var seizures = parsedSeizures
        if seizures.count + self.seizures.count > Limits.maximumSeizuresPerIncident {
            problems.append(FieldProblem(field: "seizures", message: "more than \(Limits.maximumSeizuresPerIncident) seizures in one incident"))
        } else {
            for (index, draft) in self.seizures.enumerated() {
                // The field's name is built only when there is a problem to name.
                func field() -> String { "seizures[\(index + 1)]" }
                var item: SeizureItem?
                var unit: QuantityUnit?
                if let text = draft.item {
                    item = SeizureItem(rawValue: text)
                    if item == nil { _ = check { () throws(FieldProblem) in try SeizureItem.parse(text, field: "\(field()).item") } }
                } else {
                    problems.append(FieldProblem(field: "\(field()).item", message: "item is required"))
                }
                if let text = draft.unit {
                    unit = QuantityUnit(rawValue: text)
                    if unit == nil { _ = check { () throws(FieldProblem) in try QuantityUnit.parse(text, field: "\(field()).unit") } }
                } else {
                    problems.append(FieldProblem(field: "\(field()).unit", message: "unit is required"))
                }
                if draft.quantity == nil {
                    problems.append(FieldProblem(field: "\(field()).quantity", message: "quantity is required"))
                }
                if let item, let unit, let quantity = draft.quantity {
                    do { seizures.append(try Seizure(item: item, quantity: quantity, unit: unit)) }
                    catch {
                        let name = field()
                        problems += error.problems.map { FieldProblem(field: name + $0.field.dropFirst("seizures".count), message: $0.message) }
                    }
                }
            }
        }

        guard problems.isEmpty, let type, let occurredAt, let district, let summary, let status else {
            throw ValidationFailure(problems)
        }
        return Incident(
            id: id ?? newID(), type: type, status: status, source: source, occurredAt: occurredAt,
            district: district, checkpoint: checkpoint, summary: summary, place: place, coordinates: coordinates,
            arrests: arrests, persons: persons, vehicles: vehicles, victims: victims, lossTHB: lossTHB, seizures: seizures
        )
    }

    private func required(_ value: String?, _ field: String, _ problems: inout [FieldProblem]) -> String? {
        guard let value, !value.isEmpty else {
            problems.append(FieldProblem(field: field, message: "\(field) is required"))
            return nil
        }
        return value
    }
}

extension FieldProblem {
    /// A problem that names a district, checkpoint, officer or id the database does not know.
    /// On the command line this is exit 69; inside an import file it is bad data (65).
    public static func unknownReference(field: String, message: String) -> FieldProblem {
        var problem = FieldProblem(field: field, message: message)
        problem.isUnknownReference = true
        return problem
    }
}

/// Rules for free text: kept exactly as given, but bounded, never blank, never holding NUL.
public enum TextRule: Sendable {
    case summary
    case short
    case note

    public var maximumLength: Int {
        switch self {
        case .summary: Limits.summaryLength
        case .short: Limits.shortTextLength
        case .note: Limits.noteLength
        }
    }

    public func problems(_ text: String, field: String) -> [FieldProblem] {
        var text = text
        // One pass over the UTF-8: characters are the bytes that start a scalar; NUL and blank
        // are decided on bytes, with the Unicode white-space table only for non-ASCII text.
        var length = 0
        var sawNUL = false
        var asciiBlank = true
        var ascii = true
        text.withUTF8 { bytes in
            for byte in bytes {
                if byte & 0xC0 != 0x80 { length += 1 }
                if byte == 0 { sawNUL = true }
                if byte >= 0x80 { ascii = false }
                if asciiBlank && byte != 0x20 && (byte < 0x09 || byte > 0x0D) { asciiBlank = false }
            }
        }
        if sawNUL { return [FieldProblem(field: field, message: "\(field) contains a NUL character")] }
        if length == 0 { return [FieldProblem(field: field, message: "\(field) is required")] }
        let blank = ascii ? asciiBlank : text.unicodeScalars.allSatisfy(\.properties.isWhitespace)
        if blank { return [FieldProblem(field: field, message: "\(field) is blank")] }
        if length > maximumLength {
            return [FieldProblem(field: field, message: "\(field) is \(length) characters long; the limit is \(maximumLength)")]
        }
        return []
    }
}

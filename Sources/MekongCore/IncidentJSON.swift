/// The JSON form of an incident record (SPEC section 2), as `export`, `--format json` and the
/// HTTP API write it and as `import` reads it.
public enum IncidentJSON {
    /// Fields a record may carry on input.
    public static let inputFields: Set<String> = [
        "id", "type", "occurred_at", "district", "checkpoint", "summary", "status", "source",
        "place", "lat", "lon", "arrests", "persons", "vehicles", "victims", "loss_thb", "seizures",
    ]
    /// Fields the service writes and ignores on input, so an export can be imported again.
    public static let outputOnlyFields: Set<String> = [
        "case_number", "local_date", "recorded_by", "assigned_to", "created_at", "updated_at",
        // Added to records a refused import writes back out, so they can be fixed and imported again.
        "_rejected", "_text",
    ]

    /// Writes `incident` as one JSON object, fields in the order of SPEC section 2.
    ///
    /// - Parameter redacted: leave out what identifies people inside the service (officer
    ///   codes) and round coordinates to 0.1°, for sharing with a partner agency.
    public static func write(_ incident: Incident, to writer: inout JSONWriter, redacted: Bool = false) {
        writer.beginObject()
        writeFields(incident, to: &writer, redacted: redacted)
        writer.endObject()
    }

    /// The record's fields without the enclosing braces, for objects that add more (a case
    /// with its notes and history).
    public static func writeFields(_ incident: Incident, to writer: inout JSONWriter, redacted: Bool = false) {
        writer.field("id", incident.id.description)
        writer.field("case_number", incident.caseNumber)
        writer.field("type", incident.type.rawValue)
        writer.field("status", incident.status.rawValue)
        writer.field("occurred_at", incident.occurredAt.text)
        writer.field("local_date", incident.localDate?.description)
        writer.field("district", incident.district)
        writer.field("checkpoint", incident.checkpoint)
        writer.field("summary", incident.summary)
        writer.field("source", incident.source?.rawValue)
        writer.field("place", incident.place)
        if let coordinates = incident.coordinates {
            writer.field("lat", redacted ? roundToTenth(coordinates.latitude) : coordinates.latitude)
            writer.field("lon", redacted ? roundToTenth(coordinates.longitude) : coordinates.longitude)
        } else {
            writer.field("lat", nil as Double?)
            writer.field("lon", nil as Double?)
        }
        writer.field("arrests", incident.arrests)
        writer.field("persons", incident.persons)
        writer.field("vehicles", incident.vehicles)
        writer.field("victims", incident.victims)
        writer.field("loss_thb", incident.lossTHB)
        writer.key("seizures")
        writer.beginArray()
        for seizure in incident.seizures {
            writer.beginObject()
            writer.field("item", seizure.item.rawValue)
            writer.field("quantity", seizure.quantity)
            writer.field("unit", seizure.unit.rawValue)
            writer.endObject()
        }
        writer.endArray()
        if !redacted {
            writer.field("recorded_by", incident.recordedBy)
            writer.field("assigned_to", incident.assignedTo)
        }
        writer.field("created_at", incident.createdAt)
        writer.field("updated_at", incident.updatedAt)
    }

    /// Rounds a coordinate to one decimal (about 11 km), the precision shared with partners.
    public static func roundToTenth(_ value: Double) -> Double {
        (value * 10).rounded() / 10
    }

    /// Reads one record into a draft, keeping every type problem found (wrong JSON types,
    /// unknown or repeated fields) in `readProblems`. Syntax errors end the record and are thrown.
    public static func read(_ bytes: [UInt8]) throws(JSONSyntaxError) -> IncidentDraft {
        var reader = JSONReader(bytes)
        var draft = IncidentDraft()
        var problems: [FieldProblem] = []
        // Keys seen so far; a list, not a set: a record has a handful, and hashing each costs more.
        var seen: [String] = []
        guard try reader.peek() == .object else {
            throw JSONSyntaxError(offset: 0, message: "a record must be a JSON object")
        }
        try reader.beginObject()
        while let key = try reader.nextKey() {
            if seen.contains(key) {
                problems.append(FieldProblem(field: key, message: "field appears more than once"))
                try reader.skipValue()
                continue
            }
            seen.append(key)
            let field = FieldReader(key: key)
            switch key {
            case "id": draft.id = try field.string(&reader, &problems)
            case "type": draft.type = try field.string(&reader, &problems)
            case "occurred_at": draft.occurredAt = try field.string(&reader, &problems)
            case "district": draft.district = try field.string(&reader, &problems)
            case "checkpoint": draft.checkpoint = try field.string(&reader, &problems)
            case "summary": draft.summary = try field.string(&reader, &problems)
            case "status": draft.status = try field.string(&reader, &problems)
            case "source": draft.source = try field.string(&reader, &problems)
            case "place": draft.place = try field.string(&reader, &problems)
            case "lat": draft.latitude = try field.number(&reader, &problems)
            case "lon": draft.longitude = try field.number(&reader, &problems)
            case "arrests": draft.arrests = try field.integer(&reader, &problems)
            case "persons": draft.persons = try field.integer(&reader, &problems)
            case "vehicles": draft.vehicles = try field.integer(&reader, &problems)
            case "victims": draft.victims = try field.integer(&reader, &problems)
            case "loss_thb": draft.lossTHB = try field.number(&reader, &problems)
            case "seizures": draft.seizures = try field.seizures(&reader, &problems)
            default:
                if !outputOnlyFields.contains(key) {
                    problems.append(FieldProblem(field: key, message: "unknown field (expected: \(inputFields.sorted().joined(separator: ", ")))"))
                }
                try reader.skipValue()
            }
        }
        try reader.finish()
        draft.readProblems = problems
        return draft
    }
}

/// Reads one field's value with the type the record format gives it, turning a wrong type into
/// a problem for that field instead of a failed record.
private struct FieldReader {
    let key: String
    /// The seizure this field belongs to (1-based), if any.
    var seizure: Int? = nil

    /// The field's name in messages, built only when there is a problem to report.
    var field: String { seizure.map { "seizures[\($0)].\(key)" } ?? key }

    func string(_ reader: inout JSONReader, _ problems: inout [FieldProblem]) throws(JSONSyntaxError) -> String? {
        switch try reader.peek() {
        case .string: return try reader.readString()
        case .null:
            try reader.readNull()
            return nil
        case let kind:
            problems.append(FieldProblem(field: field, message: "must be a string, not \(kind.name)"))
            try reader.skipValue()
            return nil
        }
    }

    func number(_ reader: inout JSONReader, _ problems: inout [FieldProblem]) throws(JSONSyntaxError) -> Double? {
        switch try reader.peek() {
        case .number: return try reader.readNumber().value
        case .null:
            try reader.readNull()
            return nil
        case let kind:
            problems.append(FieldProblem(field: field, message: "must be a number, not \(kind.name)"))
            try reader.skipValue()
            return nil
        }
    }

    func integer(_ reader: inout JSONReader, _ problems: inout [FieldProblem]) throws(JSONSyntaxError) -> Int? {
        switch try reader.peek() {
        case .number:
            let (value, integral) = try reader.readNumber()
            guard integral, abs(value) <= Double(Limits.maximumCount) * 10 else {
                problems.append(FieldProblem(field: field, message: "must be a whole number, not \(formatNumber(value))"))
                return nil
            }
            return Int(value)
        case .null:
            try reader.readNull()
            return nil
        case let kind:
            problems.append(FieldProblem(field: field, message: "must be a whole number, not \(kind.name)"))
            try reader.skipValue()
            return nil
        }
    }

    func seizures(_ reader: inout JSONReader, _ problems: inout [FieldProblem]) throws(JSONSyntaxError) -> [SeizureDraft] {
        switch try reader.peek() {
        case .array: break
        case .null:
            try reader.readNull()
            return []
        case let kind:
            problems.append(FieldProblem(field: field, message: "must be an array of {item, quantity, unit}, not \(kind.name)"))
            try reader.skipValue()
            return []
        }
        var drafts: [SeizureDraft] = []
        try reader.beginArray()
        var position = 0
        while try reader.nextElement() {
            position += 1
            if position > Limits.maximumSeizuresPerIncident {
                if position == Limits.maximumSeizuresPerIncident + 1 {
                    problems.append(FieldProblem(field: field, message: "more than \(Limits.maximumSeizuresPerIncident) seizures in one incident"))
                }
                try reader.skipValue()
                continue
            }
            guard try reader.peek() == .object else {
                problems.append(FieldProblem(field: "seizures[\(position)]", message: "must be an object {item, quantity, unit}"))
                try reader.skipValue()
                continue
            }
            var draft = SeizureDraft(item: nil, quantity: nil, unit: nil)
            try reader.beginObject()
            var seen: [String] = []
            while let key = try reader.nextKey() {
                let inner = FieldReader(key: key, seizure: position)
                if seen.contains(key) {
                    problems.append(FieldProblem(field: inner.field, message: "field appears more than once"))
                    try reader.skipValue()
                } else {
                    seen.append(key)
                    switch key {
                    case "item": draft.item = try inner.string(&reader, &problems)
                    case "unit": draft.unit = try inner.string(&reader, &problems)
                    case "quantity": draft.quantity = try inner.number(&reader, &problems)
                    default:
                        problems.append(FieldProblem(field: inner.field, message: "unknown field (expected: item, quantity, unit)"))
                        try reader.skipValue()
                    }
                }
            }
            drafts.append(draft)
        }
        if drafts.count > Limits.maximumSeizuresPerIncident { drafts.removeLast(drafts.count - Limits.maximumSeizuresPerIncident) }
        return drafts
    }
}

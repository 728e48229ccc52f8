/// The CSV form of incident records (SPEC section 2): the columns of the JSON record, with the
/// seizures in one cell in the compact form `item:quantity:unit;…`.
public enum IncidentCSV {
    public static let columns = [
        "id", "case_number", "type", "status", "occurred_at", "local_date", "district", "checkpoint", "summary", "source",
        "place", "lat", "lon", "arrests", "persons", "vehicles", "victims", "loss_thb", "seizures", "recorded_by",
        "assigned_to", "created_at", "updated_at",
    ]
    /// A redacted export leaves out the officer codes.
    public static let redactedColumns = columns.filter { $0 != "recorded_by" && $0 != "assigned_to" }

    /// The header row, with its line break.
    public static func header(redacted: Bool) -> [UInt8] {
        Array(((redacted ? redactedColumns : columns).joined(separator: ",") + "\r\n").utf8)
    }

    /// One record as a CSV row (RFC 4180, CRLF), appended to `out`.
    public static func write(_ incident: Incident, to out: inout [UInt8], redacted: Bool = false) {
        func cell(_ text: String?) {
            guard let text else { return }
            if text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) {
                out.append(UInt8(ascii: "\""))
                for byte in text.utf8 {
                    if byte == UInt8(ascii: "\"") { out.append(byte) }
                    out.append(byte)
                }
                out.append(UInt8(ascii: "\""))
            } else {
                out.append(contentsOf: text.utf8)
            }
        }
        func number(_ value: Double?) -> String? {
            value.map(formatNumber)
        }
        let coordinates = incident.coordinates.map { redacted
            ? (IncidentJSON.roundToTenth($0.latitude), IncidentJSON.roundToTenth($0.longitude))
            : ($0.latitude, $0.longitude) }
        var cells: [String?] = [
            incident.id.description, incident.caseNumber, incident.type.rawValue, incident.status.rawValue,
            incident.occurredAt.text, incident.localDate?.description, incident.district, incident.checkpoint,
            incident.summary, incident.source?.rawValue, incident.place, number(coordinates?.0), number(coordinates?.1),
            String(incident.arrests), String(incident.persons), String(incident.vehicles), String(incident.victims),
            number(incident.lossTHB), incident.seizures.map(\.compact).joined(separator: ";"),
        ]
        if !redacted { cells += [incident.recordedBy, incident.assignedTo] }
        cells += [incident.createdAt, incident.updatedAt]
        for (index, value) in cells.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            cell(value)
        }
        out.append(contentsOf: [0x0D, 0x0A])
    }
}

/// A column of an incident CSV, decided once from the header rather than by name for every cell.
public enum IncidentCSVField: String, Sendable {
    case id, type, district, checkpoint, summary, status, source, place, lat, lon, arrests, persons, vehicles, victims, seizures
    case occurredAt = "occurred_at"
    case lossTHB = "loss_thb"

    /// Puts one cell into the draft, reading numbers; a value that does not read is a problem
    /// of that field, reported with the others.
    public func set(_ value: String, in draft: inout IncidentDraft) {
        func number() -> Double? {
            if let number = parseDecimal(value) { return number }
            draft.readProblems.append(FieldProblem(field: rawValue, message: "\(quoted(value)) is not a number"))
            return nil
        }
        func integer() -> Int? {
            if let number = Int(value) { return number }
            draft.readProblems.append(FieldProblem(field: rawValue, message: "\(quoted(value)) is not a whole number"))
            return nil
        }
        switch self {
        case .id: draft.id = value
        case .type: draft.type = value
        case .occurredAt: draft.occurredAt = value
        case .district: draft.district = value
        case .checkpoint: draft.checkpoint = value
        case .summary: draft.summary = value
        case .status: draft.status = value
        case .source: draft.source = value
        case .place: draft.place = value
        case .lat: draft.latitude = number()
        case .lon: draft.longitude = number()
        case .arrests: draft.arrests = integer()
        case .persons: draft.persons = integer()
        case .vehicles: draft.vehicles = integer()
        case .victims: draft.victims = integer()
        case .lossTHB: draft.lossTHB = number()
        case .seizures:
            do { draft.parsedSeizures = try Seizure.parseList(value) }
            catch { draft.readProblems += error.problems }
        }
    }
}

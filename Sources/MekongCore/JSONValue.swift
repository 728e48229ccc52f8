/// A JSON value held in memory: for audit details and canonical encodings, where a record is
/// compared, changed field by field and hashed. (Imports and exports stream instead.)
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(_ value: String?) { self = value.map(JSONValue.string) ?? .null }
    public init(_ value: Double?) { self = value.map(JSONValue.number) ?? .null }
    public init(_ value: Int?) { self = value.map { .number(Double($0)) } ?? .null }

    /// Reads one JSON document.
    public init(parsing bytes: [UInt8]) throws(JSONSyntaxError) {
        var reader = JSONReader(bytes)
        self = try JSONValue.read(&reader)
        try reader.finish()
    }

    public init(parsing text: String) throws(JSONSyntaxError) {
        try self.init(parsing: Array(text.utf8))
    }

    private static func read(_ reader: inout JSONReader) throws(JSONSyntaxError) -> JSONValue {
        switch try reader.peek() {
        case .null:
            try reader.readNull()
            return .null
        case .bool: return .bool(try reader.readBool())
        case .number: return .number(try reader.readNumber().value)
        case .string: return .string(try reader.readString())
        case .array:
            try reader.beginArray()
            var items: [JSONValue] = []
            while try reader.nextElement() { items.append(try read(&reader)) }
            return .array(items)
        case .object:
            try reader.beginObject()
            var fields: [String: JSONValue] = [:]
            while let key = try reader.nextKey() { fields[key] = try read(&reader) }
            return .object(fields)
        }
    }

    /// Writes the value with object keys sorted, so equal values always give equal bytes:
    /// the canonical form the audit chain hashes.
    public func write(to writer: inout JSONWriter) {
        switch self {
        case .null: writer.null()
        case .bool(let value): writer.bool(value)
        case .number(let value): writer.number(value)
        case .string(let value): writer.string(value)
        case .array(let items):
            writer.beginArray()
            for item in items { item.write(to: &writer) }
            writer.endArray()
        case .object(let fields):
            writer.beginObject()
            for key in fields.keys.sorted() {
                writer.key(key)
                fields[key]!.write(to: &writer)
            }
            writer.endObject()
        }
    }

    /// The canonical text: compact, keys sorted.
    public var canonical: String {
        var writer = JSONWriter()
        write(to: &writer)
        return writer.text
    }

    public var canonicalBytes: [UInt8] {
        var writer = JSONWriter()
        write(to: &writer)
        return writer.bytes
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let fields) = self { return fields[key] }
        return nil
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var numberValue: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    public var intValue: Int? {
        if case .number(let value) = self, value.rounded(.towardZero) == value, abs(value) < 9e15 { return Int(value) }
        return nil
    }

    public var objectValue: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }
}

extension Incident {
    /// The canonical encoding of `auditState` (keys sorted, compact), written straight out with
    /// no dictionary in between: what an import hashes for every record. A test holds it equal
    /// to `JSONValue.object(auditState).canonicalBytes` (without `case_number` when
    /// `includingCaseNumber` is false).
    public func writeAuditState(to json: inout JSONWriter, includingCaseNumber: Bool = true) {
        json.beginObject()
        json.field("arrests", arrests)
        json.field("assigned_to", assignedTo)
        if includingCaseNumber { json.field("case_number", caseNumber) }
        json.field("checkpoint", checkpoint)
        json.field("created_at", createdAt)
        json.field("district", district)
        json.field("id", id.description)
        json.field("lat", coordinates?.latitude)
        json.field("lon", coordinates?.longitude)
        json.field("loss_thb", lossTHB)
        json.field("occurred_at", occurredAt.text)
        json.field("persons", persons)
        json.field("place", place)
        json.field("recorded_by", recordedBy)
        json.key("seizures")
        json.beginArray()
        for seizure in seizures {
            json.beginObject()
            json.field("item", seizure.item.rawValue)
            json.field("quantity", seizure.quantity)
            json.field("recorded_quantity", seizure.recordedQuantity)
            json.field("recorded_unit", seizure.recordedUnit.rawValue)
            json.field("unit", seizure.unit.rawValue)
            json.endObject()
        }
        json.endArray()
        json.field("source", source?.rawValue)
        json.field("status", status.rawValue)
        json.field("summary", summary)
        json.field("type", type.rawValue)
        json.field("vehicles", vehicles)
        json.field("victims", victims)
        json.endObject()
    }

    /// The fields of the record that the audit trail vouches for, as one JSON object.
    ///
    /// It holds everything an officer states or changes (seizures with the quantities as
    /// recorded, the case number, the assignment, who recorded it and when) and nothing derived
    /// (the local date is recomputed from `occurred_at` when checked) or bookkeeping that
    /// changes on every write (`updated_at`).
    public var auditState: [String: JSONValue] {
        [
            "id": .string(id.description),
            "case_number": JSONValue(caseNumber),
            "type": .string(type.rawValue),
            "status": .string(status.rawValue),
            "source": JSONValue(source?.rawValue),
            "occurred_at": .string(occurredAt.text),
            "district": .string(district),
            "checkpoint": JSONValue(checkpoint),
            "summary": .string(summary),
            "place": JSONValue(place),
            "lat": JSONValue(coordinates?.latitude),
            "lon": JSONValue(coordinates?.longitude),
            "arrests": .number(Double(arrests)),
            "persons": .number(Double(persons)),
            "vehicles": .number(Double(vehicles)),
            "victims": .number(Double(victims)),
            "loss_thb": JSONValue(lossTHB),
            "seizures": .array(seizures.map { seizure in
                .object([
                    "item": .string(seizure.item.rawValue),
                    "quantity": .number(seizure.quantity),
                    "unit": .string(seizure.unit.rawValue),
                    "recorded_quantity": .number(seizure.recordedQuantity),
                    "recorded_unit": .string(seizure.recordedUnit.rawValue),
                ])
            }),
            "assigned_to": JSONValue(assignedTo),
            "recorded_by": JSONValue(recordedBy),
            "created_at": JSONValue(createdAt),
        ]
    }
}

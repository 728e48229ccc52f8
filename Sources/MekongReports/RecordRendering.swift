import MekongCore
import MekongStore

/// JSON and text shapes of cases, notes, audit entries and officers, shared by the command
/// line and the HTTP API.
public enum RecordRendering {
    /// The record of SPEC section 2, as a JSON object.
    public static func incident(_ incident: Incident, to json: inout JSONWriter) {
        IncidentJSON.write(incident, to: &json)
    }

    /// A case: the record, then its notes, links, history and (for supervisors) informant.
    public static func incidentCase(_ item: IncidentCase, to json: inout JSONWriter) {
        json.beginObject()
        IncidentJSON.writeFields(item.incident, to: &json)
        json.key("notes")
        json.beginArray()
        for note in item.notes { self.note(note, to: &json) }
        json.endArray()
        json.key("links")
        json.beginArray()
        for link in item.links {
            json.beginObject()
            json.field("id", link.id.description)
            json.field("case_number", link.caseNumber)
            json.field("type", link.type.rawValue)
            json.field("summary", link.summary)
            json.endObject()
        }
        json.endArray()
        json.key("history")
        json.beginArray()
        for entry in item.history { auditEntry(entry, to: &json) }
        json.endArray()
        if let informant = item.informant {
            json.key("informant")
            json.beginObject()
            json.field("name", informant.name)
            json.field("contact", informant.contact)
            json.endObject()
        }
        json.endObject()
    }

    public static func auditEntry(_ entry: AuditEntry, to json: inout JSONWriter) {
        json.beginObject()
        json.field("seq", Int(entry.seq))
        json.field("at", entry.at)
        json.field("officer", entry.officer)
        json.field("action", entry.action)
        json.field("entity", entry.entity)
        json.field("key", entry.key)
        json.key("detail")
        entry.detail.write(to: &json)
        json.field("hash", hexString(entry.hash))
        json.endObject()
    }

    /// One line saying what an entry did: `status: open → investigating`.
    public static func auditSummary(_ entry: AuditEntry) -> String {
        let detail = entry.detail
        switch entry.action {
        case "incident.update":
            let changes = detail["changes"]?.objectValue ?? [:]
            var parts = changes.keys.sorted().map { key in
                "\(key): \(short(changes[key]?["old"])) → \(short(changes[key]?["new"]))"
            }
            if let reason = detail["reason"]?.stringValue { parts.append("reason: \(reason)") }
            return parts.joined(separator: "; ")
        case "incident.create":
            return "logged \(detail["incident"]?["case_number"]?.stringValue ?? "")"
        case "incident.import":
            let inserted = detail["inserted"]?.intValue ?? 0, duplicates = detail["duplicates"]?.intValue ?? 0
            return "imported \(inserted) of \(detail["records"]?.intValue ?? 0) records from \(detail["source"]?.stringValue ?? "?") (\(duplicates) duplicates), sha256 \(String((detail["sha256"]?.stringValue ?? "").prefix(12)))…"
        case "incident.note":
            return "note: " + short(detail["text"])
        case "incident.link":
            return "linked to \(detail["other"]?.stringValue ?? "?")"
        case "informant.set", "informant.replace":
            return "informant details recorded (protected)"
        case "informant.view":
            return "informant details viewed"
        case "officer.add":
            return "added \(detail["officer"]?["code"]?.stringValue ?? "") (\(detail["officer"]?["role"]?.stringValue ?? ""))"
        case "token.issue":
            return "issued an HTTP token (\(detail["fingerprint"]?.stringValue ?? ""))"
        case "token.revoke":
            return "revoked \(detail["revoked"]?.intValue ?? 0) HTTP token(s)"
        case "officer.update", "checkpoint.update":
            let before = detail["before"]?.objectValue ?? [:], after = detail["after"]?.objectValue ?? [:]
            return after.keys.sorted().filter { before[$0] != after[$0] }
                .map { "\($0): \(short(before[$0])) → \(short(after[$0]))" }.joined(separator: "; ")
        case "checkpoint.add":
            return "added \(detail["checkpoint"]?["code"]?.stringValue ?? "") \(detail["checkpoint"]?["name"]?.stringValue ?? "")"
        case "db.backup":
            return "backed up to \(detail["path"]?.stringValue ?? "?")"
        case "db.restore":
            return "restored from \(detail["path"]?.stringValue ?? "?")"
        case "traffic.log":
            return "\(detail["date"]?.stringValue ?? "") \(detail["before"] == nil ? "logged" : "replaced")"
        case "traffic.import":
            return "imported \(detail["rows"]?.intValue ?? 0) traffic rows from \(detail["source"]?.stringValue ?? "?")"
        case "reference.load":
            return "reference data of \(detail["province"]?.stringValue ?? "?"): \(detail["districts_added"]?.intValue ?? 0) districts, \(detail["checkpoints_added"]?.intValue ?? 0) checkpoints, \(detail["agencies_added"]?.intValue ?? 0) agencies added"
        default:
            return short(detail, limit: 80)
        }
    }

    /// A value shortened to one line of at most `limit` characters.
    public static func short(_ value: JSONValue?, limit: Int = 40) -> String {
        guard let value else { return "—" }
        let text: String
        switch value {
        case .null: text = "—"
        case .string(let string): text = string
        default: text = value.canonical
        }
        let flat = text.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
        return flat.count > limit ? String(flat.prefix(limit)) + "…" : flat
    }

    public static func note(_ note: CaseNote, to json: inout JSONWriter) {
        json.beginObject()
        json.field("seq", Int(note.seq))
        json.field("officer", note.officer)
        json.field("created_at", note.createdAt)
        json.field("text", note.text)
        json.endObject()
    }

    /// A search result: the record, which texts matched, and SQLite's BM25 rank.
    public static func searchHit(_ hit: SearchHit, to json: inout JSONWriter) {
        json.beginObject()
        IncidentJSON.writeFields(hit.incident, to: &json)
        json.key("matched")
        json.beginArray()
        for field in hit.matched { json.string(field) }
        json.endArray()
        json.field("rank", hit.rank)
        json.endObject()
    }

    /// The result of `audit verify`: `ok`, the first fault (or null), the counts, every fault.
    public static func auditVerification(_ result: AuditVerification, to json: inout JSONWriter) {
        json.beginObject()
        json.field("ok", result.ok)
        json.field("fault", result.faults.first?.message)
        json.field("entries", result.entries)
        json.field("incidents", result.incidents)
        json.field("notes", result.notes)
        json.field("links", result.links)
        json.key("faults")
        json.beginArray()
        for fault in result.faults { json.string(fault.message) }
        json.endArray()
        json.field("more_faults", result.moreFaults)
        json.endObject()
    }

    /// One day's crossings through a checkpoint, and whether it replaced figures logged before.
    public static func trafficDay(_ day: TrafficDay, replaced: Bool, to json: inout JSONWriter) {
        json.beginObject()
        json.field("checkpoint", day.checkpoint)
        json.field("date", day.date.description)
        json.field("persons_in", day.personsIn)
        json.field("persons_out", day.personsOut)
        json.field("vehicles_in", day.vehiclesIn)
        json.field("vehicles_out", day.vehiclesOut)
        json.field("out_of_hours", day.outOfHours)
        json.field("replaced", replaced)
        json.endObject()
    }

    public static func district(_ district: District, to json: inout JSONWriter) {
        json.beginObject()
        json.field("code", district.code)
        json.field("name", district.name)
        json.field("name_local", district.nameLocal)
        json.field("province", district.province)
        json.field("country", district.country)
        json.field("lat", district.latitude)
        json.field("lon", district.longitude)
        json.key("border")
        json.beginArray()
        for country in district.border { json.string(country) }
        json.endArray()
        json.field("notes", district.notes)
        json.endObject()
    }

    public static func officer(_ officer: Officer, to json: inout JSONWriter) {
        json.beginObject()
        json.field("code", officer.code)
        json.field("name", officer.name)
        json.field("role", officer.role.rawValue)
        json.field("agency", officer.agency)
        json.field("active", officer.active)
        json.endObject()
    }

    public static func checkpoint(_ checkpoint: Checkpoint, to json: inout JSONWriter) {
        json.beginObject()
        json.field("code", checkpoint.code)
        json.field("name", checkpoint.name)
        json.field("name_local", checkpoint.nameLocal)
        json.field("kind", checkpoint.kind.rawValue)
        json.field("district", checkpoint.district)
        json.field("lat", checkpoint.latitude)
        json.field("lon", checkpoint.longitude)
        json.field("counterpart", checkpoint.counterpart)
        json.field("opens", checkpoint.opens?.description)
        json.field("closes", checkpoint.closes?.description)
        json.field("status", checkpoint.status.rawValue)
        json.field("notes", checkpoint.notes)
        json.endObject()
    }
}

/// Hex digits of bytes (a hash).
public func hexString(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    return String(decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xF)]] }, as: UTF8.self)
}

import Foundation
import GRDB
import MekongCore

/// Something `audit verify` found wrong: an entry altered or missing, or a record that is not
/// what the audit trail says it should be.
public struct AuditFault: Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// What `audit verify` checked, and the faults it found (the first ones, up to a limit).
public struct AuditVerification: Sendable {
    public var entries = 0
    public var incidents = 0
    public var notes = 0
    public var links = 0
    public var faults: [AuditFault] = []
    /// Faults found beyond the reported ones.
    public var moreFaults = 0

    public var ok: Bool { faults.isEmpty }
}

extension AppDatabase {
    /// Recomputes the audit chain and rebuilds, from the trail, what every incident, note and
    /// link should be, then compares with what is stored.
    ///
    /// Reports an edited or removed entry, an incident edited or deleted or added outside
    /// mekong, and a note or link that does not match the trail. Memory holds only the changes
    /// made by updates; incidents are checked in one pass beside the entries that created them.
    public func verifyAudit(maximumFaults: Int = 20) throws -> AuditVerification {
        try read { db in
            var verifier = AuditVerifier(db: db, maximumFaults: maximumFaults, calendar: try Settings.calendar(db))
            try verifier.checkChain()
            try verifier.checkIncidents()
            try verifier.checkNotesAndLinks()
            return verifier.result
        }
    }
}

/// The checks of `verifyAudit`, in order.
private struct AuditVerifier {
    let db: Database
    let maximumFaults: Int
    let calendar: LocalCalendar
    var result = AuditVerification()

    /// Changes recorded by update entries, per incident id, oldest first.
    var updates: [String: [(entry: Int64, changes: [String: JSONValue])]] = [:]
    /// Notes and links the trail says exist.
    var notes: [Int64: (entry: Int64, incident: String, text: String)] = [:]
    var links: Set<[String]> = []

    init(db: Database, maximumFaults: Int, calendar: LocalCalendar) {
        self.db = db
        self.maximumFaults = maximumFaults
        self.calendar = calendar
    }

    mutating func fault(_ message: String) {
        if result.faults.count < maximumFaults {
            result.faults.append(AuditFault(message: message))
        } else {
            result.moreFaults += 1
        }
    }

    /// Every entry follows the one before it, and its hash matches its contents.
    mutating func checkChain() throws {
        var previous = AuditLog.genesis
        var expectedSeq: Int64 = 1
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT seq, at, officer, action, entity, entity_key, CAST(detail AS BLOB) AS detail, prev_hash, hash
            FROM audit_log ORDER BY seq
            """)
        while let row = try cursor.next() {
            result.entries += 1
            let seq: Int64 = row["seq"]
            let detail = Array(row["detail"] as Data)
            let stored = Array(row["hash"] as Data)
            if seq != expectedSeq {
                fault("audit entry \(expectedSeq)\(seq > expectedSeq + 1 ? "–\(seq - 1)" : "") is missing: the trail jumps from entry \(expectedSeq - 1) to \(seq)")
            } else if Array(row["prev_hash"] as Data) != previous {
                fault("audit entry \(seq) does not follow entry \(seq - 1): the chain is broken there")
            }
            let computed = AuditLog.entryHash(previous: Array(row["prev_hash"] as Data), seq: seq, at: row["at"], officer: row["officer"],
                                              action: row["action"], entity: row["entity"], key: row["entity_key"], detail: detail)
            if computed != stored {
                fault("audit entry \(seq) (\(row["action"] as String)) has been altered: its hash does not match its contents")
            }
            previous = stored
            expectedSeq = seq + 1
            try collect(seq: seq, action: row["action"], key: row["entity_key"], detail: detail)
        }
    }

    /// Keeps what later checks need from an entry.
    mutating func collect(seq: Int64, action: String, key: String?, detail: [UInt8]) throws {
        switch action {
        case "incident.update", "incident.note", "incident.link":
            guard let key, let value = try? JSONValue(parsing: detail) else {
                fault("audit entry \(seq) (\(action)) cannot be read")
                return
            }
            if action == "incident.update" {
                updates[key, default: []].append((seq, value["changes"]?.objectValue ?? [:]))
            } else if action == "incident.note", let note = value["note"]?.intValue, let text = value["text"]?.stringValue {
                notes[Int64(note)] = (seq, key, text)
            } else if let other = value["other"]?.stringValue {
                links.insert([key, other].sorted())
            }
        default:
            break
        }
    }

    /// Every incident is claimed by the entry that created it (one, or an import of many), and
    /// is what that entry and the updates after it say.
    mutating func checkIncidents() throws {
        let creations = try Row.fetchCursor(db, sql: """
            SELECT seq, action, CAST(detail AS BLOB) AS detail FROM audit_log
            WHERE action IN ('incident.create', 'incident.import') ORDER BY seq
            """)
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM incidents ORDER BY seq")
        var seizures = SeizureStream(cursor: try Row.fetchCursor(db, sql: """
            SELECT incident, item, quantity, unit, recorded_quantity, recorded_unit FROM seizures ORDER BY incident, position
            """))
        var pendingRow = try rows.next()

        while let creation = try creations.next() {
            let entry: Int64 = creation["seq"]
            guard let detail = try? JSONValue(parsing: Array(creation["detail"] as Data)) else { continue }
            let first: Int64, last: Int64
            var claimed: JSONValue?
            if creation["action"] as String == "incident.create" {
                guard let seq = detail["seq"]?.intValue else { continue }
                first = Int64(seq)
                last = first
                claimed = detail["incident"]
            } else {
                guard let from = detail["first_seq"]?.intValue, let to = detail["last_seq"]?.intValue else { continue }
                first = Int64(from)
                last = Int64(to)
            }
            // Rows before this entry's first are claimed by no entry.
            while let row = pendingRow, (row["seq"] as Int64) < first {
                try unclaimed(row, seizures: &seizures)
                pendingRow = try rows.next()
            }
            var digest = ImportDigest()
            var expected = first
            while let row = pendingRow, (row["seq"] as Int64) <= last {
                let seq: Int64 = row["seq"]
                if seq > expected { missing(expected..<seq, entry: entry, claimed: claimed) }
                let stored = (row["created_hash"] as Data?).map(Array.init)
                try check(row, seizures: &seizures, entry: entry, claimed: claimed)
                if let stored { digest.add(stored, caseNumber: row["case_number"] as String? ?? "") }
                expected = seq + 1
                pendingRow = try rows.next()
            }
            if expected <= last { missing(expected..<(last + 1), entry: entry, claimed: claimed) }
            if creation["action"] as String == "incident.import", digest.count == Int(last - first + 1),
               digest.finish() != detail["created_digest"]?.stringValue {
                fault("the incidents of the import in audit entry \(entry) are not those it imported (their digest differs)")
            }
        }
        while let row = pendingRow {
            try unclaimed(row, seizures: &seizures)
            pendingRow = try rows.next()
        }
    }

    mutating func missing(_ seqs: Range<Int64>, entry: Int64, claimed: JSONValue?) {
        if let claimed, let id = claimed["id"]?.stringValue {
            fault("incident \(claimed["case_number"]?.stringValue ?? "") (\(id)), created in audit entry \(entry), is missing: it was deleted")
        } else {
            fault("\(seqs.count) incident\(seqs.count == 1 ? "" : "s") imported in audit entry \(entry) \(seqs.count == 1 ? "is" : "are") missing (row \(seqs.lowerBound)\(seqs.count > 1 ? "–\(seqs.upperBound - 1)" : "")): deleted")
        }
    }

    mutating func unclaimed(_ row: Row, seizures: inout SeizureStream) throws {
        result.incidents += 1
        _ = try seizures.take(row["seq"])
        let id = (row["id"] as Data?).flatMap { IncidentID(bytes: $0) }?.description ?? "?"
        fault("incident \(row["case_number"] as String? ?? "?") (\(id)) is not in the audit trail: it was added outside mekong")
    }

    /// One incident against its creating entry and the updates since.
    mutating func check(_ row: Row, seizures: inout SeizureStream, entry: Int64, claimed: JSONValue?) throws {
        result.incidents += 1
        let seq: Int64 = row["seq"]
        let list = try seizures.take(seq)
        guard let incident = try? IncidentReader.incident(row, seizures: list) else {
            fault("incident row \(seq) cannot be read: it was damaged outside mekong")
            return
        }
        let name = "incident \(incident.caseNumber ?? "?") (\(incident.id))"
        // Derived columns must follow from occurred_at, or the incident counts on the wrong day.
        if row["local_date"] as String != incident.occurredAt.localDate(in: calendar).description
            || row["occurred_utc"] as Int64 != incident.occurredAt.instant(in: calendar) {
            fault("\(name): its local date or instant no longer follows from occurred_at \(quoted(incident.occurredAt.text)): changed outside mekong")
        }
        // Walk back from the current state through the updates to the state it was created with.
        var state = incident.auditState
        for update in (updates[incident.id.description] ?? []).reversed() {
            for (field, change) in update.changes {
                if state[field] != change["new"] {
                    fault("\(name): \(field) is \(describe(state[field])) but the audit trail (entry \(update.entry)) says \(describe(change["new"])): changed outside mekong")
                    return
                }
                state[field] = change["old"] ?? .null
            }
        }
        let hash = AuditLog.stateHash(state)
        if let claimed {
            if let claimedState = claimed.objectValue, claimedState != state {
                let fields = Set(claimedState.keys).union(state.keys).filter { claimedState[$0] != state[$0] }.sorted()
                fault("\(name) differs from what audit entry \(entry) created (\(fields.joined(separator: ", "))): changed outside mekong")
                return
            }
        }
        guard let stored = row["created_hash"] as Data? else {
            fault("\(name) has no creation hash: it was not written by mekong")
            return
        }
        if Array(stored) != hash {
            fault("\(name) is not what was \(claimed == nil ? "imported" : "created") in audit entry \(entry): changed outside mekong")
        }
    }

    /// Notes and links match the entries that made them.
    mutating func checkNotesAndLinks() throws {
        let noteRows = try Row.fetchCursor(db, sql: """
            SELECT n.seq, n.text, i.id FROM notes n LEFT JOIN incidents i ON i.seq = n.incident ORDER BY n.seq
            """)
        var seen: Set<Int64> = []
        while let row = try noteRows.next() {
            result.notes += 1
            let seq: Int64 = row["seq"]
            seen.insert(seq)
            let incident = (row["id"] as Data?).flatMap { IncidentID(bytes: $0) }?.description
            guard let expected = notes[seq] else {
                fault("note \(seq) is not in the audit trail: it was added outside mekong")
                continue
            }
            if expected.incident != incident || expected.text != row["text"] as String {
                fault("note \(seq) differs from what audit entry \(expected.entry) recorded: changed outside mekong")
            }
        }
        for (seq, expected) in notes.sorted(by: { $0.key < $1.key }) where !seen.contains(seq) {
            fault("note \(seq), recorded in audit entry \(expected.entry), is missing: it was deleted")
        }
        var stored: Set<[String]> = []
        for row in try Row.fetchAll(db, sql: """
            SELECT a.id AS a, b.id AS b FROM links l JOIN incidents a ON a.seq = l.incident JOIN incidents b ON b.seq = l.other
            """) {
            result.links += 1
            let pair = [IncidentID(bytes: row["a"] as Data)!.description, IncidentID(bytes: row["b"] as Data)!.description].sorted()
            stored.insert(pair)
            if !links.contains(pair) { fault("the link between \(pair[0]) and \(pair[1]) is not in the audit trail") }
        }
        for pair in links.sorted(by: { $0.joined() < $1.joined() }) where !stored.contains(pair) {
            fault("the link between \(pair[0]) and \(pair[1]) recorded in the audit trail is missing")
        }
    }

    func describe(_ value: JSONValue?) -> String {
        guard let value else { return "absent" }
        let text = value.canonical
        return text.count > 60 ? String(text.prefix(60)) + "…" : text
    }
}

/// Seizures read in incident order beside the incidents, so a million incidents are checked
/// without a query each.
private struct SeizureStream {
    let cursor: RowCursor
    var pending: Row?
    var started = false

    init(cursor: RowCursor) {
        self.cursor = cursor
    }

    mutating func take(_ seq: Int64) throws -> [Seizure] {
        if !started {
            pending = try cursor.next()
            started = true
        }
        var out: [Seizure] = []
        while let row = pending, (row["incident"] as Int64) <= seq {
            if row["incident"] as Int64 == seq { out.append(IncidentReader.seizure(row)) }
            pending = try cursor.next()
        }
        return out
    }
}

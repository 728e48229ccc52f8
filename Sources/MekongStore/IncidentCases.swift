import Foundation
import GRDB
import MekongCore

/// A note on a case: appended, never edited.
public struct CaseNote: Sendable, Hashable {
    public var seq: Int64
    public var officer: String
    public var createdAt: String
    public var text: String
}

/// Informant details of a tip-off, kept apart from the incident.
public struct Informant: Sendable, Hashable {
    public var name: String
    public var contact: String?

    public init(name: String, contact: String?) {
        self.name = name
        self.contact = contact
    }
}

/// Everything `incident show` tells about a case.
public struct IncidentCase: Sendable {
    public var incident: Incident
    public var notes: [CaseNote]
    /// Related incidents, whichever side the link was made from.
    public var links: [LinkedIncident]
    public var history: [AuditEntry]
    /// Only for supervisors and admins; nil otherwise (or when none is on file).
    public var informant: Informant?
}

public struct LinkedIncident: Sendable, Hashable {
    public var id: IncidentID
    public var caseNumber: String
    public var type: IncidentType
    public var summary: String
}

/// What `incident update` may change: status, assignment, and corrections with a reason.
public struct IncidentChanges: Sendable {
    public var status: IncidentStatus?
    /// `.some(nil)` unassigns.
    public var assignTo: String??
    /// Field corrections, in the form of a partial record (fields left nil stay as they are).
    public var corrections = IncidentDraft()
    /// Replace all seizures with these (compact form, canonicalised by the draft rules), and
    /// with those of `corrections.seizures` (as a record gives them); nil keeps them.
    public var seizures: [Seizure]?
    /// Why the fields were corrected; required for corrections.
    public var reason: String?

    public init() {}

    /// Whether any field is corrected (which needs a reason).
    public var hasCorrections: Bool {
        let c = corrections
        let what = c.type != nil || c.occurredAt != nil || c.district != nil || c.checkpoint != nil || c.summary != nil
        let how = c.source != nil || c.place != nil || c.latitude != nil || c.longitude != nil
        let counts = c.arrests != nil || c.persons != nil || c.vehicles != nil || c.victims != nil || c.lossTHB != nil
        return what || how || counts || seizures != nil || !c.readProblems.isEmpty
    }
}

extension AppDatabase {
    /// Logs one incident for `officer`, with its audit entry, and returns it as stored.
    public func logIncident(_ draft: IncidentDraft, officer: String?) throws -> Incident {
        try write { db in
            let actor = try Authorizer.require(db, officer: officer, for: .logIncident)
            var generator = IncidentIDGenerator()
            var incident = try draft.validate(known: try KnownCodes.fetch(db)) {
                generator.next(nowMilliseconds: nowMilliseconds())
            }
            // Logging a case as closed closes it: the same right as closing one.
            if incident.status == .closed { _ = try Authorizer.require(db, officer: actor.code, for: .closeOrReopen) }
            var writer = try IncidentWriter(db)
            if try writer.exists(incident.id) {
                throw MekongError(.conflict, "an incident with id \(incident.id) exists already")
            }
            let now = nowTimestamp()
            let (seq, _) = try writer.insert(&incident, recordedBy: actor.code, now: now)
            try writer.finish()
            try AuditLog.append(db, officer: actor.code, action: "incident.create", entity: "incident", key: incident.id.description,
                                detail: .object(["seq": .number(Double(seq)), "incident": .object(incident.auditState)]), at: now)
            return incident
        }
    }

    /// Changes a case's status, assignment or fields, recording old and new values.
    ///
    /// Officers move cases forward and correct fields (with a reason); closing, reopening and
    /// assigning are for supervisors. A change that changes nothing writes nothing.
    public func updateIncident(_ reference: String, changes: IncidentChanges, officer: String?) throws -> Incident {
        try write { db in
            let actor = try Authorizer.require(db, officer: officer, for: .updateIncident)
            let row = try IncidentReader.requireRow(db, reference: reference)
            let before = try IncidentReader.incident(row, db: db)
            var after = before

            if changes.hasCorrections {
                guard let reason = changes.reason, TextRule.short.problems(reason, field: "reason").isEmpty else {
                    throw MekongError(.usage, "corrections need a reason (--reason TEXT; \"reason\" over HTTP): what was wrong, and where the right value comes from", field: "reason")
                }
                var draft = IncidentDraft(before)
                draft.merge(changes.corrections)
                if let seizures = changes.seizures {
                    draft.seizures = changes.corrections.seizures
                    draft.parsedSeizures = seizures
                }
                var corrected = try draft.validate(known: try KnownCodes.fetch(db)) { before.id }
                corrected.caseNumber = before.caseNumber
                corrected.status = after.status
                corrected.assignedTo = before.assignedTo
                corrected.recordedBy = before.recordedBy
                corrected.createdAt = before.createdAt
                after = corrected
            }
            if let status = changes.status, status != before.status {
                guard let move = before.status.move(to: status) else {
                    let next = before.status.nextStatuses.map(\.rawValue).joined(separator: ", ")
                    throw MekongError(.conflict, "\(before.caseNumber ?? reference) is \(before.status.rawValue) and cannot become \(status.rawValue) (it may become: \(next))")
                }
                _ = try Authorizer.require(db, officer: actor.code, for: move.action)
                after.status = status
            }
            if let assignee = changes.assignTo {
                _ = try Authorizer.require(db, officer: actor.code, for: .assign)
                if let assignee {
                    guard let officer = try Officer.fetch(db, code: assignee) else {
                        throw MekongError(.unknownReference, "unknown officer \(quoted(assignee)) (see `mekong officer list`)", field: "assigned_to")
                    }
                    guard officer.active, officer.role != .analyst else {
                        throw MekongError(.conflict, "\(assignee) cannot be assigned cases (\(officer.active ? "an analyst" : "deactivated"))", field: "assigned_to")
                    }
                }
                after.assignedTo = assignee
            }

            let old = before.auditState
            let new = after.auditState
            var diff: [String: JSONValue] = [:]
            for key in new.keys.sorted() where old[key] != new[key] {
                diff[key] = .object(["old": old[key] ?? .null, "new": new[key] ?? .null])
            }
            if diff.isEmpty { return before }

            let calendar = try Settings.calendar(db)
            let now = nowTimestamp()
            after.localDate = after.occurredAt.localDate(in: calendar)
            after.updatedAt = now
            let seq: Int64 = row["seq"]
            try db.execute(sql: """
                UPDATE incidents SET type = ?, status = ?, source = ?, occurred_at = ?, occurred_utc = ?, local_date = ?,
                    district = ?, checkpoint = ?, summary = ?, place = ?, lat = ?, lon = ?, arrests = ?, persons = ?,
                    vehicles = ?, victims = ?, loss_thb = ?, assigned_to = ?, updated_at = ?
                WHERE seq = ?
                """, arguments: [after.type.rawValue, after.status.rawValue, after.source?.rawValue, after.occurredAt.text,
                                 after.occurredAt.instant(in: calendar), after.localDate?.description, after.district,
                                 after.checkpoint, after.summary, after.place, after.coordinates?.latitude,
                                 after.coordinates?.longitude, after.arrests, after.persons, after.vehicles, after.victims,
                                 after.lossTHB, after.assignedTo, now, seq])
            let instant = after.occurredAt.instant(in: calendar)
            if diff["seizures"] != nil {
                try db.execute(sql: "DELETE FROM seizures WHERE incident = ?", arguments: [seq])
                for (index, seizure) in after.seizures.enumerated() {
                    try db.execute(sql: """
                        INSERT INTO seizures (incident, position, district, occurred_utc, item, quantity, unit, recorded_quantity, recorded_unit)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [seq, index + 1, after.district, instant, seizure.item.rawValue, seizure.quantity,
                                         seizure.unit.rawValue, seizure.recordedQuantity, seizure.recordedUnit.rawValue])
                }
            } else if diff["district"] != nil || diff["occurred_at"] != nil {
                // Keep the seizures' copy of where and when in step with the incident.
                try db.execute(sql: "UPDATE seizures SET district = ?, occurred_utc = ? WHERE incident = ?",
                               arguments: [after.district, instant, seq])
            }
            var detail: [String: JSONValue] = ["changes": .object(diff)]
            if changes.hasCorrections { detail["reason"] = JSONValue(changes.reason) }
            try AuditLog.append(db, officer: actor.code, action: "incident.update", entity: "incident", key: before.id.description,
                                detail: .object(detail), at: now)
            return after
        }
    }

    /// Appends a note to a case.
    public func addNote(_ reference: String, text: String, officer: String?) throws -> CaseNote {
        try write { db in
            let actor = try Authorizer.require(db, officer: officer, for: .updateIncident)
            let row = try IncidentReader.requireRow(db, reference: reference)
            let problems = TextRule.note.problems(text, field: "text")
            if !problems.isEmpty { throw ValidationFailure(problems) }
            let now = nowTimestamp()
            try db.execute(sql: "INSERT INTO notes (incident, officer, created_at, text) VALUES (?, ?, ?, ?)",
                           arguments: [row["seq"] as Int64, actor.code, now, text])
            let seq = db.lastInsertedRowID
            let id = IncidentID(bytes: row["id"] as Data)!
            try AuditLog.append(db, officer: actor.code, action: "incident.note", entity: "incident", key: id.description,
                                detail: .object(["note": .number(Double(seq)), "text": .string(text)]), at: now)
            return CaseNote(seq: seq, officer: actor.code, createdAt: now, text: text)
        }
    }

    /// Links two related incidents. A link is read from both sides and never merges records;
    /// linking a pair again changes nothing. Returns false when the pair was linked already.
    @discardableResult
    public func link(_ reference: String, to otherReference: String, officer: String?) throws -> Bool {
        try write { db in
            let actor = try Authorizer.require(db, officer: officer, for: .updateIncident)
            let first = try IncidentReader.requireRow(db, reference: reference)
            let second: Row
            do {
                second = try IncidentReader.requireRow(db, reference: otherReference)
            } catch var error as MekongError where error.kind == .unknownReference {
                error.field = "other"
                throw error
            }
            let a: Int64 = first["seq"], b: Int64 = second["seq"]
            guard a != b else { throw MekongError(.usage, "an incident cannot be linked to itself", field: "other") }
            let (low, high) = a < b ? (a, b) : (b, a)
            if try Bool.exists(db, sql: "SELECT 1 FROM links WHERE incident = ? AND other = ?", arguments: [low, high]) {
                return false
            }
            let now = nowTimestamp()
            try db.execute(sql: "INSERT INTO links (incident, other, officer, created_at) VALUES (?, ?, ?, ?)",
                           arguments: [low, high, actor.code, now])
            let firstID = IncidentID(bytes: first["id"] as Data)!, secondID = IncidentID(bytes: second["id"] as Data)!
            try AuditLog.append(db, officer: actor.code, action: "incident.link", entity: "incident", key: firstID.description,
                                detail: .object(["other": .string(secondID.description)]), at: now)
            return true
        }
    }

    /// Records (or replaces) the informant of a tip-off. Supervisors and admins only; the
    /// audit entry says that it changed, never what it says.
    public func setInformant(_ reference: String, informant: Informant, officer: String?) throws {
        try write { db in
            let actor = try Authorizer.require(db, officer: officer, for: .readInformant)
            let row = try IncidentReader.requireRow(db, reference: reference)
            guard row["source"] as String? == IncidentSource.tipOff.rawValue else {
                throw MekongError(.badData, "\(row["case_number"] as String) is not from a tip-off (its source is \(row["source"] as String? ?? "not set")); informant details belong to tip_off incidents")
            }
            var problems = TextRule.short.problems(informant.name, field: "name")
            if informant.name.unicodeScalars.count > 200 { problems.append(FieldProblem(field: "name", message: "name is longer than 200 characters")) }
            if let contact = informant.contact { problems += TextRule.short.problems(contact, field: "contact") }
            if !problems.isEmpty { throw ValidationFailure(problems) }
            let seq: Int64 = row["seq"]
            let replaced = try Bool.exists(db, sql: "SELECT 1 FROM informants WHERE incident = ?", arguments: [seq])
            let now = nowTimestamp()
            try db.execute(sql: """
                INSERT INTO informants (incident, name, contact, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (incident) DO UPDATE SET name = excluded.name, contact = excluded.contact,
                    updated_by = excluded.updated_by, updated_at = excluded.updated_at
                """, arguments: [seq, informant.name, informant.contact, actor.code, now])
            let id = IncidentID(bytes: row["id"] as Data)!
            try AuditLog.append(db, officer: actor.code, action: replaced ? "informant.replace" : "informant.set", entity: "incident",
                                key: id.description, detail: .object(["informant": .string("protected")]), at: now)
        }
    }

    /// A case with its notes, links and history. Informant details are included only when
    /// `viewer` is a supervisor or admin, and then the view itself is written to the audit trail.
    public func incidentCase(_ reference: String, viewer: String?) throws -> IncidentCase {
        // Most views only read. One that shows informant details must audit it, so only that
        // one (a supervisor opening a tip-off) is done again as a write.
        let (view, showsInformant) = try read { db -> (IncidentCase, Bool) in
            let view = try Self.caseFile(db, reference: reference, informantFor: nil)
            guard let viewer, let officer = try Officer.fetch(db, code: viewer), officer.active,
                  officer.role.may(.readInformant) else { return (view, false) }
            let hasInformant = try Bool.exists(db, sql: """
                SELECT 1 FROM informants WHERE incident = (SELECT seq FROM incidents WHERE id = ?)
                """, arguments: [Data(view.incident.id.bytes)])
            return (view, hasInformant)
        }
        guard showsInformant, let viewer else { return view }
        return try write { db in try Self.caseFile(db, reference: reference, informantFor: viewer) }
    }

    /// The case as `incident show` prints it; with the informant (and the audit of that view)
    /// when `informantFor` names the viewer allowed to see it.
    private static func caseFile(_ db: Database, reference: String, informantFor viewer: String?) throws -> IncidentCase {
        let row = try IncidentReader.requireRow(db, reference: reference)
        let incident = try IncidentReader.incident(row, db: db)
        let seq: Int64 = row["seq"]
        let notes = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM notes WHERE incident = ? ORDER BY seq"), arguments: [seq]).map {
            CaseNote(seq: $0["seq"], officer: $0["officer"], createdAt: $0["created_at"], text: $0["text"])
        }
        let links = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT i.id, i.case_number, i.type, i.summary FROM links l
            JOIN incidents i ON i.seq = CASE WHEN l.incident = ? THEN l.other ELSE l.incident END
            WHERE l.incident = ? OR l.other = ? ORDER BY i.occurred_utc DESC
            """), arguments: [seq, seq, seq]).map {
            LinkedIncident(id: IncidentID(bytes: $0["id"] as Data)!, caseNumber: $0["case_number"],
                           type: IncidentType(rawValue: $0["type"]) ?? .other, summary: $0["summary"])
        }
        var informant: Informant?
        if let viewer, let found = try Row.fetchOne(db, sql: "SELECT name, contact FROM informants WHERE incident = ?", arguments: [seq]) {
            informant = Informant(name: found["name"], contact: found["contact"])
            try AuditLog.append(db, officer: viewer, action: "informant.view", entity: "incident", key: incident.id.description,
                                detail: .object(["informant": .string("viewed")]), at: nowTimestamp())
        }
        let history = try IncidentHistory.entries(db, seq: seq, id: incident.id)
        return IncidentCase(incident: incident, notes: notes, links: links, history: history, informant: informant)
    }
}

extension IncidentDraft {
    /// The draft that would produce `incident`: the starting point of a correction.
    init(_ incident: Incident) {
        self.init()
        id = incident.id.description
        type = incident.type.rawValue
        occurredAt = incident.occurredAt.text
        district = incident.district
        checkpoint = incident.checkpoint
        summary = incident.summary
        status = incident.status.rawValue
        source = incident.source?.rawValue
        place = incident.place
        latitude = incident.coordinates?.latitude
        longitude = incident.coordinates?.longitude
        arrests = incident.arrests
        persons = incident.persons
        vehicles = incident.vehicles
        victims = incident.victims
        lossTHB = incident.lossTHB
        parsedSeizures = incident.seizures
    }

    /// Takes every field `other` sets, and the problems its reader found. An empty string
    /// clears an optional text field. Seizures are not merged: a correction replaces them all.
    mutating func merge(_ other: IncidentDraft) {
        readProblems += other.readProblems
        if let value = other.type { type = value }
        if let value = other.occurredAt { occurredAt = value }
        if let value = other.district { district = value }
        if let value = other.checkpoint { checkpoint = value.isEmpty ? nil : value }
        if let value = other.summary { summary = value }
        if let value = other.source { source = value.isEmpty ? nil : value }
        if let value = other.place { place = value.isEmpty ? nil : value }
        if let value = other.latitude { latitude = value }
        if let value = other.longitude { longitude = value }
        if let value = other.arrests { arrests = value }
        if let value = other.persons { persons = value }
        if let value = other.vehicles { vehicles = value }
        if let value = other.victims { victims = value }
        if let value = other.lossTHB { lossTHB = value }
    }
}

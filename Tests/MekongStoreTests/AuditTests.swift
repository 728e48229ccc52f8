import Foundation
import GRDB
import MekongCore
@testable import MekongStore
import Testing

@Suite("Audit trail")
struct AuditTests {
    @Test("the change stamp moves with every write, and two trails of the same length have different stamps")
    func changeStamp() throws {
        let first = try seededDatabase()
        let second = try seededDatabase()
        let before = try first.changeStamp()
        #expect(try first.changeStamp() == before)  // a read changes nothing
        _ = try first.addOfficer(Officer(code: "NEW1", name: "One", role: .officer), actingOfficer: "ADMIN")
        _ = try second.addOfficer(Officer(code: "NEW2", name: "Two", role: .officer), actingOfficer: "ADMIN")
        let after = try first.changeStamp(), other = try second.changeStamp()
        #expect(after.seq == before.seq + 1 && after != before)
        // What a forced restore of a different history looks like to a reader: the same number,
        // another trail. The cache must not take one for the other.
        #expect(other.seq == after.seq && other != after)
    }

    /// A database with a logged, updated, noted and linked incident, and an import.
    func populated() throws -> AppDatabase {
        let database = try seededDatabase()
        var draft = IncidentDraft()
        draft.type = "drug_seizure"
        draft.occurredAt = "2025-06-24T14:30:00+07:00"
        draft.district = "5709"
        draft.summary = "logged"
        draft.parsedSeizures = [try Seizure(compact: "heroin:850:g")]
        let logged = try database.logIncident(draft, officer: "ADMIN")
        var changes = IncidentChanges()
        changes.status = .investigating
        changes.corrections.arrests = 3
        changes.reason = "count corrected"
        _ = try database.updateIncident(logged.id.description, changes: changes, officer: "ADMIN")
        _ = try database.importNDJSON(from: ndjson([
            #"{"type":"scam","occurred_at":"2025-01-02","district":"5708","summary":"imported one","loss_thb":5}"#,
            #"{"type":"scam","occurred_at":"2025-01-03","district":"5708","summary":"imported two"}"#,
        ]), options: ImportOptions(officer: "ADMIN"))
        _ = try database.addNote(logged.id.description, text: "a note", officer: "ADMIN")
        try database.link(logged.id.description, to: "CR-2025-000002", officer: "ADMIN")
        return database
    }

    @Test("an untouched trail verifies, and covers every incident, note and link")
    func clean() throws {
        let database = try populated()
        let result = try database.verifyAudit()
        #expect(result.ok, "\(result.faults)")
        #expect(result.incidents == 3 && result.notes == 1 && result.links == 1)
        #expect(result.entries == (try database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_log") }))
    }

    @Test("changing any column of any entry breaks the chain at that entry", arguments: ["at", "officer", "action", "entity", "entity_key", "detail", "prev_hash", "hash"])
    func everyColumnCovered(column: String) throws {
        let database = try populated()
        let count = try database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_log") } ?? 0
        try database.writer.write { db in try db.execute(sql: "DROP TRIGGER audit_log_no_update") }
        for seq in 1...count {
            let original = try database.writer.read { db in try DatabaseValue.fetchOne(db, sql: "SELECT \(column) FROM audit_log WHERE seq = ?", arguments: [seq]) }
            let value = column.hasSuffix("hash") ? "randomblob(32)" : (column == "detail" ? "detail || ' '" : "coalesce(\(column), '') || 'x'")
            try database.writer.write { db in try db.execute(sql: "UPDATE audit_log SET \(column) = \(value) WHERE seq = ?", arguments: [seq]) }
            let result = try database.verifyAudit()
            #expect(result.faults.first?.message.contains("audit entry \(seq)") == true, "\(column) of entry \(seq): \(result.faults)")
            try database.writer.write { db in
                try db.execute(sql: "UPDATE audit_log SET \(column) = ? WHERE seq = ?", arguments: [original, seq])
            }
            #expect(try database.verifyAudit().ok)
        }
    }

    @Test("an incident changed by SQL names the field, when an update had touched it")
    func fieldNamed() throws {
        let database = try populated()
        try database.writer.write { db in try db.execute(sql: "UPDATE incidents SET arrests = 9 WHERE case_number = 'CR-2025-000001'") }
        let fault = try #require(try database.verifyAudit().faults.first)
        #expect(fault.message.contains("CR-2025-000001") && fault.message.contains("arrests is 9"))
    }

    @Test("an imported incident's created hash, rewritten to match an edit, still fails the import digest")
    func rehashedImport() throws {
        let database = try populated()
        try database.writer.write { db in
            let row = try #require(try Row.fetchOne(db, sql: "SELECT * FROM incidents WHERE case_number = 'CR-2025-000002'"))
            var incident = try IncidentReader.incident(row, db: db)
            incident.summary = "rewritten"
            try db.execute(sql: "UPDATE incidents SET summary = 'rewritten', created_hash = ? WHERE seq = ?",
                           arguments: [Data(AuditLog.stateHash(incident.auditState)), row["seq"] as Int64])
        }
        let faults = try database.verifyAudit().faults.map(\.message)
        #expect(faults.contains { $0.contains("digest differs") }, "\(faults)")
    }

    @Test("a refused write leaves no entry; a change that changes nothing writes none")
    func onlyRealChanges() throws {
        let database = try populated()
        let before = try database.auditEntries().count
        var changes = IncidentChanges()
        changes.status = .investigating
        _ = try database.updateIncident("CR-2025-000001", changes: changes, officer: "ADMIN")
        #expect(throws: MekongError.self) { try database.addNote("CR-2025-000001", text: "x", officer: "NOBODY") }
        #expect(try database.auditEntries().count == before)
        let history = try database.auditEntries(incident: "CR-2025-000002").map(\.action)
        #expect(history == ["incident.import", "incident.link"])
    }
}

@Suite("Status moves")
struct StatusMoveTests {
    @Test("open → investigating → referred/closed; reopening and closing need a supervisor")
    func moves() {
        #expect(IncidentStatus.open.move(to: .investigating) == .advance)
        #expect(IncidentStatus.investigating.move(to: .referred) == .advance)
        #expect(IncidentStatus.investigating.move(to: .closed) == .close)
        #expect(IncidentStatus.referred.move(to: .closed) == .close)
        #expect(IncidentStatus.closed.move(to: .investigating) == .reopen)
        #expect(IncidentStatus.referred.move(to: .open) == .reopen)
        #expect(IncidentStatus.open.move(to: .referred) == nil)
        #expect(IncidentStatus.open.move(to: .closed) == nil)
        #expect(IncidentStatus.closed.move(to: .referred) == nil)
        #expect(StatusMove.advance.action == .updateIncident && StatusMove.reopen.action == .closeOrReopen)
        #expect(Role.officer.may(StatusMove.advance.action) && !Role.officer.may(StatusMove.close.action))
    }
}

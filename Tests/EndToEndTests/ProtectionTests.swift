import Foundation
import Testing

@Suite("End to end: informants, search and the audit trail")
struct ProtectionTests {
    static let informantName = "นายสมชาย ใจดี"
    static let informantContact = "081-234-5678 via headman Moo 19"

    /// A tip-off with informant details, and a second incident without.
    func tipOff() throws -> Mekong {
        let mekong = try Mekong.withOfficers()
        try mekong.expectSuccess("incident", "log", "--officer", "OFF1", "--type", "drug_seizure", "--district", "5713",
                                 "--occurred-at", "2025-07-15T12:00:00+07:00", "--source", "tip_off",
                                 "--summary", "ชาวบ้านแจ้งว่ามีการขนยาบ้าข้ามแม่น้ำโขงที่บ้านร่มโพธิ์ทอง",
                                 "--seizure", "methamphetamine_tablets:1100000:tablets")
        try mekong.expectSuccess("incident", "log", "--officer", "OFF1", "--type", "scam", "--district", "5709",
                                 "--occurred-at", "2025-07-16", "--summary", "call centre fraud in Mae Sai", "--source", "referral")
        try mekong.expectSuccess("incident", "informant", "CR-2025-000001", "--name", ProtectionTests.informantName,
                                 "--contact", ProtectionTests.informantContact, "--officer", "SUP1")
        return mekong
    }

    @Test("informant details: only on tip-offs, set by supervisors, shown to supervisors and admins, every view audited")
    func informants() throws {
        let mekong = try tipOff()
        defer { mekong.remove() }
        let notTipOff = try mekong.run("incident", "informant", "CR-2025-000002", "--name", "x", "--officer", "SUP1")
        #expect(notTipOff.status == 65 && notTipOff.stderr.contains("tip"))

        for viewer in ["SUP1", "ADMIN1"] {
            let shown = try #require(try mekong.run("incident", "show", "CR-2025-000001", "--officer", viewer, "--format", "json").json as? [String: Any])
            let informant = try #require(shown["informant"] as? [String: Any], "\(viewer) sees the informant")
            #expect(informant["name"] as? String == ProtectionTests.informantName)
            #expect(informant["contact"] as? String == ProtectionTests.informantContact)
        }
        #expect(try mekong.sql("SELECT officer FROM audit_log WHERE action = 'informant.view' ORDER BY seq") == "SUP1\nADMIN1\n")

        for viewer in [["--officer", "AN1"], ["--officer", "OFF1"], []] {
            for format in ["json", "table"] {
                let shown = try mekong.run(["incident", "show", "CR-2025-000001", "--format", format] + viewer)
                #expect(shown.status == 0)
                #expect(!shown.stdout.contains(ProtectionTests.informantName) && !shown.stdout.contains("081-234"), "\(viewer) \(format)")
                if format == "json" { #expect((shown.json as? [String: Any])?["informant"] == nil) }
            }
        }
        #expect(try mekong.sql("SELECT count(*) FROM audit_log WHERE action = 'informant.view'") == "2\n", "other views are not informant views")

        // Never in listings, search, reports or the audit trail.
        for arguments in [["incident", "list", "--format", "json"], ["incident", "list", "--format", "csv"],
                          ["search", "บ้านร่มโพธิ์ทอง", "--format", "json"], ["audit", "log", "--format", "json"],
                          ["audit", "log", "CR-2025-000001", "--format", "table"], ["demo", "--format", "json"]] {
            let result = try mekong.run(arguments)
            #expect(result.status == 0, "\(arguments)")
            #expect(!result.stdout.contains(ProtectionTests.informantName) && !result.stdout.contains("081-234"), "\(arguments)")
        }
        #expect(try mekong.sql("SELECT count(*) FROM audit_log WHERE detail LIKE '%สมชาย%' OR detail LIKE '%081-234%'") == "0\n")
    }

    @Test("search finds Thai text inside a longer summary, and notes and places, best and newest first")
    func search() throws {
        let mekong = try tipOff()
        defer { mekong.remove() }
        try mekong.expectSuccess("incident", "log", "--officer", "OFF1", "--type", "drug_seizure", "--district", "5709",
                                 "--occurred-at", "2025-08-01", "--summary", "ตรวจพบยาบ้าในรถบรรทุกที่ด่านแม่สายเมื่อเช้านี้",
                                 "--place", "สะพานมิตรภาพ แม่สาย")
        try mekong.expectSuccess("incident", "note", "CR-2025-000002", "ผู้เสียหายอยู่ที่อำเภอแม่สาย", "--officer", "OFF1")
        func search(_ words: String...) throws -> [[String: Any]] {
            let result = try mekong.run(["search"] + words + ["--format", "json"])
            #expect(result.status == 0, "\(result.stderr)")
            return try #require((result.json as? [String: Any])?["results"] as? [[String: Any]])
        }
        let maeSai = try search("แม่สาย")
        #expect(Set(maeSai.compactMap { $0["case_number"] as? String }) == ["CR-2025-000003", "CR-2025-000002"])
        let third = try #require(maeSai.first { $0["case_number"] as? String == "CR-2025-000003" })
        #expect(third["matched"] as? [String] == ["summary", "place"])
        #expect((maeSai.first { $0["case_number"] as? String == "CR-2025-000002" })?["matched"] as? [String] == ["note"])
        #expect(try search("ยาบ้า").compactMap { $0["case_number"] as? String } == ["CR-2025-000003", "CR-2025-000001"], "equal matches: newest first")
        #expect(try search("CALL", "centre").compactMap { $0["case_number"] as? String } == ["CR-2025-000002"])
        #expect(try search("nothing like this").isEmpty)
        #expect(try search("ai").count >= 1, "short words are matched by scanning")
        // A corrected summary is found by its new text and no longer by the old.
        try mekong.expectSuccess("incident", "update", "CR-2025-000002", "--summary", "romance scam via Line", "--reason", "wrong summary", "--officer", "OFF1")
        #expect(try search("call centre").isEmpty)
        #expect(try search("romance").count == 1)
        let table = try mekong.run("search", "แม่สาย", "--format", "table")
        #expect(table.stdout.contains("CR-2025-000003"))
        #expect(try mekong.run("search").status == 64)
    }

    @Test("audit verify passes on an untouched database and names each kind of tampering")
    func tampering() throws {
        let mekong = try tipOff()
        defer { mekong.remove() }
        _ = try mekong.run("demo")
        try mekong.expectSuccess("incident", "update", "CR-2025-000002", "--status", "investigating", "--officer", "OFF1")
        try mekong.expectSuccess("incident", "note", "CR-2025-000002", "a note", "--officer", "OFF1")
        let clean = try mekong.run("audit", "verify", "--format", "table")
        #expect(clean.status == 0 && clean.stdout.hasPrefix("Audit trail intact"), "\(clean.stderr)")
        let pristine = try Data(contentsOf: URL(fileURLWithPath: mekong.database))

        func restore() throws {
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: mekong.database + suffix) }
            try pristine.write(to: URL(fileURLWithPath: mekong.database))
            #expect(try mekong.run("audit", "verify").status == 0)
        }
        func expectFault(_ sql: String, _ expected: String) throws {
            try mekong.sql(sql)
            let result = try mekong.run("audit", "verify", "--format", "table")
            #expect(result.status == 1, "\(sql)")
            #expect(result.stderrLines.first?.contains(expected) == true, "\(sql): \(result.stderr)")
            try restore()
        }
        // An edited audit entry.
        try expectFault("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET officer = 'SOMEONE' WHERE seq = 2;",
                        "audit entry 2")
        // An edited incident: one logged, one updated, one imported.
        try expectFault("UPDATE incidents SET arrests = 5 WHERE case_number = 'CR-2025-000001';", "incident CR-2025-000001")
        try expectFault("UPDATE incidents SET status = 'closed' WHERE case_number = 'CR-2025-000002';", "incident CR-2025-000002")
        try expectFault("UPDATE seizures SET quantity = 100 WHERE incident = (SELECT seq FROM incidents WHERE case_number = 'CR-2025-000001');", "incident CR-2025-000001")
        try expectFault("UPDATE incidents SET summary = 'nothing happened' WHERE case_number = 'CR-2025-000010';", "incident CR-2025-000010")
        try expectFault("UPDATE incidents SET local_date = '2024-01-01' WHERE case_number = 'CR-2025-000003';", "local date")
        // A deleted incident: logged, and imported.
        try expectFault("DELETE FROM notes; DELETE FROM links; DELETE FROM informants WHERE incident = 1; DELETE FROM seizures WHERE incident = 1; DELETE FROM incidents WHERE seq = 1;",
                        "is missing")
        try expectFault("DELETE FROM seizures WHERE incident = 10; DELETE FROM incidents WHERE seq = 10;", "missing")
        // An incident added behind mekong's back, and a removed entry.
        try expectFault("INSERT INTO incidents (id, case_number, type, occurred_at, occurred_utc, local_date, district, summary, created_at, updated_at) VALUES (randomblob(16), 'CR-2025-999999', 'scam', '2025-06-24', 0, '2025-06-24', '5709', 'ghost', 'x', 'x');",
                        "not in the audit trail")
        try expectFault("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 3;", "audit entry 3 is missing")
        try expectFault("UPDATE notes SET text = 'rewritten';", "note")
    }
}

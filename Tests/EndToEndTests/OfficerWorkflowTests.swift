import Foundation
import Testing

/// The officer workflow through the built binary: officers and roles, logging, finding,
/// updating, notes, links, informants, search and the audit trail.
@Suite("End to end: officers and roles")
struct OfficerRoleTests {
    @Test("the first officer must be an admin and needs no --officer; after that only admins add officers")
    func bootstrap() throws {
        let mekong = try Mekong()
        defer { mekong.remove() }
        try mekong.expectSuccess("init")
        let notAdmin = try mekong.run("officer", "add", "OFF1", "--name", "Off", "--role", "officer")
        #expect(notAdmin.status == 64 && notAdmin.stderr.contains("must be an admin"))
        try mekong.expectSuccess("officer", "add", "ADMIN1", "--name", "Admin One", "--role", "admin")
        let anonymous = try mekong.run("officer", "add", "OFF1", "--name", "Off", "--role", "officer")
        #expect(anonymous.status == 64 && anonymous.stderrLines.count == 1)
        try mekong.expectSuccess("officer", "add", "OFF1", "--name", "Off One", "--role", "officer", "--officer", "ADMIN1")
        let byOfficer = try mekong.run("officer", "add", "OFF2", "--name", "Off Two", "--role", "officer", "--officer", "OFF1")
        #expect(byOfficer.status == 77)
        #expect(byOfficer.stderrLines == ["error: officer OFF1 is an officer and may not manage officers and tokens: that needs the admin role"])
        let twice = try mekong.run("officer", "add", "OFF1", "--name", "Again", "--role", "officer", "--officer", "ADMIN1")
        #expect(twice.status == 1)
        let officers = try #require((try mekong.run("officer", "list", "--format", "json").json as? [String: Any])?["officers"] as? [[String: Any]])
        #expect(officers.compactMap { $0["code"] as? String } == ["ADMIN1", "OFF1"])
        #expect(officers.first?["role"] as? String == "admin")
    }

    @Test("a deactivated officer may not act; the last admin cannot demote themselves")
    func deactivation() throws {
        let mekong = try Mekong.withOfficers()
        defer { mekong.remove() }
        try mekong.expectSuccess("officer", "update", "OFF1", "--deactivate", "--officer", "ADMIN1")
        let refused = try mekong.run("incident", "log", "--officer", "OFF1", "--type", "scam", "--district", "5709",
                                     "--occurred-at", "2025-06-24", "--summary", "x")
        #expect(refused.status == 77 && refused.stderr.contains("deactivated"))
        let demote = try mekong.run("officer", "update", "ADMIN1", "--role", "officer", "--officer", "ADMIN1")
        #expect(demote.status == 1 && demote.stderr.contains("last active admin"))
        let promoted = try #require(try mekong.run("officer", "update", "SUP1", "--role", "admin", "--officer", "ADMIN1", "--format", "json").json as? [String: Any])
        #expect(promoted["role"] as? String == "admin")
    }

    @Test("every write names an officer whose role allows it", arguments: [
        // (arguments, officer, expected status)
        (["incident", "log", "--type", "scam", "--district", "5709", "--occurred-at", "2025-06-24", "--summary", "x"], "AN1", Int32(77)),
        (["incident", "log", "--type", "scam", "--district", "5709", "--occurred-at", "2025-06-24", "--summary", "x"], "NOBODY", 77),
        (["incident", "log", "--type", "scam", "--district", "5709", "--occurred-at", "2025-06-24", "--summary", "x"], "", 64),
        (["incident", "note", "CR-2025-000001", "x"], "AN1", 77),
        (["incident", "update", "CR-2025-000001", "--status", "investigating"], "AN1", 77),
        (["incident", "update", "CR-2025-000001", "--assign", "OFF1"], "OFF1", 77),
        (["incident", "link", "CR-2025-000001", "CR-2025-000002"], "AN1", 77),
        (["incident", "informant", "CR-2025-000001", "--name", "x"], "OFF1", 77),
        (["checkpoint", "add", "ZZ1", "--name", "x", "--kind", "temporary", "--district", "5709"], "SUP1", 77),
        (["checkpoint", "update", "MS1", "--status", "suspended"], "OFF1", 77),
        (["officer", "update", "OFF1", "--role", "admin"], "SUP1", 77),
    ])
    func refusals(arguments: [String], officer: String, status: Int32) throws {
        let mekong = try Mekong.withOfficers()
        defer { mekong.remove() }
        for summary in ["first", "second"] {
            try mekong.expectSuccess("incident", "log", "--officer", "OFF1", "--type", "scam", "--district", "5709",
                                     "--occurred-at", "2025-06-24", "--summary", summary, "--source", "tip_off")
        }
        let before = try mekong.sql("SELECT count(*) FROM audit_log")
        let result = try mekong.run(arguments + (officer.isEmpty ? [] : ["--officer", officer]))
        #expect(result.status == status, "\(result.stderr)")
        #expect(result.stderrLines.count == 1)
        if status == 77 && officer != "NOBODY" { #expect(result.stderr.contains("role")) }
        #expect(try mekong.sql("SELECT count(*) FROM audit_log") == before, "a refused write changed nothing")
    }
}

@Suite("End to end: incidents")
struct IncidentWorkflowTests {
    func log(_ mekong: Mekong, _ extra: [String] = [], type: String = "drug_seizure", district: String = "5709",
             at: String = "2025-06-24T14:30:00+07:00", summary: String = "tablets at the bridge") throws -> [String: Any] {
        let result = try mekong.run(["incident", "log", "--officer", "OFF1", "--type", type, "--district", district,
                                     "--occurred-at", at, "--summary", summary, "--format", "json"] + extra)
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(result.json as? [String: Any])
    }

    @Test("log prints the stored record; show finds it by id and by case number")
    func logAndShow() throws {
        let mekong = try Mekong.withOfficers()
        defer { mekong.remove() }
        let record = try log(mekong, ["--checkpoint", "MS1", "--seizure", "methamphetamine_tablets:1350000:tablets",
                                      "--seizure", "heroin:850:g", "--arrests", "1", "--vehicles", "1", "--place", "Km 3, Phahonyothin road",
                                      "--lat", "20.428", "--lon", "99.884", "--source", "checkpoint_inspection"],
                             at: "2025-06-30T20:00:00Z", summary: "พบยาบ้า 1,350,000 เม็ด")
        let id = try #require(record["id"] as? String)
        #expect(record["case_number"] as? String == "CR-2025-000001")
        #expect(record["local_date"] as? String == "2025-07-01")
        #expect(record["occurred_at"] as? String == "2025-06-30T20:00:00Z")
        #expect(record["recorded_by"] as? String == "OFF1")
        #expect(record["status"] as? String == "open")
        let seizures = try #require(record["seizures"] as? [[String: Any]])
        #expect(seizures.count == 2 && seizures[1]["quantity"] as? Double == 0.85 && seizures[1]["unit"] as? String == "kg")

        for reference in [id, id.uppercased(), "CR-2025-000001"] {
            let shown = try #require(try mekong.run("incident", "show", reference, "--format", "json").json as? [String: Any])
            #expect(shown["id"] as? String == id)
            #expect((shown["history"] as? [[String: Any]])?.first?["action"] as? String == "incident.create")
        }
        let table = try mekong.run("incident", "show", "CR-2025-000001", "--format", "table")
        #expect(table.stdout.contains("heroin 0.85 kg (recorded as 850 g)"))
        #expect(table.stdout.contains("local date 2025-07-01"))
        let missing = try mekong.run("incident", "show", "CR-2025-999999")
        #expect(missing.status == 69 && missing.stderrLines.count == 1)

        let plain = try mekong.run("incident", "log", "--officer", "OFF1", "--type", "scam", "--district", "5701",
                                   "--occurred-at", "2025-07-01", "--summary", "x", "--format", "table")
        #expect(plain.stdout.hasPrefix("Logged CR-2025-000002  0"))
    }

    @Test("bad fields are refused: unknown codes 69, bad values 65 with every field named, missing ones 64")
    func refusedFields() throws {
        let mekong = try Mekong.withOfficers()
        defer { mekong.remove() }
        let unknown = try mekong.run("incident", "log", "--officer", "OFF1", "--type", "scam", "--district", "9999",
                                     "--occurred-at", "2025-06-24", "--summary", "x")
        #expect(unknown.status == 69)
        #expect(unknown.stderrLines == ["error: field \"district\": unknown district code \"9999\""])
        let bad = try mekong.run("incident", "log", "--officer", "OFF1", "--type", "drugs", "--district", "5709",
                                 "--occurred-at", "24/06/2025", "--summary", "x", "--seizure", "heroin:5:tablets", "--lat", "20")
        #expect(bad.status == 65)
        let fields = bad.stderrLines.compactMap { $0.split(separator: "\"").dropFirst().first.map(String.init) }
        #expect(Set(fields) == ["type", "occurred_at", "lon", "seizure.unit"])
        let missing = try mekong.run("incident", "log", "--officer", "OFF1", "--type", "scam")
        #expect(missing.status == 64 && missing.stderr.contains("--district, --occurred-at, --summary"))
        #expect(try mekong.sql("SELECT count(*) FROM incidents") == "0\n")
    }

    @Test("on a terminal, log asks for the missing fields and re-asks for an invalid choice",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func prompts() throws {
        let mekong = try Mekong.withOfficers()
        defer { mekong.remove() }
        // `script` runs mekong on a pseudo-terminal, answering from our stdin.
        let command = "\(Mekong.binary.path) incident log --officer OFF1 --format table"
        let result = try mekong.run(["-qec", command, "/dev/null"], executable: "/usr/bin/script",
                                    stdin: "drugs\ndrug_seizure\n9999\n5709\n2025-06-24T10:00\nพบยาบ้าที่ด่าน\n")
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("\"drugs\" is not one of the choices"))
        #expect(result.stdout.contains("Logged CR-2025-000001"))
        let shown = try #require(try mekong.run("incident", "show", "CR-2025-000001", "--format", "json").json as? [String: Any])
        #expect(shown["summary"] as? String == "พบยาบ้าที่ด่าน" && shown["district"] as? String == "5709")
        #expect(shown["occurred_at"] as? String == "2025-06-24T10:00")
    }

    @Test("list: filters, newest first, keyset pages with a cursor, local-date bounds")
    func list() throws {
        let mekong = try Mekong.withOfficers()
        defer { mekong.remove() }
        let times = ["2025-06-01T08:00:00+07:00", "2025-06-15", "2025-06-30T16:59:00Z", "2025-06-30T17:00:00Z",
                     "2025-07-02T09:00", "2025-07-02T09:00", "2025-07-10T12:00:00+07:00"]
        var ids: [String] = []
        for (index, time) in times.enumerated() {
            ids.append(try log(mekong, index == 6 ? ["--checkpoint", "MS1"] : [], type: index % 2 == 0 ? "drug_seizure" : "scam",
                               at: time, summary: "incident \(index)")["id"] as! String)
        }
        _ = try log(mekong, district: "5708", at: "2025-07-03", summary: "elsewhere")

        func page(_ arguments: [String]) throws -> (ids: [String], next: String?) {
            let json = try #require(try mekong.run(["incident", "list", "--format", "json"] + arguments).json as? [String: Any])
            let incidents = try #require(json["incidents"] as? [[String: Any]])
            return (incidents.compactMap { $0["id"] as? String }, json["next_cursor"] as? String)
        }
        // Newest first; equal instants by the order they were logged, newest first.
        let all = try page(["--district", "5709"])
        #expect(all.ids == [ids[6], ids[5], ids[4], ids[3], ids[2], ids[1], ids[0]])
        #expect(all.next == nil)
        // Pages of three follow each other without gaps or repeats.
        var seen: [String] = []
        var cursor: String?
        repeat {
            let next = try page(["--district", "5709", "--limit", "3"] + (cursor.map { ["--cursor", $0] } ?? []))
            seen += next.ids
            cursor = next.next
        } while cursor != nil
        #expect(seen == all.ids)
        // Local dates: 2025-06-30T17:00:00Z is 1 July in Bangkok.
        #expect(try page(["--district", "5709", "--since", "2025-07-01", "--until", "2025-07-02"]).ids == [ids[5], ids[4], ids[3]])
        #expect(try page(["--district", "5709", "--until", "2025-06-30"]).ids == [ids[2], ids[1], ids[0]])
        #expect(try page(["--district", "5709", "--type", "scam"]).ids == [ids[5], ids[3], ids[1]])
        #expect(try page(["--checkpoint", "MS1"]).ids == [ids[6]])
        #expect(try page(["--status", "closed"]).ids.isEmpty)
        #expect(try page(["--district", "5708"]).ids.count == 1)

        #expect(try mekong.run("incident", "list", "--district", "9999").status == 69)
        #expect(try mekong.run("incident", "list", "--cursor", "not-a-cursor").status == 64)
        #expect(try mekong.run("incident", "list", "--since", "2025-07-02", "--until", "2025-07-01").status == 64)
        let table = try mekong.run("incident", "list", "--limit", "2", "--format", "table")
        #expect(table.stdout.contains("CR-2025-000008") && table.stderr.hasPrefix("next page: --cursor "))
        let ndjson = try mekong.run("incident", "list", "--format", "ndjson")
        #expect(ndjson.stdout.split(separator: "\n").count == 8)
    }

    @Test("status moves by role; corrections need a reason; old and new values are audited")
    func update() throws {
        let mekong = try Mekong.withOfficers()
        defer { mekong.remove() }
        _ = try log(mekong)
        func update(_ arguments: String...) throws -> Mekong.Result {
            try mekong.run(["incident", "update", "CR-2025-000001", "--format", "json"] + arguments)
        }
        #expect(try update("--status", "referred", "--officer", "OFF1").status == 1, "open cannot jump to referred")
        #expect(try update("--status", "investigating", "--officer", "OFF1").status == 0)
        let close = try update("--status", "closed", "--officer", "OFF1")
        #expect(close.status == 77 && close.stderr.contains("supervisor or admin"))
        #expect(try update("--status", "referred", "--officer", "OFF1").status == 0)
        #expect(try update("--status", "closed", "--officer", "SUP1").status == 0)
        let reopen = try update("--status", "investigating", "--officer", "OFF1")
        #expect(reopen.status == 77)
        #expect(try update("--status", "investigating", "--officer", "SUP1").status == 0)
        #expect(try update("--assign", "NOBODY", "--officer", "SUP1").status == 69)
        #expect(try update("--assign", "AN1", "--officer", "SUP1").status == 1)
        let assigned = try #require(try update("--assign", "OFF1", "--officer", "SUP1").json as? [String: Any])
        #expect(assigned["assigned_to"] as? String == "OFF1")

        let noReason = try update("--district", "5708", "--officer", "OFF1")
        #expect(noReason.status == 64 && noReason.stderr.contains("--reason"))
        let corrected = try #require(try update("--district", "5708", "--occurred-at", "2025-06-30T20:00:00Z",
                                                "--seizure", "opium:2:kg", "--reason", "Seized on the Chiang Saen side",
                                                "--officer", "OFF1").json as? [String: Any])
        #expect(corrected["district"] as? String == "5708")
        #expect(corrected["local_date"] as? String == "2025-07-01")
        #expect(corrected["case_number"] as? String == "CR-2025-000001")
        #expect((corrected["seizures"] as? [[String: Any]])?.first?["item"] as? String == "opium")
        let badCorrection = try update("--district", "9999", "--reason", "typo", "--officer", "OFF1")
        #expect(badCorrection.status == 69)

        let history = try #require((try mekong.run("audit", "log", "CR-2025-000001", "--format", "json").json as? [String: Any])?["entries"] as? [[String: Any]])
        #expect(history.map { $0["action"] as? String } == ["incident.create"] + Array(repeating: "incident.update", count: 6))
        let last = try #require(history.last?["detail"] as? [String: Any])
        #expect(last["reason"] as? String == "Seized on the Chiang Saen side")
        let changes = try #require(last["changes"] as? [String: [String: Any]])
        #expect(changes["district"]?["old"] as? String == "5709" && changes["district"]?["new"] as? String == "5708")
        #expect(Set(changes.keys) == ["district", "occurred_at", "seizures"])
        #expect(try mekong.run("audit", "verify").status == 0)
        // Nothing to change is a usage error; the same value again changes nothing.
        #expect(try update("--officer", "OFF1").status == 64)
        #expect(try update("--assign", "OFF1", "--officer", "SUP1").status == 0)
        #expect(try mekong.sql("SELECT count(*) FROM audit_log WHERE action = 'incident.update'") == "6\n")
    }

    @Test("notes are appended; links read from both sides and are never doubled")
    func notesAndLinks() throws {
        let mekong = try Mekong.withOfficers()
        defer { mekong.remove() }
        _ = try log(mekong, summary: "first")
        _ = try log(mekong, summary: "second")
        try mekong.expectSuccess("incident", "note", "CR-2025-000001", "คนขับรถถูกระบุตัวจากกล้องวงจรปิด", "--officer", "OFF1")
        try mekong.expectSuccess("incident", "note", "CR-2025-000001", "-", "--officer", "SUP1", stdin: "line one\nline two\n")
        let empty = try mekong.run("incident", "note", "CR-2025-000001", "   ", "--officer", "OFF1")
        #expect(empty.status == 65)
        try mekong.expectSuccess("incident", "link", "CR-2025-000001", "CR-2025-000002", "--officer", "OFF1")
        let again = try mekong.run("incident", "link", "CR-2025-000002", "CR-2025-000001", "--officer", "OFF1", "--format", "table")
        #expect(again.status == 0 && again.stdout.contains("linked already"))
        #expect(try mekong.run("incident", "link", "CR-2025-000001", "CR-2025-000001", "--officer", "OFF1").status == 64)
        #expect(try mekong.run("incident", "link", "CR-2025-000001", "CR-2025-000099", "--officer", "OFF1").status == 69)

        let first = try #require(try mekong.run("incident", "show", "CR-2025-000001", "--format", "json").json as? [String: Any])
        let notes = try #require(first["notes"] as? [[String: Any]])
        #expect(notes.map { $0["text"] as? String } == ["คนขับรถถูกระบุตัวจากกล้องวงจรปิด", "line one\nline two\n"])
        #expect(notes.map { $0["officer"] as? String } == ["OFF1", "SUP1"])
        #expect((first["links"] as? [[String: Any]])?.map { $0["case_number"] as? String } == ["CR-2025-000002"])
        let second = try #require(try mekong.run("incident", "show", "CR-2025-000002", "--format", "json").json as? [String: Any])
        #expect((second["links"] as? [[String: Any]])?.map { $0["case_number"] as? String } == ["CR-2025-000001"])
        #expect((second["history"] as? [[String: Any]])?.contains { $0["action"] as? String == "incident.link" } == true)
        #expect(try mekong.sql("SELECT count(*) FROM links") == "1\n")
        // Notes cannot be changed even with SQL, short of tampering (see the audit tests).
        #expect(try mekong.run("audit", "verify").status == 0)
    }

    @Test("checkpoints are added and changed by admins, never deleted, and audited")
    func checkpointAdmin() throws {
        let mekong = try Mekong.withOfficers()
        defer { mekong.remove() }
        _ = try log(mekong, ["--checkpoint", "RPT"], type: "goods_smuggling", district: "5703")
        let added = try #require(try mekong.run("checkpoint", "add", "RFT2", "--name", "Ban Romfa Thai trade point", "--kind", "trade_point",
                                                "--district", "5703", "--status", "proposed", "--opens", "07:00", "--closes", "18:00",
                                                "--officer", "ADMIN1", "--format", "json").json as? [String: Any])
        #expect(added["status"] as? String == "proposed" && added["opens"] as? String == "07:00")
        #expect(try mekong.run("checkpoint", "add", "RFT2", "--name", "x", "--kind", "trade_point", "--district", "5703", "--officer", "ADMIN1").status == 1)
        #expect(try mekong.run("checkpoint", "add", "bad code", "--name", "x", "--kind", "trade_point", "--district", "5703", "--officer", "ADMIN1").status == 65)
        #expect(try mekong.run("checkpoint", "add", "ZZ9", "--name", "x", "--kind", "trade_point", "--district", "9999", "--officer", "ADMIN1").status == 69)
        let suspended = try #require(try mekong.run("checkpoint", "update", "RPT", "--status", "suspended", "--notes", "Relocation agreed",
                                                    "--officer", "ADMIN1", "--format", "json").json as? [String: Any])
        #expect(suspended["status"] as? String == "suspended")
        let checkpoints = try #require((try mekong.run("checkpoint", "list", "--format", "json").json as? [String: Any])?["checkpoints"] as? [[String: Any]])
        #expect(checkpoints.count == 11 && checkpoints.contains { $0["code"] as? String == "RPT" })
        // The incident keeps its place at the suspended checkpoint.
        let incidents = try #require((try mekong.run("incident", "list", "--checkpoint", "RPT", "--format", "json").json as? [String: Any])?["incidents"] as? [[String: Any]])
        #expect(incidents.count == 1)
        let entries = try #require((try mekong.run("audit", "log", "--format", "json").json as? [String: Any])?["entries"] as? [[String: Any]])
        let update = try #require(entries.first { $0["action"] as? String == "checkpoint.update" })
        let detail = try #require(update["detail"] as? [String: [String: Any]])
        #expect(detail["before"]?["status"] as? String == "active" && detail["after"]?["status"] as? String == "suspended")
        #expect(entries.contains { $0["action"] as? String == "checkpoint.add" && $0["officer"] as? String == "ADMIN1" })
    }
}

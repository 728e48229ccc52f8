import Foundation
import Testing

/// Import and export through the built binary (SPEC section 2 and 3).
@Suite("End to end: import and export")
struct ImportExportTests {
    static let header = "id,type,occurred_at,district,checkpoint,summary,status,source,place,lat,lon,arrests,persons,vehicles,victims,loss_thb,seizures"

    func file(_ mekong: Mekong, _ name: String, _ text: String) throws -> String {
        let path = mekong.home.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func count(_ mekong: Mekong) throws -> Int {
        Int(try mekong.sql("SELECT count(*) FROM incidents").trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    @Test("RFC 4180: quoted commas, doubled quotes, line breaks in quotes, CRLF, a byte-order mark; text kept exactly")
    func csvEdgeCases() throws {
        let mekong = try Mekong.withOfficers()
        defer { mekong.remove() }
        let injection = "'; DROP TABLE incidents; --"
        let csv = "\u{FEFF}" + ImportExportTests.header + "\r\n"
            + "0190a0b0-0000-7000-8000-000000000001,drug_seizure,2025-06-24T14:30:00+07:00,5709,MS1,\"Sacks at the bridge, under cabbages\",open,patrol,\"Km 3, \"\"old\"\" road\",20.428,99.884,2,0,1,0,,methamphetamine_tablets:1350000:tablets;heroin:850:g\r\n"
            + "0190a0b0-0000-7000-8000-000000000002,scam,2025-06-30T20:00:00Z,5701,,\"line one\r\nline two\nline three\",,referral,,,,0,0,0,3,120000.5,\r\n"
            + "0190a0b0-0000-7000-8000-000000000003,other,2025-07-01,5703,,\(injection),,,,,,,,,,,\n"
            + "0190a0b0-0000-7000-8000-000000000004,human_trafficking,2025-07-02T09:00,5708,,ພໍ່ແມ່ບອກວ່າ ลูกสาวถูกหลอก 🙏🏽 e\u{301},,,,,,,,,,,\n"
        let path = try file(mekong, "edge.csv", csv)
        let result = try mekong.run("import", path, "--officer", "SUP1", "--format", "json")
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try #require(result.json as? [String: Any])
        #expect(summary["imported"] as? Int == 4 && summary["records"] as? Int == 4)
        #expect((summary["sha256"] as? String)?.count == 64)

        func show(_ id: String) throws -> [String: Any] {
            try #require(try mekong.run("incident", "show", "0190a0b0-0000-7000-8000-00000000000\(id)", "--format", "json").json as? [String: Any])
        }
        #expect(try show("1")["summary"] as? String == "Sacks at the bridge, under cabbages")
        #expect(try show("1")["place"] as? String == "Km 3, \"old\" road")
        #expect((try show("1")["seizures"] as? [[String: Any]])?.map { $0["quantity"] as? Double } == [1_350_000, 0.85])
        #expect(try show("2")["summary"] as? String == "line one\r\nline two\nline three")
        #expect(try show("2")["loss_thb"] as? Double == 120_000.5)
        #expect(try show("2")["local_date"] as? String == "2025-07-01")
        #expect(try show("3")["summary"] as? String == injection)
        #expect(try show("4")["summary"] as? String == "ພໍ່ແມ່ບອກວ່າ ลูกสาวถูกหลอก 🙏🏽 e\u{301}")
        #expect(try mekong.sql("SELECT count(*) FROM incidents WHERE summary = '''; DROP TABLE incidents; --'") == "1\n")
        #expect(try mekong.sql("SELECT hex(summary) FROM incidents WHERE id = x'0190a0b0000070008000000000000004'")
                == Data("ພໍ່ແມ່ບອກວ່າ ลูกสาวถูกหลอก 🙏🏽 e\u{301}".utf8).map { String(format: "%02X", $0) }.joined() + "\n")
        // A record's line number is the line it starts on, even after a multi-line field.
        let bad = try file(mekong, "bad.csv", ImportExportTests.header + "\n"
            + ",scam,2025-06-24,5709,,\"two\nlines\",,,,,,,,,,,\n"
            + ",scam,2025-06-24,9999,,x,,,,,,,,,,,\n")
        let refused = try mekong.run("import", bad, "--officer", "SUP1")
        #expect(refused.status == 65)
        #expect(refused.stderrLines.first == "error: line 4, field \"district\": unknown district code \"9999\"")
    }

    @Test("every rule of incident log is applied, each refusal naming its line and field", arguments: [
        (#"{"type":"drugs","occurred_at":"2025-06-24","district":"5709","summary":"x"}"#, "type"),
        (#"{"type":"scam","occurred_at":"24/06/2025","district":"5709","summary":"x"}"#, "occurred_at"),
        (#"{"type":"scam","occurred_at":"2025-06-24","district":"9999","summary":"x"}"#, "district"),
        (#"{"type":"scam","occurred_at":"2025-06-24","district":"5709","checkpoint":"XX9","summary":"x"}"#, "checkpoint"),
        (#"{"type":"scam","occurred_at":"2025-06-24","district":"5709","summary":""}"#, "summary"),
        (#"{"type":"scam","occurred_at":"2025-06-24","district":"5709"}"#, "summary"),
        (#"{"type":"scam","occurred_at":"2025-06-24","district":"5709","summary":"x","status":"done"}"#, "status"),
        (#"{"type":"scam","occurred_at":"2025-06-24","district":"5709","summary":"x","source":"rumour"}"#, "source"),
        (#"{"type":"scam","occurred_at":"2025-06-24","district":"5709","summary":"x","lat":95,"lon":99}"#, "lat"),
        (#"{"type":"scam","occurred_at":"2025-06-24","district":"5709","summary":"x","lat":20}"#, "lon"),
        (#"{"type":"scam","occurred_at":"2025-06-24","district":"5709","summary":"x","arrests":-1}"#, "arrests"),
        (#"{"type":"scam","occurred_at":"2025-06-24","district":"5709","summary":"x","persons":1.5}"#, "persons"),
        (#"{"type":"scam","occurred_at":"2025-06-24","district":"5709","summary":"x","victims":"two"}"#, "victims"),
        (#"{"type":"scam","occurred_at":"2025-06-24","district":"5709","summary":"x","loss_thb":-5}"#, "loss_thb"),
        (#"{"type":"scam","occurred_at":"2025-06-24","district":"5709","summary":"x","seizures":[{"item":"heroin","quantity":1,"unit":"tablets"}]}"#, "seizures[1].unit"),
        (#"{"type":"scam","occurred_at":"2025-06-24","district":"5709","summary":"x","seizures":[{"item":"yaba","quantity":1,"unit":"tablets"}]}"#, "seizures[1].item"),
        (#"{"type":"scam","occurred_at":"2025-06-24","district":"5709","summary":"x","seizures":[{"item":"heroin","quantity":0,"unit":"kg"}]}"#, "seizures[1].quantity"),
        (#"{"type":"scam","occurred_at":"2025-06-24","district":"5709","summary":"x","distrct":"5709"}"#, "distrct"),
        (#"{"type":"scam","occurred_at":"2025-06-24","district":"5709","summary":"x","summary":"y"}"#, "summary"),
        (#"{"id":"not-a-uuid","type":"scam","occurred_at":"2025-06-24","district":"5709","summary":"x"}"#, "id"),
    ])
    func rules(record: String, field: String) throws {
        let mekong = try Mekong.withOfficers()
        defer { mekong.remove() }
        let good = #"{"type":"scam","occurred_at":"2025-06-24","district":"5709","summary":"fine"}"#
        let path = try file(mekong, "one.ndjson", [good, "", record, good].joined(separator: "\n"))
        let result = try mekong.run("import", path, "--officer", "SUP1")
        #expect(result.status == 65)
        #expect(result.stderrLines.contains { $0.hasPrefix("error: line 3, field \"\(field)\": ") }, "\(result.stderr)")
        #expect(result.stderrLines.last?.contains("nothing was imported") == true)
        #expect(try count(mekong) == 0, "all or nothing")
    }

    @Test("a refused import leaves the database exactly as it was, and lists every bad record")
    func allOrNothing() throws {
        let mekong = try Mekong.withOfficers()
        defer { mekong.remove() }
        try mekong.run("demo")
        let before = try mekong.sql("SELECT count(*), (SELECT count(*) FROM seizures), (SELECT count(*) FROM audit_log), (SELECT max(last) FROM case_counters) FROM incidents")
        var lines = (1...500).map { #"{"type":"scam","occurred_at":"2025-06-24","district":"5709","summary":"record \#($0)"}"# }
        lines[99] = #"{"type":"scam","occurred_at":"2025-06-24","district":"0000","summary":"bad"}"#
        lines[399] = "not json at all"
        lines[499] = #"{"type":"scam","occurred_at":"2025-06-24","district":"5709","summary":"x","seizures":[{"item":"heroin","quantity":1,"unit":"tablets"}]}"#
        let path = try file(mekong, "mixed.ndjson", lines.joined(separator: "\n") + "\n")
        let result = try mekong.run("import", path, "--officer", "SUP1")
        #expect(result.status == 65)
        #expect(result.stderrLines.count == 4)
        #expect(result.stderr.contains("line 100, field \"district\""))
        #expect(result.stderr.contains("line 400: not valid JSON"))
        #expect(result.stderr.contains("line 500, field \"seizures[1].unit\""))
        #expect(try mekong.sql("SELECT count(*), (SELECT count(*) FROM seizures), (SELECT count(*) FROM audit_log), (SELECT max(last) FROM case_counters) FROM incidents") == before)
        // Many bad records: the first hundred are listed, then a count.
        let many = try file(mekong, "many.ndjson", (1...150).map { _ in #"{"type":"x"}"# }.joined(separator: "\n"))
        let flood = try mekong.run("import", many, "--officer", "SUP1")
        #expect(flood.status == 65 && flood.stderr.contains("more problems"))
    }

    @Test("importing again skips every record as a duplicate; a dry run writes nothing")
    func duplicatesAndDryRun() throws {
        let mekong = try Mekong.withOfficers()
        defer { mekong.remove() }
        let records = (1...20).map { #"{"id":"0190a0b0-0000-7000-8000-0000000000\#(String(format: "%02d", $0))","type":"scam","occurred_at":"2025-06-\#(String(format: "%02d", $0))","district":"5709","summary":"r\#($0)"}"# }
        let path = try file(mekong, "twenty.ndjson", (records + [records[0]]).joined(separator: "\n"))
        let dry = try #require(try mekong.run("import", path, "--dry-run", "--officer", "SUP1", "--format", "json").json as? [String: Any])
        #expect(dry["would_import"] as? Int == 20 && dry["duplicates"] as? Int == 1 && dry["dry_run"] as? Bool == true)
        #expect(try count(mekong) == 0)
        let first = try #require(try mekong.run("import", path, "--officer", "SUP1", "--format", "json").json as? [String: Any])
        #expect(first["imported"] as? Int == 20 && first["duplicates"] as? Int == 1)
        let again = try #require(try mekong.run("import", path, "--officer", "SUP1", "--format", "json").json as? [String: Any])
        #expect(again["imported"] as? Int == 0 && again["duplicates"] as? Int == 21)
        #expect(try count(mekong) == 20)
        let entries = try mekong.sql("SELECT json_extract(detail, '$.inserted') || '/' || json_extract(detail, '$.duplicates') FROM audit_log WHERE action = 'incident.import' ORDER BY seq")
        #expect(entries == "20/1\n0/21\n")
        #expect(try mekong.run("audit", "verify").status == 0)
    }

    @Test("--skip-invalid on a CSV of several batches: the rejects file has its header once, first, over rows from every batch")
    func skipInvalidAcrossBatches() throws {
        let mekong = try Mekong.withOfficers()
        defer { mekong.remove() }
        // 600 rows (the import reads 256 a batch); every hundredth names an unknown district.
        var csv = ImportExportTests.header + "\n"
        for index in 1...600 {
            csv += ",scam,2025-06-24,\(index % 100 == 1 ? "9999" : "5709"),,call-centre fraud \(index),,,,,,,,,,,\n"
        }
        let path = try file(mekong, "big.csv", csv)
        let result = try mekong.run("import", path, "--skip-invalid", "--officer", "SUP1", "--format", "json")
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try #require(result.json as? [String: Any])
        #expect(summary["imported"] as? Int == 594 && summary["rejected"] as? Int == 6)
        let rejects = try String(contentsOfFile: path + ".rejects.csv", encoding: .utf8)
        let lines = rejects.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.count == 7)
        #expect(lines.first == ImportExportTests.header + ",rejected_reason")
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix(",scam,2025-06-24,9999,") }, "\(lines)")
    }

    @Test("--skip-invalid imports the good records and writes the bad ones, with reasons, to a file that imports once fixed")
    func skipInvalid() throws {
        let mekong = try Mekong.withOfficers()
        defer { mekong.remove() }
        let csv = ImportExportTests.header + "\n"
            + ",scam,2025-06-24,5709,,good one,,,,,,,,,,,\n"
            + ",scam,2025-06-24,9999,,\"bad, district\",,,,,,,,,,,\n"
            + ",drugs,yesterday,5709,,bad type and time,,,,,,,,,,,\n"
            + ",scam,2025-06-25,5708,,good two,,,,,,,,,,,\n"
        let path = try file(mekong, "partner.csv", csv)
        let result = try mekong.run("import", path, "--skip-invalid", "--officer", "SUP1", "--format", "json")
        #expect(result.status == 0)
        let summary = try #require(result.json as? [String: Any])
        #expect(summary["imported"] as? Int == 2 && summary["rejected"] as? Int == 2)
        let rejectsPath = try #require(summary["rejects_file"] as? String)
        #expect(rejectsPath == path + ".rejects.csv")
        let rejects = try String(contentsOfFile: rejectsPath, encoding: .utf8)
        let lines = rejects.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.count == 3)
        #expect(lines[0] == ImportExportTests.header + ",rejected_reason")
        #expect(lines[1].hasPrefix(",scam,2025-06-24,9999,,\"bad, district\"") && lines[1].contains("line 3, field \"\"district\"\": unknown district code"))
        #expect(lines[2].contains("field \"\"type\"\"") && lines[2].contains("field \"\"occurred_at\"\""))
        #expect(result.stderrLines.count == 3)
        // Fixed in place, the rejects file imports (its reason column is ignored).
        let fixed = rejects.replacingOccurrences(of: ",9999,", with: ",5709,").replacingOccurrences(of: ",drugs,yesterday,", with: ",drug_seizure,2025-06-26,")
        try fixed.write(toFile: rejectsPath, atomically: true, encoding: .utf8)
        let second = try #require(try mekong.run("import", rejectsPath, "--officer", "SUP1", "--format", "json").json as? [String: Any])
        #expect(second["imported"] as? Int == 2)
        #expect(try count(mekong) == 4)

        // NDJSON rejects keep the record and add _rejected, which a later import ignores.
        let ndjson = try file(mekong, "p.ndjson", #"{"type":"scam","occurred_at":"2025-06-24","district":"0000","summary":"ไม่ทราบอำเภอ"}"# + "\n{broken\n")
        let third = try mekong.run("import", ndjson, "--skip-invalid", "--officer", "SUP1")
        #expect(third.status == 0)
        let rejected = try String(contentsOfFile: ndjson + ".rejects.ndjson", encoding: .utf8).split(separator: "\n")
        #expect(rejected.count == 2)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(rejected[0].utf8)) as? [String: Any])
        #expect(first["summary"] as? String == "ไม่ทราบอำเภอ" && (first["_rejected"] as? [String: Any])?["line"] as? Int == 1)
        #expect((try JSONSerialization.jsonObject(with: Data(rejected[1].utf8)) as? [String: Any])?["_text"] as? String == "{broken")
    }

    @Test("export → import into an empty database → export gives the same records, as NDJSON and as CSV; every line fits the JSON Schema")
    func roundTrip() throws {
        let original = try Mekong.withOfficers()
        defer { original.remove() }
        try original.run("demo")
        try original.expectSuccess("incident", "update", "CR-2025-000003", "--status", "investigating", "--officer", "SUP1")
        for format in ["ndjson", "csv"] {
            let exported = try original.run("export", "--format", format)
            #expect(exported.status == 0 && exported.stderr.isEmpty)
            let copy = try Mekong.withOfficers()
            defer { copy.remove() }
            let path = try file(copy, "export.\(format)", exported.stdout)
            let imported = try copy.run("import", path, "--officer", "SUP1", "--format", "json")
            #expect((imported.json as? [String: Any])?["imported"] as? Int == 39, "\(imported.stderr)")
            let again = try copy.run("export", "--format", format)
            #expect(comparable(again.stdout, format: format) == comparable(exported.stdout, format: format), "\(format)")
            #expect(!comparable(exported.stdout, format: format).isEmpty)
        }
        let ndjson = try original.run("export")
        let check = try SchemaFileTests().validate(ndjson.stdout)
        #expect(check.status == 0, "\(check.output)")
        let redacted = try original.run("export", "--redact")
        #expect(try SchemaFileTests().validate(redacted.stdout).status == 0)
        // A JSON array too.
        let array = try #require(try JSONSerialization.jsonObject(with: Data(try original.run("export", "--format", "json").stdout.utf8)) as? [[String: Any]])
        #expect(array.count == 39)
        // Oldest first.
        #expect(array.first?["occurred_at"] as? String == "2025-01-08T05:40:00+07:00")
    }

    /// The records without what the importing database assigns itself: case numbers, who
    /// recorded them and when.
    func comparable(_ text: String, format: String) -> [String] {
        if format == "csv" {
            let rows = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            // Drop case_number (2nd), recorded_by, assigned_to, created_at, updated_at (last four).
            return rows.dropFirst().map { row in
                var cells = row.components(separatedBy: ",")
                cells.removeLast(4)
                cells.remove(at: 1)
                return cells.joined(separator: ",")
            }
        }
        return text.split(separator: "\n").map { line in
            var object = (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]) ?? [:]
            for key in ["case_number", "recorded_by", "assigned_to", "created_at", "updated_at"] { object[key] = nil }
            return String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }
    }

    @Test("a redacted export holds no officer codes, informant details or notes, and rounds coordinates")
    func redaction() throws {
        let mekong = try Mekong.withOfficers()
        defer { mekong.remove() }
        try mekong.expectSuccess("incident", "log", "--officer", "OFF1", "--type", "drug_seizure", "--district", "5713",
                                 "--occurred-at", "2025-07-15", "--source", "tip_off", "--summary", "ขนยาบ้าข้ามโขง",
                                 "--lat", "19.99512", "--lon", "100.46733", "--place", "บ้านร่มโพธิ์ทอง")
        try mekong.expectSuccess("incident", "informant", "CR-2025-000001", "--name", "Secret Source", "--contact", "0812345678", "--officer", "SUP1")
        try mekong.expectSuccess("incident", "note", "CR-2025-000001", "met the source behind the temple", "--officer", "OFF1")
        try mekong.expectSuccess("incident", "update", "CR-2025-000001", "--assign", "OFF1", "--officer", "SUP1")
        for format in ["ndjson", "csv", "json"] {
            let plain = try mekong.run("export", "--format", format)
            #expect(plain.stdout.contains("OFF1") && plain.stdout.contains("19.99512"), "\(format)")
            let redacted = try mekong.run("export", "--redact", "--format", format)
            #expect(redacted.status == 0)
            for secret in ["OFF1", "SUP1", "Secret Source", "0812345678", "temple", "19.99512", "100.46733", "recorded_by", "assigned_to"] {
                #expect(!redacted.stdout.contains(secret), "\(format) holds \(secret)")
            }
            #expect(redacted.stdout.contains("ขนยาบ้าข้ามโขง") && redacted.stdout.contains("บ้านร่มโพธิ์ทอง"), "free text is kept")
            // 19.99512, 100.46733 rounded to 0.1°: 20 and 100.5, in each format's own spelling.
            let rounded = format == "csv" ? #",20(\.0)?,100\.5,"# : #""lat": ?20(\.0)?,\s*"lon": ?100\.5[,}\s]"#
            #expect(redacted.stdout.range(of: rounded, options: .regularExpression) != nil, "\(format): coordinates rounded to 0.1°")
        }
        // Unredacted exports never carry informant details or notes either.
        let full = try mekong.run("export")
        #expect(!full.stdout.contains("Secret Source") && !full.stdout.contains("temple"))
        // The informant is never in an incident listing either.
        #expect(!(try mekong.run("incident", "list", "--format", "json").stdout.contains("Secret Source")))
    }

    @Test("export filters, --output written whole and private, formats refused")
    func exportOptions() throws {
        let mekong = try Mekong.withOfficers()
        defer { mekong.remove() }
        try mekong.run("demo")
        let target = mekong.home.appendingPathComponent("mae-sai.ndjson").path
        let result = try mekong.run("export", "--district", "5709", "--since", "2025-06-01", "--until", "2025-12-31", "--output", target)
        #expect(result.status == 0 && result.stdout.isEmpty && result.stderr.contains("Exported 5 incidents"))
        let lines = try String(contentsOfFile: target, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 5)
        #expect(!FileManager.default.fileExists(atPath: target + ".partial"))
        let mode = try FileManager.default.attributesOfItem(atPath: target)[.posixPermissions] as? Int
        #expect(mode.map { $0 & 0o777 } == 0o600)
        #expect(try mekong.run("export", "--format", "table").status == 64)
        #expect(try mekong.run("export", "--district", "9999").status == 69)
        let empty = try mekong.run("export", "--format", "json", "--district", "5702")
        #expect(empty.stdout == "[]\n")
    }

    @Test("import needs a supervisor, a file, and a format it can tell")
    func importUsage() throws {
        let mekong = try Mekong.withOfficers()
        defer { mekong.remove() }
        let path = try file(mekong, "x.ndjson", #"{"type":"scam","occurred_at":"2025-06-24","district":"5709","summary":"x"}"#)
        #expect(try mekong.run("import", path).status == 64)
        let officer = try mekong.run("import", path, "--officer", "OFF1")
        #expect(officer.status == 77 && officer.stderr.contains("supervisor or admin"))
        #expect(try mekong.run("import", mekong.home.appendingPathComponent("missing.ndjson").path, "--officer", "SUP1").status == 66)
        #expect(try mekong.run("import", mekong.home.path, "--officer", "SUP1").status == 66)
        let odd = try file(mekong, "records.txt", "x")
        #expect(try mekong.run("import", odd, "--officer", "SUP1").status == 64)
        let piped = try mekong.run("import", "-", "--input-format", "ndjson", "--officer", "SUP1", "--format", "json",
                                   stdin: #"{"type":"scam","occurred_at":"2025-06-24","district":"5709","summary":"from a pipe"}"#)
        #expect((piped.json as? [String: Any])?["imported"] as? Int == 1, "\(piped.stderr)")
        #expect(try mekong.run("import", "-", "--officer", "SUP1", stdin: "").status == 64, "stdin needs --input-format")
        // No progress bar when stderr is not a terminal.
        let quiet = try mekong.run("import", path, "--officer", "SUP1", "--format", "table")
        #expect(quiet.stderr.isEmpty)
        // A CSV whose header is wrong is refused before any record.
        let header = try file(mekong, "h.csv", "type,when,district,summary\nscam,2025-06-24,5709,x\n")
        let refused = try mekong.run("import", header, "--officer", "SUP1")
        #expect(refused.status == 65 && refused.stderr.contains("unknown column \"when\"") && refused.stderr.contains("occurred_at"))
        let unclosed = try file(mekong, "q.csv", ImportExportTests.header + "\n,scam,2025-06-24,5709,,\"never closed,,,,,,,,,,,\n")
        #expect(try mekong.run("import", unclosed, "--officer", "SUP1").status == 65)
        // What `export --format json` writes is one array: refused with one line saying what to do.
        let array = try mekong.run("export", "--format", "json")
        let arrayPath = try file(mekong, "all.json", array.stdout)
        let arrayImport = try mekong.run("import", arrayPath, "--officer", "SUP1")
        #expect(arrayImport.status == 65 && arrayImport.stderrLines.count == 1 && arrayImport.stderr.contains("--format ndjson"), "\(arrayImport.stderr)")
    }

    @Test("checkpoint traffic import: a day again replaces it, the last row of a day wins, bad rows refuse the file")
    func trafficImport() throws {
        let mekong = try Mekong.withOfficers()
        defer { mekong.remove() }
        let first = try file(mekong, "june.csv", "checkpoint,date,persons_in,persons_out,vehicles_in,vehicles_out,out_of_hours\r\n"
            + "MS1,2025-06-01,1200,1150,300,280,2\r\n" + "RPT,2025-06-01,3,2,0,0,0\r\n" + "MS1,2025-06-02,1000,900,250,240,0\r\n"
            + "MS1,2025-06-02,1100,950,260,250,1\r\n")
        let result = try #require(try mekong.run("checkpoint", "traffic", "import", first, "--officer", "SUP1", "--format", "json").json as? [String: Any])
        #expect(result["rows"] as? Int == 4 && result["days"] as? Int == 3 && result["replaced"] as? Int == 0)
        #expect(try mekong.sql("SELECT persons_in, out_of_hours FROM checkpoint_traffic WHERE checkpoint = 'MS1' AND date = '2025-06-02'") == "1100|1\n")
        let again = try file(mekong, "fix.csv", "checkpoint,date,persons_in,persons_out,vehicles_in,vehicles_out\nMS1,2025-06-01,1300,1200,310,290\n")
        let second = try #require(try mekong.run("checkpoint", "traffic", "import", again, "--officer", "SUP1", "--format", "json").json as? [String: Any])
        #expect(second["replaced"] as? Int == 1)
        #expect(try mekong.sql("SELECT persons_in, out_of_hours FROM checkpoint_traffic WHERE checkpoint = 'MS1' AND date = '2025-06-01'") == "1300|0\n")
        let bad = try file(mekong, "bad.csv", "checkpoint,date,persons_in,persons_out,vehicles_in,vehicles_out\n"
            + "XX9,2025-06-03,1,1,1,1\n" + "MS1,2025-06-31,1,1,1,1\n" + "MS1,2025-06-04,-5,1,1,1\n" + "MS1,2025-06-05,1,1,1\n")
        let refused = try mekong.run("checkpoint", "traffic", "import", bad, "--officer", "SUP1")
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("line 2, field \"checkpoint\": unknown checkpoint code \"XX9\""))
        #expect(refused.stderr.contains("line 3, field \"date\""))
        #expect(refused.stderr.contains("line 4, field \"persons_in\""))
        #expect(refused.stderr.contains("line 5: 5 fields"))
        #expect(try mekong.sql("SELECT count(*) FROM checkpoint_traffic") == "3\n")
        #expect(try mekong.run("checkpoint", "traffic", "import", first, "--officer", "OFF1").status == 77)
        #expect(try mekong.sql("SELECT count(*) FROM audit_log WHERE action = 'traffic.import'") == "2\n")
        let header = try file(mekong, "h.csv", "checkpoint,day,persons_in\n")
        #expect(try mekong.run("checkpoint", "traffic", "import", header, "--officer", "SUP1").status == 65)
    }
}

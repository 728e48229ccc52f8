import Foundation
import Testing

@Suite("End to end: init, reference listings, demo, exit codes")
struct FoundationCommandsTests {
    @Test("init creates the database and is safe to run again")
    func initTwice() throws {
        let mekong = try Mekong()
        defer { mekong.remove() }
        let first = try mekong.run("init", "--format", "table")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("Districts 18 (18 added), checkpoints 10 (10 added)"))
        #expect(first.stderr.isEmpty)
        let second = try mekong.run("init", "--format", "json")
        #expect(second.status == 0)
        let json = try #require(second.json as? [String: Any])
        #expect(json["time_zone"] as? String == "Asia/Bangkok")
        #expect((json["districts"] as? [String: Int]) == ["total": 18, "added": 0])
        #expect((json["checkpoints"] as? [String: Int]) == ["total": 10, "added": 0])
    }

    @Test("district list --format json gives every district with its Thai name")
    func districtList() throws {
        let mekong = try Mekong()
        defer { mekong.remove() }
        try mekong.run("init")
        let result = try mekong.run("district", "list", "--format", "json")
        #expect(result.status == 0 && result.stderr.isEmpty)
        let districts = try #require((result.json as? [String: Any])?["districts"] as? [[String: Any]])
        #expect(districts.count == 18)
        let maeSai = try #require(districts.first { $0["code"] as? String == "5709" })
        #expect(maeSai["name"] as? String == "Mae Sai")
        #expect(maeSai["name_local"] as? String == "แม่สาย")
        #expect(maeSai["border"] as? [String] == ["MM"])
        // Other shapes of the same listing.
        let csv = try mekong.run("district", "list", "--format", "csv")
        #expect(csv.stdout.hasPrefix("Code,Name,Thai,Border,Lat,Lon,Notes\r\n5701,Mueang Chiang Rai,เมืองเชียงราย,"))
        let ndjson = try mekong.run("district", "list", "--format", "ndjson")
        #expect(ndjson.stdout.split(separator: "\n").count == 18)
        let table = try mekong.run("district", "list", "--format", "table")
        #expect(table.stdout.contains("5709  Mae Sai"))
        let markdown = try mekong.run("district", "list", "--format", "markdown")
        #expect(markdown.stdout.hasPrefix("| Code | Name |"))
        // Not a terminal: JSON by default.
        #expect(try mekong.run("district", "list").json != nil)
    }

    @Test("checkpoint list, all and by district")
    func checkpointList() throws {
        let mekong = try Mekong()
        defer { mekong.remove() }
        try mekong.run("init")
        let all = try #require((try mekong.run("checkpoint", "list", "--format", "json").json as? [String: Any])?["checkpoints"] as? [[String: Any]])
        #expect(all.count == 10)
        for checkpoint in all {
            for key in ["code", "name", "kind", "district", "status"] { #expect(checkpoint.keys.contains(key)) }
        }
        let maeSai = try mekong.run("checkpoint", "list", "--district", "5709", "--format", "json")
        let codes = ((maeSai.json as? [String: Any])?["checkpoints"] as? [[String: Any]])?.compactMap { $0["code"] as? String }
        #expect(codes == ["MS1", "MS2"])
        let unknown = try mekong.run("checkpoint", "list", "--district", "9999")
        #expect(unknown.status == 69)
        #expect(unknown.stderrLines == ["error: unknown district code \"9999\" (see `mekong district list`)"])
        #expect(unknown.stdout.isEmpty)
    }

    @Test("demo twice: the same summary, nothing doubled")
    func demoTwice() throws {
        let mekong = try Mekong()
        defer { mekong.remove() }
        let first = try mekong.run("demo", "--format", "table")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("Demo incidents: 39 loaded, 0 already in the database."))
        #expect(first.stdout.contains("District summary, 2025-01-01 to 2025-12-31 (local dates, Asia/Bangkok)"))
        #expect(first.stdout.contains("5709 Mae Sai แม่สาย"))
        #expect(first.stdout.contains("methamphetamine_tablets  7,500,000  tablets"))
        let second = try mekong.run("demo", "--format", "table")
        #expect(second.status == 0)
        #expect(second.stderr.contains("Demo incidents: 0 loaded, 39 already in the database."))
        #expect(second.stdout == first.stdout)

        let json = try #require(try mekong.run("demo", "--format", "json").json as? [String: Any])
        let totals = try #require(json["totals"] as? [String: Any])
        // 39 demo incidents, one of which is on 1 January 2026 in Bangkok.
        #expect(totals["incidents"] as? Int == 38)
        let seizures = try #require(totals["seizures"] as? [[String: Any]])
        let tablets = seizures.first { $0["item"] as? String == "methamphetamine_tablets" }
        #expect(tablets?["quantity"] as? Double == 7_500_000 && tablets?["unit"] as? String == "tablets")
        let precursorUnits = Set(seizures.filter { $0["item"] as? String == "precursor_chemicals" }.compactMap { $0["unit"] as? String })
        #expect(precursorUnits == ["kg", "l"])
    }

    @Test("the database file is WAL, sound, and owner-only, as the sqlite3 shell sees it",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3")))
    func sqliteShell() throws {
        let mekong = try Mekong()
        defer { mekong.remove() }
        try mekong.run("demo")
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        shell.arguments = [mekong.database, "PRAGMA journal_mode; PRAGMA integrity_check; PRAGMA foreign_key_check;"]
        let out = Pipe()
        shell.standardOutput = out
        try shell.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        shell.waitUntilExit()
        #expect(text == "wal\nok\n")
        let mode = try FileManager.default.attributesOfItem(atPath: mekong.database)[.posixPermissions] as? Int
        #expect(mode.map { $0 & 0o777 } == 0o600)
    }

    @Test("without --db or MEKONG_DB the database lives under XDG_DATA_HOME")
    func defaultLocation() throws {
        let mekong = try Mekong()
        defer { mekong.remove() }
        let result = try mekong.run("init", environment: ["MEKONG_DB": nil])
        #expect(result.status == 0)
        #expect(FileManager.default.fileExists(atPath: mekong.home.appendingPathComponent("data/mekong/mekong.sqlite").path))
        let fallback = try mekong.run("init", environment: ["MEKONG_DB": nil, "XDG_DATA_HOME": nil])
        #expect(fallback.status == 0)
        #expect(FileManager.default.fileExists(atPath: mekong.home.appendingPathComponent(".local/share/mekong/mekong.sqlite").path))
        // --db wins over MEKONG_DB.
        let other = mekong.home.appendingPathComponent("other.sqlite").path
        #expect(try mekong.run("init", "--db", other).status == 0)
        #expect(FileManager.default.fileExists(atPath: other))
    }

    @Test("errors: one line on stderr and the exit status of SPEC section 1")
    func exitCodes() throws {
        let mekong = try Mekong()
        defer { mekong.remove() }
        // No database yet: a read cannot open it.
        let missing = try mekong.run("district", "list")
        #expect(missing.status == 74)
        #expect(missing.stderrLines.count == 1 && missing.stderr.contains("run `mekong init`"))

        try mekong.run("init")
        let badFormat = try mekong.run("district", "list", "--format", "nonsense")
        #expect(badFormat.status == 64 && badFormat.stderrLines.count == 1)
        let unknownOption = try mekong.run("district", "list", "--colour")
        #expect(unknownOption.status == 64 && unknownOption.stderrLines.count == 1)
        let unknownCommand = try mekong.run("incidnet")
        #expect(unknownCommand.status == 64 && unknownCommand.stderrLines.count == 1)
        let badZone = try mekong.run("demo", "--tz", "Mars/Olympus")
        #expect(badZone.status == 64 && badZone.stderr.contains("unknown time zone"))

        let folder = try mekong.run("district", "list", "--db", mekong.home.path)
        #expect(folder.status == 74 && folder.stderr.contains("is a directory"))
        let notes = mekong.home.appendingPathComponent("notes.txt")
        try Data(String(repeating: "not a database ", count: 100).utf8).write(to: notes)
        let notSQLite = try mekong.run("district", "list", "--db", notes.path)
        #expect(notSQLite.status == 74 && notSQLite.stderr.contains("not a SQLite database"))

        let noFolder = try mekong.run("init", "--reference", mekong.home.appendingPathComponent("nowhere").path)
        #expect(noFolder.status == 66 && noFolder.stderrLines.count == 1)
        let badReference = mekong.home.appendingPathComponent("bad-reference")
        try FileManager.default.createDirectory(at: badReference, withIntermediateDirectories: true)
        for name in ["province.csv", "districts.csv", "checkpoints.csv", "agencies.csv"] {
            try "code\n".write(to: badReference.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let bad = try mekong.run("init", "--reference", badReference.path)
        #expect(bad.status == 65)
        #expect(bad.stderrLines.allSatisfy { $0.hasPrefix("error: ") })
        for line in [missing, badFormat, unknownOption, folder, notSQLite, bad].flatMap(\.stderrLines) {
            #expect(!line.contains("Fatal error") && !line.contains("Stack"), "\(line)")
        }
    }

    @Test("help shows examples and exits 0")
    func help() throws {
        let mekong = try Mekong()
        defer { mekong.remove() }
        let help = try mekong.run("--help")
        #expect(help.status == 0 && help.stdout.contains("Examples:") && help.stdout.contains("mekong demo"))
        let sub = try mekong.run("checkpoint", "list", "--help")
        #expect(sub.status == 0 && sub.stdout.contains("mekong checkpoint list --district 5709"))
    }
}

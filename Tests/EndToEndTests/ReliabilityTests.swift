import Foundation
import Testing

/// Several processes at once, processes killed mid-write, backups while writing, hostile input.
@Suite("End to end: nothing lost, nothing corrupted", .serialized)
struct ReliabilityTests {
    /// `count` records of valid NDJSON with fixed ids.
    static func records(_ count: Int, seed: Int = 0) -> String {
        var out = ""
        out.reserveCapacity(count * 160)
        for index in 0..<count {
            let id = String(format: "0190a0b0-%04x-7000-8000-%012x", seed, index)
            out += #"{"id":"\#(id)","type":"drug_seizure","occurred_at":"2025-06-\#(String(format: "%02d", index % 28 + 1))T10:00:00+07:00","district":"5709","summary":"record \#(index) ยาบ้า","seizures":[{"item":"methamphetamine_tablets","quantity":\#(index + 1),"unit":"tablets"}]}"#
            out += "\n"
        }
        return out
    }

    func file(_ mekong: Mekong, _ name: String, _ text: String) throws -> String {
        let path = mekong.home.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// SQLite's own checks, as the sqlite3 shell sees the file.
    func sqliteSound(_ mekong: Mekong) throws -> Bool {
        try mekong.sql("PRAGMA integrity_check; PRAGMA foreign_key_check;") == "ok\n"
    }

    func start(_ mekong: Mekong, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = Mekong.binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["MEKONG_DB"] = mekong.database
        env["HOME"] = mekong.home.path
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test("four processes logging fifty incidents each at once: two hundred incidents, no failure")
    func concurrentWriters() throws {
        let mekong = try Mekong.withOfficers()
        defer { mekong.remove() }
        let writers = try (1...4).map { writer -> Process in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", """
                for i in $(seq 50); do
                  "\(Mekong.binary.path)" incident log --type scam --district 5709 --occurred-at 2025-06-24 \
                    --summary "writer \(writer) record $i" --officer OFF1 >/dev/null || exit 1
                done
                """]
            var env = ProcessInfo.processInfo.environment
            env["MEKONG_DB"] = mekong.database
            env["HOME"] = mekong.home.path
            process.environment = env
            try process.run()
            return process
        }
        for writer in writers { writer.waitUntilExit() }
        #expect(writers.map(\.terminationStatus) == [0, 0, 0, 0])
        #expect(try mekong.sql("SELECT count(*), count(DISTINCT case_number), max(case_number) FROM incidents") == "200|200|CR-2025-000200\n")
        #expect(try mekong.run("audit", "verify").status == 0)
        #expect(try sqliteSound(mekong))
    }

    @Test("a writer that cannot get the database within its budget exits 75 saying another process holds it")
    func busy() throws {
        let mekong = try Mekong.withOfficers()
        defer { mekong.remove() }
        // The sqlite3 shell takes the write lock and keeps it for two seconds.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/bin/sh")
        holder.arguments = ["-c", "(echo 'BEGIN IMMEDIATE; INSERT INTO settings VALUES (\"held\", \"1\");'; sleep 2; echo 'ROLLBACK;') | sqlite3 \(mekong.database)"]
        try holder.run()
        Thread.sleep(forTimeInterval: 0.5)
        let refused = try mekong.run(["incident", "log", "--type", "scam", "--district", "5709", "--occurred-at", "2025-06-24",
                                      "--summary", "x", "--officer", "OFF1"], environment: ["MEKONG_BUSY_TIMEOUT": "0.3"])
        #expect(refused.status == 75)
        #expect(refused.stderrLines.count == 1 && refused.stderr.contains("another process"))
        // A reader is not blocked by the writer (WAL).
        #expect(try mekong.run("district", "list", "--format", "json").status == 0)
        // With the default budget the writer waits for the lock and succeeds.
        let waited = try mekong.run("incident", "log", "--type", "scam", "--district", "5709", "--occurred-at", "2025-06-24",
                                    "--summary", "x", "--officer", "OFF1")
        holder.waitUntilExit()
        #expect(waited.status == 0, "\(waited.stderr)")
    }

    @Test("kill -9 at several points of a 100,000-record import leaves a sound database with all of it or none")
    func killedImport() throws {
        let mekong = try Mekong.withOfficers()
        defer { mekong.remove() }
        let path = try file(mekong, "big.ndjson", ReliabilityTests.records(100_000))
        for delay in [0.2, 0.8, 2.0] {
            let process = try start(mekong, ["import", path, "--officer", "SUP1"])
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(try sqliteSound(mekong), "after a kill at \(delay) s")
            let count = try mekong.sql("SELECT count(*) FROM incidents")
            #expect(count == "0\n" || count == "100000\n", "all or none, after a kill at \(delay) s: \(count)")
            #expect(try mekong.run("db", "check").status == 0, "db check after a kill at \(delay) s")
            if count == "100000\n" { return }
        }
        let finished = try mekong.run("import", path, "--officer", "SUP1", "--format", "json")
        #expect(finished.status == 0)
        #expect(try mekong.sql("SELECT count(*) FROM incidents") == "100000\n")
        #expect(try mekong.run("db", "check").status == 0)
    }

    @Test("kill -9 during single logs: each is there whole or not at all")
    func killedLogs() throws {
        let mekong = try Mekong.withOfficers()
        defer { mekong.remove() }
        for attempt in 0..<12 {
            let before = Int(try mekong.sql("SELECT count(*) FROM incidents").trimmingCharacters(in: .whitespacesAndNewlines))!
            let process = try start(mekong, ["incident", "log", "--type", "scam", "--district", "5709", "--occurred-at", "2025-06-24",
                                             "--summary", "attempt \(attempt)", "--seizure", "heroin:5:g", "--officer", "OFF1"])
            Thread.sleep(forTimeInterval: Double(attempt) * 0.004)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let after = Int(try mekong.sql("SELECT count(*) FROM incidents").trimmingCharacters(in: .whitespacesAndNewlines))!
            #expect(after == before || after == before + 1)
            #expect(try sqliteSound(mekong))
        }
        #expect(try mekong.run("db", "check").status == 0)
        #expect(try mekong.run("audit", "verify").status == 0)
    }

    @Test("a backup taken during an import is consistent, private, and passes db check; restore refuses to go back in time")
    func backupDuringImport() throws {
        let mekong = try Mekong.withOfficers()
        defer { mekong.remove() }
        try mekong.run("demo")
        let path = try file(mekong, "big.ndjson", ReliabilityTests.records(50_000, seed: 1))
        let importer = try start(mekong, ["import", path, "--officer", "SUP1"])
        Thread.sleep(forTimeInterval: 0.5)
        let copy = mekong.home.appendingPathComponent("copy.sqlite").path
        let backup = try mekong.run("db", "backup", copy, "--officer", "ADMIN1", "--format", "json")
        importer.waitUntilExit()
        #expect(importer.terminationStatus == 0)
        #expect(backup.status == 0, "\(backup.stderr)")
        #expect((backup.json as? [String: Any])?["ok"] as? Bool == true)
        let mode = try FileManager.default.attributesOfItem(atPath: copy)[.posixPermissions] as? Int
        #expect(mode.map { $0 & 0o777 } == 0o600)
        let check = try mekong.run("db", "check", "--db", copy, "--format", "json")
        #expect(check.status == 0 && (check.json as? [String: Any])?["ok"] as? Bool == true)
        let copied = Int(try Mekong.sqlite(copy, "SELECT count(*) FROM incidents").trimmingCharacters(in: .whitespacesAndNewlines))!
        #expect(copied == 39 || copied == 50_039, "one moment: before or after the import, \(copied)")

        #expect(try mekong.run("db", "backup", copy, "--officer", "ADMIN1").status == 1, "an existing file needs --force")
        #expect(try mekong.run("db", "backup", copy, "--force", "--officer", "OFF1").status == 77)
        // The database has moved on since the backup: restoring it would lose changes.
        try mekong.expectSuccess("incident", "note", "CR-2025-000001", "after the backup", "--officer", "OFF1")
        let refused = try mekong.run("db", "restore", copy, "--officer", "ADMIN1")
        #expect(refused.status == 1 && refused.stderr.contains("--force"))
        let forced = try mekong.run("db", "restore", copy, "--force", "--officer", "ADMIN1")
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try mekong.sql("SELECT count(*) FROM incidents") == "\(copied)\n")
        #expect(try mekong.run("db", "check").status == 0)
        #expect(try mekong.sql("SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1") == "db.restore\n")
        // Onto a new machine: no officers yet, anyone may restore.
        let fresh = mekong.home.appendingPathComponent("fresh.sqlite").path
        #expect(try mekong.run("db", "restore", copy, "--db", fresh).status == 0)
        #expect(try Mekong.sqlite(fresh, "SELECT count(*) FROM incidents") == "\(copied)\n")
    }

    @Test("db check names what is wrong: a seizure out of step, an edited audit entry, a counter behind")
    func check() throws {
        let mekong = try Mekong.withOfficers()
        defer { mekong.remove() }
        try mekong.run("demo")
        let clean = try mekong.run("db", "check", "--format", "table")
        #expect(clean.status == 0 && clean.stdout.contains("ok    integrity: ok"))
        try mekong.sql("UPDATE seizures SET district = '5701' WHERE incident = 1")
        let seizure = try mekong.run("db", "check")
        #expect(seizure.status == 1 && seizure.stderrLines.contains { $0.contains("seizure copies") })
        try mekong.sql("UPDATE seizures SET district = '5709' WHERE incident = 1; UPDATE case_counters SET last = 3")
        let counter = try mekong.run("db", "check")
        #expect(counter.status == 1 && counter.stderrLines.contains { $0.contains("case numbers") })
        try mekong.sql("UPDATE case_counters SET last = 38 WHERE year = 2025; UPDATE case_counters SET last = 1 WHERE year = 2026; DROP TRIGGER audit_log_no_update; UPDATE audit_log SET at = 'then' WHERE seq = 2")
        let audit = try mekong.run("db", "check")
        #expect(audit.status == 1 && audit.stderrLines.first?.contains("audit trail: audit entry 2") == true, "\(audit.stderr)")
    }

    @Test("unusable database paths are refused with exit 74 and one line, never a stack trace")
    func paths() throws {
        let mekong = try Mekong()
        defer { mekong.remove() }
        for path in ["/proc/mekong.sqlite", "/etc/hostname/mekong.sqlite", mekong.home.path] {
            let result = try mekong.run("init", "--db", path)
            #expect(result.status == 74, "\(path): \(result.stderr)")
            #expect(result.stderrLines.count == 1 && !result.stderr.contains("Fatal"), "\(path)")
        }
    }

    @Test("hostile input: an overlong line, too many seizures, deep nesting, invalid UTF-8 and NUL are refused cleanly")
    func hostileInput() throws {
        let mekong = try Mekong.withOfficers()
        defer { mekong.remove() }
        func importing(_ data: Data, _ name: String) throws -> Mekong.Result {
            let path = mekong.home.appendingPathComponent(name).path
            try data.write(to: URL(fileURLWithPath: path))
            return try mekong.run("import", path, "--officer", "SUP1")
        }
        // A 64 MB line: refused without being held in memory (the reader keeps only a count).
        let long = Data(#"{"type":"scam","occurred_at":"2025-06-24","district":"5709","summary":""#.utf8)
            + Data(repeating: UInt8(ascii: "a"), count: 64 << 20) + Data("\"}\n".utf8)
        let overlong = try importing(long, "long.ndjson")
        #expect(overlong.status == 65 && overlong.stderr.contains("line 1: the line is 671") && overlong.stderr.contains("bytes long; a record may have at most 1048576"))
        // Seizures: 5,000 in one record is refused by count.
        let many = (1...5000).map { _ in #"{"item":"heroin","quantity":1,"unit":"g"}"# }.joined(separator: ",")
        let seizures = try importing(Data(#"{"type":"scam","occurred_at":"2025-06-24","district":"5709","summary":"x","seizures":[\#(many)]}"#.utf8), "many.ndjson")
        #expect(seizures.status == 65 && seizures.stderr.contains("more than 100 seizures"))
        let deep = try importing(Data((#"{"type":"scam","place":"# + String(repeating: "[", count: 100_000) + "}").utf8), "deep.ndjson")
        #expect(deep.status == 65 && deep.stderr.contains("nested more than"))
        let badUTF8 = try importing(Data(#"{"type":"scam","occurred_at":"2025-06-24","district":"5709","summary":"#.utf8) + Data([0x22, 0xC3, 0x28, 0x22, 0x7D, 0x0A]), "utf8.ndjson")
        #expect(badUTF8.status == 65 && badUTF8.stderr.contains("UTF-8"))
        let nul = try importing(Data(#"{"type":"scam","occurred_at":"2025-06-24","district":"5709","summary":"a\u0000b"}"#.utf8), "nul.ndjson")
        #expect(nul.status == 65 && nul.stderr.contains("NUL"))
        let csvUTF8 = try importing(Data("type,occurred_at,district,summary\nscam,2025-06-24,5709,".utf8) + Data([0xFF, 0xFE, 0x0A]), "bad.csv")
        #expect(csvUTF8.status == 65 && csvUTF8.stderr.contains("UTF-8"))
        let wide = try importing(Data(("type,occurred_at,district,summary\n" + String(repeating: "x,", count: 5000) + "\n").utf8), "wide.csv")
        #expect(wide.status == 65)
        let cell = try importing(Data("type,occurred_at,district,summary,seizures\nscam,2025-06-24,5709,x,\(String(repeating: "heroin:1:g;", count: 20_000))heroin:1:g\n".utf8), "cell.csv")
        #expect(cell.status == 65 && cell.stderr.contains("more than 100 seizures"))
        for result in [overlong, seizures, deep, badUTF8, nul, csvUTF8, wide, cell] {
            #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Backtrac"))
        }
        #expect(try mekong.sql("SELECT count(*) FROM incidents") == "0\n")
    }
}

extension Mekong {
    /// Runs SQL with the sqlite3 shell on any file.
    static func sqlite(_ path: String, _ statements: String) throws -> String {
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        shell.arguments = [path, statements]
        let out = Pipe()
        shell.standardOutput = out
        try shell.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        shell.waitUntilExit()
        return text
    }
}

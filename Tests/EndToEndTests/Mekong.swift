import Foundation
import Testing

/// Runs the built `mekong` binary, as a user or a script would.
struct Mekong {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String

        var json: Any? { try? JSONSerialization.jsonObject(with: Data(stdout.utf8)) }
        var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
    }

    /// The binary beside this test bundle in the build folder (or `MEKONG_BIN`).
    static let binary: URL = {
        if let path = ProcessInfo.processInfo.environment["MEKONG_BIN"] { return URL(fileURLWithPath: path) }
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return executable.deletingLastPathComponent().appendingPathComponent("mekong")
    }()

    let home: URL
    var database: String

    /// A fresh home folder and database path for one test.
    init() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("mekong-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        database = home.appendingPathComponent("mekong.sqlite").path
    }

    /// Runs `mekong` with `arguments`; MEKONG_DB points at this test's database unless `environment` says otherwise.
    @discardableResult
    func run(_ arguments: String..., environment: [String: String?] = [:], stdin: String? = nil) throws -> Result {
        try run(arguments, environment: environment, stdin: stdin)
    }

    @discardableResult
    func run(_ arguments: [String], environment: [String: String?] = [:], executable: String? = nil, stdin: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = executable.map { URL(fileURLWithPath: $0) } ?? Mekong.binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["HOME"] = home.path
        env["XDG_DATA_HOME"] = home.appendingPathComponent("data").path
        env["MEKONG_DB"] = database
        env.removeValue(forKey: "MEKONG_OFFICER")
        env.removeValue(forKey: "MEKONG_TZ")
        for (key, value) in environment {
            if let value { env[key] = value } else { env.removeValue(forKey: key) }
        }
        process.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Read both pipes fully before waiting, so a large output cannot block the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs SQL on the database with the sqlite3 shell, as someone tampering with the file would.
    @discardableResult
    func sql(_ statements: String) throws -> String {
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        shell.arguments = [database, statements]
        let out = Pipe(), err = Pipe()
        shell.standardOutput = out
        shell.standardError = err
        try shell.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problem = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        shell.waitUntilExit()
        if shell.terminationStatus != 0 { throw SQLFailure(message: problem) }
        return text
    }

    struct SQLFailure: Error { var message: String }

    /// A database with the reference data and four officers: ADMIN1, OFF1 (officer), SUP1
    /// (supervisor) and AN1 (analyst).
    static func withOfficers() throws -> Mekong {
        let mekong = try Mekong()
        try mekong.expectSuccess("init")
        try mekong.expectSuccess("officer", "add", "ADMIN1", "--name", "Admin One", "--role", "admin")
        for (code, role) in [("OFF1", "officer"), ("SUP1", "supervisor"), ("AN1", "analyst")] {
            try mekong.expectSuccess("officer", "add", code, "--name", "\(role.capitalized) One", "--role", role, "--officer", "ADMIN1")
        }
        return mekong
    }

    /// Runs a command that must succeed, and returns its JSON output.
    @discardableResult
    func expectSuccess(_ arguments: String..., stdin: String? = nil) throws -> Any? {
        let result = try run(arguments, stdin: stdin)
        if result.status != 0 {
            Issue.record("mekong \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)")
        }
        return result.json
    }

    func remove() {
        try? FileManager.default.removeItem(at: home)
    }
}

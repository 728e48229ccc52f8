import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `mekong serve` as an office runs it: the real binary on a loopback port.
@Suite("mekong serve: the binary over HTTP")
struct ServeTests {
    /// A running server on a free port, its stderr collected.
    final class Server: @unchecked Sendable {
        let process = Process()
        private let lock = NSLock()
        private var log = Data()
        private(set) var port = 0

        init(_ mekong: Mekong) throws {
            process.executableURL = Mekong.binary
            process.arguments = ["serve", "--port", "0"]
            var environment = ProcessInfo.processInfo.environment
            environment["MEKONG_DB"] = mekong.database
            process.environment = environment
            let err = Pipe()
            process.standardError = err
            process.standardOutput = FileHandle.nullDevice
            err.fileHandleForReading.readabilityHandler = { [self] handle in
                let data = handle.availableData
                lock.withLock { log.append(data) }
            }
            try process.run()
            let deadline = Date().addingTimeInterval(20)
            while port == 0 && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.05)
                if let range = stderr.range(of: #"listening on http://127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                    port = Int(stderr[range].split(separator: ":").last!)!
                }
            }
            if port == 0 {
                process.terminate()
                throw ServerDidNotStart(log: stderr)
            }
        }

        var stderr: String { lock.withLock { String(decoding: log, as: UTF8.self) } }

        /// Sends a request and returns the status and body.
        func request(_ method: String, _ path: String, token: String?, body: String? = nil) async throws -> (Int, Data) {
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
            request.httpMethod = method
            if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
            if let body {
                request.httpBody = Data(body.utf8)
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            }
            let (data, response) = try await URLSession.shared.data(for: request)
            return ((response as! HTTPURLResponse).statusCode, data)
        }

        /// SIGTERM, then the exit status.
        func stop() -> Int32 {
            process.terminate()
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    struct ServerDidNotStart: Error { var log: String }

    static func token(_ mekong: Mekong, for officer: String, as admin: String) throws -> String {
        let result = try mekong.run("officer", "token", officer, "--officer", admin, "--format", "json")
        #expect(result.status == 0, "\(result.stderr)")
        return try #require((result.json as? [String: Any])?["token"] as? String)
    }

    @Test("the district report and checkpoint review over HTTP equal the CLI's JSON on the same database")
    func reportsEqualCLI() async throws {
        let mekong = try Mekong()
        defer { mekong.remove() }
        #expect(try mekong.run("demo").status == 0)
        let token = try Self.token(mekong, for: "DEMO", as: "DEMO")
        let server = try Server(mekong)
        for (path, arguments) in [
            ("/v1/reports/districts?from=2025-01-01&to=2025-12-31", ["report", "districts", "--from", "2025-01-01", "--to", "2025-12-31"]),
            ("/v1/reports/districts?from=2025-06-01&to=2025-06-30&district=5709", ["report", "districts", "--from", "2025-06-01", "--to", "2025-06-30", "--district", "5709"]),
            ("/v1/reports/checkpoints?from=2025-06-01&to=2025-06-30", ["report", "checkpoints", "--from", "2025-06-01", "--to", "2025-06-30"]),
        ] {
            let (status, body) = try await server.request("GET", path, token: token)
            #expect(status == 200)
            let cli = try mekong.run(arguments + ["--format", "json"])
            #expect(cli.status == 0)
            let overHTTP = try JSONSerialization.jsonObject(with: body) as? NSDictionary
            let onCLI = try JSONSerialization.jsonObject(with: Data(cli.stdout.utf8)) as? NSDictionary
            #expect(overHTTP != nil && overHTTP == onCLI, "\(path)")
        }
        #expect(server.stop() == 0)
        #expect(server.stderr.contains("path=/v1/reports/districts status=200"))
        #expect(server.stderr.contains("officer=DEMO"))
    }

    @Test("SIGTERM under load: the server stops cleanly and every write it acknowledged is stored")
    func gracefulShutdown() async throws {
        let mekong = try Mekong()
        defer { mekong.remove() }
        #expect(try mekong.run("demo").status == 0)
        let token = try Self.token(mekong, for: "DEMO", as: "DEMO")
        let before = try Int(mekong.sql("SELECT count(*) FROM incidents").trimmingCharacters(in: .whitespacesAndNewlines))!
        let server = try Server(mekong)
        let record = #"{"type":"scam","occurred_at":"2025-07-01T10:00:00+07:00","district":"5701","summary":"Call-centre fraud","victims":1,"loss_thb":5000}"#
        /// Sends SIGTERM once, when the first write of the loaded phase is acknowledged, so
        /// others are certainly in flight (a signal sent on a timer could land before any).
        actor Terminator {
            var sent = false
            func acknowledged(_ process: Process) {
                guard !sent else { return }
                sent = true
                kill(process.processIdentifier, SIGTERM)
            }
        }
        let terminator = Terminator()
        func post(signalling: Bool) async -> Int {
            guard let (status, _) = try? await server.request("POST", "/v1/incidents", token: token, body: record), status == 201 else { return 0 }
            if signalling { await terminator.acknowledged(server.process) }
            return 1
        }
        // Warm up: every one of these is answered before the signal.
        let warmUp = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<20 { group.addTask { await post(signalling: false) } }
            return await group.reduce(0, +)
        }
        #expect(warmUp == 20)
        let loaded = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<180 { group.addTask { await post(signalling: true) } }
            return await group.reduce(0, +)
        }
        let acknowledged = warmUp + loaded
        await terminator.acknowledged(server.process)  // if nothing was acknowledged, stop it anyway
        server.process.waitUntilExit()
        #expect(server.process.terminationStatus == 0, "\(server.stderr.suffix(2000))")
        #expect(server.stderr.contains("stopped"))
        let after = try Int(mekong.sql("SELECT count(*) FROM incidents").trimmingCharacters(in: .whitespacesAndNewlines))!
        #expect(loaded > 0)
        #expect(after - before >= acknowledged, "every 201 is on disk")
        #expect(try mekong.run("audit", "verify").status == 0)
    }
}

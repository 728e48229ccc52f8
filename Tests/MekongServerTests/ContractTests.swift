import Foundation
import Hummingbird
import HummingbirdTesting
import MekongCore
import MekongServer
import Testing
@testable import MekongStore

/// The repository's root folder, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

@Suite("the HTTP contract: openapi.yaml, statuses, no 5xx for client input, concurrent writes")
struct ContractTests {
    /// Paths and methods of the OpenAPI document: `  /path:` then `    get:` lines.
    static func documentedRoutes() throws -> Set<String> {
        Set(try documentedStatuses().keys)
    }

    /// The response statuses the document gives each operation ("GET /v1/incidents"), read from
    /// its layout: `  /path:`, then `    get:`, then `        "404":` under `responses`.
    static func documentedStatuses() throws -> [String: Set<Int>] {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("Schemas/openapi.yaml"), encoding: .utf8)
        var statuses: [String: Set<Int>] = [:]
        var path: String?
        var operation: String?
        var inPaths = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" { inPaths = true; continue }
            if inPaths, let first = line.first, first != " " { break }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                path = String(line.dropFirst(2).dropLast())
                operation = nil
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), let path {
                let key = line.dropFirst(4).prefix { $0 != ":" }
                operation = ["get", "post", "patch", "put", "delete"].contains(key) ? "\(key.uppercased()) \(path)" : nil
                if let operation { statuses[operation] = [] }
            } else if let operation, line.hasPrefix("        \""), !line.hasPrefix("         "),
                      let status = Int(line.dropFirst(9).prefix(3)) {
                statuses[operation, default: []].insert(status)
            }
        }
        return statuses
    }

    @Test("every route the server answers is in Schemas/openapi.yaml, and every documented one is answered")
    func routesMatchDocument() throws {
        let api = try APIFixture().api
        _ = api.router()
        let served = Set(api.routes.routes.map { "\($0.method) \($0.path)" })
        let documented = try Self.documentedRoutes()
        #expect(documented.count == 15)
        #expect(served == documented)
    }

    @Test("GET /openapi.yaml serves the document in Schemas/ byte for byte")
    func servesDocument() async throws {
        let fixture = try APIFixture()
        let file = try String(contentsOf: repositoryRoot.appendingPathComponent("Schemas/openapi.yaml"), encoding: .utf8)
        try await fixture.test { client in
            let reply = try await client.call(.get, "/openapi.yaml", token: nil)
            #expect(reply.status == 200)
            #expect(reply.headers[.contentType]?.hasPrefix("application/yaml") == true)
            #expect(reply.text == file)
        }
    }

    @Test("404 for an unknown path or id, 405 with Allow for a method not documented on a path")
    func notFoundAndNotAllowed() async throws {
        let fixture = try APIFixture()
        try await fixture.test { client in
            let token = fixture.tokens["ADMIN"]
            for path in ["/v1/nothing", "/v2/incidents", "/", "/v1/incidents/CR-2025-000001/photos"] {
                let reply = try await client.call(.get, path, token: token)
                #expect(reply.status == 404, "\(path)")
                #expect(reply.error?["message"] != nil)
            }
            #expect(try await client.call(.get, "/v1/incidents/CR-2025-000001", token: token).status == 404)
            #expect(try await client.call(.get, "/v1/incidents/not-an-id", token: token).status == 404)
            let cases: [(HTTPRequest.Method, String, String)] = [
                (.delete, "/v1/incidents/CR-2025-000001", "GET, PATCH"), (.put, "/v1/incidents", "GET, POST"),
                (.post, "/health", "GET"), (.get, "/v1/incidents/X/notes", "POST"), (.delete, "/v1/audit/verify", "GET"),
            ]
            for (method, path, allowed) in cases {
                let reply = try await client.call(method, path, token: token)
                #expect(reply.status == 405, "\(method) \(path)")
                #expect(reply.headers[.allow] == allowed)
            }
        }
    }

    @Test("no client input gets a 5xx or a status openapi.yaml does not give: random bodies, parameters and ids on every route")
    func neverServerErrors() async throws {
        let fixture = try APIFixture()
        _ = try fixture.database.logIncident(try IncidentJSON.read(Array(APIFixture.seizureRecord().utf8)), officer: "OFF")
        let api = fixture.api
        _ = api.router()
        let routes = api.routes.routes
        var generator = SeededGenerator(seed: 20251123)
        let pieces = ["{", "}", "[", "]", "\"", ":", ",", "null", "true", "1e999", "-0", "\"type\"", "\"seizures\"", "\"status\"",
                      "\"closed\"", "\"5709\"", "\"2025-06-24\"", "\\u0000", "\u{0}", "ก", "\u{FFFF}", "9999999999999999999999", "\"text\"",
                      "\"other\"", "\"assigned_to\"", "\"date\"", "\"persons_in\"", "{\"item\":\"heroin\",\"quantity\":1,\"unit\":\"g\"}"]
        let values = ["", "%", "%zz", "%00", "CR-2025-000001", "2025-06-24", "-1", "0", "99999999999999999999", "..", "%2F", "ก", "a+b", "open"]
        let attempts = (0..<600).map { _ in
            let route = routes.randomElement(using: &generator)!
            var body = ""
            for _ in 0..<Int.random(in: 0...12, using: &generator) { body += pieces.randomElement(using: &generator)! }
            if Bool.random(using: &generator) { body = "{" + body + "}" }
            let path = route.path.replacingOccurrences(of: "{id}", with: values.randomElement(using: &generator)!)
                .replacingOccurrences(of: "{code}", with: ["MS1", "ZZ", "%"].randomElement(using: &generator)!)
            var query = ""
            for _ in 0..<Int.random(in: 0...3, using: &generator) {
                let name = ["from", "to", "q", "limit", "cursor", "district", "type", "since", "threshold", "x"].randomElement(using: &generator)!
                query += (query.isEmpty ? "?" : "&") + name + "=" + values.randomElement(using: &generator)!
            }
            return (route.method, route.path, path + query, body)
        }
        let documented = try Self.documentedStatuses()
        let statuses = try await fixture.test { client in
            var statuses: Set<Int> = []
            for (method, route, uri, body) in attempts {
                let reply = try await client.call(.init(method)!, uri, token: fixture.tokens["ADMIN"], body: method == "GET" ? nil : body)
                #expect(reply.status < 500, "\(method) \(uri) \(body): \(reply.text)")
                #expect(documented["\(method) \(route)"]?.contains(reply.status) == true,
                        "\(method) \(uri) \(body): \(reply.status) is not in openapi.yaml for \(method) \(route): \(reply.text)")
                #expect(reply.json != nil || uri.hasPrefix("/openapi"), "\(method) \(uri): not JSON: \(reply.text)")
                statuses.insert(reply.status)
            }
            return statuses
        }
        // The inputs reached past the parsers: refusals of every kind, and some successes.
        #expect(statuses.isSuperset(of: [200, 400, 404, 422]), "\(statuses.sorted())")
        #expect(try fixture.database.verifyAudit().ok)
    }

    @Test("concurrent writes share commits yet stay separate: every valid one stored once, every invalid one refused alone")
    func concurrentWrites() async throws {
        let fixture = try APIFixture()
        try await fixture.test { client in
            let results = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                for index in 0..<120 {
                    group.addTask {
                        // Every fifth names a district that does not exist.
                        let record = APIFixture.seizureRecord(tablets: 1000 + index)
                            .replacingOccurrences(of: "\"5709\"", with: index % 5 == 0 ? "\"9999\"" : "\"5709\"")
                        let reply = try await client.call(.post, "/v1/incidents", token: fixture.tokens["OFF"], body: record)
                        return (index, reply.status)
                    }
                }
                var results: [(Int, Int)] = []
                for try await result in group { results.append(result) }
                return results
            }
            for (index, status) in results { #expect(status == (index % 5 == 0 ? 422 : 201), "record \(index)") }
        }
        let stored = try fixture.database.read { db in
            try Int.fetchAll(db, sql: "SELECT CAST(s.quantity AS INTEGER) FROM seizures s ORDER BY 1")
        }
        #expect(stored == (0..<120).filter { $0 % 5 != 0 }.map { 1000 + $0 })
        let numbers = try fixture.database.read { try String.fetchAll($0, sql: "SELECT case_number FROM incidents ORDER BY seq") }
        #expect(numbers == (1...96).map { String(format: "CR-2025-%06d", $0) })
        #expect(try fixture.database.verifyAudit().ok)
    }
}

/// A small deterministic generator (SplitMix64), so a failing fuzz case can be run again.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

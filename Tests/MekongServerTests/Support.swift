import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import MekongCore
import MekongServer
@testable import MekongStore

/// A database with the built-in reference data, one officer of each role (and a deactivated
/// one), and a bearer token for each: the world the API tests run in.
struct APIFixture {
    let database: AppDatabase
    /// Token by officer code: ADMIN, SUP, OFF, ANA, GONE (deactivated after the token was issued).
    let tokens: [String: String]
    /// The role of each officer code with a token.
    static let roles: [String: Role] = ["ADMIN": .admin, "SUP": .supervisor, "OFF": .officer, "ANA": .analyst, "GONE": .officer]

    init() throws {
        database = try AppDatabase.inMemory()
        _ = try database.loadReference(try ReferenceData.builtIn())
        _ = try database.addOfficer(Officer(code: "ADMIN", name: "Admin", role: .admin), actingOfficer: nil)
        var tokens: [String: String] = [:]
        for (code, role) in Self.roles.sorted(by: { $0.key < $1.key }) where code != "ADMIN" {
            _ = try database.addOfficer(Officer(code: code, name: "Officer \(code)", role: role, agency: nil), actingOfficer: "ADMIN")
        }
        for code in Self.roles.keys { tokens[code] = try database.issueToken(for: code, actingOfficer: "ADMIN") }
        _ = try database.updateOfficer(code: "GONE", name: nil, role: nil, agency: nil, active: false, actingOfficer: "ADMIN")
        self.tokens = tokens
    }

    var api: MekongAPI { MekongAPI(database: database) }

    /// Runs `test` against the router of `api`, or of a fresh API over this database.
    func test<Value: Sendable>(api: MekongAPI? = nil, _ test: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        let api = api ?? self.api
        // Warnings and errors only: a line per request would bury the test report.
        var logger = Logger(label: "mekong-test")
        logger.logLevel = .warning
        let app = Application(router: api.router(), logger: logger)
        return try await app.test(.router) { client in try await test(client) }
    }

    /// A drug seizure at Mae Sai on `date`, as a record of SPEC section 2.
    static func seizureRecord(date: String = "2025-06-24", tablets: Int = 250_000, extra: String = "") -> String {
        """
        {"type":"drug_seizure","occurred_at":"\(date)T14:30:00+07:00","district":"5709","checkpoint":"MS1",\
        "summary":"Tablets in a lorry's false floor","seizures":[{"item":"methamphetamine_tablets","quantity":\(tablets),"unit":"tablets"}],\
        "arrests":1,"vehicles":1\(extra)}
        """
    }
}

/// A response, read.
struct Reply {
    var status: Int
    var headers: HTTPFields
    var text: String
    var json: JSONValue? { try? JSONValue(parsing: text) }
    var error: JSONValue? { json?["error"] }
    var errorField: String? { error?["field"]?.stringValue }
}

extension TestClientProtocol {
    /// Sends a request as the officer holding `token` (none when nil) and reads the answer.
    func call(_ method: HTTPRequest.Method, _ uri: String, token: String?, body: String? = nil,
              headers extra: HTTPFields = [:]) async throws -> Reply {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil { headers[.contentType] = "application/json" }
        let response = try await execute(uri: uri, method: method, headers: headers,
                                         body: body.map { ByteBuffer(string: $0) })
        return Reply(status: Int(response.status.code), headers: response.headers, text: String(buffer: response.body))
    }
}

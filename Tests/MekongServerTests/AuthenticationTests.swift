import Foundation
import Hummingbird
import HummingbirdTesting
import MekongCore
import MekongServer
import Testing
@testable import MekongStore

@Suite("bearer tokens and the role table over HTTP")
struct AuthenticationTests {
    @Test("no token, another scheme, an unknown, revoked or deactivated officer's token: 401 with WWW-Authenticate")
    func unauthorized() async throws {
        let fixture = try APIFixture()
        let revoked = try fixture.database.issueToken(for: "OFF", actingOfficer: "ADMIN")
        try fixture.database.revokeTokens(for: "OFF", actingOfficer: "ADMIN")
        try await fixture.test { client in
            let refusals: [(String?, HTTPFields)] = [
                (nil, [:]),
                (nil, [.authorization: "Basic QURNSU46cGFzc3dvcmQ="]),
                ("mkw_" + String(repeating: "0", count: 64), [:]),
                ("not-a-token", [:]),
                (revoked, [:]),
                (fixture.tokens["OFF"], [:]),   // revoked with the other
                (fixture.tokens["GONE"], [:]),  // the officer was deactivated
            ]
            for (token, headers) in refusals {
                for (method, path) in [("GET", "/v1/incidents"), ("POST", "/v1/incidents"), ("GET", "/v1/audit/verify")] {
                    let reply = try await client.call(.init(method)!, path, token: token,
                                                      body: method == "POST" ? APIFixture.seizureRecord() : nil, headers: headers)
                    #expect(reply.status == 401, "\(method) \(path) with \(token ?? "\(headers)")")
                    #expect(reply.headers[.wwwAuthenticate] == "Bearer realm=\"mekong\"")
                    #expect(reply.error?["message"]?.stringValue?.isEmpty == false)
                }
            }
            // Other spellings of a path the router still matches, and unknown paths, need the token too.
            for path in ["//v1/districts", "//v1/audit/verify", "/v1//incidents", "/nothing", "/v1"] {
                let reply = try await client.call(.get, path, token: nil)
                #expect(reply.status == 401, "\(path): \(reply.status) \(reply.text)")
                #expect(reply.headers[.wwwAuthenticate] == "Bearer realm=\"mekong\"", "\(path)")
            }
            // Nothing was written by any of them.
            #expect(try fixture.database.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM incidents") } == 0)
            // Health and the contract need no token.
            #expect(try await client.call(.get, "/health", token: nil).text == #"{"status":"ok"}"#)
            #expect(try await client.call(.get, "/openapi.yaml", token: nil).status == 200)
        }
    }

    @Test("a token revoked, or an officer deactivated, while the server runs is refused on the next request, before anything is written")
    func revokedWhileServing() async throws {
        let fixture = try APIFixture()
        try await fixture.test { client in
            // Each token is seen live once, so the front door now trusts it without the database.
            for code in ["OFF", "SUP"] {
                #expect(try await client.call(.get, "/v1/districts", token: fixture.tokens[code]).status == 200)
            }
            try fixture.database.revokeTokens(for: "OFF", actingOfficer: "ADMIN")
            _ = try fixture.database.updateOfficer(code: "SUP", name: nil, role: nil, agency: nil, active: false, actingOfficer: "ADMIN")
            for code in ["OFF", "SUP"] {
                for (method, path) in [("POST", "/v1/incidents"), ("GET", "/v1/incidents"), ("GET", "/v1/reports/districts?from=2025-01-01&to=2025-12-31"),
                                       ("POST", "/v1/checkpoints/MS1/traffic")] {
                    let body = path.hasSuffix("traffic")
                        ? #"{"date":"2025-06-24","persons_in":1,"persons_out":1,"vehicles_in":1,"vehicles_out":1}"#
                        : APIFixture.seizureRecord()
                    let reply = try await client.call(.init(method)!, path, token: fixture.tokens[code], body: method == "POST" ? body : nil)
                    #expect(reply.status == 401, "\(code) \(method) \(path): \(reply.text)")
                    #expect(reply.headers[.wwwAuthenticate] == "Bearer realm=\"mekong\"")
                }
            }
            // Refusals that come before the service (an unknown parameter or path, a bad body)
            // are 401 too: the revoked token gets no answer meant for a live one.
            for (method, path, body) in [("GET", "/v1/districts?bogus=1", nil), ("GET", "/v1/nothing", nil),
                                         ("POST", "/v1/incidents", "{broken"), ("DELETE", "/v1/districts", nil)] as [(String, String, String?)] {
                let reply = try await client.call(.init(method)!, path, token: fixture.tokens["OFF"], body: body)
                #expect(reply.status == 401, "\(method) \(path): \(reply.status) \(reply.text)")
            }
            // Other officers are unaffected.
            #expect(try await client.call(.get, "/v1/districts", token: fixture.tokens["ANA"]).status == 200)
        }
        #expect(try fixture.database.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM incidents") } == 0)
        #expect(try fixture.database.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM checkpoint_traffic") } == 0)
    }

    @Test("tokens: only the SHA-256 is stored, issuing and revoking are audited, admins only")
    func tokenStore() throws {
        let fixture = try APIFixture()
        let token = try #require(fixture.tokens["SUP"])
        #expect(token.hasPrefix("mkw_") && token.count == 68)
        let stored = try fixture.database.read { db in try Data.fetchAll(db, sql: "SELECT token_hash FROM officer_tokens") }
        #expect(stored.count == APIFixture.roles.count)
        let dump = try fixture.database.read { db in try String.fetchAll(db, sql: "SELECT hex(token_hash) || officer FROM officer_tokens") }
        #expect(!dump.joined().lowercased().contains(String(token.dropFirst(4))))
        #expect(try fixture.database.officer(bearing: token)?.code == "SUP")
        // Only admins issue and revoke.
        #expect(throws: MekongError.self) { try fixture.database.issueToken(for: "OFF", actingOfficer: "SUP") }
        #expect(throws: MekongError.self) { try fixture.database.revokeTokens(for: "OFF", actingOfficer: "SUP") }
        #expect(throws: MekongError.self) { try fixture.database.issueToken(for: "NOBODY", actingOfficer: "ADMIN") }
        #expect(try fixture.database.revokeTokens(for: "SUP", actingOfficer: "ADMIN") == 1)
        #expect(try fixture.database.officer(bearing: token) == nil)
        let actions = try fixture.database.auditEntries().map(\.action)
        #expect(actions.filter { $0 == "token.issue" }.count == APIFixture.roles.count)
        #expect(actions.last == "token.revoke")
        #expect(try fixture.database.verifyAudit().ok)
    }

    /// One write per action of the role table, and what it answers when allowed.
    struct Attempt: Sendable {
        var action: Action
        var method: String
        var path: String
        var body: String
        var success: Int
    }

    @Test("every role against every write: allowed exactly as Role.may says (the CLI's table), else 403")
    func roleTable() async throws {
        let fixture = try APIFixture()
        let database = fixture.database
        try await fixture.test { client in
            for code in ["ADMIN", "SUP", "OFF", "ANA"] {
                let role = try #require(APIFixture.roles[code])
                let token = fixture.tokens[code]
                // Fresh cases for this role to act on, logged by the admin.
                func fresh(_ status: String = "open") throws -> String {
                    var draft = try IncidentJSON.read(Array(APIFixture.seizureRecord(extra: #","status":"\#(status)","source":"tip_off""#).utf8))
                    draft.id = nil
                    return try database.logIncident(draft, officer: "ADMIN").caseNumber!
                }
                let attempts = [
                    Attempt(action: .logIncident, method: "POST", path: "/v1/incidents", body: APIFixture.seizureRecord(), success: 201),
                    Attempt(action: .updateIncident, method: "PATCH", path: "/v1/incidents/\(try fresh())", body: #"{"status":"investigating"}"#, success: 200),
                    Attempt(action: .updateIncident, method: "PATCH", path: "/v1/incidents/\(try fresh())",
                            body: #"{"arrests":3,"reason":"two more arrested at the house"}"#, success: 200),
                    Attempt(action: .updateIncident, method: "POST", path: "/v1/incidents/\(try fresh())/notes", body: #"{"text":"CCTV at the bridge"}"#, success: 201),
                    Attempt(action: .updateIncident, method: "POST", path: "/v1/incidents/\(try fresh())/links", body: #"{"other":"\#(try fresh())"}"#, success: 201),
                    Attempt(action: .closeOrReopen, method: "PATCH", path: "/v1/incidents/\(try fresh("investigating"))", body: #"{"status":"closed"}"#, success: 200),
                    Attempt(action: .assign, method: "PATCH", path: "/v1/incidents/\(try fresh())", body: #"{"assigned_to":"OFF"}"#, success: 200),
                    Attempt(action: .logTraffic, method: "POST", path: "/v1/checkpoints/MS1/traffic",
                            body: #"{"date":"2025-06-24","persons_in":1240,"persons_out":1185,"vehicles_in":310,"vehicles_out":296}"#, success: 0),
                ]
                for attempt in attempts {
                    let before = try database.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit_log") }
                    let reply = try await client.call(.init(attempt.method)!, attempt.path, token: token, body: attempt.body)
                    let after = try database.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit_log") }
                    if role.may(attempt.action) {
                        #expect(attempt.success == 0 ? [200, 201].contains(reply.status) : reply.status == attempt.success,
                                "\(code) \(attempt.method) \(attempt.path): \(reply.text)")
                        #expect(after == before! + 1)
                    } else {
                        #expect(reply.status == 403, "\(code) \(attempt.method) \(attempt.path): \(reply.text)")
                        #expect(reply.error?["message"]?.stringValue?.contains("role") == true)
                        #expect(after == before, "a refused write wrote nothing")
                    }
                }
                // Reads: every role.
                for path in ["/v1/districts", "/v1/checkpoints", "/v1/incidents", "/v1/incidents/\(try fresh())",
                             "/v1/reports/districts?from=2025-01-01&to=2025-12-31", "/v1/reports/checkpoints?from=2025-06-01&to=2025-06-30",
                             "/v1/search?q=lorry", "/v1/audit/verify"] {
                    #expect(try await client.call(.get, path, token: token).status == 200, "\(code) GET \(path)")
                }
            }
        }
    }

    @Test("informant details: shown to supervisors and admins only, and each view is audited")
    func informant() async throws {
        let fixture = try APIFixture()
        var draft = try IncidentJSON.read(Array(APIFixture.seizureRecord(extra: #","source":"tip_off""#).utf8))
        draft.id = nil
        let incident = try fixture.database.logIncident(draft, officer: "ADMIN")
        try fixture.database.setInformant(incident.caseNumber!, informant: Informant(name: "Village contact", contact: "via the headman"), officer: "SUP")
        try await fixture.test { client in
            for code in ["ADMIN", "SUP", "OFF", "ANA"] {
                let views = { try fixture.database.auditEntries().filter { $0.action == "informant.view" }.count }
                let before = try views()
                let reply = try await client.call(.get, "/v1/incidents/\(incident.caseNumber!)", token: fixture.tokens[code])
                #expect(reply.status == 200)
                let role = try #require(APIFixture.roles[code])
                if role.may(.readInformant) {
                    #expect(reply.json?["informant"]?["name"]?.stringValue == "Village contact")
                    #expect(try views() == before + 1)
                    #expect(try fixture.database.auditEntries().last?.officer == code)
                } else {
                    #expect(reply.json?["informant"] == nil)
                    #expect(!reply.text.contains("Village contact") && !reply.text.contains("headman"))
                    #expect(try views() == before)
                }
            }
            // Never in listings or search.
            for path in ["/v1/incidents", "/v1/search?q=lorry"] {
                #expect(!(try await client.call(.get, path, token: fixture.tokens["ADMIN"]).text.contains("Village contact")))
            }
        }
    }
}

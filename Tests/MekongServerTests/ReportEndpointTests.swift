import Foundation
import Hummingbird
import HummingbirdTesting
import MekongCore
import MekongReports
@testable import MekongServer
import Testing
@testable import MekongStore

@Suite("reference data, traffic, reports, search and audit over HTTP")
struct ReportEndpointTests {
    @Test("districts and checkpoints: every row of the reference data, as the CLI's JSON")
    func reference() async throws {
        let fixture = try APIFixture()
        try await fixture.test { client in
            let districts = try await client.call(.get, "/v1/districts", token: fixture.tokens["ANA"])
            let codes = districts.json?["districts"]?.arrayValue?.compactMap { $0["code"]?.stringValue }
            #expect(codes == (try fixture.database.districts().map(\.code)))
            #expect(districts.json?["districts"]?.arrayValue?.first(where: { $0["code"]?.stringValue == "5709" })?["name_local"]?.stringValue == "แม่สาย")
            let checkpoints = try await client.call(.get, "/v1/checkpoints", token: fixture.tokens["ANA"])
            #expect(checkpoints.json?["checkpoints"]?.arrayValue?.count == (try fixture.database.checkpoints().count))
            let maeSai = try await client.call(.get, "/v1/checkpoints?district=5709", token: fixture.tokens["ANA"])
            let maeSaiCodes = maeSai.json?["checkpoints"]?.arrayValue?.compactMap { $0["code"]?.stringValue }
            #expect(maeSaiCodes == (try fixture.database.checkpoints(district: "5709").map(\.code)) && maeSaiCodes?.isEmpty == false)
            #expect(maeSai.json?["checkpoints"]?.arrayValue?.allSatisfy { $0["district"]?.stringValue == "5709" } == true)
            #expect(try await client.call(.get, "/v1/districts?x=1", token: fixture.tokens["ANA"]).status == 400)
        }
    }

    @Test("traffic: 201 for a new day, 200 replacing it, 404 for an unknown checkpoint, 422 naming the field")
    func traffic() async throws {
        let fixture = try APIFixture()
        try await fixture.test { client in
            let token = fixture.tokens["OFF"]
            let day = #"{"date":"2025-06-24","persons_in":1240,"persons_out":1185,"vehicles_in":310,"vehicles_out":296,"out_of_hours":2}"#
            let first = try await client.call(.post, "/v1/checkpoints/MS1/traffic", token: token, body: day)
            #expect(first.status == 201 && first.json?["replaced"] == .bool(false) && first.json?["persons_in"]?.intValue == 1240)
            let again = try await client.call(.post, "/v1/checkpoints/MS1/traffic", token: token, body: day.replacingOccurrences(of: "1240", with: "1300"))
            #expect(again.status == 200 && again.json?["replaced"] == .bool(true))
            let stored = try fixture.database.read { try Int.fetchOne($0, sql: "SELECT persons_in FROM checkpoint_traffic WHERE checkpoint = 'MS1'") }
            #expect(stored == 1300)
            #expect(try await client.call(.post, "/v1/checkpoints/ZZ9/traffic", token: token, body: day).status == 404)
            for (body, field) in [(day.replacingOccurrences(of: "1240", with: "-1"), "persons_in"),
                                  (day.replacingOccurrences(of: "1240", with: "12.5"), "persons_in"),
                                  (day.replacingOccurrences(of: "\"2025-06-24\"", with: "\"24/06/2025\""), "date"),
                                  (#"{"date":"2025-06-24"}"#, "persons_in"),
                                  (day.replacingOccurrences(of: "\"out_of_hours\"", with: "\"checkpoint\""), "checkpoint")] {
                let reply = try await client.call(.post, "/v1/checkpoints/MS1/traffic", token: token, body: body)
                #expect(reply.status == 422, "\(body): \(reply.text)")
                #expect(reply.errorField == field, "\(body): \(reply.text)")
            }
        }
    }

    @Test("reports: the JSON of SPEC section 4, equal to what the report builders give the CLI; parameters checked")
    func reports() async throws {
        let fixture = try APIFixture()
        let records = (1...40).map { index in
            APIFixture.seizureRecord(date: String(format: "2025-%02d-%02d", index % 12 + 1, index % 28 + 1), tablets: index * 100_000)
        }
        try await fixture.test { client in
            for record in records {
                #expect(try await client.call(.post, "/v1/incidents", token: fixture.tokens["OFF"], body: record).status == 201)
            }
            #expect(try await client.call(.post, "/v1/checkpoints/MS1/traffic", token: fixture.tokens["OFF"],
                                          body: #"{"date":"2025-06-24","persons_in":1240,"persons_out":1185,"vehicles_in":310,"vehicles_out":296}"#).status == 201)
            let period = try Period(from: LocalDate("2025-01-01")!, to: LocalDate("2025-12-31")!)
            let districts = try await client.call(.get, "/v1/reports/districts?from=2025-01-01&to=2025-12-31", token: fixture.tokens["ANA"])
            #expect(districts.status == 200)
            let expected = try DistrictReport.build(fixture.database, period: period).json(pretty: true)
            #expect(districts.json == (try JSONValue(parsing: expected)))
            #expect(districts.json?["totals"]?["incidents"]?.intValue == 40)
            let tablets = (1...40).reduce(0) { $0 + $1 * 100_000 }
            #expect(districts.json?["totals"]?["seizures"]?.arrayValue?.first?["quantity"]?.numberValue == Double(tablets))

            let one = try await client.call(.get, "/v1/reports/districts?from=2025-06-01&to=2025-06-30&district=5709", token: fixture.tokens["ANA"])
            let june = try Period(from: LocalDate("2025-06-01")!, to: LocalDate("2025-06-30")!)
            #expect(one.json == (try JSONValue(parsing: DistrictReport.build(fixture.database, period: june, district: "5709").json(pretty: false))))

            let review = try await client.call(.get, "/v1/reports/checkpoints?from=2025-06-01&to=2025-06-30&threshold=0.3", token: fixture.tokens["ANA"])
            #expect(review.json == (try JSONValue(parsing: CheckpointReview.build(fixture.database, period: june, threshold: 0.3).json(pretty: false))))
            #expect(review.json?["threshold"]?.numberValue == 0.3)

            for (query, field) in [("to=2025-12-31", "from"), ("from=2025-01-01", "to"), ("from=2025-13-01&to=2025-12-31", "from"),
                                   ("from=2025-12-31&to=2025-01-01", "to"), ("from=2025-01-01&to=2025-12-31&tz=UTC", "tz")] {
                let reply = try await client.call(.get, "/v1/reports/districts?\(query)", token: fixture.tokens["ANA"])
                #expect(reply.status == 400, "\(query): \(reply.text)")
                #expect(reply.errorField == field, "\(query): \(reply.text)")
            }
            for query in ["from=2025-01-01&to=2025-12-31&threshold=-1", "from=2025-01-01&to=2025-12-31&threshold=lots"] {
                let reply = try await client.call(.get, "/v1/reports/checkpoints?\(query)", token: fixture.tokens["ANA"])
                #expect(reply.status == 400 && reply.errorField == "threshold", "\(query): \(reply.text)")
            }
        }
    }

    @Test("cached reports are never stale: after a log, a correction, traffic or a write that bypasses the server, the answer is built again")
    func reportCache() async throws {
        let fixture = try APIFixture()
        let year = "/v1/reports/districts?from=2025-01-01&to=2025-12-31"
        let review = "/v1/reports/checkpoints?from=2025-06-01&to=2025-06-30"
        let period = try Period(from: LocalDate("2025-01-01")!, to: LocalDate("2025-12-31")!)
        let june = try Period(from: LocalDate("2025-06-01")!, to: LocalDate("2025-06-30")!)
        /// The HTTP answers, each against the report built fresh from the database.
        @Sendable func check(_ client: some TestClientProtocol, incidents: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let report = try await client.call(.get, year, token: fixture.tokens["ANA"])
            #expect(report.json == (try JSONValue(parsing: DistrictReport.build(fixture.database, period: period).json(pretty: false))),
                    sourceLocation: sourceLocation)
            #expect(report.json?["totals"]?["incidents"]?.intValue == incidents, sourceLocation: sourceLocation)
            let utilisation = try await client.call(.get, review, token: fixture.tokens["ANA"])
            #expect(utilisation.json == (try JSONValue(parsing: CheckpointReview.build(fixture.database, period: june).json(pretty: false))),
                    sourceLocation: sourceLocation)
        }
        let api = fixture.api
        try await fixture.test(api: api) { client in
            try await check(client, incidents: 0)
            try await check(client, incidents: 0)  // served from the cache
            let logged = try await client.call(.post, "/v1/incidents", token: fixture.tokens["OFF"], body: APIFixture.seizureRecord())
            #expect(logged.status == 201)
            try await check(client, incidents: 1)
            let id = logged.json?["id"]?.stringValue ?? ""
            let moved = try await client.call(.patch, "/v1/incidents/\(id)", token: fixture.tokens["OFF"],
                                              body: #"{"district":"5708","checkpoint":"","reason":"logged at the wrong district"}"#)
            #expect(moved.status == 200)
            try await check(client, incidents: 1)
            #expect(try await client.call(.post, "/v1/checkpoints/MS1/traffic", token: fixture.tokens["OFF"],
                                          body: #"{"date":"2025-06-24","persons_in":1240,"persons_out":1185,"vehicles_in":310,"vehicles_out":296}"#).status == 201)
            try await check(client, incidents: 1)
            // A write that does not pass through the server (the CLI, an import).
            _ = try fixture.database.logIncident(try IncidentJSON.read(Array(APIFixture.seizureRecord(date: "2025-03-01").utf8)), officer: "OFF")
            try await check(client, incidents: 2)
        }
        #expect(api.reports.count == 2)
    }

    @Test("search: Thai substrings, percent-encoded; 400 without q, with a NUL or over 500 characters")
    func search() async throws {
        let fixture = try APIFixture()
        let record = APIFixture.seizureRecord().replacingOccurrences(of: "Tablets in a lorry's false floor", with: "ยาบ้าซุกในรถบรรทุกที่แม่สาย")
        _ = try fixture.database.logIncident(try IncidentJSON.read(Array(record.utf8)), officer: "OFF")
        _ = try fixture.database.logIncident(try IncidentJSON.read(Array(APIFixture.seizureRecord().utf8)), officer: "OFF")
        try await fixture.test { client in
            let query = "แม่สาย".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let thai = try await client.call(.get, "/v1/search?q=\(query)", token: fixture.tokens["ANA"])
            #expect(thai.status == 200)
            #expect(thai.json?["results"]?.arrayValue?.count == 1)
            #expect(thai.json?["results"]?.arrayValue?.first?["matched"]?.arrayValue == [.string("summary")])
            let words = try await client.call(.get, "/v1/search?q=false+floor&limit=5", token: fixture.tokens["ANA"])
            #expect(words.json?["results"]?.arrayValue?.count == 1)
            #expect(try await client.call(.get, "/v1/search", token: fixture.tokens["ANA"]).status == 400)
            #expect(try await client.call(.get, "/v1/search?q=%E0%B8", token: fixture.tokens["ANA"]).status == 400)
            // Found by schemathesis: a NUL cut SQLite's match expression short (a 500).
            let nul = try await client.call(.get, "/v1/search?q=floor%00x", token: fixture.tokens["ANA"])
            #expect(nul.status == 400)
            #expect(nul.json?["error"]?["field"] == .string("q"))
            let long = String(repeating: "a", count: 501)
            #expect(try await client.call(.get, "/v1/search?q=\(long)", token: fixture.tokens["ANA"]).status == 400)
            #expect(try await client.call(.get, "/v1/search?q=\(long.dropLast())", token: fixture.tokens["ANA"]).status == 200)
        }
    }

    @Test("audit verify: ok on an intact trail, the first fault when an incident was edited behind mekong's back")
    func auditVerify() async throws {
        let fixture = try APIFixture()
        let incident = try fixture.database.logIncident(try IncidentJSON.read(Array(APIFixture.seizureRecord().utf8)), officer: "OFF")
        try await fixture.test { client in
            let intact = try await client.call(.get, "/v1/audit/verify", token: fixture.tokens["ANA"])
            #expect(intact.json?["ok"] == .bool(true) && intact.json?["fault"] == .null)
            try await fixture.database.writer.write { db in
                try db.execute(sql: "UPDATE incidents SET arrests = 9 WHERE case_number = ?", arguments: [incident.caseNumber!])
            }
            let tampered = try await client.call(.get, "/v1/audit/verify", token: fixture.tokens["ANA"])
            #expect(tampered.status == 200)
            #expect(tampered.json?["ok"] == .bool(false))
            #expect(tampered.json?["fault"]?.stringValue?.contains(incident.caseNumber!) == true)
        }
    }
}

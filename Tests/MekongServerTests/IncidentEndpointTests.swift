import Foundation
import Hummingbird
import HummingbirdTesting
import MekongCore
import MekongServer
import Testing
@testable import MekongStore

@Suite("incidents over HTTP: log, show, list, update, note, link")
struct IncidentEndpointTests {
    @Test("POST /v1/incidents: 201 with the stored record, the same as GET and as the store holds it")
    func logIncident() async throws {
        let fixture = try APIFixture()
        try await fixture.test { client in
            let record = #"{"type":"drug_seizure","occurred_at":"2025-06-24T14:30:00+07:00","district":"5709","checkpoint":"MS1","summary":"ผู้ต้องหา 2 คน","seizures":[{"item":"heroin","quantity":850,"unit":"g"}],"arrests":2}"#
            let created = try await client.call(.post, "/v1/incidents", token: fixture.tokens["OFF"], body: record)
            #expect(created.status == 201, "\(created.text)")
            let json = try #require(created.json)
            #expect(json["case_number"]?.stringValue == "CR-2025-000001")
            #expect(json["recorded_by"]?.stringValue == "OFF")
            #expect(json["local_date"]?.stringValue == "2025-06-24")
            #expect(json["summary"]?.stringValue == "ผู้ต้องหา 2 คน")
            // 850 g is stored as 0.85 kg.
            #expect(json["seizures"]?.arrayValue?.first?["quantity"]?.numberValue == 0.85)
            #expect(json["seizures"]?.arrayValue?.first?["unit"]?.stringValue == "kg")
            let id = try #require(json["id"]?.stringValue)
            let stored = try #require(try fixture.database.incident(id))
            var writer = JSONWriter()
            IncidentJSON.write(stored, to: &writer)
            #expect(try JSONValue(parsing: writer.bytes) == json)
            // GET by id and by case number: the record plus notes, links and history.
            for reference in [id, "CR-2025-000001"] {
                let shown = try await client.call(.get, "/v1/incidents/\(reference)", token: fixture.tokens["ANA"])
                #expect(shown.status == 200)
                #expect(shown.json?["case_number"] == json["case_number"])
                #expect(shown.json?["history"]?.arrayValue?.first?["action"]?.stringValue == "incident.create")
                #expect(shown.json?["notes"]?.arrayValue == [])
            }
            #expect(try fixture.database.verifyAudit().ok)
        }
    }

    @Test("bad bodies: 400 for malformed JSON, 422 naming the field, 409 for an id that exists, 413 over the limit; nothing stored")
    func refusedRecords() async throws {
        let fixture = try APIFixture()
        try await fixture.test { client in
            let token = fixture.tokens["OFF"]
            let malformed = ["", "{", #"{"type": }"#, "[1,2]", "\"text\"", "null", "{\"a\":1}}", String(repeating: "[", count: 100)]
            for body in malformed {
                let reply = try await client.call(.post, "/v1/incidents", token: token, body: body)
                #expect(reply.status == 400, "\(body): \(reply.text)")
                #expect(reply.error?["message"] != nil)
            }
            let invalid: [(String, String)] = [
                (APIFixture.seizureRecord().replacingOccurrences(of: "\"5709\"", with: "\"9999\""), "district"),
                (APIFixture.seizureRecord().replacingOccurrences(of: "\"MS1\"", with: "\"XX9\""), "checkpoint"),
                (APIFixture.seizureRecord(date: "2025-02-30"), "occurred_at"),
                (APIFixture.seizureRecord(tablets: -5), "seizures[1].quantity"),
                (APIFixture.seizureRecord(extra: #","arrests":"two""#).replacingOccurrences(of: #""arrests":1,"#, with: ""), "arrests"),
                (APIFixture.seizureRecord(extra: #","colour":"red""#), "colour"),
                (#"{"type":"drug_seizure","district":"5709","occurred_at":"2025-06-24"}"#, "summary"),
            ]
            for (body, field) in invalid {
                let reply = try await client.call(.post, "/v1/incidents", token: token, body: body)
                #expect(reply.status == 422, "\(field): \(reply.text)")
                #expect(reply.errorField == field, "\(reply.text)")
                #expect(reply.error?["problems"]?.arrayValue?.isEmpty == false)
            }
            let id = "01977a6e-5f00-7000-8000-000000000001"
            #expect(try await client.call(.post, "/v1/incidents", token: token, body: APIFixture.seizureRecord(extra: #","id":"\#(id)""#)).status == 201)
            let again = try await client.call(.post, "/v1/incidents", token: token, body: APIFixture.seizureRecord(extra: #","id":"\#(id)""#))
            #expect(again.status == 409)
            let huge = APIFixture.seizureRecord(extra: #","place":""# + String(repeating: "ก", count: 400_000) + "\"")
            #expect(try await client.call(.post, "/v1/incidents", token: token, body: huge).status == 413)
            #expect(try fixture.database.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM incidents") } == 1)
        }
    }

    @Test("GET /v1/incidents: the filters of `incident list`, cursor pages that cover every incident once")
    func listing() async throws {
        let fixture = try APIFixture()
        for day in 1...30 {
            var draft = try IncidentJSON.read(Array(APIFixture.seizureRecord(date: String(format: "2025-06-%02d", day)).utf8))
            if day % 3 == 0 { draft.district = "5708"; draft.checkpoint = nil }
            _ = try fixture.database.logIncident(draft, officer: "OFF")
        }
        try await fixture.test { client in
            var seen: [String] = []
            var cursor: String?
            repeat {
                let uri = "/v1/incidents?district=5709&limit=7" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await client.call(.get, uri, token: fixture.tokens["ANA"])
                #expect(page.status == 200)
                let incidents = try #require(page.json?["incidents"]?.arrayValue)
                #expect(incidents.allSatisfy { $0["district"]?.stringValue == "5709" })
                seen += incidents.compactMap { $0["case_number"]?.stringValue }
                cursor = page.json?["next_cursor"]?.stringValue
            } while cursor != nil
            #expect(seen.count == 20 && Set(seen).count == 20)
            let expected = try fixture.database.listIncidents(IncidentFilter(district: "5709"), limit: 100).incidents.map(\.caseNumber!)
            #expect(seen == expected)

            let june10to12 = try await client.call(.get, "/v1/incidents?since=2025-06-10&until=2025-06-12&type=drug_seizure&status=open", token: fixture.tokens["ANA"])
            #expect(june10to12.json?["incidents"]?.arrayValue?.compactMap { $0["local_date"]?.stringValue } == ["2025-06-12", "2025-06-11", "2025-06-10"])
            #expect(june10to12.json?["next_cursor"] == .null)

            for (query, field) in [("type=smuggling", "type"), ("status=done", "status"), ("since=June", "since"), ("limit=0", "limit"),
                                   ("limit=ten", "limit"), ("cursor=zzz", "cursor"), ("distrct=5709", "distrct"), ("district=5709&district=5708", "district"),
                                   ("since=2025-06-12&until=2025-06-10", "since")] {
                let reply = try await client.call(.get, "/v1/incidents?\(query)", token: fixture.tokens["ANA"])
                #expect(reply.status == 400, "\(query): \(reply.text)")
                #expect(reply.errorField == field, "\(query): \(reply.text)")
            }
        }
    }

    @Test("PATCH: status moves, assignment, corrections with a reason; 404, 409 and 422 as the rules say")
    func update() async throws {
        let fixture = try APIFixture()
        let incident = try fixture.database.logIncident(try IncidentJSON.read(Array(APIFixture.seizureRecord().utf8)), officer: "OFF")
        let path = "/v1/incidents/\(incident.caseNumber!)"
        try await fixture.test { client in
            let officer = fixture.tokens["OFF"], supervisor = fixture.tokens["SUP"]
            var reply = try await client.call(.patch, path, token: officer, body: #"{"status":"investigating"}"#)
            #expect(reply.status == 200 && reply.json?["status"]?.stringValue == "investigating")
            reply = try await client.call(.patch, path, token: officer, body: #"{"status":"open"}"#)
            #expect(reply.status == 409, "\(reply.text)")
            reply = try await client.call(.patch, path, token: supervisor, body: #"{"assigned_to":"OFF"}"#)
            #expect(reply.json?["assigned_to"]?.stringValue == "OFF")
            reply = try await client.call(.patch, path, token: supervisor, body: #"{"assigned_to":null}"#)
            #expect(reply.status == 200 && reply.json?["assigned_to"] == .null)
            // An unknown officer in the body: the case exists, the body is wrong (422, not 404).
            reply = try await client.call(.patch, path, token: supervisor, body: #"{"assigned_to":"NOBODY"}"#)
            #expect(reply.status == 422 && reply.errorField == "assigned_to")
            reply = try await client.call(.patch, path, token: supervisor, body: #"{"assigned_to":"ANA"}"#)
            #expect(reply.status == 409 && reply.errorField == "assigned_to")

            // Corrections need a reason, named as the field at fault.
            reply = try await client.call(.patch, path, token: officer, body: #"{"district":"5708","checkpoint":""}"#)
            #expect(reply.status == 422 && reply.errorField == "reason", "\(reply.text)")
            reply = try await client.call(.patch, path, token: officer,
                                          body: #"{"district":"5708","checkpoint":"","seizures":[{"item":"heroin","quantity":1.2,"unit":"kg"}],"reason":"seized on the Chiang Saen side"}"#)
            #expect(reply.status == 200, "\(reply.text)")
            #expect(reply.json?["district"]?.stringValue == "5708" && reply.json?["checkpoint"] == .null)
            #expect(reply.json?["seizures"]?.arrayValue?.map { $0["item"]?.stringValue } == ["heroin"])

            for (body, field) in [(#"{"district":"9999","reason":"typo"}"#, "district"), (#"{"status":"finished"}"#, "status"),
                                  (#"{"case_number":"CR-2025-999999"}"#, "case_number"), (#"{"id":"01977a6e-5f00-7000-8000-000000000001"}"#, "id"),
                                  (#"{"arrests":-1,"reason":"x"}"#, "arrests"), (#"{"colour":"red","reason":"x"}"#, "colour"),
                                  (#"{"assigned_to":5}"#, "assigned_to")] {
                reply = try await client.call(.patch, path, token: supervisor, body: body)
                #expect(reply.status == 422, "\(body): \(reply.text)")
                #expect(reply.errorField == field, "\(body): \(reply.text)")
            }
            #expect(try await client.call(.patch, path, token: officer, body: "{}").status == 422)
            #expect(try await client.call(.patch, path, token: officer, body: "{").status == 400)
            #expect(try await client.call(.patch, "/v1/incidents/CR-2025-424242", token: supervisor, body: #"{"status":"closed"}"#).status == 404)

            // Old and new values are in the history; the chain verifies.
            let history = try fixture.database.auditEntries(incident: incident.caseNumber!)
            #expect(history.map(\.action) == ["incident.create", "incident.update", "incident.update", "incident.update", "incident.update"])
            #expect(try fixture.database.verifyAudit().ok)
        }
    }

    @Test("notes and links: 201, a link made again is 200, self links and unknown ids refused")
    func notesAndLinks() async throws {
        let fixture = try APIFixture()
        let first = try fixture.database.logIncident(try IncidentJSON.read(Array(APIFixture.seizureRecord().utf8)), officer: "OFF")
        let second = try fixture.database.logIncident(try IncidentJSON.read(Array(APIFixture.seizureRecord(date: "2025-06-25").utf8)), officer: "OFF")
        try await fixture.test { client in
            let token = fixture.tokens["OFF"]
            let path = "/v1/incidents/\(first.caseNumber!)"
            let note = try await client.call(.post, path + "/notes", token: token, body: #"{"text":"Driver identified from CCTV\r\nat the bridge"}"#)
            #expect(note.status == 201)
            #expect(note.json?["text"]?.stringValue == "Driver identified from CCTV\r\nat the bridge")
            #expect(note.json?["officer"]?.stringValue == "OFF")
            #expect(try await client.call(.post, path + "/notes", token: token, body: #"{"text":""}"#).status == 422)
            #expect(try await client.call(.post, path + "/notes", token: token, body: #"{"text":7}"#).errorField == "text")
            #expect(try await client.call(.post, path + "/notes", token: token, body: #"{}"#).errorField == "text")
            #expect(try await client.call(.post, "/v1/incidents/CR-2025-000099/notes", token: token, body: #"{"text":"x"}"#).status == 404)

            let link = #"{"other":"\#(second.id)"}"#
            let made = try await client.call(.post, path + "/links", token: token, body: link)
            let linked = try JSONValue(parsing: #"{"linked":true,"new":true}"#)
            #expect(made.status == 201 && made.json == linked)
            let again = try await client.call(.post, "/v1/incidents/\(second.caseNumber!)/links", token: token, body: #"{"other":"\#(first.caseNumber!)"}"#)
            #expect(again.status == 200 && again.json?["new"] == .bool(false))
            #expect(try await client.call(.post, path + "/links", token: token, body: #"{"other":"\#(first.caseNumber!)"}"#).status == 422)
            let unknownOther = try await client.call(.post, path + "/links", token: token, body: #"{"other":"CR-2025-000099"}"#)
            #expect(unknownOther.status == 422 && unknownOther.errorField == "other")
            #expect(try await client.call(.post, "/v1/incidents/CR-2025-000099/links", token: token, body: link).status == 404)

            let shown = try await client.call(.get, "/v1/incidents/\(second.caseNumber!)", token: token)
            #expect(shown.json?["links"]?.arrayValue?.first?["case_number"]?.stringValue == first.caseNumber)
            #expect(try fixture.database.verifyAudit().ok)
        }
    }
}

import MekongCore
import Testing

@Suite("JSON reading and writing")
struct JSONTests {
    func read(_ text: String) throws -> (draft: IncidentDraft, problems: [FieldProblem]) {
        let draft = try IncidentJSON.read(Array(text.utf8))
        return (draft, draft.readProblems)
    }

    @Test("a record is read into a draft")
    func readRecord() throws {
        let (draft, problems) = try read("""
            {"id":"0190a0b0-0000-7000-8000-000000000001","type":"drug_seizure","occurred_at":"2025-06-24","district":"5709",
             "summary":"ยาบ้า \\"yaba\\"\\n\\u0e41\\u0e21\\u0e48\\u0e2a\\u0e32\\u0e22 \\ud83d\\ude42","lat":20.4,"lon":99.9,"arrests":2,
             "loss_thb":1.5e6,"seizures":[{"item":"heroin","quantity":4000,"unit":"g"}],"case_number":"ignored","checkpoint":null}
            """)
        #expect(problems.isEmpty)
        #expect(draft.summary == "ยาบ้า \"yaba\"\nแม่สาย 🙂")
        #expect(draft.arrests == 2)
        #expect(draft.lossTHB == 1_500_000)
        #expect(draft.checkpoint == nil)
        #expect(draft.seizures == [SeizureDraft(item: "heroin", quantity: 4000, unit: "g")])
    }

    @Test("wrong types, unknown and repeated fields become problems of their field")
    func fieldProblems() throws {
        let (_, problems) = try read("""
            {"type":3,"arrests":"two","persons":1.5,"distrct":"5709","summary":"a","summary":"b","seizures":{"item":"x"},"lat":"20"}
            """)
        #expect(problems.map(\.field) == ["type", "arrests", "persons", "distrct", "summary", "seizures", "lat"])
        let (_, nested) = try read(#"{"seizures":[{"item":"heroin","qty":5,"unit":"kg"},7]}"#)
        #expect(nested.map(\.field) == ["seizures[1].qty", "seizures[2]"])
    }

    @Test("broken JSON is a syntax error with its column", arguments: [
        "", "[]", "{", #"{"a":}"#, #"{"a":1,}"#, #"{"a" 1}"#, #"{'a':1}"#, #"{"a":tru}"#, #"{"a":01}"#, #"{"a":1.}"#,
        #"{"a":"\x"}"#, "{\"a\":\"tab\there\"}", #"{"a":"\ud800"}"#, #"{"a":1} {"#, #"{"a":NaN}"#, #"{"a":1e999}"#,
    ])
    func syntaxErrors(text: String) {
        #expect(throws: JSONSyntaxError.self) { try read(text) }
    }

    @Test("invalid UTF-8 and deep nesting are refused")
    func hostileInput() {
        #expect(throws: JSONSyntaxError.self) { try IncidentJSON.read([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0x22, 0x7D]) }
        let deep = #"{"place":"# + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "}"
        #expect(throws: JSONSyntaxError.self) { try read(deep) }
    }

    @Test("the writer escapes what JSON requires and keeps Thai as UTF-8")
    func writer() {
        var json = JSONWriter()
        json.beginObject()
        json.field("s", "แม่สาย \"q\" \\ \n\t\u{1}")
        json.field("n", 1_350_000.0)
        json.field("f", 0.823)
        json.field("none", nil as String?)
        json.key("a")
        json.beginArray()
        json.integer(-3)
        json.bool(true)
        json.endArray()
        json.endObject()
        #expect(json.text == #"{"s":"แม่สาย \"q\" \\ \n\t\u0001","n":1350000,"f":0.823,"none":null,"a":[-3,true]}"#)
    }

    @Test("pretty output indents and stays valid")
    func pretty() {
        var json = JSONWriter(pretty: true)
        json.beginObject()
        json.key("empty")
        json.beginArray()
        json.endArray()
        json.field("x", 1)
        json.endObject()
        #expect(json.text == "{\n  \"empty\": [],\n  \"x\": 1\n}")
    }

    @Test("an incident written and read back is the same record")
    func roundTrip() throws {
        let known = KnownCodes(districts: ["5709"], checkpoints: ["MS1"])
        var draft = IncidentDraft()
        draft.type = "scam"
        draft.occurredAt = "2025-06-30T20:00:00Z"
        draft.district = "5709"
        draft.checkpoint = "MS1"
        draft.summary = "line one\r\nline two, \"quoted\" ສະບາຍດີ 🙂"
        draft.place = "Mae Sai"
        draft.latitude = 20.428
        draft.longitude = 99.884
        draft.victims = 3
        draft.lossTHB = 120_000.5
        draft.seizures = [SeizureDraft(item: "other", quantity: 2, unit: "pieces")]
        let incident = try draft.validate(known: known) { IncidentID("0190a0b0-0000-7000-8000-000000000001")! }
        var writer = JSONWriter()
        IncidentJSON.write(incident, to: &writer)
        let again = try IncidentJSON.read(writer.bytes)
        #expect(again.readProblems.isEmpty)
        let reread = try again.validate(known: known) { IncidentID("0190a0b0-0000-7000-8000-000000000002")! }
        #expect(reread == incident)
    }

    @Test("a redacted record rounds coordinates and drops officer codes")
    func redacted() throws {
        var incident = Incident(id: IncidentID("0190a0b0-0000-7000-8000-000000000001")!, type: .scam,
                                occurredAt: try OccurredAt("2025-06-24"), district: "5709", summary: "x",
                                coordinates: Coordinates(latitude: 20.4567, longitude: 99.8844))
        incident.recordedBy = "MS-OFFICER"
        var writer = JSONWriter()
        IncidentJSON.write(incident, to: &writer, redacted: true)
        #expect(!writer.text.contains("MS-OFFICER"))
        #expect(!writer.text.contains("recorded_by"))
        #expect(writer.text.contains(#""lat":20.5,"lon":99.9"#))
    }
}

@Suite("Canonical audit state")
struct AuditStateTests {
    @Test("the direct encoding equals the dictionary's canonical JSON, with and without the case number")
    func fastEncodingMatches() throws {
        var random = SplitMix(seed: 11)
        let known = KnownCodes(districts: ["5709", "5708"], checkpoints: ["MS1"])
        for index in 0..<500 {
            var draft = IncidentDraft()
            draft.type = IncidentType.allCases[Int(random.next() % 11)].rawValue
            draft.occurredAt = ["2025-06-24", "2025-06-30T20:00:00Z", "2025-06-24T14:30"][index % 3]
            draft.district = index % 2 == 0 ? "5709" : "5708"
            draft.checkpoint = index % 5 == 0 ? "MS1" : nil
            draft.summary = ["ยาบ้า \"q\" \\ \n", "plain", "🙂 e\u{301}"][index % 3]
            draft.place = index % 4 == 0 ? "บ้าน" : nil
            if index % 3 == 0 {
                draft.latitude = Double(random.next() % 1000) / 7
                draft.longitude = -Double(random.next() % 1000) / 3
                draft.latitude = draft.latitude.map { min($0, 90) }
                draft.longitude = draft.longitude.map { max($0, -180) }
            }
            draft.arrests = Int(random.next() % 5)
            draft.lossTHB = index % 7 == 0 ? Double(random.next() % 100_000) / 4 : nil
            draft.status = IncidentStatus.allCases[index % 4].rawValue
            draft.source = index % 6 == 0 ? nil : IncidentSource.allCases[index % 6].rawValue
            draft.parsedSeizures = index % 2 == 0 ? [try Seizure(compact: "heroin:\(index + 1):g"), try Seizure(compact: "wildlife:3:pieces")] : []
            var incident = try draft.validate(known: known) { IncidentID(high: UInt64(index), low: 0x8000_0000_0000_0000) }
            incident.caseNumber = index % 9 == 0 ? nil : "CR-2025-\(index)"
            incident.recordedBy = "OFF1"
            incident.assignedTo = index % 2 == 0 ? nil : "OFF2"
            incident.createdAt = "2025-01-01T00:00:00.000Z"
            var direct = JSONWriter()
            incident.writeAuditState(to: &direct)
            #expect(direct.bytes == JSONValue.object(incident.auditState).canonicalBytes)
            var withoutCase = JSONWriter()
            incident.writeAuditState(to: &withoutCase, includingCaseNumber: false)
            var state = incident.auditState
            state["case_number"] = nil
            #expect(withoutCase.bytes == JSONValue.object(state).canonicalBytes)
            // And it reads back as the same value.
            #expect(try JSONValue(parsing: direct.bytes) == JSONValue.object(incident.auditState))
        }
    }
}

import MekongCore
import Testing

@Suite("Incident validation")
struct IncidentValidationTests {
    let known = KnownCodes(districts: ["5708", "5709"], checkpoints: ["MS1"])
    let fixedID = IncidentID("0197a0b0-0000-7000-8000-000000000001")!

    func draft() -> IncidentDraft {
        var draft = IncidentDraft()
        draft.type = "drug_seizure"
        draft.occurredAt = "2025-06-24T14:30:00+07:00"
        draft.district = "5709"
        draft.summary = "1,350,000 tablets in a lorry's false floor"
        return draft
    }

    @Test("a complete draft becomes an incident with defaults")
    func valid() throws {
        var draft = draft()
        draft.checkpoint = "MS1"
        draft.seizures = [SeizureDraft(item: "methamphetamine_tablets", quantity: 1_350_000, unit: "tablets")]
        draft.parsedSeizures = [try Seizure(compact: "heroin:500:g")]
        let incident = try draft.validate(known: known) { fixedID }
        #expect(incident.id == fixedID)
        #expect(incident.status == .open)
        #expect(incident.arrests == 0)
        #expect(incident.lossTHB == nil)
        #expect(incident.seizures.map(\.item) == [.heroin, .methamphetamineTablets])
        #expect(incident.seizures[0].quantity == 0.5)
    }

    @Test("every problem is returned, each with its field")
    func everyProblem() {
        var draft = IncidentDraft()
        draft.id = "not-a-uuid"
        draft.status = "done"
        draft.source = "rumour"
        draft.latitude = 95
        draft.arrests = -1
        draft.lossTHB = -5
        draft.seizures = [SeizureDraft(item: "heroin", quantity: 5, unit: "tablets"), SeizureDraft(item: nil, quantity: nil, unit: "kg")]
        #expect {
            try draft.validate(known: known) { fixedID }
        } throws: { error in
            let fields = Set((error as? ValidationFailure)?.problems.map(\.field) ?? [])
            return fields == ["id", "type", "occurred_at", "district", "summary", "status", "source", "lon",
                              "arrests", "loss_thb", "seizures[1].unit", "seizures[2].item", "seizures[2].quantity"]
        }
    }

    @Test("unknown codes are marked as unknown references")
    func unknownReferences() {
        var draft = draft()
        draft.district = "9999"
        draft.checkpoint = "XX9"
        #expect {
            try draft.validate(known: known) { fixedID }
        } throws: { error in
            let problems = (error as? ValidationFailure)?.problems ?? []
            return problems.map(\.field) == ["district", "checkpoint"] && problems.allSatisfy(\.isUnknownReference)
                && problems[0].message == "unknown district code \"9999\""
        }
    }

    @Test("text limits count characters, not bytes; blank and NUL are refused")
    func textLimits() throws {
        var draft = draft()
        // 4000 Thai characters are 12000 bytes of UTF-8 and still fit.
        draft.summary = String(repeating: "ย", count: 4000)
        _ = try draft.validate(known: known) { fixedID }
        draft.summary = String(repeating: "ย", count: 4001)
        #expect(throws: ValidationFailure.self) { try draft.validate(known: known) { fixedID } }
        for bad in ["", "   \n", "a\u{0}b"] {
            draft.summary = bad
            #expect(throws: ValidationFailure.self) { try draft.validate(known: known) { fixedID } }
        }
        // Text is kept exactly: spaces, line breaks and Unicode form untouched.
        let exact = "  ยาบ้า 'x'; DROP TABLE incidents; --\r\n🙂 e\u{301} "
        draft.summary = exact
        #expect(try draft.validate(known: known) { fixedID }.summary == exact)
    }

    @Test("lat and lon come together and in range")
    func coordinates() throws {
        var draft = draft()
        draft.latitude = 20.428
        draft.longitude = 99.884
        #expect(try draft.validate(known: known) { fixedID }.coordinates == Coordinates(latitude: 20.428, longitude: 99.884))
        draft.longitude = nil
        #expect(throws: ValidationFailure.self) { try draft.validate(known: known) { fixedID } }
        draft.longitude = 181
        #expect(throws: ValidationFailure.self) { try draft.validate(known: known) { fixedID } }
    }

    @Test("the enumerations are exactly those of SPEC section 2")
    func enumerations() {
        #expect(IncidentType.choices == ["drug_seizure", "scam", "vehicle_smuggling", "goods_smuggling", "illegal_immigration",
                                          "human_trafficking", "wildlife_trafficking", "timber_trafficking", "haze_fire",
                                          "cross_border_assistance", "other"])
        #expect(IncidentStatus.choices == ["open", "investigating", "referred", "closed"])
        #expect(IncidentSource.choices == ["patrol", "checkpoint_inspection", "tip_off", "investigation", "referral", "other"])
        #expect(CheckpointKind.choices == ["permanent", "temporary", "trade_point", "customary", "river_pier", "inland"])
        #expect(CheckpointStatus.choices == ["active", "suspended", "proposed", "closed"])
        #expect(Role.choices == ["officer", "supervisor", "analyst", "admin"])
    }

    @Test("an unknown choice lists the valid ones")
    func choiceMessage() {
        #expect {
            try IncidentType.parse("drugs", field: "type")
        } throws: { error in
            (error as? FieldProblem)?.message == "unknown incident type \"drugs\" (expected one of: drug_seizure, scam, vehicle_smuggling, goods_smuggling, illegal_immigration, human_trafficking, wildlife_trafficking, timber_trafficking, haze_fire, cross_border_assistance, other)"
        }
    }
}

@Suite("Roles")
struct RoleTests {
    @Test("the permission table of SPEC section 1")
    func table() {
        #expect(Role.officer.may(.logIncident) && Role.officer.may(.updateIncident) && Role.officer.may(.logTraffic))
        #expect(!Role.officer.may(.closeOrReopen) && !Role.officer.may(.readInformant) && !Role.officer.may(.importRecords))
        #expect(Role.supervisor.may(.closeOrReopen) && Role.supervisor.may(.assign) && Role.supervisor.may(.importRecords) && Role.supervisor.may(.readInformant))
        #expect(!Role.supervisor.may(.manageOfficers) && !Role.supervisor.may(.manageReference))
        #expect(Role.analyst.may(.read))
        #expect(Action.allCases.filter { Role.analyst.may($0) } == [.read])
        #expect(Action.allCases.allSatisfy { Role.admin.may($0) })
        #expect(Role.least(for: .logIncident) == .officer)
        #expect(Role.least(for: .readInformant) == .supervisor)
        #expect(Role.least(for: .manageReference) == .admin)
    }
}

@Suite("Incident ids")
struct IncidentIDTests {
    @Test("ids are read in any case and written lowercase")
    func canonicalForm() throws {
        let id = try #require(IncidentID("0190A0B0-0000-7000-8000-00000000000F"))
        #expect(id.description == "0190a0b0-0000-7000-8000-00000000000f")
        #expect(IncidentID(bytes: id.bytes) == id)
        for bad in ["0190a0b0000070008000000000000001", "0190a0b0-0000-7000-8000-00000000000", "0190a0b0-0000-7000-8000-00000000000g",
                    "{0190a0b0-0000-7000-8000-000000000001}", "0190a0b0-0000-7000-8000_000000000001"] {
            #expect(IncidentID(bad) == nil, "\(bad)")
        }
    }

    @Test("new ids are version 7, carry the time, and increase strictly")
    func version7() {
        var generator = IncidentIDGenerator()
        var previous: IncidentID?
        let now: UInt64 = 1_750_750_200_000
        for index in 0..<10_000 {
            let id = generator.next(nowMilliseconds: now + UInt64(index / 5000))
            #expect(id.version == 7)
            #expect(id.low >> 62 == 0b10)
            #expect(id.high >> 16 >= now)
            if let previous { #expect(previous < id) }
            previous = id
        }
    }
}

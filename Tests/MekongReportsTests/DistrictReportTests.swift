import Foundation
import GRDB
import MekongCore
@testable import MekongReports
import MekongStore
import Testing

/// The district report, checked against the same figures computed a second way: plain Swift over
/// the raw records, with Foundation's own date parsing and calendar for local dates and a
/// separate table of unit factors.
@Suite("District report")
struct DistrictReportTests {
    @Test("every figure matches an independent computation over the raw records", arguments: [1, 2, 3])
    func independentFigures(seed: UInt64) throws {
        let records = GeneratedRecords(seed: seed, count: 600)
        let database = try reportDatabase()
        let outcome = try database.importNDJSON(from: MemorySource(Array(records.ndjson.utf8)), options: ImportOptions(officer: "ADMIN"))
        #expect(outcome.inserted == records.list.count && outcome.rejected == 0)

        for period in [try Period(from: LocalDate("2025-01-01")!, to: LocalDate("2025-12-31")!),
                       try Period(from: LocalDate("2025-07-01")!, to: LocalDate("2025-07-31")!),
                       try Period(from: LocalDate("2025-06-30")!, to: LocalDate("2025-06-30")!)] {
            let report = try DistrictReport.build(database, period: period)
            #expect(report.districts.count == 18, "every district is listed")
            for line in report.districts {
                let expected = records.figures(district: line.district.code, from: period.from.description, to: period.to.description)
                expectSame(line.figures, expected, "\(line.district.code) \(period)")
                let previous = records.figures(district: line.district.code, from: period.previous.from.description, to: period.previous.to.description)
                expectSame(line.previous, previous, "\(line.district.code) previous of \(period)")
            }
            let all = records.figures(district: nil, from: period.from.description, to: period.to.description)
            expectSame(report.totals, all, "totals \(period)")
        }
    }

    @Test("an instant late on 30 June UTC counts in July in Bangkok, and in June in UTC")
    func midnightBoundary() throws {
        let database = try reportDatabase()
        let lines = [
            #"{"type":"scam","occurred_at":"2025-06-30T20:00:00Z","district":"5709","summary":"x","loss_thb":100}"#,
            #"{"type":"scam","occurred_at":"2025-06-30","district":"5709","summary":"bare date","loss_thb":1}"#,
        ]
        _ = try database.importNDJSON(from: MemorySource(Array(lines.joined(separator: "\n").utf8)), options: ImportOptions(officer: "ADMIN"))
        let july = try Period(from: LocalDate("2025-07-01")!, to: LocalDate("2025-07-31")!)
        let bangkok = try DistrictReport.build(database, period: july)
        #expect(bangkok.totals.incidents == 1 && bangkok.totals.lossTHB == 100)
        #expect(bangkok.previousTotals.incidents == 1 && bangkok.previousTotals.lossTHB == 1)
        let utc = try DistrictReport.build(database, period: july, zone: LocalCalendar(identifier: "UTC"))
        #expect(utc.timeZone == "UTC")
        #expect(utc.totals.incidents == 0)
        #expect(utc.previousTotals.incidents == 2, "the bare date stays on 30 June in any zone")
    }

    @Test("a large seizure is summed within the incident, per item, and never in litres or pieces")
    func largeSeizures() throws {
        let database = try reportDatabase()
        func record(_ seizures: String) -> String {
            #"{"type":"drug_seizure","occurred_at":"2025-05-01","district":"5703","summary":"x","seizures":[\#(seizures)]}"#
        }
        let lines = [
            record(#"{"item":"methamphetamine_tablets","quantity":600000,"unit":"tablets"},{"item":"methamphetamine_tablets","quantity":400000,"unit":"tablets"}"#), // large: 1,000,000
            record(#"{"item":"methamphetamine_tablets","quantity":999999,"unit":"tablets"}"#),                                                                     // not large
            record(#"{"item":"heroin","quantity":60,"unit":"kg"},{"item":"opium","quantity":60,"unit":"kg"}"#),                                                // not large: two items
            record(#"{"item":"crystal_methamphetamine","quantity":0.1,"unit":"t"}"#),                                                                           // large: 100 kg
            record(#"{"item":"precursor_chemicals","quantity":5000,"unit":"l"},{"item":"timber","quantity":500,"unit":"pieces"}"#),                            // never large
            record(#"{"item":"heroin","quantity":99999,"unit":"g"},{"item":"heroin","quantity":1,"unit":"g"}"#),                                               // large: 100 kg in grams
        ]
        _ = try database.importNDJSON(from: MemorySource(Array(lines.joined(separator: "\n").utf8)), options: ImportOptions(officer: "ADMIN"))
        let report = try DistrictReport.build(database, period: .year(2025), district: "5703")
        #expect(report.districts.count == 1)
        #expect(report.totals.largeSeizures == 3)
        let heroin = report.totals.seizures.first { $0.item == .heroin }
        #expect(heroin?.quantity == 160 && heroin?.incidents == 2)
    }

    @Test("a corrected district or time moves the incident's seizures with it")
    func correctionsMoveSeizures() throws {
        let database = try reportDatabase()
        var draft = IncidentDraft()
        draft.type = "drug_seizure"
        draft.occurredAt = "2025-06-30T20:00:00Z"
        draft.district = "5709"
        draft.summary = "x"
        draft.parsedSeizures = [try Seizure(compact: "methamphetamine_tablets:1200000:tablets")]
        let logged = try database.logIncident(draft, officer: "ADMIN")
        let july = try Period(from: LocalDate("2025-07-01")!, to: LocalDate("2025-07-31")!)
        #expect(try DistrictReport.build(database, period: july, district: "5709").totals.seizures.first?.quantity == 1_200_000)
        var changes = IncidentChanges()
        changes.corrections.district = "5708"
        changes.corrections.occurredAt = "2025-06-30T10:00:00Z"
        changes.reason = "wrong district and time"
        _ = try database.updateIncident(logged.id.description, changes: changes, officer: "ADMIN")
        #expect(try DistrictReport.build(database, period: july).totals.seizures.isEmpty)
        let june = try Period(from: LocalDate("2025-06-01")!, to: LocalDate("2025-06-30")!)
        let report = try DistrictReport.build(database, period: june)
        let chiangSaen = try #require(report.districts.first { $0.district.code == "5708" })
        #expect(chiangSaen.figures.seizures.first?.quantity == 1_200_000 && chiangSaen.figures.largeSeizures == 1)
        #expect(report.districts.first { $0.district.code == "5709" }?.figures.seizures.isEmpty == true)
        // The same through the join used for another zone.
        let utc = try DistrictReport.build(database, period: june, zone: LocalCalendar(identifier: "UTC"))
        #expect(utc.districts.first { $0.district.code == "5708" }?.figures.largeSeizures == 1)
    }

    @Test("an unknown district is refused")
    func unknownDistrict() throws {
        let database = try reportDatabase()
        #expect { try DistrictReport.build(database, period: .year(2025), district: "9999") } throws: { ($0 as? MekongError)?.kind == .unknownReference }
    }

    @Test("the previous period has the same length and ends the day before")
    func previousPeriod() throws {
        let march = try Period(from: LocalDate("2025-03-01")!, to: LocalDate("2025-03-31")!)
        #expect(march.previous.from == LocalDate("2025-01-29") && march.previous.to == LocalDate("2025-02-28"))
        #expect(Period.year(2025).previous.from == LocalDate("2024-01-02"))
        #expect(throws: MekongError.self) { try Period(from: LocalDate("2025-02-01")!, to: LocalDate("2025-01-01")!) }
    }

    @Test("the JSON has the fields of SPEC section 4")
    func jsonShape() throws {
        let database = try reportDatabase()
        _ = try Demo.load(into: database)
        let report = try DistrictReport.build(database, period: .year(2025))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.json(pretty: false).utf8)) as? [String: Any])
        let period = try #require(object["period"] as? [String: Any])
        #expect(period["from"] as? String == "2025-01-01" && period["time_zone"] as? String == "Asia/Bangkok")
        let districts = try #require(object["districts"] as? [[String: Any]])
        #expect(districts.count == 18)
        for district in districts {
            for key in ["code", "name", "name_local", "incidents", "by_type", "arrests", "persons", "vehicles", "victims",
                        "loss_thb", "seizures", "large_seizures", "previous"] {
                #expect(district[key] != nil, "missing \(key)")
            }
        }
        let maeSai = try #require(districts.first { $0["code"] as? String == "5709" })
        #expect(maeSai["name_local"] as? String == "แม่สาย")
        #expect((object["totals"] as? [String: Any])?["incidents"] as? Int == report.totals.incidents)
    }

    func expectSame(_ actual: DistrictFigures, _ expected: DistrictFigures, _ context: String) {
        #expect(actual.incidents == expected.incidents, "incidents \(context)")
        #expect(actual.byType.filter { $0.value > 0 } == expected.byType, "by_type \(context)")
        #expect(actual.arrests == expected.arrests, "arrests \(context)")
        #expect(actual.persons == expected.persons, "persons \(context)")
        #expect(actual.vehicles == expected.vehicles, "vehicles \(context)")
        #expect(actual.victims == expected.victims, "victims \(context)")
        #expect(close(actual.lossTHB, expected.lossTHB), "loss_thb \(context)")
        #expect(actual.largeSeizures == expected.largeSeizures, "large_seizures \(context)")
        #expect(actual.seizures.count == expected.seizures.count, "seizure rows \(context)")
        for (a, e) in zip(actual.seizures, expected.seizures) {
            #expect(a.item == e.item && a.unit == e.unit && a.incidents == e.incidents && close(a.quantity, e.quantity),
                    "seizure \(a) vs \(e) \(context)")
        }
    }

    func close(_ a: Double, _ b: Double) -> Bool {
        abs(a - b) <= 1e-9 * max(1, abs(a), abs(b))
    }
}

/// An in-memory database with the built-in reference data and an admin, ADMIN, to import as.
func reportDatabase() throws -> AppDatabase {
    let database = try AppDatabase.inMemory()
    _ = try database.loadReference(try ReferenceData.builtIn())
    _ = try database.addOfficer(Officer(code: "ADMIN", name: "Admin", role: .admin), actingOfficer: nil)
    return database
}

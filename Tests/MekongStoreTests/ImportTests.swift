import Foundation
import GRDB
import MekongCore
@testable import MekongStore
import Testing

@Suite("Importing NDJSON incidents")
struct ImportTests {
    let good = [
        #"{"id":"0190a0b0-0000-7000-8000-000000000001","type":"drug_seizure","occurred_at":"2025-06-30T20:00:00Z","district":"5709","summary":"ยาบ้า","seizures":[{"item":"methamphetamine_tablets","quantity":250000,"unit":"tablets"},{"item":"heroin","quantity":500,"unit":"g"}]}"#,
        #"{"type":"scam","occurred_at":"2025-01-02","district":"5708","summary":"call centre","victims":3,"loss_thb":120000}"#,
        "",
        #"{"type":"haze_fire","occurred_at":"2024-12-31T23:30","district":"5704","summary":"fire"}"#,
    ]

    @Test("records are stored with local dates, case numbers and canonical seizures")
    func stored() throws {
        let database = try seededDatabase()
        let outcome = try database.importNDJSON(from: ndjson(good), options: ImportOptions(officer: "ADMIN"))
        #expect(outcome.records == 3 && outcome.inserted == 3 && outcome.duplicates == 0 && outcome.rejected == 0)
        let first = try #require(try database.incident("0190A0B0-0000-7000-8000-000000000001"))
        #expect(first.localDate == LocalDate("2025-07-01"))
        #expect(first.occurredAt.text == "2025-06-30T20:00:00Z")
        #expect(first.seizures.map(\.quantity) == [250_000, 0.5])
        #expect(first.seizures.map(\.unit) == [.tablets, .kg])
        #expect(first.seizures[1].recordedUnit == .g)
        #expect(first.recordedBy == "ADMIN")
        let numbers = try database.writer.read { db in try String.fetchAll(db, sql: "SELECT case_number FROM incidents ORDER BY seq") }
        #expect(numbers == ["CR-2025-000001", "CR-2025-000002", "CR-2024-000001"])
        #expect(try database.incident("CR-2025-000002")?.lossTHB == 120_000)
    }

    @Test("importing the same records again skips them all")
    func duplicates() throws {
        let database = try seededDatabase()
        let lines = [good[0], good[0]]
        let first = try database.importNDJSON(from: ndjson(lines), options: ImportOptions(officer: "ADMIN"))
        #expect(first.inserted == 1 && first.duplicates == 1)
        let second = try database.importNDJSON(from: ndjson(lines), options: ImportOptions(officer: "ADMIN"))
        #expect(second.inserted == 0 && second.duplicates == 2)
        let count = try database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM incidents") }
        #expect(count == 1)
        // Case numbers continue after the counter, never reused.
        _ = try database.importNDJSON(from: ndjson([good[1]]), options: ImportOptions(officer: "ADMIN"))
        #expect(try database.writer.read { db in try String.fetchOne(db, sql: "SELECT max(case_number) FROM incidents") } == "CR-2025-000002")
    }

    @Test("one bad record refuses the file: every problem reported, nothing written")
    func allOrNothing() throws {
        let database = try seededDatabase()
        let lines = good + [
            #"{"type":"scam","occurred_at":"2025-01-02","district":"9999","summary":"x"}"#,
            "{not json",
            #"{"type":"drugs","occurred_at":"yesterday","district":"5709","summary":"x","seizures":[{"item":"heroin","quantity":1,"unit":"tablets"}]}"#,
        ]
        #expect {
            try database.importNDJSON(from: ndjson(lines), options: ImportOptions(officer: "ADMIN"))
        } throws: { error in
            let refused = try #require(error as? ImportRefused)
            let shown = refused.outcome.problems.map(\.description)
            return refused.outcome.rejected == 3
                && shown.contains("line 5, field \"district\": unknown district code \"9999\"")
                && shown.contains { $0.hasPrefix("line 6: not valid JSON") }
                && shown.contains { $0.hasPrefix("line 7, field \"type\"") }
                && shown.contains { $0.hasPrefix("line 7, field \"occurred_at\"") }
                && shown.contains { $0.hasPrefix("line 7, field \"seizures[1].unit\"") }
        }
        let count = try database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM incidents") }
        #expect(count == 0)
    }

    @Test("with skip-invalid the good records go in; a dry run writes nothing")
    func skipAndDryRun() throws {
        let database = try seededDatabase()
        let lines = [good[0], #"{"type":"scam"}"#, good[1]]
        let dry = try database.importNDJSON(from: ndjson(lines + [good[0]]), options: ImportOptions(skipInvalid: true, dryRun: true, officer: "ADMIN"))
        #expect(dry.inserted == 2 && dry.rejected == 1 && dry.duplicates == 1)
        #expect(try database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM incidents") } == 0)
        let outcome = try database.importNDJSON(from: ndjson(lines), options: ImportOptions(skipInvalid: true, officer: "ADMIN"))
        #expect(outcome.inserted == 2 && outcome.rejected == 1)
        #expect(outcome.problems.map(\.field) == ["occurred_at", "district", "summary"])
        #expect(try database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM incidents") } == 2)
    }

    @Test("the demo loads once")
    func demo() throws {
        let database = try AppDatabase.inMemory()
        _ = try database.loadReference(try ReferenceData.builtIn())
        let first = try Demo.load(into: database)
        #expect(first.inserted >= 30 && first.rejected == 0)
        let second = try Demo.load(into: database)
        #expect(second.inserted == 0 && second.duplicates == first.inserted)
    }

    @Test("lines are split on LF or CRLF, and an overlong line is refused without being read whole")
    func lines() throws {
        let text = "a\r\nbb\n\n" + String(repeating: "x", count: 50) + "\nlast"
        var reader = LineReader(MemorySource(Array(text.utf8)), maximumLength: 20, chunkSize: 7)
        var seen: [String] = []
        while let line = try reader.next() {
            switch line {
            case .text(let number, let bytes): seen.append("\(number):\(String(decoding: bytes, as: UTF8.self))")
            case .tooLong(let number, let length): seen.append("\(number):too long \(length)")
            }
        }
        #expect(seen == ["1:a", "2:bb", "3:", "4:too long 50", "5:last"])
    }
}

import Foundation
import GRDB
import MekongCore
@testable import MekongReports
import MekongStore
import Testing

/// The checkpoint review, checked against the same figures computed from the raw traffic rows
/// in plain Swift (last row for a checkpoint and date wins; the usual median).
@Suite("Checkpoint utilisation review")
struct CheckpointReviewTests {
    typealias Day = (checkpoint: String, date: String, personsIn: Int, personsOut: Int, vehiclesIn: Int, vehiclesOut: Int, outOfHours: Int)

    /// Traffic with every edge case: a day given twice in the file and logged again later,
    /// days outside the period, a checkpoint without traffic, a kind whose peers all carried
    /// nobody, and trade points placed on both sides of the threshold.
    func scenario() throws -> (AppDatabase, [Day], [(checkpoint: String, occurredAt: String)]) {
        let database = try reportDatabase()
        _ = try database.addCheckpoint(Checkpoint(code: "TP5", name: "Test trade point", kind: .tradePoint, district: "5703"), officer: "ADMIN")
        var days: [Day] = []
        var random = SeededRandom(seed: 5)
        // Trade points averaging 249, 250, 1000, 1000 and 1000 persons a day over 10 June days:
        // the median is 1000, so 249 is under-used (0.249 < 0.25) and 250 is not (0.25 is not below).
        for (code, daily) in [("RPT", 249), ("SD1", 250), ("RFT", 1000), ("HB1", 1000), ("TP5", 1000)] {
            for day in 1...10 {
                let personsIn = daily / 2
                days.append((code, String(format: "2025-06-%02d", day), personsIn, daily - personsIn, Int(random.next() % 20), Int(random.next() % 20), day == 3 ? 1 : 0))
            }
        }
        // Permanent checkpoints with varied traffic; MS2 only outside the period.
        for day in 1...30 {
            days.append(("MS1", String(format: "2025-06-%02d", day), 1000 + Int(random.next() % 500), 900 + Int(random.next() % 500), 300, 280, 0))
            if day % 3 == 0 { days.append(("FB4", String(format: "2025-06-%02d", day), 400 + Int(random.next() % 100), 380, 150, 140, 2)) }
        }
        days.append(("MS2", "2025-05-31", 500, 500, 10, 10, 0))
        days.append(("MS2", "2025-07-01", 500, 500, 10, 10, 0))
        // River piers that report days with nobody crossing: a peer median of 0.
        days.append(("CS1", "2025-06-05", 0, 0, 0, 0, 0))
        days.append(("SR1", "2025-06-05", 0, 0, 0, 0, 0))
        // The same day twice in the file: the second row wins.
        days.append(("MS1", "2025-06-10", 1, 1, 1, 1, 1))
        let csv = "checkpoint,date,persons_in,persons_out,vehicles_in,vehicles_out,out_of_hours\n"
            + days.map { "\($0.checkpoint),\($0.date),\($0.personsIn),\($0.personsOut),\($0.vehiclesIn),\($0.vehiclesOut),\($0.outOfHours)" }.joined(separator: "\n")
        _ = try database.importTraffic(from: MemorySource(Array(csv.utf8)), options: ImportOptions(officer: "ADMIN"))
        // And logged again by hand later: replaces the day.
        let relogged: Day = ("FB4", "2025-06-03", 777, 333, 5, 5, 9)
        try database.logTraffic(["checkpoint": relogged.checkpoint, "date": relogged.date, "persons_in": "777", "persons_out": "333",
                                 "vehicles_in": "5", "vehicles_out": "5", "out_of_hours": "9"], officer: "ADMIN")
        days.append(relogged)
        // Incidents at checkpoints, on both sides of local midnight at the period's ends.
        let incidents = [("MS1", "2025-06-01T00:10:00+07:00"), ("MS1", "2025-05-31T17:30:00Z"), ("MS1", "2025-05-31T16:59:00Z"),
                         ("RPT", "2025-06-15"), ("RPT", "2025-06-30T16:59:59Z"), ("RPT", "2025-06-30T17:00:00Z"), ("CK1", "2025-06-20T12:00")]
        let lines = incidents.map { #"{"type":"goods_smuggling","occurred_at":"\#($0.1)","district":"5703","checkpoint":"\#($0.0)","summary":"x"}"# }
        _ = try database.importNDJSON(from: MemorySource(Array(lines.joined(separator: "\n").utf8)), options: ImportOptions(officer: "ADMIN"))
        return (database, days, incidents.map { ($0.0, $0.1) })
    }

    @Test("every figure matches a second computation from the raw rows")
    func independentFigures() throws {
        let (database, days, incidents) = try scenario()
        let period = try Period(from: LocalDate("2025-06-01")!, to: LocalDate("2025-06-30")!)
        let review = try CheckpointReview.build(database, period: period)
        let checkpoints = try database.checkpoints()
        #expect(review.checkpoints.count == checkpoints.count, "every checkpoint is listed")

        // Last row per checkpoint and date, inside the period.
        var latest: [String: Day] = [:]
        for day in days { latest["\(day.checkpoint)|\(day.date)"] = day }
        let inPeriod = latest.values.filter { $0.date >= "2025-06-01" && $0.date <= "2025-06-30" }
        var averages: [String: Double] = [:]
        for checkpoint in checkpoints {
            let rows = inPeriod.filter { $0.checkpoint == checkpoint.code }
            if !rows.isEmpty { averages[checkpoint.code] = Double(rows.reduce(0) { $0 + $1.personsIn + $1.personsOut }) / Double(rows.count) }
        }
        func plainMedian(_ values: [Double]) -> Double? {
            guard !values.isEmpty else { return nil }
            let s = values.sorted()
            return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
        }
        for line in review.checkpoints {
            let code = line.checkpoint.code
            let rows = inPeriod.filter { $0.checkpoint == code }
            let persons = rows.reduce(0) { $0 + $1.personsIn + $1.personsOut }
            #expect(line.daysReported == rows.count, "\(code) days")
            #expect(line.persons == persons, "\(code) persons")
            #expect(line.vehicles == rows.reduce(0) { $0 + $1.vehiclesIn + $1.vehiclesOut }, "\(code) vehicles")
            #expect(line.outOfHours == rows.reduce(0) { $0 + $1.outOfHours }, "\(code) out of hours")
            #expect(line.averageDailyPersons == averages[code], "\(code) average")
            let peers = checkpoints.filter { $0.kind == line.checkpoint.kind }.compactMap { averages[$0.code] }
            let median = averages[code] == nil ? nil : plainMedian(peers)
            #expect(line.peerMedianAverageDailyPersons == median, "\(code) median")
            let ratio = median.flatMap { $0 > 0 ? averages[code]! / $0 : nil }
            #expect(line.utilisationRatio == ratio, "\(code) ratio")
            #expect(line.underutilised == (ratio.map { $0 < 0.25 } ?? false), "\(code) flag")
            let expectedIncidents = incidents.filter { $0.checkpoint == code && GeneratedRecords.localDate($0.occurredAt).hasPrefix("2025-06") }.count
            #expect(line.incidents == expectedIncidents, "\(code) incidents")
            #expect(line.incidentsPer10kCrossings == (persons > 0 ? Double(expectedIncidents) / Double(persons) * 10_000 : nil), "\(code) per 10k")
        }
        func line(_ code: String) -> CheckpointLine? { review.checkpoints.first { $0.checkpoint.code == code } }
        // The threshold, on both sides.
        #expect(line("RPT")?.underutilised == true && line("RPT")?.utilisationRatio == 0.249)
        #expect(line("SD1")?.underutilised == false && line("SD1")?.utilisationRatio == 0.25)
        // No traffic in the period: zeros, nulls, not under-used.
        #expect(line("MS2")?.daysReported == 0 && line("MS2")?.averageDailyPersons == nil && line("MS2")?.underutilised == false)
        // A peer median of 0: null ratio, not under-used.
        #expect(line("CS1")?.peerMedianAverageDailyPersons == 0 && line("CS1")?.utilisationRatio == nil && line("CS1")?.underutilised == false)
        // The day given twice, then logged again.
        #expect(try database.read { db in try Int.fetchOne(db, sql: "SELECT persons_in FROM checkpoint_traffic WHERE checkpoint = 'MS1' AND date = '2025-06-10'") } == 1)
        #expect(try database.read { db in try Int.fetchOne(db, sql: "SELECT persons_in FROM checkpoint_traffic WHERE checkpoint = 'FB4' AND date = '2025-06-03'") } == 777)
        // Under-used first, then the busiest.
        #expect(review.checkpoints.first?.checkpoint.code == "RPT")
        #expect(review.checkpoints[1].checkpoint.code == "MS1")
    }

    @Test("the threshold is a parameter, and its JSON has the fields of SPEC section 4")
    func thresholdAndJSON() throws {
        let (database, _, _) = try scenario()
        let period = try Period(from: LocalDate("2025-06-01")!, to: LocalDate("2025-06-30")!)
        let strict = try CheckpointReview.build(database, period: period, threshold: 0.3)
        #expect(Set(strict.checkpoints.filter(\.underutilised).map(\.checkpoint.code)) == ["RPT", "SD1"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(strict.json(pretty: false).utf8)) as? [String: Any])
        #expect(object["threshold"] as? Double == 0.3)
        let lines = try #require(object["checkpoints"] as? [[String: Any]])
        for line in lines {
            for key in ["code", "name", "district", "kind", "days_reported", "persons", "vehicles", "out_of_hours", "avg_daily_persons",
                        "peer_median_avg_daily_persons", "utilisation_ratio", "underutilised", "incidents", "incidents_per_10k_crossings"] {
                #expect(line.keys.contains(key), "missing \(key)")
            }
        }
        #expect(lines.first { $0["code"] as? String == "MS2" }?["avg_daily_persons"] is NSNull)
        #expect(throws: MekongError.self) { try CheckpointReview.build(database, period: period, threshold: -1) }
    }
}

@Suite("Trend report")
struct TrendReportTests {
    @Test("weekly and monthly counts and seizures match an independent grouping with Foundation's calendar",
          arguments: [TrendStep.month, .week])
    func independentTrend(step: TrendStep) throws {
        let records = GeneratedRecords(seed: 9, count: 800)
        let database = try reportDatabase()
        _ = try database.importNDJSON(from: MemorySource(Array(records.ndjson.utf8)), options: ImportOptions(officer: "ADMIN"))
        let period = try Period(from: LocalDate("2025-02-03")!, to: LocalDate("2025-11-29")!)
        for (type, district) in [(nil, nil), (IncidentType.drugSeizure, nil), (nil, "5709"), (IncidentType.scam, "5703")] as [(IncidentType?, String?)] {
            let trend = try TrendReport.build(database, period: period, step: step, type: type, district: district)
            var calendar = Calendar(identifier: .iso8601)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            func stepStart(_ day: String) -> String {
                let date = ISO8601DateFormatter().date(from: day + "T00:00:00Z")!
                let start = step == .month
                    ? calendar.date(from: calendar.dateComponents([.year, .month], from: date))!
                    : calendar.dateInterval(of: .weekOfYear, for: date)!.start
                return String(ISO8601DateFormatter().string(from: start).prefix(10))
            }
            var expected: [String: (count: Int, tablets: Double)] = [:]
            for raw in records.list where (type == nil || raw.type == type!.rawValue) && (district == nil || raw.district == district!) {
                let day = GeneratedRecords.localDate(raw.occurredAt)
                guard day >= "2025-02-03" && day <= "2025-11-29" else { continue }
                let tablets = raw.seizures.filter { $0.unit == "tablets" }.reduce(0) { $0 + $1.quantity }
                expected[stepStart(day), default: (0, 0)].count += 1
                expected[stepStart(day), default: (0, 0)].tablets += tablets
            }
            // Every step from the one holding the first day to the one holding the last.
            #expect(trend.points.first?.start.description == stepStart("2025-02-03"))
            #expect(trend.points.last?.start.description == stepStart("2025-11-29"))
            for (a, b) in zip(trend.points, trend.points.dropFirst()) {
                #expect(step.next(after: a.start) == b.start)
            }
            for point in trend.points {
                let key = point.start.description
                #expect(point.figures.incidents == (expected[key]?.count ?? 0), "\(step) \(key) \(String(describing: type)) \(district ?? "")")
                let tablets = point.figures.seizures.filter { $0.unit == .tablets }.reduce(0) { $0 + $1.quantity }
                #expect(abs(tablets - (expected[key]?.tablets ?? 0)) < 1e-6)
            }
            #expect(trend.points.reduce(0) { $0 + $1.figures.incidents } == expected.values.reduce(0) { $0 + $1.count })
        }
    }

    @Test("weeks start on Monday; months on the first")
    func steps() {
        #expect(TrendStep.week.start(of: LocalDate("2025-06-24")!) == LocalDate("2025-06-23"))
        #expect(TrendStep.week.start(of: LocalDate("2025-06-23")!) == LocalDate("2025-06-23"))
        #expect(TrendStep.week.start(of: LocalDate("2025-06-29")!) == LocalDate("2025-06-23"))
        #expect(TrendStep.week.start(of: LocalDate("1970-01-01")!) == LocalDate("1969-12-29"))
        #expect(TrendStep.month.next(after: LocalDate("2025-12-01")!) == LocalDate("2026-01-01"))
        #expect(TrendStep.month.label(LocalDate("2025-06-01")!) == "2025-06")
    }
}

@Suite("HTML briefing")
struct HTMLBriefingTests {
    @Test("one self-contained page with the charts, Thai names, the under-used flag, and nothing protected")
    func content() throws {
        let database = try reportDatabase()
        _ = try Demo.load(into: database)
        let csv = "checkpoint,date,persons_in,persons_out,vehicles_in,vehicles_out\nRPT,2025-06-01,2,3,0,0\nRFT,2025-06-01,60,50,2,2\nHB1,2025-06-01,40,40,1,1\n"
        _ = try database.importTraffic(from: MemorySource(Array(csv.utf8)), options: ImportOptions(officer: "ADMIN"))
        try database.write { db in
            try db.execute(sql: "INSERT INTO informants (incident, name, contact, updated_by, updated_at) VALUES (10, 'Secret Source', '0812345678', 'ADMIN', 'now')")
        }
        let period = Period.year(2025)
        let html = HTMLBriefing(title: "Border incidents briefing", province: try database.province(),
                                districts: try DistrictReport.build(database, period: period),
                                trend: try TrendReport.build(database, period: period, step: .month),
                                checkpoints: try CheckpointReview.build(database, period: period),
                                generatedAt: "2026-01-01 00:00 UTC").render()
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<meta charset=\"utf-8\">"))
        for expected in ["Mae Sai", "แม่สาย", "เชียงแสน", "Chiang Rai", "เชียงราย", "2025-01-01 to 2025-12-31", "Asia/Bangkok",
                         "Incidents by district", "Incidents by type", "Trend by month", "Checkpoint utilisation review",
                         "Ban Rompho Thong", "under-used", "class=\"threshold\"", "<polyline", "methamphetamine tablets", "7,500,000"] {
            #expect(html.contains(expected), "missing \(expected)")
        }
        #expect(html.components(separatedBy: "<svg").count - 1 == 4, "district, type, trend and checkpoint charts")
        for forbidden in ["<script", "http://", "https://", "src=", "@import", "Secret Source", "0812345678"] {
            #expect(!html.contains(forbidden), "holds \(forbidden)")
        }
        // Text from records is escaped.
        #expect(!HTMLBriefing(title: "<b>x</b>", province: nil, generatedAt: "now").render().contains("<b>x</b>"))
    }
}

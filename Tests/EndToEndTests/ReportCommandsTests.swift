import Foundation
import Testing

@Suite("End to end: reports")
struct ReportCommandsTests {
    func withTraffic() throws -> Mekong {
        let mekong = try Mekong.withOfficers()
        try mekong.run("demo")
        for (code, persons) in [("RPT", 5), ("RFT", 110), ("HB1", 80), ("MS1", 2400)] {
            for day in 1...3 {
                try mekong.expectSuccess("checkpoint", "traffic", "log", "--checkpoint", code, "--date", "2025-06-0\(day)",
                                         "--persons-in", String(persons / 2), "--persons-out", String(persons - persons / 2),
                                         "--vehicles-in", "1", "--vehicles-out", "1", "--officer", "OFF1")
            }
        }
        return mekong
    }

    @Test("report districts in every format")
    func districts() throws {
        let mekong = try withTraffic()
        defer { mekong.remove() }
        let json = try #require(try mekong.run("report", "districts", "--from", "2025-01-01", "--to", "2025-12-31", "--format", "json").json as? [String: Any])
        #expect((json["districts"] as? [Any])?.count == 18 && (json["totals"] as? [String: Any])?["incidents"] as? Int == 38)
        let one = try #require(try mekong.run("report", "districts", "--from", "2025-06-01", "--to", "2025-06-30", "--district", "5709", "--format", "json").json as? [String: Any])
        #expect((one["districts"] as? [[String: Any]])?.map { $0["code"] as? String } == ["5709"])
        let csv = try mekong.run("report", "districts", "--from", "2025-01-01", "--to", "2025-12-31", "--format", "csv")
        #expect(csv.stdout.hasPrefix("code,name,name_local,incidents,drug_seizure,") && csv.stdout.contains("5709,Mae Sai,แม่สาย,10,4,2"))
        let markdown = try mekong.run("report", "districts", "--from", "2025-01-01", "--to", "2025-12-31", "--format", "markdown")
        #expect(markdown.stdout.hasPrefix("| code | name |"))
        let table = try mekong.run("report", "districts", "--from", "2025-01-01", "--to", "2025-12-31", "--format", "table")
        #expect(table.stdout.contains("5709 Mae Sai แม่สาย") && table.stdout.contains("7,500,000"))
        #expect(try mekong.run("report", "districts", "--from", "2025-12-31", "--to", "2025-01-01").status == 64)
        #expect(try mekong.run("report", "districts", "--from", "2025-13-01", "--to", "2025-12-31").status == 64)
        #expect(try mekong.run("report", "districts", "--from", "2025-01-01", "--to", "2025-12-31", "--district", "9999").status == 69)
        // --tz moves the instant near midnight: 2025-12-31T18:30:00Z is 2025 in UTC, 2026 in Bangkok.
        let utc = try #require(try mekong.run("report", "districts", "--from", "2025-01-01", "--to", "2025-12-31", "--tz", "UTC", "--format", "json").json as? [String: Any])
        #expect((utc["period"] as? [String: Any])?["time_zone"] as? String == "UTC")
        #expect((utc["totals"] as? [String: Any])?["incidents"] as? Int == 39)
    }

    @Test("report checkpoints: the under-used first, JSON of SPEC section 4, threshold, traffic log replacing a day")
    func checkpoints() throws {
        let mekong = try withTraffic()
        defer { mekong.remove() }
        let json = try #require(try mekong.run("report", "checkpoints", "--from", "2025-06-01", "--to", "2025-06-30", "--format", "json").json as? [String: Any])
        let lines = try #require(json["checkpoints"] as? [[String: Any]])
        #expect(lines.first?["code"] as? String == "RPT" && lines.first?["underutilised"] as? Bool == true)
        #expect(lines.first?["avg_daily_persons"] as? Double == 5 && lines.first?["peer_median_avg_daily_persons"] as? Double == 80)
        #expect(json["threshold"] as? Double == 0.25)
        let relaxed = try #require(try mekong.run("report", "checkpoints", "--from", "2025-06-01", "--to", "2025-06-30", "--threshold", "0.05", "--format", "json").json as? [String: Any])
        #expect((relaxed["checkpoints"] as? [[String: Any]])?.contains { $0["underutilised"] as? Bool == true } == false)
        let again = try mekong.run("checkpoint", "traffic", "log", "--checkpoint", "RPT", "--date", "2025-06-01", "--persons-in", "100",
                                   "--persons-out", "100", "--vehicles-in", "0", "--vehicles-out", "0", "--officer", "OFF1", "--format", "table")
        #expect(again.stdout.hasPrefix("Replaced traffic at RPT on 2025-06-01"))
        #expect(try mekong.run("checkpoint", "traffic", "log", "--checkpoint", "RPT", "--date", "2025-06-01", "--persons-in", "1",
                               "--persons-out", "1", "--vehicles-in", "0", "--vehicles-out", "0", "--officer", "AN1").status == 77)
        #expect(try mekong.run("checkpoint", "traffic", "log", "--checkpoint", "XX9", "--date", "2025-06-01", "--persons-in", "1",
                               "--persons-out", "1", "--vehicles-in", "0", "--vehicles-out", "0", "--officer", "OFF1").status == 69)
        #expect(try mekong.run("checkpoint", "traffic", "log", "--checkpoint", "RPT", "--date", "2025-02-30", "--persons-in", "1",
                               "--persons-out", "1", "--vehicles-in", "0", "--vehicles-out", "0", "--officer", "OFF1").status == 65)
        let table = try mekong.run("report", "checkpoints", "--from", "2025-06-01", "--to", "2025-06-30", "--format", "table")
        #expect(table.stdout.contains("Ban Romfa Thai") && table.stdout.contains("บ้านร่มฟ้าไทย"))
        #expect(try mekong.sql("SELECT count(*) FROM audit_log WHERE action = 'traffic.log'") == "13\n")
    }

    @Test("report trend by month and by week, filtered")
    func trend() throws {
        let mekong = try withTraffic()
        defer { mekong.remove() }
        let months = try #require(try mekong.run("report", "trend", "--by", "month", "--from", "2025-01-01", "--to", "2025-12-31", "--format", "json").json as? [String: Any])
        let points = try #require(months["points"] as? [[String: Any]])
        #expect(points.count == 12 && points.map { $0["incidents"] as? Int ?? 0 }.reduce(0, +) == 38)
        #expect(points[5]["label"] as? String == "2025-06")
        let weeks = try #require(try mekong.run("report", "trend", "--by", "week", "--type", "drug_seizure", "--district", "5709",
                                                "--from", "2025-06-01", "--to", "2025-06-30", "--format", "json").json as? [String: Any])
        let weekly = try #require(weeks["points"] as? [[String: Any]])
        #expect(weekly.first?["start"] as? String == "2025-05-26")
        #expect(weekly.map { $0["incidents"] as? Int ?? 0 }.reduce(0, +) == 1)
        #expect(try mekong.run("report", "trend", "--by", "fortnight").status == 64)
        #expect(try mekong.run("report", "trend", "--type", "drugs").status == 64)
        let csv = try mekong.run("report", "trend", "--from", "2025-01-01", "--to", "2025-03-31", "--format", "csv")
        #expect(csv.stdout.hasPrefix("Month,Incidents,") && csv.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 4)
    }

    @Test("the briefing is one HTML file written whole")
    func briefing() throws {
        let mekong = try withTraffic()
        defer { mekong.remove() }
        let path = mekong.home.appendingPathComponent("briefing.html").path
        let result = try mekong.run("report", "briefing", "--from", "2025-01-01", "--to", "2025-12-31", "--output", path)
        #expect(result.status == 0 && result.stderr.contains("Wrote"))
        let html = try String(contentsOfFile: path, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("แม่สาย") && html.contains("Checkpoint utilisation review") && html.contains("<svg"))
        let page = try mekong.run("report", "districts", "--from", "2025-01-01", "--to", "2025-12-31", "--format", "html")
        #expect(page.stdout.hasPrefix("<!DOCTYPE html>") && !page.stdout.contains("Checkpoint utilisation review"))
        #expect(try mekong.run("report", "briefing", "--from", "2025-01-01", "--to", "2025-12-31", "--format", "csv").status == 64)
    }
}

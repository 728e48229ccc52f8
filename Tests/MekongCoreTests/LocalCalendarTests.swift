import Foundation
import MekongCore
import Testing

@Suite("Local calendar: instants, local dates and zones")
struct LocalCalendarTests {
    let bangkok = LocalCalendar(identifier: "Asia/Bangkok")!

    @Test("an evening instant in UTC is the next local day in Bangkok")
    func acrossMidnight() throws {
        let occurred = try OccurredAt("2025-06-30T20:00:00Z")
        #expect(occurred.localDate(in: bangkok) == LocalDate("2025-07-01"))
        #expect(try OccurredAt("2025-06-30T16:59:59Z").localDate(in: bangkok) == LocalDate("2025-06-30"))
        #expect(try OccurredAt("2025-06-30T17:00:00Z").localDate(in: bangkok) == LocalDate("2025-07-01"))
        #expect(try OccurredAt("2025-12-31T18:30:00Z").localDate(in: bangkok) == LocalDate("2026-01-01"))
        #expect(try OccurredAt("2025-07-01T00:30:00+07:00").localDate(in: bangkok) == LocalDate("2025-07-01"))
        #expect(try OccurredAt("2025-06-30T23:30:00-05:00").localDate(in: bangkok) == LocalDate("2025-07-01"))
    }

    @Test("a bare date and a naive time are read in the database's zone")
    func localForms() throws {
        let date = try OccurredAt("2025-06-24")
        #expect(date.form == .date)
        #expect(date.localDate(in: bangkok) == LocalDate("2025-06-24"))
        #expect(try date.instant(in: bangkok) == OccurredAt("2025-06-24T00:00:00+07:00").instant(in: bangkok))

        let naive = try OccurredAt("2025-06-24T14:30")
        #expect(naive.form == .localTime)
        #expect(try naive.instant(in: bangkok) == OccurredAt("2025-06-24T07:30:00Z").instant(in: bangkok))
        #expect(try OccurredAt("2025-06-24 23:59:59.5").localDate(in: bangkok) == LocalDate("2025-06-24"))

        // The same naive time is another instant in another zone, but the same local date there.
        let utc = LocalCalendar(identifier: "UTC")!
        #expect(naive.instant(in: utc) == naive.instant(in: bangkok) + 7 * 3_600_000)
        #expect(naive.localDate(in: utc) == LocalDate("2025-06-24"))
    }

    @Test("RFC 3339 forms are accepted", arguments: [
        "2025-06-24T14:30:00+07:00", "2025-06-24T07:30:00Z", "2025-06-24t07:30:00z", "2025-06-24T07:30:00.123456Z",
        "2025-06-24 14:30:00+07:00", "2025-06-24T14:30", "2025-06-24T14:30:00", "2025-06-24", "2024-02-29",
        "2025-06-30T23:59:60Z",
    ])
    func accepted(text: String) throws {
        let occurred = try OccurredAt(text)
        #expect(occurred.text == text)
    }

    @Test("other forms are refused with the accepted forms named", arguments: [
        "", "2025", "2025-6-24", "24/06/2025", "2025-02-29", "2025-13-01", "2025-06-31", "2025-06-24T24:00",
        "2025-06-24T14:60", "2025-06-24T14:30:00+0700", "2025-06-24T14:30:00+07", "2025-06-24T14:30:00 +07:00",
        "2025-06-24T14:30:00+24:00", "2025-06-24T", "2025-06-24T14", "2025-06-24T14:30:00.Z", " 2025-06-24",
        "2025-06-24 ", "2025-06-24T14:30:00Zjunk", "٢٠٢٥-06-24",
    ])
    func refused(text: String) {
        #expect {
            try OccurredAt(text)
        } throws: { error in
            let problem = try #require(error as? FieldProblem)
            return problem.field == "occurred_at" && problem.message.contains("RFC 3339")
        }
    }

    @Test("local dates agree with Foundation's calendar on every day of 1999–2101")
    func localDatesAgreeWithFoundation() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var day = LocalDate(year: 1999, month: 1, day: 1)!
        let end = LocalDate(year: 2101, month: 12, day: 31)!
        while day <= end {
            let date = Date(timeIntervalSince1970: TimeInterval(day.daysSinceEpoch) * 86_400)
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            if parts.year != day.year || parts.month != day.month || parts.day != day.day {
                Issue.record("\(day) is \(parts) for Foundation")
                return
            }
            #expect(LocalDate(day.description) == day)
            day = day.adding(days: 1)
        }
    }

    @Test("instants map to the same local date as Foundation's calendar, in several zones")
    func instantsAgreeWithFoundation() {
        var random = SplitMix(seed: 7)
        for zoneName in ["Asia/Bangkok", "Asia/Vientiane", "America/New_York", "Europe/London", "Asia/Kathmandu", "Pacific/Chatham"] {
            let zone = TimeZone(identifier: zoneName)!
            let local = LocalCalendar(timeZone: zone)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            for _ in 0..<3000 {
                // 1990–2040, in milliseconds.
                let ms = Int64(631_152_000_000 + Double(random.next() % 1_577_836_800_000))
                let parts = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(ms) / 1000))
                let expected = LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)
                #expect(local.localDate(ofInstant: ms) == expected, "\(zoneName) \(ms)")
            }
        }
    }

    @Test("naive times in a zone with daylight saving land on the right instant")
    func daylightSaving() throws {
        let newYork = LocalCalendar(identifier: "America/New_York")!
        // Winter (UTC-5) and summer (UTC-4).
        #expect(try OccurredAt("2025-01-15T12:00").instant(in: newYork) == OccurredAt("2025-01-15T17:00:00Z").instant(in: newYork))
        #expect(try OccurredAt("2025-07-15T12:00").instant(in: newYork) == OccurredAt("2025-07-15T16:00:00Z").instant(in: newYork))
        // The start of a local day is its midnight, whatever the offset.
        let start = newYork.startOfDay(LocalDate("2025-07-15")!)
        #expect(newYork.localDate(ofInstant: start) == LocalDate("2025-07-15"))
        #expect(newYork.localDate(ofInstant: start - 1) == LocalDate("2025-07-14"))
    }

    @Test("times of day are HH:MM")
    func timesOfDay() {
        #expect(LocalTimeOfDay("06:30")?.minutes == 390)
        #expect(LocalTimeOfDay("23:59")?.description == "23:59")
        for bad in ["24:00", "6:30", "06:60", "0630", "06:30:00", ""] {
            #expect(LocalTimeOfDay(bad) == nil, "\(bad)")
        }
    }

    @Test("timestamps print as RFC 3339 UTC with milliseconds")
    func timestamps() {
        #expect(Timestamp.utc(milliseconds: 0) == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp.utc(milliseconds: 1_750_750_200_123) == "2025-06-24T07:30:00.123Z")
        #expect(Timestamp.utc(milliseconds: -1) == "1969-12-31T23:59:59.999Z")
    }

    @Test("a period's neighbours")
    func dateArithmetic() {
        let day = LocalDate("2025-03-01")!
        #expect(day.adding(days: -1) == LocalDate("2025-02-28"))
        #expect(LocalDate("2024-03-01")!.adding(days: -1) == LocalDate("2024-02-29"))
        #expect(LocalDate("2025-01-01")!.daysThrough(LocalDate("2025-12-31")!) == 365)
    }
}

/// A small seeded generator, so random tests repeat exactly.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

import Foundation

/// A calendar date as people on the ground count it, in the province's time zone.
///
/// Reports, periods and date filters are in local dates: an incident at `2025-06-30T20:00:00Z`
/// happened on 2025-07-01 in Chiang Rai and belongs to July, never to a UTC day.
public struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...LocalDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Reads exactly `YYYY-MM-DD`.
    public init?(_ text: some StringProtocol) {
        var scanner = DigitScanner(text)
        guard let date = scanner.date(), scanner.atEnd else { return nil }
        self = date
    }

    /// The date `days` after 1970-01-01 (negative before it).
    public init(daysSinceEpoch days: Int) {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    /// Days since 1970-01-01.
    public var daysSinceEpoch: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public func adding(days: Int) -> LocalDate { LocalDate(daysSinceEpoch: daysSinceEpoch + days) }

    /// Days from `self` to `other`, inclusive of both: 1 for the same day.
    public func daysThrough(_ other: LocalDate) -> Int { other.daysSinceEpoch - daysSinceEpoch + 1 }

    public var description: String {
        var text = ""
        text.reserveCapacity(10)
        appendPadded(year, width: 4, to: &text)
        text += "-"
        appendPadded(month, width: 2, to: &text)
        text += "-"
        appendPadded(day, width: 2, to: &text)
        return text
    }

    public static func < (a: LocalDate, b: LocalDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

/// A time of day on the local clock, `HH:MM`: checkpoint opening hours.
public struct LocalTimeOfDay: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Minutes after local midnight, 0..<1440.
    public let minutes: Int

    public init?(_ text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count == 5, bytes[2] == UInt8(ascii: ":"),
              let h = twoDigits(bytes[0], bytes[1]), let m = twoDigits(bytes[3], bytes[4]),
              h < 24, m < 60 else { return nil }
        minutes = h * 60 + m
    }

    public var description: String {
        var text = ""
        appendPadded(minutes / 60, width: 2, to: &text)
        text += ":"
        appendPadded(minutes % 60, width: 2, to: &text)
        return text
    }

    public static func < (a: LocalTimeOfDay, b: LocalTimeOfDay) -> Bool { a.minutes < b.minutes }
}

/// When an incident happened, exactly as it was written, with what that text means.
///
/// Three forms are accepted (SPEC section 2): an RFC 3339 instant with an offset
/// (`2025-06-24T14:30:00+07:00`, `…Z`), a local time without offset (`2025-06-24T14:30`), and a
/// bare date (`2025-06-24`). The last two are read in the database's time zone. The text is kept
/// as given so an export returns what the officer wrote.
public struct OccurredAt: Hashable, Sendable, CustomStringConvertible {
    public enum Form: Hashable, Sendable {
        /// An instant: the clock time and its offset from UTC, in seconds.
        case instant(offsetSeconds: Int)
        /// A clock time with no offset, read in the database's zone.
        case localTime
        /// A day with no time, read as the start of that day in the database's zone.
        case date
    }

    public let text: String
    public let form: Form
    /// The date as written (before any offset is applied).
    public let writtenDate: LocalDate
    /// Milliseconds after midnight of the written date, as written.
    public let writtenMilliseconds: Int

    public var description: String { text }

    /// Reads `text`, or explains the accepted forms.
    public init(_ text: String, field: String = "occurred_at") throws(FieldProblem) {
        var scanner = DigitScanner(text)
        var problem: FieldProblem {
            FieldProblem(
                field: field,
                message: "\(quoted(text)) is not a date or time (expected RFC 3339 such as 2025-06-24T14:30:00+07:00 or 2025-06-24T07:30:00Z, a local time 2025-06-24T14:30, or a date 2025-06-24)"
            )
        }
        guard let date = scanner.date() else { throw problem }
        self.text = text
        self.writtenDate = date
        if scanner.atEnd {
            form = .date
            writtenMilliseconds = 0
            return
        }
        guard scanner.take(UInt8(ascii: "T")) || scanner.take(UInt8(ascii: "t")) || scanner.take(UInt8(ascii: " ")),
              let clock = scanner.clock() else { throw problem }
        writtenMilliseconds = clock
        if scanner.atEnd {
            form = .localTime
            return
        }
        guard let offset = scanner.offset(), scanner.atEnd else { throw problem }
        form = .instant(offsetSeconds: offset)
    }

    /// Milliseconds since 1970-01-01T00:00:00Z, reading local forms in `calendar`'s zone.
    public func instant(in calendar: LocalCalendar) -> Int64 {
        let localMs = Int64(writtenDate.daysSinceEpoch) * 86_400_000 + Int64(writtenMilliseconds)
        switch form {
        case .instant(let offset): return localMs - Int64(offset) * 1000
        case .localTime, .date: return calendar.instant(ofLocalMilliseconds: localMs)
        }
    }

    /// The local date in `calendar`'s zone. A bare date is that date in any zone: it never moved.
    public func localDate(in calendar: LocalCalendar) -> LocalDate {
        if form == .date { return writtenDate }
        return calendar.localDate(ofInstant: instant(in: calendar))
    }
}

/// Turns instants into local dates and back for one time zone.
///
/// Conversions are arithmetic on days; the zone is asked only for its UTC offset, and a zone
/// without daylight saving since 1970 (Asia/Bangkok) is answered from one stored offset, so
/// reading a million records does not mean a million time-zone lookups.
public struct LocalCalendar: Sendable {
    public let timeZone: TimeZone
    /// The zone's name as given (`UTC` stays `UTC`, where Foundation would say `GMT`).
    public let identifier: String
    /// The zone's offset for every instant since 1970, when it has had only one.
    private let fixedOffset: Int?

    public init(timeZone: TimeZone, identifier: String? = nil) {
        self.timeZone = timeZone
        self.identifier = identifier ?? timeZone.identifier
        let epoch = Date(timeIntervalSince1970: 0)
        if timeZone.nextDaylightSavingTimeTransition(after: epoch) == nil {
            fixedOffset = timeZone.secondsFromGMT(for: epoch)
        } else {
            fixedOffset = nil
        }
    }

    /// The calendar of a zone named by its IANA identifier (`Asia/Bangkok`), or nil if unknown.
    public init?(identifier: String) {
        guard !identifier.isEmpty, let zone = TimeZone(identifier: identifier) else { return nil }
        self.init(timeZone: zone, identifier: identifier)
    }

    /// The zone's offset from UTC, in seconds, at an instant given in seconds since the epoch.
    public func offset(atSeconds seconds: Int64) -> Int {
        if let fixedOffset, seconds >= 0 { return fixedOffset }
        return timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// The local date of an instant in milliseconds since the epoch.
    public func localDate(ofInstant ms: Int64) -> LocalDate {
        let seconds = floorDiv(ms, 1000)
        let local = seconds + Int64(offset(atSeconds: seconds))
        return LocalDate(daysSinceEpoch: Int(floorDiv(local, 86_400)))
    }

    /// The instant at which the local clock shows `localMs` (milliseconds since the local epoch).
    ///
    /// In a daylight-saving gap the clock time does not exist and the later offset is used; in an
    /// overlap the earlier instant is chosen.
    public func instant(ofLocalMilliseconds localMs: Int64) -> Int64 {
        let localSeconds = floorDiv(localMs, 1000)
        let first = offset(atSeconds: localSeconds)
        var guess = localSeconds - Int64(first)
        let second = offset(atSeconds: guess)
        if second != first {
            guess = localSeconds - Int64(second)
        }
        return localMs - localSeconds * 1000 + guess * 1000
    }

    /// The first instant of a local date, in milliseconds since the epoch.
    public func startOfDay(_ date: LocalDate) -> Int64 {
        instant(ofLocalMilliseconds: Int64(date.daysSinceEpoch) * 86_400_000)
    }
}

/// Appends a non-negative number with leading zeros, without Foundation's `String(format:)`.
func appendPadded(_ value: Int, width: Int, to text: inout String) {
    let digits = String(value)
    if digits.utf8.count < width { text += String(repeating: "0", count: width - digits.utf8.count) }
    text += digits
}

func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

private func twoDigits(_ a: UInt8, _ b: UInt8) -> Int? {
    guard a >= 48, a <= 57, b >= 48, b <= 57 else { return nil }
    return Int(a - 48) * 10 + Int(b - 48)
}

/// A forward reader over the ASCII of a date or time, for the fixed RFC 3339 shapes.
private struct DigitScanner {
    let bytes: [UInt8]
    var index = 0

    init(_ text: some StringProtocol) { bytes = Array(text.utf8) }

    var atEnd: Bool { index == bytes.count }

    mutating func number(digits count: Int) -> Int? {
        guard index + count <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[index..<index + count] {
            guard byte >= 48, byte <= 57 else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        index += count
        return value
    }

    mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// `YYYY-MM-DD`.
    mutating func date() -> LocalDate? {
        guard let y = number(digits: 4), take(UInt8(ascii: "-")), let m = number(digits: 2), take(UInt8(ascii: "-")),
              let d = number(digits: 2) else { return nil }
        return LocalDate(year: y, month: m, day: d)
    }

    /// `HH:MM`, `HH:MM:SS` or `HH:MM:SS.fraction`, as milliseconds after midnight.
    /// A leap second (`:60`) is read as the following second.
    mutating func clock() -> Int? {
        guard let h = number(digits: 2), h < 24, take(UInt8(ascii: ":")), let m = number(digits: 2), m < 60 else { return nil }
        var seconds = 0
        var millis = 0
        if take(UInt8(ascii: ":")) {
            guard let s = number(digits: 2), s <= 60 else { return nil }
            seconds = s
            if take(UInt8(ascii: ".")) {
                var digits = 0
                var scale = 100
                while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                    millis += Int(bytes[index] - 48) * scale
                    scale /= 10
                    digits += 1
                    index += 1
                }
                guard (1...9).contains(digits) else { return nil }
            }
        }
        return ((h * 60 + m) * 60 + seconds) * 1000 + millis
    }

    /// `Z`, `z` or `±HH:MM`, as seconds east of UTC.
    mutating func offset() -> Int? {
        if take(UInt8(ascii: "Z")) || take(UInt8(ascii: "z")) { return 0 }
        guard index < bytes.count else { return nil }
        let sign: Int
        switch bytes[index] {
        case UInt8(ascii: "+"): sign = 1
        case UInt8(ascii: "-"): sign = -1
        default: return nil
        }
        index += 1
        guard let h = number(digits: 2), h < 24, take(UInt8(ascii: ":")), let m = number(digits: 2), m < 60 else { return nil }
        return sign * (h * 3600 + m * 60)
    }
}

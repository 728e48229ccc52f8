import Foundation
import MekongStore

/// Rendered report JSON, reused while nothing in the database has changed.
///
/// A district report over a year reads every incident of the year; offices ask for the same
/// few periods again and again. Each entry is tagged with the change stamp (the newest audit
/// sequence number) read before the report was built, and is served only while that stamp is
/// still the newest: any write through mekong appends an audit entry and so retires it.
/// (A change made with raw SQL, behind mekong's back, is not seen; it breaks the audit chain
/// anyway, which `audit verify` reports.)
///
/// Callers are worker threads, which may block: when several ask for the same report at once,
/// one builds it and the others wait for that one instead of building it again each.
final class ReportCache: @unchecked Sendable {
    private struct Entry {
        var stamp: ChangeStamp
        var text: String
        var lastUse: UInt64
    }

    // Guarded by `condition`.
    private var entries: [String: Entry] = [:]
    private var building: [String: ChangeStamp] = [:]
    private var clock: UInt64 = 0
    private let condition = NSCondition()
    let capacity: Int

    init(capacity: Int = 64) {
        self.capacity = capacity
    }

    /// The report for `key`: the cached text if it was built under `stamp`, else `build()`,
    /// kept for the next caller. The stamp must be read before building: then an entry may
    /// hold data newer than its stamp (a write landed during the build), never older, and it is
    /// served only while its stamp is still the newest, that is, when no write landed at all.
    func text(for key: String, stamp: ChangeStamp, build: () throws -> String) throws -> String {
        condition.lock()
        while true {
            if var entry = entries[key], entry.stamp == stamp {
                clock += 1
                entry.lastUse = clock
                entries[key] = entry
                condition.unlock()
                return entry.text
            }
            guard building[key] == stamp else { break }
            condition.wait()
        }
        building[key] = stamp
        condition.unlock()

        let result = Result { try build() }

        condition.lock()
        if building[key] == stamp { building[key] = nil }
        if case .success(let text) = result {
            clock += 1
            entries[key] = Entry(stamp: stamp, text: text, lastUse: clock)
            if entries.count > capacity, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key {
                entries[oldest] = nil
            }
        }
        condition.broadcast()
        condition.unlock()
        return try result.get()
    }

    /// How many reports are kept (for tests).
    var count: Int {
        condition.lock()
        defer { condition.unlock() }
        return entries.count
    }
}

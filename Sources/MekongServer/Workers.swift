import Foundation

/// Threads for the services, which block: SQLite reads and writes, and the wait for a group
/// commit. Running them on Swift's cooperative pool (one thread per core, two here) would let
/// two slow requests stall every other; here a handler suspends while a worker does the work.
///
/// Three pools, because the work differs (measured with tools/bench-http.py: on two cores,
/// sixteen threads for short reads served a third fewer requests than two):
/// - `lookups`: short reads (a token, a case, a page of the list), one thread per core, so
///   they run without being switched out;
/// - `longReads`: reports, search and audit verification, which may take a second on a large
///   database, on their own threads so they never hold up a lookup;
/// - `writes`: many threads, because a write mostly waits for the group commit it joined, and
///   the more writers wait together, the more share one fsync.
/// Idle threads wait on a condition and cost nothing.
final class Workers: @unchecked Sendable {
    static let lookups = Workers(count: max(2, ProcessInfo.processInfo.activeProcessorCount), name: "lookup")
    static let longReads = Workers(count: 4, name: "long-read")
    static let writes = Workers(count: 32, name: "write")

    private let condition = NSCondition()
    private var queue: [() -> Void] = []
    private var head = 0

    init(count: Int, name: String) {
        for index in 0..<count {
            let thread = Thread { [self] in work() }
            thread.name = "mekong-\(name)-\(index)"
            thread.start()
        }
    }

    /// Runs `body` on a worker and returns its result to the suspended caller.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            enqueue {
                continuation.resume(with: Result { try body() })
            }
        }
    }

    private func enqueue(_ job: @escaping () -> Void) {
        condition.lock()
        queue.append(job)
        condition.signal()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while head == queue.count { condition.wait() }
            let job = queue[head]
            head += 1
            if head == queue.count {
                queue.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 1024 {
                queue.removeFirst(head)
                head = 0
            }
            condition.unlock()
            job()
        }
    }
}

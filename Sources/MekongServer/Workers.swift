import Foundation

/// Threads for the services, which block: SQLite reads and writes, and the wait for a group
/// commit. Running them on Swift's cooperative pool (one thread per core, two here) would let
/// two slow requests stall every other; here a handler suspends while a worker does the work.
///
/// One pool serves the process: the threads wait on a condition when idle and cost nothing.
final class Workers: @unchecked Sendable {
    static let shared = Workers(count: 16)

    private let condition = NSCondition()
    private var queue: [() -> Void] = []
    private var head = 0

    init(count: Int) {
        for index in 0..<count {
            let thread = Thread { [self] in work() }
            thread.name = "mekong-worker-\(index)"
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

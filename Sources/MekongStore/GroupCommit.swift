import Foundation
import GRDB
import MekongCore

/// Commits the writes of many concurrent requests in one transaction: group commit.
///
/// Each write is durable only when its transaction's commit reaches the disk (synchronous =
/// FULL), and one commit costs an fsync, about half a millisecond here: one transaction per
/// request caps an HTTP server near a thousand writes a second however many offices post at
/// once. Writes that arrive while a commit is in progress wait and go together in the next
/// transaction, each in its own savepoint, so a write that fails (a validation error, a refused
/// role) is rolled back alone and the others still commit. Nobody hears "done" before the
/// commit that holds their write is on disk; if that commit fails, every write in it fails.
final class GroupCommitter: @unchecked Sendable {
    /// One caller's write, waiting for its transaction. The body runs on the committer's
    /// thread while the caller is blocked on `done`, which is why it may capture the caller's
    /// non-sendable state.
    private final class Job: @unchecked Sendable {
        /// Dropped before the caller is woken: it captures the caller's non-escaping closure,
        /// which must not outlive the call (`withoutActuallyEscaping` checks).
        var body: ((Database) throws -> Void)?
        var error: (any Error)?
        let done = DispatchSemaphore(value: 0)

        init(_ body: @escaping (Database) throws -> Void) { self.body = body }
    }

    private let writer: any DatabaseWriter
    private let maximumBatch: Int
    private let condition = NSCondition()
    private var pending: [Job] = []
    private var running = false

    init(writer: any DatabaseWriter, maximumBatch: Int = 256) {
        self.writer = writer
        self.maximumBatch = maximumBatch
    }

    /// Runs `body` in a savepoint of the next group transaction and returns once that
    /// transaction has committed (or throws why it did not).
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try withoutActuallyEscaping(body) { body in
            var result: T?
            let job = Job { db in result = try body(db) }
            condition.lock()
            pending.append(job)
            if !running {
                running = true
                let thread = Thread { [self] in commitLoop() }
                thread.name = "mekong-group-commit"
                thread.start()
            } else {
                condition.signal()
            }
            condition.unlock()
            job.done.wait()
            if let error = job.error { throw error }
            return result!
        }
    }

    /// Takes what is waiting, commits it, tells each caller; the thread ends after a quiet
    /// second so an idle server holds no thread for it.
    private func commitLoop() {
        while true {
            condition.lock()
            while pending.isEmpty {
                if !condition.wait(until: Date().addingTimeInterval(1)) && pending.isEmpty {
                    running = false
                    condition.unlock()
                    return
                }
            }
            let batch = Array(pending.prefix(maximumBatch))
            pending.removeFirst(batch.count)
            condition.unlock()
            commit(batch)
        }
    }

    private func commit(_ batch: [Job]) {
        do {
            try writer.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    // Each job in its own savepoint, so a failing one is undone alone. (The
                    // statements are kept compiled: they run for every write of the server.)
                    let begin = try db.cachedStatement(sql: "SAVEPOINT mekong_job")
                    let release = try db.cachedStatement(sql: "RELEASE mekong_job")
                    let undo = try db.cachedStatement(sql: "ROLLBACK TO mekong_job")
                    for job in batch {
                        try begin.execute()
                        do {
                            try job.body?(db)
                        } catch {
                            job.error = error
                            try undo.execute()
                        }
                        try release.execute()
                    }
                    return .commit
                }
            }
        } catch {
            // The commit itself failed (disk full, I/O error): nothing in the batch is stored.
            for job in batch where job.error == nil { job.error = error }
        }
        for job in batch {
            job.body = nil
            job.done.signal()
        }
    }
}

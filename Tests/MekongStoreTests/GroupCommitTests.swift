import Foundation
import GRDB
import MekongCore
@testable import MekongStore
import Testing

@Suite("Group commit")
struct GroupCommitTests {
    /// Counts the commits of a connection.
    final class CommitCounter: TransactionObserver, @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        var commits: Int { lock.withLock { count } }
        func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { true }
        func databaseDidChange(with event: DatabaseEvent) {}
        func databaseDidCommit(_ db: Database) { lock.withLock { count += 1 } }
        func databaseDidRollback(_ db: Database) {}
    }

    func draft(_ summary: String, district: String = "5709") -> IncidentDraft {
        var draft = IncidentDraft()
        draft.type = "scam"
        draft.occurredAt = "2025-06-24T14:30:00+07:00"
        draft.district = district
        draft.summary = summary
        return draft
    }

    @Test("writes waiting while a commit runs go together in one transaction; a failing one is rolled back alone")
    func batches() throws {
        let folder = try TemporaryFolder()
        let plain = try AppDatabase.open(at: folder.path("group.sqlite"), options: .init(create: true, pooled: true))
        _ = try plain.loadReference(try ReferenceData.builtIn())
        _ = try plain.addOfficer(Officer(code: "ADMIN", name: "Admin", role: .admin), actingOfficer: nil)
        let database = plain.groupingCommits()
        let counter = CommitCounter()
        database.writer.writeWithoutTransaction { db in db.add(transactionObserver: counter, extent: .databaseLifetime) }
        let commitsBefore = counter.commits

        // The first write holds the committer until the others are queued behind it.
        let holding = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        // Threads of their own: the dispatch pool runs only a few blocked jobs at once on two cores.
        let group = DispatchGroup()
        func spawn(_ body: @escaping @Sendable () -> Void) {
            group.enter()
            Thread { body(); group.leave() }.start()
        }
        spawn {
            _ = try? database.write { db in
                holding.signal()
                release.wait()
                try db.execute(sql: "UPDATE officers SET name = 'Admin (held)' WHERE code = 'ADMIN'")
            }
        }
        holding.wait()
        let outcomes = OutcomeBox()
        for index in 0..<6 {
            spawn {
                do {
                    // The third names a district that does not exist.
                    let incident = try database.logIncident(draft("queued \(index)", district: index == 2 ? "9999" : "5709"), officer: "ADMIN")
                    outcomes.add(index, incident.caseNumber ?? "?")
                } catch {
                    outcomes.add(index, "refused")
                }
            }
        }
        // Give the six time to queue, then let the first commit go.
        Thread.sleep(forTimeInterval: 0.3)
        release.signal()
        group.wait()

        #expect(outcomes.values[2] == "refused")
        #expect(outcomes.values.values.filter { $0.hasPrefix("CR-2025-") }.count == 5)
        #expect(Set(outcomes.values.values).count == 6, "distinct case numbers")
        // One commit for the held write, one for the six queued behind it.
        #expect(counter.commits - commitsBefore == 2)
        let stored = try database.read { try String.fetchAll($0, sql: "SELECT summary FROM incidents ORDER BY summary") }
        #expect(stored == ["queued 0", "queued 1", "queued 3", "queued 4", "queued 5"])
        #expect(try database.read { try String.fetchOne($0, sql: "SELECT name FROM officers WHERE code = 'ADMIN'") } == "Admin (held)")
        #expect(try database.verifyAudit().ok)
    }

    final class OutcomeBox: @unchecked Sendable {
        private let lock = NSLock()
        private var storage: [Int: String] = [:]
        var values: [Int: String] { lock.withLock { storage } }
        func add(_ index: Int, _ value: String) { lock.withLock { storage[index] = value } }
    }
}

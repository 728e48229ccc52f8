import Foundation
import GRDB
import MekongCore

/// One check of `db check` and what it found.
public struct DatabaseCheck: Sendable {
    public var name: String
    public var ok: Bool
    /// What was found: "ok", or the first faults.
    public var detail: String
}

extension AppDatabase {
    /// Everything that must hold of a sound database: SQLite's own integrity and foreign-key
    /// checks, the schema version, the audit chain and the records it vouches for, and the
    /// copies the store keeps in step (seizures' district and instant, case counters).
    public func check() throws -> [DatabaseCheck] {
        var checks: [DatabaseCheck] = []
        try read { db in
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check(20)")
            checks.append(DatabaseCheck(name: "integrity", ok: integrity == ["ok"], detail: integrity.joined(separator: "; ")))

            let foreignKeys = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
            checks.append(DatabaseCheck(
                name: "foreign keys", ok: foreignKeys.isEmpty,
                detail: foreignKeys.isEmpty ? "ok" : foreignKeys.prefix(5).map { row in
                    "\(row["table"] as String) row \(row["rowid"] as Int64? ?? 0) names a missing \(row["parent"] as String)"
                }.joined(separator: "; ") + (foreignKeys.count > 5 ? "; … \(foreignKeys.count - 5) more" : "")))

            let migrations = try Schema.migrator.appliedIdentifiers(db)
            let known = Schema.migrator.migrations
            checks.append(DatabaseCheck(name: "schema version", ok: Set(known) == migrations,
                                        detail: "\(known.last ?? "none") (\(migrations.count) of \(known.count) migrations)"))

            let seizures = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM seizures s JOIN incidents i ON i.seq = s.incident
                WHERE s.district IS NOT i.district OR s.occurred_utc IS NOT i.occurred_utc
                """) ?? 0
            checks.append(DatabaseCheck(name: "seizure copies", ok: seizures == 0,
                                        detail: seizures == 0 ? "ok" : "\(seizures) seizures do not carry their incident's district and time (reports would count them wrongly)"))

            // The next case number of each prefix and year must come after the highest in use.
            let behind = try Row.fetchAll(db, sql: """
                SELECT p.prefix, p.year FROM (
                    SELECT substr(case_number, 1, length(case_number) - 12) AS prefix, CAST(substr(case_number, -11, 4) AS INTEGER) AS year,
                           max(CAST(substr(case_number, -6) AS INTEGER)) AS highest
                    FROM incidents GROUP BY 1, 2) p
                LEFT JOIN case_counters c ON c.prefix = p.prefix AND c.year = p.year
                WHERE coalesce(c.last, 0) < p.highest
                """)
            checks.append(DatabaseCheck(name: "case numbers", ok: behind.isEmpty,
                                        detail: behind.isEmpty ? "ok" : behind.map { "counter for \($0["prefix"] as String)-\($0["year"] as Int) is behind its highest case number" }.joined(separator: "; ")))
        }
        let audit = try verifyAudit(maximumFaults: 5)
        checks.append(DatabaseCheck(
            name: "audit trail", ok: audit.ok,
            detail: audit.ok ? "\(audit.entries) entries; \(audit.incidents) incidents, \(audit.notes) notes, \(audit.links) links match"
                : audit.faults.map(\.message).joined(separator: "; ")))
        return checks
    }

    /// Copies the database to `path` with SQLite's online backup, from one consistent moment,
    /// while other processes go on writing. The copy is private (0600) and is checked.
    public func backup(to path: String, force: Bool, officer: String?) throws -> [DatabaseCheck] {
        _ = try read { db in try Authorizer.require(db, officer: officer, for: .administerDatabase) }
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { throw MekongError(.storage, "\(path) is a folder; name the backup file") }
            guard force else { throw MekongError(.conflict, "\(path) exists already (add --force to replace it)") }
        }
        if let source = self.path, URL(fileURLWithPath: source).standardizedFileURL == url.standardizedFileURL {
            throw MekongError(.usage, "the backup cannot be the database itself")
        }
        // Write beside the target and move it into place: a failed backup leaves no half file.
        let partial = path + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        try AppDatabase.createPrivateFile(at: URL(fileURLWithPath: partial))
        do {
            let destination = try DatabaseQueue(path: partial)
            try writer.backup(to: destination)
            try destination.close()
            for suffix in ["-wal", "-shm"] {
                try? FileManager.default.removeItem(atPath: path + suffix)
            }
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            try FileManager.default.moveItem(atPath: partial, toPath: path)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            if let error = error as? MekongError { throw error }
            throw AppDatabase.storageError(error, path: path)
        }
        let checks = try AppDatabase.open(at: path).check()
        _ = try write { db in
            try AuditLog.append(db, officer: officer, action: "db.backup", entity: "database", key: nil,
                                detail: .object(["path": .string(path), "sound": .bool(checks.allSatisfy(\.ok))]), at: nowTimestamp())
        }
        return checks
    }

    /// Replaces this database with the backup at `path`, which must pass `db check`. Refused
    /// without `force` when this database holds changes the backup does not (it is newer, or
    /// its history went another way): restoring would lose them.
    public func restore(from path: String, force: Bool, officer: String?) throws {
        // Onto a database nobody uses yet (a new machine) anyone may restore; otherwise an admin.
        let inUse = try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM officers") ?? 0 } > 0
        if inUse { _ = try read { db in try Authorizer.require(db, officer: officer, for: .administerDatabase) } }
        guard FileManager.default.fileExists(atPath: path) else {
            throw MekongError(.inputMissing, "\(path): no such backup")
        }
        let backup = try AppDatabase.open(at: path)
        let faults = try backup.check().filter { !$0.ok }
        if let fault = faults.first {
            throw MekongError(.badData, "\(path) does not pass db check (\(fault.name): \(fault.detail)); nothing was restored")
        }
        let ours = try read { db in try AuditTail.of(db) }
        let theirs = try backup.read { db in try AuditTail.of(db) }
        if !force && ours.count > 0 {
            let sameHistory = try backup.read { db in
                try Data.fetchOne(db, sql: "SELECT hash FROM audit_log WHERE seq = ?", arguments: [ours.count]) == ours.lastHash
            }
            if theirs.count < ours.count || !sameHistory {
                let reason = theirs.count < ours.count
                    ? "this database is newer than the backup (\(ours.count) audit entries against \(theirs.count))"
                    : "this database's history differs from the backup's"
                throw MekongError(.conflict, "\(reason); restoring would lose changes (add --force to restore anyway)")
            }
        }
        do {
            try backup.writer.backup(to: writer)
            // The restored trail goes on with the restore itself.
            _ = try write { db in
                try AuditLog.append(db, officer: officer, action: "db.restore", entity: "database", key: nil, detail: .object([
                    "path": .string(path), "replaced_entries": .number(Double(ours.count)), "forced": .bool(force),
                ]), at: nowTimestamp())
            }
        } catch {
            if let error = error as? MekongError { throw error }
            throw AppDatabase.storageError(error, path: self.path)
        }
    }
}

/// How far an audit trail goes: its length and last hash.
private struct AuditTail {
    var count: Int
    var lastHash: Data?

    static func of(_ db: Database) throws -> AuditTail {
        let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
        return AuditTail(count: Int(row?["seq"] as Int64? ?? 0), lastHash: row?["hash"])
    }
}

import GRDB
import MekongCore

/// The demo: realistic 2025 incidents from the seed documents, loaded once by a demo admin.
public enum Demo {
    /// The admin the demo creates and records its incidents by.
    public static let officer = Officer(code: "DEMO", name: "Demo administrator", role: .admin)

    /// Loads the demo incidents compiled into the binary. Their ids are fixed, so a second run
    /// skips them all as duplicates.
    public static func load(into database: AppDatabase) throws -> ImportOutcome {
        try database.write { db in
            guard try Officer.fetch(db, code: officer.code) == nil else { return }
            let now = nowTimestamp()
            try db.execute(sql: "INSERT INTO officers (code, name, role, created_at) VALUES (?, ?, ?, ?)",
                           arguments: [officer.code, officer.name, officer.role.rawValue, now])
            try AuditLog.append(db, officer: officer.code, action: "officer.add", entity: "officer", key: officer.code,
                                detail: .object(["officer": officer.json, "demo": .bool(true)]), at: now)
        }
        var options = ImportOptions(officer: officer.code)
        options.sourceName = "demo incidents"
        return try database.importNDJSON(from: MemorySource(PackageResources.demo_incidents_ndjson, description: "demo incidents"), options: options)
    }
}

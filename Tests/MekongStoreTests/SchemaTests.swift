import Foundation
import GRDB
import MekongCore
@testable import MekongStore
import Testing

@Suite("Schema and migrations")
struct SchemaTests {
    @Test("migrating an empty database creates every table")
    func fromEmpty() throws {
        let database = try AppDatabase.inMemory()
        let tables = try database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        }
        #expect(Set(tables).isSuperset(of: ["settings", "province", "districts", "checkpoints", "agencies", "officers", "incidents",
                                            "seizures", "notes", "links", "checkpoint_traffic", "case_counters", "audit_log"]))
    }

    /// `Schemas/schema.sql` is the schema as migrated. Run with MEKONG_RECORD_SCHEMA=1 to rewrite it
    /// after adding a migration.
    @Test("Schemas/schema.sql is what the migrations produce")
    func schemaFileMatches() throws {
        let database = try AppDatabase.inMemory()
        let dump = try database.writer.read { db in try Schema.dump(db) }
        let file = repositoryRoot.appendingPathComponent("Schemas/schema.sql")
        let header = "-- MekongWatch database schema, as produced by the migrations in Sources/MekongStore/Schema.swift.\n-- Generated: do not edit by hand (run the tests with MEKONG_RECORD_SCHEMA=1 to rewrite it).\n\n"
        if ProcessInfo.processInfo.environment["MEKONG_RECORD_SCHEMA"] == "1" {
            try (header + dump).write(to: file, atomically: true, encoding: .utf8)
        }
        let recorded = try String(contentsOf: file, encoding: .utf8)
        #expect(recorded == header + dump, "Schemas/schema.sql has drifted from the migrations")
    }

    @Test("a file database is in WAL mode, private to its owner, and sound")
    func fileDatabase() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("nested/district.sqlite")
        let database = try AppDatabase.open(at: path, options: .init(create: true))
        _ = try database.loadReference(try ReferenceData.builtIn())
        let (mode, integrity, foreignKeys, synchronous) = try database.writer.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"),
             try String.fetchOne(db, sql: "PRAGMA integrity_check"),
             try Int.fetchOne(db, sql: "PRAGMA foreign_keys"),
             try Int.fetchOne(db, sql: "PRAGMA synchronous"))
        }
        #expect(mode == "wal")
        #expect(synchronous == 2, "synchronous = FULL, so a commit survives a power cut")
        let pool = try AppDatabase.open(at: path, options: .init(pooled: true))
        #expect(try pool.writer.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") } == 2)
        #expect(integrity == "ok")
        #expect(foreignKeys == 1)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o777 } == 0o600)
    }

    @Test("opening refuses a missing file, a folder, and a file that is not SQLite")
    func badPaths() throws {
        let folder = try TemporaryFolder()
        #expect { try AppDatabase.open(at: folder.path("missing.sqlite")) } throws: { ($0 as? MekongError)?.kind == .storage }
        #expect { try AppDatabase.open(at: folder.url.path, options: .init(create: true)) } throws: { ($0 as? MekongError)?.kind == .storage }
        try Data("this is not a database, it is a note".utf8).write(to: folder.url.appendingPathComponent("note.sqlite"))
        #expect {
            try AppDatabase.open(at: folder.path("note.sqlite"))
        } throws: { error in
            let error = try #require(error as? MekongError)
            return error.kind == .storage && error.message.contains("not a SQLite database")
        }
    }

    @Test("a database from a newer version is refused, not changed")
    func newerVersion() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("new.sqlite")
        _ = try AppDatabase.open(at: path, options: .init(create: true))
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')") }
        try queue.close()
        #expect {
            try AppDatabase.open(at: path)
        } throws: { error in
            (error as? MekongError)?.message.contains("newer version of mekong") == true
        }
    }
}

@Suite("Constraints in the schema")
struct ConstraintTests {
    /// Each statement breaks one rule and must be refused by SQLite itself.
    static let badRows: [(String, String)] = [
        ("district without a name", "INSERT INTO districts (code, name, province, country) VALUES ('9001', '', 'TH-57', 'TH')"),
        ("district in an unknown province", "INSERT INTO districts (code, name, province, country) VALUES ('9001', 'X', 'XX-99', 'TH')"),
        ("district latitude out of range", "INSERT INTO districts (code, name, province, country, lat, lon) VALUES ('9001', 'X', 'TH-57', 'TH', 91, 99)"),
        ("district with lat but no lon", "INSERT INTO districts (code, name, province, country, lat) VALUES ('9001', 'X', 'TH-57', 'TH', 20)"),
        ("district with a bad border", "INSERT INTO districts (code, name, province, country, border) VALUES ('9001', 'X', 'TH-57', 'TH', 'laos')"),
        ("lower-case checkpoint code", "INSERT INTO checkpoints (code, name, kind) VALUES ('ms9', 'X', 'permanent')"),
        ("unknown checkpoint kind", "INSERT INTO checkpoints (code, name, kind) VALUES ('MS9', 'X', 'bridge')"),
        ("unknown checkpoint status", "INSERT INTO checkpoints (code, name, kind, status) VALUES ('MS9', 'X', 'permanent', 'open')"),
        ("checkpoint in an unknown district", "INSERT INTO checkpoints (code, name, kind, district) VALUES ('MS9', 'X', 'permanent', '9999')"),
        ("opening hour 25:00", "INSERT INTO checkpoints (code, name, kind, opens) VALUES ('MS9', 'X', 'permanent', '25:00')"),
        ("agency in an unknown district", "INSERT INTO agencies (code, name, district) VALUES ('X', 'X', '9999')"),
        ("officer with an unknown role", "INSERT INTO officers (code, name, role, created_at) VALUES ('X', 'X', 'chief', 'now')"),
        ("officer code with a space", "INSERT INTO officers (code, name, role, created_at) VALUES ('A B', 'X', 'officer', 'now')"),
        ("incident with an unknown type", incident(type: "'smuggling'")),
        ("incident in an unknown district", incident(district: "'9999'")),
        ("incident at an unknown checkpoint", incident(checkpoint: "'XX1'")),
        ("incident with an empty summary", incident(summary: "''")),
        ("incident with a 4001-character summary", incident(summary: "printf('%.4001c', 'x')")),
        ("incident with an unknown status", incident(status: "'done'")),
        ("incident with an unknown source", incident(source: "'rumour'")),
        ("incident with negative arrests", incident(arrests: "-1")),
        ("incident with a negative loss", incident(loss: "-5")),
        ("incident with a short id", incident(id: "x'0102'")),
        ("incident with a text id", incident(id: "'0190a0b0-0000-7000-8000-000000000001'")),
        ("incident with a bad local date", incident(localDate: "'1/7/2025'")),
        ("incident recorded by an unknown officer", incident(recordedBy: "'GHOST'")),
        ("incident with lat but no lon", incident(lat: "20")),
        ("seizure of an unknown incident", "INSERT INTO seizures VALUES (999, 1, '5709', 0, 'heroin', 1, 'kg', 1, 'kg')"),
        ("seizure of tablets in kg", "INSERT INTO seizures VALUES (1, 1, '5709', 0, 'methamphetamine_tablets', 1, 'kg', 1, 'kg')"),
        ("seizure of heroin in tablets", "INSERT INTO seizures VALUES (1, 1, '5709', 0, 'heroin', 1, 'tablets', 1, 'tablets')"),
        ("seizure of precursors in pieces", "INSERT INTO seizures VALUES (1, 1, '5709', 0, 'precursor_chemicals', 1, 'pieces', 1, 'pieces')"),
        ("seizure stored in grams", "INSERT INTO seizures VALUES (1, 1, '5709', 0, 'heroin', 500, 'g', 500, 'g')"),
        ("seizure whose canonical unit does not match", "INSERT INTO seizures VALUES (1, 1, '5709', 0, 'heroin', 0.5, 'l', 500, 'g')"),
        ("seizure of zero", "INSERT INTO seizures VALUES (1, 1, '5709', 0, 'heroin', 0, 'kg', 0, 'kg')"),
        ("seizure in an unknown district", "INSERT INTO seizures VALUES (1, 1, '9999', 0, 'heroin', 1, 'kg', 1, 'kg')"),
        ("seizure without its instant", "INSERT INTO seizures VALUES (1, 1, '5709', NULL, 'heroin', 1, 'kg', 1, 'kg')"),
        ("note with no text", "INSERT INTO notes (incident, officer, created_at, text) VALUES (1, 'ADMIN', 'now', '')"),
        ("note by an unknown officer", "INSERT INTO notes (incident, officer, created_at, text) VALUES (1, 'GHOST', 'now', 'x')"),
        ("link to itself", "INSERT INTO links VALUES (1, 1, 'ADMIN', 'now')"),
        ("traffic at an unknown checkpoint", "INSERT INTO checkpoint_traffic VALUES ('XX1', '2025-06-01', 1, 1, 1, 1, 0, NULL, 'now')"),
        ("negative traffic", "INSERT INTO checkpoint_traffic VALUES ('MS1', '2025-06-01', -1, 1, 1, 1, 0, NULL, 'now')"),
        ("traffic on a bad date", "INSERT INTO checkpoint_traffic VALUES ('MS1', '01/06/2025', 1, 1, 1, 1, 0, NULL, 'now')"),
        ("a second province", "INSERT INTO province (code, name, name_local, country, case_prefix) VALUES ('LA-BK', 'Bokeo', '', 'LA', 'BK')"),
        ("a lower-case case prefix", "UPDATE province SET case_prefix = 'cr'"),
        ("an audit entry with a short hash", "INSERT INTO audit_log (at, action, entity, detail, prev_hash, hash) VALUES ('now', 'x', 'x', '{}', zeroblob(32), x'01')"),
        ("an edit of the audit log", "UPDATE audit_log SET detail = '{}'"),
        ("a deletion from the audit log", "DELETE FROM audit_log"),
        ("a text count in a STRICT table", incident(arrests: "'two'")),
    ]

    static func incident(id: String = "randomblob(16)", type: String = "'scam'", status: String = "'open'", source: String = "NULL",
                         localDate: String = "'2025-06-24'", district: String = "'5709'", checkpoint: String = "NULL",
                         summary: String = "'x'", lat: String = "NULL", arrests: String = "0", loss: String = "NULL",
                         recordedBy: String = "NULL") -> String {
        """
        INSERT INTO incidents (id, case_number, type, status, source, occurred_at, occurred_utc, local_date, district, checkpoint,
            summary, lat, arrests, loss_thb, recorded_by, created_at, updated_at)
        VALUES (\(id), 'CR-2025-' || hex(randomblob(4)), \(type), \(status), \(source), '2025-06-24', 0, \(localDate), \(district),
            \(checkpoint), \(summary), \(lat), \(arrests), \(loss), \(recordedBy), 'now', 'now')
        """
    }

    @Test("every CHECK and foreign key refuses a bad row", arguments: badRows)
    func refused(name: String, sql: String) throws {
        let database = try seededDatabase()
        // A valid incident and an audit entry for the statements that need one.
        try database.writer.write { db in
            try db.execute(sql: ConstraintTests.incident(id: "x'0190a0b0000070008000000000000001'"))
            try db.execute(sql: "INSERT INTO audit_log (at, action, entity, detail, prev_hash, hash) VALUES ('now', 'x', 'x', '{}', zeroblob(32), randomblob(32))")
        }
        // Refused by a constraint, not by a mistake in the statement (a wrong column count would
        // also throw, and prove nothing).
        #expect("\(name) was accepted, or refused for another reason") {
            try database.writer.write { db in try db.execute(sql: sql) }
        } throws: { error in
            (error as? DatabaseError)?.resultCode == .SQLITE_CONSTRAINT
        }
    }

    @Test("the good rows those statements are made from are accepted")
    func controlRowsAccepted() throws {
        let database = try seededDatabase()
        try database.writer.write { db in
            try db.execute(sql: ConstraintTests.incident(id: "x'0190a0b0000070008000000000000001'"))
            try db.execute(sql: ConstraintTests.incident(checkpoint: "'MS1'", lat: "20", recordedBy: "'ADMIN'").replacingOccurrences(of: "lat, arrests", with: "lat, lon, arrests").replacingOccurrences(of: "20, 0,", with: "20, 99.9, 0,"))
            try db.execute(sql: "INSERT INTO seizures VALUES (1, 1, '5709', 0, 'heroin', 0.5, 'kg', 500, 'g')")
            try db.execute(sql: "INSERT INTO seizures VALUES (1, 2, '5709', 0, 'precursor_chemicals', 0.8, 'l', 800, 'ml')")
            try db.execute(sql: "INSERT INTO notes (incident, officer, created_at, text) VALUES (1, 'ADMIN', 'now', 'x')")
            try db.execute(sql: "INSERT INTO links VALUES (1, 2, 'ADMIN', 'now')")
            try db.execute(sql: "INSERT INTO checkpoint_traffic VALUES ('MS1', '2025-06-01', 1, 1, 1, 1, 0, NULL, 'now')")
            try db.execute(sql: "INSERT INTO checkpoints (code, name, kind, opens, closes) VALUES ('MS9', 'X', 'permanent', '06:30', '21:00')")
        }
    }
}

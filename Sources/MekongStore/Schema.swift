import GRDB
import MekongCore

/// The database schema, as versioned migrations. `Schemas/schema.sql` in the repository is the
/// result of running them all; a test fails when the two drift apart.
///
/// Rules live in the schema as well as in Swift (CHECKs, NOT NULL, foreign keys, STRICT
/// tables), so a row written by hand in the `sqlite3` shell is held to them too. A migration is
/// never edited once released: changes come as new migrations.
public enum Schema {
    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-foundation") { db in
            try db.execute(sql: foundation)
        }
        migrator.registerMigration("v2-workflow") { db in
            try db.execute(sql: workflow)
        }
        migrator.registerMigration("v3-tokens") { db in
            try db.execute(sql: tokens)
        }
        return migrator
    }

    /// The SQL text of every table, index and trigger, in a stable order: what
    /// `Schemas/schema.sql` holds.
    public static func dump(_ db: Database) throws -> String {
        let rows = try Row.fetchAll(db, sql: """
            SELECT type, name, sql FROM sqlite_master
            WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'
            ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 WHEN 'trigger' THEN 2 ELSE 3 END, name
            """)
        return rows.map { ($0["sql"] as String) + ";\n" }.joined(separator: "\n")
    }

    /// `(column = 'a' OR column = 'b' …)`: how the schema checks a closed set of values. SQLite
    /// compiles `column IN ('a', 'b', …)` in a CHECK into a temporary table built again for every
    /// row inserted, which made a bulk import several times slower; comparisons cost nothing.
    static func oneOf(_ column: String, _ values: [String]) -> String {
        "(" + values.map { "\(column) = '\($0)'" }.joined(separator: " OR ") + ")"
    }

    static func oneOf<T: NamedChoice>(_ column: String, _ type: T.Type) -> String {
        oneOf(column, T.choices)
    }

    static let localDatePattern = "'[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'"

    static let foundation = """
        -- Settings of this database: its time zone (from the reference data), and the like.
        CREATE TABLE settings (
            key TEXT PRIMARY KEY NOT NULL CHECK (length(key) BETWEEN 1 AND 64),
            value TEXT NOT NULL
        ) STRICT, WITHOUT ROWID;

        -- The one province this database serves.
        CREATE TABLE province (
            code TEXT PRIMARY KEY NOT NULL CHECK (length(code) BETWEEN 1 AND 16),
            name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
            name_local TEXT NOT NULL CHECK (length(name_local) <= 200),
            country TEXT NOT NULL CHECK (country GLOB '[A-Z][A-Z]'),
            case_prefix TEXT NOT NULL CHECK (length(case_prefix) BETWEEN 1 AND 8 AND case_prefix NOT GLOB '*[^A-Z0-9]*'),
            singleton INTEGER NOT NULL DEFAULT 1 UNIQUE CHECK (singleton = 1)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE districts (
            code TEXT PRIMARY KEY NOT NULL CHECK (length(code) BETWEEN 1 AND 16),
            name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
            name_local TEXT NOT NULL DEFAULT '' CHECK (length(name_local) <= 200),
            province TEXT NOT NULL REFERENCES province(code),
            country TEXT NOT NULL CHECK (country GLOB '[A-Z][A-Z]'),
            lat REAL CHECK (lat BETWEEN -90 AND 90),
            lon REAL CHECK (lon BETWEEN -180 AND 180),
            border TEXT NOT NULL DEFAULT '' CHECK (border = '' OR (border GLOB '[A-Z][A-Z]*' AND border NOT GLOB '*[^A-Z;]*')),
            notes TEXT NOT NULL DEFAULT '' CHECK (length(notes) <= 1000),
            CHECK ((lat IS NULL) = (lon IS NULL))
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE checkpoints (
            code TEXT PRIMARY KEY NOT NULL CHECK (length(code) BETWEEN 1 AND 16 AND code GLOB '[A-Z]*' AND code NOT GLOB '*[^A-Z0-9-]*'),
            name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
            name_local TEXT NOT NULL DEFAULT '' CHECK (length(name_local) <= 200),
            kind TEXT NOT NULL CHECK \(oneOf("kind", CheckpointKind.self)),
            district TEXT REFERENCES districts(code),
            lat REAL CHECK (lat BETWEEN -90 AND 90),
            lon REAL CHECK (lon BETWEEN -180 AND 180),
            counterpart TEXT NOT NULL DEFAULT '' CHECK (length(counterpart) <= 200),
            opens TEXT CHECK (opens GLOB '[0-2][0-9]:[0-5][0-9]' AND opens < '24:00'),
            closes TEXT CHECK (closes GLOB '[0-2][0-9]:[0-5][0-9]' AND closes < '24:00'),
            status TEXT NOT NULL DEFAULT 'active' CHECK \(oneOf("status", CheckpointStatus.self)),
            notes TEXT NOT NULL DEFAULT '' CHECK (length(notes) <= 1000),
            CHECK ((lat IS NULL) = (lon IS NULL))
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE agencies (
            code TEXT PRIMARY KEY NOT NULL CHECK (length(code) BETWEEN 1 AND 32),
            name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
            kind TEXT NOT NULL DEFAULT '' CHECK (length(kind) <= 64),
            district TEXT REFERENCES districts(code)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE officers (
            code TEXT PRIMARY KEY NOT NULL CHECK (length(code) BETWEEN 1 AND 32 AND code NOT GLOB '*[^A-Za-z0-9._-]*'),
            name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
            role TEXT NOT NULL CHECK \(oneOf("role", Role.self)),
            agency TEXT REFERENCES agencies(code),
            active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
            created_at TEXT NOT NULL
        ) STRICT, WITHOUT ROWID;

        -- Incidents. `seq` is the row's place in the file (child tables point at it, which is
        -- smaller and faster than the UUID); `id` is the stable identity shared with others.
        -- `occurred_at` is kept as written; `occurred_utc` (ms since 1970) orders and filters by
        -- instant, and `local_date` is the day in the database's zone that reports count on.
        CREATE TABLE incidents (
            seq INTEGER PRIMARY KEY,
            id BLOB NOT NULL UNIQUE CHECK (length(id) = 16),
            case_number TEXT NOT NULL UNIQUE CHECK (length(case_number) BETWEEN 1 AND 32),
            type TEXT NOT NULL CHECK \(oneOf("type", IncidentType.self)),
            status TEXT NOT NULL DEFAULT 'open' CHECK \(oneOf("status", IncidentStatus.self)),
            source TEXT CHECK \(oneOf("source", IncidentSource.self)),
            occurred_at TEXT NOT NULL CHECK (length(occurred_at) BETWEEN 10 AND 40),
            occurred_utc INTEGER NOT NULL,
            local_date TEXT NOT NULL CHECK (local_date GLOB \(localDatePattern)),
            district TEXT NOT NULL REFERENCES districts(code),
            checkpoint TEXT REFERENCES checkpoints(code),
            summary TEXT NOT NULL CHECK (length(summary) BETWEEN 1 AND 4000),
            place TEXT CHECK (length(place) BETWEEN 1 AND 500),
            lat REAL CHECK (lat BETWEEN -90 AND 90),
            lon REAL CHECK (lon BETWEEN -180 AND 180),
            arrests INTEGER NOT NULL DEFAULT 0 CHECK (arrests >= 0),
            persons INTEGER NOT NULL DEFAULT 0 CHECK (persons >= 0),
            vehicles INTEGER NOT NULL DEFAULT 0 CHECK (vehicles >= 0),
            victims INTEGER NOT NULL DEFAULT 0 CHECK (victims >= 0),
            loss_thb REAL CHECK (loss_thb >= 0),
            recorded_by TEXT REFERENCES officers(code),
            assigned_to TEXT REFERENCES officers(code),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK ((lat IS NULL) = (lon IS NULL))
        ) STRICT;
        -- Period filters use occurred_utc too: in the database's zone a local-date range is an
        -- instant range, so local_date needs no index of its own (one index fewer per import).
        CREATE INDEX incidents_by_time ON incidents(occurred_utc);
        -- By district and time for listings; the figures after them make it a covering index for
        -- the district report, which then reads no table rows at all.
        CREATE INDEX incidents_by_district ON incidents(district, occurred_utc, type, arrests, persons, vehicles, victims, loss_thb);

        -- Seized items, in the canonical unit of their measure (kg, l, tablets, pieces), with
        -- the quantity and unit as the officer recorded them. The incident's district and instant
        -- are repeated here (kept in step by every write) so that seizure totals for a period are
        -- read from one index, without visiting each incident.
        CREATE TABLE seizures (
            incident INTEGER NOT NULL REFERENCES incidents(seq),
            position INTEGER NOT NULL CHECK (position >= 1),
            district TEXT NOT NULL REFERENCES districts(code),
            occurred_utc INTEGER NOT NULL,
            item TEXT NOT NULL CHECK \(oneOf("item", SeizureItem.self)),
            quantity REAL NOT NULL CHECK (quantity > 0),
            unit TEXT NOT NULL CHECK \(oneOf("unit", ["tablets", "pieces", "kg", "l"])),
            recorded_quantity REAL NOT NULL CHECK (recorded_quantity > 0),
            recorded_unit TEXT NOT NULL CHECK \(oneOf("recorded_unit", QuantityUnit.self)),
            PRIMARY KEY (incident, position),
            CHECK (unit = CASE recorded_unit WHEN 'g' THEN 'kg' WHEN 't' THEN 'kg' WHEN 'ml' THEN 'l' ELSE recorded_unit END),
            CHECK (CASE
                WHEN item = 'methamphetamine_tablets' THEN unit = 'tablets'
                WHEN \(oneOf("item", ["crystal_methamphetamine", "heroin", "opium", "ketamine", "cannabis", "cocaine"])) THEN unit = 'kg'
                WHEN item = 'precursor_chemicals' THEN \(oneOf("unit", ["kg", "l"]))
                ELSE \(oneOf("unit", ["kg", "l", "pieces"])) END)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX seizures_by_district ON seizures(district, occurred_utc, item, unit, quantity);

        -- Case notes: appended, never edited.
        CREATE TABLE notes (
            seq INTEGER PRIMARY KEY,
            incident INTEGER NOT NULL REFERENCES incidents(seq),
            officer TEXT NOT NULL REFERENCES officers(code),
            created_at TEXT NOT NULL,
            text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 20000)
        ) STRICT;
        CREATE INDEX notes_by_incident ON notes(incident);

        -- Related incidents, stored once per pair (lower seq first) and read both ways.
        CREATE TABLE links (
            incident INTEGER NOT NULL REFERENCES incidents(seq),
            other INTEGER NOT NULL REFERENCES incidents(seq),
            officer TEXT NOT NULL REFERENCES officers(code),
            created_at TEXT NOT NULL,
            PRIMARY KEY (incident, other),
            CHECK (incident < other)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX links_by_other ON links(other);

        -- Crossings through a checkpoint on one local date (SPEC section 3).
        CREATE TABLE checkpoint_traffic (
            checkpoint TEXT NOT NULL REFERENCES checkpoints(code),
            date TEXT NOT NULL CHECK (date GLOB \(localDatePattern)),
            persons_in INTEGER NOT NULL CHECK (persons_in >= 0),
            persons_out INTEGER NOT NULL CHECK (persons_out >= 0),
            vehicles_in INTEGER NOT NULL CHECK (vehicles_in >= 0),
            vehicles_out INTEGER NOT NULL CHECK (vehicles_out >= 0),
            out_of_hours INTEGER NOT NULL DEFAULT 0 CHECK (out_of_hours >= 0),
            recorded_by TEXT REFERENCES officers(code),
            updated_at TEXT NOT NULL,
            PRIMARY KEY (checkpoint, date)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX checkpoint_traffic_by_date ON checkpoint_traffic(date);

        -- The next case number per prefix and local year.
        CREATE TABLE case_counters (
            prefix TEXT NOT NULL,
            year INTEGER NOT NULL CHECK (year BETWEEN 1 AND 9999),
            last INTEGER NOT NULL CHECK (last >= 0),
            PRIMARY KEY (prefix, year)
        ) STRICT, WITHOUT ROWID;

        -- Who changed what, when: appended in the same transaction as the change, hash-chained.
        CREATE TABLE audit_log (
            seq INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            officer TEXT,
            action TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 64),
            entity TEXT NOT NULL CHECK (length(entity) BETWEEN 1 AND 64),
            entity_key TEXT,
            detail TEXT NOT NULL,
            prev_hash BLOB NOT NULL CHECK (length(prev_hash) = 32),
            hash BLOB NOT NULL UNIQUE CHECK (length(hash) = 32)
        ) STRICT;
        CREATE INDEX audit_log_by_entity ON audit_log(entity, entity_key);
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """

    /// Officer workflow: informants kept apart, the hash each incident was created with (what
    /// the audit chain vouches for), faster listing by checkpoint, and the search index.
    static let workflow = """
        -- The canonical state an incident was created with, hashed (SHA-256). The audit entry that
        -- created it (one incident, or an import of many) holds this hash or a digest of them.
        ALTER TABLE incidents ADD COLUMN created_hash BLOB CHECK (created_hash IS NULL OR length(created_hash) = 32);
        CREATE INDEX incidents_by_checkpoint ON incidents(checkpoint, occurred_utc) WHERE checkpoint IS NOT NULL;
        CREATE INDEX audit_log_by_action ON audit_log(action);

        -- Informant details of tip-offs: apart from the incident, read only by supervisors and admins.
        CREATE TABLE informants (
            incident INTEGER PRIMARY KEY REFERENCES incidents(seq),
            name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
            contact TEXT CHECK (contact IS NULL OR length(contact) BETWEEN 1 AND 500),
            updated_by TEXT NOT NULL REFERENCES officers(code),
            updated_at TEXT NOT NULL
        ) STRICT;

        -- Full-text search over summaries, places and notes. Trigrams find Thai and Lao text, which
        -- has no spaces between words, by substring. Row ids: incident seq * 4 for its summary,
        -- seq * 4 + 1 for its place, minus the note seq for a note. The index catches up when a
        -- search runs (so a large import is not slowed by it); incidents whose text changed after
        -- being indexed are queued in search_stale.
        CREATE VIRTUAL TABLE search_index USING fts5(body, tokenize = 'trigram');
        CREATE TABLE search_progress (
            singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
            incidents_through INTEGER NOT NULL,
            notes_through INTEGER NOT NULL
        ) STRICT;
        INSERT INTO search_progress VALUES (1, 0, 0);
        CREATE TABLE search_stale (incident INTEGER PRIMARY KEY) STRICT;
        CREATE TRIGGER incidents_search_stale AFTER UPDATE OF summary, place ON incidents
            WHEN old.seq <= (SELECT incidents_through FROM search_progress)
            BEGIN INSERT OR IGNORE INTO search_stale (incident) VALUES (new.seq); END;
        """

    /// Bearer tokens of the HTTP API. Only a token's SHA-256 is kept: whoever reads the file
    /// cannot act as the officer. A revoked token stays, marked, so its history is not lost.
    static let tokens = """
        CREATE TABLE officer_tokens (
            token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),
            officer TEXT NOT NULL REFERENCES officers(code),
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL REFERENCES officers(code),
            revoked_at TEXT
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX officer_tokens_by_officer ON officer_tokens(officer) WHERE revoked_at IS NULL;
        """
}

-- MekongWatch database schema, as produced by the migrations in Sources/MekongStore/Schema.swift.
-- Generated: do not edit by hand (run the tests with MEKONG_RECORD_SCHEMA=1 to rewrite it).

CREATE TABLE agencies (
    code TEXT PRIMARY KEY NOT NULL CHECK (length(code) BETWEEN 1 AND 32),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind TEXT NOT NULL DEFAULT '' CHECK (length(kind) <= 64),
    district TEXT REFERENCES districts(code)
) STRICT, WITHOUT ROWID;

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

CREATE TABLE case_counters (
    prefix TEXT NOT NULL,
    year INTEGER NOT NULL CHECK (year BETWEEN 1 AND 9999),
    last INTEGER NOT NULL CHECK (last >= 0),
    PRIMARY KEY (prefix, year)
) STRICT, WITHOUT ROWID;

CREATE TABLE checkpoint_traffic (
    checkpoint TEXT NOT NULL REFERENCES checkpoints(code),
    date TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    persons_in INTEGER NOT NULL CHECK (persons_in >= 0),
    persons_out INTEGER NOT NULL CHECK (persons_out >= 0),
    vehicles_in INTEGER NOT NULL CHECK (vehicles_in >= 0),
    vehicles_out INTEGER NOT NULL CHECK (vehicles_out >= 0),
    out_of_hours INTEGER NOT NULL DEFAULT 0 CHECK (out_of_hours >= 0),
    recorded_by TEXT REFERENCES officers(code),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (checkpoint, date)
) STRICT, WITHOUT ROWID;

CREATE TABLE checkpoints (
    code TEXT PRIMARY KEY NOT NULL CHECK (length(code) BETWEEN 1 AND 16 AND code GLOB '[A-Z]*' AND code NOT GLOB '*[^A-Z0-9-]*'),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    name_local TEXT NOT NULL DEFAULT '' CHECK (length(name_local) <= 200),
    kind TEXT NOT NULL CHECK (kind = 'permanent' OR kind = 'temporary' OR kind = 'trade_point' OR kind = 'customary' OR kind = 'river_pier' OR kind = 'inland'),
    district TEXT REFERENCES districts(code),
    lat REAL CHECK (lat BETWEEN -90 AND 90),
    lon REAL CHECK (lon BETWEEN -180 AND 180),
    counterpart TEXT NOT NULL DEFAULT '' CHECK (length(counterpart) <= 200),
    opens TEXT CHECK (opens GLOB '[0-2][0-9]:[0-5][0-9]' AND opens < '24:00'),
    closes TEXT CHECK (closes GLOB '[0-2][0-9]:[0-5][0-9]' AND closes < '24:00'),
    status TEXT NOT NULL DEFAULT 'active' CHECK (status = 'active' OR status = 'suspended' OR status = 'proposed' OR status = 'closed'),
    notes TEXT NOT NULL DEFAULT '' CHECK (length(notes) <= 1000),
    CHECK ((lat IS NULL) = (lon IS NULL))
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

CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);

CREATE TABLE incidents (
    seq INTEGER PRIMARY KEY,
    id BLOB NOT NULL UNIQUE CHECK (length(id) = 16),
    case_number TEXT NOT NULL UNIQUE CHECK (length(case_number) BETWEEN 1 AND 32),
    type TEXT NOT NULL CHECK (type = 'drug_seizure' OR type = 'scam' OR type = 'vehicle_smuggling' OR type = 'goods_smuggling' OR type = 'illegal_immigration' OR type = 'human_trafficking' OR type = 'wildlife_trafficking' OR type = 'timber_trafficking' OR type = 'haze_fire' OR type = 'cross_border_assistance' OR type = 'other'),
    status TEXT NOT NULL DEFAULT 'open' CHECK (status = 'open' OR status = 'investigating' OR status = 'referred' OR status = 'closed'),
    source TEXT CHECK (source = 'patrol' OR source = 'checkpoint_inspection' OR source = 'tip_off' OR source = 'investigation' OR source = 'referral' OR source = 'other'),
    occurred_at TEXT NOT NULL CHECK (length(occurred_at) BETWEEN 10 AND 40),
    occurred_utc INTEGER NOT NULL,
    local_date TEXT NOT NULL CHECK (local_date GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
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
    updated_at TEXT NOT NULL, created_hash BLOB CHECK (created_hash IS NULL OR length(created_hash) = 32),
    CHECK ((lat IS NULL) = (lon IS NULL))
) STRICT;

CREATE TABLE informants (
    incident INTEGER PRIMARY KEY REFERENCES incidents(seq),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    contact TEXT CHECK (contact IS NULL OR length(contact) BETWEEN 1 AND 500),
    updated_by TEXT NOT NULL REFERENCES officers(code),
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE links (
    incident INTEGER NOT NULL REFERENCES incidents(seq),
    other INTEGER NOT NULL REFERENCES incidents(seq),
    officer TEXT NOT NULL REFERENCES officers(code),
    created_at TEXT NOT NULL,
    PRIMARY KEY (incident, other),
    CHECK (incident < other)
) STRICT, WITHOUT ROWID;

CREATE TABLE notes (
    seq INTEGER PRIMARY KEY,
    incident INTEGER NOT NULL REFERENCES incidents(seq),
    officer TEXT NOT NULL REFERENCES officers(code),
    created_at TEXT NOT NULL,
    text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 20000)
) STRICT;

CREATE TABLE officer_tokens (
    token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),
    officer TEXT NOT NULL REFERENCES officers(code),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES officers(code),
    revoked_at TEXT
) STRICT, WITHOUT ROWID;

CREATE TABLE officers (
    code TEXT PRIMARY KEY NOT NULL CHECK (length(code) BETWEEN 1 AND 32 AND code NOT GLOB '*[^A-Za-z0-9._-]*'),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    role TEXT NOT NULL CHECK (role = 'officer' OR role = 'supervisor' OR role = 'analyst' OR role = 'admin'),
    agency TEXT REFERENCES agencies(code),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE province (
    code TEXT PRIMARY KEY NOT NULL CHECK (length(code) BETWEEN 1 AND 16),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    name_local TEXT NOT NULL CHECK (length(name_local) <= 200),
    country TEXT NOT NULL CHECK (country GLOB '[A-Z][A-Z]'),
    case_prefix TEXT NOT NULL CHECK (length(case_prefix) BETWEEN 1 AND 8 AND case_prefix NOT GLOB '*[^A-Z0-9]*'),
    singleton INTEGER NOT NULL DEFAULT 1 UNIQUE CHECK (singleton = 1)
) STRICT, WITHOUT ROWID;

CREATE VIRTUAL TABLE search_index USING fts5(body, tokenize = 'trigram');

CREATE TABLE 'search_index_config'(k PRIMARY KEY, v) WITHOUT ROWID;

CREATE TABLE 'search_index_content'(id INTEGER PRIMARY KEY, c0);

CREATE TABLE 'search_index_data'(id INTEGER PRIMARY KEY, block BLOB);

CREATE TABLE 'search_index_docsize'(id INTEGER PRIMARY KEY, sz BLOB);

CREATE TABLE 'search_index_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;

CREATE TABLE search_progress (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    incidents_through INTEGER NOT NULL,
    notes_through INTEGER NOT NULL
) STRICT;

CREATE TABLE search_stale (incident INTEGER PRIMARY KEY) STRICT;

CREATE TABLE seizures (
    incident INTEGER NOT NULL REFERENCES incidents(seq),
    position INTEGER NOT NULL CHECK (position >= 1),
    district TEXT NOT NULL REFERENCES districts(code),
    occurred_utc INTEGER NOT NULL,
    item TEXT NOT NULL CHECK (item = 'methamphetamine_tablets' OR item = 'crystal_methamphetamine' OR item = 'heroin' OR item = 'opium' OR item = 'ketamine' OR item = 'cannabis' OR item = 'cocaine' OR item = 'precursor_chemicals' OR item = 'wildlife' OR item = 'timber' OR item = 'other'),
    quantity REAL NOT NULL CHECK (quantity > 0),
    unit TEXT NOT NULL CHECK (unit = 'tablets' OR unit = 'pieces' OR unit = 'kg' OR unit = 'l'),
    recorded_quantity REAL NOT NULL CHECK (recorded_quantity > 0),
    recorded_unit TEXT NOT NULL CHECK (recorded_unit = 'tablets' OR recorded_unit = 'pieces' OR recorded_unit = 'g' OR recorded_unit = 'kg' OR recorded_unit = 't' OR recorded_unit = 'ml' OR recorded_unit = 'l'),
    PRIMARY KEY (incident, position),
    CHECK (unit = CASE recorded_unit WHEN 'g' THEN 'kg' WHEN 't' THEN 'kg' WHEN 'ml' THEN 'l' ELSE recorded_unit END),
    CHECK (CASE
        WHEN item = 'methamphetamine_tablets' THEN unit = 'tablets'
        WHEN (item = 'crystal_methamphetamine' OR item = 'heroin' OR item = 'opium' OR item = 'ketamine' OR item = 'cannabis' OR item = 'cocaine') THEN unit = 'kg'
        WHEN item = 'precursor_chemicals' THEN (unit = 'kg' OR unit = 'l')
        ELSE (unit = 'kg' OR unit = 'l' OR unit = 'pieces') END)
) STRICT, WITHOUT ROWID;

CREATE TABLE settings (
    key TEXT PRIMARY KEY NOT NULL CHECK (length(key) BETWEEN 1 AND 64),
    value TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX audit_log_by_action ON audit_log(action);

CREATE INDEX audit_log_by_entity ON audit_log(entity, entity_key);

CREATE INDEX checkpoint_traffic_by_date ON checkpoint_traffic(date);

CREATE INDEX incidents_by_checkpoint ON incidents(checkpoint, occurred_utc) WHERE checkpoint IS NOT NULL;

CREATE INDEX incidents_by_district ON incidents(district, occurred_utc, type, arrests, persons, vehicles, victims, loss_thb);

CREATE INDEX incidents_by_time ON incidents(occurred_utc);

CREATE INDEX links_by_other ON links(other);

CREATE INDEX notes_by_incident ON notes(incident);

CREATE INDEX officer_tokens_by_officer ON officer_tokens(officer) WHERE revoked_at IS NULL;

CREATE INDEX seizures_by_district ON seizures(district, occurred_utc, item, unit, quantity);

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

CREATE TRIGGER incidents_search_stale AFTER UPDATE OF summary, place ON incidents
    WHEN old.seq <= (SELECT incidents_through FROM search_progress)
    BEGIN INSERT OR IGNORE INTO search_stale (incident) VALUES (new.seq); END;

import GRDB
import MekongCore

/// What `init` did to the reference data: rows added, and rows that differ from the files but
/// were kept, because an admin may have changed them since.
public struct ReferenceLoadSummary: Sendable, Equatable {
    public var province: String
    public var timeZone: String
    public var districtsAdded = 0
    public var checkpointsAdded = 0
    public var agenciesAdded = 0
    public var districtsTotal = 0
    public var checkpointsTotal = 0
    public var agenciesTotal = 0
    /// `checkpoint MS1`, `district 5709`: rows the database holds with other values than the files.
    public var keptDifferent: [String] = []

    public var addedAnything: Bool { districtsAdded + checkpointsAdded + agenciesAdded > 0 }
}

extension AppDatabase {
    /// Loads reference data, idempotently: missing rows are added, existing rows are kept as
    /// they are (and reported when they differ), so running `init` again never undoes an
    /// admin's change and never duplicates anything.
    public func loadReference(_ data: ReferenceData) throws -> ReferenceLoadSummary {
        try write { db in
            if let current = try Row.fetchOne(db, sql: "SELECT code, name FROM province") {
                let code: String = current["code"]
                if code != data.province.code {
                    throw MekongError(.badData, "this database holds province \(code) (\(current["name"] as String)); the reference data is for \(data.province.code) (\(data.province.name)): use another database for another province")
                }
            } else {
                try db.execute(sql: """
                    INSERT INTO province (code, name, name_local, country, case_prefix) VALUES (?, ?, ?, ?, ?)
                    """, arguments: [data.province.code, data.province.name, data.province.nameLocal,
                                     data.province.country, data.province.casePrefix])
                try db.execute(sql: "INSERT INTO settings (key, value) VALUES ('time_zone', ?)", arguments: [data.province.timeZone])
            }
            var summary = ReferenceLoadSummary(province: data.province.code, timeZone: try Settings.timeZone(db))

            for district in data.districts {
                let values: [DatabaseValueConvertible?] = [
                    district.code, district.name, district.nameLocal, district.province, district.country,
                    district.latitude, district.longitude, district.border.joined(separator: ";"), district.notes,
                ]
                try db.execute(sql: """
                    INSERT INTO districts (code, name, name_local, province, country, lat, lon, border, notes)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING
                    """, arguments: StatementArguments(values))
                if db.changesCount > 0 {
                    summary.districtsAdded += 1
                } else if try !Row.fetchOne(db, sql: """
                    SELECT 1 FROM districts WHERE code = ? AND name IS ? AND name_local IS ? AND province IS ?
                    AND country IS ? AND lat IS ? AND lon IS ? AND border IS ? AND notes IS ?
                    """, arguments: StatementArguments(values)).isSome {
                    summary.keptDifferent.append("district \(district.code)")
                }
            }
            for checkpoint in data.checkpoints {
                let values: [DatabaseValueConvertible?] = [
                    checkpoint.code, checkpoint.name, checkpoint.nameLocal, checkpoint.kind.rawValue, checkpoint.district,
                    checkpoint.latitude, checkpoint.longitude, checkpoint.counterpart, checkpoint.opens?.description,
                    checkpoint.closes?.description, checkpoint.status.rawValue, checkpoint.notes,
                ]
                try db.execute(sql: """
                    INSERT INTO checkpoints (code, name, name_local, kind, district, lat, lon, counterpart, opens, closes, status, notes)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING
                    """, arguments: StatementArguments(values))
                if db.changesCount > 0 {
                    summary.checkpointsAdded += 1
                } else if try !Row.fetchOne(db, sql: """
                    SELECT 1 FROM checkpoints WHERE code = ? AND name IS ? AND name_local IS ? AND kind IS ? AND district IS ?
                    AND lat IS ? AND lon IS ? AND counterpart IS ? AND opens IS ? AND closes IS ? AND status IS ? AND notes IS ?
                    """, arguments: StatementArguments(values)).isSome {
                    summary.keptDifferent.append("checkpoint \(checkpoint.code)")
                }
            }
            for agency in data.agencies {
                let values: [DatabaseValueConvertible?] = [agency.code, agency.name, agency.kind, agency.district]
                try db.execute(sql: """
                    INSERT INTO agencies (code, name, kind, district) VALUES (?, ?, ?, ?) ON CONFLICT (code) DO NOTHING
                    """, arguments: StatementArguments(values))
                if db.changesCount > 0 {
                    summary.agenciesAdded += 1
                } else if try !Row.fetchOne(db, sql: """
                    SELECT 1 FROM agencies WHERE code = ? AND name IS ? AND kind IS ? AND district IS ?
                    """, arguments: StatementArguments(values)).isSome {
                    summary.keptDifferent.append("agency \(agency.code)")
                }
            }
            summary.districtsTotal = try Int.fetchOne(db, sql: "SELECT count(*) FROM districts") ?? 0
            summary.checkpointsTotal = try Int.fetchOne(db, sql: "SELECT count(*) FROM checkpoints") ?? 0
            summary.agenciesTotal = try Int.fetchOne(db, sql: "SELECT count(*) FROM agencies") ?? 0
            if summary.addedAnything {
                try AuditLog.append(db, officer: nil, action: "reference.load", entity: "reference", key: data.province.code, detail: .object([
                    "province": .string(data.province.code),
                    "time_zone": .string(summary.timeZone),
                    "districts_added": JSONValue(summary.districtsAdded),
                    "checkpoints_added": JSONValue(summary.checkpointsAdded),
                    "agencies_added": JSONValue(summary.agenciesAdded),
                ]), at: nowTimestamp())
            }
            return summary
        }
    }

    /// Every district, by code.
    public func districts() throws -> [District] {
        try read { db in try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM districts ORDER BY code")).map(District.init(row:)) }
    }

    /// Every checkpoint, or those of one district, by code.
    public func checkpoints(district: String? = nil) throws -> [Checkpoint] {
        try read { db in
            if let district {
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM districts WHERE code = ?", arguments: [district]) != nil else {
                    throw MekongError(.unknownReference, "unknown district code \(quoted(district)) (see `mekong district list`)")
                }
                return try Row.fetchAll(db, sql: "SELECT * FROM checkpoints WHERE district = ? ORDER BY code", arguments: [district])
                    .map(Checkpoint.init(row:))
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM checkpoints ORDER BY code").map(Checkpoint.init(row:))
        }
    }

    /// The province this database serves, if `init` has run.
    public func province() throws -> Province? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM province") else { return nil }
            return Province(code: row["code"], name: row["name"], nameLocal: row["name_local"], country: row["country"],
                            timeZone: try Settings.timeZone(db), casePrefix: row["case_prefix"])
        }
    }
}

/// Settings kept in the database itself.
public enum Settings {
    /// The database's time zone, in which local dates are counted. Until `init` loads the
    /// reference data there is none, and nothing can be dated.
    public static func timeZone(_ db: Database) throws -> String {
        guard let zone = try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM settings WHERE key = 'time_zone'")) else {
            throw MekongError(.storage, "the database has no reference data yet (run `mekong init`)")
        }
        return zone
    }

    public static func calendar(_ db: Database) throws -> LocalCalendar {
        let zone = try timeZone(db)
        guard let calendar = LocalCalendar(identifier: zone) else {
            throw MekongError(.storage, "the database's time zone \(quoted(zone)) is not known on this machine")
        }
        return calendar
    }
}

extension Optional {
    var isSome: Bool { self != nil }
}

extension District {
    /// A district read from its table row.
    public init(row: Row) {
        let border: String = row["border"]
        self.init(code: row["code"], name: row["name"], nameLocal: row["name_local"], province: row["province"],
                  country: row["country"], latitude: row["lat"], longitude: row["lon"],
                  border: border.isEmpty ? [] : border.split(separator: ";").map(String.init), notes: row["notes"])
    }
}

extension Checkpoint {
    /// A checkpoint read from its table row.
    public init(row: Row) {
        self.init(code: row["code"], name: row["name"], nameLocal: row["name_local"],
                  kind: CheckpointKind(rawValue: row["kind"]) ?? .permanent, district: row["district"],
                  latitude: row["lat"], longitude: row["lon"], counterpart: row["counterpart"],
                  opens: (row["opens"] as String?).flatMap { LocalTimeOfDay($0) },
                  closes: (row["closes"] as String?).flatMap { LocalTimeOfDay($0) },
                  status: CheckpointStatus(rawValue: row["status"]) ?? .active, notes: row["notes"])
    }
}

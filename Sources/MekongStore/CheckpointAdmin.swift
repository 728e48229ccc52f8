import GRDB
import MekongCore

/// Changes to a checkpoint an admin may make. A checkpoint is never deleted: a relocated,
/// suspended or proposed one changes status, so past incidents and traffic keep their place.
public struct CheckpointChanges: Sendable {
    public var name: String?
    public var nameLocal: String?
    public var kind: CheckpointKind?
    public var district: String??
    public var latitude: Double?
    public var longitude: Double?
    public var counterpart: String?
    public var opens: LocalTimeOfDay??
    public var closes: LocalTimeOfDay??
    public var status: CheckpointStatus?
    public var notes: String?

    public init() {}
}

extension Checkpoint {
    var json: JSONValue {
        .object([
            "code": .string(code), "name": .string(name), "name_local": .string(nameLocal), "kind": .string(kind.rawValue),
            "district": JSONValue(district), "lat": JSONValue(latitude), "lon": JSONValue(longitude),
            "counterpart": .string(counterpart), "opens": JSONValue(opens?.description), "closes": JSONValue(closes?.description),
            "status": .string(status.rawValue), "notes": .string(notes),
        ])
    }
}

extension AppDatabase {
    /// Adds a checkpoint to the reference data (admins only; audited).
    public func addCheckpoint(_ checkpoint: Checkpoint, officer: String?) throws -> Checkpoint {
        try write { db in
            let actor = try Authorizer.require(db, officer: officer, for: .manageReference)
            try validate(db, checkpoint)
            if try Bool.exists(db, sql: "SELECT 1 FROM checkpoints WHERE code = ?", arguments: [checkpoint.code]) {
                throw MekongError(.conflict, "checkpoint \(checkpoint.code) exists already (use `mekong checkpoint update`)")
            }
            try save(db, checkpoint, insert: true)
            try AuditLog.append(db, officer: actor.code, action: "checkpoint.add", entity: "checkpoint", key: checkpoint.code,
                                detail: .object(["checkpoint": checkpoint.json]), at: nowTimestamp())
            return checkpoint
        }
    }

    /// Changes a checkpoint (admins only); the audit entry holds it before and after.
    public func updateCheckpoint(_ code: String, changes: CheckpointChanges, officer: String?) throws -> Checkpoint {
        try write { db in
            let actor = try Authorizer.require(db, officer: officer, for: .manageReference)
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM checkpoints WHERE code = ?", arguments: [code]) else {
                throw MekongError(.unknownReference, "unknown checkpoint code \(quoted(code)) (see `mekong checkpoint list`)")
            }
            let before = Checkpoint(row: row)
            var after = before
            if let value = changes.name { after.name = value }
            if let value = changes.nameLocal { after.nameLocal = value }
            if let value = changes.kind { after.kind = value }
            if let value = changes.district { after.district = value }
            if let value = changes.latitude { after.latitude = value }
            if let value = changes.longitude { after.longitude = value }
            if let value = changes.counterpart { after.counterpart = value }
            if let value = changes.opens { after.opens = value }
            if let value = changes.closes { after.closes = value }
            if let value = changes.status { after.status = value }
            if let value = changes.notes { after.notes = value }
            if after == before { return before }
            try validate(db, after)
            try save(db, after, insert: false)
            try AuditLog.append(db, officer: actor.code, action: "checkpoint.update", entity: "checkpoint", key: code,
                                detail: .object(["before": before.json, "after": after.json]), at: nowTimestamp())
            return after
        }
    }

    private func validate(_ db: Database, _ checkpoint: Checkpoint) throws {
        var problems: [FieldProblem] = []
        if !Checkpoint.isValidCode(checkpoint.code) {
            problems.append(FieldProblem(field: "code", message: "a checkpoint code is 1–16 upper-case letters, digits or \"-\", starting with a letter (MS1), not \(quoted(checkpoint.code))"))
        }
        problems += TextRule.short.problems(checkpoint.name, field: "name")
        for (value, field) in [(checkpoint.name, "name"), (checkpoint.nameLocal, "name_local"), (checkpoint.counterpart, "counterpart")]
        where value.unicodeScalars.count > 200 {
            problems.append(FieldProblem(field: field, message: "\(field) is longer than 200 characters"))
        }
        switch (checkpoint.latitude, checkpoint.longitude) {
        case (nil, nil): break
        case let (lat?, lon?):
            if !(-90...90).contains(lat) { problems.append(FieldProblem(field: "lat", message: "latitude \(formatNumber(lat)) is outside -90…90")) }
            if !(-180...180).contains(lon) { problems.append(FieldProblem(field: "lon", message: "longitude \(formatNumber(lon)) is outside -180…180")) }
        default:
            problems.append(FieldProblem(field: checkpoint.latitude == nil ? "lat" : "lon", message: "give both lat and lon, or neither"))
        }
        if !problems.isEmpty { throw ValidationFailure(problems) }
        if let district = checkpoint.district, try !Bool.exists(db, sql: "SELECT 1 FROM districts WHERE code = ?", arguments: [district]) {
            throw MekongError(.unknownReference, "unknown district code \(quoted(district)) (see `mekong district list`)")
        }
    }

    private func save(_ db: Database, _ checkpoint: Checkpoint, insert: Bool) throws {
        let values: [DatabaseValueConvertible?] = [
            checkpoint.name, checkpoint.nameLocal, checkpoint.kind.rawValue, checkpoint.district, checkpoint.latitude,
            checkpoint.longitude, checkpoint.counterpart, checkpoint.opens?.description, checkpoint.closes?.description,
            checkpoint.status.rawValue, checkpoint.notes, checkpoint.code,
        ]
        if insert {
            try db.execute(sql: """
                INSERT INTO checkpoints (name, name_local, kind, district, lat, lon, counterpart, opens, closes, status, notes, code)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: StatementArguments(values))
        } else {
            try db.execute(sql: """
                UPDATE checkpoints SET name = ?, name_local = ?, kind = ?, district = ?, lat = ?, lon = ?, counterpart = ?,
                    opens = ?, closes = ?, status = ?, notes = ? WHERE code = ?
                """, arguments: StatementArguments(values))
        }
    }
}

import Foundation
import GRDB
import MekongCore

/// Writes incidents, one or a million, through the same prepared statements and rules:
/// local date and case number assigned, seizures stored in canonical units.
struct IncidentWriter {
    let db: Database
    let calendar: LocalCalendar
    let casePrefix: String
    private var lastCaseNumber: [Int: Int] = [:]
    private let insertIncident: BulkStatement
    private let insertSeizure: BulkStatement
    private let findID: BulkStatement
    /// Reused for the canonical encoding each insert hashes.
    private var scratch = JSONWriter(capacity: 2048)

    init(_ db: Database) throws {
        self.db = db
        calendar = try Settings.calendar(db)
        guard let prefix = try String.fetchOne(db.cachedStatement(sql: "SELECT case_prefix FROM province")) else {
            throw MekongError(.storage, "the database has no reference data yet (run `mekong init`)")
        }
        casePrefix = prefix
        // Kept compiled on the connection: a server logs one incident per writer.
        insertIncident = try BulkStatement(db, cachedSQL: IncidentWriter.insertSQL
            + "(" + Array(repeating: "?", count: IncidentWriter.columnCount).joined(separator: ", ") + ")")
        insertSeizure = try BulkStatement(db, cachedSQL: """
            INSERT INTO seizures (incident, position, district, occurred_utc, item, quantity, unit, recorded_quantity, recorded_unit)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        findID = try BulkStatement(db, cachedSQL: "SELECT 1 FROM incidents WHERE id = ?")
    }

    /// Whether an incident with this id is stored already.
    func exists(_ id: IncidentID) throws -> Bool {
        findID.bind(1, bytes: id.bytes)
        return try findID.returnsRow()
    }

    /// Fills in what a new incident gets before it is stored, all of which can be done away
    /// from the database (an import does it on its reading thread): its local date, who
    /// recorded it and when; returns the hash of the state it is created with (see `AuditLog`).
    static func prepare(_ incident: inout Incident, recordedBy: String?, now: String, calendar: LocalCalendar,
                        scratch: inout JSONWriter) -> [UInt8] {
        incident.localDate = incident.occurredAt.localDate(in: calendar)
        incident.recordedBy = recordedBy
        incident.createdAt = now
        incident.updatedAt = now
        return AuditLog.stateHash(incident, scratch: &scratch)
    }

    /// Stores `incident`, filling in its local date, case number and times; returns its row
    /// number and the hash of the state it was created with.
    @discardableResult
    mutating func insert(_ incident: inout Incident, recordedBy: String?, now: String) throws -> (seq: Int64, createdHash: [UInt8]) {
        let createdHash = IncidentWriter.prepare(&incident, recordedBy: recordedBy, now: now, calendar: calendar, scratch: &scratch)
        return (try insert(prepared: &incident, createdHash: createdHash), createdHash)
    }

    /// Stores an incident `prepare` has filled in, assigning its case number; returns its row number.
    mutating func insert(prepared incident: inout Incident, createdHash: [UInt8]) throws -> Int64 {
        try assignCaseNumber(&incident)
        bind(incident, createdHash: createdHash, to: insertIncident, at: 0)
        try insertIncident.execute()
        let seq = db.lastInsertedRowID
        try insertSeizures(of: incident, seq: seq)
        return seq
    }

    private static let columnCount = 24
    private static let insertSQL = """
        INSERT INTO incidents (id, case_number, type, status, source, occurred_at, occurred_utc, local_date,
            district, checkpoint, summary, place, lat, lon, arrests, persons, vehicles, victims, loss_thb,
            recorded_by, assigned_to, created_at, updated_at, created_hash)
        VALUES
        """

    private mutating func assignCaseNumber(_ incident: inout Incident) throws {
        guard let localDate = incident.localDate, incident.createdAt != nil else {
            preconditionFailure("an incident is stored after IncidentWriter.prepare")
        }
        incident.caseNumber = try nextCaseNumber(year: localDate.year)
    }

    /// Binds one incident's 24 values starting after parameter `offset`.
    private func bind(_ incident: Incident, createdHash: [UInt8], to statement: BulkStatement, at offset: Int32) {
        statement.bind(offset + 1, bytes: incident.id.bytes)
        statement.bind(offset + 2, incident.caseNumber)
        statement.bind(offset + 3, incident.type.rawValue)
        statement.bind(offset + 4, incident.status.rawValue)
        statement.bind(offset + 5, incident.source?.rawValue)
        statement.bind(offset + 6, incident.occurredAt.text)
        statement.bind(offset + 7, incident.occurredAt.instant(in: calendar))
        statement.bind(offset + 8, incident.localDate?.description)
        statement.bind(offset + 9, incident.district)
        statement.bind(offset + 10, incident.checkpoint)
        statement.bind(offset + 11, incident.summary)
        statement.bind(offset + 12, incident.place)
        statement.bind(offset + 13, incident.coordinates?.latitude)
        statement.bind(offset + 14, incident.coordinates?.longitude)
        statement.bind(offset + 15, incident.arrests)
        statement.bind(offset + 16, incident.persons)
        statement.bind(offset + 17, incident.vehicles)
        statement.bind(offset + 18, incident.victims)
        statement.bind(offset + 19, incident.lossTHB)
        statement.bind(offset + 20, incident.recordedBy)
        statement.bind(offset + 21, incident.assignedTo)
        statement.bind(offset + 22, incident.createdAt)
        statement.bind(offset + 23, incident.updatedAt)
        statement.bind(offset + 24, bytes: createdHash)
    }

    private func insertSeizures(of incident: Incident, seq: Int64) throws {
        let instant = incident.occurredAt.instant(in: calendar)
        for (index, seizure) in incident.seizures.enumerated() {
            insertSeizure.bind(1, seq)
            insertSeizure.bind(2, index + 1)
            insertSeizure.bind(3, incident.district)
            insertSeizure.bind(4, instant)
            insertSeizure.bind(5, seizure.item.rawValue)
            insertSeizure.bind(6, seizure.quantity)
            insertSeizure.bind(7, seizure.unit.rawValue)
            insertSeizure.bind(8, seizure.recordedQuantity)
            insertSeizure.bind(9, seizure.recordedUnit.rawValue)
            try insertSeizure.execute()
        }
    }

    /// Writes the case counters back; call before the transaction commits.
    func finish() throws {
        for (year, last) in lastCaseNumber {
            try db.execute(sql: """
                INSERT INTO case_counters (prefix, year, last) VALUES (?, ?, ?)
                ON CONFLICT (prefix, year) DO UPDATE SET last = excluded.last
                """, arguments: [casePrefix, year, last])
        }
    }

    /// `CR-2025-000123`: the province's prefix, the local year, a sequence per prefix and year.
    private mutating func nextCaseNumber(year: Int) throws -> String {
        let last: Int
        if let known = lastCaseNumber[year] {
            last = known
        } else {
            last = try Int.fetchOne(db.cachedStatement(sql: "SELECT last FROM case_counters WHERE prefix = ? AND year = ?"),
                                    arguments: [casePrefix, year]) ?? 0
        }
        let next = last + 1
        lastCaseNumber[year] = next
        var number = casePrefix + "-"
        appendDigits(year, width: 4, to: &number)
        number += "-"
        appendDigits(next, width: 6, to: &number)
        return number
    }
}

private func appendDigits(_ value: Int, width: Int, to text: inout String) {
    let digits = String(value)
    if digits.utf8.count < width { text += String(repeating: "0", count: width - digits.utf8.count) }
    text += digits
}

/// What validation needs from the database: the codes records may name.
extension KnownCodes {
    static func fetch(_ db: Database) throws -> KnownCodes {
        KnownCodes(districts: Set(try String.fetchAll(db.cachedStatement(sql: "SELECT code FROM districts"))),
                   checkpoints: Set(try String.fetchAll(db.cachedStatement(sql: "SELECT code FROM checkpoints"))))
    }
}

/// The current time as stored: RFC 3339 UTC with milliseconds.
func nowTimestamp() -> String {
    Timestamp.utc(milliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
}

func nowMilliseconds() -> UInt64 {
    UInt64((Date().timeIntervalSince1970 * 1000).rounded(.down))
}

extension AppDatabase {
    /// One incident by id or case number, with its seizures; nil when there is none.
    public func incident(_ reference: String) throws -> Incident? {
        try read { db in try IncidentReader.fetch(db, reference: reference) }
    }

    /// The codes records may name, for validating outside a transaction (the command line).
    public func knownCodes() throws -> KnownCodes {
        try read { db in try KnownCodes.fetch(db) }
    }

    /// The database's calendar: its time zone.
    public func calendar() throws -> LocalCalendar {
        try read { db in try Settings.calendar(db) }
    }
}

/// Reads stored incidents back into values.
enum IncidentReader {
    static func fetch(_ db: Database, reference: String) throws -> Incident? {
        guard let row = try row(db, reference: reference) else { return nil }
        return try incident(row, db: db)
    }

    /// The row of an incident named by id (any case) or case number.
    static func row(_ db: Database, reference: String) throws -> Row? {
        if let id = IncidentID(reference) {
            return try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM incidents WHERE id = ?"), arguments: [Data(id.bytes)])
        }
        return try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM incidents WHERE case_number = ?"), arguments: [reference])
    }

    /// The row of an incident, or an error naming what was not found (exit 69).
    static func requireRow(_ db: Database, reference: String) throws -> Row {
        guard let row = try row(db, reference: reference) else {
            throw MekongError(.unknownReference, "no incident \(quoted(reference)) (give its id or case number, e.g. CR-2025-000123)")
        }
        return row
    }

    static func incident(_ row: Row, db: Database) throws -> Incident {
        let seq: Int64 = row["seq"]
        let seizures = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT item, quantity, unit, recorded_quantity, recorded_unit FROM seizures WHERE incident = ? ORDER BY position
            """), arguments: [seq]).map(seizure(_:))
        return try incident(row, seizures: seizures)
    }

    static func seizure(_ row: Row) -> Seizure {
        Seizure(stored: SeizureItem(rawValue: row["item"]) ?? .other, quantity: row["quantity"],
                unit: QuantityUnit(rawValue: row["unit"]) ?? .pieces, recordedQuantity: row["recorded_quantity"],
                recordedUnit: QuantityUnit(rawValue: row["recorded_unit"]) ?? .pieces)
    }

    static func incident(_ row: Row, seizures: [Seizure]) throws -> Incident {
        let idData: Data = row["id"]
        let text: String = row["occurred_at"]
        guard let id = IncidentID(bytes: idData), let occurredAt = try? OccurredAt(text) else {
            throw MekongError(.storage, "incident row \(row["seq"] as Int64) is damaged (id or occurred_at unreadable); run `mekong db check`")
        }
        var incident = Incident(
            id: id, caseNumber: row["case_number"], type: IncidentType(rawValue: row["type"]) ?? .other,
            status: IncidentStatus(rawValue: row["status"]) ?? .open,
            source: (row["source"] as String?).flatMap { IncidentSource(rawValue: $0) }, occurredAt: occurredAt,
            district: row["district"], checkpoint: row["checkpoint"], summary: row["summary"], place: row["place"],
            coordinates: nil, arrests: row["arrests"], persons: row["persons"], vehicles: row["vehicles"],
            victims: row["victims"], lossTHB: row["loss_thb"], seizures: seizures)
        if let lat: Double = row["lat"], let lon: Double = row["lon"] {
            incident.coordinates = Coordinates(latitude: lat, longitude: lon)
        }
        incident.localDate = LocalDate(row["local_date"] as String)
        incident.recordedBy = row["recorded_by"]
        incident.assignedTo = row["assigned_to"]
        incident.createdAt = row["created_at"]
        incident.updatedAt = row["updated_at"]
        return incident
    }
}

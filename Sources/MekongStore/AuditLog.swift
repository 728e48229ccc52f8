import Crypto
import Foundation
import GRDB
import MekongCore

/// One entry of the audit trail: who did what, when, with the values before and after.
public struct AuditEntry: Sendable {
    public var seq: Int64
    public var at: String
    public var officer: String?
    /// What was done: `incident.create`, `incident.update`, `incident.import`, `officer.add`…
    public var action: String
    public var entity: String
    public var key: String?
    public var detail: JSONValue
    public var hash: [UInt8]
}

/// The append-only, hash-chained audit trail.
///
/// Every change writes one entry in the same transaction as the change. Each entry's hash is
/// SHA-256 over the previous entry's hash and a canonical encoding of the entry, so editing,
/// removing or reordering an entry breaks the chain from there on. Incidents are covered too:
/// each stores the hash of the state it was created with, the entry that created it holds that
/// state (or, for an import, a digest of the hashes and case numbers), and updates hold old and
/// new values, so `audit verify` can rebuild what every incident should be and compare.
enum AuditLog {
    static let genesis = [UInt8](repeating: 0, count: 32)

    /// Appends an entry after the current last one.
    @discardableResult
    static func append(_ db: Database, officer: String?, action: String, entity: String, key: String?,
                       detail: JSONValue, at: String) throws -> Int64 {
        let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"))
        let seq: Int64 = (last?["seq"] as Int64? ?? 0) + 1
        let previous: [UInt8] = (last?["hash"] as Data?).map { Array($0) } ?? genesis
        let detailText = detail.canonical
        let hash = entryHash(previous: previous, seq: seq, at: at, officer: officer, action: action, entity: entity,
                             key: key, detail: Array(detailText.utf8))
        try db.cachedStatement(sql: """
            INSERT INTO audit_log (seq, at, officer, action, entity, entity_key, detail, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [seq, at, officer, action, entity, key, detailText, Data(previous), Data(hash)])
        return seq
    }

    /// SHA-256 of the previous hash and the entry as canonical JSON (keys sorted, the stored
    /// detail text embedded as it is).
    static func entryHash(previous: [UInt8], seq: Int64, at: String, officer: String?, action: String, entity: String,
                          key: String?, detail: [UInt8]) -> [UInt8] {
        var json = JSONWriter(capacity: detail.count + 256)
        json.beginObject()
        json.field("action", action)
        json.field("at", at)
        json.key("detail")
        json.raw(detail)
        json.field("entity", entity)
        json.field("entity_key", key)
        json.field("officer", officer)
        json.field("seq", Int(seq))
        json.endObject()
        var hasher = SHA256()
        hasher.update(data: previous)
        hasher.update(data: json.bytes)
        return Array(hasher.finalize())
    }

    /// The hash of an incident's audit state, all but its case number: what `created_hash`
    /// holds. (The case number is assigned by the database as the row is written, so an import
    /// can hash every record on its reading thread; the import's digest covers the case numbers.)
    static func stateHash(_ state: [String: JSONValue]) -> [UInt8] {
        var state = state
        state["case_number"] = nil
        return Array(SHA256.hash(data: JSONValue.object(state).canonicalBytes))
    }

    /// The same hash for a whole incident, encoded without building the dictionary.
    static func stateHash(_ incident: Incident, scratch: inout JSONWriter) -> [UInt8] {
        scratch.reset()
        incident.writeAuditState(to: &scratch, includingCaseNumber: false)
        return scratch.bytes.withUnsafeBytes { Array(SHA256.hash(data: $0)) }
    }

    static func entry(_ row: Row) throws -> AuditEntry {
        let text: String = row["detail"]
        let detail = (try? JSONValue(parsing: text)) ?? .string(text)
        return AuditEntry(seq: row["seq"], at: row["at"], officer: row["officer"], action: row["action"], entity: row["entity"],
                          key: row["entity_key"], detail: detail, hash: Array(row["hash"] as Data))
    }
}

/// A running SHA-256 over the creation hashes and case numbers of the incidents one import
/// inserted, in the order they were written.
struct ImportDigest {
    private var hasher = SHA256()
    private(set) var count = 0

    mutating func add(_ hash: [UInt8], caseNumber: String) {
        hasher.update(data: hash)
        hasher.update(data: Array(caseNumber.utf8) + [0])
        count += 1
    }

    func finish() -> String {
        hexString(Array(hasher.finalize()))
    }
}

func hexString(_ bytes: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    for byte in bytes {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0xF)])
    }
    return String(decoding: out, as: UTF8.self)
}

/// SHA-256 of a file's bytes as they stream past, for the import entry.
public struct StreamDigest: Sendable {
    private var hasher = SHA256()

    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        hasher.update(bufferPointer: bytes)
    }

    public func finish() -> String { hexString(Array(hasher.finalize())) }
}

extension AppDatabase {
    /// The newest audit entry's number and hash. Every change made through mekong appends an
    /// entry in the same transaction, so while this stays the same, so does the data: the
    /// server keys its report cache on it. The hash makes it unique even when the number comes
    /// round again (a forced restore of an older backup, then new writes).
    public func changeStamp() throws -> ChangeStamp {
        try readOne { db in
            let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"))
            return ChangeStamp(seq: last?["seq"] ?? 0, hash: last?["hash"] ?? Data())
        }
    }

    /// The audit trail, oldest first: all of it, or the entries about one incident.
    public func auditEntries(incident reference: String? = nil, limit: Int? = nil) throws -> [AuditEntry] {
        try read { db in
            guard let reference else {
                let sql = "SELECT * FROM audit_log ORDER BY seq" + (limit.map { " LIMIT \($0)" } ?? "")
                return try Row.fetchAll(db, sql: sql).map(AuditLog.entry)
            }
            guard let row = try IncidentReader.row(db, reference: reference) else {
                throw MekongError(.unknownReference, "no incident \(quoted(reference))")
            }
            return try IncidentHistory.entries(db, seq: row["seq"], id: IncidentID(bytes: row["id"] as Data)!)
        }
    }
}

/// The entries that concern one incident: its creation (or the import that brought it), its
/// updates, notes, links and informant changes.
enum IncidentHistory {
    static func entries(_ db: Database, seq: Int64, id: IncidentID) throws -> [AuditEntry] {
        let key = id.description
        var rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM audit_log WHERE entity = 'incident' AND entity_key = ? ORDER BY seq"),
                                    arguments: [key])
        rows += try Row.fetchAll(db.cachedStatement(sql: """
            SELECT * FROM audit_log WHERE action = 'incident.link' AND json_extract(detail, '$.other') = ?
            """), arguments: [key])
        rows += try Row.fetchAll(db.cachedStatement(sql: """
            SELECT * FROM audit_log WHERE action = 'incident.import'
            AND json_extract(detail, '$.first_seq') <= ? AND json_extract(detail, '$.last_seq') >= ?
            """), arguments: [seq, seq])
        return try rows.map(AuditLog.entry).sorted { $0.seq < $1.seq }
    }
}

/// Where the audit trail stands: see `AppDatabase.changeStamp()`.
public struct ChangeStamp: Hashable, Sendable {
    public var seq: Int64
    public var hash: Data
}

import Foundation
import GRDB
import MekongCore

/// The shapes `mekong export` writes.
public enum ExportFormat: String, Sendable, CaseIterable {
    case ndjson
    case csv
    /// One JSON array of records.
    case json
}

extension AppDatabase {
    /// Writes every incident matching `filter`, oldest first, handing the bytes to `sink` a
    /// record at a time: nothing is held but the record being written.
    ///
    /// - Parameter redacted: for sharing with a partner agency: no officer codes, coordinates
    ///   rounded to 0.1°. (Informant details and notes are never part of a record.)
    /// - Returns: the number of records written.
    @discardableResult
    public func exportIncidents(_ filter: IncidentFilter, zone: LocalCalendar? = nil, format: ExportFormat, redacted: Bool,
                                to sink: ([UInt8]) throws -> Void) throws -> Int {
        try read { db in
            let (conditions, arguments) = try IncidentQuery.conditions(db, filter: filter, zone: zone)
            // One row per seizure (or one with NULL seizure columns): incidents through the time
            // index in order, seizures through their primary key, grouped back as they come.
            let sql = """
                SELECT i.*, s.item AS s_item, s.quantity AS s_quantity, s.unit AS s_unit,
                       s.recorded_quantity AS s_recorded_quantity, s.recorded_unit AS s_recorded_unit
                FROM (SELECT * FROM incidents\(IncidentQuery.whereClause(conditions))) i
                LEFT JOIN seizures s ON s.incident = i.seq
                ORDER BY i.occurred_utc, i.seq, s.position
                """
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            var count = 0
            var buffer: [UInt8] = []
            buffer.reserveCapacity(1 << 16)
            var json = JSONWriter(capacity: 4096)
            switch format {
            case .csv: buffer += IncidentCSV.header(redacted: redacted)
            case .json: buffer += Array("[".utf8)
            case .ndjson: break
            }
            func emit(_ incident: Incident) throws {
                switch format {
                case .csv:
                    IncidentCSV.write(incident, to: &buffer, redacted: redacted)
                case .ndjson, .json:
                    json.reset()
                    IncidentJSON.write(incident, to: &json, redacted: redacted)
                    if format == .json { buffer += count == 0 ? [0x0A] : [0x2C, 0x0A] }
                    buffer += json.bytes
                    if format == .ndjson { buffer.append(0x0A) }
                }
                count += 1
                if buffer.count >= 1 << 16 {
                    try sink(buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            var pending: (row: Row, seizures: [Seizure])?
            while let row = try cursor.next() {
                let seq: Int64 = row["seq"]
                if let current = pending, current.row["seq"] as Int64 != seq {
                    try emit(try IncidentReader.incident(current.row, seizures: current.seizures))
                    pending = nil
                }
                if pending == nil { pending = (row.copy(), []) }
                if let item: String = row["s_item"], let seizureItem = SeizureItem(rawValue: item),
                   let unit = QuantityUnit(rawValue: row["s_unit"]), let recordedUnit = QuantityUnit(rawValue: row["s_recorded_unit"]) {
                    pending?.seizures.append(Seizure(stored: seizureItem, quantity: row["s_quantity"], unit: unit,
                                                     recordedQuantity: row["s_recorded_quantity"], recordedUnit: recordedUnit))
                }
            }
            if let current = pending { try emit(try IncidentReader.incident(current.row, seizures: current.seizures)) }
            if format == .json { buffer += Array((count == 0 ? "]\n" : "\n]\n").utf8) }
            if !buffer.isEmpty { try sink(buffer) }
            return count
        }
    }
}

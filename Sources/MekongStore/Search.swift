import GRDB
import MekongCore

/// An incident found by `mekong search`, and where the text matched.
public struct SearchHit: Sendable {
    public var incident: Incident
    /// `summary`, `place`, `note`.
    public var matched: [String]
    /// SQLite's BM25 score: lower is a better match.
    public var rank: Double
}

extension AppDatabase {
    /// Finds incidents whose summary, place or notes contain every word of `text`, as a
    /// substring (so Thai and Lao, written without spaces, are found inside longer text).
    /// Best matches first; among equal matches, the newest first.
    ///
    /// - Parameter indexing: told how many texts are being added when the index has to catch up
    ///   (after a large import), so the caller can say why it waits.
    /// The longest search text taken, in characters (the API's `q` says the same).
    public static let maximumSearchLength = 500

    public func search(_ text: String, limit: Int = 50, indexing: (Int) -> Void = { _ in }) throws -> [SearchHit] {
        // NUL would cut the match expression short inside SQLite; no stored text holds one.
        guard !text.unicodeScalars.contains("\0") else { throw MekongError(.usage, "the search text contains a NUL character", field: "q") }
        guard text.count <= Self.maximumSearchLength else {
            throw MekongError(.usage, "the search text is longer than \(Self.maximumSearchLength) characters", field: "q")
        }
        let terms = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard !terms.isEmpty else { throw MekongError(.usage, "give some text to search for", field: "q") }
        guard (1...10_000).contains(limit) else { throw MekongError(.usage, "--limit must be from 1 to 10000", field: "limit") }
        try refreshSearchIndex(indexing: indexing)
        // Terms of three characters or more go through the trigram index; shorter ones can only
        // be matched by scanning, with LIKE.
        var conditions: [String] = []
        var arguments = StatementArguments()
        let phrases = terms.filter { $0.unicodeScalars.count >= 3 }
        if !phrases.isEmpty {
            conditions.append("search_index MATCH ?")
            arguments += [phrases.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: " AND ")]
        }
        for term in terms where term.unicodeScalars.count < 3 {
            conditions.append("body LIKE ? ESCAPE '\\'")
            let escaped = term.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
            arguments += ["%" + escaped + "%"]
        }
        let rankExpression = phrases.isEmpty ? "0.0" : "rank"
        return try read { db in
            let rows = try Row.fetchAll(db, sql: """
                WITH hits AS (
                    SELECT CASE WHEN rowid >= 0 THEN rowid / 4 ELSE (SELECT incident FROM notes WHERE seq = -search_index.rowid) END AS incident,
                           CASE WHEN rowid < 0 THEN 'note' WHEN rowid % 4 = 0 THEN 'summary' ELSE 'place' END AS field,
                           \(rankExpression) AS score
                    FROM search_index WHERE \(conditions.joined(separator: " AND "))
                )
                SELECT i.*, min(h.score) AS best, group_concat(DISTINCT h.field) AS fields
                FROM hits h JOIN incidents i ON i.seq = h.incident
                GROUP BY h.incident
                ORDER BY best, i.occurred_utc DESC, i.seq DESC
                LIMIT ?
                """, arguments: arguments + [limit])
            let incidents = try IncidentReader.incidents(rows, db: db)
            return zip(rows, incidents).map { row, incident in
                let fields = (row["fields"] as String? ?? "").split(separator: ",").map(String.init)
                let order = ["summary", "place", "note"]
                return SearchHit(incident: incident, matched: order.filter(fields.contains), rank: row["best"])
            }
        }
    }

    /// Brings the search index up to date: new incidents and notes, and incidents whose
    /// summary or place changed since they were indexed.
    func refreshSearchIndex(indexing: (Int) -> Void) throws {
        let pending = try read { db -> Int in
            try Int.fetchOne(db, sql: """
                SELECT (SELECT count(*) FROM incidents WHERE seq > p.incidents_through)
                     + (SELECT count(*) FROM notes WHERE seq > p.notes_through)
                     + (SELECT count(*) FROM search_stale)
                FROM search_progress p
                """) ?? 0
        }
        guard pending > 0 else { return }
        if pending >= 10_000 { indexing(pending) }
        try write { db in
            try db.execute(sql: """
                DELETE FROM search_index WHERE rowid IN (SELECT incident * 4 FROM search_stale UNION ALL SELECT incident * 4 + 1 FROM search_stale);
                INSERT INTO search_index (rowid, body) SELECT seq * 4, summary FROM incidents WHERE seq IN (SELECT incident FROM search_stale);
                INSERT INTO search_index (rowid, body) SELECT seq * 4 + 1, place FROM incidents WHERE place IS NOT NULL AND seq IN (SELECT incident FROM search_stale);
                DELETE FROM search_stale;
                INSERT INTO search_index (rowid, body) SELECT seq * 4, summary FROM incidents WHERE seq > (SELECT incidents_through FROM search_progress);
                INSERT INTO search_index (rowid, body) SELECT seq * 4 + 1, place FROM incidents WHERE place IS NOT NULL AND seq > (SELECT incidents_through FROM search_progress);
                INSERT INTO search_index (rowid, body) SELECT -seq, text FROM notes WHERE seq > (SELECT notes_through FROM search_progress);
                UPDATE search_progress SET
                    incidents_through = max(incidents_through, coalesce((SELECT max(seq) FROM incidents), 0)),
                    notes_through = max(notes_through, coalesce((SELECT max(seq) FROM notes), 0));
                """)
        }
    }
}

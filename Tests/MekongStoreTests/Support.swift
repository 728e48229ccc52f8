import Foundation
import GRDB
import MekongCore
@testable import MekongStore

/// The repository's root folder, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A fresh folder under the system's temporary directory, removed when the test is done.
final class TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("mekong-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// An in-memory database with the built-in reference data and one admin.
func seededDatabase() throws -> AppDatabase {
    let database = try AppDatabase.inMemory()
    _ = try database.loadReference(try ReferenceData.builtIn())
    try database.writer.write { db in
        try db.execute(sql: "INSERT INTO officers (code, name, role, created_at) VALUES ('ADMIN', 'Admin', 'admin', '2025-01-01T00:00:00.000Z')")
    }
    return database
}

func ndjson(_ lines: [String]) -> MemorySource {
    MemorySource(Array(lines.joined(separator: "\n").utf8))
}

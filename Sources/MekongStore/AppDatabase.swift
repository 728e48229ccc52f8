import Foundation
import GRDB
import MekongCore

/// The MekongWatch database: one SQLite file in WAL mode with foreign keys on, a busy timeout,
/// and the schema migrated to the version this program knows.
///
/// Every service takes an `AppDatabase`; nothing else opens the file.
public struct AppDatabase: Sendable {
    /// How to open the file.
    public struct Options: Sendable {
        /// Create the file (and its folder) when it does not exist. Only `init` and `demo` do.
        public var create = false
        /// Open a pool of connections for concurrent readers (the HTTP server) instead of one
        /// connection (a command-line run).
        public var pooled = false
        /// How long a writer waits for another process to finish before giving up (exit 75).
        public var busyTimeout: TimeInterval = 10

        public init(create: Bool = false, pooled: Bool = false, busyTimeout: TimeInterval = 10) {
            self.create = create
            self.pooled = pooled
            self.busyTimeout = busyTimeout
        }
    }

    /// The connection (or pool) all reads and writes go through.
    public let writer: any DatabaseWriter
    /// The file, or nil for an in-memory database.
    public let path: String?
    /// When set, `write` joins concurrent writes into shared transactions (the HTTP server).
    let committer: GroupCommitter?

    /// Opens (and if allowed creates) the database at `path` and migrates it.
    public static func open(at path: String, options: Options = Options()) throws(MekongError) -> AppDatabase {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        if isDirectory.boolValue {
            throw MekongError(.storage, "\(path) is a directory, not a database file")
        }
        if !exists {
            guard options.create else {
                throw MekongError(.storage, "no database at \(path) (run `mekong init` to create it, or name another with --db)")
            }
            try createPrivateFile(at: url)
        }
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(options.busyTimeout)
        config.label = "mekong"
        let traceSQL = ProcessInfo.processInfo.environment["MEKONG_TRACE_SQL"] == "1"
        config.prepareDatabase { db in
            // For developers: every statement on stderr.
            if traceSQL { db.trace { FileHandle.standardError.write(Data("sql: \($0)\n".utf8)) } }
            // WAL, set here rather than by GRDB's `.wal` option: that one also lowers
            // synchronous to NORMAL and writes a dummy table on every open when the WAL file is
            // absent (as it is after each command), which would make every read a write.
            if !db.configuration.readonly {
                guard try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") == "wal" else {
                    throw MekongError(.storage, "cannot put \(path) in WAL mode (is it on a network file system?)")
                }
            }
            // Full sync: a committed incident survives a power cut, not only a crash.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            let writer: any DatabaseWriter
            if options.pooled {
                // Enough for the server's lookup and long-read workers with room for the token
                // checks of writes waiting to join a commit; beyond that a read waits for one.
                config.maximumReaderCount = 16
                let pool = try DatabasePool(path: path, configuration: config)
                // The pool's own WAL set-up lowers synchronous on its writer; raise it again.
                try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
                writer = pool
            } else {
                writer = try DatabaseQueue(path: path, configuration: config)
            }
            let database = AppDatabase(writer: writer, path: path)
            try database.migrate()
            return database
        } catch let error as MekongError {
            throw error
        } catch {
            throw storageError(error, path: path)
        }
    }

    /// A fresh in-memory database, migrated: for tests.
    public static func inMemory() throws -> AppDatabase {
        var config = Configuration()
        config.foreignKeysEnabled = true
        let database = AppDatabase(writer: try DatabaseQueue(configuration: config), path: nil)
        try database.migrate()
        return database
    }

    init(writer: any DatabaseWriter, path: String?, committer: GroupCommitter? = nil) {
        self.writer = writer
        self.path = path
        self.committer = committer
    }

    /// The same database with group commit: writes made at the same time from several threads
    /// share one transaction and one fsync, each in its own savepoint (see `GroupCommitter`).
    /// For the HTTP server, where many offices post at once; a command-line run writes alone.
    public func groupingCommits() -> AppDatabase {
        AppDatabase(writer: writer, path: path, committer: GroupCommitter(writer: writer))
    }

    /// Brings the schema up to this program's version, refusing a database from a newer one.
    ///
    /// The check is a read, so a command on an up-to-date database writes nothing to open it.
    func migrate() throws {
        let migrator = Schema.migrator
        let (superseded, complete) = try writer.read { db in
            (try migrator.hasBeenSuperseded(db), try migrator.hasCompletedMigrations(db))
        }
        if superseded {
            throw MekongError(.storage, "\(path ?? "the database") was written by a newer version of mekong (its schema has migrations this version does not know); use that version or a newer one")
        }
        if !complete { try migrator.migrate(writer) }
    }

    /// Runs `body` in one write transaction (`BEGIN IMMEDIATE`), turning SQLite errors into
    /// messages a user can act on.
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            if let committer { return try committer.write(body) }
            return try writer.write(body)
        } catch let error as DatabaseError {
            throw AppDatabase.storageError(error, path: path)
        }
    }

    /// Runs `body` in one write transaction with SQLite's foreign-key enforcement off: for bulk
    /// imports, which check every district, checkpoint and officer they name against the
    /// reference data inside the same transaction, so SQLite's second look at each parent row
    /// is pure cost. Enforcement is back on before this returns.
    func bulkWrite<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA foreign_keys = OFF")
                defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        } catch let error as DatabaseError {
            throw AppDatabase.storageError(error, path: path)
        }
    }

    /// Runs `body` in one read transaction.
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.read(body)
        } catch let error as DatabaseError {
            throw AppDatabase.storageError(error, path: path)
        }
    }

    /// Runs `body`, which reads with a single statement, outside any explicit transaction: one
    /// statement sees one snapshot anyway, and the server makes these checks (a token, the
    /// change stamp) on every request, where BEGIN and COMMIT would cost more than the query.
    func readOne<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.unsafeRead(body)
        } catch let error as DatabaseError {
            throw AppDatabase.storageError(error, path: path)
        }
    }

    /// Creates an empty file readable and writable by its owner only (0600), and its folder
    /// (0700) when missing: the database is the evidence record.
    static func createPrivateFile(at url: URL) throws(MekongError) {
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw MekongError(.storage, "cannot create the folder \(folder.path): \(describe(error))")
        }
        let fd = Foundation.open(url.path, O_CREAT | O_EXCL | O_WRONLY, 0o600)
        if fd < 0 {
            if errno == EEXIST { return }
            throw MekongError(.storage, "cannot create \(url.path): \(String(cString: strerror(errno)))")
        }
        close(fd)
    }

    /// One line saying what went wrong with the file, with the exit kind that fits.
    static func storageError(_ error: any Error, path: String?) -> MekongError {
        let name = path ?? "the database"
        guard let error = error as? DatabaseError else {
            return MekongError(.storage, "\(name): \(describe(error))")
        }
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return MekongError(.busy, "\(name) is busy: another process is holding it; try again in a moment")
        case .SQLITE_NOTADB:
            return MekongError(.storage, "\(name) is not a SQLite database")
        case .SQLITE_CANTOPEN:
            return MekongError(.storage, "cannot open \(name) (check that its folder exists and is writable)")
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH:
            return MekongError(.storage, "cannot write \(name): permission denied or read-only")
        case .SQLITE_FULL:
            return MekongError(.storage, "cannot write \(name): the disk is full")
        case .SQLITE_CORRUPT:
            return MekongError(.storage, "\(name) is damaged (SQLite reports corruption); restore it from a backup")
        case .SQLITE_IOERR:
            return MekongError(.storage, "input/output error on \(name): \(error.message ?? "")")
        default:
            return MekongError(.failure, "database error on \(name): \(error.message ?? "\(error.resultCode)")")
        }
    }
}

func describe(_ error: any Error) -> String {
    if let error = error as? MekongError { return error.message }
    if let error = error as? CocoaError, let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError {
        return underlying.localizedDescription
    }
    return (error as NSError).localizedDescription
}

extension Bool {
    /// Whether `sql` returns a row. The statement is kept compiled on the connection: these
    /// checks run on every request of the server.
    static func exists(_ db: Database, sql: String, arguments: StatementArguments = StatementArguments()) throws -> Bool {
        try Row.fetchOne(db.cachedStatement(sql: sql), arguments: arguments) != nil
    }
}

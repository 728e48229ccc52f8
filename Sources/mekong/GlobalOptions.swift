import ArgumentParser
import Foundation
import MekongCore
import MekongReports
import MekongStore

extension OutputFormat: ExpressibleByArgument {}

/// The options every command takes (SPEC section 1).
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The SQLite database file (env MEKONG_DB; default $XDG_DATA_HOME/mekong/mekong.sqlite).", valueName: "path"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("The officer acting, for commands that change data (env MEKONG_OFFICER).", valueName: "code"))
    var officer: String?

    @Option(name: .long, help: ArgumentHelp("Output shape: table, json, ndjson, csv or markdown (default: table on a terminal, json otherwise).", valueName: "format"))
    var format: OutputFormat?

    @Option(name: .long, help: ArgumentHelp("Time zone for reports and date filters (env MEKONG_TZ; default: the database's).", valueName: "zone"))
    var tz: String?

    /// The database path from `--db`, `MEKONG_DB`, or the XDG default.
    var databasePath: String {
        if let db, !db.isEmpty { return db }
        let environment = ProcessInfo.processInfo.environment
        if let db = environment["MEKONG_DB"], !db.isEmpty { return db }
        return GlobalOptions.defaultDatabasePath(environment: environment)
    }

    static func defaultDatabasePath(environment: [String: String]) -> String {
        let base: String
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            base = xdg
        } else {
            base = (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share"
        }
        return base + "/mekong/mekong.sqlite"
    }

    /// The acting officer from `--officer` or `MEKONG_OFFICER`.
    var actingOfficer: String? {
        if let officer, !officer.isEmpty { return officer }
        if let officer = ProcessInfo.processInfo.environment["MEKONG_OFFICER"], !officer.isEmpty { return officer }
        return nil
    }

    /// The output shape asked for, or the default for where stdout goes; refuses a shape the
    /// command does not offer.
    func outputFormat(offered: [OutputFormat] = [.table, .json, .ndjson, .csv, .markdown]) throws -> OutputFormat {
        let chosen = format ?? (Output.stdoutIsTerminal ? .table : .json)
        guard offered.contains(chosen) else {
            throw ValidationError("this command prints \(offered.map(\.rawValue).joined(separator: ", ")), not \(chosen.rawValue)")
        }
        return chosen
    }

    /// The zone from `--tz` or `MEKONG_TZ`, or nil for the database's own.
    func zone() throws -> LocalCalendar? {
        let name = tz ?? ProcessInfo.processInfo.environment["MEKONG_TZ"]
        guard let name, !name.isEmpty else { return nil }
        guard let calendar = LocalCalendar(identifier: name) else {
            throw ValidationError("unknown time zone \(quoted(name)) (expected an IANA name such as Asia/Bangkok)")
        }
        return calendar
    }

    /// How long a write waits for another process before giving up with exit 75: 10 s, or
    /// `MEKONG_BUSY_TIMEOUT` seconds.
    var busyTimeout: TimeInterval {
        ProcessInfo.processInfo.environment["MEKONG_BUSY_TIMEOUT"].flatMap(TimeInterval.init) ?? 10
    }

    /// Opens the existing database (never creates one: only `init` and `demo` do).
    func openDatabase(create: Bool = false) throws -> AppDatabase {
        try AppDatabase.open(at: databasePath, options: .init(create: create, busyTimeout: busyTimeout))
    }
}

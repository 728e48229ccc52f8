import ArgumentParser
import Foundation
import MekongCore
import MekongReports
import MekongStore

struct DatabaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Check, back up and restore the database file.",
        subcommands: [DatabaseCheckCommand.self, DatabaseBackupCommand.self, DatabaseRestoreCommand.self]
    )
}

func printChecks(_ checks: [DatabaseCheck], format: OutputFormat, heading: String) -> Bool {
    let ok = checks.allSatisfy(\.ok)
    if format == .json {
        var json = JSONWriter(pretty: true)
        json.beginObject()
        json.field("ok", ok)
        json.key("checks")
        json.beginArray()
        for check in checks {
            json.beginObject()
            json.field("name", check.name)
            json.field("ok", check.ok)
            json.field("detail", check.detail)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        Output.write(json.text + "\n")
    } else {
        Output.write(heading + "\n" + checks.map { "  \($0.ok ? "ok   " : "FAULT") \($0.name): \($0.detail)" }.joined(separator: "\n") + "\n")
    }
    for check in checks where !check.ok { Output.error("\(check.name): \(check.detail)") }
    return ok
}

struct DatabaseCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check integrity, foreign keys, schema version, the audit trail and the store's own copies (exit 1 on a fault).",
        discussion: """
            Examples:
              mekong db check
              mekong db check --db /media/usb/backup-2025-06-30.sqlite --format json
            """
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let format = try global.outputFormat(offered: [.table, .json])
        let ok = printChecks(try global.openDatabase().check(), format: format, heading: "Checked \(global.databasePath)")
        if !ok { throw ExitCode(1) }
    }
}

struct DatabaseBackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the database with SQLite's online backup, safely while others write; the copy is checked (admins).",
        discussion: """
            The copy is one consistent moment of the database, readable by its owner only. It holds everything, informant details included: keep it as safe as the database.

            Examples:
              mekong db backup /media/usb/mekong-2025-06-30.sqlite --officer ADMIN1
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The backup file to write.") var path: String
    @Flag(help: "Replace the file if it exists.") var force = false

    func run() throws {
        let format = try global.outputFormat(offered: [.table, .json])
        let checks = try global.openDatabase().backup(to: path, force: force, officer: global.actingOfficer)
        if !printChecks(checks, format: format, heading: "Backed up to \(path); the copy:") { throw ExitCode(1) }
    }
}

struct DatabaseRestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Replace the database with a backup that passes db check; refuses to overwrite newer data without --force (admins).",
        discussion: """
            Examples:
              mekong db restore /media/usb/mekong-2025-06-30.sqlite --officer ADMIN1
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The backup file to restore.") var path: String
    @Flag(help: "Restore even over a database with changes the backup lacks.") var force = false

    func run() throws {
        _ = try global.outputFormat(offered: [.table, .json])
        try global.openDatabase(create: true).restore(from: path, force: force, officer: global.actingOfficer)
        Output.note("Restored \(global.databasePath) from \(path)")
    }
}

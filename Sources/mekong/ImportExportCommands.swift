import ArgumentParser
import Foundation
import MekongCore
import MekongReports
import MekongStore

extension RecordFormat: ExpressibleByArgument {}

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import incidents from NDJSON or CSV: validated, all or nothing, duplicates skipped (supervisors).",
        discussion: """
            Every record is held to the rules of `incident log`. By default one bad record refuses the whole file: each problem is listed as `line N, field "x": …` on stderr, the exit status is 65 and nothing is written. With --skip-invalid the good records are imported and the refused ones written, with their reasons, to a rejects file you can fix and import again. Records whose id is in the database already (or earlier in the file) are skipped and counted, so importing a file twice, or another database's export, never doubles anything. The format comes from the file name (.ndjson, .jsonl, .csv) or --input-format; - reads standard input. One audit entry names the file's SHA-256 and the counts.

            Examples:
              mekong import partner-unit-june.csv --officer MS-SUP1
              mekong import export.ndjson --dry-run --officer MS-SUP1
              mekong import old-spreadsheet.csv --skip-invalid --rejects fix-me.csv --officer MS-SUP1
              cat records.ndjson | mekong import - --input-format ndjson --officer MS-SUP1
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The file to import; - for standard input.") var file: String
    @Option(name: .customLong("input-format"), help: "ndjson or csv (default: from the file name).") var inputFormat: RecordFormat?
    @Flag(name: .customLong("skip-invalid"), help: "Import the good records; write the refused ones to the rejects file.") var skipInvalid = false
    @Flag(name: .customLong("dry-run"), help: "Check every record; write nothing.") var dryRun = false
    @Option(help: ArgumentHelp("Where --skip-invalid writes refused records (default: FILE.rejects.ndjson or .csv beside the file).", valueName: "path"))
    var rejects: String?

    func run() throws {
        let format = try global.outputFormat(offered: [.table, .json])
        let source = try FileSource(path: file)
        guard let recordFormat = inputFormat ?? RecordFormat(fileName: file) else {
            throw ValidationError("cannot tell the format of \(quoted(file)) from its name: add --input-format ndjson or --input-format csv")
        }
        if rejects != nil && !skipInvalid { throw ValidationError("--rejects goes with --skip-invalid") }
        var rejectsPath: String?
        if skipInvalid && !dryRun {
            guard let path = rejects ?? (file == "-" ? nil : file + ".rejects." + recordFormat.rawValue) else {
                throw ValidationError("with --skip-invalid on standard input, name the rejects file with --rejects PATH")
            }
            rejectsPath = path
        }
        if file == "-" && Output.stdinIsTerminal {
            throw ValidationError("standard input is a terminal: pipe a file into mekong import -, or name the file")
        }
        let database = try global.openDatabase()
        var options = ImportOptions(skipInvalid: skipInvalid, dryRun: dryRun, officer: global.actingOfficer)
        options.sourceName = file == "-" ? "standard input" : file
        options.rejectsPath = rejectsPath
        let bar = ProgressBar.make(total: source.totalBytes)
        if let bar { options.progress = { @Sendable bytes, records in bar.update(bytes: bytes, records: records) } }
        let outcome: ImportOutcome
        do {
            outcome = try database.importIncidents(from: source, format: recordFormat, options: options)
            bar?.finish()
        } catch {
            bar?.finish()
            throw error
        }
        for problem in outcome.problems { Output.error(problem.description) }
        if outcome.unreportedProblems > 0 { Output.error("… and \(outcome.unreportedProblems) more problems") }
        if format == .json {
            var json = JSONWriter(pretty: true)
            json.beginObject()
            json.field("file", options.sourceName)
            json.field("format", recordFormat.rawValue)
            json.field("sha256", outcome.sha256)
            json.field("dry_run", outcome.dryRun)
            json.field("records", outcome.records)
            json.field(outcome.dryRun ? "would_import" : "imported", outcome.inserted)
            json.field("duplicates", outcome.duplicates)
            json.field("rejected", outcome.rejected)
            json.field("rejects_file", outcome.rejected > 0 ? outcome.rejectsPath : nil)
            json.endObject()
            Output.write(json.text + "\n")
        } else {
            let verb = outcome.dryRun ? "Checked" : "Imported"
            let imported = outcome.dryRun ? "\(grouped(outcome.inserted)) would be imported" : "\(grouped(outcome.inserted)) imported"
            var line = "\(verb) \(options.sourceName): \(grouped(outcome.records)) records, \(imported), \(grouped(outcome.duplicates)) duplicates skipped, \(grouped(outcome.rejected)) refused"
            if outcome.rejected > 0, let path = outcome.rejectsPath { line += " (written to \(path))" }
            Output.write(line + "\n")
        }
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export incidents as NDJSON, CSV or a JSON array, oldest first; --redact for partner agencies.",
        discussion: """
            Takes the filters of `incident list`. Records are written as they are read, so an export of any size runs in flat memory; with --output the file appears only when complete. --redact leaves out what identifies people inside the service (officer codes; informant details and notes are never exported) and rounds coordinates to 0.1°, keeping all other fields, free text included. An export imports into another database unchanged (case numbers and officers are those of the importing database).

            Examples:
              mekong export --output incidents-2025.ndjson --since 2025-01-01 --until 2025-12-31
              mekong export --format csv --district 5709 > mae-sai.csv
              mekong export --redact --output for-bokeo.ndjson --since 2025-06-01
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var filters: IncidentFilterOptions
    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "path")) var output: String?
    @Flag(help: "Leave out officer codes and round coordinates to 0.1°: a copy fit to share with a partner agency.") var redact = false

    func run() throws {
        let exportFormat: ExportFormat
        switch global.format {
        case nil, .ndjson?: exportFormat = .ndjson
        case .csv?: exportFormat = .csv
        case .json?: exportFormat = .json
        case let other?: throw ValidationError("export writes ndjson, csv or json, not \(other.rawValue)")
        }
        let database = try global.openDatabase()
        let filter = try filters.filter()
        let zone = try global.zone()
        guard let output else {
            try database.exportIncidents(filter, zone: zone, format: exportFormat, redacted: redact) { Output.write(bytes: $0) }
            return
        }
        // Write beside the target, then move it into place: no half-written export.
        let partial = output + ".partial"
        guard FileManager.default.createFile(atPath: partial, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: partial) else {
            throw MekongError(.storage, "cannot write \(output)")
        }
        do {
            let count = try database.exportIncidents(filter, zone: zone, format: exportFormat, redacted: redact) { handle.write(Data($0)) }
            try handle.synchronize()
            try handle.close()
            if FileManager.default.fileExists(atPath: output) { try FileManager.default.removeItem(atPath: output) }
            try FileManager.default.moveItem(atPath: partial, toPath: output)
            Output.note("Exported \(grouped(count)) incidents to \(output)\(redact ? " (redacted)" : "")")
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
    }
}

struct TrafficCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "traffic",
        abstract: "Daily crossings through checkpoints.",
        subcommands: [TrafficLog.self, TrafficImport.self]
    )
}

struct TrafficImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import daily checkpoint traffic from CSV (supervisors): all or nothing; a day given again replaces it.",
        discussion: """
            Columns: checkpoint,date,persons_in,persons_out,vehicles_in,vehicles_out,out_of_hours (out_of_hours optional, default 0). The date is a local date. A checkpoint and date already stored, or given twice in the file, takes the last figures given. One bad row refuses the file, listing every problem by line and field.

            Examples:
              mekong checkpoint traffic import june-crossings.csv --officer MS-SUP1
              mekong checkpoint traffic import june-crossings.csv --dry-run --officer MS-SUP1
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The CSV file; - for standard input.") var file: String
    @Flag(name: .customLong("dry-run"), help: "Check every row; write nothing.") var dryRun = false

    func run() throws {
        let format = try global.outputFormat(offered: [.table, .json])
        let source = try FileSource(path: file)
        let database = try global.openDatabase()
        var options = ImportOptions(dryRun: dryRun, officer: global.actingOfficer)
        options.sourceName = file == "-" ? "standard input" : file
        let bar = ProgressBar.make(total: source.totalBytes)
        if let bar { options.progress = { @Sendable bytes, records in bar.update(bytes: bytes, records: records) } }
        let outcome: TrafficImportOutcome
        do {
            outcome = try database.importTraffic(from: source, options: options)
            bar?.finish()
        } catch {
            bar?.finish()
            throw error
        }
        if format == .json {
            var json = JSONWriter(pretty: true)
            json.beginObject()
            json.field("file", options.sourceName)
            json.field("sha256", outcome.sha256)
            json.field("dry_run", outcome.dryRun)
            json.field("rows", outcome.rows)
            json.field("days", outcome.days)
            json.field("replaced", outcome.replaced)
            json.endObject()
            Output.write(json.text + "\n")
        } else {
            Output.write("\(outcome.dryRun ? "Checked" : "Imported") \(options.sourceName): \(grouped(outcome.rows)) rows, \(grouped(outcome.days)) checkpoint days (\(grouped(outcome.replaced)) replaced figures stored before)\n")
        }
    }
}

import ArgumentParser
import Foundation
import MekongCore
import MekongReports
import MekongStore

extension TrendStep: ExpressibleByArgument {}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "District summaries, the checkpoint utilisation review, trends, and a printable briefing.",
        discussion: """
            Periods are inclusive local dates in the database's time zone (or --tz): an incident at 2025-06-30T20:00:00Z is on 1 July in Chiang Rai. Every report prints as a table, json, csv or markdown; --format html writes one self-contained page (charts included) to stdout or --output.
            """,
        subcommands: [DistrictReportCommand.self, CheckpointReportCommand.self, TrendReportCommand.self, BriefingCommand.self]
    )
}

/// `--from` and `--to`, required.
struct PeriodOptions: ParsableArguments {
    @Option(help: ArgumentHelp("First local date of the period (YYYY-MM-DD).", valueName: "date")) var from: String
    @Option(help: ArgumentHelp("Last local date of the period, inclusive (YYYY-MM-DD).", valueName: "date")) var to: String

    func period() throws -> Period {
        guard let start = LocalDate(from) else { throw ValidationError("--from \(quoted(from)) is not a date YYYY-MM-DD") }
        guard let end = LocalDate(to) else { throw ValidationError("--to \(quoted(to)) is not a date YYYY-MM-DD") }
        return try Period(from: start, to: end)
    }
}

/// Where a report goes: stdout, or a file written whole.
struct ReportOutput: ParsableArguments {
    @Option(help: ArgumentHelp("Write the report to this file (an HTML briefing, say).", valueName: "path")) var output: String?

    func write(_ text: String) throws {
        guard let output else {
            Output.write(text)
            return
        }
        let partial = output + ".partial"
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: partial))
            if FileManager.default.fileExists(atPath: output) { try FileManager.default.removeItem(atPath: output) }
            try FileManager.default.moveItem(atPath: partial, toPath: output)
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw MekongError(.storage, "cannot write \(output)")
        }
        Output.note("Wrote \(output)")
    }
}

func render(_ table: TextTable, _ format: OutputFormat) -> String {
    format == .csv ? table.renderCSV() : table.renderMarkdown()
}

struct DistrictReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "districts",
        abstract: "Every district: incidents by type, people, losses, seizures in canonical units, large seizures, and the previous period.",
        discussion: """
            A large seizure is an incident with at least 1,000,000 tablets or 100 kg of one item. The previous period has the same number of days and ends the day before --from.

            Examples:
              mekong report districts --from 2025-01-01 --to 2025-12-31
              mekong report districts --from 2025-06-01 --to 2025-06-30 --district 5709 --format json
              mekong report districts --from 2025-01-01 --to 2025-12-31 --format html --output chiang-rai-2025.html
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var period: PeriodOptions
    @Option(help: ArgumentHelp("Only this district (code).", valueName: "code")) var district: String?
    @OptionGroup var output: ReportOutput

    func run() throws {
        let format = try global.outputFormat(offered: [.table, .json, .csv, .markdown, .html])
        let database = try global.openDatabase()
        let report = try DistrictReport.build(database, period: try period.period(), zone: try global.zone(), district: district)
        switch format {
        case .json, .ndjson: try output.write(report.json(pretty: true))
        case .csv, .markdown: try output.write(render(report.flatTable(), format))
        case .html:
            try output.write(HTMLBriefing(title: "District summary", province: try database.province(), districts: report,
                                          generatedAt: nowText()).render())
        case .table: try output.write(report.text())
        }
    }
}

struct CheckpointReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoints",
        abstract: "The checkpoint utilisation review: traffic, averages against peers of the same kind, the under-used, incidents per crossing.",
        discussion: """
            A checkpoint's utilisation ratio is its average daily persons over the median of that average among the checkpoints of the same kind with traffic in the period (itself included). Below --threshold (default 0.25) it is marked under-used. The under-used come first, then the busiest.

            Examples:
              mekong report checkpoints --from 2025-06-01 --to 2025-06-30
              mekong report checkpoints --from 2025-01-01 --to 2025-06-30 --threshold 0.3 --format json
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var period: PeriodOptions
    @Option(help: "Ratio below which a checkpoint is under-used.") var threshold: Double = CheckpointReview.defaultThreshold
    @OptionGroup var output: ReportOutput

    func run() throws {
        let format = try global.outputFormat(offered: [.table, .json, .csv, .markdown, .html])
        let database = try global.openDatabase()
        let review = try CheckpointReview.build(database, period: try period.period(), threshold: threshold, zone: try global.zone())
        switch format {
        case .json, .ndjson: try output.write(review.json(pretty: true))
        case .csv, .markdown: try output.write(render(review.table(), format))
        case .html:
            try output.write(HTMLBriefing(title: "Checkpoint utilisation review", province: try database.province(), checkpoints: review,
                                          generatedAt: nowText()).render())
        case .table: try output.write(review.text())
        }
    }
}

struct TrendReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trend",
        abstract: "Incidents and seizures per week or month, for spotting rises.",
        discussion: """
            Weeks run Monday to Sunday and are named by their Monday; months by YYYY-MM. Every week or month of the period is listed, with zeros where nothing happened (the first and last may be partial). Without --from/--to: the twelve months up to today.

            Examples:
              mekong report trend --by month --from 2025-01-01 --to 2025-12-31
              mekong report trend --by week --type drug_seizure --district 5709 --from 2025-06-01 --to 2025-08-31
            """
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "week or month.") var by: TrendStep = .month
    @Option(help: ArgumentHelp("Only this type.", valueName: "type")) var type: String?
    @Option(help: ArgumentHelp("Only this district (code).", valueName: "code")) var district: String?
    @Option(help: ArgumentHelp("First local date (default: a year before --to).", valueName: "date")) var from: String?
    @Option(help: ArgumentHelp("Last local date (default: today).", valueName: "date")) var to: String?
    @OptionGroup var output: ReportOutput

    func run() throws {
        let format = try global.outputFormat(offered: [.table, .json, .csv, .markdown, .html])
        let database = try global.openDatabase()
        let zone = try global.zone() ?? database.calendar()
        let end = try to.map { text throws -> LocalDate in
            guard let date = LocalDate(text) else { throw ValidationError("--to \(quoted(text)) is not a date YYYY-MM-DD") }
            return date
        } ?? zone.localDate(ofInstant: Int64(Date().timeIntervalSince1970 * 1000))
        let start = try from.map { text throws -> LocalDate in
            guard let date = LocalDate(text) else { throw ValidationError("--from \(quoted(text)) is not a date YYYY-MM-DD") }
            return date
        } ?? twelveMonthsEnding(end)
        let incidentType = try type.map { try parseChoice(IncidentType.self, $0, option: "--type") }
        let trend = try TrendReport.build(database, period: try Period(from: start, to: end), step: by, type: incidentType,
                                          district: district, zone: try global.zone())
        switch format {
        case .json, .ndjson: try output.write(trend.json(pretty: true))
        case .csv, .markdown:
            var table = trend.table()
            table.columns.removeLast()
            table.rows = table.rows.map { Array($0.dropLast()) }
            try output.write(render(table, format))
        case .html:
            try output.write(HTMLBriefing(title: "Trend", province: try database.province(), trend: trend, generatedAt: nowText()).render())
        case .table: try output.write(trend.text())
        }
    }
}

struct BriefingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "briefing",
        abstract: "The district summary, monthly trend and checkpoint review of a period on one printable HTML page.",
        discussion: """
            One self-contained file (no network, charts in inline SVG, Thai names beside English ones) a district chief can open on any laptop and print.

            Examples:
              mekong report briefing --from 2025-01-01 --to 2025-12-31 --output briefing-2025.html
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var period: PeriodOptions
    @Option(help: "Ratio below which a checkpoint is under-used.") var threshold: Double = CheckpointReview.defaultThreshold
    @Option(help: "week or month, for the trend.") var by: TrendStep = .month
    @OptionGroup var output: ReportOutput

    func run() throws {
        if let format = global.format, format != .html { throw ValidationError("the briefing is an HTML page; use --format html or leave --format out") }
        let database = try global.openDatabase()
        let range = try period.period()
        let zone = try global.zone()
        let briefing = HTMLBriefing(
            title: "Border incidents briefing", province: try database.province(),
            districts: try DistrictReport.build(database, period: range, zone: zone),
            trend: try TrendReport.build(database, period: range, step: by, zone: zone),
            checkpoints: try CheckpointReview.build(database, period: range, threshold: threshold, zone: zone),
            generatedAt: nowText())
        try output.write(briefing.render())
    }
}

/// The first day of the month eleven months before `date`'s: twelve whole months up to it.
func twelveMonthsEnding(_ date: LocalDate) -> LocalDate {
    let months = date.year * 12 + (date.month - 1) - 11
    return LocalDate(year: months / 12, month: months % 12 + 1, day: 1)!
}

func nowText() -> String {
    String(Timestamp.utc(milliseconds: Int64(Date().timeIntervalSince1970 * 1000)).prefix(16)).replacingOccurrences(of: "T", with: " ") + " UTC"
}

struct TrafficLog: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Log one day's crossings through a checkpoint (officers and above); a day logged again is replaced.",
        discussion: """
            Examples:
              mekong checkpoint traffic log --checkpoint MS1 --date 2025-06-24 --persons-in 1240 --persons-out 1185 \\
                  --vehicles-in 310 --vehicles-out 296 --out-of-hours 2 --officer MS-OFF1
            """
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("Checkpoint code.", valueName: "code")) var checkpoint: String
    @Option(help: ArgumentHelp("The local date (YYYY-MM-DD).", valueName: "date")) var date: String
    @Option(name: .customLong("persons-in")) var personsIn: Int
    @Option(name: .customLong("persons-out")) var personsOut: Int
    @Option(name: .customLong("vehicles-in")) var vehiclesIn: Int
    @Option(name: .customLong("vehicles-out")) var vehiclesOut: Int
    @Option(name: .customLong("out-of-hours"), help: "Crossings outside official hours.") var outOfHours = 0

    func run() throws {
        let format = try global.outputFormat(offered: [.table, .json])
        let (day, replaced) = try global.openDatabase().logTraffic([
            "checkpoint": checkpoint, "date": date, "persons_in": String(personsIn), "persons_out": String(personsOut),
            "vehicles_in": String(vehiclesIn), "vehicles_out": String(vehiclesOut), "out_of_hours": String(outOfHours),
        ], officer: global.actingOfficer)
        if format == .json {
            var json = JSONWriter(pretty: true)
            RecordRendering.trafficDay(day, replaced: replaced, to: &json)
            Output.write(json.text + "\n")
        } else {
            Output.write("\(replaced ? "Replaced" : "Logged") traffic at \(day.checkpoint) on \(day.date): \(grouped(day.personsIn + day.personsOut)) persons, \(grouped(day.vehiclesIn + day.vehiclesOut)) vehicles\n")
        }
    }
}

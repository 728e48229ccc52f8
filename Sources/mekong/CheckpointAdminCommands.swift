import ArgumentParser
import MekongCore
import MekongReports
import MekongStore

extension CheckpointKind: ExpressibleByArgument {}
extension CheckpointStatus: ExpressibleByArgument {}

/// `HH:MM`, or an empty string to clear.
func parseHours(_ text: String?, option: String) throws -> LocalTimeOfDay?? {
    guard let text else { return nil }
    if text.isEmpty { return .some(nil) }
    guard let time = LocalTimeOfDay(text) else { throw ValidationError("\(option) \(quoted(text)) is not a local time HH:MM") }
    return .some(time)
}

struct CheckpointAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a checkpoint to the reference data (admins; audited).",
        discussion: """
            Examples:
              mekong checkpoint add RFT2 --name "Ban Romfa Thai (relocated trade point)" --kind trade_point --district 5703 --status proposed --officer ADMIN1
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "A short, stable, upper-case code (MS3, FB5).") var code: String
    @Option var name: String
    @Option(name: .customLong("name-local"), help: "The name in Thai.") var nameLocal = ""
    @Option(help: "permanent, temporary, trade_point, customary, river_pier or inland.") var kind: CheckpointKind
    @Option(help: ArgumentHelp("The district it lies in.", valueName: "code")) var district: String
    @Option var lat: Double?
    @Option var lon: Double?
    @Option(help: "The place across the border it faces.") var counterpart = ""
    @Option(help: ArgumentHelp("Opening time, local.", valueName: "HH:MM")) var opens: String?
    @Option(help: ArgumentHelp("Closing time, local.", valueName: "HH:MM")) var closes: String?
    @Option(help: "active, suspended, proposed or closed.") var status: CheckpointStatus = .active
    @Option var notes = ""

    func run() throws {
        let format = try global.outputFormat(offered: [.table, .json])
        let checkpoint = Checkpoint(code: code, name: name, nameLocal: nameLocal, kind: kind, district: district, latitude: lat,
                                    longitude: lon, counterpart: counterpart, opens: try parseHours(opens, option: "--opens") ?? nil,
                                    closes: try parseHours(closes, option: "--closes") ?? nil, status: status, notes: notes)
        let added = try global.openDatabase().addCheckpoint(checkpoint, officer: global.actingOfficer)
        printCheckpoint(added, format: format, verb: "Added")
    }
}

struct CheckpointUpdate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Change a checkpoint: status, hours, place (admins; audited). Checkpoints are never deleted.",
        discussion: """
            A relocated, suspended or proposed checkpoint changes status, so past incidents and traffic keep their place. An empty --opens "" or --district "" clears the value.

            Examples:
              mekong checkpoint update RPT --status suspended --notes "Relocation to Ban Romfa Thai agreed" --officer ADMIN1
              mekong checkpoint update MS1 --opens 06:30 --closes 21:00 --officer ADMIN1
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument var code: String
    @Option var name: String?
    @Option(name: .customLong("name-local")) var nameLocal: String?
    @Option var kind: CheckpointKind?
    @Option(help: ArgumentHelp("The district it lies in (empty to clear).", valueName: "code")) var district: String?
    @Option var lat: Double?
    @Option var lon: Double?
    @Option var counterpart: String?
    @Option(help: ArgumentHelp("Opening time, local (empty to clear).", valueName: "HH:MM")) var opens: String?
    @Option(help: ArgumentHelp("Closing time, local (empty to clear).", valueName: "HH:MM")) var closes: String?
    @Option var status: CheckpointStatus?
    @Option var notes: String?

    func run() throws {
        let format = try global.outputFormat(offered: [.table, .json])
        var changes = CheckpointChanges()
        changes.name = name
        changes.nameLocal = nameLocal
        changes.kind = kind
        changes.district = district.map { $0.isEmpty ? nil : $0 }
        changes.latitude = lat
        changes.longitude = lon
        changes.counterpart = counterpart
        changes.opens = try parseHours(opens, option: "--opens")
        changes.closes = try parseHours(closes, option: "--closes")
        changes.status = status
        changes.notes = notes
        let updated = try global.openDatabase().updateCheckpoint(code, changes: changes, officer: global.actingOfficer)
        printCheckpoint(updated, format: format, verb: "Updated")
    }
}

func printCheckpoint(_ checkpoint: Checkpoint, format: OutputFormat, verb: String) {
    if format == .json {
        var json = JSONWriter(pretty: true)
        RecordRendering.checkpoint(checkpoint, to: &json)
        Output.write(json.text + "\n")
    } else {
        Output.write("\(verb) checkpoint \(checkpoint.code) (\(checkpoint.name)), \(checkpoint.kind.rawValue), \(checkpoint.status.rawValue)\n")
    }
}

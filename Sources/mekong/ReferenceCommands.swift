import ArgumentParser
import MekongCore
import MekongReports
import MekongStore

struct DistrictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "district",
        abstract: "The districts of the province.",
        subcommands: [DistrictList.self]
    )
}

struct DistrictList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the districts, with Thai names and borders.",
        discussion: """
            Examples:
              mekong district list
              mekong district list --format csv > districts.csv
            """
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let format = try global.outputFormat()
        let districts = try global.openDatabase().districts()
        var table = TextTable([.init("Code"), .init("Name"), .init("Thai"), .init("Border"), .init("Lat", .right), .init("Lon", .right), .init("Notes")])
        for district in districts {
            table.append([district.code, district.name, district.nameLocal, district.border.joined(separator: ";"),
                          district.latitude.map(formatNumber) ?? "", district.longitude.map(formatNumber) ?? "", district.notes])
        }
        Listing(name: "districts", table: table, records: districts.map { district in
            { json in RecordRendering.district(district, to: &json) }
        }).print(as: format)
    }
}

struct CheckpointCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Checkpoints and crossing points: facilities with kinds, hours and status.",
        subcommands: [CheckpointList.self, CheckpointAdd.self, CheckpointUpdate.self, TrafficCommand.self]
    )
}

struct CheckpointList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List checkpoints, all or of one district.",
        discussion: """
            Examples:
              mekong checkpoint list
              mekong checkpoint list --district 5709 --format json
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Only the checkpoints of this district (its code, e.g. 5709).", valueName: "code"))
    var district: String?

    func run() throws {
        let format = try global.outputFormat()
        let checkpoints = try global.openDatabase().checkpoints(district: district)
        var table = TextTable([.init("Code"), .init("Name"), .init("Thai"), .init("Kind"), .init("District"),
                               .init("Status"), .init("Hours"), .init("Counterpart")])
        for checkpoint in checkpoints {
            let hours = checkpoint.opens.map { opens in "\(opens)–\(checkpoint.closes?.description ?? "?")" } ?? ""
            table.append([checkpoint.code, checkpoint.name, checkpoint.nameLocal, checkpoint.kind.rawValue,
                          checkpoint.district ?? "", checkpoint.status.rawValue, hours, checkpoint.counterpart])
        }
        Listing(name: "checkpoints", table: table, records: checkpoints.map { checkpoint in
            { json in RecordRendering.checkpoint(checkpoint, to: &json) }
        }).print(as: format)
    }
}

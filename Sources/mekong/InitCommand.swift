import ArgumentParser
import MekongCore
import MekongStore

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create or migrate the database and load the reference data (safe to run again).",
        discussion: """
            Loads the province, districts, checkpoints and agencies built into mekong (Chiang Rai), or those of another province from a folder of the same CSV files. Rows already in the database are kept as they are, so running init again never undoes an admin's change.

            Examples:
              mekong init
              mekong init --db /srv/mekong/chiang-rai.sqlite
              mekong init --reference ./provinces/bokeo
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("A folder holding province.csv, districts.csv, checkpoints.csv and agencies.csv.", valueName: "dir"))
    var reference: String?

    func run() throws {
        let format = try global.outputFormat(offered: [.table, .json])
        let data = try reference.map { path throws(MekongError) in try ReferenceData.load(from: path) } ?? ReferenceData.builtIn()
        let database = try global.openDatabase(create: true)
        let summary = try database.loadReference(data)
        let path = global.databasePath
        switch format {
        case .json:
            var json = JSONWriter(pretty: true)
            json.beginObject()
            json.field("database", path)
            json.field("province", summary.province)
            json.field("time_zone", summary.timeZone)
            for (name, total, added) in [("districts", summary.districtsTotal, summary.districtsAdded),
                                         ("checkpoints", summary.checkpointsTotal, summary.checkpointsAdded),
                                         ("agencies", summary.agenciesTotal, summary.agenciesAdded)] {
                json.key(name)
                json.beginObject()
                json.field("total", total)
                json.field("added", added)
                json.endObject()
            }
            json.key("kept_different")
            json.beginArray()
            for name in summary.keptDifferent { json.string(name) }
            json.endArray()
            json.endObject()
            Output.write(json.text + "\n")
        default:
            Output.write("""
                Database \(path)
                Province \(summary.province), time zone \(summary.timeZone)
                Districts \(summary.districtsTotal) (\(summary.districtsAdded) added), checkpoints \(summary.checkpointsTotal) (\(summary.checkpointsAdded) added), agencies \(summary.agenciesTotal) (\(summary.agenciesAdded) added)

                """)
            if !summary.keptDifferent.isEmpty {
                Output.write("Kept as they are in the database (they differ from the reference files): \(summary.keptDifferent.joined(separator: ", "))\n")
            }
        }
    }
}

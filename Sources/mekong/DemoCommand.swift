import ArgumentParser
import MekongCore
import MekongReports
import MekongStore

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create the database if needed, load the demo incidents once, and print the 2025 district summary.",
        discussion: """
            Uses the default database (or --db / MEKONG_DB). The demo incidents have fixed ids, so running demo again adds nothing. The summary counts local dates in the database's time zone: an incident at 2025-12-31T18:30:00Z is on 1 January 2026 in Chiang Rai.

            Examples:
              mekong demo
              mekong demo --format json | jq '.totals.seizures'
            """
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let format = try global.outputFormat(offered: [.table, .json])
        let zone = try global.zone()
        let database = try global.openDatabase(create: true)
        let reference = try database.loadReference(try ReferenceData.builtIn())
        if reference.addedAnything {
            Output.note("Created \(global.databasePath) with the reference data of \(reference.province) (\(reference.districtsTotal) districts, \(reference.checkpointsTotal) checkpoints).")
        }
        let outcome = try Demo.load(into: database)
        Output.note("Demo incidents: \(outcome.inserted) loaded, \(outcome.duplicates) already in the database.")
        let report = try DistrictReport.build(database, period: .year(2025), zone: zone)
        switch format {
        case .json: Output.write(report.json(pretty: true))
        default: Output.write(report.text())
        }
    }
}

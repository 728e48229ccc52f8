import ArgumentParser
import MekongCore
import MekongReports
import MekongStore

extension Role: ExpressibleByArgument {}

struct OfficerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "officer",
        abstract: "The officers who act in the system, and their roles.",
        discussion: """
            Roles: officer (log, update, note and link incidents; log traffic), supervisor (also close, reopen, assign, import, read informant details), analyst (read only), admin (everything, including officers and reference data).

            On a shared machine the command line's roles guard against mistakes: anyone at the keyboard can name any officer with --officer. The HTTP API (`mekong serve`) enforces the same roles with credentials.
            """,
        subcommands: [OfficerAdd.self, OfficerList.self, OfficerUpdate.self, OfficerTokenCommand.self]
    )
}

struct OfficerAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add an officer (admins; the first officer of a database must be an admin and needs no --officer).",
        discussion: """
            Examples:
              mekong officer add ADMIN1 --name "Somchai Srisuk" --role admin
              mekong officer add MS-OFF1 --name "Niran Kaewkla" --role officer --agency PS-MS --officer ADMIN1
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The officer's code: 1–32 letters, digits, '.', '_' or '-'.") var code: String
    @Option(help: "Full name.") var name: String
    @Option(help: "officer, supervisor, analyst or admin.") var role: Role
    @Option(help: "The agency the officer belongs to (see seeds/agencies.csv).") var agency: String?

    func run() throws {
        let format = try global.outputFormat(offered: [.table, .json])
        let officer = try global.openDatabase().addOfficer(Officer(code: code, name: name, role: role, agency: agency),
                                                           actingOfficer: global.actingOfficer)
        printOfficer(officer, format: format, verb: "Added")
    }
}

struct OfficerUpdate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Change an officer's name, role or agency, or deactivate them (admins).",
        discussion: """
            Examples:
              mekong officer update MS-OFF1 --role supervisor --officer ADMIN1
              mekong officer update MS-OFF1 --deactivate --officer ADMIN1
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument var code: String
    @Option var name: String?
    @Option var role: Role?
    @Option var agency: String?
    @Flag(help: "Stop the officer from acting (records keep their name).") var deactivate = false
    @Flag(help: "Let a deactivated officer act again.") var activate = false

    func run() throws {
        let format = try global.outputFormat(offered: [.table, .json])
        if activate && deactivate { throw ValidationError("choose --activate or --deactivate, not both") }
        let officer = try global.openDatabase().updateOfficer(
            code: code, name: name, role: role, agency: agency.map { $0.isEmpty ? nil : $0 },
            active: activate ? true : (deactivate ? false : nil), actingOfficer: global.actingOfficer)
        printOfficer(officer, format: format, verb: "Updated")
    }
}

struct OfficerTokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Issue an HTTP bearer token for an officer (admins), or revoke their tokens.",
        discussion: """
            The token is printed once and never stored: the database keeps only its SHA-256. Give it to the officer; their requests to `mekong serve` carry it as `Authorization: Bearer TOKEN` and act with their role. --revoke stops every token the officer holds. Both are written to the audit trail.

            Examples:
              mekong officer token MS-OFF1 --officer ADMIN1 --format json
              mekong officer token MS-OFF1 --revoke --officer ADMIN1
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The officer the token is for.") var code: String
    @Flag(help: "Revoke every token the officer holds instead.") var revoke = false

    func run() throws {
        let format = try global.outputFormat(offered: [.table, .json])
        let database = try global.openDatabase()
        if revoke {
            let count = try database.revokeTokens(for: code, actingOfficer: global.actingOfficer)
            if format == .json {
                var json = JSONWriter(pretty: true)
                json.beginObject()
                json.field("revoked", count)
                json.endObject()
                Output.write(json.text + "\n")
            } else {
                Output.write("Revoked \(count) token(s) of \(code)\n")
            }
            return
        }
        let token = try database.issueToken(for: code, actingOfficer: global.actingOfficer)
        if format == .json {
            var json = JSONWriter(pretty: true)
            json.beginObject()
            json.field("token", token)
            json.endObject()
            Output.write(json.text + "\n")
        } else {
            Output.write(token + "\n")
            Output.note("This is the only time the token is shown: give it to \(code) now.")
        }
    }
}

func printOfficer(_ officer: Officer, format: OutputFormat, verb: String) {
    if format == .json {
        var json = JSONWriter(pretty: true)
        RecordRendering.officer(officer, to: &json)
        Output.write(json.text + "\n")
    } else {
        Output.write("\(verb) \(officer.code) (\(officer.name)), \(officer.role.rawValue)\(officer.active ? "" : ", deactivated")\n")
    }
}

struct OfficerList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List officers and their roles.",
        discussion: """
            Examples:
              mekong officer list
              mekong officer list --format json
            """
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let format = try global.outputFormat()
        let officers = try global.openDatabase().officers()
        var table = TextTable([.init("Code"), .init("Name"), .init("Role"), .init("Agency"), .init("Active")])
        for officer in officers {
            table.append([officer.code, officer.name, officer.role.rawValue, officer.agency ?? "", officer.active ? "yes" : "no"])
        }
        Listing(name: "officers", table: table, records: officers.map { officer in
            { json in RecordRendering.officer(officer, to: &json) }
        }).print(as: format)
    }
}

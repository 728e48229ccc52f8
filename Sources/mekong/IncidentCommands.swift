import ArgumentParser
import Foundation
import MekongCore
import MekongReports
import MekongStore

struct IncidentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incident",
        abstract: "Log incidents and follow each as a case.",
        subcommands: [IncidentLog.self, IncidentShow.self, IncidentList.self, IncidentUpdate.self, IncidentNote.self,
                      IncidentLink.self, IncidentInformant.self]
    )
}

/// The fields of an incident as command-line options, shared by `log` and `update`.
struct IncidentFieldOptions: ParsableArguments {
    @Option(help: ArgumentHelp("drug_seizure, scam, vehicle_smuggling, goods_smuggling, illegal_immigration, human_trafficking, wildlife_trafficking, timber_trafficking, haze_fire, cross_border_assistance or other.", valueName: "type"))
    var type: String?
    @Option(help: ArgumentHelp("District code (see `mekong district list`).", valueName: "code"))
    var district: String?
    @Option(name: .customLong("occurred-at"), help: ArgumentHelp("When: 2025-06-24T14:30:00+07:00, 2025-06-24T14:30 (local), 2025-06-24, or now.", valueName: "time"))
    var occurredAt: String?
    @Option(help: "What happened, in any language.")
    var summary: String?
    @Option(help: ArgumentHelp("Checkpoint code (see `mekong checkpoint list`).", valueName: "code"))
    var checkpoint: String?
    @Option(name: .customLong("seizure"), help: ArgumentHelp("A seized item as item:quantity:unit (repeatable), e.g. methamphetamine_tablets:250000:tablets or heroin:850:g.", valueName: "item:qty:unit"))
    var seizures: [String] = []
    @Option var arrests: Int?
    @Option var persons: Int?
    @Option var vehicles: Int?
    @Option var victims: Int?
    @Option(name: .customLong("loss-thb"), help: ArgumentHelp("Scam losses in Thai baht.", valueName: "baht"))
    var lossTHB: Double?
    @Option(help: ArgumentHelp("patrol, checkpoint_inspection, tip_off, investigation, referral or other.", valueName: "source"))
    var source: String?
    @Option(help: "Where, in words (village, road, landmark).")
    var place: String?
    @Option(help: ArgumentHelp("Latitude (with --lon).", valueName: "degrees"))
    var lat: Double?
    @Option(help: ArgumentHelp("Longitude (with --lat).", valueName: "degrees"))
    var lon: Double?

    /// The options as a draft, with `now` resolved and seizures parsed (a malformed one is a
    /// problem reported with the others when the draft is validated).
    func draft() -> IncidentDraft {
        var draft = IncidentDraft()
        draft.type = type
        draft.district = district
        draft.occurredAt = occurredAt == "now" ? nowInstantText() : occurredAt
        draft.summary = summary
        draft.checkpoint = checkpoint
        draft.arrests = arrests
        draft.persons = persons
        draft.vehicles = vehicles
        draft.victims = victims
        draft.lossTHB = lossTHB
        draft.source = source
        draft.place = place
        draft.latitude = lat
        draft.longitude = lon
        for (index, text) in seizures.enumerated() {
            do { draft.parsedSeizures.append(try Seizure(compact: text, field: seizures.count > 1 ? "seizure[\(index + 1)]" : "seizure")) }
            catch { draft.readProblems += error.problems }
        }
        return draft
    }
}

/// The current instant as RFC 3339 UTC, for `--occurred-at now`.
func nowInstantText() -> String {
    let ms = Int64(Date().timeIntervalSince1970) * 1000
    let text = Timestamp.utc(milliseconds: ms)
    return String(text.prefix(19)) + "Z"
}

struct IncidentLog: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Log a new incident; prints its id and case number.",
        discussion: """
            On a terminal, mekong asks for the required fields you leave out (type, district, time, summary), listing the valid choices; in a script, a missing field is an error.

            Examples:
              mekong incident log --officer MS-OFF1 --type drug_seizure --district 5709 --checkpoint MS1 \\
                  --occurred-at 2025-06-24T14:30:00+07:00 --summary "1,350,000 tablets in a lorry's false floor" \\
                  --seizure methamphetamine_tablets:1350000:tablets --arrests 1 --vehicles 1
              mekong incident log --type scam --district 5701 --occurred-at 2025-07-01 --summary "Call-centre fraud" \\
                  --victims 2 --loss-thb 95000 --source referral --format json
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var fields: IncidentFieldOptions

    func run() throws {
        let format = try global.outputFormat(offered: [.table, .json])
        let database = try global.openDatabase()
        var draft = fields.draft()
        try askForMissing(&draft, database: database)
        let incident = try database.logIncident(draft, officer: global.actingOfficer)
        if format == .json {
            var json = JSONWriter(pretty: true)
            IncidentJSON.write(incident, to: &json)
            Output.write(json.text + "\n")
        } else {
            Output.write("Logged \(incident.caseNumber ?? "")  \(incident.id)\n")
        }
    }

    /// Asks for required fields on a terminal; elsewhere names what is missing.
    private func askForMissing(_ draft: inout IncidentDraft, database: AppDatabase) throws {
        let missing = [("type", draft.type), ("district", draft.district), ("occurred-at", draft.occurredAt), ("summary", draft.summary)]
            .filter { $0.1 == nil }.map(\.0)
        guard !missing.isEmpty else { return }
        guard Prompt.available else {
            throw ValidationError("missing \(missing.map { "--\($0)" }.joined(separator: ", ")) (see `mekong incident log --help`)")
        }
        if draft.type == nil { draft.type = Prompt.ask("Type", choices: IncidentType.choices) }
        if draft.district == nil {
            let districts = try database.districts()
            Output.note(districts.map { "\($0.code) \($0.name)" }.joined(separator: ", "))
            draft.district = Prompt.ask("District code", choices: districts.map(\.code))
        }
        if draft.occurredAt == nil {
            let answer = Prompt.ask("Occurred at", hint: "2025-06-24T14:30 local, 2025-06-24, or now")
            draft.occurredAt = answer == "now" ? nowInstantText() : answer
        }
        if draft.summary == nil { draft.summary = Prompt.ask("Summary") }
    }
}

struct IncidentShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a case: the record, seizures, notes, links and history.",
        discussion: """
            Informant details of a tip-off are shown only when --officer names a supervisor or admin, and each such view is written to the audit trail.

            Examples:
              mekong incident show CR-2025-000123
              mekong incident show 0197a0b0-1c2d-7e3f-8a4b-5c6d7e8f9a0b --format json
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The incident's id or case number.") var reference: String

    func run() throws {
        let format = try global.outputFormat(offered: [.table, .json])
        let item = try global.openDatabase().incidentCase(reference, viewer: global.actingOfficer)
        if format == .json {
            var json = JSONWriter(pretty: true)
            RecordRendering.incidentCase(item, to: &json)
            Output.write(json.text + "\n")
            return
        }
        let incident = item.incident
        var lines: [(String, String)] = [
            ("id", incident.id.description),
            ("occurred at", "\(incident.occurredAt.text) (local date \(incident.localDate?.description ?? "?"))"),
            ("district", incident.district),
            ("checkpoint", incident.checkpoint ?? "—"),
            ("source", incident.source?.rawValue ?? "—"),
            ("place", incident.place ?? "—"),
            ("coordinates", incident.coordinates.map { "\(formatNumber($0.latitude)), \(formatNumber($0.longitude))" } ?? "—"),
            ("people", "arrests \(incident.arrests) · persons \(incident.persons) · vehicles \(incident.vehicles) · victims \(incident.victims)"),
            ("loss", incident.lossTHB.map { "\(grouped($0)) THB" } ?? "—"),
        ]
        for (index, seizure) in incident.seizures.enumerated() {
            let recorded = seizure.recordedUnit == seizure.unit ? "" : " (recorded as \(grouped(seizure.recordedQuantity)) \(seizure.recordedUnit.rawValue))"
            lines.append((index == 0 ? "seizures" : "", "\(seizure.item.rawValue) \(grouped(seizure.quantity)) \(seizure.unit.rawValue)\(recorded)"))
        }
        lines += [("assigned to", incident.assignedTo ?? "—"),
                  ("recorded by", "\(incident.recordedBy ?? "—") at \(incident.createdAt ?? "?")")]
        if let informant = item.informant {
            lines.append(("informant", informant.name + (informant.contact.map { ", \($0)" } ?? "") + " (protected; this view is audited)"))
        }
        var out = "\(incident.caseNumber ?? "")  \(incident.type.rawValue)  \(incident.status.rawValue)\n\n"
        out += incident.summary + "\n\n"
        for (label, value) in lines {
            out += label.padding(toLength: 13, withPad: " ", startingAt: 0) + value + "\n"
        }
        if !item.notes.isEmpty {
            out += "\nNotes\n"
            for note in item.notes { out += "  \(note.createdAt)  \(note.officer): \(note.text)\n" }
        }
        if !item.links.isEmpty {
            out += "\nLinked incidents\n"
            for link in item.links { out += "  \(link.caseNumber)  \(link.type.rawValue)  \(RecordRendering.short(.string(link.summary), limit: 60))\n" }
        }
        out += "\nHistory\n"
        var table = TextTable([.init("Entry", .right), .init("At"), .init("Officer"), .init("Action"), .init("What")])
        for entry in item.history {
            table.append([String(entry.seq), entry.at, entry.officer ?? "", entry.action, RecordRendering.auditSummary(entry)])
        }
        out += table.renderAligned()
        Output.write(out)
    }
}

/// Filters shared by `incident list` and `export`.
struct IncidentFilterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only this district (code).", valueName: "code")) var district: String?
    @Option(help: ArgumentHelp("Only this type.", valueName: "type")) var type: String?
    @Option(help: ArgumentHelp("Only this status: open, investigating, referred or closed.", valueName: "status")) var status: String?
    @Option(help: ArgumentHelp("Only this checkpoint (code).", valueName: "code")) var checkpoint: String?
    @Option(help: ArgumentHelp("From this local date (YYYY-MM-DD), inclusive.", valueName: "date")) var since: String?
    @Option(help: ArgumentHelp("Up to this local date (YYYY-MM-DD), inclusive.", valueName: "date")) var until: String?

    func filter() throws -> IncidentFilter {
        var filter = IncidentFilter(district: district, checkpoint: checkpoint)
        if let type { filter.type = try parseChoice(IncidentType.self, type, option: "--type") }
        if let status { filter.status = try parseChoice(IncidentStatus.self, status, option: "--status") }
        if let since {
            guard let date = LocalDate(since) else { throw ValidationError("--since \(quoted(since)) is not a date YYYY-MM-DD") }
            filter.since = date
        }
        if let until {
            guard let date = LocalDate(until) else { throw ValidationError("--until \(quoted(until)) is not a date YYYY-MM-DD") }
            filter.until = date
        }
        return filter
    }
}

/// Reads a choice given as an option, as a usage error listing the valid ones.
func parseChoice<T: NamedChoice>(_ type: T.Type, _ text: String, option: String) throws -> T {
    guard let value = T(rawValue: text) else {
        throw ValidationError("\(option) \(quoted(text)) is not a known \(T.choiceName) (expected one of: \(T.choices.joined(separator: ", ")))")
    }
    return value
}

struct IncidentList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List incidents, newest first, a page at a time.",
        discussion: """
            Dates are local dates in the database's time zone (or --tz). Each page ends with a cursor for the next one (in JSON, next_cursor; on a terminal, a line on stderr).

            Examples:
              mekong incident list --district 5709 --since 2025-06-01 --until 2025-06-30
              mekong incident list --type drug_seizure --status open --limit 20 --format json
              mekong incident list --district 5709 --cursor MTc1MDc1MDIwMDAwMDoxMjM
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var filters: IncidentFilterOptions
    @Option(help: "How many incidents per page (1–10000).") var limit = 50
    @Option(help: "Where the page starts: the next_cursor of the previous page.") var cursor: String?
    @Flag(name: .customLong("explain-query"), help: ArgumentHelp("Print SQLite's query plan on stderr (for benchmarks).", visibility: .hidden))
    var explainQuery = false

    func run() throws {
        let format = try global.outputFormat()
        let database = try global.openDatabase()
        if explainQuery {
            for line in try database.explainListIncidents(try filters.filter(), zone: try global.zone(), limit: limit, cursor: cursor) {
                Output.note("plan: \(line)")
            }
        }
        let page = try database.listIncidents(try filters.filter(), zone: try global.zone(), limit: limit, cursor: cursor)
        switch format {
        case .json:
            var json = JSONWriter(pretty: true)
            json.beginObject()
            json.key("incidents")
            json.beginArray()
            for incident in page.incidents { IncidentJSON.write(incident, to: &json) }
            json.endArray()
            json.field("next_cursor", page.nextCursor)
            json.endObject()
            Output.write(json.text + "\n")
        case .ndjson:
            var json = JSONWriter()
            for incident in page.incidents {
                json.reset()
                IncidentJSON.write(incident, to: &json)
                Output.write(bytes: json.bytes + [0x0A])
            }
            if let next = page.nextCursor { Output.note("next page: --cursor \(next)") }
        default:
            var table = TextTable([.init("Case"), .init("Date"), .init("Type"), .init("District"), .init("Checkpoint"),
                                   .init("Status"), .init("Summary")])
            for incident in page.incidents {
                table.append([incident.caseNumber ?? "", incident.localDate?.description ?? "", incident.type.rawValue,
                              incident.district, incident.checkpoint ?? "", incident.status.rawValue,
                              format == .table ? RecordRendering.short(.string(incident.summary), limit: 60) : incident.summary])
            }
            switch format {
            case .csv: Output.write(table.renderCSV())
            case .markdown: Output.write(table.renderMarkdown())
            default: Output.write(table.renderAligned())
            }
            if let next = page.nextCursor { Output.note("next page: --cursor \(next)") }
        }
    }
}

struct IncidentUpdate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Move a case along (status), assign it, or correct its fields (with a reason).",
        discussion: """
            Status moves: open → investigating → referred or closed; a referred case may be closed. Closing, reopening and assigning are for supervisors. Corrections (any field option) need --reason; the old and new values go to the audit trail.

            Examples:
              mekong incident update CR-2025-000123 --status investigating --officer MS-OFF1
              mekong incident update CR-2025-000123 --assign MS-OFF2 --officer MS-SUP1
              mekong incident update CR-2025-000123 --district 5708 --reason "Seized on the Chiang Saen side" --officer MS-OFF1
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The incident's id or case number.") var reference: String
    @Option(help: "New status: open, investigating, referred or closed.") var status: String?
    @Option(help: ArgumentHelp("Assign the case to this officer.", valueName: "code")) var assign: String?
    @Flag(help: "Remove the assignment.") var unassign = false
    @Option(help: "Why fields are corrected (required with corrections).") var reason: String?
    @Flag(name: .customLong("clear-seizures"), help: "Remove all seizures (a correction).") var clearSeizures = false
    @OptionGroup var fields: IncidentFieldOptions

    func run() throws {
        let format = try global.outputFormat(offered: [.table, .json])
        var changes = IncidentChanges()
        if let status { changes.status = try parseChoice(IncidentStatus.self, status, option: "--status") }
        if assign != nil && unassign { throw ValidationError("choose --assign or --unassign, not both") }
        if let assign { changes.assignTo = .some(assign) }
        if unassign { changes.assignTo = .some(nil) }
        let draft = fields.draft()
        changes.corrections = draft
        if !draft.parsedSeizures.isEmpty { changes.seizures = draft.parsedSeizures }
        if clearSeizures {
            guard draft.parsedSeizures.isEmpty else { throw ValidationError("choose --seizure or --clear-seizures, not both") }
            changes.seizures = []
        }
        changes.reason = reason
        guard changes.status != nil || changes.assignTo != nil || changes.hasCorrections else {
            throw ValidationError("nothing to change: give --status, --assign, --unassign or a field to correct")
        }
        let incident = try global.openDatabase().updateIncident(reference, changes: changes, officer: global.actingOfficer)
        if format == .json {
            var json = JSONWriter(pretty: true)
            IncidentJSON.write(incident, to: &json)
            Output.write(json.text + "\n")
        } else {
            Output.write("Updated \(incident.caseNumber ?? "")  \(incident.status.rawValue)\(incident.assignedTo.map { ", assigned to \($0)" } ?? "")\n")
        }
    }
}

struct IncidentNote: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "note",
        abstract: "Add a note to a case (notes are never edited or removed).",
        discussion: """
            Examples:
              mekong incident note CR-2025-000123 "Driver identified from CCTV at the bridge" --officer MS-OFF1
              echo "Long note from a file" | mekong incident note CR-2025-000123 - --officer MS-OFF1
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The incident's id or case number.") var reference: String
    @Argument(help: "The note; - reads it from standard input.") var text: String

    func run() throws {
        let format = try global.outputFormat(offered: [.table, .json])
        var body = text
        if text == "-" {
            body = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        let note = try global.openDatabase().addNote(reference, text: body, officer: global.actingOfficer)
        if format == .json {
            var json = JSONWriter(pretty: true)
            RecordRendering.note(note, to: &json)
            Output.write(json.text + "\n")
        } else {
            Output.write("Noted on \(reference) by \(note.officer)\n")
        }
    }
}

struct IncidentLink: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link",
        abstract: "Link two related incidents (shown on both; records are never merged).",
        discussion: """
            Examples:
              mekong incident link CR-2025-000123 CR-2025-000140 --officer MS-OFF1
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "An incident's id or case number.") var reference: String
    @Argument(help: "The related incident's id or case number.") var other: String

    func run() throws {
        let format = try global.outputFormat(offered: [.table, .json])
        let added = try global.openDatabase().link(reference, to: other, officer: global.actingOfficer)
        if format == .json {
            Output.write("{\"linked\": true, \"new\": \(added)}\n")
        } else {
            Output.write(added ? "Linked \(reference) and \(other)\n" : "\(reference) and \(other) were linked already\n")
        }
    }
}

struct IncidentInformant: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "informant",
        abstract: "Record the informant of a tip-off (supervisors and admins; kept apart, never exported).",
        discussion: """
            The details are stored apart from the incident, shown only to supervisors and admins by `incident show` (each view audited), and never appear in listings, exports, reports or the audit trail.

            Examples:
              mekong incident informant CR-2025-000123 --name "Village contact" --contact "via headman, Moo 19" --officer MS-SUP1
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The incident's id or case number.") var reference: String
    @Option(help: "The informant's name.") var name: String
    @Option(help: "How to reach them.") var contact: String?

    func run() throws {
        _ = try global.outputFormat(offered: [.table, .json])
        try global.openDatabase().setInformant(reference, informant: Informant(name: name, contact: contact), officer: global.actingOfficer)
        Output.write(global.format == .json ? "{\"informant\": \"recorded\"}\n" : "Informant details recorded for \(reference) (protected)\n")
    }
}

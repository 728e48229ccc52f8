import ArgumentParser
import Foundation
import MekongCore
import MekongReports
import MekongStore

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find incidents by words in their summaries, places and notes (Thai and Lao too).",
        discussion: """
            Every word must appear, as a substring, in one summary, place or note: แม่สาย is found inside a longer Thai sentence. Best matches come first, the newest first among equals. After a large import the first search also brings the index up to date.

            Examples:
              mekong search แม่สาย
              mekong search "call centre" --format json
              mekong search ยาบ้า --limit 10
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The words to find.") var words: [String]
    @Option(help: "How many incidents at most.") var limit = 50

    func run() throws {
        let format = try global.outputFormat()
        let hits = try global.openDatabase().search(words.joined(separator: " "), limit: limit) { pending in
            if Output.stderrIsTerminal { Output.note("Indexing \(grouped(pending)) new texts for search (once, after an import)…") }
        }
        var table = TextTable([.init("Case"), .init("Date"), .init("Type"), .init("District"), .init("Matched"), .init("Summary")])
        for hit in hits {
            table.append([hit.incident.caseNumber ?? "", hit.incident.localDate?.description ?? "", hit.incident.type.rawValue,
                          hit.incident.district, hit.matched.joined(separator: ","),
                          format == .table ? RecordRendering.short(.string(hit.incident.summary), limit: 60) : hit.incident.summary])
        }
        Listing(name: "results", table: table, records: hits.map { hit in
            { json in RecordRendering.searchHit(hit, to: &json) }
        }).print(as: format)
    }
}

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "The tamper-evident audit trail: every change, who made it, before and after.",
        subcommands: [AuditLogCommand.self, AuditVerifyCommand.self]
    )
}

struct AuditLogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show the audit trail, or the entries about one incident.",
        discussion: """
            Examples:
              mekong audit log
              mekong audit log CR-2025-000123
              mekong audit log --format json > audit.json
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "An incident's id or case number (default: the whole trail).") var reference: String?
    @Option(help: "At most this many entries (the oldest first).") var limit: Int?

    func run() throws {
        let format = try global.outputFormat()
        let entries = try global.openDatabase().auditEntries(incident: reference, limit: limit)
        var table = TextTable([.init("Entry", .right), .init("At"), .init("Officer"), .init("Action"), .init("Subject"), .init("What")])
        for entry in entries {
            table.append([String(entry.seq), entry.at, entry.officer ?? "", entry.action, entry.key ?? "", RecordRendering.auditSummary(entry)])
        }
        Listing(name: "entries", table: table, records: entries.map { entry in
            { json in RecordRendering.auditEntry(entry, to: &json) }
        }).print(as: format)
    }
}

struct AuditVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the audit chain, and that incidents, notes and links are what the trail says (exit 1 on a fault).",
        discussion: """
            Finds an audit entry that was edited or removed, and an incident that was edited, deleted or added outside mekong, naming the first ones found.

            Examples:
              mekong audit verify
              mekong audit verify --format json
            """
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let format = try global.outputFormat(offered: [.table, .json])
        let result = try global.openDatabase().verifyAudit()
        if format == .json {
            var json = JSONWriter(pretty: true)
            RecordRendering.auditVerification(result, to: &json)
            Output.write(json.text + "\n")
        } else if result.ok {
            Output.write("Audit trail intact: \(grouped(result.entries)) entries; \(grouped(result.incidents)) incidents, \(grouped(result.notes)) notes and \(grouped(result.links)) links match it.\n")
        }
        if !result.ok {
            for fault in result.faults { Output.error(fault.message) }
            if result.moreFaults > 0 { Output.error("… and \(result.moreFaults) more faults") }
            throw ExitCode(1)
        }
    }
}

import ArgumentParser
import Foundation
import MekongCore
import MekongStore

/// `mekong`: border-security incident cases for district offices, on one SQLite file.
struct Mekong: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mekong",
        abstract: "Incident cases, checkpoints and district reports for a border province, on one SQLite file.",
        discussion: """
            Start with `mekong demo` to see it work on the demo data, or `mekong init` to create an empty database with the reference data of Chiang Rai.

            Examples:
              mekong demo
              mekong init --db ./district.sqlite
              mekong district list --format json
              mekong checkpoint list --district 5709
              mekong incident log --officer MS-OFF1 --type drug_seizure --district 5709 --occurred-at now --summary "..."
              mekong incident list --district 5709 --since 2025-06-01
              mekong search แม่สาย
              mekong audit verify
              mekong serve --port 8080
            """,
        subcommands: [InitCommand.self, DemoCommand.self, DistrictCommand.self, CheckpointCommand.self, IncidentCommand.self,
                      SearchCommand.self, AuditCommand.self, OfficerCommand.self, ImportCommand.self, ExportCommand.self, ReportCommand.self,
                      DatabaseCommand.self, ServeCommand.self]
    )
}

@main
enum Main {
    static func main() async {
        do {
            var command = try Mekong.parseAsRoot()
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
            Output.flush()
        } catch {
            Output.flush()
            ErrorReport.exit(with: error)
        }
    }
}

/// Turns any error into one line per problem on stderr and the exit status of SPEC section 1.
enum ErrorReport {
    static func exit(with error: any Error) -> Never {
        switch error {
        case let error as MekongError:
            fail(error.message, status: status(for: error.kind))
        case let failure as ValidationFailure:
            // A code the database does not know, named on the command line, is exit 69.
            let unknown = !failure.problems.isEmpty && failure.problems.allSatisfy(\.isUnknownReference)
            for problem in failure.problems { Output.error(problem.description) }
            terminate(unknown ? 69 : 65)
        case let refused as TrafficImportRefused:
            for problem in refused.outcome.problems { Output.error(problem.description) }
            if refused.outcome.unreportedProblems > 0 {
                Output.error("… and \(refused.outcome.unreportedProblems) more problems")
            }
            fail("import refused: \(refused.outcome.rejected) of \(refused.outcome.rows) rows are invalid; nothing was imported", status: 65)
        case let refused as ImportRefused:
            for problem in refused.outcome.problems { Output.error(problem.description) }
            if refused.outcome.unreportedProblems > 0 {
                Output.error("… and \(refused.outcome.unreportedProblems) more problems")
            }
            fail("import refused: \(refused.outcome.rejected) of \(refused.outcome.records) records are invalid; nothing was imported (fix them, or use --skip-invalid)", status: 65)
        case let exit as ExitCode:
            terminate(exit.rawValue)
        default:
            let code = Mekong.exitCode(for: error)
            if code == .success {
                // --help, --version: the full text, on stdout.
                Output.write(Mekong.fullMessage(for: error) + "\n")
                terminate(0)
            }
            fail(oneLine(Mekong.fullMessage(for: error)), status: code.rawValue)
        }
    }

    /// Folds the argument parser's several-line message (error, choices, usage, hint) into
    /// one line: `unknown option '--x' (see 'mekong district list --help')`.
    static func oneLine(_ message: String) -> String {
        var parts: [String] = []
        var choices: [String] = []
        var hint = "see '\(commandPath()) --help'"
        for raw in message.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("Help:") || line.hasPrefix("Usage:") { continue }
            if line.hasPrefix("See '") {
                // The parser names the root command for errors thrown while running; keep ours then.
                if !line.hasPrefix("See 'mekong --help'") {
                    hint = "see " + line.dropFirst(4).replacingOccurrences(of: " for more information.", with: "")
                }
            } else if line.hasPrefix("- ") {
                choices.append(String(line.dropFirst(2)))
            } else if !line.hasPrefix("mekong ") || parts.isEmpty {
                parts.append(line.hasPrefix("Error: ") ? String(line.dropFirst(7)) : line)
            }
        }
        var text = parts.joined(separator: " ")
        if !choices.isEmpty { text += " " + choices.joined(separator: ", ") }
        return text.contains("(see `") ? text : "\(text) (\(hint))"
    }

    /// `mekong incident log`: the command named on the command line, for hints.
    static func commandPath() -> String {
        var path = ["mekong"]
        var command: ParsableCommand.Type = Mekong.self
        for argument in CommandLine.arguments.dropFirst() {
            guard let next = command.configuration.subcommands.first(where: { $0._commandName == argument }) else { break }
            path.append(argument)
            command = next
        }
        return path.joined(separator: " ")
    }

    /// Exit statuses of SPEC section 1 (sysexits.h).
    static func status(for kind: MekongError.Kind) -> Int32 {
        switch kind {
        case .usage: 64
        case .badData: 65
        case .inputMissing: 66
        case .unknownReference: 69
        case .storage: 74
        case .busy: 75
        case .forbidden: 77
        case .conflict, .failure: 1
        }
    }

    /// Sends buffered output, then exits.
    static func terminate(_ status: Int32) -> Never {
        Output.flush()
        Foundation.exit(status)
    }

    static func fail(_ message: String, status: Int32) -> Never {
        for line in message.split(separator: "\n", omittingEmptySubsequences: true) {
            Output.error(String(line))
        }
        terminate(status)
    }
}

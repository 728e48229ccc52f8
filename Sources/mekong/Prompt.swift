import Foundation
import MekongCore

/// Asks for what a command still needs, when a person is at the terminal.
///
/// Off a terminal (a script, a pipe) nothing is asked: a missing value is a usage error.
enum Prompt {
    /// Whether questions can be asked and answered here.
    static var available: Bool { Output.stdinIsTerminal && Output.stderrIsTerminal }

    /// Asks until the answer is one of `choices` (when given) and not empty.
    static func ask(_ label: String, choices: [String] = [], hint: String? = nil) -> String? {
        if !choices.isEmpty { Output.note("\(label): one of \(choices.joined(separator: ", "))") }
        while true {
            let suffix = hint.map { " (\($0))" } ?? ""
            FileHandle.standardError.write(Data("\(label)\(suffix): ".utf8))
            guard let line = readLine(strippingNewline: true) else { return nil }
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            if choices.isEmpty || choices.contains(line) { return line }
            Output.note("\(quoted(line)) is not one of the choices")
        }
    }
}

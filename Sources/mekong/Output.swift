import Foundation
import MekongCore
import MekongReports
import Synchronization

/// Where results and messages go: results on stdout (buffered, so an export of a million
/// records is not a million system calls), everything else on stderr (unbuffered).
enum Output {
    private static let pending = Mutex<[UInt8]>([])
    private static let flushThreshold = 1 << 16

    static func write(_ text: String) {
        write(bytes: Array(text.utf8))
    }

    /// Writes raw bytes to stdout.
    static func write(bytes: some Collection<UInt8>) {
        let full = pending.withLock { buffer in
            buffer.append(contentsOf: bytes)
            return buffer.count >= flushThreshold
        }
        if full { flush() }
    }

    /// Sends everything buffered to stdout; called before the process exits.
    static func flush() {
        pending.withLock { buffer in
            writeAll(STDOUT_FILENO, buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    /// A problem, one line on stderr: `error: …`.
    static func error(_ line: String) {
        writeAll(STDERR_FILENO, Array("error: \(line)\n".utf8))
    }

    /// A note for the person at the terminal (what was done), on stderr so stdout stays data.
    static func note(_ line: String) {
        writeAll(STDERR_FILENO, Array("\(line)\n".utf8))
    }

    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) != 0 }
    static var stdinIsTerminal: Bool { isatty(STDIN_FILENO) != 0 }
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return  // a closed pipe or full disk: nothing more can be said there
                }
                offset += written
            }
        }
    }
}

/// A listing printed in any of the shapes `--format` names: a table for people, JSON or
/// NDJSON for programs, CSV for spreadsheets, Markdown for reports.
struct Listing {
    /// The JSON key of the array (`districts`).
    var name: String
    var table: TextTable
    /// Each row as one JSON object.
    var records: [(inout JSONWriter) -> Void]

    func print(as format: OutputFormat) {
        switch format {
        case .table, .html: Output.write(table.renderAligned())
        case .csv: Output.write(table.renderCSV())
        case .markdown: Output.write(table.renderMarkdown())
        case .ndjson:
            var json = JSONWriter()
            for record in records {
                json.reset()
                record(&json)
                Output.write(bytes: json.bytes + [0x0A])
            }
        case .json:
            var json = JSONWriter(pretty: true)
            json.beginObject()
            json.key(name)
            json.beginArray()
            for record in records { record(&json) }
            json.endArray()
            json.endObject()
            Output.write(bytes: json.bytes + [0x0A])
        }
    }
}

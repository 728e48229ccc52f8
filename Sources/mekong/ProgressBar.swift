import Foundation
import MekongReports
import Synchronization

/// A progress line on stderr for long imports: bytes read of the file's size and records per
/// second, redrawn at most ten times a second. Only on a terminal; a pipe or a log file gets
/// nothing.
final class ProgressBar: Sendable {
    private struct State {
        var lastDraw: Double = 0
        var drew = false
    }

    private let total: Int64?
    private let start = Date()
    private let state = Mutex(State())

    /// A bar for `total` bytes (nil when the size is unknown, as for standard input), or nil
    /// when stderr is not a terminal.
    static func make(total: Int64?) -> ProgressBar? {
        Output.stderrIsTerminal ? ProgressBar(total: total) : nil
    }

    private init(total: Int64?) {
        self.total = total
    }

    func update(bytes: Int64, records: Int) {
        let elapsed = Date().timeIntervalSince(start)
        let line: String? = state.withLock { state in
            guard elapsed - state.lastDraw >= 0.1 else { return nil }
            state.lastDraw = elapsed
            state.drew = true
            let rate = elapsed > 0 ? Int(Double(records) / elapsed) : 0
            let megabytes = Double(bytes) / 1_048_576
            if let total, total > 0 {
                let fraction = min(1, Double(bytes) / Double(total))
                let width = 24
                let filled = Int(fraction * Double(width))
                let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
                return String(format: "\r%@ %3.0f%%  %.1f of %.1f MB  %@ records  %@/s ", bar, fraction * 100, megabytes,
                              Double(total) / 1_048_576, grouped(records), grouped(rate))
            }
            return String(format: "\r%.1f MB  %@ records  %@/s ", megabytes, grouped(records), grouped(rate))
        }
        if let line { FileHandle.standardError.write(Data(line.utf8)) }
    }

    /// Clears the line, so the summary that follows starts clean.
    func finish() {
        let drew = state.withLock { $0.drew }
        if drew { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

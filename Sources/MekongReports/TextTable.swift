import Foundation
import MekongCore

/// The shapes a listing or report can be printed in (`--format`).
public enum OutputFormat: String, NamedChoice {
    case table
    case json
    case ndjson
    case csv
    case markdown
    case html

    public static let choiceName = "format"
}

/// Rows and columns of text, printed as an aligned table, CSV or Markdown.
///
/// Alignment counts what a terminal shows, not bytes or code points: Thai vowel and tone marks
/// take no column of their own, CJK and emoji take two.
public struct TextTable: Sendable {
    public enum Alignment: Sendable { case left, right }

    public struct Column: Sendable {
        public var title: String
        public var alignment: Alignment

        public init(_ title: String, _ alignment: Alignment = .left) {
            self.title = title
            self.alignment = alignment
        }
    }

    public var columns: [Column]
    public var rows: [[String]] = []

    public init(_ columns: [Column]) {
        self.columns = columns
    }

    public mutating func append(_ row: [String]) {
        rows.append(row)
    }

    /// An aligned table with a header rule, for a terminal.
    public func renderAligned() -> String {
        var widths = columns.map { displayWidth($0.title) }
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], displayWidth(cell))
            }
        }
        func line(_ cells: [String]) -> String {
            var out = ""
            for (index, column) in columns.enumerated() {
                let cell = index < cells.count ? cells[index] : ""
                let pad = String(repeating: " ", count: widths[index] - displayWidth(cell))
                let isLast = index == columns.count - 1
                switch column.alignment {
                case .left: out += cell + (isLast ? "" : pad)
                case .right: out += pad + cell
                }
                if !isLast { out += "  " }
            }
            while out.hasSuffix(" ") { out.removeLast() }
            return out
        }
        var out = line(columns.map(\.title)) + "\n"
        out += widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ") + "\n"
        for row in rows { out += line(row) + "\n" }
        return out
    }

    /// RFC 4180 CSV with a header row; fields holding commas, quotes or line breaks are quoted.
    public func renderCSV() -> String {
        var out = columns.map { csvField($0.title) }.joined(separator: ",") + "\r\n"
        for row in rows { out += row.map(csvField).joined(separator: ",") + "\r\n" }
        return out
    }

    /// A GitHub-flavoured Markdown table.
    public func renderMarkdown() -> String {
        func cell(_ text: String) -> String {
            text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
        }
        var out = "| " + columns.map { cell($0.title) }.joined(separator: " | ") + " |\n"
        out += "|" + columns.map { $0.alignment == .right ? "---:|" : "---|" }.joined() + "\n"
        for row in rows { out += "| " + row.map(cell).joined(separator: " | ") + " |\n" }
        return out
    }
}

/// Quotes a CSV field when it needs it (RFC 4180).
public func csvField(_ text: String) -> String {
    if text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) {
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return text
}

/// The number of terminal columns `text` takes.
public func displayWidth(_ text: String) -> Int {
    var width = 0
    for scalar in text.unicodeScalars {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control: continue
        default: break
        }
        width += isWide(scalar.value) ? 2 : 1
    }
    return width
}

private func isWide(_ value: UInt32) -> Bool {
    switch value {
    case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
         0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
         0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
        return true
    default:
        return false
    }
}

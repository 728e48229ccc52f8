import MekongCore

/// One self-contained HTML page a district chief can open on any laptop and print: no
/// network, no scripts, charts drawn in inline SVG, Thai names beside English ones.
public struct HTMLBriefing {
    public var title: String
    public var province: Province?
    public var districts: DistrictReport?
    public var trend: TrendReport?
    public var checkpoints: CheckpointReview?
    /// When the page was made (RFC 3339), shown in its footer.
    public var generatedAt: String

    public init(title: String, province: Province?, districts: DistrictReport? = nil, trend: TrendReport? = nil,
                checkpoints: CheckpointReview? = nil, generatedAt: String) {
        self.title = title
        self.province = province
        self.districts = districts
        self.trend = trend
        self.checkpoints = checkpoints
        self.generatedAt = generatedAt
    }

    public func render() -> String {
        var page = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title))</title>
            <style>\(HTMLBriefing.style)</style>
            </head>
            <body>
            <header>
            <h1>\(escape(title))</h1>

            """
        if let province {
            page += "<p class=\"province\">\(escape(province.name)) <span lang=\"th\">\(escape(province.nameLocal))</span> · \(escape(province.code))</p>\n"
        }
        if let period = districts?.period ?? checkpoints?.period ?? trend?.period {
            let zone = districts?.timeZone ?? checkpoints?.timeZone ?? trend?.timeZone ?? ""
            page += "<p class=\"period\">\(period.from) to \(period.to) · local dates, \(escape(zone))</p>\n"
        }
        page += "</header>\n"
        if let districts { page += districtSections(districts) }
        if let trend { page += trendSection(trend) }
        if let checkpoints { page += checkpointSection(checkpoints) }
        page += """
            <footer>MekongWatch · made \(escape(generatedAt)) · quantities in canonical units (g, t → kg; ml → l) · \
            informant details are never part of a report</footer>
            </body>
            </html>

            """
        return page
    }

    // MARK: Sections

    private func districtSections(_ report: DistrictReport) -> String {
        let totals = report.totals
        var out = "<section>\n<h2>Summary</h2>\n<div class=\"cards\">\n"
        for (label, value, previous) in [("Incidents", Double(totals.incidents), Double(report.previousTotals.incidents)),
                                         ("Arrests", Double(totals.arrests), Double(report.previousTotals.arrests)),
                                         ("Large seizures", Double(totals.largeSeizures), Double(report.previousTotals.largeSeizures)),
                                         ("Scam losses (THB)", totals.lossTHB, report.previousTotals.lossTHB)] {
            out += "<div class=\"card\"><div class=\"value\">\(grouped(value))</div><div class=\"label\">\(label)</div>"
            out += "<div class=\"previous\">previous period: \(grouped(previous))</div></div>\n"
        }
        out += "</div>\n</section>\n"

        let active = report.districts.filter { $0.figures.incidents > 0 }
        out += "<section>\n<h2>Incidents by district</h2>\n"
        out += barChart(active.sorted { $0.figures.incidents > $1.figures.incidents }.map {
            Bar(label: $0.district.name, labelLocal: $0.district.nameLocal, value: Double($0.figures.incidents), note: "")
        }, unit: "incidents")
        let quiet = report.districts.filter { $0.figures.incidents == 0 }.map(\.district.name)
        if !quiet.isEmpty { out += "<p class=\"note\">No incidents: \(escape(quiet.joined(separator: ", "))).</p>\n" }
        out += "</section>\n"

        out += "<section>\n<h2>Incidents by type</h2>\n"
        out += barChart(IncidentType.allCases.compactMap { type in
            totals.byType[type].map { Bar(label: type.label, labelLocal: "", value: Double($0), note: "") }
        }.sorted { $0.value > $1.value }, unit: "incidents")
        out += "</section>\n"

        out += "<section class=\"page-break\">\n<h2>Districts</h2>\n<table>\n<thead><tr><th>District</th><th>Incidents</th><th>Previous</th>"
        out += "<th>Arrests</th><th>Persons</th><th>Vehicles</th><th>Victims</th><th>Scam loss THB</th><th>Large seizures</th></tr></thead>\n<tbody>\n"
        for line in report.districts {
            let f = line.figures
            out += "<tr\(f.incidents == 0 ? " class=\"quiet\"" : "")><td>\(escape(line.district.code)) \(escape(line.district.name)) <span lang=\"th\">\(escape(line.district.nameLocal))</span></td>"
            out += [f.incidents, line.previous.incidents, f.arrests, f.persons, f.vehicles, f.victims].map { "<td class=\"n\">\(grouped($0))</td>" }.joined()
            out += "<td class=\"n\">\(grouped(f.lossTHB))</td><td class=\"n\">\(grouped(f.largeSeizures))</td></tr>\n"
        }
        out += "<tr class=\"total\"><td>Total</td>"
        out += [totals.incidents, report.previousTotals.incidents, totals.arrests, totals.persons, totals.vehicles, totals.victims].map { "<td class=\"n\">\(grouped($0))</td>" }.joined()
        out += "<td class=\"n\">\(grouped(totals.lossTHB))</td><td class=\"n\">\(grouped(totals.largeSeizures))</td></tr>\n</tbody>\n</table>\n</section>\n"

        out += "<section>\n<h2>Seizures</h2>\n"
        if totals.seizures.isEmpty {
            out += "<p class=\"note\">No seizures in this period.</p>\n"
        } else {
            out += "<table>\n<thead><tr><th>Item</th><th>Quantity</th><th>Unit</th><th>Incidents</th><th>Districts</th></tr></thead>\n<tbody>\n"
            for total in totals.seizures {
                let where_ = report.districts.filter { line in line.figures.seizures.contains { $0.item == total.item && $0.unit == total.unit } }
                    .map(\.district.name).joined(separator: ", ")
                out += "<tr><td>\(escape(total.item.rawValue.replacingAll("_", " ")))</td><td class=\"n\">\(grouped(total.quantity))</td>"
                out += "<td>\(total.unit.rawValue)</td><td class=\"n\">\(grouped(total.incidents))</td><td>\(escape(where_))</td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
        }
        out += "</section>\n"
        return out
    }

    private func trendSection(_ trend: TrendReport) -> String {
        var out = "<section>\n<h2>Trend by \(trend.step.rawValue)</h2>\n"
        out += lineChart(trend.points.map { ($0.label, Double($0.figures.incidents)) }, unit: "incidents")
        out += "</section>\n"
        return out
    }

    private func checkpointSection(_ review: CheckpointReview) -> String {
        var out = "<section class=\"page-break\">\n<h2>Checkpoint utilisation review</h2>\n"
        out += "<p class=\"note\">Utilisation: a checkpoint's average daily persons over the median of the checkpoints of the same kind with traffic in the period. "
        out += "Below \(decimal(review.threshold, places: 2)) it is marked under-used.</p>\n"
        let withTraffic = review.checkpoints.filter { $0.utilisationRatio != nil }
        out += barChart(withTraffic.map {
            Bar(label: $0.checkpoint.name, labelLocal: $0.checkpoint.nameLocal, value: $0.utilisationRatio ?? 0,
                note: $0.underutilised ? "under-used" : "", alert: $0.underutilised)
        }, unit: "× peer median", threshold: review.threshold, decimals: 2)
        out += "<table>\n<thead><tr><th>Checkpoint</th><th>Kind</th><th>Status</th><th>Days</th><th>Persons</th><th>Avg/day</th>"
        out += "<th>Peer median</th><th>Ratio</th><th>Vehicles</th><th>Out of hours</th><th>Incidents</th><th>per 10k</th></tr></thead>\n<tbody>\n"
        for line in review.checkpoints {
            let rowClass = line.underutilised ? " class=\"alert\"" : (line.daysReported == 0 ? " class=\"quiet\"" : "")
            out += "<tr\(rowClass)><td>\(escape(line.checkpoint.code)) \(escape(line.checkpoint.name)) <span lang=\"th\">\(escape(line.checkpoint.nameLocal))</span></td>"
            out += "<td>\(line.checkpoint.kind.rawValue.replacingAll("_", " "))</td><td>\(line.checkpoint.status.rawValue)</td>"
            out += "<td class=\"n\">\(grouped(line.daysReported))</td><td class=\"n\">\(grouped(line.persons))</td>"
            out += "<td class=\"n\">\(line.averageDailyPersons.map { decimal($0, places: 1) } ?? "—")</td>"
            out += "<td class=\"n\">\(line.peerMedianAverageDailyPersons.map { decimal($0, places: 1) } ?? "—")</td>"
            out += "<td class=\"n\">\(line.utilisationRatio.map { decimal($0, places: 2) } ?? "—")\(line.underutilised ? " ▼" : "")</td>"
            out += "<td class=\"n\">\(grouped(line.vehicles))</td><td class=\"n\">\(grouped(line.outOfHours))</td>"
            out += "<td class=\"n\">\(grouped(line.incidents))</td><td class=\"n\">\(line.incidentsPer10kCrossings.map { decimal($0, places: 2) } ?? "—")</td></tr>\n"
        }
        out += "</tbody>\n</table>\n</section>\n"
        return out
    }

    // MARK: Charts

    struct Bar {
        var label: String
        var labelLocal: String
        var value: Double
        var note: String
        var alert = false
    }

    /// Horizontal bars with labels in English and Thai; an optional threshold line.
    private func barChart(_ bars: [Bar], unit: String, threshold: Double? = nil, decimals: Int = 0) -> String {
        guard !bars.isEmpty else { return "<p class=\"note\">Nothing to show.</p>\n" }
        let rowHeight = 26.0, labelWidth = 330.0, chartWidth = 360.0, valueWidth = 150.0
        let height = rowHeight * Double(bars.count) + 10
        let maximum = max(bars.map(\.value).max() ?? 1, threshold ?? 0, 0.000_001)
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(Int(labelWidth + chartWidth + valueWidth)) \(Int(height))\" role=\"img\" aria-label=\"\(escape(unit))\">\n"
        for (index, bar) in bars.enumerated() {
            let y = Double(index) * rowHeight + 4
            let width = max(1, bar.value / maximum * chartWidth)
            let label = bar.labelLocal.isEmpty ? escape(bar.label) : "\(escape(bar.label)) <tspan class=\"th\">\(escape(bar.labelLocal))</tspan>"
            svg += "<text x=\"\(Int(labelWidth - 8))\" y=\"\(fmt(y + 17))\" text-anchor=\"end\">\(label)</text>\n"
            svg += "<rect x=\"\(Int(labelWidth))\" y=\"\(fmt(y + 3))\" width=\"\(fmt(width))\" height=\"\(fmt(rowHeight - 8))\" class=\"\(bar.alert ? "bar alert" : "bar")\"/>\n"
            let value = decimals == 0 ? grouped(bar.value) : decimal(bar.value, places: decimals)
            svg += "<text x=\"\(fmt(labelWidth + width + 6))\" y=\"\(fmt(y + 17))\" class=\"value\">\(value)\(bar.note.isEmpty ? "" : " · \(escape(bar.note))")</text>\n"
        }
        if let threshold {
            let x = labelWidth + threshold / maximum * chartWidth
            svg += "<line x1=\"\(fmt(x))\" y1=\"0\" x2=\"\(fmt(x))\" y2=\"\(fmt(height))\" class=\"threshold\"/>\n"
            svg += "<text x=\"\(fmt(x + 4))\" y=\"\(fmt(height - 2))\" class=\"threshold-label\">threshold \(decimal(threshold, places: 2))</text>\n"
        }
        return svg + "</svg>\n"
    }

    /// A line of values over time, with the first, middle and last labels under it.
    private func lineChart(_ points: [(String, Double)], unit: String) -> String {
        guard points.count > 0 else { return "<p class=\"note\">Nothing to show.</p>\n" }
        let width = 820.0, height = 220.0, left = 50.0, bottom = 30.0, top = 16.0
        let maximum = max(points.map(\.1).max() ?? 1, 1)
        let step = points.count > 1 ? (width - left - 20) / Double(points.count - 1) : 0
        func x(_ index: Int) -> Double { left + Double(index) * step }
        func y(_ value: Double) -> Double { top + (height - top - bottom) * (1 - value / maximum) }
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(escape(unit)) over time\">\n"
        for fraction in [0.0, 0.5, 1.0] {
            let value = maximum * fraction
            svg += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(y(value)))\" x2=\"\(fmt(width - 10))\" y2=\"\(fmt(y(value)))\" class=\"grid\"/>\n"
            svg += "<text x=\"\(fmt(left - 6))\" y=\"\(fmt(y(value) + 4))\" text-anchor=\"end\" class=\"axis\">\(grouped(value.rounded()))</text>\n"
        }
        let path = points.enumerated().map { "\(fmt(x($0.offset))),\(fmt(y($0.element.1)))" }.joined(separator: " ")
        svg += "<polyline points=\"\(path)\" class=\"line\"/>\n"
        for (index, point) in points.enumerated() {
            svg += "<circle cx=\"\(fmt(x(index)))\" cy=\"\(fmt(y(point.1)))\" r=\"3\" class=\"dot\"><title>\(escape(point.0)): \(grouped(point.1))</title></circle>\n"
        }
        for index in Set([0, points.count / 2, points.count - 1]).sorted() {
            let anchor = index == 0 ? "start" : (index == points.count - 1 ? "end" : "middle")
            svg += "<text x=\"\(fmt(x(index)))\" y=\"\(fmt(height - 8))\" text-anchor=\"\(anchor)\" class=\"axis\">\(escape(points[index].0))</text>\n"
        }
        return svg + "</svg>\n"
    }

    private func fmt(_ value: Double) -> String { decimal(value, places: 1).replacingAll(",", "") }

    static let style = """
        body { font-family: "Noto Sans", "Noto Sans Thai", "Sarabun", "Leelawadee UI", Tahoma, sans-serif; margin: 2rem auto; max-width: 60rem; color: #1d2630; padding: 0 1rem; }
        h1 { font-size: 1.6rem; margin: 0 0 .2rem; } h2 { font-size: 1.15rem; border-bottom: 2px solid #24527a; padding-bottom: .2rem; margin-top: 2rem; }
        header p { margin: .1rem 0; color: #4a5a6a; } [lang="th"], .th { color: #4a5a6a; }
        .cards { display: flex; gap: .8rem; flex-wrap: wrap; } .card { border: 1px solid #c8d3dd; border-radius: 6px; padding: .6rem .9rem; min-width: 10rem; }
        .card .value { font-size: 1.5rem; font-weight: 600; } .card .label { font-weight: 600; } .card .previous { font-size: .8rem; color: #4a5a6a; }
        table { border-collapse: collapse; width: 100%; font-size: .85rem; margin-top: .6rem; } th, td { border-bottom: 1px solid #dde4ea; padding: .25rem .4rem; text-align: left; }
        th { background: #eef3f7; } td.n { text-align: right; font-variant-numeric: tabular-nums; } tr.total td { font-weight: 600; border-top: 2px solid #24527a; }
        tr.quiet td { color: #8795a3; } tr.alert td { background: #fdecea; }
        .chart { width: 100%; height: auto; font-size: 13px; } .chart text { fill: #1d2630; } .chart .value, .chart .axis { fill: #4a5a6a; font-size: 12px; }
        .bar { fill: #24527a; } .bar.alert { fill: #c0392b; } .threshold { stroke: #c0392b; stroke-dasharray: 4 3; } .threshold-label { fill: #c0392b; font-size: 11px; }
        .line { fill: none; stroke: #24527a; stroke-width: 2; } .dot { fill: #24527a; } .grid { stroke: #dde4ea; }
        .note { font-size: .85rem; color: #4a5a6a; } footer { margin-top: 2.5rem; font-size: .75rem; color: #8795a3; border-top: 1px solid #dde4ea; padding-top: .5rem; }
        @media print { body { margin: 0; max-width: none; } .page-break { break-before: page; } section { break-inside: avoid-page; } }
        """
}

/// Escapes text for HTML content and attributes.
func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for character in text {
        switch character {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(character)
        }
    }
    return out
}

extension String {
    func replacingAll(_ target: String, _ replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

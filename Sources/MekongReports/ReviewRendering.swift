import MekongCore

extension CheckpointReview {
    /// The JSON of SPEC section 4.
    public func json(pretty: Bool) -> String {
        var json = JSONWriter(pretty: pretty, capacity: 8192)
        json.beginObject()
        period.write(to: &json, timeZone: timeZone)
        json.field("threshold", threshold)
        json.key("checkpoints")
        json.beginArray()
        for line in checkpoints {
            json.beginObject()
            json.field("code", line.checkpoint.code)
            json.field("name", line.checkpoint.name)
            json.field("name_local", line.checkpoint.nameLocal)
            json.field("district", line.checkpoint.district)
            json.field("kind", line.checkpoint.kind.rawValue)
            json.field("status", line.checkpoint.status.rawValue)
            json.field("days_reported", line.daysReported)
            json.field("persons", line.persons)
            json.field("vehicles", line.vehicles)
            json.field("out_of_hours", line.outOfHours)
            json.field("avg_daily_persons", line.averageDailyPersons)
            json.field("peer_median_avg_daily_persons", line.peerMedianAverageDailyPersons)
            json.field("utilisation_ratio", line.utilisationRatio)
            json.field("underutilised", line.underutilised)
            json.field("incidents", line.incidents)
            json.field("incidents_per_10k_crossings", line.incidentsPer10kCrossings)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.text + "\n"
    }

    public func table() -> TextTable {
        var table = TextTable([.init("Code"), .init("Checkpoint"), .init("Kind"), .init("Status"), .init("Days", .right),
                               .init("Persons", .right), .init("Avg/day", .right), .init("Peer median", .right),
                               .init("Ratio", .right), .init("Under-used"), .init("Vehicles", .right), .init("Out of hours", .right),
                               .init("Incidents", .right), .init("Per 10k", .right)])
        for line in checkpoints {
            table.append([line.checkpoint.code, CheckpointReview.name(line.checkpoint), line.checkpoint.kind.rawValue,
                          line.checkpoint.status.rawValue, grouped(line.daysReported), grouped(line.persons),
                          line.averageDailyPersons.map { decimal($0, places: 1) } ?? "—",
                          line.peerMedianAverageDailyPersons.map { decimal($0, places: 1) } ?? "—",
                          line.utilisationRatio.map { decimal($0, places: 2) } ?? "—", line.underutilised ? "UNDER-USED" : "",
                          grouped(line.vehicles), grouped(line.outOfHours), grouped(line.incidents),
                          line.incidentsPer10kCrossings.map { decimal($0, places: 2) } ?? "—"])
        }
        return table
    }

    public func text() -> String {
        var out = "Checkpoint utilisation review, \(period.from) to \(period.to) (local dates, \(timeZone))\n"
        out += "Under-used: below \(decimal(threshold, places: 2)) of the median daily persons of checkpoints of the same kind.\n\n"
        out += table().renderAligned()
        return out
    }

    static func name(_ checkpoint: Checkpoint) -> String {
        checkpoint.nameLocal.isEmpty ? checkpoint.name : "\(checkpoint.name) \(checkpoint.nameLocal)"
    }
}

extension TrendReport {
    public func json(pretty: Bool) -> String {
        var json = JSONWriter(pretty: pretty, capacity: 16_384)
        json.beginObject()
        period.write(to: &json, timeZone: timeZone)
        json.field("by", step.rawValue)
        json.field("type", type?.rawValue)
        json.field("district", district)
        json.key("points")
        json.beginArray()
        for point in points {
            json.beginObject()
            json.field("start", point.start.description)
            json.field("label", point.label)
            point.figures.write(to: &json)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.text + "\n"
    }

    public func table() -> TextTable {
        var table = TextTable([.init(step == .month ? "Month" : "Week of"), .init("Incidents", .right), .init("Arrests", .right),
                               .init("Victims", .right), .init("Scam loss THB", .right), .init("Tablets", .right),
                               .init("Crystal meth kg", .right), .init("Large seizures", .right), .init("")])
        let peak = max(1, points.map(\.figures.incidents).max() ?? 1)
        for point in points {
            let tablets = point.figures.seizures.filter { $0.unit == .tablets }.reduce(0) { $0 + $1.quantity }
            let crystal = point.figures.seizures.filter { $0.item == .crystalMethamphetamine }.reduce(0) { $0 + $1.quantity }
            let bar = String(repeating: "▇", count: Int((Double(point.figures.incidents) / Double(peak) * 30).rounded(.up)))
            table.append([point.label, grouped(point.figures.incidents), grouped(point.figures.arrests), grouped(point.figures.victims),
                          grouped(point.figures.lossTHB), grouped(tablets), grouped(crystal), grouped(point.figures.largeSeizures), bar])
        }
        return table
    }

    public func text() -> String {
        var scope: [String] = []
        if let type { scope.append(type.label.lowercased()) }
        if let district { scope.append("district \(district)") }
        var out = "Trend by \(step.rawValue), \(period.from) to \(period.to) (local dates, \(timeZone))"
        out += scope.isEmpty ? "\n\n" : ": \(scope.joined(separator: ", "))\n\n"
        return out + table().renderAligned()
    }
}

extension DistrictReport {
    /// One row per district (and the total) with every figure in its own column, for
    /// spreadsheets: types, people, losses, large seizures, the previous period, and seizure
    /// totals as `item unit` columns.
    public func flatTable() -> TextTable {
        let seizureKeys = totals.seizures.map { ($0.item, $0.unit) }
        var columns: [TextTable.Column] = [.init("code"), .init("name"), .init("name_local"), .init("incidents", .right)]
        columns += IncidentType.allCases.map { .init($0.rawValue, .right) }
        columns += ["arrests", "persons", "vehicles", "victims", "loss_thb", "large_seizures", "previous_incidents"].map { .init($0, .right) }
        columns += seizureKeys.map { .init("\($0.0.rawValue)_\($0.1.rawValue)", .right) }
        var table = TextTable(columns)
        func row(_ code: String, _ name: String, _ local: String, _ figures: DistrictFigures, _ previous: DistrictFigures) -> [String] {
            var cells = [code, name, local, String(figures.incidents)]
            cells += IncidentType.allCases.map { String(figures.byType[$0] ?? 0) }
            cells += [figures.arrests, figures.persons, figures.vehicles, figures.victims].map(String.init)
            cells += [formatNumber(figures.lossTHB), String(figures.largeSeizures), String(previous.incidents)]
            cells += seizureKeys.map { key in
                formatNumber(figures.seizures.first { $0.item == key.0 && $0.unit == key.1 }?.quantity ?? 0)
            }
            return cells
        }
        for line in districts {
            table.append(row(line.district.code, line.district.name, line.district.nameLocal, line.figures, line.previous))
        }
        table.append(row("", "Total", "", totals, previousTotals))
        return table
    }
}

/// A number with a fixed count of decimals and thousands separators: `1,234.5`.
public func decimal(_ value: Double, places: Int) -> String {
    let scale = pow10(places)
    let rounded = (value * scale).rounded() / scale
    let whole = Int(rounded.rounded(.towardZero))
    var fraction = String(Int((abs(rounded - Double(whole)) * scale).rounded()))
    if places == 0 { return grouped(whole) }
    fraction = String(repeating: "0", count: max(0, places - fraction.count)) + fraction
    let sign = rounded < 0 && whole == 0 ? "-" : ""
    return sign + grouped(whole) + "." + fraction
}

private func pow10(_ places: Int) -> Double {
    var value = 1.0
    for _ in 0..<places { value *= 10 }
    return value
}

import MekongCore

extension DistrictFigures {
    /// The SPEC section 4 fields of one district or of the totals.
    func write(to json: inout JSONWriter) {
        json.field("incidents", incidents)
        json.key("by_type")
        json.beginObject()
        for type in IncidentType.allCases {
            if let count = byType[type], count > 0 { json.field(type.rawValue, count) }
        }
        json.endObject()
        json.field("arrests", arrests)
        json.field("persons", persons)
        json.field("vehicles", vehicles)
        json.field("victims", victims)
        json.field("loss_thb", lossTHB)
        json.key("seizures")
        json.beginArray()
        for total in seizures {
            json.beginObject()
            json.field("item", total.item.rawValue)
            json.field("unit", total.unit.rawValue)
            json.field("quantity", total.quantity)
            json.field("incidents", total.incidents)
            json.endObject()
        }
        json.endArray()
        json.field("large_seizures", largeSeizures)
    }

    /// Figures with their previous period and the change from it.
    func write(to json: inout JSONWriter, previous: DistrictFigures) {
        write(to: &json)
        json.key("previous")
        json.beginObject()
        previous.write(to: &json)
        json.endObject()
        json.key("change")
        json.beginObject()
        json.field("incidents", incidents - previous.incidents)
        json.field("incidents_percent", previous.incidents == 0 ? nil : Double(incidents - previous.incidents) / Double(previous.incidents) * 100)
        json.field("arrests", arrests - previous.arrests)
        json.field("loss_thb", lossTHB - previous.lossTHB)
        json.field("large_seizures", largeSeizures - previous.largeSeizures)
        json.endObject()
    }
}

extension DistrictReport {
    /// The JSON of SPEC section 4.
    public func json(pretty: Bool) -> String {
        var json = JSONWriter(pretty: pretty, capacity: 16_384)
        json.beginObject()
        period.write(to: &json, timeZone: timeZone)
        period.previous.write(to: &json, key: "previous_period")
        json.key("districts")
        json.beginArray()
        for line in districts {
            json.beginObject()
            json.field("code", line.district.code)
            json.field("name", line.district.name)
            json.field("name_local", line.district.nameLocal)
            line.figures.write(to: &json, previous: line.previous)
            json.endObject()
        }
        json.endArray()
        json.key("totals")
        json.beginObject()
        totals.write(to: &json, previous: previousTotals)
        json.endObject()
        json.endObject()
        return json.text + "\n"
    }

    /// Incidents by district and type. On a terminal (`compact`) the types share one column
    /// ("Drugs 7 · Scam 3") so the table fits; for CSV and Markdown each type has its own.
    public func incidentsTable(compact: Bool) -> TextTable {
        var columns: [TextTable.Column] = [.init("District"), .init("Incidents", .right), .init("Previous", .right)]
        columns += compact ? [.init("By type")] : IncidentType.allCases.map { .init($0.rawValue, .right) }
        var table = TextTable(columns)
        func cells(_ name: String, _ figures: DistrictFigures, _ previous: DistrictFigures) -> [String] {
            var row = [name, grouped(figures.incidents), grouped(previous.incidents)]
            if compact {
                row.append(IncidentType.allCases.compactMap { type in
                    figures.byType[type].map { "\(Self.shortLabel(type)) \(grouped($0))" }
                }.joined(separator: " · "))
            } else {
                row += IncidentType.allCases.map { grouped(figures.byType[$0] ?? 0) }
            }
            return row
        }
        for line in districts {
            table.append(cells(Self.districtName(line.district), line.figures, line.previous))
        }
        var total = cells("Total", totals, previousTotals)
        if compact { total[3] = "by type below" }
        table.append(total)
        return table
    }

    /// Incidents of all districts by type, with the previous period: the province at a glance.
    public func typesTable() -> TextTable {
        var table = TextTable([.init("Type"), .init("Incidents", .right), .init("Previous", .right)])
        for type in IncidentType.allCases {
            table.append([type.label, grouped(totals.byType[type] ?? 0), grouped(previousTotals.byType[type] ?? 0)])
        }
        table.append(["Total", grouped(totals.incidents), grouped(previousTotals.incidents)])
        return table
    }

    /// Arrests, people, vehicles, victims, scam losses and large seizures by district.
    public func peopleTable() -> TextTable {
        var table = TextTable([.init("District"), .init("Arrests", .right), .init("Persons", .right), .init("Vehicles", .right),
                               .init("Victims", .right), .init("Scam loss THB", .right), .init("Large seizures", .right)])
        func cells(_ name: String, _ figures: DistrictFigures) -> [String] {
            [name, grouped(figures.arrests), grouped(figures.persons), grouped(figures.vehicles),
             grouped(figures.victims), grouped(figures.lossTHB), grouped(figures.largeSeizures)]
        }
        for line in districts { table.append(cells(Self.districtName(line.district), line.figures)) }
        table.append(cells("Total", totals))
        return table
    }

    /// Seizure totals in canonical units, by district, then for the whole province.
    public func seizuresTable() -> TextTable {
        var table = TextTable([.init("District"), .init("Item"), .init("Quantity", .right), .init("Unit"), .init("Incidents", .right)])
        for line in districts {
            for total in line.figures.seizures {
                table.append([Self.districtName(line.district), total.item.rawValue, grouped(total.quantity), total.unit.rawValue, grouped(total.incidents)])
            }
        }
        for total in totals.seizures {
            table.append(["Total", total.item.rawValue, grouped(total.quantity), total.unit.rawValue, grouped(total.incidents)])
        }
        return table
    }

    /// Both tables under a title, for a terminal.
    public func text() -> String {
        var out = "District summary, \(period.from) to \(period.to) (local dates, \(timeZone))\n"
        out += "Previous period for comparison: \(period.previous.from) to \(period.previous.to)\n\n"
        out += "Incidents by district\n\n"
        out += incidentsTable(compact: true).renderAligned()
        out += "\nIncidents by type, all districts\n\n"
        out += typesTable().renderAligned()
        out += "\nPeople, vehicles and losses\n\n"
        out += peopleTable().renderAligned()
        out += "\nSeizures in canonical units (g, t → kg; ml → l)\n\n"
        if totals.seizures.isEmpty {
            out += "No seizures in this period.\n"
        } else {
            out += seizuresTable().renderAligned()
        }
        return out
    }

    /// A short name for the compact "by type" column.
    static func shortLabel(_ type: IncidentType) -> String {
        switch type {
        case .drugSeizure: "Drugs"
        case .scam: "Scam"
        case .vehicleSmuggling: "Vehicles"
        case .goodsSmuggling: "Goods"
        case .illegalImmigration: "Immigration"
        case .humanTrafficking: "Trafficking"
        case .wildlifeTrafficking: "Wildlife"
        case .timberTrafficking: "Timber"
        case .hazeFire: "Haze"
        case .crossBorderAssistance: "Assistance"
        case .other: "Other"
        }
    }

    static func districtName(_ district: District) -> String {
        district.nameLocal.isEmpty ? "\(district.code) \(district.name)" : "\(district.code) \(district.name) \(district.nameLocal)"
    }
}

/// A whole number with thousands separators (`1,350,000`); decimals kept to three places.
public func grouped(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var out = ""
    for (index, character) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
        out.append(character)
    }
    return value < 0 ? "-" + out : out
}

public func grouped(_ value: Double) -> String {
    if value.rounded(.towardZero) == value, abs(value) < 9e15 { return grouped(Int(value)) }
    let whole = value.rounded(.towardZero)
    let thousandths = Int(((abs(value) - abs(whole)) * 1000).rounded())
    if thousandths >= 1000 { return grouped(value.rounded()) }
    var fraction = String(thousandths)
    fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
    while fraction.hasSuffix("0") { fraction.removeLast() }
    let sign = value < 0 && whole == 0 ? "-" : ""
    return fraction.isEmpty ? sign + grouped(Int(whole)) : sign + grouped(Int(whole)) + "." + fraction
}

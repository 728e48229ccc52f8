import Foundation
import MekongCore
import MekongReports

/// Seeded, realistic raw records for report tests, and the figures of SPEC section 4 computed
/// from them without any of the code under test.
struct GeneratedRecords {
    struct Raw {
        var type: String
        var occurredAt: String
        var district: String
        var arrests: Int
        var persons: Int
        var vehicles: Int
        var victims: Int
        var loss: Double?
        var seizures: [(item: String, quantity: Double, unit: String)]
    }

    var list: [Raw] = []

    /// Districts 5701–5716 get incidents; 5717 and 5718 never do, so "nothing happened" is covered.
    init(seed: UInt64, count: Int) {
        var random = SeededRandom(seed: seed)
        let types = ["drug_seizure", "scam", "vehicle_smuggling", "goods_smuggling", "illegal_immigration", "human_trafficking",
                     "wildlife_trafficking", "timber_trafficking", "haze_fire", "cross_border_assistance", "other"]
        let seizureChoices: [(String, [String])] = [
            ("methamphetamine_tablets", ["tablets"]), ("crystal_methamphetamine", ["g", "kg", "t"]), ("heroin", ["g", "kg"]),
            ("precursor_chemicals", ["kg", "t", "l", "ml"]), ("timber", ["kg", "pieces", "t"]), ("wildlife", ["g", "pieces", "l"]),
        ]
        for index in 0..<count {
            let district = String(format: "57%02d", 1 + Int(random.next() % 16))
            // Times cluster around local midnight and month ends, in every accepted form.
            let month = 1 + Int(random.next() % 12)
            let day = [1, 2, 15, 28, 29, 30, 31].randomElement(using: &random)!
            let lastDay = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
            let date = String(format: "2025-%02d-%02d", month, min(day, lastDay))
            let occurredAt: String
            switch index % 6 {
            case 0: occurredAt = date
            case 1: occurredAt = date + String(format: "T%02d:%02d", Int(random.next() % 24), Int(random.next() % 60))
            case 2: occurredAt = date + String(format: "T%02d:%02d:00Z", [16, 17, 18, 23, 0][Int(random.next() % 5)], Int(random.next() % 60))
            case 3: occurredAt = date + String(format: "T%02d:30:00+07:00", [0, 23, 6][Int(random.next() % 3)])
            case 4: occurredAt = date + "T23:59:59.999+07:00"
            default: occurredAt = date + String(format: "T%02d:15:00-05:00", Int(random.next() % 24))
            }
            var seizures: [(String, Double, String)] = []
            for _ in 0..<Int(random.next() % 3) {
                let (item, units) = seizureChoices.randomElement(using: &random)!
                let unit = units.randomElement(using: &random)!
                let quantity: Double = switch unit {
                case "tablets": Double([200_000, 250_000, 1_000_000, 999_999, 1_400_000][Int(random.next() % 5)])
                case "pieces": Double(1 + random.next() % 40)
                case "g", "ml": Double(1 + random.next() % 150_000) / 4
                case "t": Double(1 + random.next() % 400) / 1000
                default: Double(1 + random.next() % 2000) / 8
                }
                seizures.append((item, quantity, unit))
            }
            list.append(Raw(type: types[Int(random.next() % UInt64(types.count))], occurredAt: occurredAt, district: district,
                            arrests: Int(random.next() % 4), persons: Int(random.next() % 30), vehicles: Int(random.next() % 3),
                            victims: Int(random.next() % 5), loss: random.next() % 3 == 0 ? Double(random.next() % 5_000_000) / 2 : nil,
                            seizures: seizures))
        }
    }

    var ndjson: String {
        list.map { raw in
            var object: [String: Any] = [
                "type": raw.type, "occurred_at": raw.occurredAt, "district": raw.district, "summary": "generated",
                "arrests": raw.arrests, "persons": raw.persons, "vehicles": raw.vehicles, "victims": raw.victims,
                "seizures": raw.seizures.map { ["item": $0.item, "quantity": $0.quantity, "unit": $0.unit] },
            ]
            if let loss = raw.loss { object["loss_thb"] = loss }
            let data = try! JSONSerialization.data(withJSONObject: object)
            return String(decoding: data, as: UTF8.self)
        }.joined(separator: "\n")
    }

    /// The local date in Asia/Bangkok, by Foundation: a naive time or bare date is already local.
    static func localDate(_ text: String) -> String {
        if text.count == 10 || !(text.hasSuffix("Z") || text.dropFirst(19).contains("+") || text.dropFirst(19).contains("-")) {
            return String(text.prefix(10))
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let date = formatter.date(from: text) ?? {
            formatter.formatOptions = [.withInternetDateTime]
            return formatter.date(from: text)!
        }()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Bangkok")!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    /// Canonical unit and factor, written out again here rather than taken from MekongCore.
    static let canonical: [String: (String, Double)] = [
        "g": ("kg", 0.001), "kg": ("kg", 1), "t": ("kg", 1000), "ml": ("l", 0.001), "l": ("l", 1),
        "tablets": ("tablets", 1), "pieces": ("pieces", 1),
    ]

    /// The figures of one district (or all) between two local dates, inclusive.
    func figures(district: String?, from: String, to: String) -> DistrictFigures {
        var figures = DistrictFigures()
        var totals: [String: (quantity: Double, incidents: Int)] = [:]
        for raw in list where district == nil || raw.district == district {
            let day = GeneratedRecords.localDate(raw.occurredAt)
            guard day >= from && day <= to else { continue }
            figures.incidents += 1
            figures.byType[IncidentType(rawValue: raw.type)!, default: 0] += 1
            figures.arrests += raw.arrests
            figures.persons += raw.persons
            figures.vehicles += raw.vehicles
            figures.victims += raw.victims
            figures.lossTHB += raw.loss ?? 0
            var perItem: [String: Double] = [:]
            for seizure in raw.seizures {
                let (unit, factor) = GeneratedRecords.canonical[seizure.unit]!
                let key = seizure.item + "|" + unit
                perItem[key, default: 0] += seizure.quantity * factor
            }
            var large = false
            for (key, quantity) in perItem {
                totals[key, default: (0, 0)].quantity += quantity
                totals[key, default: (0, 0)].incidents += 1
                if (key.hasSuffix("|tablets") && quantity >= 1_000_000) || (key.hasSuffix("|kg") && quantity >= 100 - 1e-9) { large = true }
            }
            if large { figures.largeSeizures += 1 }
        }
        figures.seizures = totals.keys.sorted().map { key in
            let parts = key.split(separator: "|")
            return SeizureTotal(item: SeizureItem(rawValue: String(parts[0]))!, unit: QuantityUnit(rawValue: String(parts[1]))!,
                                quantity: totals[key]!.quantity, incidents: totals[key]!.incidents)
        }
        return figures
    }
}

struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x1234_5678 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

import MekongCore
import Testing

@Suite("Seizure units and normalisation")
struct SeizureTests {
    @Test("mass is normalised to kg", arguments: [
        (500.0, QuantityUnit.g, 0.5), (300, .g, 0.3), (1, .g, 0.001), (48.5, .kg, 48.5), (3.2, .t, 3200), (0.25, .t, 250),
    ])
    func massToKilograms(quantity: Double, unit: QuantityUnit, expected: Double) throws {
        let seizure = try Seizure(item: .heroin, quantity: quantity, unit: unit)
        #expect(seizure.unit == .kg)
        #expect(seizure.quantity == expected)
        #expect(seizure.recordedQuantity == quantity)
        #expect(seizure.recordedUnit == unit)
    }

    @Test("volume is normalised to litres")
    func volumeToLitres() throws {
        let millilitres = try Seizure(item: .precursorChemicals, quantity: 800, unit: .ml)
        #expect(millilitres.unit == .l)
        #expect(millilitres.quantity == 0.8)
        let litres = try Seizure(item: .precursorChemicals, quantity: 450, unit: .l)
        #expect(litres.unit == .l)
        #expect(litres.quantity == 450)
    }

    @Test("counts stay as they are")
    func countsStay() throws {
        let tablets = try Seizure(item: .methamphetamineTablets, quantity: 1_350_000, unit: .tablets)
        #expect(tablets.unit == .tablets)
        #expect(tablets.quantity == 1_350_000)
        let pieces = try Seizure(item: .wildlife, quantity: 18, unit: .pieces)
        #expect(pieces.unit == .pieces)
        #expect(pieces.quantity == 18)
    }

    @Test("a unit that does not fit the item is refused", arguments: [
        (SeizureItem.methamphetamineTablets, QuantityUnit.kg),
        (.methamphetamineTablets, .g),
        (.methamphetamineTablets, .pieces),
        (.heroin, .tablets),
        (.heroin, .l),
        (.crystalMethamphetamine, .ml),
        (.cannabis, .pieces),
        (.precursorChemicals, .pieces),
        (.precursorChemicals, .tablets),
        (.wildlife, .tablets),
        (.timber, .tablets),
        (.other, .tablets),
    ])
    func mismatchRefused(item: SeizureItem, unit: QuantityUnit) {
        #expect {
            try Seizure(item: item, quantity: 10, unit: unit)
        } throws: { error in
            let failure = try #require(error as? ValidationFailure)
            return failure.problems.map(\.field) == ["seizures.unit"]
                && failure.problems[0].message.contains("does not fit \(item.rawValue)")
        }
    }

    @Test("every accepted item/unit pair is accepted", arguments: SeizureItem.allCases)
    func acceptedPairs(item: SeizureItem) throws {
        for unit in item.acceptedUnits {
            _ = try Seizure(item: item, quantity: 5, unit: unit)
        }
        let expected: Set<QuantityUnit> = switch item {
        case .methamphetamineTablets: [.tablets]
        case .crystalMethamphetamine, .heroin, .opium, .ketamine, .cannabis, .cocaine: [.g, .kg, .t]
        case .precursorChemicals: [.g, .kg, .t, .ml, .l]
        case .wildlife, .timber, .other: [.g, .kg, .t, .ml, .l, .pieces]
        }
        #expect(Set(item.acceptedUnits) == expected)
    }

    @Test("quantities must be positive, finite and whole for counts")
    func badQuantities() {
        for (quantity, unit) in [(0.0, QuantityUnit.kg), (-1, .kg), (.nan, .kg), (.infinity, .kg), (1.5, .tablets), (2.25, .pieces), (2e12, .kg)] {
            #expect(throws: ValidationFailure.self) { try Seizure(item: .other, quantity: quantity, unit: unit) }
        }
    }

    @Test("the compact form is read, and every problem in it reported")
    func compactForm() throws {
        let seizure = try Seizure(compact: "methamphetamine_tablets:250000:tablets")
        #expect(seizure.item == .methamphetamineTablets)
        #expect(seizure.quantity == 250_000)
        #expect(try Seizure(compact: "heroin:850:g").quantity == 0.85)

        #expect {
            try Seizure(compact: "herion:lots:kilos")
        } throws: { error in
            let fields = (error as? ValidationFailure)?.problems.map(\.field)
            return fields == ["seizure.item", "seizure.quantity", "seizure.unit"]
        }
        #expect(throws: ValidationFailure.self) { try Seizure(compact: "heroin:5") }
        #expect(throws: ValidationFailure.self) { try Seizure(compact: "heroin:5:kg:extra") }
        #expect(throws: ValidationFailure.self) { try Seizure(compact: "heroin: 5:kg") }
        #expect(throws: ValidationFailure.self) { try Seizure(compact: "heroin:1,000:kg") }
    }

    @Test("a list cell names the entry at fault")
    func compactList() throws {
        #expect(try Seizure.parseList("").isEmpty)
        let list = try Seizure.parseList("opium:25:kg;heroin:4000:g")
        #expect(list.map(\.quantity) == [25, 4])
        #expect {
            try Seizure.parseList("opium:25:kg;heroin:4:tablets")
        } throws: { error in
            (error as? ValidationFailure)?.problems.map(\.field) == ["seizures[2].unit"]
        }
    }

    @Test("decimal numbers are read strictly")
    func decimals() {
        #expect(parseDecimal("250000") == 250_000)
        #expect(parseDecimal("1.5") == 1.5)
        #expect(parseDecimal("2e6") == 2_000_000)
        #expect(parseDecimal("-3") == -3)
        #expect(parseDecimal(".5") == 0.5)
        for bad in ["", " 1", "1 ", "1,000", "0x10", "nan", "inf", "1e", "e5", "--1", "1.2.3", "+"] {
            #expect(parseDecimal(bad) == nil, "\(bad)")
        }
    }

    @Test("numbers print without a needless .0")
    func formatting() {
        #expect(formatNumber(1_350_000) == "1350000")
        #expect(formatNumber(0.25) == "0.25")
        #expect(formatNumber(83.5) == "83.5")
    }
}

// libFuzzer target: the `--seizure` / CSV cell compact form, and the other small parsers a
// command line hands user text to.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSeizure(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let seizures = try? Seizure.parseList(text) {
        for seizure in seizures {
            precondition(seizure.quantity > 0 && seizure.quantity.isFinite, "a seizure passed with quantity \(seizure.quantity)")
            precondition(seizure.item.acceptedMeasures.contains(seizure.unit.measure), "a unit that does not fit passed")
            precondition((try? Seizure(compact: seizure.compact))?.quantity == seizure.quantity, "the compact form does not read back")
        }
    }
    _ = try? Seizure(compact: text)
    _ = parseDecimal(text)
    if let occurred = try? OccurredAt(text) {
        _ = occurred.localDate(in: LocalCalendar(identifier: "America/New_York")!)
    }
    _ = LocalDate(text)
    _ = LocalTimeOfDay(text)
    _ = IncidentID(text)
    return 0
}

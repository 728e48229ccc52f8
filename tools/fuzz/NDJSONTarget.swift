// libFuzzer target: one NDJSON record, read and validated as `mekong import` does.
// Built into the MekongCore module by tools/fuzz/run.sh (no import needed).

private let known = KnownCodes(districts: ["5709", "5708", "5703"], checkpoints: ["MS1", "CS1"])

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNDJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let draft = try? IncidentJSON.read(bytes) else { return 0 }
    var generator = IncidentIDGenerator()
    guard let incident = try? draft.validate(known: known, newID: { generator.next(nowMilliseconds: 1_750_000_000_000) }) else { return 0 }
    // What the store then does with a valid record: encode it, hash input and read it back.
    var writer = JSONWriter()
    IncidentJSON.write(incident, to: &writer)
    precondition((try? IncidentJSON.read(writer.bytes))?.readProblems.isEmpty == true, "an exported record does not read back")
    var state = JSONWriter()
    incident.writeAuditState(to: &state)
    precondition(state.bytes == JSONValue.object(incident.auditState).canonicalBytes, "canonical encodings differ")
    _ = incident.occurredAt.localDate(in: LocalCalendar(identifier: "Asia/Bangkok")!)
    return 0
}

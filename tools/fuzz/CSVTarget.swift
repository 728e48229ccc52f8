// libFuzzer target: an incident CSV, fed to the RFC 4180 reader in two chunks split where the
// input says, each record mapped to a draft and validated as `mekong import` does.

private let known = KnownCodes(districts: ["5709", "5708", "5703"], checkpoints: ["MS1", "CS1"])

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard !bytes.isEmpty else { return 0 }
    let split = Int(bytes[0]) % bytes.count
    var parser = CSVParser()
    parser.maximumFieldBytes = 4096
    var records: [CSVRecord] = []
    do {
        try parser.feed(bytes[1..<max(1, split)]) { records.append($0) }
        try parser.feed(bytes[max(1, split)...]) { records.append($0) }
        try parser.finish { records.append($0) }
    } catch {
        return 0
    }
    // Chunking must not change what is read.
    var whole = CSVParser()
    whole.maximumFieldBytes = 4096
    var again: [CSVRecord] = []
    if (try? whole.feed(bytes[1...]) { again.append($0) }) != nil, (try? whole.finish { again.append($0) }) != nil {
        precondition(again == records, "records depend on where the input was cut")
    }
    guard let header = records.first else { return 0 }
    let fields = header.fields.map { IncidentCSVField(rawValue: $0) }
    var generator = IncidentIDGenerator()
    for record in records.dropFirst() where record.fields.count == fields.count {
        var draft = IncidentDraft()
        for (field, value) in zip(fields, record.fields) where !value.isEmpty { field?.set(value, in: &draft) }
        _ = try? draft.validate(known: known) { generator.next(nowMilliseconds: 1_750_000_000_000) }
    }
    return 0
}

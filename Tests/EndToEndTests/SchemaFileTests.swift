import Foundation
import Testing

/// The JSON Schema in `Schemas/` is checked with a real validator (Python's jsonschema), not
/// with our own decoder. CI installs it and sets MEKONG_REQUIRE_TOOLS=1, so there the check
/// cannot be skipped.
@Suite("JSON Schema of the incident record")
struct SchemaFileTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var validatorAvailable: Bool {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import jsonschema"]
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return false }
        probe.waitUntilExit()
        return probe.terminationStatus == 0
    }

    func validate(_ ndjson: String) throws -> (status: Int32, output: String) {
        guard SchemaFileTests.validatorAvailable else {
            #expect(ProcessInfo.processInfo.environment["MEKONG_REQUIRE_TOOLS"] != "1", "python3 with jsonschema is required in CI")
            return (0, "skipped: no jsonschema")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", SchemaFileTests.root.appendingPathComponent("tools/validate-records.py").path, "-"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data(ndjson.utf8))
        try input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    @Test("the demo incidents are valid records")
    func demoRecords() throws {
        let demo = try String(contentsOf: SchemaFileTests.root.appendingPathComponent("seeds/demo-incidents.ndjson"), encoding: .utf8)
        let result = try validate(demo)
        #expect(result.status == 0, "\(result.output)")
    }

    @Test("the schema refuses what the record format refuses")
    func refusals() throws {
        guard SchemaFileTests.validatorAvailable else { return }
        let bad = [
            #"{"type":"drugs","occurred_at":"2025-06-24","district":"5709","summary":"x"}"#,
            #"{"type":"scam","occurred_at":"24/06/2025","district":"5709","summary":"x"}"#,
            #"{"type":"scam","occurred_at":"2025-06-24","district":"5709","summary":""}"#,
            #"{"type":"scam","occurred_at":"2025-06-24","district":"5709","summary":"x","lat":20}"#,
            #"{"type":"scam","occurred_at":"2025-06-24","district":"5709","summary":"x","arrests":-1}"#,
            #"{"type":"scam","occurred_at":"2025-06-24","district":"5709","summary":"x","distrct":"5709"}"#,
            #"{"type":"scam","occurred_at":"2025-06-24","district":"5709","summary":"x","seizures":[{"item":"heroin","quantity":1,"unit":"tablets"}]}"#,
            #"{"type":"scam","occurred_at":"2025-06-24","district":"5709","summary":"x","seizures":[{"item":"methamphetamine_tablets","quantity":1.5,"unit":"tablets"}]}"#,
            #"{"type":"scam","occurred_at":"2025-06-24","district":"5709"}"#,
        ]
        let result = try validate(bad.joined(separator: "\n"))
        #expect(result.status == 1)
        for (index, line) in bad.enumerated() {
            #expect(result.output.contains("line \(index + 1)"), "accepted: \(line)")
        }
    }
}

import MekongCore
import Testing

@Suite("CSV reading (RFC 4180)")
struct CSVParserTests {
    @Test("quoted commas, doubled quotes and line breaks inside quotes")
    func quoting() throws {
        let records = try CSVParser.records(in: "a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\nlast,,\n")
        #expect(records.map(\.fields) == [["a", "b", "c"], ["x, y", "say \"hi\"", "two\nlines"], ["last", "", ""]])
        #expect(records.map(\.line) == [1, 2, 4])
    }

    @Test("CRLF or LF, a byte-order mark, blank lines, no final line break")
    func lineEnds() throws {
        let records = try CSVParser.records(in: "\u{FEFF}code,name\r\n5709,แม่สาย\r\n\r\n5708,\"เชียง\r\nแสน\"")
        #expect(records.map(\.fields) == [["code", "name"], ["5709", "แม่สาย"], ["5708", "เชียง\r\nแสน"]])
        #expect(records.map(\.line) == [1, 2, 4])
    }

    @Test("records come out the same however the bytes are chunked")
    func chunking() throws {
        let text = "\u{FEFF}a,b\r\n\"1,\r\n2\",\"\"\"\"\r\nx,y"
        let whole = try CSVParser.records(in: text)
        for size in 1...7 {
            var parser = CSVParser()
            var out: [CSVRecord] = []
            let bytes = Array(text.utf8)
            var index = 0
            while index < bytes.count {
                try parser.feed(bytes[index..<min(index + size, bytes.count)]) { out.append($0) }
                index += size
            }
            try parser.finish { out.append($0) }
            #expect(out == whole, "chunks of \(size)")
        }
    }

    @Test("malformed CSV names its line", arguments: [
        ("a,b\n\"open", 2), ("a,b\nx\"y,z", 2), ("a,b\n\"x\"y,z", 2),
    ])
    func malformed(text: String, line: Int) {
        #expect {
            try CSVParser.records(in: text)
        } throws: { error in
            (error as? CSVSyntaxError)?.line == line
        }
    }

    @Test("a table is read by its header")
    func table() throws {
        let table = try CSVTable("name,code,notes\nMae Sai,5709,\n", required: ["code", "name"])
        #expect(table.value(table.rows[0], "code") == "5709")
        #expect(table.value(table.rows[0], "missing") == "")
        #expect(throws: CSVSyntaxError.self) { try CSVTable("name\nx\n", required: ["code"]) }
        #expect(throws: CSVSyntaxError.self) { try CSVTable("code,name\n1\n", required: ["code"]) }
    }
}

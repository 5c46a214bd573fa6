import Foundation
import MarketMapCore
import Testing

@Suite("CSV parser")
struct CSVParserTests {
    func parse(_ text: String, chunk: Int = 7, delimiter: Character = ",") -> [CSVRow] {
        parse(Array(text.utf8), chunk: chunk, delimiter: delimiter)
    }

    func parse(_ bytes: [UInt8], chunk: Int = 7, delimiter: Character = ",", maxField: Int = 1 << 20) -> [CSVRow] {
        var parser = CSVParser(delimiter: delimiter.asciiValue ?? 44, maxFieldBytes: maxField)
        var rows: [CSVRow] = []
        var start = 0
        while start < bytes.count {
            parser.feed(Array(bytes[start..<min(start + chunk, bytes.count)])) { rows.append($0) }
            start += chunk
        }
        parser.finish { rows.append($0) }
        return rows
    }

    func fields(_ rows: [CSVRow]) -> [[String]] {
        rows.compactMap { if case .record(let fields, _, _) = $0 { fields } else { nil } }
    }

    func lines(_ rows: [CSVRow]) -> [Int] {
        rows.map { switch $0 { case .record(_, let line, _), .rejected(let line, _, _): line } }
    }

    @Test("quoted fields, doubled quotes, embedded delimiters and newlines")
    func quoting() {
        let rows = parse("name,notes\r\n\"Acme, Inc.\",\"said \"\"hi\"\"\nthen left\"\r\nBeta,\r\n")
        #expect(fields(rows) == [["name", "notes"], ["Acme, Inc.", "said \"hi\"\nthen left"], ["Beta", ""]])
        #expect(lines(rows) == [1, 2, 4], "physical lines, counting the newline inside quotes")
    }

    @Test("LF, CRLF and lone CR line ends; blank lines skipped; no final newline")
    func lineEnds() {
        let rows = parse("a,b\nc,d\r\ne,f\rg,h\n\n\ni,j")
        #expect(fields(rows) == [["a", "b"], ["c", "d"], ["e", "f"], ["g", "h"], ["i", "j"]])
        #expect(lines(rows) == [1, 2, 3, 4, 7])
    }

    @Test("a UTF-8 byte-order mark is skipped, wherever the chunks split it")
    func bom() {
        for chunk in 1...4 {
            #expect(fields(parse([0xEF, 0xBB, 0xBF] + Array("Name,Website\nA,b".utf8), chunk: chunk)) == [["Name", "Website"], ["A", "b"]])
        }
    }

    @Test("invalid UTF-8 rejects its row only, with the line and raw text")
    func invalidUTF8() {
        let rows = parse(Array("a,b\n".utf8) + [0x41, 0xFF, 0x2C, 0x42, 0x0A] + Array("c,d\n".utf8))
        #expect(fields(rows) == [["a", "b"], ["c", "d"]])
        #expect(rows[1] == .rejected(line: 2, reason: .invalidUTF8, raw: "A\u{FFFD},B"))
    }

    @Test("an unterminated quote rejects the rest of the file from where it started")
    func unterminatedQuote() {
        let rows = parse("a,b\n\"open,x\nmore\n")
        #expect(fields(rows) == [["a", "b"]])
        guard case .rejected(let line, let reason, let raw) = rows.last else {
            Issue.record("expected a rejected row")
            return
        }
        #expect(line == 2)
        #expect(reason == .unterminatedQuote)
        #expect(raw.hasPrefix("\"open,x"))
    }

    @Test("a cell over the limit rejects its row; parsing goes on")
    func hugeCell() {
        let big = String(repeating: "x", count: 5000)
        let rows = parse(Array("a,\(big)\nb,ok\n".utf8), chunk: 100, maxField: 1000)
        #expect(rows.first == .rejected(line: 1, reason: .fieldTooLarge(limit: 1000), raw: String("a,\(big)".prefix(4096))))
        #expect(fields(rows) == [["b", "ok"]])
    }

    @Test("other delimiters; quotes inside unquoted fields are kept as text")
    func delimitersAndSloppyQuotes() {
        #expect(fields(parse("a;b;c\n1;2\"x;3\n", delimiter: ";")) == [["a", "b", "c"], ["1", "2\"x", "3"]])
        #expect(fields(parse("\"a\"b,c\n")) == [["ab", "c"]])
    }

    @Test("property: any fields, written RFC 4180 style, parse back the same at any chunk size")
    func roundTrip() {
        var generator = SeededRandom(seed: 0xC5F_2026)
        let alphabet: [String] = ["a", "Z", "0", " ", ",", "\"", "\n", "\r\n", "é", "東", "🚀", ";", "\t"]
        for _ in 0..<300 {
            let table: [[String]] = (0..<Int.random(in: 1...5, using: &generator)).map { _ in
                (0..<Int.random(in: 1...6, using: &generator)).map { _ in
                    (0..<Int.random(in: 0...8, using: &generator)).map { _ in alphabet.randomElement(using: &generator) ?? "" }.joined()
                }
            }.filter { $0 != [""] }  // a lone empty field is a blank line
            let text = table.map { row in
                row.map { field in
                    field.unicodeScalars.contains(where: { ",\"\n\r".unicodeScalars.contains($0) }) ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
                }.joined(separator: ",")
            }.joined(separator: "\r\n")
            let chunk = Int.random(in: 1...64, using: &generator)
            #expect(fields(parse(text, chunk: chunk)) == table, "\(text.debugDescription) chunk \(chunk)")
        }
    }

    @Test("property: the record splitter finds the same records, lines and key field as the parser, at any chunk size")
    func splitterAgrees() {
        var generator = SeededRandom(seed: 0x5EED)
        let interesting: [UInt8] = [0x22, 0x2C, 0x0A, 0x0D, 0x41, 0xC3, 0xA9, 0xEF, 0xBB, 0xBF, 0x20]
        for _ in 0..<1500 {
            let bytes = (0..<Int.random(in: 0...160, using: &generator)).map { _ in
                Bool.random(using: &generator) ? interesting.randomElement(using: &generator) ?? 0 : UInt8.random(in: 0...255, using: &generator)
            }
            let key = Int.random(in: 0...2, using: &generator)
            var splitter = CSVRecordSplitter(maxFieldBytes: 64, keyColumn: key)
            var seen: [(line: Int, key: String?, rejected: Bool)] = []
            let collect = { (record: CSVRecordBytes) in
                let field = record.keyField.map { range in
                    CSVParser.fields(of: UnsafeRawBufferPointer(rebasing: record.bytes[range]), delimiter: 0x2C).first ?? ""
                }
                seen.append((record.line, field, record.problem != nil))
            }
            let chunk = Int.random(in: 1...40, using: &generator)
            var start = 0
            while start < bytes.count {
                splitter.feed(Array(bytes[start..<min(start + chunk, bytes.count)]), collect)
                start += chunk
            }
            splitter.finish(collect)
            let rows = parse(bytes, chunk: 1000, maxField: 64)
            #expect(seen.map(\.line) == lines(rows), "\(bytes) chunk \(chunk)")
            for (record, row) in zip(seen, rows) {
                if case .record(let fields, _, _) = row {
                    #expect(!record.rejected)
                    #expect(record.key == (key < fields.count ? fields[key] : nil), "\(bytes) chunk \(chunk) key \(key)")
                } else {
                    #expect(record.rejected)
                }
            }
        }
    }

    @Test("property: random bytes never crash or hang, and every row is accounted for")
    func randomBytes() {
        var generator = SeededRandom(seed: 42)
        let interesting: [UInt8] = [0x22, 0x2C, 0x0A, 0x0D, 0x41, 0xFF, 0xC3, 0xA9, 0xEF, 0xBB, 0xBF, 0x00]
        for _ in 0..<2000 {
            let bytes = (0..<Int.random(in: 0...200, using: &generator)).map { _ in
                Bool.random(using: &generator) ? interesting.randomElement(using: &generator) ?? 0 : UInt8.random(in: 0...255, using: &generator)
            }
            let rows = parse(bytes, chunk: Int.random(in: 1...50, using: &generator), maxField: 64)
            #expect(lines(rows) == lines(rows).sorted())
        }
    }
}

import Foundation
import MarketMapCore
import Testing

@Suite("Reading exports: encodings, delimiters, repeated headers, NUL bytes")
struct TextLayoutTests {
    static let header = "Account ID,Account Name,Website\n"
    static let text = header + "001A,Société Générale,sg.fr\n001B,Café Noir,cafe.fr\n"

    func utf16(_ text: String, bigEndian: Bool, bom: Bool) -> [UInt8] {
        var bytes: [UInt8] = bom ? (bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]) : []
        for unit in text.utf16 {
            bytes += bigEndian ? [UInt8(unit >> 8), UInt8(unit & 0xFF)] : [UInt8(unit & 0xFF), UInt8(unit >> 8)]
        }
        return bytes
    }

    func transcode(_ bytes: [UInt8], _ encoding: TextEncoding, bom: Int = 0, chunk: Int) -> [UInt8] {
        var transcoder = Transcoder(encoding, bomLength: bom)
        var output: [UInt8] = []
        var start = 0
        while start < bytes.count {
            transcoder.feed(Array(bytes[start..<min(start + chunk, bytes.count)]), into: &output)
            start += chunk
        }
        transcoder.finish(into: &output)
        return output
    }

    @Test("UTF-16 with and without a byte-order mark, either byte order, is recognised and transcoded at any chunk size")
    func utf16Files() {
        for bigEndian in [false, true] {
            for bom in [false, true] {
                let bytes = utf16(Self.text + "001C,Emoji 🚀 Ltd,rocket.io\n", bigEndian: bigEndian, bom: bom)
                let layout = TextLayout.detect(bytes, isWholeFile: true, encoding: nil, delimiter: nil)
                #expect(layout.encoding == (bigEndian ? .utf16BE : .utf16LE), "big endian \(bigEndian), BOM \(bom)")
                #expect(layout.bomLength == (bom ? 2 : 0))
                #expect(layout.notes.first?.contains("transcoded to UTF-8") == true)
                for chunk in [1, 3, 4096] {
                    let text = String(decoding: transcode(bytes, layout.encoding, bom: layout.bomLength, chunk: chunk), as: UTF8.self)
                    #expect(text == Self.text + "001C,Emoji 🚀 Ltd,rocket.io\n", "chunk \(chunk)")
                }
            }
        }
    }

    @Test("an unpaired surrogate or an odd last byte becomes invalid UTF-8, so its row is rejected, not altered")
    func brokenUTF16() {
        var bytes = utf16("a,b\n", bigEndian: false, bom: false)
        bytes += [0x00, 0xD8]  // a high surrogate followed by a plain character
        bytes += utf16("x\n", bigEndian: false, bom: false) + [0x41]
        let output = transcode(bytes, .utf16LE, chunk: 2)
        #expect(output == Array("a,b\n".utf8) + [0xFF] + Array("x\n".utf8) + [0xFF])
        #expect(String(validating: output, as: UTF8.self) == nil)
    }

    @Test("Windows-1252: recognised when no row is UTF-8 and several are not; one damaged row in a UTF-8 file is not enough")
    func windows1252() {
        let latin = Array(Self.text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })
        let detected = TextEncoding.detect(latin, isWholeFile: true)
        #expect(detected.encoding == .windows1252)
        #expect(String(decoding: transcode(latin, .windows1252, chunk: 5), as: UTF8.self) == Self.text)
        #expect(String(decoding: transcode([0x80, 0x93, 0x94, 0x81], .windows1252, chunk: 1), as: UTF8.self) == "€“”\u{81}")
        #expect(String(decoding: transcode([0x80, 0xE9], .latin1, chunk: 1), as: UTF8.self) == "\u{80}é")

        let oneBadRow = Array((Self.header + "1,Broken ").utf8) + [0xFF, 0xFE] + Array(",x.com\n2,Fine,fine.com\n".utf8)
        #expect(TextEncoding.detect(oneBadRow, isWholeFile: true).encoding == .utf8)
        let mixed = Array(Self.text.utf8) + [0x41, 0xE9, 0x0A, 0x42, 0xE9, 0x0A]
        #expect(TextEncoding.detect(mixed, isWholeFile: true).encoding == .utf8, "valid UTF-8 rows: a UTF-8 file with bad rows")
        let latinHeader = [UInt8(ascii: "N"), 0xE9, 0x0A] + Array("a\n".utf8)
        #expect(TextEncoding.detect(latinHeader, isWholeFile: true).encoding == .windows1252, "a header that is not UTF-8")
        #expect(TextEncoding.detect(Array(Self.text.utf8), isWholeFile: false).encoding == .utf8)
    }

    @Test("delimiters: the most frequent of , ; tab | outside quotes in the header, a comma when none")
    func delimiters() {
        #expect(DelimiterSniffer.delimiter(of: Array("a,b,c\n1;2;3;4;5\n".utf8)) == UInt8(ascii: ","))
        #expect(DelimiterSniffer.delimiter(of: Array("Account Name;Website;Employees\n".utf8)) == UInt8(ascii: ";"))
        #expect(DelimiterSniffer.delimiter(of: Array("\"Name, legal\";Website\n".utf8)) == UInt8(ascii: ";"))
        #expect(DelimiterSniffer.delimiter(of: Array("a\tb\tc".utf8)) == 0x09)
        #expect(DelimiterSniffer.delimiter(of: Array("a|b|c\r\n".utf8)) == UInt8(ascii: "|"))
        #expect(DelimiterSniffer.delimiter(of: Array("Name\n".utf8)) == UInt8(ascii: ","))
        let layout = TextLayout.detect(Array("a;b\n".utf8), isWholeFile: true, encoding: nil, delimiter: nil)
        #expect(layout.delimiter == UInt8(ascii: ";") && layout.notes == ["delimiter \";\" detected from the header"])
        let given = TextLayout.detect(Array("a;b\n".utf8), isWholeFile: true, encoding: .utf8, delimiter: UInt8(ascii: ","))
        #expect(given.delimiter == UInt8(ascii: ",") && given.notes.isEmpty, "given options win and need no note")
    }

    @Test("a repeated header row is recognised, quoted, with a BOM or in other case; a record like it is not")
    func repeatedHeader() {
        let header = RepeatedHeader(["Account ID", "Account Name", "Website"])
        func matches(_ text: [UInt8]) -> Bool { text.withUnsafeBytes { header.matches($0, delimiter: UInt8(ascii: ",")) } }
        #expect(matches(Array("Account ID,Account Name,Website".utf8)))
        #expect(matches(Array("\"Account ID\",\"Account Name\",\"Website\"".utf8)))
        #expect(matches([0xEF, 0xBB, 0xBF] + Array("account id,ACCOUNT NAME, Website".utf8)))
        #expect(!matches(Array("Account ID,Account Name,Website,extra".utf8)))
        #expect(!matches(Array("001A,Account Name,Website".utf8)))
        #expect(!matches(Array("Account ID,Account Name".utf8)))
    }

    @Test("a NUL byte rejects its row (the value is never changed by dropping it); the raw text shows it")
    func nulBytes() {
        var splitter = CSVRecordSplitter()
        var records: [(Int, CSVRejection?, String)] = []
        let take = { (record: CSVRecordBytes) in records.append((record.line, record.problem, record.rawText(limit: 100))) }
        splitter.feed(Array("a,b\n00\u{0}1,x\n001,y\nlonger row with a nul at the end\u{0}\n".utf8), take)
        splitter.finish(take)
        #expect(records.map(\.0) == [1, 2, 3, 4])
        #expect(records.map(\.1) == [nil, .nulByte, nil, .nulByte])
        #expect(records[1].2 == "00\u{2400}1,x")
    }

    @Test("reject reasons quote a short prefix of a value, without double quotes inside")
    func rejectText() {
        #expect(RejectText.quote("lots") == "\"lots\"")
        #expect(RejectText.quote("say \"hi\"") == "\"say 'hi'\"")
        let long = RejectText.quote(String(repeating: "x", count: 5000))
        #expect(long.count <= RejectText.maxQuoted + 2)
        #expect(long.hasSuffix("…\""))
        #expect(RecordIdentity.problem(String(repeating: "1", count: 256))?.reason.contains("longer than 255 bytes") == true)
        #expect(RecordIdentity.problem(String(repeating: "1", count: 255)) == nil)
    }

    @Test("options: delimiters by name, encodings by common spellings, auto")
    func options() throws {
        #expect(try ImportOptions.delimiter("tab").get() == 0x09)
        #expect(try ImportOptions.delimiter(";").get() == UInt8(ascii: ";"))
        #expect(try ImportOptions.delimiter("auto").get() == nil)
        #expect(throws: ImportOptionError.self) { try ImportOptions.delimiter("\"").get() }
        #expect(throws: ImportOptionError.self) { try ImportOptions.delimiter(";;").get() }
        #expect(try ImportOptions.encoding("CP1252").get() == .windows1252)
        #expect(try ImportOptions.encoding("UTF-16").get() == .utf16LE)
        #expect(try ImportOptions.encoding("iso-8859-1").get() == .latin1)
        #expect(throws: ImportOptionError.self) { try ImportOptions.encoding("ebcdic").get() }
        #expect(ImportOptions.sourceNameProblem(String(repeating: "s", count: 201)) != nil)
        #expect(ImportOptions.sourceNameProblem("acme-sfdc") == nil)
    }
}

@testable import MarketMapCore
import Testing

@Suite("Dates read from their bytes")
struct ValueParserBytesTests {
    @Test("property: the byte parser reads what Int(String) reads, for random signs, digits and other bytes")
    func integerAsInt() {
        var random = SeededRandom(seed: 2026_12_04)
        let alphabet = Array("0123456789+-/ :T.x".utf8)
        for _ in 0..<50_000 {
            let bytes = (0..<Int.random(in: 0...5, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
            #expect(ValueParsers.integer(bytes[...]) == Int(String(decoding: bytes, as: UTF8.self)), "\(String(decoding: bytes, as: UTF8.self))")
        }
    }

    @Test("ISO dates, with a time or a sign, and what is no ISO date")
    func isoDates() throws {
        #expect(try ValueParsers.date("2024-02-29").get() == "2024-02-29")
        #expect(try ValueParsers.date("2024-02-29T10:11:12Z").get() == "2024-02-29")
        #expect(try ValueParsers.date("+999-01-02").get() == "0999-01-02")
        #expect(try ValueParsers.date("3/4/2024").get() == "2024-03-04")
        for bad in ["2023-02-29", "２０２４-01-01", "2024-1-01", "2024-13-01x"] {
            #expect(throws: ValueError.self, "\(bad)") { try ValueParsers.date(bad).get() }
        }
    }
}

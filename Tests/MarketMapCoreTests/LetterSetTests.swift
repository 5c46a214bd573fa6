@testable import MarketMapCore
import Testing

@Suite("Letter sets before the typo check")
struct LetterSetTests {
    @Test("property: a word pair the typo check accepts always passes the letter sets; most random pairs do not")
    func neverHidesATypo() {
        var random = SeededRandom(seed: 2026_12_03)
        // Letters 64 apart share a bucket (`a` and `¡`): collisions only let more pairs through.
        let letters = Array("aeioubcdrstnlmAÉéçüøß日本".unicodeScalars)
        func word() -> [Unicode.Scalar] { (0..<Int.random(in: 1...14, using: &random)).map { _ in letters.randomElement(using: &random)! } }
        func handEdit(_ word: inout [Unicode.Scalar]) {
            guard word.count > 1 else { return }
            let i = Int.random(in: 0..<(word.count - 1), using: &random)
            switch Int.random(in: 0..<3, using: &random) {
            case 0: word.remove(at: i)
            case 1: word.insert(word[i], at: i)
            default: word.swapAt(i, i + 1)
            }
        }
        var (accepted, randomPairs, rejected) = (0, 0, 0)
        for _ in 0..<50_000 {
            let a = word()
            var b = a
            switch Int.random(in: 0..<4, using: &random) {
            case 0: handEdit(&b)
            case 1: handEdit(&b); handEdit(&b)
            case 2 where !b.isEmpty: b[Int.random(in: 0..<b.count, using: &random)] = letters.randomElement(using: &random)!
            default:
                b = word()
                randomPairs += 1
                if !PreparedName.LetterSet(a).allowsTypo(PreparedName.LetterSet(b)) { rejected += 1 }
            }
            guard PreparedName.typoQuality(a, b) != nil else { continue }
            accepted += 1
            #expect(PreparedName.LetterSet(a).allowsTypo(PreparedName.LetterSet(b)),
                    "\(String(String.UnicodeScalarView(a))) ~ \(String(String.UnicodeScalarView(b)))")
        }
        #expect(accepted > 10_000, "typos accepted often enough to mean something: \(accepted)")
        #expect(Double(rejected) > 0.8 * Double(randomPairs), "random pairs skip the letter-by-letter check: \(rejected) of \(randomPairs)")
    }

    @Test("examples: typos of every kind pass, other words do not", arguments: [
        ("umbrella", "umbrela", true), ("kalvex", "kalbex", true), ("iwtan", "witan", true), ("ennterpprises", "enterprises", true),
        ("münchen", "munchen", true), ("acme", "zbxy", false), ("techgarfen", "techmirtal", false), ("shenzhen", "shanghai", false),
    ])
    func examples(_ left: String, _ right: String, _ allowed: Bool) {
        let (a, b) = (Array(left.unicodeScalars), Array(right.unicodeScalars))
        #expect(PreparedName.LetterSet(a).allowsTypo(PreparedName.LetterSet(b)) == allowed)
        if PreparedName.typoQuality(a, b) != nil { #expect(allowed) }
    }
}

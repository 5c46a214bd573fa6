import Foundation
@testable import MarketMapCore
import Testing

@Suite("Scoring's text comparisons without Foundation")
struct ScoringTextTests {
    @Test("property: equalIgnoringCase is caseInsensitiveCompare for ASCII and other text")
    func equalIgnoringCase() {
        var random = SeededRandom(seed: 2026_12_04)
        let letters = Array("aAbBsSzZ@`[{09 _-ſéÉß")
        for _ in 0..<50_000 {
            let a = String((0..<Int.random(in: 0...4, using: &random)).map { _ in letters.randomElement(using: &random)! })
            var b = a.map { character in Bool.random(using: &random) ? character.uppercased() : String(character) }.joined()
            if Int.random(in: 0..<4, using: &random) == 0 { b = String((0..<Int.random(in: 0...4, using: &random)).map { _ in letters.randomElement(using: &random)! }) }
            #expect(TextFolding.equalIgnoringCase(a, b) == (a.caseInsensitiveCompare(b) == .orderedSame), "\(a) / \(b)")
        }
    }

    @Test("property: a prepared rubric's byte search of folded phrases finds what String.contains finds")
    func phraseSearch() {
        var random = SeededRandom(seed: 2026_12_05)
        let words = ["vp", "sales", "chief", "revenue", "officer", "head", "of", "it", "société", "日本", "cto", "s"]
        func phrase() -> String { PersonaRubric.phrase((0..<Int.random(in: 0...4, using: &random)).map { _ in words.randomElement(using: &random)! }.joined(separator: " ")) }
        for _ in 0..<20_000 {
            let (title, rule) = (phrase(), phrase())
            #expect(PersonaRubric.Prepared.contains(Array(title.utf8), Array(rule.utf8)) == title.contains(rule), "\(title) / \(rule)")
        }
    }
}

@testable import MarketMapCore
import Testing

/// The prefix and suffix blocks of name matching weigh only pairs whose
/// first words are a typo apart: the blocks must still find every such pair.
@Suite("Typo blocks: first words a typo apart, and only those")
struct TypoBlockTests {
    /// Long syllable words (most of a big market's first words) with every
    /// typo the word check knows: a letter dropped, doubled, swapped with its
    /// neighbour or replaced, and two slips in one word; in two countries,
    /// some records with a domain.
    static func market(seed: UInt64, companies: Int) -> [MatchRecord] {
        var random = SeededRandom(seed: seed)
        let syllables = ["ka", "lo", "vex", "tri", "mon", "sa", "der", "qui", "ban", "ro", "el", "tek", "yne", "ar"]
        let tails = ["", "robotics", "labs", "systems", "marine insurance", "energy"]
        func slip(_ word: [Character]) -> [Character] {
            var letters = word
            let at = Int.random(in: 1..<(letters.count - 1), using: &random)
            switch Int.random(in: 0..<4, using: &random) {
            case 0: letters.remove(at: at)
            case 1: letters.insert(letters[at], at: at)
            case 2: letters.swapAt(at, at + 1)
            default: letters[at] = syllables.randomElement(using: &random)?.first ?? "x"
            }
            return letters
        }
        var records: [MatchRecord] = []
        for company in 0..<companies {
            let word = (0..<Int.random(in: 2...5, using: &random)).map { _ in syllables.randomElement(using: &random) ?? "ka" }.joined()
            let tail = tails.randomElement(using: &random) ?? ""
            let country = ["US", "DE"].randomElement(using: &random) ?? "US"
            for copy in 0..<Int.random(in: 1...3, using: &random) {
                var first = Array(word)
                if first.count >= 5 {
                    for _ in 0..<Int.random(in: 0...2, using: &random) { first = slip(first) }
                }
                let name = String(first) + (tail.isEmpty ? "" : " " + tail)
                records.append(MatchRecord(
                    key: RecordKey(source: copy % 2 == 0 ? "sfdc" : "hubspot", sourceID: "\(company)-\(copy)"),
                    name: name, domain: Int.random(in: 0..<4, using: &random) == 0 ? "\(word).com" : nil, country: country,
                    city: Int.random(in: 0..<3, using: &random) == 0 ? "berlin" : nil))
            }
        }
        return records
    }

    @Test("property: the name edges are those of every pair of a country whose first words are equal, or a typo apart sharing their first or last three letters")
    func typoBlocksFindEveryTypoPair() {
        for seed in [7, 8] as [UInt64] {
            let records = Self.market(seed: seed, companies: 700)
            let sorted = records.sorted { $0.key < $1.key }.map(AccountClustering.withDomainCountry)
            let frequencies = AccountClustering.termFrequencies(records)
            var scorer = PairScorer(sorted, settings: MatchSettings(), frequencies: frequencies)
            var found: [MatchEdge] = []
            AccountClustering.nameEdges(sorted, scorer: &scorer, mine: { _ in true }, into: &found)

            var brute = PairScorer(sorted, settings: MatchSettings(), frequencies: frequencies)
            var expected: [MatchEdge] = []
            var typoEdges = 0
            let tokens = sorted.map { Array(CompanyNameNormalizer.blockingToken($0.name ?? "").unicodeScalars) }
            for a in sorted.indices {
                for b in sorted.indices where b > a && sorted[a].country == sorted[b].country {
                    guard brute.lacksOwnDomain(a) || brute.lacksOwnDomain(b) else { continue }
                    let (left, right) = (tokens[a], tokens[b])
                    let typo = left != right && abs(left.count - right.count) <= 1 && PreparedName.typoQuality(left, right) != nil
                        && (left.prefix(3) == right.prefix(3) || left.suffix(3) == right.suffix(3))
                    let spaces = left != right && PreparedName.runTogether(sorted[a].name ?? "") == PreparedName.runTogether(sorted[b].name ?? "")
                        && abs(left.count - right.count) <= 1 && (left.prefix(3) == right.prefix(3) || left.suffix(3) == right.suffix(3))
                    guard left == right || typo || spaces else { continue }
                    if let edge = brute.lacksOwnDomain(a) ? brute.nameEdge(a, b) : brute.nameEdge(b, a) {
                        expected.append(edge)
                        if typo { typoEdges += 1 }
                    }
                }
            }
            #expect(typoEdges > 100, "the market has pairs joined across a typo in the first word: \(typoEdges)")
            let (missed, extra) = (Set(expected).subtracting(found), Set(found).subtracting(expected))
            #expect(missed.isEmpty && extra.isEmpty, "seed \(seed): \(missed.count) missed (\(missed.prefix(3).map(\.reason))), \(extra.count) extra")
            #expect(found.count == expected.count, "no pair weighed twice: seed \(seed)")
        }
    }

    @Test("examples: a typo in the first word of every kind joins; first words that share their letters' ends but are no typo apart do not meet", arguments: [
        ("kalvexor robotics", "kalvexr robotics", true),        // a letter dropped
        ("kalvexor robotics", "kallvexor robotics", true),      // doubled
        ("kalvexor robotics", "kavlexor robotics", true),       // swapped
        ("triderbanquiel marine", "triderbanquiex marine", true), // replaced, in a long word
        ("triderbanquiel marine", "tridrebanqiuel marine", true), // two slips in a long word
        ("kalvexor robotics", "kalmonor robotics", false),      // same ends and length, another word
        ("kal vexor robotics", "kalv exor robotics", true),     // the same words, a space moved
    ])
    func firstWordTypos(_ left: String, _ right: String, joins: Bool) {
        let records = [
            MatchRecord(key: RecordKey(source: "sfdc", sourceID: "1"), name: left, domain: nil, country: "DE"),
            MatchRecord(key: RecordKey(source: "hubspot", sourceID: "2"), name: right, domain: nil, country: "DE"),
        ]
        let edges = AccountClustering.candidates(records).filter { $0.kind == .name }
        #expect(!edges.isEmpty == joins, "\(left) / \(right): \(edges.map(\.reason))")
    }
}

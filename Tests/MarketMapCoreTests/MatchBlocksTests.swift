import MarketMapCore
import Testing

/// Shard-local matching: a shard that reads only the records its stored
/// block keys select finds exactly its part of the edges of all records.
@Suite("Match blocks: stored keys select each shard's records")
struct MatchBlocksTests {
    /// A market with what blocks are about: names sharing first words and
    /// typos, descriptor words, blank countries (some with a country-suffix
    /// domain), platform tenants, one company's two domains, franchise branches.
    static func market(seed: UInt64, companies: Int) -> [MatchRecord] {
        var random = SeededRandom(seed: seed)
        let syllables = ["ka", "lo", "vex", "tri", "mon", "sa", "der", "qui", "ban", "ro", "el", "tek"]
        let first = ["acme", "globex", "umbrella", "siemens", "netscout", "shenzhen", "first", "kalvex"]
            + (0..<150).map { _ in (0..<Int.random(in: 2...3, using: &random)).map { _ in syllables.randomElement(using: &random) ?? "ka" }.joined() }
        let second = ["", "systems", "technology", "national bank", "energy", "labs", "group", "electric", "solutions"]
        let countries: [String?] = ["US", "GB", "DE", "CN", nil, nil]
        let cities: [String?] = ["berlin", "london", "austin", nil]
        var records: [MatchRecord] = []
        func typo(_ word: String) -> String {
            guard word.count > 4, Int.random(in: 0..<4, using: &random) == 0 else { return word }
            var letters = Array(word)
            let at = Int.random(in: 1..<letters.count, using: &random)
            letters.insert(letters[at], at: at)
            return String(letters)
        }
        for company in 0..<companies {
            let base = (first.randomElement(using: &random) ?? "acme") + (Int.random(in: 0..<3, using: &random) == 0 ? "\(company % 7)" : "")
            let tail = second.randomElement(using: &random) ?? ""
            let name = tail.isEmpty ? base : base + " " + tail
            let country = countries.randomElement(using: &random) ?? nil
            let tld = country.map { $0 == "US" ? "com" : $0.lowercased() } ?? ["com", "de", "cn"].randomElement(using: &random) ?? "com"
            for copy in 0..<Int.random(in: 1...3, using: &random) {
                let kind = Int.random(in: 0..<10, using: &random)
                let domain: String? = switch kind {
                case 0...3: "\(base).\(tld)"
                case 4: "\(base).com"                      // the company's other domain
                case 5: "\(base).wordpress.com"            // a platform page
                default: nil
                }
                records.append(MatchRecord(
                    key: RecordKey(source: copy % 2 == 0 ? "sfdc" : "hubspot", sourceID: "\(company)-\(copy)"),
                    name: Int.random(in: 0..<30, using: &random) == 0 ? nil : typo(name), domain: domain,
                    country: Int.random(in: 0..<5, using: &random) == 0 ? nil : country,
                    preventOverride: Int.random(in: 0..<15, using: &random) == 0, city: cities.randomElement(using: &random) ?? nil,
                    platformTenant: kind == 5, rawName: name + (Int.random(in: 0..<3, using: &random) == 0 ? " GmbH" : " Inc")))
            }
        }
        return records
    }

    @Test("the union of the shards' edges from their own records is the edge set of all records, for 1 to 7 shards")
    func shardLocalEdgesAreAllEdges() {
        for seed in [1, 2, 3] as [UInt64] {
            let records = Self.market(seed: seed, companies: 900)
            let expected = AccountClustering.candidates(records)
            #expect(expected.contains { $0.kind == .name } && expected.contains { $0.kind == .domain }, "the market has name and domain edges")
            #expect(expected.contains { $0.reason.contains("country blank") }, "the market has blank-country edges")
            let market = MarketCounts(records)
            for shards in 1...7 {
                var union: [MatchEdge] = []
                var read = 0
                for shard in 0..<shards {
                    let local = MatchBlocks.shardRecords(records, shard: shard, shards: shards)
                    read = max(read, local.count)
                    union += AccountClustering.candidates(local, market: market, shard: shard, shards: shards)
                }
                #expect(Set(union) == Set(expected), "seed \(seed), \(shards) shards")
                #expect(union.count == expected.count, "no edge found twice: seed \(seed), \(shards) shards")
                // This market is a third blank countries, whose typo blocks span every country: a shard still reads a part.
                if shards == 7 { #expect(read < records.count * 4 / 5, "a shard reads a part of the market: \(read) of \(records.count)") }
            }
        }
    }

    @Test("stored keys: one domain bucket, name buckets by prefix and suffix, a blank-country bucket only without a country")
    func storedKeys() {
        let withCountry = MatchBlocks.stored(MatchRecord(key: RecordKey(source: "a", sourceID: "1"), name: "umbrella systems", domain: "umbrella.co.uk", country: "GB"))
        #expect(withCountry.country == "GB")
        #expect(withCountry.blankBucket == nil)
        #expect((1...3).contains(withCountry.buckets.count))
        #expect(withCountry.buckets.allSatisfy { (0..<MatchBlocks.bucketCount).contains($0) })
        #expect(withCountry.pull.count == 5, "the word and its four typo blocks")
        let fromDomain = MatchBlocks.stored(MatchRecord(key: RecordKey(source: "a", sourceID: "2"), name: "orange", domain: "orange.cm", country: nil))
        #expect(fromDomain.country == "CM", "the domain's country suffix")
        #expect(fromDomain.blankBucket == nil)
        let blank = MatchBlocks.stored(MatchRecord(key: RecordKey(source: "a", sourceID: "3"), name: "orange", domain: nil, country: nil))
        #expect(blank.country == nil)
        #expect(blank.blankBucket != nil)
        let branch = MatchBlocks.stored(MatchRecord(key: RecordKey(source: "a", sourceID: "4"), name: "orange", domain: "orange.com", country: "FR", preventOverride: true))
        #expect(branch.buckets.count == 1, "a branch is only in its domain's block")
        #expect(branch.pull.isEmpty)
    }

    @Test("counts from elsewhere weigh like counts of the records")
    func marketCounts() {
        let records = Self.market(seed: 9, companies: 300)
        let counted = AccountClustering.termFrequencies(records)
        var words: [String: Int] = [:]
        for name in records.compactMap(\.name) { for word in Set(name.split(separator: " ").map(String.init)) { words[word, default: 0] += 1 } }
        let given = TermFrequencies(names: records.compactMap(\.name).count, counts: words)
        for word in words.keys { #expect(given.weight(word) == counted.weight(word)) }
    }
}

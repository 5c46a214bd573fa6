import MarketMapCore
import Testing

@Suite("Dedupe and survivorship")
struct MergeTests {
    func key(_ source: String, _ id: String) -> RecordKey { RecordKey(source: source, sourceID: id) }

    func record(_ source: String, _ id: String, _ name: String?, _ domain: String?, _ country: String? = "US", branch: Bool = false) -> MatchRecord {
        MatchRecord(key: key(source, id), name: name, domain: domain, country: country, preventOverride: branch)
    }

    /// The partition as sets of keys, order-free.
    func partition(_ clusters: [AccountCluster]) -> Set<Set<RecordKey>> {
        Set(clusters.map { Set($0.members.keys) })
    }

    @Test("Jaro-Winkler matches the published examples", arguments: [
        ("martha", "marhta", 0.961), ("dwayne", "duane", 0.840), ("dixon", "dicksonx", 0.813), ("acme", "acme", 1.0),
        ("abc", "xyz", 0.0),
    ])
    func jaroWinkler(_ a: String, _ b: String, _ expected: Double) {
        #expect(abs(JaroWinkler.similarity(a, b) - expected) < 0.001, "\(a) ~ \(b)")
    }

    @Test("name similarity: typos match; a missing descriptor falls just short (the city decides), other words, descriptors and numbers do not", arguments: [
        ("company 16 holdings", "company 160 holdings", false), ("store 12", "store 21", false), ("3m", "4m", false),
        ("acme 2000", "acme 2000", true), ("acme 2000 systems", "acmee 2000 systems", true),
        ("umbrella", "umbrela", true), ("vndmir systems", "vandmir systems", true), ("techlum logistics", "techlum logsitics", true),
        ("moini", "mooini", true), ("vandmir systems", "vandur systems", false), ("kinrel", "kinrella", false),
        ("paxdra", "paxdramo", false), ("acme", "acme systems", false), ("acme technology", "acme systems", false), ("teratera dynamics", "teraac dynamics", false),
    ])
    func nameSimilarity(_ a: String, _ b: String, _ same: Bool) {
        #expect((AccountClustering.nameSimilarity(a, b) >= MatchSettings().nameThreshold) == same, "\(a) ~ \(b)")
    }

    @Test("the same registrable domain merges across CRM instances; the anchor is the smallest key")
    func domainMerge() {
        let clusters = AccountClustering.cluster([
            record("sfdc", "001A", "acme", "acme.com"), record("hubspot", "9001", "acme", "acme.com"),
            record("sfdc", "001B", "globex", "globex.de", "DE"),
        ])
        #expect(partition(clusters) == [[key("sfdc", "001A"), key("hubspot", "9001")], [key("sfdc", "001B")]])
        let acme = clusters.first { $0.members.count == 2 }
        #expect(acme?.anchor == key("hubspot", "9001"))
        #expect(acme?.members.values.allSatisfy { $0 == .domain } == true)
    }

    @Test("a franchise branch (prevent_override) stays apart from the corporate record on its domain")
    func franchise() {
        let clusters = AccountClustering.cluster([
            record("sfdc", "1", "initech", "initech.com"),
            record("sfdc", "2", "initech franchise ost", "initech.com", branch: true),
            record("hubspot", "2", "initech franchise ost", "initech.com", branch: true),
            record("hubspot", "1", "initech", "initech.com"),
        ])
        #expect(partition(clusters) == [
            [key("sfdc", "1"), key("hubspot", "1")],
            [key("sfdc", "2"), key("hubspot", "2")],
        ])
    }

    @Test("fuzzy names merge only where a domain is missing, and only within one country")
    func names() {
        let clusters = AccountClustering.cluster([
            record("a", "1", "umbrella", "umbrella.co.uk", "GB"),
            record("b", "1", "umbrela", nil, "GB"),                 // typo, no domain: merges by name
            record("b", "2", "umbrella", nil, "US"),                // same name, other country: apart
            record("a", "2", "delta", "delta.com"),
            record("b", "3", "delta", "deltafaucet.com"),           // both have different domains: apart
            record("b", "4", "initrode", nil, nil),                 // no country on either side: only the very name
            record("a", "3", "initrode", nil, nil),
            record("b", "5", "initrod", nil, nil),                  // no country and a typo: apart
        ])
        #expect(partition(clusters) == [
            [key("a", "1"), key("b", "1")], [key("b", "2")], [key("a", "2")], [key("b", "3")], [key("b", "4"), key("a", "3")], [key("b", "5")],
        ])
        let umbrella = clusters.first { $0.members.count == 2 }
        #expect(umbrella?.members[key("b", "1")] == .name)
    }

    @Test("a name match never chains two different domains into one account")
    func noChaining() {
        let clusters = AccountClustering.cluster([
            record("a", "1", "delta", "delta.com"),
            record("b", "1", "delta", nil),
            record("c", "1", "delta", "deltafaucet.com"),
        ])
        #expect(clusters.count == 2)
        #expect(!clusters.contains { Set($0.members.keys) == [key("a", "1"), key("c", "1")] || $0.members.count == 3 })
    }

    @Test("property: the result does not depend on the order of the input")
    func orderIndependent() {
        var generator = SeededRandom(seed: 99)
        let names = ["acme", "acme corp", "acmee", "globex", "globexx", "initech", "umbrella", "umbrela", "delta", "deltta"]
        let domains: [String?] = ["acme.com", "globex.com", "initech.com", nil, nil, nil, "delta.com", "deltafaucet.com"]
        for _ in 0..<200 {
            let records = (0..<Int.random(in: 2...25, using: &generator)).map { index in
                record(["a", "b", "c"].randomElement(using: &generator) ?? "a", String(index),
                       names.randomElement(using: &generator), domains.randomElement(using: &generator) ?? nil,
                       ["US", "GB", nil].randomElement(using: &generator) ?? nil, branch: Int.random(in: 0..<10, using: &generator) == 0)
            }
            let expected = AccountClustering.cluster(records)
            for _ in 0..<3 {
                #expect(AccountClustering.cluster(records.shuffled(using: &generator)) == expected)
            }
            // Every record is in exactly one cluster.
            #expect(expected.map(\.members.count).reduce(0, +) == records.count)
            // Matching in shards gives the same accounts, whatever the shard count.
            for shards in 2...5 {
                let edges = (0..<shards).flatMap { AccountClustering.candidates(records, shard: $0, shards: shards) }
                #expect(AccountClustering.resolve(records, edges: edges.shuffled(using: &generator)) == expected, "\(shards) shards")
            }
        }
    }

    @Test("survivorship: source priority, then most recent, then most complete; conflicts listed")
    func survivorship() {
        let sfdc = SurvivorCandidate(key: key("sfdc", "1"), sourcePriority: 0, updatedAt: "2024-01-01",
                                     values: ["name": "Acme, Inc.", "industry": "", "employees": "1200"])
        let hubspot = SurvivorCandidate(key: key("hubspot", "9"), sourcePriority: 1, updatedAt: "2024-06-01",
                                        values: ["name": "ACME Incorporated", "industry": "Software", "employees": "1300"])
        let hubspotOld = SurvivorCandidate(key: key("hubspot", "3"), sourcePriority: 1, updatedAt: "2023-01-01",
                                           values: ["industry": "Hardware", "country": "US"])
        let result = Survivorship.survive([hubspotOld, hubspot, sfdc], fields: ["name", "industry", "employees", "country", "type"])
        #expect(result.values == ["name": "Acme, Inc.", "industry": "Software", "employees": "1200", "country": "US"])
        #expect(result.origin["industry"] == key("hubspot", "9"), "blank in the priority source; the most recent filled one wins")
        #expect(result.conflicts["employees"] == ["1200", "1300"])
        #expect(result.conflicts["industry"] == ["Hardware", "Software"])
        #expect(result.conflicts["country"] == nil)

        let quiet = Survivorship.survive([hubspotOld, hubspot, sfdc], fields: ["name", "industry"], conflictFields: ["industry"])
        #expect(quiet.values["name"] == "Acme, Inc.")
        #expect(Set(quiet.conflicts.keys) == ["industry"], "name variants are not reported when only industry is asked for")
    }
}

@Suite("Prepared names")
struct PreparedNameTests {
    /// Damerau-Levenshtein (optimal string alignment) distance, the slow way.
    func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in stride(from: 1, through: a.count, by: 1) {
            for j in stride(from: 1, through: b.count, by: 1) {
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }

    @Test("property: the one-edit check agrees with a full edit distance; similarity is symmetric and in [0, 1]")
    func oneEdit() {
        var random = SeededRandom(seed: 77)
        let letters = Array("aeioubcdrst".unicodeScalars)
        func word() -> [Unicode.Scalar] { (0..<Int.random(in: 1...7, using: &random)).map { _ in letters.randomElement(using: &random)! } }
        var close = 0
        for _ in 0..<20_000 {
            let a = word()
            var b = a
            switch Int.random(in: 0..<4, using: &random) {
            case 0 where !b.isEmpty: b.remove(at: Int.random(in: 0..<b.count, using: &random))
            case 1: b.insert(letters.randomElement(using: &random)!, at: Int.random(in: 0...b.count, using: &random))
            case 2 where b.count > 1:
                let i = Int.random(in: 0..<(b.count - 1), using: &random)
                b.swapAt(i, i + 1)
            default: b = word()
            }
            let within = distance(a, b) <= 1
            if within { close += 1 }
            #expect(PreparedName.withinOneEdit(a, b) == within, "\(String(String.UnicodeScalarView(a))) ~ \(String(String.UnicodeScalarView(b)))")
            let (left, right) = (String(String.UnicodeScalarView(a)), String(String.UnicodeScalarView(b)))
            let forward = AccountClustering.nameSimilarity(left + " kin", right + " kin")
            #expect(forward == AccountClustering.nameSimilarity(right + " kin", left + " kin"))
            #expect((0...1).contains(forward))
        }
        #expect(close > 5_000, "the cases are close often enough to mean something: \(close)")
    }
}

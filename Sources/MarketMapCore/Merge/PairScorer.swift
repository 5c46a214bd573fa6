/// Weighs the evidence of one candidate pair (by index into the key-sorted
/// records of a matching pass) and turns it into an edge with its reason, or
/// nothing. Names are prepared once per record, on first use.
struct PairScorer {
    let records: [MatchRecord]
    let settings: MatchSettings
    let frequencies: TermFrequencies
    private var vocabulary = Vocabulary()
    private var prepared: [PreparedName?]

    init(_ records: [MatchRecord], settings: MatchSettings, frequencies: TermFrequencies) {
        self.records = records
        self.settings = settings
        self.frequencies = frequencies
        prepared = Array(repeating: nil, count: records.count)
    }

    func lacksOwnDomain(_ index: Int) -> Bool { records[index].ownDomain == nil }

    mutating func name(_ index: Int) -> PreparedName? {
        if let known = prepared[index] { return known }
        guard let text = records[index].name else { return nil }
        let name = PreparedName(text, frequencies: frequencies, vocabulary: &vocabulary)
        prepared[index] = name
        return name
    }

    enum Cities { case agree, differ, unknown }

    func cities(_ a: Int, _ b: Int) -> Cities {
        guard let left = records[a].city, let right = records[b].city else { return .unknown }
        return left == right ? .agree : .differ
    }

    /// Weighted name agreement, nudged by the city where both have one.
    mutating func score(_ a: Int, _ b: Int) -> (score: Double, cities: Cities, distinctive: Bool)? {
        let (low, high) = (min(a, b), max(a, b))
        guard let left = name(low), let right = name(high) else { return nil }
        var score = records[low].name == records[high].name ? 1 : left.similarity(to: right, atLeast: settings.nameThreshold)
        let cities = cities(low, high)
        switch cities {
        case .agree: score = min(1, score + 0.03)
        case .differ: score -= 0.05
        case .unknown: break
        }
        return (score, cities, left.isDistinctive || right.isDistinctive)
    }

    /// A name match within one country, where either side lacks an own domain.
    /// A name of common words only (`First National Bank`) needs the city to agree.
    mutating func nameEdge(_ a: Int, _ b: Int) -> MatchEdge? {
        guard let (score, cities, distinctive) = score(a, b), score >= settings.nameThreshold,
            distinctive || cities == .agree
        else { return nil }
        var reason = "name " + Self.format(score) + ", country " + (records[a].country ?? "?")
        if cities == .agree { reason += ", city agrees" }
        if !distinctive { reason += ", common words only" }
        if records[a].platformTenant || records[b].platformTenant { reason += ", a platform page" }
        return MatchEdge(records[a].key, records[b].key, score: score, kind: .name, reason: reason)
    }

    /// The same distinctive name (descriptors aside), one side without a country.
    mutating func blankCountryEdge(_ blank: Int, _ other: Int, country: String) -> MatchEdge? {
        guard let (score, cities, distinctive) = score(blank, other), score >= settings.nameThreshold, distinctive,
            cities != .differ
        else { return nil }
        return MatchEdge(
            records[blank].key, records[other].key, score: score, kind: .name,
            reason: "name \(Self.format(score)), country blank on one side (other \(country))")
    }

    /// Two own domains of one company: a near-identical name, the same
    /// country (the block's), no city conflict, and labels that fit the name.
    mutating func alternateDomainEdge(_ a: Int, _ b: Int) -> MatchEdge? {
        guard let domainA = records[a].ownDomain, let domainB = records[b].ownDomain,
            let nameA = records[a].name, let nameB = records[b].name,
            let (score, cities, distinctive) = score(a, b), score >= settings.alternateDomainThreshold, distinctive,
            cities != .differ
        else { return nil }
        let (labelA, labelB) = (Self.label(domainA), Self.label(domainB))
        if labelA != labelB {
            let fitting = Self.derivations(nameA).union(Self.derivations(nameB))
            guard Self.fits(labelA, fitting), Self.fits(labelB, fitting) else { return nil }
        }
        return MatchEdge(
            records[a].key, records[b].key, score: score, kind: .altDomain,
            reason: "alternate domains \(min(domainA, domainB)) ~ \(max(domainA, domainB)): name \(Self.format(score)), country \(records[a].country ?? "?")")
    }

    /// The first label of a domain without hyphens (`acme-ag.de` → `acmeag`).
    static func label(_ domain: String) -> String {
        String(domain.prefix { $0 != "." }).replacingOccurrences(of: "-", with: "")
    }

    /// A label is the name, or the name and a word companies put in their
    /// domains (`toyota-global.com`, `acmegroup.com`); never the name and a
    /// legal form (`acme-ag.de` is another company's).
    static func fits(_ label: String, _ names: Set<String>) -> Bool {
        if names.contains(label) { return true }
        return domainWords.contains { word in label.hasSuffix(word) && names.contains(String(label.dropLast(word.count))) }
    }

    static let domainWords = ["global", "group", "grp", "hq", "usa", "us", "uk", "online", "world", "worldwide", "intl", "international", "official"]

    /// The labels a company's domain could have by its name: its first one,
    /// two, ... words run together (`netscout systems` → `netscout`, `netscoutsystems`).
    static func derivations(_ name: String) -> Set<String> {
        var result = Set<String>()
        var joined = ""
        for word in name.split(separator: " ") where !NameWords.stopWords.contains(String(word)) {
            joined += word
            result.insert(joined)
        }
        return result
    }

    static func format(_ score: Double) -> String {
        let hundredths = Int((min(score, 1) * 100).rounded())
        return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
    }
}

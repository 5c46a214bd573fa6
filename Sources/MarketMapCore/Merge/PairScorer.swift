import Foundation

/// Weighs the evidence of one candidate pair (by index into the key-sorted
/// records of a matching pass) and turns it into an edge with its reason, or
/// nothing. Names are prepared once per record, on first use.
struct PairScorer {
    let records: [MatchRecord]
    let settings: MatchSettings
    let frequencies: TermFrequencies
    private var vocabulary = Vocabulary()
    private var prepared: [PreparedName?]
    private var families: [String??]
    private var distinctiveNames: [Bool?]
    /// Records per (country, normalized name): a name of common words that
    /// few records of its country carry (`Bank of America`) still tells
    /// companies apart; one that many carry (`First National Bank`) does not.
    private let sameName: [Int: Int]

    /// `sameName`: the counts of the whole market when `records` are one
    /// shard's (`MarketCounts`), else those of `records`.
    init(_ records: [MatchRecord], settings: MatchSettings, frequencies: TermFrequencies, sameName: [Int: Int]? = nil) {
        self.records = records
        self.settings = settings
        self.frequencies = frequencies
        prepared = Array(repeating: nil, count: records.count)
        families = Array(repeating: nil, count: records.count)
        distinctiveNames = Array(repeating: nil, count: records.count)
        self.sameName = sameName ?? Self.sameNameCounts(records)
    }

    /// Records per (country, name) of `records`, where more than `commonNameRecords`.
    static func sameNameCounts(_ records: [MatchRecord]) -> [Int: Int] {
        var counts: [Int: Int] = [:]
        for record in records {
            if let name = record.name, let country = record.country { counts[Self.key(country, name), default: 0] += 1 }
        }
        return counts.filter { $0.value > commonNameRecords }
    }

    /// More records than this of one country with one name: the name is common.
    static let commonNameRecords = 3

    /// (country, name) as one FNV-1a hash, the same in every process (so every
    /// shard counts alike), with no string to build per record.
    static func key(_ country: String, _ name: String) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in country.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        hash = (hash ^ 0x7C) &* 0x0000_0100_0000_01b3  // "|"
        for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return Int(truncatingIfNeeded: hash)
    }

    /// The legal family of a record's raw name, worked out once.
    mutating func family(_ index: Int) -> String? {
        if let known = families[index] { return known }
        let family = records[index].rawName.flatMap { CompanyNameNormalizer.legalFamily($0, forms: settings.legalForms) }
        families[index] = .some(family)
        return family
    }

    /// Both names carry legal forms that one country's law keeps apart:
    /// `Acme GmbH` / `Acme AG`, `Acme K.K.` / `Acme G.K.`, `Acme Inc` / `Acme LP`.
    /// Forms of different countries (`Acme B.V.` / `Acme LLC`) are how CRM users
    /// type one company, not evidence.
    mutating func legalConflict(_ a: Int, _ b: Int) -> Bool {
        guard let left = family(a), let right = family(b), left != right else { return false }
        if CompanyNameNormalizer.conflictingLegalFamilies.contains([left, right]) { return true }
        guard let country = records[a].country, records[b].country == country else { return false }
        return CompanyNameNormalizer.conflictingLegalFamiliesByCountry[country]?.contains([left, right]) ?? false
    }

    /// One side's own domain spells its legal form, and the other name carries
    /// a form of another family: `Omega Engineering LLC` on
    /// `omegaengineering-llc.com` says which of the twins it is, so
    /// `Omega Engineering Inc.` is the other one.
    mutating func domainNamesOtherForm(_ a: Int, _ b: Int) -> Bool {
        guard let left = family(a), let right = family(b), left != right else { return false }
        for (index, family) in [(a, left), (b, right)] {
            guard let domain = records[index].ownDomain, let name = records[index].name else { continue }
            let label = Self.label(domain)
            let forms = settings.legalForms.words.filter { $0.count >= 2 && CompanyNameNormalizer.family(of: $0) == family && label.hasSuffix($0) }
            guard !forms.isEmpty else { continue }
            let names = Self.derivations(name)
            if forms.contains(where: { names.contains(String(label.dropLast($0.count))) }) { return true }
        }
        return false
    }

    /// Both names carry legal forms, of different families.
    mutating func legalDifference(_ a: Int, _ b: Int) -> Bool {
        guard let left = family(a), let right = family(b) else { return false }
        return left != right
    }

    /// A name with a rare word, or one that few records of its country carry.
    mutating func distinctive(_ index: Int, _ name: PreparedName) -> Bool {
        if name.isDistinctive { return true }
        if let known = distinctiveNames[index] { return known }
        guard let text = records[index].name, let country = records[index].country else { return false }
        let result = (sameName[Self.key(country, text)] ?? 0) <= Self.commonNameRecords
        distinctiveNames[index] = result
        return result
    }

    func lacksOwnDomain(_ index: Int) -> Bool { records[index].ownDomain == nil }

    mutating func name(_ index: Int) -> PreparedName? {
        if let known = prepared[index] { return known }
        guard let text = records[index].name else { return nil }
        let name = PreparedName(text, frequencies: frequencies, vocabulary: &vocabulary)
        prepared[index] = name
        return name
    }

    /// The names' agreement once a trailing place that is the *other* record's
    /// city is dropped (`Booz Allen Hamilton Westborough` / `Booz Allen Hamilton
    /// Inc.` in Westborough; `Adetel Group S.A. Ecully` / `Adetel` in Ecully):
    /// CRM users type the place into the name of one record and into the city
    /// field of the other. Nil when neither name ends with the other's city.
    mutating func withoutOthersCity(_ a: Int, _ b: Int) -> (score: Double, extraWord: Bool)? {
        // Two calls, not a loop over an array of the two orders: this runs for most compared pairs.
        withoutCity(of: b, in: a) ?? withoutCity(of: a, in: b)
    }

    /// `named`'s name without a trailing place that is `placed`'s city, against `placed`'s name.
    private mutating func withoutCity(of placed: Int, in named: Int) -> (score: Double, extraWord: Bool)? {
        guard let city = records[placed].city, records[named].city == nil, let text = records[named].name,
            let shorter = CompanyNameNormalizer.withoutTrailingPlace(
                text, place: city.split(separator: " ").map(String.init), forms: settings.legalForms),
            let other = name(placed)
        else { return nil }
        return PreparedName(shorter, frequencies: frequencies, vocabulary: &vocabulary).agreement(with: other)
    }

    enum Cities { case agree, differ, unknown }

    func cities(_ a: Int, _ b: Int) -> Cities {
        guard let left = records[a].city, let right = records[b].city else { return .unknown }
        return left == right ? .agree : .differ
    }

    /// Weighted name agreement, nudged by the city where both have one (and
    /// down by postcodes that differ), and pushed below any threshold by legal forms of different kinds or, for a
    /// name of common words only, by different cities.
    mutating func score(_ a: Int, _ b: Int) -> Score? {
        let (low, high) = (min(a, b), max(a, b))
        guard let left = name(low), let right = name(high) else { return nil }
        var (score, extraWord) = records[low].name == records[high].name ? (1, false) : left.agreement(with: right)
        var cities = cities(low, high)
        if score < settings.nameThreshold, let placed = withoutOthersCity(low, high), placed.score > score {
            // The place in one name is the other's city: the cities agree.
            (score, extraWord, cities) = (placed.score, placed.extraWord, .agree)
        }
        guard score >= 0.5 else { return Score(score: score, cities: .unknown, distinctive: false, extraWord: extraWord) }
        switch cities {
        case .agree: score = min(1, score + 0.03)
        case .differ: score -= 0.05
        case .unknown: break
        }
        // Two postcodes: one company's records across CRMs seldom differ (`Shenzhen Belon` / `Shenzhen Belzon`).
        if let left = records[low].postcode, let right = records[high].postcode, left != right { score -= 0.04 }
        let rare = left.isDistinctive || right.isDistinctive
        if legalConflict(low, high) || domainNamesOtherForm(low, high) || (!rare && cities == .differ) {
            score *= 0.8
        } else if legalDifference(low, high) {
            // `Acme Inc` / `Acme LLC`: often one company typed two ways, but a
            // candidate with the same legal form goes first.
            score *= 0.95
        }
        return Score(score: score, cities: cities, distinctive: rare || distinctive(low, left) || distinctive(high, right), extraWord: extraWord)
    }

    /// A pair's name agreement with what it was weighed with.
    struct Score {
        var score: Double
        var cities: Cities
        /// A rare word, or a name few records of its country carry.
        var distinctive: Bool
        /// A word more than descriptors on one side: no other evidence makes up for it.
        var extraWord: Bool
    }

    /// What both records share beyond the name: a phone number, or a
    /// postcode where the cities do not differ. It lets a name match be
    /// `phoneMargin` / `postcodeMargin` below the threshold (typos on both
    /// sides: `Reak Time Logic` / `Rea Time Logic`), never where legal forms
    /// conflict or a domain names the other form (twins share a switchboard).
    enum SharedContact: String {
        case phone = "phone agrees", postcode = "postcode agrees"

        func margin(_ settings: MatchSettings) -> Double {
            switch self {
            case .phone: return settings.phoneMargin
            case .postcode: return settings.postcodeMargin
            }
        }
    }

    mutating func sharedContact(_ a: Int, _ b: Int, cities: Cities, postcodes: Bool = true) -> SharedContact? {
        let (left, right) = (records[a], records[b])
        let shared: SharedContact?
        if let phone = left.phone, phone == right.phone {
            shared = .phone
        } else if postcodes, cities != .differ, let postcode = left.postcode, postcode == right.postcode {
            shared = .postcode
        } else {
            shared = nil
        }
        guard let shared, !legalConflict(a, b), !domainNamesOtherForm(a, b) else { return nil }
        return shared
    }

    /// The evidence beyond the name that a score below the threshold needs, if it has it.
    mutating func support(_ a: Int, _ b: Int, score: Double, cities: Cities, postcodes: Bool = true) -> SharedContact? {
        guard score < settings.nameThreshold, score >= settings.nameThreshold - max(settings.phoneMargin, settings.postcodeMargin) - settings.reviewMargin
        else { return nil }
        return sharedContact(a, b, cities: cities, postcodes: postcodes)
    }

    /// A name match within one country, where either side lacks an own domain.
    /// A name of common words that many records share (`First National Bank`)
    /// needs the city to agree.
    /// A pair within `reviewMargin` below the threshold is a `nearName` edge.
    mutating func nameEdge(_ a: Int, _ b: Int) -> MatchEdge? {
        guard let weighed = score(a, b), weighed.distinctive || weighed.cities == .agree else { return nil }
        let (score, cities, distinctive) = (weighed.score, weighed.cities, weighed.distinctive)
        let shared = weighed.extraWord ? nil : support(a, b, score: score, cities: cities)
        let threshold = settings.nameThreshold - (shared?.margin(settings) ?? 0)
        guard score >= threshold - settings.reviewMargin else { return nil }
        let near = score < threshold
        var reason = near
            ? "name " + String(format: "%.3f", score) + " below the threshold " + String(format: "%.3f", threshold)
            : "name " + Self.format(score)
            + ", country " + (records[a].country ?? "?")
        if records[a].countryFromDomain || records[b].countryFromDomain { reason += " (one from the domain)" }
        if records[a].countryFromName || records[b].countryFromName { reason += " (one from the name)" }
        if cities == .agree { reason += ", city agrees" }
        if let shared { reason += ", " + shared.rawValue }
        if !distinctive { reason += ", common words only" }
        if legalDifference(a, b), let left = family(a), let right = family(b) { reason += ", legal forms differ (\(left) / \(right))" }
        if records[a].platformTenant || records[b].platformTenant { reason += ", a platform page" }
        return MatchEdge(records[a].key, records[b].key, score: score, kind: near ? .nearName : .name, reason: reason)
    }

    /// A name match where one side (or both, with the same city) has no country.
    /// A shared phone number may stand in for a little name agreement; a postcode, without a country, not.
    mutating func blankCountryEdge(_ blank: Int, _ other: Int, country: String?) -> MatchEdge? {
        guard let weighed = score(blank, other), weighed.distinctive, weighed.cities != .differ else { return nil }
        let score = weighed.score
        let shared = weighed.extraWord ? nil : support(blank, other, score: score, cities: weighed.cities, postcodes: false)
        guard score >= settings.nameThreshold - (shared?.margin(settings) ?? 0) else { return nil }
        let place = country.map { "country blank on one side (other \($0))" }
            ?? "no country on either side, " + (weighed.cities == .agree ? "city agrees" : "no city to compare")
        return MatchEdge(
            records[blank].key, records[other].key, score: score, kind: .name,
            reason: "name \(Self.format(score)), \(place)" + (shared.map { ", " + $0.rawValue } ?? ""))
    }

    /// Two own domains of one company: the same normalized name (a word more
    /// or less is another company: `Jorell` / `Jorell Labs`), distinctive, no
    /// two legal forms (`Acme Inc` / `Acme LLC` with their own domains are
    /// twins), the same country (the block's), no city conflict, and labels
    /// that fit the name.
    mutating func alternateDomainEdge(_ a: Int, _ b: Int) -> MatchEdge? {
        guard let domainA = records[a].ownDomain, let domainB = records[b].ownDomain,
            let nameA = records[a].name, let nameB = records[b].name,
            nameA == nameB || nameA.split(separator: " ").count == nameB.split(separator: " ").count,
            let weighed = score(a, b), weighed.score >= settings.alternateDomainThreshold, weighed.distinctive, weighed.cities != .differ,
            !legalDifference(a, b)
        else { return nil }
        let (labelA, labelB) = (Self.label(domainA), Self.label(domainB))
        let phoneAgrees = records[a].phone != nil && records[a].phone == records[b].phone
        if labelA != labelB {
            // A legal form in a label only when both names carry one of its family (`m3inc.com` for `M3 Inc.`).
            let legal = family(a) ?? family(b)
            var fitting = Self.derivations(nameA).union(Self.derivations(nameB))
            // A leading common word (a city: `Beijing Vorx Telecommunications` on `getvorx.com`) is often not in the domain.
            for name in Set([nameA, nameB]) {
                let words = name.split(separator: " ")
                if words.count > 1, !frequencies.isDistinctive(String(words[0])) {
                    fitting.formUnion(Self.derivations(words.dropFirst().joined(separator: " ")))
                }
            }
            // One phone number stands in for labels that do not fit (`ea.com` / `eainc.com`, `nivis.net` / `niviscorp.com`).
            guard Self.fits(labelA, fitting, legal: legal) && Self.fits(labelB, fitting, legal: legal) || phoneAgrees
            else { return nil }
        }
        let names = nameA == nameB ? "same name" : "name \(Self.format(weighed.score))"
        return MatchEdge(
            records[a].key, records[b].key, score: weighed.score, kind: .altDomain,
            reason: "alternate domains \(min(domainA, domainB)) ~ \(max(domainA, domainB)): \(names), country \(records[a].country ?? records[b].country ?? "?")"
                + (phoneAgrees ? ", phone agrees" : ""))
    }

    /// The first label of a domain without hyphens (`acme-ag.de` → `acmeag`).
    static func label(_ domain: String) -> String {
        String(domain.prefix { $0 != "." }.filter { $0 != "-" })
    }

    /// A label is the name, or the name with a word companies put in their
    /// domains (`toyota-global.com`, `getadvantest.com`), with a legal form
    /// only of the names' own family: `acme.com` / `acme-llc.com` is how
    /// legal-form twins tell apart.
    static func fits(_ label: String, _ names: Set<String>, legal: String? = nil) -> Bool {
        // `inc` and `corp` in a domain are how companies of any form name it (`rogerscorp.com`), except where
        // the name says it is another entity under US law (`acme-llc.com` / `acmeinc.com` tell twins apart).
        let marketing = legal == "llc" || legal == "partnership" ? [] : ["inc", "corp"]
        let suffixes = domainSuffixes + marketing
            + (legal.map { family in legalSuffixes.filter { CompanyNameNormalizer.family(of: $0) == family } } ?? [])
        func bare(_ label: Substring) -> Bool {
            if names.contains(String(label)) { return true }
            if suffixes.contains(where: { label.hasSuffix($0) && names.contains(String(label.dropLast($0.count))) }) { return true }
            // A long name cut short (`weigaonikkisoweihaidialysisequ.com`).
            return label.count >= 16 && names.contains { $0.count > label.count && $0.hasPrefix(label) }
        }
        if bare(Substring(label)) { return true }
        return domainPrefixes.contains { label.hasPrefix($0) && bare(label.dropFirst($0.count)) }
    }

    static let legalSuffixes = ["inc", "corp", "co", "ltd", "llc", "gmbh", "ag", "sa", "plc", "bv", "nv", "ab", "oy", "kk", "group"]

    static let domainPrefixes = ["get", "try", "use", "join", "go", "hello", "hey", "the", "my", "we", "meet"]
    static let domainSuffixes = [
        "global", "group", "grp", "hq", "usa", "us", "uk", "online", "world", "worldwide", "intl", "international", "official",
    ]

    /// The labels a company's domain could have by its name: its first one,
    /// two, ... words run together, with and without the small words
    /// (`netscout systems` → `netscout`, `netscoutsystems`; `bank of hope` → `bankofhope`, `bankhope`).
    static func derivations(_ name: String) -> Set<String> {
        var result = Set<String>()
        var (joined, withoutStopWords) = ("", "")
        for word in name.split(separator: " ") {
            joined += word
            result.insert(joined)
            if !NameWords.stopWords.contains(String(word)) { withoutStopWords += word }
            result.insert(withoutStopWords)
        }
        return result
    }

    static func format(_ score: Double) -> String {
        let hundredths = Int((min(score, 1) * 100).rounded())
        return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
    }
}

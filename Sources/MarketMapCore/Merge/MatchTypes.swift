/// Identity of one source record.
public struct RecordKey: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var source: String
    public var sourceID: String
    public init(source: String, sourceID: String) {
        self.source = source
        self.sourceID = sourceID
    }
    public static func < (lhs: RecordKey, rhs: RecordKey) -> Bool { (lhs.source, lhs.sourceID) < (rhs.source, rhs.sourceID) }
    public var description: String { "\(source)/\(sourceID)" }
}

/// What matching looks at for one source account.
public struct MatchRecord: Sendable, Equatable {
    public var key: RecordKey
    public var name: String?
    /// The registrable domain, only when it is a company identity (a hosting
    /// platform's tenant, `acme.wordpress.com`, counts, as a weak one).
    public var domain: String?
    public var country: String?
    public var preventOverride: Bool
    /// The city, folded (`TextFolding.words` joined), when known: evidence.
    public var city: String?
    /// `domain` is a hosting platform's tenant, not the company's own domain.
    public var platformTenant: Bool
    /// The name as the CRM holds it: its legal form is evidence
    /// (`CompanyNameNormalizer.legalFamily`).
    public var rawName: String?
    /// `country` was read off the domain's country suffix, the record has none.
    public var countryFromDomain = false
    /// `country` was read off a qualifier of the name (`Acme (Germany)`), the record has none.
    public var countryFromName = false
    /// The phone number's key (`ContactPoints.phoneKey`): a shared line is evidence.
    public var phone: String?
    /// The postcode's key (`ContactPoints.postcodeKey`).
    public var postcode: String?

    public init(
        key: RecordKey, name: String?, domain: String?, country: String?, preventOverride: Bool = false, city: String? = nil,
        platformTenant: Bool = false, rawName: String? = nil
    ) {
        self.rawName = rawName
        self.key = key
        self.name = name
        self.domain = domain
        self.country = country
        self.preventOverride = preventOverride
        self.city = city
        self.platformTenant = platformTenant
    }

    /// A city as matching compares it: `Frankfurt am Main` / `FRANKFURT AM MAIN`,
    /// without the word for a city or prefecture that CRM users type or leave out
    /// (`Hsinchu City`, `Osaka-shi`, `Tokyo-to`, `Seoul-si` / `Osaka`, `Tokyo`, `Seoul`).
    public static func foldedCity(_ raw: String) -> String? {
        var words = TextFolding.words(raw)
        if words.count > 1, let last = words.last, citySuffixes.contains(last) { words.removeLast() }
        return words.isEmpty || TextFolding.isPlaceholder(raw) ? nil : words.joined(separator: " ")
    }

    /// Trailing words that say "city" (English, Japanese, Korean, Chinese romanized).
    static let citySuffixes: Set<String> = ["city", "shi", "si", "to", "fu", "shih"]

    /// A domain of the company's own: it joins on sight and keeps apart.
    var ownDomain: String? { platformTenant ? nil : domain }
}

public enum MatchMethod: String, Sendable, Codable {
    /// Alone, or the cluster's anchor.
    case single
    /// Joined on the same registrable domain (or the same platform tenant).
    case domain
    /// Joined on a fuzzy name match within the same country: review these.
    case name
    /// Joined on another domain of the same company (`siemens.de` / `siemens.com`):
    /// the same name and country and a domain label that fits both. Review these.
    case altDomain = "alt_domain"
    /// Joined by a steward's `same` decision.
    case decision
}

public struct MatchSettings: Sendable, Equatable {
    /// Name agreement (`PreparedName.similarity`, weighted by how rare each
    /// word is in the market) at or above which two records without a shared
    /// domain are the same company.
    public var nameThreshold: Double = 0.9
    /// Name agreement at or above which two records with different domains
    /// whose labels fit the name (`siemens.de` / `siemens.com`) are one company.
    public var alternateDomainThreshold: Double = 0.97
    /// At most this many own domains in one account: a chain of alternate
    /// domains longer than this is a runaway cluster, not a company.
    public var maxDomainsPerAccount: Int = 3
    /// Name pairs this far below `nameThreshold` are kept as near misses, for review.
    public var reviewMargin: Double = 0.05
    /// How far below `nameThreshold` a name match may be when both records
    /// have one phone number (typos on both sides: `Reak Time Logic` / `Rea Time Logic`).
    public var phoneMargin: Double = 0.3
    /// The same where both have one postcode and the cities do not differ.
    public var postcodeMargin: Double = 0.1
    /// The legal forms names drop: the built-in ones and the configuration's (`match.legal_forms`).
    public var legalForms = LegalForms.builtIn
    public init(
        nameThreshold: Double = 0.9, alternateDomainThreshold: Double = 0.97, maxDomainsPerAccount: Int = 3, reviewMargin: Double = 0.05
    ) {
        self.reviewMargin = reviewMargin
        self.nameThreshold = nameThreshold
        self.alternateDomainThreshold = alternateDomainThreshold
        self.maxDomainsPerAccount = maxDomainsPerAccount
    }
}

/// One golden account: its source records, how each joined and why.
public struct AccountCluster: Sendable, Equatable {
    /// The smallest member key: a stable anchor for the golden id.
    public var anchor: RecordKey
    public var members: [RecordKey: MatchMethod]
    /// The evidence of the edge that joined each member (empty for the anchor
    /// of a single), e.g. `name 0.97, country GB, city agrees`.
    public var reasons: [RecordKey: String] = [:]
}

/// A possible match between two source records, found in one shard.
public struct MatchEdge: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case domain, name, altDomain = "alt_domain"
        /// A name pair just below the threshold: never joins, shown for review.
        case nearName = "near_name"
        /// A steward's `same` decision (made by resolve, never stored as an edge).
        case decision
    }
    public var a: RecordKey
    public var b: RecordKey
    public var score: Double
    public var kind: Kind
    /// The evidence, for lineage and review.
    public var reason: String

    public init(_ first: RecordKey, _ second: RecordKey, score: Double, kind: Kind, reason: String = "") {
        a = min(first, second)
        b = max(first, second)
        self.score = score
        self.kind = kind
        self.reason = reason
    }

    /// The reason follows from the rest (the same pair found by two shards
    /// has the same one): it takes no part in hashing, where its length
    /// would cost the most.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(a)
        hasher.combine(b)
        hasher.combine(kind)
        hasher.combine(score)
    }

    public static func == (lhs: MatchEdge, rhs: MatchEdge) -> Bool {
        lhs.a == rhs.a && lhs.b == rhs.b && lhs.kind == rhs.kind && lhs.score == rhs.score && lhs.reason == rhs.reason
    }
}

/// The whole configuration file (`ops/examples/marketmap.yaml` documents every
/// key). Every section and key has a default except the ICP criteria and the
/// valuation bands, which describe the market and must be given. Decoding
/// validates: unknown keys, wrong types and impossible values fail with the
/// key path (`ConfigError`).
public struct MarketMapConfig: Sendable, Equatable, Decodable {
    public var products: [ICPMatrix]
    public var valuation: ValuationFormula
    public var personas: PersonaRubric
    public var priority: [String: String]
    public var territories: TerritorySettings
    public var alerts: AlertThresholds
    public var push: [PushTarget]
    public var enrichment: EnrichmentSettings
    public var match: MatchConfig

    public init(from decoder: any Decoder) throws {
        let root = try decoder.container(keyedBy: ConfigKey.self)
        try root.rejectUnknown(["icp", "valuation", "personas", "priority", "territories", "alerts", "push", "enrichment", "match"])
        let icp = try root.nestedContainer(keyedBy: ConfigKey.self, forKey: ConfigKey("icp"))
        try icp.rejectUnknown(["tiers", "products"])
        let defaultTiers = try icp.decodeIfPresent(TiersConfig.self, forKey: ConfigKey("tiers"))?.thresholds ?? TierThresholds()
        let products = try icp.decode([ProductConfig].self, forKey: ConfigKey("products"))
        if products.isEmpty { throw icp.fail("products", "expected at least one product with criteria") }
        self.products = products.map { $0.matrix(defaultTiers) }
        if Set(self.products.map(\.product)).count != self.products.count { throw icp.fail("products", "product names must be unique") }
        valuation = try root.decode(ValuationConfig.self, forKey: ConfigKey("valuation")).formula
        personas = try root.decodeIfPresent(PersonaConfig.self, forKey: ConfigKey("personas"))?.rubric ?? PersonaRubric()
        priority = try root.value("priority", or: [:])
        territories = try root.value("territories", or: TerritorySettings())
        alerts = try root.value("alerts", or: AlertThresholds())
        enrichment = try root.decodeIfPresent(EnrichmentConfig.self, forKey: ConfigKey("enrichment"))?.settings ?? EnrichmentSettings()
        match = try root.value("match", or: MatchConfig())
        push = []
        if root.contains(ConfigKey("push")) {
            let p = try root.nestedContainer(keyedBy: ConfigKey.self, forKey: ConfigKey("push"))
            try p.rejectUnknown(["targets"])
            push = try p.value("targets", or: [])
        }
    }
}

struct TiersConfig: Decodable {
    var thresholds: TierThresholds
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ConfigKey.self)
        try c.rejectUnknown(["t1", "t2"])
        let t1: Double = try c.value("t1", or: 70), t2: Double = try c.value("t2", or: 40)
        guard (0...100).contains(t2), (t2...100).contains(t1) else { throw c.fail("t1", "expected 0 <= t2 <= t1 <= 100") }
        thresholds = TierThresholds(t1: t1, t2: t2)
    }
}

struct ProductConfig: Decodable {
    var name: String, criteria: [CriterionConfig], gates: [ConditionConfig], exclusions: [ConditionConfig], tiers: TierThresholds?

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ConfigKey.self)
        try c.rejectUnknown(["name", "criteria", "gates", "exclusions", "tiers"])
        name = try c.required("name")
        criteria = try c.required("criteria")
        if criteria.isEmpty { throw c.fail("criteria", "expected at least one criterion") }
        gates = try c.value("gates", or: [])
        exclusions = try c.value("exclusions", or: [])
        tiers = try c.decodeIfPresent(TiersConfig.self, forKey: ConfigKey("tiers"))?.thresholds
    }

    func matrix(_ defaultTiers: TierThresholds) -> ICPMatrix {
        ICPMatrix(
            product: name, criteria: criteria.map(\.criterion), gates: gates.map(\.condition),
            exclusions: exclusions.map(\.condition), tiers: tiers ?? defaultTiers)
    }
}

/// `equals`, `in`, `range`, `exists` or `regex`: exactly one, in a mapping.
enum MatcherConfig {
    static let keys: Set<String> = ["equals", "in", "range", "exists", "regex"]

    static func decode(_ c: KeyedDecodingContainer<ConfigKey>) throws -> Matcher {
        let present = c.allKeys.map(\.stringValue).filter(keys.contains)
        guard present.count == 1, let key = present.first else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: c.codingPath, debugDescription: "expected exactly one of equals, in, range, exists, regex"))
        }
        switch key {
        case "equals": return .equals(try scalarText(c, key))
        case "in":
            guard let list = try? c.decode([ScalarText].self, forKey: ConfigKey(key)), !list.isEmpty else {
                throw c.fail(key, "expected a non-empty list of values")
            }
            return .oneOf(list.map(\.text))
        case "range":
            guard let bounds = try? c.decode([Double?].self, forKey: ConfigKey(key)), bounds.count == 2,
                bounds[0] != nil || bounds[1] != nil
            else { throw c.fail(key, "expected [min, max] numbers (null for an open end)") }
            if let low = bounds[0], let high = bounds[1], low >= high { throw c.fail(key, "expected min < max") }
            return .range(min: bounds[0], max: bounds[1])
        case "exists":
            guard let wanted = try? c.decode(Bool.self, forKey: ConfigKey(key)) else { throw c.fail(key, "expected true or false") }
            return .exists(wanted)
        default:
            let source = try scalarText(c, key)
            guard let pattern = Matcher.Pattern(source) else { throw c.fail(key, "expected a valid regular expression") }
            return .regex(pattern)
        }
    }

    static func scalarText(_ c: KeyedDecodingContainer<ConfigKey>, _ key: String) throws -> String {
        guard let value = try? c.decode(ScalarText.self, forKey: ConfigKey(key)) else { throw c.fail(key, "expected a text or number value") }
        return value.text
    }
}

/// A YAML scalar read as text (`US`, `250`, `true`).
struct ScalarText: Decodable {
    var text: String
    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let number = try? c.decode(Double.self) {
            text = FieldValue.number(number).text
        } else if let flag = try? c.decode(Bool.self) {
            text = flag ? "true" : "false"
        } else {
            text = try c.decode(String.self)
        }
    }
}

struct CriterionConfig: Decodable {
    var criterion: Criterion
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ConfigKey.self)
        try c.rejectUnknown(MatcherConfig.keys.union(["field", "points", "bands"]))
        let field: String = try c.required("field")
        if c.contains(ConfigKey("bands")) {
            let bands = try c.decode([BandConfig].self, forKey: ConfigKey("bands"))
            if bands.isEmpty { throw c.fail("bands", "expected at least one band") }
            criterion = Criterion(field: field, bands: bands.map(\.band))
        } else {
            let points: Double = try c.required("points")
            criterion = Criterion(field: field, try MatcherConfig.decode(c), points: points)
        }
    }
}

struct BandConfig: Decodable {
    var band: Criterion.Band
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ConfigKey.self)
        try c.rejectUnknown(MatcherConfig.keys.union(["points", "value"]))
        guard let points = try c.decodeIfPresent(Double.self, forKey: ConfigKey("points")) ?? c.decodeIfPresent(Double.self, forKey: ConfigKey("value")) else {
            throw c.fail("points", "required key is missing")
        }
        band = Criterion.Band(try MatcherConfig.decode(c), points: points)
    }
}

struct ConditionConfig: Decodable {
    var condition: Condition
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ConfigKey.self)
        try c.rejectUnknown(MatcherConfig.keys.union(["field"]))
        condition = Condition(field: try c.required("field"), try MatcherConfig.decode(c))
    }
}

struct ValuationConfig: Decodable {
    var formula: ValuationFormula
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ConfigKey.self)
        try c.rejectUnknown(["base", "factors", "coefficient"])
        let base = try c.nestedContainer(keyedBy: ConfigKey.self, forKey: ConfigKey("base"))
        try base.rejectUnknown(["field", "bands", "default"])
        let bands = try base.decode([BandConfig].self, forKey: ConfigKey("bands"))
        let coefficient: Double = try c.value("coefficient", or: 1)
        if coefficient <= 0 { throw c.fail("coefficient", "expected a number above 0") }
        formula = ValuationFormula(
            baseField: try base.value("field", or: "employees"), bands: bands.map(\.band),
            defaultBase: try base.decodeIfPresent(Double.self, forKey: ConfigKey("default")),
            factors: try c.value("factors", or: [FactorConfig]()).map(\.factor), coefficient: coefficient)
    }
}

struct FactorConfig: Decodable {
    var factor: ValuationFormula.Factor
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ConfigKey.self)
        try c.rejectUnknown(["field", "multipliers", "default"])
        factor = .init(field: try c.required("field"), multipliers: try c.required("multipliers"), otherwise: try c.value("default", or: 1))
    }
}

struct PersonaConfig: Decodable {
    var rubric: PersonaRubric
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ConfigKey.self)
        try c.rejectUnknown(["titles", "seniority", "departments", "geography", "tenure_months", "points", "tiers", "negative_titles"])
        let defaults = PersonaRubric()
        func levels<T: Decodable>(_ key: String, _ fallback: [[T]]) throws -> [[T]] {
            guard c.contains(ConfigKey(key)) else { return fallback }
            let n = try c.nestedContainer(keyedBy: ConfigKey.self, forKey: ConfigKey(key))
            try n.rejectUnknown(["tier1", "tier2", "tier3"])
            return [try n.value("tier1", or: []), try n.value("tier2", or: []), try n.value("tier3", or: [])]
        }
        var rubric = PersonaRubric(
            titles: try levels("titles", defaults.titles), seniority: try levels("seniority", defaults.seniority),
            departments: try levels("departments", defaults.departments), geography: try levels("geography", defaults.geography),
            tenureMonths: try c.value("tenure_months", or: defaults.tenureMonths), negativeTitles: try c.value("negative_titles", or: []))
        if rubric.tenureMonths.count != 2 || rubric.tenureMonths[0] >= rubric.tenureMonths[1] {
            throw c.fail("tenure_months", "expected [new, settled] months with new < settled, e.g. [12, 36]")
        }
        if c.contains(ConfigKey("points")) {
            let p = try c.nestedContainer(keyedBy: ConfigKey.self, forKey: ConfigKey("points"))
            try p.rejectUnknown(["title", "seniority", "department", "geography", "tenure"])
            func three(_ key: String, _ fallback: [Double]) throws -> [Double] {
                let value: [Double] = try p.value(key, or: fallback)
                guard value.count == 3 else { throw p.fail(key, "expected three numbers: [tier 1, tier 2, tier 3] points") }
                return value
            }
            let d = defaults.points
            rubric.points = .init(
                title: try three("title", d.title), seniority: try three("seniority", d.seniority),
                department: try three("department", d.department), geography: try three("geography", d.geography),
                tenure: try three("tenure", d.tenure))
        }
        if c.contains(ConfigKey("tiers")) {
            let t = try c.nestedContainer(keyedBy: ConfigKey.self, forKey: ConfigKey("tiers"))
            try t.rejectUnknown(["tier1", "tier2"])
            let tier1: Double = try t.value("tier1", or: 70), tier2: Double = try t.value("tier2", or: 40)
            guard tier2 <= tier1 else { throw t.fail("tier1", "expected tier2 <= tier1") }
            rubric.tiers = (tier1, tier2)
        }
        self.rubric = rubric
    }
}

/// `territories:` — balance tolerance, staleness, segments and the reps.
public struct TerritorySettings: Sendable, Equatable, Decodable {
    /// ±share of the peers' mean valuation each rep must be within.
    public var tolerance = 0.2
    /// Accounts without activity for this many months are stale (0: never).
    public var staleMonths = 12
    /// The account field whose value is the segment reps are eligible for.
    public var segmentField = "segment"
    public var reps: [Rep] = []

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ConfigKey.self)
        try c.rejectUnknown(["tolerance", "stale_months", "segment_field", "reps"])
        tolerance = try c.value("tolerance", or: 0.2)
        guard tolerance > 0, tolerance < 1 else { throw c.fail("tolerance", "expected a share between 0 and 1, e.g. 0.2") }
        staleMonths = try c.value("stale_months", or: 12)
        if staleMonths < 0 { throw c.fail("stale_months", "expected 0 (never stale) or more months") }
        segmentField = try c.value("segment_field", or: "segment")
        reps = try c.value("reps", or: [RepConfig]()).map(\.rep)
        var seen: Set<String> = []
        for (index, rep) in reps.enumerated() where !seen.insert(rep.id).inserted {
            throw DecodingError.dataCorrupted(.init(
                codingPath: c.codingPath + [ConfigKey("reps"), ConfigKey(intValue: index) ?? ConfigKey("reps"), ConfigKey("id")],
                debugDescription: "rep id \(rep.id) appears twice"))
        }
    }
}

struct RepConfig: Decodable {
    var rep: Rep
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ConfigKey.self)
        try c.rejectUnknown(["id", "name", "regions", "segments", "capacity", "role"])
        let id: String = try c.required("id")
        let capacity: Int? = try c.decodeIfPresent(Int.self, forKey: ConfigKey("capacity"))
        if let capacity, capacity < 1 { throw c.fail("capacity", "expected at least 1 account, or no capacity key") }
        let roleText: String = try c.value("role", or: "direct")
        guard let role = Rep.Role(rawValue: roleText) else { throw c.fail("role", "expected direct or partner") }
        rep = Rep(
            id: id, name: try c.value("name", or: ""), regions: Set(try c.value("regions", or: [String]())), segments: Set(try c.value("segments", or: [String]())),
            capacity: capacity, role: role)
    }
}

/// `alerts:` — when the reporter raises an alert (`DOMAIN.md` §7).
public struct AlertThresholds: Sendable, Equatable, Decodable {
    /// T1 accounts with fewer contacts than this are a coverage gap.
    public var minContactsT1 = 4
    /// Tier distribution out of range: T1 share below / above these.
    public var t1ShareRange: [Double] = [0.02, 0.9]
    /// Accounts per rep outside this range.
    public var accountsPerRep: [Int] = [50, 10_000]
    /// A rep with this many times another's valuation.
    public var valuationRatio = 10.0
    /// Valuation drift: the calibration MAPE above this.
    public var valuationMAPE = 0.3
    /// Tier churn: more than this share of accounts changing tier in one refresh.
    public var tierChurn = 0.05

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ConfigKey.self)
        try c.rejectUnknown(["min_contacts_t1", "t1_share_range", "accounts_per_rep", "valuation_ratio", "valuation_mape", "tier_churn"])
        minContactsT1 = try c.value("min_contacts_t1", or: 4)
        t1ShareRange = try c.value("t1_share_range", or: [0.02, 0.9])
        guard t1ShareRange.count == 2, t1ShareRange[0] < t1ShareRange[1] else { throw c.fail("t1_share_range", "expected [low, high] shares with low < high") }
        accountsPerRep = try c.value("accounts_per_rep", or: [50, 10_000])
        guard accountsPerRep.count == 2, accountsPerRep[0] <= accountsPerRep[1] else { throw c.fail("accounts_per_rep", "expected [min, max] counts") }
        valuationRatio = try c.value("valuation_ratio", or: 10)
        valuationMAPE = try c.value("valuation_mape", or: 0.3)
        tierChurn = try c.value("tier_churn", or: 0.05)
        if !(0...1).contains(tierChurn) { throw c.fail("tier_churn", "expected a share between 0 and 1, e.g. 0.05") }
    }
}

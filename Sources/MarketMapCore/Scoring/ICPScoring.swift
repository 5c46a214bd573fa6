/// Account tiers, best first.
public enum AccountTier: String, Sendable, Codable, CaseIterable, Comparable {
    case t1 = "T1", t2 = "T2", t3 = "T3"
    public static func < (lhs: AccountTier, rhs: AccountTier) -> Bool { lhs.rank < rhs.rank }
    public var rank: Int { switch self { case .t1: 1; case .t2: 2; case .t3: 3 } }
}

/// Score thresholds: T1 at or above `t1`, T2 at or above `t2`, else T3.
public struct TierThresholds: Sendable, Equatable {
    public var t1: Double
    public var t2: Double
    public init(t1: Double = 70, t2: Double = 40) {
        self.t1 = t1
        self.t2 = t2
    }
    /// Monotone: a higher score never gets a worse tier.
    public func tier(for score: Double) -> AccountTier { score >= t1 ? .t1 : score >= t2 ? .t2 : .t3 }
}

/// One product's ICP matrix (`DOMAIN.md` §5).
public struct ICPMatrix: Sendable, Equatable {
    public var product: String
    public var criteria: [Criterion]
    /// Every gate must hold, or the account scores 0 (T3).
    public var gates: [Condition]
    /// Any exclusion that holds takes the account out of the market (no tier).
    public var exclusions: [Condition]
    public var tiers: TierThresholds

    public init(product: String, criteria: [Criterion], gates: [Condition] = [], exclusions: [Condition] = [], tiers: TierThresholds = TierThresholds()) {
        self.product = product
        self.criteria = criteria
        self.gates = gates
        self.exclusions = exclusions
        self.tiers = tiers
    }

    /// The result for one account.
    public struct Fit: Sendable, Equatable {
        /// 0–100: points earned ÷ points possible × 100, rounded to one decimal.
        public var score: Double
        /// Nil when excluded.
        public var tier: AccountTier?
        public var excludedBy: String?
        public var failedGate: String?
        public init(score: Double, tier: AccountTier?, excludedBy: String? = nil, failedGate: String? = nil) {
            (self.score, self.tier, self.excludedBy, self.failedGate) = (score, tier, excludedBy, failedGate)
        }
    }

    public var maximumPoints: Double { criteria.reduce(0) { $0 + $1.maximum } }

    public func fit(_ facts: Facts) -> Fit {
        if let exclusion = exclusions.first(where: { $0.holds(for: facts) }) {
            return Fit(score: 0, tier: nil, excludedBy: exclusion.field, failedGate: nil)
        }
        if let gate = gates.first(where: { !$0.holds(for: facts) }) {
            return Fit(score: 0, tier: tiers.tier(for: 0), excludedBy: nil, failedGate: gate.field)
        }
        let maximum = maximumPoints
        let earned = criteria.reduce(0) { $0 + $1.points(for: facts) }
        let score = maximum > 0 ? min(100, max(0, (earned / maximum * 1000).rounded() / 10)) : 0
        return Fit(score: score, tier: tiers.tier(for: score), excludedBy: nil, failedGate: nil)
    }
}

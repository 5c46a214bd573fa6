/// Estimated ARR (`DOMAIN.md` §5): a base value from bands on one field
/// (employees by default), times a multiplier per factor field (industry,
/// ...), times a global coefficient (what calibration tunes).
public struct ValuationFormula: Sendable, Equatable {
    public var baseField: String
    public var bands: [Criterion.Band]
    /// The base when no band matches (nil: the account gets no valuation).
    public var defaultBase: Double?
    public var factors: [Factor]
    public var coefficient: Double

    public struct Factor: Sendable, Equatable {
        public var field: String
        /// Value (case-insensitive) → multiplier.
        public var multipliers: [String: Double]
        public var otherwise: Double
        public init(field: String, multipliers: [String: Double], otherwise: Double = 1) {
            self.field = field
            self.multipliers = Dictionary(multipliers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
            self.otherwise = otherwise
        }
        func multiplier(for facts: Facts) -> Double {
            guard let value = facts[field]?.text.trimmedWhitespace.lowercased() else { return otherwise }
            return multipliers[value] ?? otherwise
        }
    }

    public init(baseField: String = "employees", bands: [Criterion.Band], defaultBase: Double? = nil, factors: [Factor] = [], coefficient: Double = 1) {
        self.baseField = baseField
        self.bands = bands
        self.defaultBase = defaultBase
        self.factors = factors
        self.coefficient = coefficient
    }

    /// The estimate, rounded to whole currency units; nil without a base.
    public func estimate(_ facts: Facts) -> Double? {
        let value = facts[baseField]
        guard let base = bands.first(where: { $0.matcher.matches(value) })?.points ?? defaultBase else { return nil }
        let product = factors.reduce(base * coefficient) { $0 * $1.multiplier(for: facts) }
        return product.rounded()
    }
}

/// How far estimates are from what customers actually pay, and the
/// coefficient that would fix most of it.
public struct Calibration: Sendable, Equatable, Codable {
    /// Accounts with both an estimate and an actual (closed-won) ARR.
    public var accounts: Int
    /// Mean absolute percentage error of the estimates, 0.25 = 25 %.
    public var mape: Double
    /// Multiply the formula's coefficient by this (the median of actual ÷ estimate).
    public var suggestedFactor: Double
    /// The MAPE after applying `suggestedFactor`.
    public var mapeAfter: Double
    /// Share of accounts within ±25 % of their actual after the suggestion.
    public var withinBandAfter: Double

    /// Pairs of (estimate, actual); pairs with a non-positive side are ignored.
    public static func of(_ pairs: [(estimate: Double, actual: Double)]) -> Calibration? {
        let usable = pairs.filter { $0.estimate > 0 && $0.actual > 0 }
        guard !usable.isEmpty else { return nil }
        func mape(_ factor: Double) -> Double {
            usable.reduce(0) { $0 + abs($1.estimate * factor - $1.actual) / $1.actual } / Double(usable.count)
        }
        let ratios = usable.map { $0.actual / $0.estimate }.sorted()
        let middle = ratios.count / 2
        let median = ratios.count % 2 == 1 ? ratios[middle] : (ratios[middle - 1] + ratios[middle]) / 2
        let within = usable.filter { abs($0.estimate * median - $0.actual) / $0.actual <= 0.25 }.count
        return Calibration(
            accounts: usable.count, mape: mape(1), suggestedFactor: median, mapeAfter: mape(median),
            withinBandAfter: Double(within) / Double(usable.count))
    }
}

/// An alert of `DOMAIN.md` §7.
public struct Alert: Sendable, Equatable, Encodable {
    public var kind: String
    public var message: String
    public init(kind: String, message: String) {
        self.kind = kind
        self.message = message
    }
}

/// The figures alerts are judged on, and the judgement (pure).
public struct AlertInputs: Sendable {
    /// Win rate per account tier (nil: no closed deals in that tier).
    public var winRate: [AccountTier: Double]
    public var calibration: Calibration?
    /// T1 accounts with fewer contacts than the threshold.
    public var t1CoverageGaps: Int
    public var tierCounts: [AccountTier: Int]
    /// Accounts and valuation per rep.
    public var repAccounts: [String: Int]
    public var repValuation: [String: Double]
    /// Tier changes since the previous reported run (nil: no baseline to compare with).
    public var tierChurn: TierChurn?

    public struct TierChurn: Sendable, Equatable {
        public var since: Int
        /// Accounts whose tier changed (new, removed and merged ones aside), of all accounts scored now.
        public var moved: Int
        public var accounts: Int
        /// The scoring configuration differs from the baseline's.
        public var configChanged: Bool
        public init(since: Int, moved: Int, accounts: Int, configChanged: Bool) {
            (self.since, self.moved, self.accounts, self.configChanged) = (since, moved, accounts, configChanged)
        }
    }

    public init(
        winRate: [AccountTier: Double], calibration: Calibration?, t1CoverageGaps: Int, tierCounts: [AccountTier: Int],
        repAccounts: [String: Int], repValuation: [String: Double]
    ) {
        (self.winRate, self.calibration, self.t1CoverageGaps, self.tierCounts) = (winRate, calibration, t1CoverageGaps, tierCounts)
        (self.repAccounts, self.repValuation) = (repAccounts, repValuation)
    }

    public func alerts(_ thresholds: AlertThresholds) -> [Alert] {
        var alerts: [Alert] = []
        func percent(_ share: Double) -> String { String(Int((share * 100).rounded())) + " %" }
        if let t1 = winRate[.t1], let t3 = winRate[.t3], t3 > t1 {
            alerts.append(Alert(kind: "icp_drift", message: "T3 accounts win \(percent(t3)) of closed deals, T1 only \(percent(t1)): the ICP no longer predicts wins"))
        }
        if let calibration, calibration.mape > thresholds.valuationMAPE {
            alerts.append(Alert(
                kind: "valuation_drift",
                message: "estimates are \(percent(calibration.mape)) off closed-won amounts on average (\(calibration.accounts) accounts); multiply the valuation coefficient by \(String(format: "%.2f", calibration.suggestedFactor))"))
        }
        if t1CoverageGaps > 0 {
            alerts.append(Alert(kind: "coverage_gap", message: "\(t1CoverageGaps) T1 account(s) have fewer than \(thresholds.minContactsT1) contacts"))
        }
        let total = tierCounts.values.reduce(0, +)
        if total > 0 {
            let share = Double(tierCounts[.t1] ?? 0) / Double(total)
            if share < thresholds.t1ShareRange[0] || share > thresholds.t1ShareRange[1] {
                alerts.append(Alert(
                    kind: "tier_distribution",
                    message: "T1 is \(percent(share)) of tiered accounts, outside \(percent(thresholds.t1ShareRange[0]))–\(percent(thresholds.t1ShareRange[1])): revisit the tier thresholds"))
            }
        }
        for (rep, count) in repAccounts.sorted(by: { $0.key < $1.key }) where count < thresholds.accountsPerRep[0] || count > thresholds.accountsPerRep[1] {
            alerts.append(Alert(kind: "accounts_per_rep", message: "rep \(rep) holds \(count) accounts, outside \(thresholds.accountsPerRep[0])–\(thresholds.accountsPerRep[1])"))
        }
        let values = repValuation.filter { $0.value > 0 }
        if let high = values.max(by: { $0.value < $1.value }), let low = values.min(by: { $0.value < $1.value }),
            high.value >= low.value * thresholds.valuationRatio
        {
            alerts.append(Alert(
                kind: "valuation_ratio",
                message: "rep \(high.key) holds \(String(format: "%.1f", high.value / low.value))× the valuation of rep \(low.key)"))
        }
        if let churn = tierChurn {
            if churn.configChanged {
                alerts.append(Alert(
                    kind: "config_changed",
                    message: "the scoring configuration changed since run \(churn.since): tier movers reflect the new rubric as well as data changes"))
            }
            let share = Double(churn.moved) / Double(max(churn.accounts, 1))
            if churn.moved > 0, share > thresholds.tierChurn {
                alerts.append(Alert(
                    kind: "tier_churn",
                    message: "\(churn.moved) accounts (\(percent(share))) changed tier since run \(churn.since), more than \(percent(thresholds.tierChurn)): check the exports and the enrichment before acting on tier_movers.csv"))
            }
        }
        return alerts
    }
}

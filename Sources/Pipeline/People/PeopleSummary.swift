import Foundation
import MarketMapCore
import Postgres

/// What a run's people stage planned, bought and found (the run summary,
/// `summary.json`): nil when the run has no people stage.
public struct PeopleSummary: Codable, Sendable, Equatable {
    public var planOnly: Bool
    /// Accounts whose contacts lacked personas, per account tier, and the personas lacking per persona tier.
    public var accountsPlanned: Int
    public var accountsByTier: [String: Int]
    public var personasLacking: [String: Int]
    /// HTTP calls made (searches and verifications), answers from the cache, credits charged.
    public var calls: Int
    public var cachedAnswers: Int
    public var credits: Double
    /// The people pool's part of the budget when it is split, else the whole budget (nil: no limit).
    public var creditBudget: Double?
    /// A plan-only run: the calls its searches need (first pages at the first provider that would be called) and their most credits.
    public var plannedCalls: Int
    public var plannedCredits: Double
    /// Accounts per people status (found, partial, none found, budget, privacy, ...).
    public var accounts: [String: Int]
    /// People found per outcome (created, linked_email (CRM), negative_title, ...).
    public var people: [String: Int]
    /// Accounts no search was made for, per privacy rule.
    public var privacySkipped: [String: Int]
    /// The most frequent failure reasons.
    public var failures: [String: Int]

    public init?(run: Int, on db: isolated Connection) throws {
        let (hasStage, planOnly) = try db.query(PeopleQueries.stageOfRun, run)[0].decode(Bool.self, Bool.self)
        guard hasStage else { return nil }
        self.planOnly = planOnly
        let (planned, need1, need2, need3, t1, t2, t3) = try db.query(PeopleQueries.planFigures, run)[0].decode(
            Int.self, Int.self, Int.self, Int.self, Int.self, Int.self, Int.self)
        accountsPlanned = planned
        personasLacking = ["tier1": need1, "tier2": need2, "tier3": need3]
        accountsByTier = ["T1": t1, "T2": t2, "T3": t3]
        (calls, cachedAnswers, credits, plannedCalls, plannedCredits) = try db.query(PeopleQueries.statusFigures, run)[0].decode(
            Int.self, Int.self, Double.self, Int.self, Double.self)
        let (_, peopleBudget, runBudget) = try db.query(PeopleQueries.peopleCredits, run)[0].decode(Double.self, Double?.self, Double?.self)
        creditBudget = peopleBudget ?? runBudget
        func counts(_ sql: String) throws -> [String: Int] {
            var counts: [String: Int] = [:]
            for row in try db.query(sql, run) {
                let (key, count) = try row.decode(String.self, Int.self)
                counts[key] = count
            }
            return counts
        }
        accounts = try counts(PeopleQueries.statusCounts)
        people = try counts(PeopleQueries.outcomeCounts)
        privacySkipped = try counts(PeopleQueries.privacyCounts)
        failures = try counts(PeopleQueries.failureReasons)
    }

    /// Credits to a tenth, thousands grouped in fractions too (`1,325.1`, not `1325.1`).
    static func credits(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return tenths % 10 == 0 ? RunMonitor.grouped(tenths / 10) : "\(RunMonitor.grouped(tenths / 10)).\(abs(tenths % 10))"
    }

    /// One line for the run summary, e.g. "plan: 96 accounts lacking personas
    /// (T1 80, T2 16); 101 calls, 14 cached, 310.5 credits of 2,000; people
    /// found: 180 created, 12 linked to CRM contacts, ...".
    public var text: String {
        let n = RunMonitor.grouped
        let credits = Self.credits
        let tiers = AccountTier.allCases.compactMap { tier in (accountsByTier[tier.rawValue] ?? 0) > 0 ? "\(tier.rawValue) \(n(accountsByTier[tier.rawValue] ?? 0))" : nil }
        var text = "plan: \(n(accountsPlanned)) accounts lacking personas" + (tiers.isEmpty ? "" : " (" + tiers.joined(separator: ", ") + ")")
        text += ", \(n(personasLacking["tier1"] ?? 0)) tier-1 and \(n(personasLacking["tier2"] ?? 0)) tier-2 personas"
        let budget = creditBudget.map { " of " + credits($0) } ?? ""
        if planOnly {
            text += "; plan only, nothing bought: \(n(plannedCalls)) calls needed, up to \(credits(plannedCredits)) credits\(budget) (more if later providers or pages are needed), \(n(cachedAnswers)) answers cached"
        } else {
            text += "; \(n(calls)) calls, \(n(cachedAnswers)) cached, \(credits(self.credits)) credits\(budget)"
            let created = people["created"] ?? 0
            let crm = people.filter { $0.key.hasSuffix("(CRM)") }.values.reduce(0, +)
            let known = people.filter { $0.key.hasPrefix("linked") && !$0.key.hasSuffix("(CRM)") }.values.reduce(0, +)
            let notKept = people.filter { !$0.key.hasPrefix("linked") && $0.key != "created" }.sorted { $0.key < $1.key }
            text += "; people found: \(n(created)) created, \(n(crm)) already in the CRM (linked), \(n(known)) found before"
            if !notKept.isEmpty { text += ", not kept: " + notKept.map { "\(n($0.value)) \($0.key.replacingOccurrences(of: "_", with: " "))" }.joined(separator: ", ") }
        }
        if !privacySkipped.isEmpty { text += "; privacy: " + privacySkipped.sorted { $0.key < $1.key }.map { "\(n($0.value)) accounts (\($0.key))" }.joined(separator: ", ") }
        if !failures.isEmpty { text += "; failures: " + failures.sorted { $0.value > $1.value }.map { "\(n($0.value))× \($0.key)" }.joined(separator: "; ") }
        return text
    }
}

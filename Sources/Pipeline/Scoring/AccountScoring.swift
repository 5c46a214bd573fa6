import Foundation
import MarketMapCore
import Postgres

/// What one score shard wrote.
public struct ScoreCounts: Sendable, Equatable {
    public var accounts = 0, contacts = 0
    public init() {}
}

/// Scores one shard of golden accounts (`id % shards == shard`) and their
/// contacts with a configuration: ICP fit and tier per product, valuation,
/// persona fit and priority. Reads the shard's facts in one query, computes in
/// `MarketMapCore`, replaces the accounts' rows with `COPY`. Every account of
/// the shard, or (`everything` false: the configuration, version and as-of
/// day are those of the last scoring) only those whose input hash changed
/// since they were last scored (`score_inputs`). Runs in the caller's
/// transaction (a job's), or its own.
public struct AccountScoring: Sendable {
    public let config: MarketMapConfig
    /// Tenure in role is counted up to this day (a run fixes it, so re-runs agree).
    public let asOf: String

    public init(config: MarketMapConfig, asOf: String) {
        self.config = config
        self.asOf = asOf
    }

    @discardableResult
    public func score(shard: Int, of shards: Int, changedSince: Int? = nil, on db: isolated Connection) throws -> ScoreCounts {
        try db.withTransaction {
            var counts = ScoreCounts()
            var primaryTier: [Int: AccountTier?] = [:]
            let accounts = try changedSince.map { try db.query(ScoringQueries.changedAccountFacts, shard, shards, $0) }
                ?? db.query(ScoringQueries.accountFacts, shard, shards)
            let ids: [Int] = try accounts.map { try $0.decode("id") }
            let hashes: [String] = try accounts.map { try $0.decode("input_hash") }
            try db.query(ScoringQueries.deleteAccountScores, ids)
            try db.query(ScoringQueries.deleteValuations, ids)
            var valuations: [[String?]] = []
            try db.copyIn(ScoringQueries.copyAccountScores) { writer in
                for row in accounts {
                    let id: Int = try row.decode("id")
                    let facts = try Self.facts(row)
                    for (index, matrix) in config.products.enumerated() {
                        let fit = matrix.fit(facts)
                        if index == 0 { primaryTier[id] = fit.tier }
                        // The primary product's basis: what tier movers explain a change with.
                        let basis = index == 0 ? ScoreBasis(matrix: matrix, facts: facts).json : nil
                        try writer.writeRow([
                            String(id), matrix.product, FieldValue.number(fit.score).text, fit.tier?.rawValue, fit.excludedBy, fit.failedGate, basis,
                        ])
                    }
                    valuations.append([String(id), config.valuation.estimate(facts).map { FieldValue.number($0).text }])
                    counts.accounts += 1
                }
            }
            try db.copyIn(ScoringQueries.copyValuations) { writer in
                for row in valuations { try writer.writeRow(row) }
            }
            try db.query(ScoringQueries.saveInputHashes, ids, hashes)
            let contacts = try db.query(ScoringQueries.contactFacts, ids, asOf)
            try db.query(ScoringQueries.deleteContactScores, ids)
            let personas = config.personas.prepared()
            try db.copyIn(ScoringQueries.copyContactScores) { writer in
                for row in contacts {
                    let (id, account, title, seniority, department, country, months) = try row.decode(
                        Int.self, Int.self, String?.self, String?.self, String?.self, String?.self, Int?.self)
                    let contact = PersonaRubric.Contact(
                        title: title, seniority: seniority.flatMap(Seniority.init(rawValue:)),
                        department: department.flatMap(Department.init(rawValue:)), country: country, monthsInRole: months)
                    let fit = personas.fit(contact)
                    let priority = Priority.of(account: primaryTier[account] ?? nil, persona: fit.tier)
                    try writer.writeRow([
                        String(id), String(account), FieldValue.number(fit.score).text, fit.tier.map { String($0.rawValue) }, priority.rawValue,
                    ])
                    counts.contacts += 1
                }
            }
            return counts
        }
    }

    /// Golden fields by their criteria names (blanks filled by enrichment), plus
    /// `extra.<column>` and the other enriched fields.
    static func facts(_ row: Row) throws -> Facts {
        var facts: Facts = [:]
        for name in ["name", "domain", "industry", "country", "state", "city", "type", "owner"] {
            if let value: String = try row.decode(name) { facts[name] = .text(value) }
        }
        for name in ["employees", "annual_revenue"] { if let number: Double = try row.decode(name) { facts[name] = .number(number) } }
        let keys: [String] = try row.decode("extra_keys"), values: [String] = try row.decode("extra_values")
        for (key, value) in zip(keys, values) {
            facts["extra." + key] = .text(value)
            if TextFolding.equalIgnoringCase(key, "segment"), facts["segment"] == nil { facts["segment"] = .text(value) }
        }
        // Enriched fields the golden columns above do not hold (technologies, signals).
        let enrichedKeys: [String] = try row.decode("enriched_keys"), enrichedValues: [String] = try row.decode("enriched_values")
        for (key, value) in zip(enrichedKeys, enrichedValues) where facts[key] == nil { facts[key] = .text(value) }
        return facts
    }
}

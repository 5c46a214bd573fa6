import Enrichment
import Foundation
import MarketMapCore
import Postgres

/// The waterfall over one shard of golden accounts (`id % shards == shard`),
/// or (`changedSince`, on a refresh with the settings of the last run) over
/// those of its accounts that changed since or whose last attempts may not
/// repeat (`ScoringQueries.changedCRMFacts`); the others keep their rows:
/// provider by provider, in the configured order, every account that still
/// misses a field the provider fills (and passes its `only_run_if`) is looked
/// up: in the cache first, then at the provider (HTTP) or in its table. What
/// each provider filled is kept as provenance; what it did, with the reason
/// when it did nothing, as the account's attempts.
///
/// `lookUp` runs before the job's transaction (paid calls, cache and ledger
/// commit as they happen); `write` runs in it and replaces the shard's rows.
struct ShardEnrichment {
    let settings: EnrichmentSettings
    let waterfall: Waterfall
    let environment: [String: String]

    init(config: MarketMapConfig, environment: [String: String]) {
        settings = config.enrichment
        let primary = config.products.first
        waterfall = Waterfall(settings: config.enrichment, fitScore: { facts in primary.map { $0.fit(facts).score } })
        self.environment = environment
    }

    struct Account {
        var id: Int
        var facts: Facts
        var attempts: [EnrichmentAttempt] = []
        var filled: [(field: String, value: String, provider: String)] = []
        var missingAtStart: Bool
    }

    struct Result: Sendable {
        /// The accounts looked up (nil: all of the shard).
        var accounts: [Int]?
        var provenance: [[String?]] = []
        var statuses: [[String?]] = []
    }

    /// Providers whose answers a later run may not get again: HTTP (the
    /// cache expires) and database tables (edited in place).
    var unrepeatableProviders: [String] {
        settings.providers.filter { provider in
            if case .table(let table) = provider.source, case .csv = table.location { return false }
            return true
        }.map(\.name)
    }

    func lookUp(shard: Int, of shards: Int, run: Int, changedSince: Int?, on db: isolated Connection) throws -> Result {
        var accounts: [Account] = []
        let rows = try changedSince.map { try db.query(ScoringQueries.changedCRMFacts, shard, shards, $0, unrepeatableProviders) }
            ?? db.query(ScoringQueries.crmFacts, shard, shards)
        for row in rows {
            let facts = try AccountScoring.facts(row)
            accounts.append(Account(id: try row.decode("id"), facts: facts, missingAtStart: !waterfall.missing(facts).isEmpty))
        }
        try EnrichmentStore.forgetOldRateWindows(on: db)
        for provider in settings.providers {
            try apply(provider, to: &accounts, run: run, on: db)
        }
        var result = result(accounts, run: run)
        if changedSince != nil { result.accounts = accounts.map(\.id) }
        return result
    }

    /// One provider over the shard: decide, read the cache, call for the rest.
    private func apply(_ provider: ProviderSettings, to accounts: inout [Account], run: Int, on db: isolated Connection) throws {
        var byKey: [String: [Int]] = [:]
        var lookups: [Lookup] = []
        for index in accounts.indices {
            switch waterfall.decide(provider, facts: accounts[index].facts) {
            case .skip(let reason):
                if reason != "complete" { accounts[index].attempts.append(.init(provider: provider.name, outcome: "skipped", detail: reason)) }
            case .ask(let input, let key):
                if byKey[key] == nil { lookups.append(Lookup(golden: accounts[index].id, key: key, input: input)) }
                byKey[key, default: []].append(index)
            }
        }
        guard !lookups.isEmpty else { return }
        var outcomes: [String: (LookupOutcome, cached: Bool)] = [:]
        switch provider.source {
        case .table(let table):
            let key = { (lookup: Lookup) in lookup.input[table.keyField]?.lowercased() ?? "" }
            let documents = try EnrichmentStore.tableRows(provider, keys: lookups.map(key), on: db)
            for lookup in lookups { outcomes[lookup.key] = (documents[key(lookup)].map { .answer($0) } ?? .notFound, false) }
        case .http:
            let cached = try EnrichmentStore.cached(provider: provider.name, keys: lookups.map(\.key), on: db)
            for (key, answer) in cached { outcomes[key] = (answer.found ? .answer(answer.document) : .notFound, true) }
            let misses = lookups.filter { cached[$0.key] == nil }
            if !misses.isEmpty {
                let client = try HTTPProviderClient(provider, environment: environment)
                for (key, outcome) in try client.run(misses, run: run, on: db) { outcomes[key] = (outcome, false) }
            }
        }
        for (key, indices) in byKey {
            guard let (outcome, cached) = outcomes[key] else { continue }
            for index in indices { record(outcome, cached: cached, provider: provider, account: &accounts[index]) }
        }
    }

    private func record(_ outcome: LookupOutcome, cached: Bool, provider: ProviderSettings, account: inout Account) {
        let attempt: EnrichmentAttempt
        switch outcome {
        case .answer(let document):
            let parsed = (try? JSONSerialization.jsonObject(with: Data(document.utf8), options: [.fragmentsAllowed])) ?? [:]
            let filled = waterfall.fill(&account.facts, from: Waterfall.extract(provider, from: parsed))
            for field in filled { account.filled.append((field, account.facts[field]?.text ?? "", provider.name)) }
            attempt = .init(
                provider: provider.name, outcome: filled.isEmpty ? "no_new_fields" : (cached ? "cached" : "filled"),
                detail: filled.joined(separator: ", "))
        case .notFound: attempt = .init(provider: provider.name, outcome: "not_found", detail: cached ? "cached" : "")
        case .failed(let reason): attempt = .init(provider: provider.name, outcome: "failed", detail: reason)
        case .budget: attempt = .init(provider: provider.name, outcome: "budget", detail: "the run's credit budget is spent")
        }
        account.attempts.append(attempt)
    }

    private func result(_ accounts: [Account], run: Int) -> Result {
        var result = Result()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for account in accounts {
            for (field, value, provider) in account.filled { result.provenance.append([String(account.id), field, value, provider]) }
            let missing = waterfall.missing(account.facts)
            let attempts = (try? encoder.encode(account.attempts)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
            result.statuses.append([String(account.id), Self.status(account, missing: missing), "{" + missing.map(Self.arrayElement).joined(separator: ",") + "}", attempts, String(run)])
        }
        return result
    }

    /// `complete` (nothing was missing), `enriched` (all filled), `partial`,
    /// `not enriched: budget` / `partial: budget`, or `not enriched`.
    static func status(_ account: Account, missing: [String]) -> String {
        if !account.missingAtStart { return "complete" }
        if missing.isEmpty { return "enriched" }
        let budget = account.attempts.contains { $0.outcome == "budget" }
        if account.filled.isEmpty { return budget ? "not enriched: budget" : "not enriched" }
        return budget ? "partial: budget" : "partial"
    }

    static func arrayElement(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static func write(_ result: Result, shard: Int, of shards: Int, on db: isolated Connection) throws {
        if let ids = result.accounts {
            try db.query(EnrichQueries.deleteAccountsProvenance, ids)
            try db.query(EnrichQueries.deleteAccountsStatus, ids)
        } else {
            try db.query(EnrichQueries.deleteProvenance, shard, shards)
            try db.query(EnrichQueries.deleteStatus, shard, shards)
        }
        try db.copyIn(EnrichQueries.copyProvenance) { writer in for row in result.provenance { try writer.writeRow(row) } }
        try db.copyIn(EnrichQueries.copyStatus) { writer in for row in result.statuses { try writer.writeRow(row) } }
    }
}

import Foundation
import MarketMapCore
import Postgres

/// Enrichment's state in PostgreSQL. Every function runs its statements on a
/// connection that is *not* inside a job's transaction: a cache entry, a
/// ledger row and a budget charge must commit the moment a call is made,
/// whatever happens to the job afterwards (that is what makes a retried job
/// never pay twice, and the budget hold across workers).
public enum EnrichmentStore {
    /// A cached answer: the provider's JSON document for one input, or a
    /// negative answer (not found).
    public struct Answer: Sendable, Equatable {
        public var found: Bool
        public var document: String
        /// When the provider gave it (UTC, ISO 8601); empty for an answer not stored yet.
        public var fetchedAt: String
        public init(found: Bool, document: String, fetchedAt: String = "") { (self.found, self.document, self.fetchedAt) = (found, document, fetchedAt) }
    }

    public static func cached(provider: String, keys: [String], on db: isolated Connection) throws -> [String: Answer] {
        var answers: [String: Answer] = [:]
        for row in try db.query(EnrichmentQueries.cached, provider, keys) {
            let (key, found, document, fetchedAt) = try row.decode(String.self, Bool.self, String.self, String.self)
            answers[key] = Answer(found: found, document: document, fetchedAt: fetchedAt)
        }
        return answers
    }

    public static func remember(_ answers: [String: Answer], provider: ProviderSettings, on db: isolated Connection) throws {
        guard !answers.isEmpty else { return }
        let keys = answers.keys.sorted()
        try db.query(
            EnrichmentQueries.remember, provider.name, keys, keys.map { answers[$0]!.found ? 1 : 0 }, keys.map { answers[$0]!.document },
            provider.cacheTTLDays, provider.negativeTTLDays)
    }

    // MARK: credits

    /// Opens the run's budget (once; every stage that buys calls it) and,
    /// when the enrichment settings split it, the pools' parts.
    public static func openBudget(run: Int, settings: EnrichmentSettings, on db: isolated Connection) throws {
        try db.query(EnrichmentQueries.openBudget, run, settings.budget)
        for pool in CreditPool.allCases {
            if let budget = settings.poolBudget(pool) { try db.query(EnrichmentQueries.openPool, run, pool.rawValue, budget) }
        }
    }

    /// Reserves `cost` credits for each call, in order, as many as the run's
    /// budget (and the pool's part of it, when the budget is split) allows,
    /// and writes their ledger rows, atomically across all workers (the budget
    /// rows are locked for the moment of the reservation, the run's first).
    /// Returns the ledger id of each reserved call by its key.
    public static func reserve(
        run: Int, provider: String, cost: Double, pool: CreditPool = .accounts, calls: [(golden: Int, key: String)], on db: isolated Connection
    ) throws -> [String: Int] {
        guard !calls.isEmpty else { return [:] }
        return try db.withTransaction {
            let row = try db.query(EnrichmentQueries.lockBudget, run)
            guard row.count == 1 else { throw EnrichmentError.noBudget(run: run) }
            var limits: [(budget: Double?, spent: Double)] = [try row[0].decode(Double?.self, Double.self)]
            if let part = try db.query(EnrichmentQueries.lockPool, run, pool.rawValue).first { limits.append(try part.decode(Double?.self, Double.self)) }
            var count = calls.count
            for (budget, spent) in limits {
                if let budget, cost > 0 { count = min(count, max(0, Int(((budget - spent) / cost + 1e-9).rounded(.down)))) }
            }
            guard count > 0 else { return [:] }
            let chosen = calls.prefix(count)
            try db.query(EnrichmentQueries.charge, run, cost * Double(count))
            try db.query(EnrichmentQueries.chargePool, run, pool.rawValue, cost * Double(count))
            var ids: [String: Int] = [:]
            for line in try db.query(EnrichmentQueries.reserve, run, provider, cost, chosen.map(\.golden), chosen.map(\.key), pool.rawValue) {
                let (id, key) = try line.decode(Int.self, String.self)
                ids[key] = id
            }
            return ids
        }
    }

    /// Records each call's outcome and what it is charged of the `cost`
    /// reserved for it (0 when no answer came); the difference is refunded.
    public static func settle(
        run: Int, cost: Double, pool: CreditPool = .accounts, _ calls: [(id: Int, outcome: String, charged: Double)], on db: isolated Connection
    ) throws {
        guard !calls.isEmpty else { return }
        try db.withTransaction {
            try db.query(EnrichmentQueries.settle, run, calls.map(\.id), calls.map(\.outcome), calls.map { String(min(cost, max(0, $0.charged))) })
            let refund = calls.reduce(0) { $0 + cost - min(cost, max(0, $1.charged)) }
            if refund > 0 {
                try db.query(EnrichmentQueries.refund, run, refund)
                try db.query(EnrichmentQueries.refundPool, run, pool.rawValue, refund)
            }
        }
    }

    // MARK: rate limit

    /// Up to `wanted` request slots of the current second, within `limit` per
    /// second across every worker of the fleet.
    public static func takeRate(provider: String, wanted: Int, limit: Int, on db: isolated Connection) throws -> Int {
        let rows = try db.query(EnrichmentQueries.takeRate, provider, wanted, limit)
        return rows.count == 1 ? Int(try rows[0].decode(Int32.self) as Int32) : 0
    }

    public static func forgetOldRateWindows(on db: isolated Connection) throws {
        try db.query(EnrichmentQueries.forgetOldWindows)
    }

    // MARK: table providers

    /// Loads a CSV provider's rows (keyed by the normalised `keyColumn`) unless
    /// the same file is already loaded. Safe when several workers try at once.
    /// An account provider keeps the first row of a key; a people list
    /// (`manyPerKey`) keeps every row, in file order.
    public static func loadCSV(
        provider: ProviderSettings, path: String, keyColumn: String, manyPerKey: Bool = false, domains: DomainNormalizer, on db: isolated Connection
    ) throws {
        let fingerprint: String
        do { fingerprint = try CSVTable.fingerprint(path) } catch { throw EnrichmentError.providerFile(provider.name, path, "cannot read the file") }
        try db.withTransaction {
            try db.query(EnrichmentQueries.lockProviderFile, provider.name)
            let loaded = try db.query(EnrichmentQueries.providerFile, provider.name)
            if loaded.count == 1, try loaded[0].decode(String.self) == fingerprint { return }
            try db.query(manyPerKey ? EnrichmentQueries.clearPeopleRows : EnrichmentQueries.clearProviderRows, provider.name)
            if !manyPerKey { try db.execute(EnrichmentQueries.stageProviderRows) }
            // Streamed into the table (the coordinator held a whole file's rows before:
            // 161 MB at 1M accounts); an account provider's first row of a key is kept in SQL.
            let copied: Int
            do {
                copied = try db.copyIn(manyPerKey ? EnrichmentQueries.copyPeopleRows : EnrichmentQueries.copyStagedProviderRows) { writer in
                    var position = 0
                    try CSVTable.stream(path, header: { header in
                        guard header.contains(keyColumn) else {
                            throw EnrichmentError.providerFile(
                                provider.name, path, "no \(keyColumn) column (key_column); columns: \(header.joined(separator: ", "))")
                        }
                    }, row: { row in
                        defer { position += 1 }
                        guard let key = tableKey(row[keyColumn], field: provider, domains: domains) else { return }
                        let json = String(decoding: try JSONSerialization.data(withJSONObject: row.filter { !$0.value.isEmpty }, options: [.sortedKeys]), as: UTF8.self)
                        try writer.writeRow(manyPerKey ? [provider.name, key, String(position), json] : [key, String(position), json])
                    })
                }
            } catch let failure as CSVTable.Failure {
                throw EnrichmentError.providerFile(provider.name, path, "\(failure)")
            }
            let count = manyPerKey ? copied : try db.query(EnrichmentQueries.keepFirstProviderRows, provider.name).affectedRows ?? 0
            try db.query(EnrichmentQueries.recordProviderFile, provider.name, path, fingerprint, count)
        }
    }

    /// A key as the account field it joins holds it: domains are registrable
    /// domains, anything else is trimmed and lower-cased.
    public static func tableKey(_ raw: String?, field provider: ProviderSettings, domains: DomainNormalizer) -> String? {
        guard let raw, !raw.trimmedWhitespace.isEmpty else { return nil }
        if case .table(let table) = provider.source, table.keyField == "domain" { return domains.normalize(raw)?.registrable }
        return raw.trimmedWhitespace.lowercased()
    }

    /// The rows of a table provider for `keys`, as JSON documents by key
    /// (the first row of a key).
    public static func tableRows(_ provider: ProviderSettings, keys: [String], on db: isolated Connection) throws -> [String: String] {
        try tableRowLists(provider, keys: keys, on: db).compactMapValues(\.first)
    }

    /// Every row of a table provider for `keys` by key, in the table's order
    /// (a people list's file order; a warehouse table's rows sorted).
    public static func tableRowLists(_ provider: ProviderSettings, keys: [String], manyPerKey: Bool = false, on db: isolated Connection) throws -> [String: [String]] {
        guard case .table(let table) = provider.source else { return [:] }
        let rows: QueryResult
        switch table.location {
        case .csv: rows = try db.query(manyPerKey ? EnrichmentQueries.peopleRows : EnrichmentQueries.providerRows, provider.name, keys)
        case .table(let name):
            rows = try db.query(EnrichmentQueries.tableRows(table: name, column: table.keyColumn), keys)
        }
        var documents: [String: [String]] = [:]
        for row in rows {
            let (key, document) = try row.decode(String.self, String.self)
            documents[key, default: []].append(document)
        }
        return documents
    }

}

public enum EnrichmentError: Error, CustomStringConvertible {
    case noBudget(run: Int)
    case providerFile(String, String, String)
    case missingEnvironment(provider: String, names: [String])
    case badTemplate(provider: String, String)

    public var description: String {
        switch self {
        case .noBudget(let run): return "run \(run) has no credit budget row; the enrich stage opens it when it is planned"
        case .providerFile(let provider, let path, let reason): return "enrichment provider \(provider): \(path): \(reason)"
        case .missingEnvironment(let provider, let names):
            return "enrichment provider \(provider): environment variable \(names.joined(separator: ", ")) is not set on this worker"
        case .badTemplate(let provider, let text): return "enrichment provider \(provider): cannot use the URL \(text)"
        }
    }
}

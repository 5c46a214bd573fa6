/// The `enrichment` section (`DOMAIN.md` §4): the fields the waterfall tries to
/// fill, the credit budget of a run, and the providers in the order they are
/// tried (cheapest first).
public struct EnrichmentSettings: Sendable, Equatable {
    public var fields: [String] = []
    /// Credits one run may spend across all workers; nil is no limit.
    public var budget: Double?
    public var providers: [ProviderSettings] = []
    /// The people side (`enrichment.people`): the same budget, its own providers.
    public var people = PeopleSettings()

    public init(fields: [String] = [], budget: Double? = nil, providers: [ProviderSettings] = []) {
        (self.fields, self.budget, self.providers) = (fields, budget, providers)
    }

    /// A pool's part of the budget when `people.budget_share` splits it (nil:
    /// no split, every call draws on the whole budget).
    public func poolBudget(_ pool: CreditPool) -> Double? {
        guard let budget, let share = people.budgetShare else { return nil }
        return pool == .people ? budget * share : budget * (1 - share)
    }

    public var isEnabled: Bool { !providers.isEmpty && !fields.isEmpty }
}

/// One provider of the waterfall.
public struct ProviderSettings: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        case http(HTTPProviderSettings)
        case table(TableProviderSettings)
    }

    public var name: String
    public var source: Source
    /// Golden field → JSON pointer into the answer (HTTP) or column (table).
    public var fields: [String: String]
    public var onlyRunIf: [RunCondition]
    /// Credits per account looked up (a batch call of n accounts costs n × cost).
    public var cost: Double
    public var cacheTTLDays: Double
    public var negativeTTLDays: Double

    public init(
        name: String, source: Source, fields: [String: String], onlyRunIf: [RunCondition] = [], cost: Double = 0,
        cacheTTLDays: Double = 30, negativeTTLDays: Double = 7
    ) {
        (self.name, self.source, self.fields, self.onlyRunIf) = (name, source, fields, onlyRunIf)
        (self.cost, self.cacheTTLDays, self.negativeTTLDays) = (cost, cacheTTLDays, negativeTTLDays)
    }

    /// The account fields that identify a lookup (and key the cache).
    public var inputFields: [String] {
        switch source {
        case .http(let http): return http.batch.map { [$0.field] } ?? (URLTemplate(http.url.withoutEnvironment)?.fields ?? [])
        case .table(let table): return [table.keyField]
        }
    }
}

/// An HTTP JSON API.
public struct HTTPProviderSettings: Sendable, Equatable {
    public enum Method: String, Sendable, Equatable { case get = "GET", post = "POST" }

    /// Several accounts in one POST: `{"<bodyKey>": [values of field]}`; the
    /// answers are the list at `results`, matched back by the pointer `key`.
    public struct Batch: Sendable, Equatable {
        public var size: Int, field: String, bodyKey: String, results: String, key: String
        public init(size: Int, field: String = "domain", bodyKey: String = "domains", results: String = "/results", key: String = "/domain") {
            (self.size, self.field, self.bodyKey, self.results, self.key) = (size, field, bodyKey, results, key)
        }
    }

    /// With `{field}` placeholders and `${ENV}` variables.
    public var url: String
    public var method: Method = .get
    /// Values may hold `{token}` (the secret read from `tokenEnv`) and `${ENV}`.
    public var headers: [String: String] = [:]
    public var tokenEnv: String?
    public var batch: Batch?
    public var timeoutMilliseconds = 5_000
    /// Requests per second across all workers, and requests in flight per worker.
    public var requestsPerSecond: Double = 10
    public var concurrent = 4
    /// Attempts per request (timeouts, 429, 5xx and connection errors retry).
    public var attempts = 4
    public var backoffMilliseconds = 250

    public init(url: String) { self.url = url }
}

/// A purchased dataset (CSV) or a warehouse table, joined by domain.
public struct TableProviderSettings: Sendable, Equatable {
    public enum Location: Sendable, Equatable {
        case csv(path: String)
        case table(name: String)
    }
    public var location: Location
    /// The account field the key column matches (normalised like it).
    public var keyField = "domain"
    public var keyColumn = "domain"

    public init(location: Location) { self.location = location }
}

extension String {
    /// `${NAME}` replaced by a neutral value, to validate a template before
    /// the environment it will run in is known.
    var withoutEnvironment: String { URLTemplate.expandEnvironment(self, [:]).text }
}

/// The `enrichment.people` section (`DOMAIN.md` §4, "People"): where to look
/// (a per-tier plan of personas), who may be bought (the persona rubric's
/// minimum, the privacy rules per country or region), and the people
/// providers in the order they are tried, with an optional email verifier.
public struct PeopleSettings: Sendable, Equatable {
    /// Personas wanted per account, by account tier; a tier without a quota gets nobody.
    public var plan: [AccountTier: PersonaQuota] = [:]
    /// Found contacts scoring below this (persona fit, 0–100) are not kept.
    public var minimumPersonaScore: Double = 0
    /// The share of `enrichment.budget` reserved for people (the rest for
    /// account providers); nil: one budget, first come first served.
    public var budgetShare: Double?
    public var privacy: [PrivacyRule] = []
    public var providers: [PeopleProviderSettings] = []
    /// Checks found emails before a contact is created (find, then verify),
    /// and CRM emails where a privacy rule allows only verification.
    public var verify: VerifySettings?

    public init() {}

    public var isEnabled: Bool { !providers.isEmpty && plan.values.contains { $0.total > 0 } }

    /// The persona levels some tier asks for (1, 2, 3): what a search asks providers for.
    public var wantedLevels: [PersonaTier] {
        PersonaTier.allCases.filter { level in plan.values.contains { $0[level] > 0 } }
    }
}

/// Up to this many personas of each persona tier per account.
public struct PersonaQuota: Sendable, Equatable {
    public var tier1: Int, tier2: Int, tier3: Int

    public init(tier1: Int = 0, tier2: Int = 0, tier3: Int = 0) { (self.tier1, self.tier2, self.tier3) = (tier1, tier2, tier3) }

    public subscript(level: PersonaTier) -> Int {
        get {
            switch level {
            case .tier1: tier1
            case .tier2: tier2
            case .tier3: tier3
            }
        }
        set {
            switch level {
            case .tier1: tier1 = newValue
            case .tier2: tier2 = newValue
            case .tier3: tier3 = newValue
            }
        }
    }

    public var total: Int { tier1 + tier2 + tier3 }

    /// What the quota still lacks given the personas an account has.
    public func lacking(_ have: PersonaQuota) -> PersonaQuota {
        PersonaQuota(tier1: max(0, tier1 - have.tier1), tier2: max(0, tier2 - have.tier2), tier3: max(0, tier3 - have.tier3))
    }
}

/// One people provider: the account-provider parts (name, HTTP or table
/// source, `only_run_if`, cost per call, cache TTL, rate limit, retries)
/// plus how a search is asked and read.
public struct PeopleProviderSettings: Sendable, Equatable {
    /// `fields` maps person fields (`PersonField`) to JSON pointers into one
    /// result (HTTP) or to columns (table); `cost` is per call (per page).
    public var provider: ProviderSettings
    public var search: PeopleSearchSettings

    public init(provider: ProviderSettings, search: PeopleSearchSettings = PeopleSearchSettings()) {
        (self.provider, self.search) = (provider, search)
    }

    public var name: String { provider.name }

    /// What one call costs at most and what it is charged once answered.
    public var pricing: CallPricing {
        switch provider.source {
        case .http: CallPricing(perCall: provider.cost, perResult: search.costPerResult, maxResults: search.perPage, results: search.results)
        case .table: CallPricing(perCall: 0)
        }
    }

    /// The account fields a search sends (and its cache key holds); a
    /// table's key field.
    public var inputFields: [String] {
        if case .table(let table) = provider.source { return [table.keyField] }
        if !search.searchBy.isEmpty { return search.searchBy }
        guard case .http(let http) = provider.source else { return [] }
        let used = (URLTemplate(http.url.withoutEnvironment)?.fields ?? []).filter { !PeopleSearchSettings.queryPlaceholders.contains($0) }
        return used.isEmpty ? ["domain"] : used
    }
}

/// How an HTTP people search is asked and paged.
public struct PeopleSearchSettings: Sendable, Equatable {
    /// Placeholders a URL template may use besides account fields.
    public static let queryPlaceholders: Set<String> = ["titles", "seniorities", "departments", "page", "per_page"]
    /// Body keys of a POST search, renamable to the API's own (`titles: person_titles`).
    public static let bodyKeyNames = ["domain", "name", "titles", "seniorities", "departments", "page", "per_page"]

    /// Account fields sent (`domain`, `name`); empty: those the URL template uses, else `domain`.
    public var searchBy: [String] = []
    /// Where the list of people is in an answer (`/people`).
    public var results = "/people"
    public var perPage = 25
    /// Pages asked per account at most; the next page only when one came back full and personas are still lacking.
    public var maxPages = 1
    public var costPerResult: Double = 0
    /// Our body key → the API's (POST).
    public var bodyKeys: [String: String] = [:]

    public init() {}

    public func bodyKey(_ name: String) -> String { bodyKeys[name] ?? name }
}

/// An email verifier: an HTTP provider looked up by `{email}` whose answer's
/// `status` pointer must hold one of `accept`.
public struct VerifySettings: Sendable, Equatable {
    public var provider: ProviderSettings
    public var status: String
    public var accept: [String]

    public init(provider: ProviderSettings, status: String = "/status", accept: [String] = ["valid"]) {
        (self.provider, self.status, self.accept) = (provider, status, accept)
    }

    /// Whether a verifier's answer accepts the address (a missing status does not).
    public func accepts(_ document: Any) -> Bool {
        guard let value = JSONPointer(status).flatMap({ JSONPointer.fieldValue($0.resolve(document)) })?.text.lowercased() else { return false }
        return accept.contains { $0.lowercased() == value }
    }
}

/// The credits of one call: `perCall`, plus `perResult` for each result the
/// answer holds at `results`, counting at most `maxResults`. The budget
/// reserves the most a call can cost and refunds the rest once it is answered.
public struct CallPricing: Sendable, Equatable {
    public var perCall: Double
    public var perResult: Double
    public var maxResults: Int
    public var results: String?

    public init(perCall: Double, perResult: Double = 0, maxResults: Int = 0, results: String? = nil) {
        (self.perCall, self.perResult, self.maxResults, self.results) = (perCall, perResult, maxResults, results)
    }

    public var reserved: Double { perCall + perResult * Double(maxResults) }

    /// What an answered call costs; a negative answer (404) pays the call only.
    public func charged(_ document: Any?) -> Double {
        guard perResult > 0, let document, let results, let list = JSONPointer(results)?.resolve(document) as? [Any] else { return perCall }
        return perCall + perResult * Double(min(list.count, maxResults))
    }
}

/// Which credit pool a call draws on when the budget is split.
public enum CreditPool: String, Sendable, Codable, CaseIterable {
    case accounts, people
}

import Enrichment
import Foundation
import MarketMapCore
import Postgres

/// The people waterfall over one chunk of the run's plan (consecutive ranks:
/// tier, then valuation): provider by provider, in the configured order,
/// every account that still lacks personas (and passes the provider's
/// `only_run_if`, and whose country a privacy rule does not close) is
/// searched: in the provider's table, or page by page over HTTP (the cache
/// first, then calls within the budget, most valuable accounts first). Each
/// person found is normalized, scored by the rubric and put through the
/// contact waterfall (`PersonaSelection`); the best new ones up to the plan's
/// quota are kept, their emails verified when a verifier is configured.
///
/// `lookUp` runs before the job's transaction (paid calls, cache and ledger
/// commit as they happen); `write` runs in it (`ShardPeople+Write.swift`). A
/// plan-only run reads tables and the cache but makes no call: it counts the
/// calls and credits the searches would need.
struct ShardPeople {
    let config: MarketMapConfig
    let settings: PeopleSettings
    let query: PeopleQuery
    let environment: [String: String]
    let asOf: String
    let planOnly: Bool

    init(config: MarketMapConfig, asOf: String, environment: [String: String], planOnly: Bool) {
        self.config = config
        settings = config.enrichment.people
        query = PeopleQuery(rubric: config.personas, levels: config.enrichment.people.wantedLevels)
        (self.environment, self.asOf, self.planOnly) = (environment, asOf, planOnly)
    }

    struct Account: Sendable {
        var id: Int
        /// The first golden contact id the plan gave the account (`people_plan`).
        var firstContactID: Int
        var tier: AccountTier
        var facts: Facts = [:]
        /// What the plan found lacking when the stage started.
        var lacking: PersonaQuota
        var known: [KnownContact] = []
        var candidates: [Candidate] = []
        var selection: PersonaSelection?
        var attempts: [EnrichmentAttempt] = []
        var calls = 0, cached = 0, plannedCalls = 0
        var credits = 0.0, plannedCredits = 0.0
        var privacy: PrivacyRule?
        /// Plan-only: a paid call stands before anything more can be known.
        var waiting = false
        var searched = false, budget = false, failed = false

        var stillLacking: PersonaQuota { selection?.lacking ?? lacking }
        var isOpen: Bool { privacy == nil && !waiting && stillLacking.total > 0 }

        mutating func note(_ provider: String, _ outcome: PeopleAttemptOutcome, _ detail: String = "") {
            attempts.append(EnrichmentAttempt(provider: provider, outcome: outcome.rawValue, detail: detail))
        }
    }

    /// A verifier's verdict on an email a CRM contact already has.
    struct Verdict: Sendable {
        var contact: Int
        var check: EmailCheck
    }

    struct Result: Sendable {
        var run: Int
        var planOnly: Bool
        var accounts: [Account] = []
        var verdicts: [Verdict] = []
    }

    func lookUp(chunk: Int, run: Int, on db: isolated Connection) throws -> Result {
        var accounts = try load(chunk: chunk, run: run, on: db)
        try EnrichmentStore.forgetOldRateWindows(on: db)
        for index in accounts.indices {
            guard let rule = PrivacyRule.rule(for: accounts[index].facts["country"]?.text, in: settings.privacy), rule.policy != .allow else { continue }
            accounts[index].privacy = rule
            accounts[index].note("privacy", .privacy, "\(rule.name): \(rule.policy.rawValue)")
        }
        for provider in settings.providers {
            try search(provider, &accounts, run: run, on: db)
        }
        var result = Result(run: run, planOnly: planOnly, accounts: accounts)
        if !planOnly, let verify = settings.verify {
            try verifyFound(verify, &result.accounts, run: run, on: db)
            result.verdicts = try verifyKnown(verify, &result.accounts, run: run, on: db)
        }
        return result
    }

    /// The chunk's accounts in rank order, with their facts (`only_run_if`
    /// reads them, plus `tier`, `fit_score`, `valuation`) and golden contacts.
    func load(chunk: Int, run: Int, on db: isolated Connection) throws -> [Account] {
        var accounts: [Account] = []
        var facts: [Int: Facts] = [:]
        for row in try db.query(PeopleQueries.chunkAccounts, run, chunk) {
            let (id, firstContactID, tierName, fit, valuation, need1, need2, need3) = try row.decode(
                Int.self, Int.self, String.self, Double?.self, Double?.self, Int.self, Int.self, Int.self)
            guard let tier = AccountTier(rawValue: tierName) else { continue }
            var known: Facts = ["tier": .text(tier.rawValue)]
            if let fit { known["fit_score"] = .number(fit) }
            if let valuation { known["valuation"] = .number(valuation) }
            facts[id] = known
            accounts.append(Account(
                id: id, firstContactID: firstContactID, tier: tier, lacking: PersonaQuota(tier1: need1, tier2: need2, tier3: need3)))
        }
        let ids = accounts.map(\.id)
        guard !ids.isEmpty else { return [] }
        for row in try db.query(ScoringQueries.accountFactsOfIDs, ids) {
            facts[try row.decode("id"), default: [:]].merge(try AccountScoring.facts(row)) { planned, _ in planned }
        }
        var contacts: [Int: [KnownContact]] = [:]
        for row in try db.query(PeopleQueries.knownContacts, ids) {
            let (account, id, email, linkedIn, firstName, lastName) = try row.decode(Int.self, Int.self, String?.self, String?.self, String?.self, String?.self)
            contacts[account, default: []].append(KnownContact(id: id, email: email, linkedIn: linkedIn, firstName: firstName, lastName: lastName))
        }
        for index in accounts.indices {
            accounts[index].facts = facts[accounts[index].id] ?? [:]
            accounts[index].known = contacts[accounts[index].id] ?? []
        }
        return accounts
    }

    /// One provider over the accounts still open.
    func search(_ provider: PeopleProviderSettings, _ accounts: inout [Account], run: Int, on db: isolated Connection) throws {
        var asked: [(index: Int, input: [String: String])] = []
        for index in accounts.indices where accounts[index].isOpen {
            switch Waterfall.admit(provider.provider, inputFields: provider.inputFields, facts: accounts[index].facts) {
            case .skip(let reason): accounts[index].note(provider.name, .skipped, reason)
            case .ask(let input, _): asked.append((index, input))
            }
        }
        guard !asked.isEmpty else { return }
        switch provider.provider.source {
        case .table(let table): try searchTable(provider, table: table, asked, &accounts, on: db)
        case .http: try searchHTTP(provider, asked, &accounts, run: run, on: db)
        }
    }

    func searchTable(
        _ provider: PeopleProviderSettings, table: TableProviderSettings, _ asked: [(index: Int, input: [String: String])], _ accounts: inout [Account],
        on db: isolated Connection
    ) throws {
        let key = { (input: [String: String]) in input[table.keyField]?.lowercased() ?? "" }
        let isCSV: Bool
        if case .csv = table.location { isCSV = true } else { isCSV = false }
        let rows = try EnrichmentStore.tableRowLists(provider.provider, keys: asked.map { key($0.input) }, manyPerKey: isCSV, on: db)
        for (index, input) in asked {
            let documents = (rows[key(input)] ?? []).compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) }
            accounts[index].searched = true
            add(documents, from: provider, cost: 0, fetchedAt: "", to: &accounts[index])
            accounts[index].note(provider.name, documents.isEmpty ? .notFound : .searched, "\(documents.count) people")
        }
    }

    /// Page 1 for every account asked, then the next page for those whose
    /// page came back full and that still lack personas, up to `max_pages`.
    func searchHTTP(
        _ provider: PeopleProviderSettings, _ asked: [(index: Int, input: [String: String])], _ accounts: inout [Account], run: Int,
        on db: isolated Connection
    ) throws {
        let search = provider.search
        let pricing = provider.pricing
        let post: Bool
        if case .http(let http) = provider.provider.source { post = http.method == .post } else { post = false }
        var active = asked
        var page = 1
        while !active.isEmpty, page <= search.maxPages {
            var lookups: [Lookup] = []
            var byKey: [String: [Int]] = [:]
            for (index, input) in active {
                let key = query.key(input: input, fields: provider.inputFields, page: page, perPage: search.perPage)
                if byKey[key] == nil {
                    lookups.append(Lookup(
                        golden: accounts[index].id, key: key, input: query.values(input: input, page: page, perPage: search.perPage),
                        body: post ? query.body(input: input, page: page, search: search) : nil))
                }
                byKey[key, default: []].append(index)
            }
            var outcomes: [String: (outcome: LookupOutcome, fetchedAt: String?)] = [:]
            for (key, answer) in try EnrichmentStore.cached(provider: provider.name, keys: lookups.map(\.key), on: db) {
                outcomes[key] = (answer.found ? .answer(answer.document) : .notFound, answer.fetchedAt)
            }
            let misses = lookups.filter { outcomes[$0.key] == nil }
            if planOnly {
                for lookup in misses {
                    for index in byKey[lookup.key] ?? [] {
                        accounts[index].plannedCalls += 1
                        accounts[index].plannedCredits += pricing.reserved
                        accounts[index].waiting = true
                        accounts[index].note(provider.name, .planned, "page \(page): a call of up to \(FieldValue.number(pricing.reserved).text) credits")
                    }
                }
            } else if !misses.isEmpty {
                let client = try HTTPProviderClient(provider.provider, environment: environment, pricing: pricing, pool: .people)
                for (key, outcome) in try client.run(misses, run: run, on: db) { outcomes[key] = (outcome, nil) }
            }
            var next: [(index: Int, input: [String: String])] = []
            let now = Self.now()
            for (index, input) in active {
                let key = query.key(input: input, fields: provider.inputFields, page: page, perPage: search.perPage)
                guard let (outcome, fetchedAt) = outcomes[key] else { continue }
                let fresh = fetchedAt == nil, first = byKey[key]?.first == index
                switch outcome {
                case .answer(let text):
                    let document = try? JSONSerialization.jsonObject(with: Data(text.utf8))
                    let people = document.flatMap { JSONPointer(search.results)?.resolve($0) as? [Any] } ?? []
                    let charged = pricing.charged(document)
                    accounts[index].searched = true
                    if fresh { accounts[index].calls += first ? 1 : 0; accounts[index].credits += first ? charged : 0 } else { accounts[index].cached += 1 }
                    add(Array(people.prefix(search.perPage)), from: provider, cost: people.isEmpty ? 0 : charged / Double(min(people.count, search.perPage)),
                        fetchedAt: fetchedAt ?? now, to: &accounts[index])
                    accounts[index].note(provider.name, fresh ? .searched : .cached, "page \(page): \(people.count) people")
                    if people.count >= search.perPage, accounts[index].isOpen { next.append((index, input)) }
                case .notFound:
                    accounts[index].searched = true
                    if fresh { accounts[index].calls += first ? 1 : 0; accounts[index].credits += first ? pricing.charged(nil) : 0 } else { accounts[index].cached += 1 }
                    accounts[index].note(provider.name, .notFound, "page \(page)")
                case .failed(let reason):
                    accounts[index].failed = true
                    accounts[index].note(provider.name, .failed, reason)
                case .budget:
                    accounts[index].budget = true
                    accounts[index].note(provider.name, .budget, "the run's credit budget is spent")
                }
            }
            active = next
            page += 1
        }
    }

    /// Adds the people of one answer (results in the provider's order) and
    /// decides the account's selection again.
    func add(_ documents: [Any], from provider: PeopleProviderSettings, cost: Double, fetchedAt: String, to account: inout Account) {
        let pointers = Waterfall.pointers(provider.provider)
        let personas = config.personas.prepared()
        for document in documents {
            let person = FoundPerson.mapped(document, fields: pointers, provider: provider.name, accountCountry: account.facts["country"]?.text)
            var candidate = Candidate(person: person, fit: personas.fit(person.rubricContact(asOf: asOf)))
            (candidate.cost, candidate.fetchedAt) = (cost, fetchedAt)
            account.candidates.append(candidate)
        }
        select(&account)
    }

    func select(_ account: inout Account) {
        account.selection = PersonaSelection(
            candidates: account.candidates, known: account.known, lacking: account.lacking, minimumScore: settings.minimumPersonaScore,
            privacy: settings.privacy)
    }

    static func now() -> String {
        ISO8601DateFormatter.string(from: Date(), timeZone: .gmt, formatOptions: [.withInternetDateTime])
    }
}

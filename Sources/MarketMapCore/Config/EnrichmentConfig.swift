/// Decoding of the `enrichment` section into `EnrichmentSettings`.
struct EnrichmentConfig: Decodable {
    var settings: EnrichmentSettings

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ConfigKey.self)
        try c.rejectUnknown(["fields", "budget", "providers", "people"])
        let fields: [String] = try c.value("fields", or: [])
        let budget: Double? = try c.decodeIfPresent(Double.self, forKey: ConfigKey("budget"))
        if let budget, budget < 0 { throw c.fail("budget", "expected credits >= 0 (leave it out for no limit)") }
        let providers = try c.value("providers", or: [ProviderConfig]()).map(\.settings)
        if Set(providers.map(\.name)).count != providers.count { throw c.fail("providers", "provider names must be unique") }
        if !providers.isEmpty, fields.isEmpty { throw c.fail("fields", "expected the list of fields the providers fill") }
        for (index, provider) in providers.enumerated() {
            if let unknown = provider.fields.keys.sorted().first(where: { !fields.contains($0) }) {
                throw DecodingError.dataCorrupted(.init(
                    codingPath: c.codingPath + [ConfigKey("providers"), ConfigKey(intValue: index)!, ConfigKey("fields"), ConfigKey(unknown)],
                    debugDescription: "not one of enrichment.fields (\(fields.joined(separator: ", ")))"))
            }
        }
        settings = EnrichmentSettings(fields: fields, budget: budget, providers: providers)
        if c.contains(ConfigKey("people")) {
            settings.people = try c.decode(PeopleConfig.self, forKey: ConfigKey("people")).settings
            let people = c.codingPath + [ConfigKey("people")]
            if settings.people.budgetShare != nil, budget == nil {
                throw DecodingError.dataCorrupted(.init(
                    codingPath: people + [ConfigKey("budget_share")], debugDescription: "a share of enrichment.budget needs a budget; set enrichment.budget or leave the share out"))
            }
            let names = Set(providers.map(\.name))
            let peopleNames = settings.people.providers.map(\.name) + (settings.people.verify.map { [$0.provider.name] } ?? [])
            if let clash = peopleNames.first(where: names.contains) {
                throw DecodingError.dataCorrupted(.init(
                    codingPath: people + [ConfigKey("providers")], debugDescription: "provider name \(clash) is also an account provider's; names must be unique (they key the cache and the rate limit)"))
            }
        }
    }
}

struct ProviderConfig: Decodable {
    var settings: ProviderSettings

    static let common: Set<String> = ["name", "type", "fields", "only_run_if", "cost", "cache_ttl_days", "negative_ttl_days"]
    static let http: Set<String> = ["url", "method", "headers", "token_env", "batch", "timeout_ms", "rate_limit", "attempts", "backoff_ms"]
    static let table: Set<String> = ["csv", "table", "key", "key_column"]

    /// What a provider is for: filling account fields (`enrichment.providers`),
    /// finding people (`enrichment.people.providers`), or verifying emails.
    enum Use: Equatable { case accounts, people, verify }

    init(from decoder: any Decoder) throws {
        settings = try Self.decode(try decoder.container(keyedBy: ConfigKey.self), use: .accounts)
    }

    /// The keys every provider has; `extraHTTP` are the keys an HTTP provider
    /// of this use has besides (a people search's paging, a verifier's status).
    static func decode(_ c: KeyedDecodingContainer<ConfigKey>, use: Use, extraHTTP: Set<String> = []) throws -> ProviderSettings {
        let name: String = try c.required("name")
        let type: String = use == .verify ? try c.value("type", or: "http") : try c.required("type")
        let fields: [String: String] = use == .verify ? try c.value("fields", or: [:]) : try c.required("fields")
        if fields.isEmpty, use != .verify { throw c.fail("fields", "expected at least one field: pointer (http) or field: column (table)") }
        let conditions: [String] = try c.value("only_run_if", or: [])
        var onlyRunIf: [RunCondition] = []
        for (index, text) in conditions.enumerated() {
            guard let condition = RunCondition(text) else {
                throw DecodingError.dataCorrupted(.init(
                    codingPath: c.codingPath + [ConfigKey("only_run_if"), ConfigKey(intValue: index)!],
                    debugDescription: "expected `FIELD is blank`, `FIELD is not blank` or `FIELD OP VALUE` with OP one of >= <= > < = !="))
            }
            onlyRunIf.append(condition)
        }
        let source: ProviderSettings.Source
        switch type {
        case "http":
            try c.rejectUnknown(Self.common.union(Self.http).union(extraHTTP))
            source = .http(try Self.http(c, fields: fields, use: use))
        case "table" where use != .verify:
            try c.rejectUnknown(Self.common.union(Self.table))
            source = .table(try Self.table(c))
        default:
            throw c.fail("type", use == .verify ? "expected http (a verifier is an API)" : "expected http or table")
        }
        let cost: Double = try c.value("cost", or: 0)
        if cost < 0 { throw c.fail("cost", "expected credits >= 0") }
        if case .table = source, cost != 0 { throw c.fail("cost", "table providers are local data and cost nothing; leave cost out") }
        let ttl: Double = try c.value("cache_ttl_days", or: 30), negative: Double = try c.value("negative_ttl_days", or: 7)
        if ttl < 0 { throw c.fail("cache_ttl_days", "expected days >= 0") }
        if negative < 0 { throw c.fail("negative_ttl_days", "expected days >= 0") }
        return ProviderSettings(
            name: name, source: source, fields: fields, onlyRunIf: onlyRunIf, cost: cost, cacheTTLDays: ttl, negativeTTLDays: negative)
    }

    static func http(_ c: KeyedDecodingContainer<ConfigKey>, fields: [String: String], use: Use) throws -> HTTPProviderSettings {
        var http = HTTPProviderSettings(url: try c.required("url"))
        guard let template = URLTemplate(http.url.withoutEnvironment), http.url.withoutEnvironment.contains("://") || http.url.hasPrefix("${") else {
            throw c.fail("url", "expected an http(s) URL; {field} placeholders are filled from the account, ${NAME} from the environment")
        }
        let method: String = try c.value("method", or: "GET")
        guard let parsed = HTTPProviderSettings.Method(rawValue: method.uppercased()) else { throw c.fail("method", "expected GET or POST") }
        http.method = parsed
        http.headers = try c.value("headers", or: [:])
        http.tokenEnv = try c.decodeIfPresent(String.self, forKey: ConfigKey("token_env"))
        if http.tokenEnv == nil, http.headers.values.contains(where: { $0.contains("{token}") }) {
            throw c.fail("token_env", "a header uses {token}: name the environment variable that holds it")
        }
        for (field, pointer) in fields where JSONPointer(pointer) == nil {
            throw DecodingError.dataCorrupted(.init(
                codingPath: c.codingPath + [ConfigKey("fields"), ConfigKey(field)], debugDescription: "expected a JSON pointer like /company/industry"))
        }
        if c.contains(ConfigKey("batch")), use != .accounts {
            throw c.fail("batch", "batches are for account providers; a people search asks one account per call")
        }
        if use == .verify, !template.fields.contains("email") {
            throw c.fail("url", "expected an {email} placeholder: the verifier is asked one address per call")
        }
        if c.contains(ConfigKey("batch")) {
            let b = try c.nestedContainer(keyedBy: ConfigKey.self, forKey: ConfigKey("batch"))
            try b.rejectUnknown(["size", "field", "body_key", "results", "key"])
            let size: Int = try b.required("size")
            if size < 1 || size > 1_000 { throw b.fail("size", "expected 1 to 1000 accounts per request") }
            let batch = HTTPProviderSettings.Batch(
                size: size, field: try b.value("field", or: "domain"), bodyKey: try b.value("body_key", or: "domains"),
                results: try b.value("results", or: "/results"), key: try b.value("key", or: "/domain"))
            if JSONPointer(batch.results) == nil { throw b.fail("results", "expected a JSON pointer like /results") }
            if JSONPointer(batch.key) == nil { throw b.fail("key", "expected a JSON pointer like /domain") }
            http.batch = batch
            http.method = .post
        } else if template.fields.isEmpty, use == .accounts || http.method == .get {
            throw c.fail("url", use == .accounts
                ? "expected at least one {field} placeholder (or a batch section)"
                : "expected {domain} or {name} in a GET search (or method: POST, which sends them in the body)")
        }
        http.timeoutMilliseconds = try c.value("timeout_ms", or: 5_000)
        if http.timeoutMilliseconds < 1 { throw c.fail("timeout_ms", "expected milliseconds >= 1") }
        if c.contains(ConfigKey("rate_limit")) {
            let r = try c.nestedContainer(keyedBy: ConfigKey.self, forKey: ConfigKey("rate_limit"))
            try r.rejectUnknown(["per_second", "concurrent"])
            http.requestsPerSecond = try r.value("per_second", or: 10)
            http.concurrent = try r.value("concurrent", or: 4)
            if http.requestsPerSecond < 1 { throw r.fail("per_second", "expected at least 1 request per second") }
            if http.concurrent < 1 || http.concurrent > 256 { throw r.fail("concurrent", "expected 1 to 256 requests in flight") }
        }
        http.attempts = try c.value("attempts", or: 4)
        if http.attempts < 1 { throw c.fail("attempts", "expected at least 1") }
        http.backoffMilliseconds = try c.value("backoff_ms", or: 250)
        if http.backoffMilliseconds < 0 { throw c.fail("backoff_ms", "expected milliseconds >= 0") }
        return http
    }

    static func table(_ c: KeyedDecodingContainer<ConfigKey>) throws -> TableProviderSettings {
        let csv: String? = try c.decodeIfPresent(String.self, forKey: ConfigKey("csv"))
        let table: String? = try c.decodeIfPresent(String.self, forKey: ConfigKey("table"))
        var settings: TableProviderSettings
        switch (csv, table) {
        case (let path?, nil): settings = TableProviderSettings(location: .csv(path: path))
        case (nil, let name?):
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty }) else { throw c.fail("table", "expected TABLE or SCHEMA.TABLE") }
            settings = TableProviderSettings(location: .table(name: name))
        default: throw c.fail("csv", "expected exactly one of csv (a file) or table (a PostgreSQL table)")
        }
        settings.keyField = try c.value("key", or: "domain")
        settings.keyColumn = try c.value("key_column", or: "domain")
        return settings
    }
}

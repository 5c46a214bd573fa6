/// Decoding of `enrichment.people` into `PeopleSettings`.
struct PeopleConfig: Decodable {
    var settings = PeopleSettings()

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ConfigKey.self)
        try c.rejectUnknown(["plan", "min_persona_score", "budget_share", "privacy", "providers", "verify"])
        if c.contains(ConfigKey("plan")) {
            let p = try c.nestedContainer(keyedBy: ConfigKey.self, forKey: ConfigKey("plan"))
            try p.rejectUnknown(Set(AccountTier.allCases.map(\.rawValue)))
            for tier in AccountTier.allCases where p.contains(ConfigKey(tier.rawValue)) {
                settings.plan[tier] = try p.decode(QuotaConfig.self, forKey: ConfigKey(tier.rawValue)).quota
            }
        }
        settings.minimumPersonaScore = try c.value("min_persona_score", or: 0)
        if !(0...100).contains(settings.minimumPersonaScore) { throw c.fail("min_persona_score", "expected a persona fit score from 0 to 100") }
        settings.budgetShare = try c.decodeIfPresent(Double.self, forKey: ConfigKey("budget_share"))
        if let share = settings.budgetShare, !(share > 0 && share < 1) {
            throw c.fail("budget_share", "expected the share of enrichment.budget kept for people, between 0 and 1 (e.g. 0.4)")
        }
        settings.privacy = try c.value("privacy", or: [PrivacyConfig]()).map(\.rule)
        settings.providers = try c.value("providers", or: [PeopleProviderConfig]()).map(\.settings)
        if settings.providers.isEmpty { throw c.fail("providers", "expected at least one people provider (http or table)") }
        if Set(settings.providers.map(\.name)).count != settings.providers.count { throw c.fail("providers", "provider names must be unique") }
        if settings.plan.values.allSatisfy({ $0.total == 0 }) {
            throw c.fail("plan", "expected the personas wanted per account tier, e.g. {T1: {tier1: 3, tier2: 2}, T2: {tier1: 1}}")
        }
        settings.verify = try c.decodeIfPresent(VerifyConfig.self, forKey: ConfigKey("verify"))?.settings
        if let verify = settings.verify, settings.providers.contains(where: { $0.name == verify.provider.name }) {
            throw c.fail("verify", "the verifier's name \(verify.provider.name) is also a people provider's; names must be unique")
        }
    }
}

/// `{tier1: 3, tier2: 2}`: personas wanted per persona tier.
struct QuotaConfig: Decodable {
    var quota = PersonaQuota()
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ConfigKey.self)
        try c.rejectUnknown(["tier1", "tier2", "tier3"])
        for level in PersonaTier.allCases {
            let key = "tier\(level.rawValue)"
            quota[level] = try c.value(key, or: 0)
            if !(0...100).contains(quota[level]) { throw c.fail(key, "expected 0 to 100 personas per account") }
        }
    }
}

/// `{region: EU, policy: none}` or `{countries: [CH, GB], policy: verify_only}`.
struct PrivacyConfig: Decodable {
    var rule: PrivacyRule
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ConfigKey.self)
        try c.rejectUnknown(["region", "countries", "policy"])
        let policyText: String = try c.required("policy")
        guard let policy = PrivacyPolicy(rawValue: policyText) else {
            throw c.fail("policy", "expected none (buy no contact data), verify_only (only verify the CRM's emails) or allow")
        }
        let region: String? = try c.decodeIfPresent(String.self, forKey: ConfigKey("region"))
        let listed: [String]? = try c.decodeIfPresent([String].self, forKey: ConfigKey("countries"))
        switch (region, listed) {
        case (let region?, nil):
            guard let countries = PrivacyRule.regions[region.uppercased()] else {
                throw c.fail("region", "expected one of \(PrivacyRule.regions.keys.sorted().joined(separator: ", ")) (or list countries)")
            }
            rule = PrivacyRule(name: region.uppercased(), countries: countries, policy: policy)
        case (nil, let listed?) where !listed.isEmpty:
            var codes: Set<String> = []
            for (index, name) in listed.enumerated() {
                guard let code = GeographyNormalizer.country(name) else {
                    throw DecodingError.dataCorrupted(.init(
                        codingPath: c.codingPath + [ConfigKey("countries"), ConfigKey(intValue: index)!], debugDescription: "\(name) is not a country"))
                }
                codes.insert(code)
            }
            rule = PrivacyRule(name: codes.sorted().joined(separator: "+"), countries: codes, policy: policy)
        default:
            throw c.fail("region", "expected exactly one of region (EU, EEA, DACH) or countries (a list)")
        }
    }
}

/// One people provider: an account provider's keys, plus (HTTP) the search's
/// `search_by`, `results`, `per_page`, `max_pages`, `cost_per_result`, `body_keys`.
struct PeopleProviderConfig: Decodable {
    var settings: PeopleProviderSettings
    static let searchKeys: Set<String> = ["search_by", "results", "per_page", "max_pages", "cost_per_result", "body_keys"]

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ConfigKey.self)
        let provider = try ProviderConfig.decode(c, use: .people, extraHTTP: Self.searchKeys)
        let known = Set(PersonField.allCases.map(\.rawValue))
        if let unknown = provider.fields.keys.sorted().first(where: { !known.contains($0) }) {
            throw DecodingError.dataCorrupted(.init(
                codingPath: c.codingPath + [ConfigKey("fields"), ConfigKey(unknown)],
                debugDescription: "not a person field; expected one of \(PersonField.allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        if provider.fields["title"] == nil { throw c.fail("fields", "expected a title mapping: the persona rubric scores titles") }
        if provider.fields["email"] == nil && provider.fields["linkedin"] == nil {
            throw c.fail("fields", "expected an email or linkedin mapping: a contact must be reachable and matched by one")
        }
        var search = PeopleSearchSettings()
        if case .http = provider.source {
            search.searchBy = try c.value("search_by", or: [])
            if let bad = search.searchBy.first(where: { $0 != "domain" && $0 != "name" }) {
                throw c.fail("search_by", "\(bad): expected domain and/or name (the account fields a search sends)")
            }
            search.results = try c.value("results", or: "/people")
            if JSONPointer(search.results) == nil { throw c.fail("results", "expected a JSON pointer to the list of people, like /people") }
            search.perPage = try c.value("per_page", or: 25)
            if !(1...500).contains(search.perPage) { throw c.fail("per_page", "expected 1 to 500 people per page") }
            search.maxPages = try c.value("max_pages", or: 1)
            if !(1...100).contains(search.maxPages) { throw c.fail("max_pages", "expected 1 to 100 pages per account") }
            search.costPerResult = try c.value("cost_per_result", or: 0)
            if search.costPerResult < 0 { throw c.fail("cost_per_result", "expected credits >= 0") }
            search.bodyKeys = try c.value("body_keys", or: [:])
            if let bad = search.bodyKeys.keys.sorted().first(where: { !PeopleSearchSettings.bodyKeyNames.contains($0) }) {
                throw c.fail("body_keys", "\(bad): expected some of \(PeopleSearchSettings.bodyKeyNames.joined(separator: ", "))")
            }
        }
        settings = PeopleProviderSettings(provider: provider, search: search)
    }
}

/// `verify:` an HTTP provider asked `{email}`, its answer's `status` pointer
/// (default `/status`) in `accept` (default `[valid]`).
struct VerifyConfig: Decodable {
    var settings: VerifySettings
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ConfigKey.self)
        let provider = try ProviderConfig.decode(c, use: .verify, extraHTTP: ["status", "accept"])
        let status: String = try c.value("status", or: "/status")
        if JSONPointer(status) == nil { throw c.fail("status", "expected a JSON pointer to the verdict, like /status") }
        let accept: [String] = try c.value("accept", or: ["valid"])
        if accept.isEmpty { throw c.fail("accept", "expected the verdicts that accept an address, e.g. [valid]") }
        settings = VerifySettings(provider: provider, status: status, accept: accept)
    }
}

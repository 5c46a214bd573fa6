/// `match:` — how accounts are deduplicated: thresholds of the evidence and
/// hosting platforms beyond the built-in list.
///
/// ```yaml
/// match:
///   name_threshold: 0.9              # weighted name agreement for a name match
///   alternate_domain_threshold: 0.97 # name agreement that links siemens.de and siemens.com
///   max_domains_per_account: 3       # more own domains in one account is a runaway cluster
///   review_margin: 0.05              # name pairs this far below name_threshold go to review
///   phone_margin: 0.3                # a name match this far below name_threshold where both have one phone number
///   postcode_margin: 0.1             # the same where both have one postcode and the cities do not differ
///   hosting_platforms: [mysites.example, "portal.example/shops"]  # subdomain hosts; host/prefix for path hosts
///   legal_forms: ["Kft.", "GmbH & Co. OHG"]  # legal forms names drop, beyond the built-in ones of every country
/// ```
public struct MatchConfig: Sendable, Equatable, Decodable {
    public var settings = MatchSettings()
    public var platforms = HostingPlatforms()
    /// What the configuration adds to the built-in platform list, as written.
    public var platformAdditions: [String] = []
    /// What the configuration adds to the built-in legal forms, as written (also in `settings.legalForms`).
    public var legalFormAdditions: [String] = []

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ConfigKey.self)
        try c.rejectUnknown([
            "name_threshold", "alternate_domain_threshold", "max_domains_per_account", "review_margin", "phone_margin", "postcode_margin",
            "hosting_platforms", "legal_forms",
        ])
        let defaults = MatchSettings()
        settings.nameThreshold = try c.value("name_threshold", or: defaults.nameThreshold)
        guard settings.nameThreshold > 0.5, settings.nameThreshold <= 1 else {
            throw c.fail("name_threshold", "expected a similarity above 0.5 and at most 1, e.g. 0.9")
        }
        settings.alternateDomainThreshold = try c.value("alternate_domain_threshold", or: defaults.alternateDomainThreshold)
        guard settings.alternateDomainThreshold > 0.5, settings.alternateDomainThreshold <= 1 else {
            throw c.fail("alternate_domain_threshold", "expected a similarity above 0.5 and at most 1, e.g. 0.97")
        }
        settings.maxDomainsPerAccount = try c.value("max_domains_per_account", or: defaults.maxDomainsPerAccount)
        guard settings.maxDomainsPerAccount >= 1 else { throw c.fail("max_domains_per_account", "expected 1 or more") }
        settings.reviewMargin = try c.value("review_margin", or: defaults.reviewMargin)
        guard settings.reviewMargin >= 0, settings.reviewMargin < 0.5 else {
            throw c.fail("review_margin", "expected a margin from 0 (no near misses) to below 0.5, e.g. 0.05")
        }
        for (key, path) in [("phone_margin", \MatchSettings.phoneMargin), ("postcode_margin", \MatchSettings.postcodeMargin)] {
            settings[keyPath: path] = try c.value(key, or: defaults[keyPath: path])
            guard settings[keyPath: path] >= 0, settings[keyPath: path] < 0.5 else {
                throw c.fail(key, "expected a margin from 0 (the evidence does not count) to below 0.5, e.g. \(defaults[keyPath: path])")
            }
        }
        platformAdditions = try c.value("hosting_platforms", or: [String]())
        for entry in platformAdditions {
            let host = entry.split(separator: "/").first.map(String.init) ?? ""
            guard host.contains("."), !host.contains(" ") else {
                throw c.fail("hosting_platforms", "expected hosts like `mysites.example` or `portal.example/shops`, got \"\(entry)\"")
            }
        }
        platforms = HostingPlatforms().adding(platformAdditions)
        legalFormAdditions = try c.value("legal_forms", or: [String]())
        if let problem = legalFormAdditions.lazy.compactMap(LegalForms.problem).first { throw c.fail("legal_forms", problem) }
        settings.legalForms = LegalForms.builtIn.adding(legalFormAdditions)
    }
}

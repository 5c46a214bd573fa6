/// `match:` — how accounts are deduplicated: thresholds of the evidence and
/// hosting platforms beyond the built-in list.
///
/// ```yaml
/// match:
///   name_threshold: 0.9              # weighted name agreement for a name match
///   alternate_domain_threshold: 0.97 # name agreement that links siemens.de and siemens.com
///   max_domains_per_account: 3       # more own domains in one account is a runaway cluster
///   hosting_platforms: [mysites.example, "portal.example/shops"]  # subdomain hosts; host/prefix for path hosts
/// ```
public struct MatchConfig: Sendable, Equatable, Decodable {
    public var settings = MatchSettings()
    public var platforms = HostingPlatforms()
    /// What the configuration adds to the built-in platform list, as written.
    public var platformAdditions: [String] = []

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ConfigKey.self)
        try c.rejectUnknown(["name_threshold", "alternate_domain_threshold", "max_domains_per_account", "hosting_platforms"])
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
        platformAdditions = try c.value("hosting_platforms", or: [String]())
        for entry in platformAdditions {
            let host = entry.split(separator: "/").first.map(String.init) ?? ""
            guard host.contains("."), !host.contains(" ") else {
                throw c.fail("hosting_platforms", "expected hosts like `mysites.example` or `portal.example/shops`, got \"\(entry)\"")
            }
        }
        platforms = HostingPlatforms().adding(platformAdditions)
    }
}

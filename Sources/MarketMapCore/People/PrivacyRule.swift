/// What may be done with contact data in a country or region.
public enum PrivacyPolicy: String, Sendable, Equatable, Codable, CaseIterable {
    /// Buy no contact data: no search for its accounts, no found person kept.
    case none
    /// No search; only verify the emails of contacts the CRM already holds.
    case verifyOnly = "verify_only"
    /// Searches allowed (to make an exception inside a broader rule listed later).
    case allow
}

/// A privacy rule: countries (ISO codes, or named regions such as `EU`) and
/// their policy. The first rule naming a country decides; a country no rule
/// names is allowed.
public struct PrivacyRule: Sendable, Equatable {
    public var name: String
    public var countries: Set<String>
    public var policy: PrivacyPolicy

    public init(name: String, countries: Set<String>, policy: PrivacyPolicy) {
        (self.name, self.countries, self.policy) = (name, countries, policy)
    }

    /// Regions a rule may name instead of listing countries.
    public static let regions: [String: Set<String>] = [
        "EU": eu,
        "EEA": eu.union(["IS", "LI", "NO"]),
        "DACH": ["DE", "AT", "CH"],
    ]
    static let eu: Set<String> = [
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL",
        "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    ]

    /// The rule that decides for `country` (an ISO code), nil when none names it.
    public static func rule(for country: String?, in rules: [PrivacyRule]) -> PrivacyRule? {
        guard let code = country?.uppercased(), !code.isEmpty else { return nil }
        return rules.first { $0.countries.contains(code) }
    }
}

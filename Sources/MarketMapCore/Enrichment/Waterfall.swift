/// The waterfall's decisions for one account (`DOMAIN.md` §4): which fields are
/// still missing, whether a provider is asked (only when it can fill a missing
/// field, its `only_run_if` conditions hold and its input fields are known),
/// and what its answer fills. Pure: the calls themselves are elsewhere.
public struct Waterfall: Sendable {
    public let settings: EnrichmentSettings
    /// The fit score conditions may test (`fit_score >= 40`), from the facts
    /// as they are at the moment of the decision.
    public let fitScore: @Sendable (Facts) -> Double?

    public init(settings: EnrichmentSettings, fitScore: @escaping @Sendable (Facts) -> Double? = { _ in nil }) {
        self.settings = settings
        self.fitScore = fitScore
    }

    public enum Decision: Sendable, Equatable {
        /// Ask the provider with these input values; `key` identifies the
        /// lookup in the cache.
        case ask(input: [String: String], key: String)
        case skip(String)
    }

    public func missing(_ facts: Facts) -> [String] {
        settings.fields.filter { (facts[$0]?.text.trimmedWhitespace ?? "").isEmpty }
    }

    public func decide(_ provider: ProviderSettings, facts: Facts) -> Decision {
        let missing = missing(facts)
        if missing.isEmpty { return .skip("complete") }
        if !missing.contains(where: { provider.fields[$0] != nil }) { return .skip("nothing it fills is missing") }
        var facts = facts
        if !provider.onlyRunIf.isEmpty, let score = fitScore(facts) { facts["fit_score"] = .number(score) }
        return Self.admit(provider, inputFields: provider.inputFields, facts: facts)
    }

    /// The gate every provider passes, of accounts or of people: its
    /// `only_run_if` conditions hold and the account has the input fields.
    public static func admit(_ provider: ProviderSettings, inputFields: [String], facts: Facts) -> Decision {
        if let failed = provider.onlyRunIf.first(where: { !$0.holds(facts) }) { return .skip("only_run_if: \(failed) is false") }
        var input: [String: String] = [:]
        for field in inputFields {
            guard let value = facts[field]?.text.trimmedWhitespace, !value.isEmpty else { return .skip("no \(field) to look up") }
            input[field] = value
        }
        return .ask(input: input, key: key(input, inputFields))
    }

    /// `domain=acme.com` (fields in the provider's order): the cache key.
    public static func key(_ input: [String: String], _ fields: [String]) -> String {
        fields.map { "\($0)=\((input[$0] ?? "").lowercased())" }.joined(separator: "&")
    }

    /// Fills the blank fields the answer has; returns the names filled.
    public func fill(_ facts: inout Facts, from answer: [String: FieldValue]) -> [String] {
        var filled: [String] = []
        for field in settings.fields where (facts[field]?.text.trimmedWhitespace ?? "").isEmpty {
            if let value = answer[field] {
                facts[field] = value
                filled.append(field)
            }
        }
        return filled
    }

    /// The provider's fields found in a JSON answer.
    public static func extract(_ provider: ProviderSettings, from document: Any) -> [String: FieldValue] {
        var answer: [String: FieldValue] = [:]
        for (field, place) in pointers(provider) {
            if let value = JSONPointer(place).flatMap({ JSONPointer.fieldValue($0.resolve(document)) }) { answer[field] = value }
        }
        return answer
    }

    /// The provider's field mapping as JSON pointers: HTTP answers are mapped
    /// by pointer, table rows (JSON objects) by column name.
    public static func pointers(_ provider: ProviderSettings) -> [String: String] {
        switch provider.source {
        case .http: provider.fields
        case .table: provider.fields.mapValues { "/" + $0.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1") }
        }
    }
}

/// What happened with one provider for one account, kept with the account.
public struct EnrichmentAttempt: Sendable, Equatable, Codable {
    public var provider: String
    /// `filled`, `cached`, `not_found`, `no_new_fields`, `skipped`, `budget`, `failed`.
    public var outcome: String
    public var detail: String

    public init(provider: String, outcome: String, detail: String = "") {
        (self.provider, self.outcome, self.detail) = (provider, outcome, detail)
    }
}

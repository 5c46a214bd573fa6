/// A golden account field a steward may pin, and how a pinned value is read:
/// the way an import reads the same field, so a pin holds what survivorship
/// would have written.
public enum PinnedField: String, Sendable, CaseIterable {
    case name, website, domain, industry, employees, country, state, city, owner, type
    case annualRevenue = "annual_revenue"

    /// The value as stored, or why it cannot be: `employees` takes a count,
    /// `annual_revenue` an amount, `country` a country the normalizer knows
    /// (stored as its ISO code), `domain` a host name.
    public func read(_ raw: String) -> Result<String, PinError> {
        let text = raw.trimmedWhitespace
        guard !text.isEmpty else { return .failure(PinError(field: self, message: "the value is empty")) }
        switch self {
        case .employees:
            guard case .success(let count?) = ValueParsers.count(text) else {
                return .failure(PinError(field: self, message: "expected a whole number of employees, got \"\(text)\""))
            }
            return .success(String(count))
        case .annualRevenue:
            guard case .success(let amount?) = ValueParsers.money(text) else {
                return .failure(PinError(field: self, message: "expected an amount such as 1200000 or 1.2M, got \"\(text)\""))
            }
            return .success(String(amount))
        case .country:
            guard let code = GeographyNormalizer.country(text) else {
                return .failure(PinError(field: self, message: "expected a country (a name or an ISO code), got \"\(text)\""))
            }
            return .success(code)
        case .domain:
            let host = text.lowercased()
            guard host.contains("."), !host.contains(where: { $0 == " " || $0 == "/" || $0 == "@" }) else {
                return .failure(PinError(field: self, message: "expected a domain such as acme.com, got \"\(text)\""))
            }
            return .success(host)
        case .name, .website, .industry, .state, .city, .owner, .type:
            return .success(text)
        }
    }
}

public struct PinError: Error, Sendable, Equatable, CustomStringConvertible {
    public var field: PinnedField
    public var message: String
    public var description: String { "pin \(field.rawValue): \(message)" }
}

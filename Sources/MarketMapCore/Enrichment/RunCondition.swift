import Foundation

/// An `only_run_if` condition of a provider (`DOMAIN.md` §4), written as text:
/// `industry is blank`, `website is not blank`, `fit_score >= 40`,
/// `country = US`, `employees < 500`. Numbers compare as numbers; text
/// compares case-insensitively; a comparison with a blank field is false.
public struct RunCondition: Sendable, Equatable, CustomStringConvertible {
    public enum Test: Sendable, Equatable {
        case blank, notBlank
        case compare(Comparison, String)
    }

    public enum Comparison: String, Sendable, CaseIterable {
        case atLeast = ">=", atMost = "<=", notEqual = "!=", above = ">", below = "<", equal = "="
    }

    public var field: String
    public var test: Test
    public let description: String

    /// Nil when `text` is none of the forms above.
    public init?(_ text: String) {
        let trimmed = text.trimmedWhitespace
        description = trimmed
        let words = trimmed.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        if words.count >= 3, words[1].lowercased() == "is" {
            let rest = words.dropFirst(2).map { $0.lowercased() }
            guard rest == ["blank"] || rest == ["not", "blank"] else { return nil }
            field = words[0]
            test = rest == ["blank"] ? .blank : .notBlank
            return
        }
        // The first operator in the text; two-character ones are listed first.
        for comparison in Comparison.allCases {
            guard let range = trimmed.range(of: comparison.rawValue) else { continue }
            let name = String(trimmed[..<range.lowerBound]).trimmedWhitespace, value = String(trimmed[range.upperBound...]).trimmedWhitespace
            guard !name.isEmpty, !value.isEmpty, !name.contains(" ") else { return nil }
            field = name
            test = .compare(comparison, value)
            return
        }
        return nil
    }

    public func holds(_ facts: Facts) -> Bool {
        let value = facts[field].map(\.text)?.trimmedWhitespace ?? ""
        switch test {
        case .blank: return value.isEmpty
        case .notBlank: return !value.isEmpty
        case .compare(let comparison, let expected):
            guard !value.isEmpty, let fact = facts[field] else { return false }
            if let left = fact.number, let right = FieldValue.text(expected).number {
                switch comparison {
                case .atLeast: return left >= right
                case .atMost: return left <= right
                case .above: return left > right
                case .below: return left < right
                case .equal: return left == right
                case .notEqual: return left != right
                }
            }
            let order = value.caseInsensitiveCompare(expected)
            switch comparison {
            case .equal: return order == .orderedSame
            case .notEqual: return order != .orderedSame
            case .atLeast: return order != .orderedAscending
            case .atMost: return order != .orderedDescending
            case .above: return order == .orderedDescending
            case .below: return order == .orderedAscending
            }
        }
    }
}

import Foundation

/// A value of an account or contact field as criteria see it.
public enum FieldValue: Sendable, Equatable {
    case text(String)
    case number(Double)

    public var text: String {
        switch self {
        case .text(let text): return text
        case .number(let number): return number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        }
    }

    public var number: Double? {
        switch self {
        case .number(let number): return number
        case .text(let text): return Double(text.trimmedWhitespace.replacingOccurrences(of: ",", with: ""))
        }
    }
}

/// The fields of one record by name (`employees`, `industry`, `extra.Tech Stack`, ...).
public typealias Facts = [String: FieldValue]

/// One test on a field (`DOMAIN.md` §5): equals, in, range [min, max)
/// (either end may be null for open), exists, regex. Text compares
/// case-insensitively; `equals`/`in` compare numbers as numbers when both sides are.
public enum Matcher: Sendable, Equatable {
    case equals(String)
    case oneOf([String])
    case range(min: Double?, max: Double?)
    case exists(Bool)
    case regex(Pattern)

    /// A compiled regular expression (immutable, so safe to share).
    public struct Pattern: @unchecked Sendable, Equatable {
        public let source: String
        let expression: NSRegularExpression
        /// Nil when `source` is not a valid ICU regular expression.
        public init?(_ source: String) {
            guard let expression = try? NSRegularExpression(pattern: source) else { return nil }
            self.source = source
            self.expression = expression
        }
        public static func == (lhs: Pattern, rhs: Pattern) -> Bool { lhs.source == rhs.source }
    }

    public func matches(_ value: FieldValue?) -> Bool {
        switch self {
        case .exists(let wanted):
            let present = value.map { !$0.text.trimmedWhitespace.isEmpty } ?? false
            return present == wanted
        case .equals(let expected):
            guard let value else { return false }
            return Self.same(value, expected)
        case .oneOf(let options):
            guard let value else { return false }
            return options.contains { Self.same(value, $0) }
        case .range(let min, let max):
            guard let number = value?.number else { return false }
            return (min.map { number >= $0 } ?? true) && (max.map { number < $0 } ?? true)
        case .regex(let pattern):
            guard let value else { return false }
            let text = value.text
            return pattern.expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }
    }

    static func same(_ value: FieldValue, _ expected: String) -> Bool {
        if case .number(let number) = value, let other = Double(expected) { return number == other }
        return TextFolding.equalIgnoringCase(value.text.trimmedWhitespace, expected.trimmedWhitespace)
    }
}

/// A criterion of an ICP matrix: a field and bands of (matcher, points); the
/// first band that matches gives its points (a criterion with one matcher is
/// one band).
public struct Criterion: Sendable, Equatable {
    public var field: String
    public var bands: [Band]

    public struct Band: Sendable, Equatable {
        public var matcher: Matcher
        public var points: Double
        public init(_ matcher: Matcher, points: Double) {
            self.matcher = matcher
            self.points = points
        }
    }

    public init(field: String, bands: [Band]) {
        self.field = field
        self.bands = bands
    }

    public init(field: String, _ matcher: Matcher, points: Double) {
        self.init(field: field, bands: [Band(matcher, points: points)])
    }

    /// Points earned by `facts` (0 when no band matches).
    public func points(for facts: Facts) -> Double {
        let value = facts[field]
        return bands.first { $0.matcher.matches(value) }?.points ?? 0
    }

    /// The most this criterion can give.
    public var maximum: Double { bands.map(\.points).max().map { Swift.max(0, $0) } ?? 0 }
}

/// A condition that must hold (gate) or must not hold (exclusion).
public struct Condition: Sendable, Equatable {
    public var field: String
    public var matcher: Matcher
    public init(field: String, _ matcher: Matcher) {
        self.field = field
        self.matcher = matcher
    }
    public func holds(for facts: Facts) -> Bool { matcher.matches(facts[field]) }
}

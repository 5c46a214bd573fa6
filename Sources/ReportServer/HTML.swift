import MarketMapCore

/// A piece of HTML. Interpolated text is escaped (`HTMLReport.escape`); only
/// another `HTML` goes in as it is, so a page cannot print a value unescaped
/// by forgetting to.
public struct HTML: Sendable, Equatable, ExpressibleByStringInterpolation {
    public private(set) var text: String

    public init(stringLiteral value: String) { text = value }
    public init(stringInterpolation: StringInterpolation) { text = stringInterpolation.text }

    /// Pieces one after the other.
    public init(joining pieces: some Sequence<HTML>, separator: HTML = "") {
        text = pieces.map(\.text).joined(separator: separator.text)
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        var text = ""
        public init(literalCapacity: Int, interpolationCount: Int) { text.reserveCapacity(literalCapacity * 2) }
        public mutating func appendLiteral(_ literal: String) { text += literal }
        public mutating func appendInterpolation(_ html: HTML) { text += html.text }
        public mutating func appendInterpolation(_ pieces: [HTML]) { text += pieces.map(\.text).joined() }
        public mutating func appendInterpolation(_ value: String) { text += HTMLReport.escape(value) }
        /// Anything else by its description, escaped.
        public mutating func appendInterpolation(_ value: some CustomStringConvertible) { text += HTMLReport.escape(value.description) }
        /// Nil prints nothing.
        public mutating func appendInterpolation(_ value: (some CustomStringConvertible)?) {
            if let value { text += HTMLReport.escape(value.description) }
        }
    }

    public static func + (lhs: HTML, rhs: HTML) -> HTML { HTML(joining: [lhs, rhs]) }
}

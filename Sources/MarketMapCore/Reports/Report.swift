import Foundation

/// One cell of a report.
public enum ReportValue: Sendable, Equatable, Encodable {
    case text(String)
    case number(Double)
    case null

    public var display: String {
        switch self {
        case .text(let text): return text
        case .number(let number):
            if number == number.rounded() && abs(number) < 1e15 { return String(Int64(number)) }
            var text = String(format: "%.4f", number)  // shares and rates: four decimals are plenty
            while text.hasSuffix("0") { text.removeLast() }
            return text
        case .null: return ""
        }
    }

    public var number: Double? { if case .number(let number) = self { return number } else { return nil } }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .number(let number): try container.encode(number)
        case .null: try container.encodeNil()
        }
    }
}

/// A named table of figures: what the reporter stores (`reports`), writes as
/// CSV and JSON, and draws in the HTML page.
public struct Report: Sendable, Equatable, Encodable {
    public var name: String
    public var title: String
    public var columns: [String]
    public var rows: [[ReportValue]]

    public init(name: String, title: String, columns: [String], rows: [[ReportValue]]) {
        (self.name, self.title, self.columns, self.rows) = (name, title, columns, rows)
    }

    /// RFC 4180: a header row, fields quoted when they hold a delimiter, quote or line break.
    public func csv() -> String {
        ([columns.map(Self.csvField)] + rows.map { $0.map { Self.csvField($0.display) } })
            .map { $0.joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    public static func csvField(_ text: String) -> String {
        text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }

    /// The column `name`'s values.
    public func column(_ name: String) -> [ReportValue] {
        guard let index = columns.firstIndex(of: name) else { return [] }
        return rows.map { index < $0.count ? $0[index] : .null }
    }
}

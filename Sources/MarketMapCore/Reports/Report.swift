import Foundation

/// One cell of a report.
public enum ReportValue: Sendable, Equatable, Encodable {
    case text(String)
    case number(Double)
    case null

    /// For files machines read (CSV): `1200`, `0.5318`, `1` (never `1.` or `-0`).
    public var display: String {
        switch self {
        case .text(let text): return text
        case .number(let number): return Self.plain(number)
        case .null: return ""
        }
    }

    /// For people (the HTML page): thousands grouped, `32,806,000`, `1,234.5`, `0.5318`.
    public var formatted: String {
        guard case .number(let number) = self else { return display }
        let text = Self.plain(number)
        let negative = text.hasPrefix("-")
        let unsigned = negative ? text.dropFirst() : Substring(text)
        let parts = unsigned.split(separator: ".", maxSplits: 1)
        guard let whole = parts.first, whole.allSatisfy(\.isNumber) else { return text }
        var grouped = ""
        for (index, digit) in whole.enumerated() {
            if index > 0, (whole.count - index) % 3 == 0 { grouped += "," }
            grouped.append(digit)
        }
        return (negative ? "-" : "") + grouped + (parts.count > 1 ? "." + parts[1] : "")
    }

    /// Integers plainly, other numbers to four decimals (shares and rates:
    /// plenty) without trailing zeros or a bare decimal point.
    static func plain(_ number: Double) -> String {
        if number == number.rounded() && abs(number) < 1e15 { return String(Int64(number)) }
        guard number.isFinite else { return "" }
        var text = String(format: "%.4f", number)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
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
    /// What the table cannot say (why a team is not within its band): in the
    /// JSON, the HTML page and the run summary, never in the CSV, which stays
    /// a plain table.
    public var notes: [String]

    public init(name: String, title: String, columns: [String], rows: [[ReportValue]], notes: [String] = []) {
        (self.name, self.title, self.columns, self.rows, self.notes) = (name, title, columns, rows, notes)
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

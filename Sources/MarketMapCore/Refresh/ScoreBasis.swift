import Foundation

/// What an account's ICP fit was computed from: every field the matrix reads
/// (criteria, gates, exclusions) with its value, and each criterion's points.
/// Stored with the score, so a later refresh can say why a tier changed.
public struct ScoreBasis: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var field: String
        /// The value as scoring saw it; nil when blank.
        public var value: String?
        /// The criterion's points; nil for a field only a gate or an exclusion reads.
        public var points: Double?

        public init(field: String, value: String?, points: Double?) {
            (self.field, self.value, self.points) = (field, value, points)
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    /// The basis of `matrix.fit(facts)`: criteria in order, then the other
    /// fields gates and exclusions read.
    public init(matrix: ICPMatrix, facts: Facts) {
        var entries = matrix.criteria.map { Entry(field: $0.field, value: facts[$0.field]?.text, points: $0.points(for: facts)) }
        var seen = Set(entries.map(\.field))
        for condition in matrix.gates + matrix.exclusions where seen.insert(condition.field).inserted {
            entries.append(Entry(field: condition.field, value: facts[condition.field]?.text, points: nil))
        }
        self.entries = entries
    }

    /// `[["employees","250",20],["type","Customer",null]]`: compact JSON.
    public var json: String {
        "[" + entries.map { entry in
            "[" + JSONText.string(entry.field) + "," + (entry.value.map(JSONText.string) ?? "null") + ","
                + (entry.points.map { FieldValue.number($0).text } ?? "null") + "]"
        }.joined(separator: ",") + "]"
    }

    /// Reads `json`; nil when it is not a basis.
    public init?(json: String) {
        guard let rows = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[Any]] else { return nil }
        var entries: [Entry] = []
        for row in rows {
            guard row.count == 3, let field = row[0] as? String else { return nil }
            entries.append(Entry(field: field, value: row[1] as? String, points: (row[2] as? NSNumber)?.doubleValue))
        }
        self.entries = entries
    }
}

/// JSON text of plain values (RFC 8259 escaping).
public enum JSONText {
    public static func string(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}

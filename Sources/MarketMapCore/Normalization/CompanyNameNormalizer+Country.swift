import Foundation

extension CompanyNameNormalizer {
    /// The country a name's qualifier names, when it names one:
    /// `Allied Telesis (Hong Kong) Ltd.` → `HK`, `Telink Semiconductor Co., Ltd., Taiwan`
    /// → `TW`, `Acme GmbH - Deutschland` → `DE`. Only names of countries count (four
    /// letters or more: `(IT)` is as often a department as Italy), and only when
    /// every qualifier that names a country names the same one. Evidence for a
    /// record whose country field is blank, never over it.
    public static func qualifierCountry(_ raw: String) -> String? {
        var parts: [Substring] = []
        var depth = 0
        var start = raw.startIndex
        for index in raw.indices {
            switch raw[index] {
            case "(", "[", "（":
                if depth == 0 { start = raw.index(after: index) }
                depth += 1
            case ")", "]", "）":
                if depth == 1 { parts.append(raw[start..<index]) }
                depth = max(0, depth - 1)
            default: break
            }
        }
        if let comma = raw.lastIndex(of: ",") { parts.append(raw[raw.index(after: comma)...]) }
        for separator in [" - ", " – ", " — ", " | "] {
            if let range = raw.range(of: separator, options: .backwards) { parts.append(raw[range.upperBound...]) }
        }
        let codes = Set(parts.compactMap { part -> String? in
            let text = String(part).trimmedWhitespace.trimmingCharacters(in: .punctuationCharacters)
            guard text.unicodeScalars.filter({ $0.properties.isAlphabetic }).count >= 4 else { return nil }
            return GeographyNormalizer.country(text)
        })
        return codes.count == 1 ? codes.first : nil
    }
}

/// Phone numbers and postcodes as matching compares them: keys, not values.
/// The values stay as the CRM holds them (in the record's extra columns);
/// a key only says whether two records share a line or a postcode.
public enum ContactPoints {
    /// The last eight digits of a phone number, without an extension
    /// (`+1 (415) 555-0134 ext. 12` → `15550134`, `0415 555 0134` alike):
    /// a number with or without its country and trunk code ends the same.
    /// Nil for fewer than eight digits and for placeholders (`0000000000`,
    /// `1234567890`), which many records share without being one company.
    public static func phoneKey(_ raw: String?) -> String? {
        guard let raw else { return nil }
        var text = Substring(raw.lowercased())
        for marker in ["ext", "x", "#", "extension", "poste", "durchwahl"] {
            if let range = text.range(of: marker, options: .backwards), text[range.upperBound...].allSatisfy({ $0.isNumber || $0 == " " || $0 == "." || $0 == ":" }),
                text[range.upperBound...].contains(where: \.isNumber), text[..<range.lowerBound].contains(where: \.isNumber)
            {
                text = text[..<range.lowerBound]
                break
            }
        }
        let digits = text.unicodeScalars.filter { $0.properties.numericType == .decimal && $0.isASCII }.map(Character.init)
        guard digits.count >= 8 else { return nil }
        let key = String(digits.suffix(8))
        return isPlaceholder(key) ? nil : key
    }

    /// A postcode without spaces, dashes and leading zeros, upper case
    /// (`sw1a 1aa` → `SW1A1AA`; `01067` and `1067`, which a spreadsheet made
    /// of it, alike; a US ZIP+4 as its ZIP). Nil for placeholders and for
    /// fewer than three characters.
    public static func postcodeKey(_ raw: String?, country: String?) -> String? {
        guard let raw else { return nil }
        var key = String(raw.uppercased().unicodeScalars.filter { $0.isASCII && $0.properties.isAlphabetic || ("0"..."9").contains($0) }.map(Character.init))
        if key.allSatisfy(\.isNumber) {
            if country == "US", key.count == 9 { key = String(key.prefix(5)) }
            key = String(key.drop { $0 == "0" })
        }
        guard key.count >= 3, !isPlaceholder(key), !["NA", "NONE", "UNKNOWN", "TBD", "NULL"].contains(key) else { return nil }
        return key
    }

    /// One digit repeated, or a run up or down (`12345678`, `87654321`).
    static func isPlaceholder(_ key: String) -> Bool {
        let digits = key.compactMap(\.wholeNumberValue)
        guard digits.count == key.count, let first = digits.first else { return false }
        if digits.allSatisfy({ $0 == first }) { return true }
        let steps = zip(digits, digits.dropFirst()).map { ($1 - $0 + 10) % 10 }
        return steps.allSatisfy { $0 == 1 } || steps.allSatisfy { $0 == 9 }
    }
}

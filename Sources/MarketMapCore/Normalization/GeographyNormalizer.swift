import Foundation

/// Countries to ISO 3166-1 alpha-2 (`United States`, `USA`, `U.S.` → `US`,
/// `Deutschland`, `DEU` → `DE`, `日本` → `JP`) from the generated `CountryTable`,
/// states and provinces of the US and Canada to their codes (`Calif.` → `CA`).
public enum GeographyNormalizer {
    public static func country(_ raw: String?) -> String? {
        guard let raw, !TextFolding.isPlaceholder(raw) else { return nil }
        if let code = lookup(raw) { return code }
        // `France (FR)`, `JP - Japan`, `DE / Germany`: every part that names a
        // country names the same one.
        let parts = raw.split(whereSeparator: { "()[]/|–-".contains($0) }).map { String($0) }.filter { !$0.trimmedWhitespace.isEmpty }
        guard parts.count > 1 else { return nil }
        let codes = Set(parts.compactMap(lookup))
        return codes.count == 1 && parts.allSatisfy({ lookup($0) != nil }) ? codes.first : nil
    }

    static func lookup(_ raw: String) -> String? {
        let key = TextFolding.words(raw).joined(separator: " ")
        if let code = countries[key] { return code }
        return countries[key.replacingOccurrences(of: " ", with: "")]
    }

    /// The country a domain's country-code suffix names (`orange.cm` → `CM`,
    /// `keio.co.jp` → `JP`); none for the ones used worldwide (`.io`, `.co`, `.ai`, `.me`, `.tv`).
    public static func country(ofDomain domain: String) -> String? {
        guard let dot = domain.lastIndex(of: "."), !domain.contains("/") else { return nil }
        let suffix = domain[domain.index(after: dot)...]
        guard suffix.count == 2, !generic.contains(String(suffix)) else { return nil }
        let code = suffix == "uk" ? "GB" : suffix.uppercased()
        return lookup(code) == code ? code : nil
    }

    static let generic: Set<String> = ["io", "co", "ai", "me", "tv", "ly", "fm", "am", "gg", "to", "cc", "ws", "nu", "su", "eu", "so", "sh", "ac", "vc", "la", "im"]

    /// A state or province code for US/CA (or an unknown country), else nil.
    public static func state(_ raw: String?, country: String?) -> String? {
        guard let raw, !TextFolding.isPlaceholder(raw) else { return nil }
        let key = TextFolding.words(raw).joined(separator: " ")
        let compact = key.replacingOccurrences(of: " ", with: "")
        switch country {
        case "US": return usStates[key] ?? usStates[compact]
        case "CA": return canadianProvinces[key] ?? canadianProvinces[compact]
        case nil: return usStates[key] ?? usStates[compact] ?? canadianProvinces[key] ?? canadianProvinces[compact]
        default: return nil
        }
    }

    /// Every key of the country table (`CountryTable`: ISO 3166-1 codes, names
    /// in English, the countries' own languages and the big CRM languages, and
    /// CRM spellings) folded like `country` folds its input, to its alpha-2 code.
    static var countries: [String: String] { CountryTable.index.keys }

    static let usStates: [String: String] = table([
        "AL": ["alabama", "ala"], "AK": ["alaska"], "AZ": ["arizona", "ariz"], "AR": ["arkansas", "ark"],
        "CA": ["california", "calif", "cal"], "CO": ["colorado", "colo"], "CT": ["connecticut", "conn"],
        "DE": ["delaware", "del"], "DC": ["district of columbia", "washington dc", "d c"], "FL": ["florida", "fla"],
        "GA": ["georgia"], "HI": ["hawaii"], "ID": ["idaho"], "IL": ["illinois", "ill"], "IN": ["indiana", "ind"],
        "IA": ["iowa"], "KS": ["kansas", "kans"], "KY": ["kentucky"], "LA": ["louisiana"], "ME": ["maine"],
        "MD": ["maryland", "md"], "MA": ["massachusetts", "mass"], "MI": ["michigan", "mich"], "MN": ["minnesota", "minn"],
        "MS": ["mississippi", "miss"], "MO": ["missouri"], "MT": ["montana", "mont"], "NE": ["nebraska", "nebr"],
        "NV": ["nevada", "nev"], "NH": ["new hampshire"], "NJ": ["new jersey"], "NM": ["new mexico"],
        "NY": ["new york", "new york state"], "NC": ["north carolina"], "ND": ["north dakota"], "OH": ["ohio"],
        "OK": ["oklahoma", "okla"], "OR": ["oregon", "ore"], "PA": ["pennsylvania", "penn", "penna"], "RI": ["rhode island"],
        "SC": ["south carolina"], "SD": ["south dakota"], "TN": ["tennessee", "tenn"], "TX": ["texas", "tex"],
        "UT": ["utah"], "VT": ["vermont"], "VA": ["virginia"], "WA": ["washington", "wash"], "WV": ["west virginia"],
        "WI": ["wisconsin", "wis"], "WY": ["wyoming", "wyo"], "PR": ["puerto rico"],
    ])

    static let canadianProvinces: [String: String] = table([
        "AB": ["alberta", "alta"], "BC": ["british columbia"], "MB": ["manitoba", "man"], "NB": ["new brunswick"],
        "NL": ["newfoundland and labrador", "newfoundland"], "NS": ["nova scotia"], "NT": ["northwest territories"],
        "NU": ["nunavut"], "ON": ["ontario", "ont"], "PE": ["prince edward island", "pei"],
        "QC": ["quebec", "que", "pq"], "SK": ["saskatchewan", "sask"], "YT": ["yukon"],
    ])

    private static func table(_ names: [String: [String]]) -> [String: String] {
        var result: [String: String] = [:]
        for (code, aliases) in names {
            result[code.lowercased()] = code
            for alias in aliases {
                result[alias] = code
                result[alias.replacingOccurrences(of: " ", with: "")] = code
            }
        }
        return result
    }
}

extension CountryTable {
    /// One country of the table.
    struct Entry: Sendable, Equatable {
        let alpha2: String
        let alpha3: String
        let name: String
        let officialName: String?
        let commonName: String?
        /// Its names in the languages spoken there.
        let ownNames: [String]
        /// Its names in the big CRM languages (see `CountryTable`).
        let translatedNames: [String]
        /// Hand-written CRM spellings (ops/gen-countries `ALIASES`).
        let aliases: [String]

        /// Every name and code, codes first.
        var allNames: [String] {
            [alpha2, alpha3, name] + [officialName, commonName].compactMap { $0 } + ownNames + translatedNames + aliases
        }
    }

    /// The records, parsed.
    static let entries: [Entry] = records.flatMap { $0.split(separator: "\n") }.map { line in
        let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        precondition(fields.count == 8, "CountryTable: bad record \(line)")
        func list(_ field: String) -> [String] { field.split(separator: ";").map(String.init) }
        return Entry(
            alpha2: fields[0], alpha3: fields[1], name: fields[2], officialName: fields[3].isEmpty ? nil : fields[3],
            commonName: fields[4].isEmpty ? nil : fields[4], ownNames: list(fields[5]), translatedNames: list(fields[6]),
            aliases: list(fields[7]))
    }

    /// The lookup keys. Every name's folded key; then, for a key of several
    /// words, the same without spaces (`hongkong`, `southkorea`) unless it is
    /// already a key or two countries' keys share it. `collisions` lists keys
    /// two countries claimed after folding (ops/gen-countries settles every one,
    /// so it is empty; a test says so).
    static let index: (keys: [String: String], collisions: [String]) = {
        var keys: [String: String] = [:]
        var collisions: [String] = []
        var compact: [String: String] = [:]
        var ambiguous: Set<String> = []  // compact keys of two countries
        for entry in entries {
            for name in entry.allNames {
                let key = TextFolding.words(name).joined(separator: " ")
                if let code = keys[key] {
                    if code != entry.alpha2 { collisions.append("\(key): \(code) \(entry.alpha2)") }
                    continue
                }
                keys[key] = entry.alpha2
                guard key.contains(" ") else { continue }
                let squeezed = key.replacingOccurrences(of: " ", with: "")
                if let claimed = compact[squeezed], claimed != entry.alpha2 { ambiguous.insert(squeezed) }
                compact[squeezed] = entry.alpha2
            }
        }
        for (key, code) in compact where keys[key] == nil && !ambiguous.contains(key) { keys[key] = code }
        return (keys, collisions)
    }()
}

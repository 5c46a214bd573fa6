import Foundation

/// Countries to ISO 3166-1 alpha-2 (`United States`, `USA`, `U.S.` → `US`),
/// states and provinces of the US and Canada to their codes (`Calif.` → `CA`).
public enum GeographyNormalizer {
    public static func country(_ raw: String?) -> String? {
        guard let raw, !TextFolding.isPlaceholder(raw) else { return nil }
        let key = TextFolding.words(raw).joined(separator: " ")
        if let code = countries[key] { return code }
        let compact = key.replacingOccurrences(of: " ", with: "")
        return countries[compact]
    }

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

    /// English names of every ISO region (from the system's locale data),
    /// their codes, and the aliases CRM exports use.
    static let countries: [String: String] = {
        var table: [String: String] = [:]
        let english = Locale(identifier: "en_US")
        for region in Locale.Region.isoRegions where region.identifier.count == 2 && region.identifier.allSatisfy(\.isLetter) {
            let code = region.identifier.uppercased()
            table[code.lowercased()] = code
            if let name = english.localizedString(forRegionCode: code) {
                table[TextFolding.words(name).joined(separator: " ")] = code
            }
        }
        for (alias, code) in countryAliases { table[TextFolding.words(alias).joined(separator: " ")] = code }
        return table
    }()

    static let countryAliases: [String: String] = [
        "USA": "US", "U.S.": "US", "U.S.A.": "US", "United States of America": "US", "America": "US", "Estados Unidos": "US",
        "UK": "GB", "U.K.": "GB", "Great Britain": "GB", "Britain": "GB", "England": "GB", "Scotland": "GB", "Wales": "GB",
        "Northern Ireland": "GB", "GBR": "GB", "Deutschland": "DE", "DEU": "DE", "Germany, Federal Republic of": "DE",
        "FRA": "FR", "République française": "FR", "Holland": "NL", "The Netherlands": "NL", "Nederland": "NL", "NLD": "NL",
        "España": "ES", "ESP": "ES", "Italia": "IT", "ITA": "IT", "Schweiz": "CH", "Suisse": "CH", "Svizzera": "CH",
        "Österreich": "AT", "Belgique": "BE", "België": "BE", "Sverige": "SE", "Norge": "NO", "Danmark": "DK",
        "Suomi": "FI", "Polska": "PL", "Česko": "CZ", "Czech Republic": "CZ", "Brasil": "BR", "BRA": "BR", "México": "MX",
        "MEX": "MX", "CAN": "CA", "AUS": "AU", "Nippon": "JP", "JPN": "JP", "Korea": "KR", "Republic of Korea": "KR",
        "Korea, Republic of": "KR", "Russia": "RU", "Russian Federation": "RU", "UAE": "AE", "U.A.E.": "AE",
        "Ivory Coast": "CI", "Turkey": "TR", "Türkiye": "TR", "Viet Nam": "VN", "PRC": "CN", "China, People's Republic of": "CN",
        "Hong Kong SAR": "HK", "Taiwan, Province of China": "TW", "Republic of Ireland": "IE", "Eire": "IE",
        "India, Republic of": "IN", "IND": "IN", "Singapore, Republic of": "SG", "SGP": "SG", "KSA": "SA",
        "Macedonia": "MK", "Swaziland": "SZ", "Burma": "MM", "Cape Verde": "CV", "Czechoslovakia": "CZ",
    ]

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

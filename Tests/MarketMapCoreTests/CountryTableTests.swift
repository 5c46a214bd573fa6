@testable import MarketMapCore
import Testing

/// The generated ISO 3166-1 table (ops/gen-countries) behind
/// `GeographyNormalizer.country`: every code and name, CRM spellings, names in
/// other scripts, junk.
@Suite("Country table")
struct CountryTableTests {
    static func country(_ raw: String?) -> String? { GeographyNormalizer.country(raw) }

    @Test("249 countries, each alpha-2 and alpha-3 once")
    func size() {
        #expect(CountryTable.entries.count == 249)
        #expect(CountryTable.count == 249)
        #expect(Set(CountryTable.entries.map(\.alpha2)).count == 249)
        #expect(Set(CountryTable.entries.map(\.alpha3)).count == 249)
        #expect(CountryTable.entries.allSatisfy { $0.alpha2.count == 2 && $0.alpha3.count == 3 })
        #expect(CountryTable.entries.map(\.alpha2) == CountryTable.entries.map(\.alpha2).sorted())
        #expect(!CountryTable.isoCodesVersion.isEmpty)
    }

    @Test("no key is claimed by two countries once folded")
    func noCollisions() {
        #expect(CountryTable.index.collisions == [])
        #expect(GeographyNormalizer.countries.count > 5_000)
    }

    @Test("every alpha-2 code maps to itself, in any case")
    func alpha2() {
        for entry in CountryTable.entries {
            #expect(GeographyNormalizer.countries[entry.alpha2.lowercased()] == entry.alpha2)
            // `NA` (Namibia) is also what exports write for "not available": a placeholder wins.
            let expected = TextFolding.isPlaceholder(entry.alpha2) ? nil : entry.alpha2
            #expect(Self.country(entry.alpha2) == expected, "\(entry.alpha2)")
            #expect(Self.country(entry.alpha2.lowercased()) == expected, "\(entry.alpha2)")
        }
        #expect(Self.country("NA") == nil)
        #expect(Self.country("Namibia") == "NA")
        #expect(Self.country("NAM") == "NA")
    }

    @Test("every alpha-3 code maps to its alpha-2")
    func alpha3() {
        for entry in CountryTable.entries {
            #expect(Self.country(entry.alpha3) == entry.alpha2, "\(entry.alpha3)")
            #expect(Self.country(entry.alpha3.lowercased()) == entry.alpha2, "\(entry.alpha3)")
        }
    }

    @Test("every English, official and common name maps to its code")
    func isoNames() {
        for entry in CountryTable.entries {
            for name in [entry.name, entry.officialName, entry.commonName].compactMap({ $0 }) {
                #expect(Self.country(name) == entry.alpha2, "\(name)")
                #expect(Self.country(name.uppercased()) == entry.alpha2, "\(name)")
            }
        }
    }

    @Test("every name of the table maps to its code, and is idempotent")
    func allNames() {
        for entry in CountryTable.entries {
            for name in entry.allNames {
                #expect(Self.country(name) == entry.alpha2 || (TextFolding.isPlaceholder(name) && name == "NA"), "\(name)")
            }
        }
    }

    /// Written by hand from ISO 3166-1, not from the generated table.
    static let independent: [(String, String, String)] = [
        ("AE", "ARE", "United Arab Emirates"), ("AR", "ARG", "Argentina"), ("AT", "AUT", "Austria"), ("AU", "AUS", "Australia"),
        ("BE", "BEL", "Belgium"), ("BR", "BRA", "Brazil"), ("CA", "CAN", "Canada"), ("CH", "CHE", "Switzerland"),
        ("CL", "CHL", "Chile"), ("CN", "CHN", "China"), ("CO", "COL", "Colombia"), ("CZ", "CZE", "Czechia"),
        ("DE", "DEU", "Germany"), ("DK", "DNK", "Denmark"), ("EG", "EGY", "Egypt"), ("ES", "ESP", "Spain"),
        ("FI", "FIN", "Finland"), ("FR", "FRA", "France"), ("GB", "GBR", "United Kingdom"), ("GE", "GEO", "Georgia"),
        ("GR", "GRC", "Greece"), ("HK", "HKG", "Hong Kong"), ("HU", "HUN", "Hungary"), ("ID", "IDN", "Indonesia"),
        ("IE", "IRL", "Ireland"), ("IL", "ISR", "Israel"), ("IN", "IND", "India"), ("IT", "ITA", "Italy"),
        ("JE", "JEY", "Jersey"), ("JP", "JPN", "Japan"), ("KR", "KOR", "Korea, Republic of"), ("MX", "MEX", "Mexico"),
        ("MY", "MYS", "Malaysia"), ("NG", "NGA", "Nigeria"), ("NL", "NLD", "Netherlands"), ("NO", "NOR", "Norway"),
        ("NZ", "NZL", "New Zealand"), ("PH", "PHL", "Philippines"), ("PL", "POL", "Poland"), ("PT", "PRT", "Portugal"),
        ("RU", "RUS", "Russian Federation"), ("SA", "SAU", "Saudi Arabia"), ("SE", "SWE", "Sweden"), ("SG", "SGP", "Singapore"),
        ("TH", "THA", "Thailand"), ("TR", "TUR", "Türkiye"), ("TW", "TWN", "Taiwan, Province of China"), ("UA", "UKR", "Ukraine"),
        ("US", "USA", "United States"), ("VN", "VNM", "Viet Nam"), ("ZA", "ZAF", "South Africa"),
    ]

    @Test("the table agrees with an independent list", arguments: independent)
    func independentList(_ alpha2: String, _ alpha3: String, _ name: String) {
        let entry = CountryTable.entries.first { $0.alpha2 == alpha2 }
        #expect(entry?.alpha3 == alpha3)
        #expect(entry?.name == name)
        #expect(Self.country(alpha2) == alpha2)
        #expect(Self.country(alpha3) == alpha2)
        #expect(Self.country(name) == alpha2)
    }

    static let crmSpellings: [(String, String)] = [
        // Salesforce's country picklist.
        ("Korea, Republic of", "KR"), ("Iran, Islamic Republic of", "IR"), ("Taiwan", "TW"), ("Viet Nam", "VN"),
        ("Russian Federation", "RU"), ("Bolivia, Plurinational State of", "BO"),
        ("Macedonia, the former Yugoslav Republic of", "MK"), ("Congo, the Democratic Republic of the", "CD"),
        ("Tanzania, United Republic of", "TZ"), ("Venezuela, Bolivarian Republic of", "VE"),
        ("Micronesia, Federated States of", "FM"), ("Moldova, Republic of", "MD"), ("Palestine, State of", "PS"),
        ("Lao People's Democratic Republic", "LA"), ("Korea, Democratic People's Republic of", "KP"),
        ("Holy See (Vatican City State)", "VA"), ("Virgin Islands, British", "VG"), ("Virgin Islands, U.S.", "VI"),
        ("Cote d'Ivoire", "CI"), ("Curacao", "CW"), ("Aland Islands", "AX"), ("Reunion", "RE"), ("Saint Barthelemy", "BL"),
        // United States and United Kingdom.
        ("USA", "US"), ("U.S.", "US"), ("U.S.A.", "US"), ("United States of America", "US"), ("America", "US"),
        ("U. S. A.", "US"), ("UnitedStates", "US"), ("UK", "GB"), ("U.K.", "GB"), ("Great Britain", "GB"),
        ("England", "GB"), ("Scotland", "GB"), ("Wales", "GB"), ("Northern Ireland", "GB"),
        // China, Taiwan, Korea, Russia, Japan.
        ("P.R. China", "CN"), ("PRC", "CN"), ("People's Republic of China", "CN"), ("Mainland China", "CN"),
        ("China (Mainland)", "CN"), ("CHN", "CN"), ("中国", "CN"), ("中华人民共和国", "CN"), ("Taiwan, R.O.C.", "TW"),
        ("Republic of China", "TW"), ("R.O.C.", "TW"), ("ROC", "TW"), ("Chinese Taipei", "TW"), ("台湾", "TW"), ("臺灣", "TW"),
        ("S. Korea", "KR"), ("South Korea", "KR"), ("Republic of Korea", "KR"), ("Korea", "KR"), ("ROK", "KR"),
        ("대한민국", "KR"), ("한국", "KR"), ("N. Korea", "KP"), ("North Korea", "KP"), ("Russia", "RU"), ("Россия", "RU"),
        ("Российская Федерация", "RU"), ("Nihon", "JP"), ("Nippon", "JP"), ("日本", "JP"), ("JPN", "JP"),
        // Europe.
        ("Holland", "NL"), ("The Netherlands", "NL"), ("Nederland", "NL"), ("DEU", "DE"), ("Deutschland", "DE"),
        ("Deutschland, Bundesrepublik", "DE"), ("España", "ES"), ("Espana", "ES"), ("ESPAÑA", "ES"), ("Italia", "IT"),
        ("Polska", "PL"), ("Brasil", "BR"), ("Portugal", "PT"), ("Schweiz", "CH"), ("Suisse", "CH"), ("Svizzera", "CH"),
        ("Österreich", "AT"), ("Sverige", "SE"), ("Norge", "NO"), ("Danmark", "DK"),
        ("Suomi", "FI"), ("Česko", "CZ"), ("Czech Republic", "CZ"), ("Czechia", "CZ"), ("Magyarország", "HU"),
        ("România", "RO"), ("Ελλάδα", "GR"), ("Hellas", "GR"), ("België", "BE"), ("Belgique", "BE"), ("Lëtzebuerg", "LU"),
        ("Ísland", "IS"), ("Éire", "IE"), ("Eire", "IE"), ("Republic of Ireland", "IE"), ("France", "FR"),
        ("Macedonia", "MK"), ("North Macedonia", "MK"), ("Vatican", "VA"), ("Bosnia", "BA"),
        ("Türkiye", "TR"), ("Turkey", "TR"), ("Türkiye Cumhuriyeti", "TR"),
        // Elsewhere.
        ("ISR", "IL"), ("UAE", "AE"), ("U.A.E.", "AE"), ("Emirates", "AE"), ("KSA", "SA"), ("Ivory Coast", "CI"),
        ("Côte d’Ivoire", "CI"), ("Swaziland", "SZ"), ("Eswatini", "SZ"), ("Burma", "MM"), ("Cape Verde", "CV"),
        ("Cabo Verde", "CV"), ("Hong Kong SAR", "HK"), ("Hong Kong S.A.R.", "HK"), ("HongKong", "HK"), ("香港", "HK"),
        ("Macao SAR", "MO"), ("Macau", "MO"), ("Trinidad", "TT"), ("Trinidad & Tobago", "TT"), ("St. Lucia", "LC"),
        ("St Kitts", "KN"), ("DRC", "CD"), ("DR Congo", "CD"), ("Congo-Kinshasa", "CD"), ("Congo-Brazzaville", "CG"),
        ("Congo", "CG"), ("East Timor", "TL"), ("Timor-Leste", "TL"), ("México", "MX"), ("Mexico", "MX"), ("Bharat", "IN"),
        ("भारत", "IN"), ("Indonesia", "ID"), ("Pilipinas", "PH"), ("Việt Nam", "VN"), ("Vietnam", "VN"), ("ประเทศไทย", "TH"),
        ("Georgia", "GE"), ("GEO", "GE"), ("Jersey", "JE"), ("CA", "CA"), ("IN", "IN"), ("DE", "DE"), ("de", "DE"),
        ("Estados Unidos", "US"), ("Vereinigte Staaten", "US"), ("États-Unis", "US"), ("Allemagne", "DE"),
        ("Alemania", "DE"), ("Germania", "DE"), ("Duitsland", "DE"), ("Niemcy", "DE"), ("Tyskland", "DE"), ("ドイツ", "DE"),
        ("德国", "DE"), ("독일", "DE"), ("Германия", "DE"), ("Japon", "JP"), ("Japão", "JP"), ("Giappone", "JP"),
        ("  united kingdom  ", "GB"), ("UNITED STATES", "US"),
    ]

    @Test("CRM spellings", arguments: crmSpellings)
    func crm(_ input: String, _ expected: String) {
        #expect(Self.country(input) == expected, "\(input)")
    }

    @Test("idempotent: a code maps to itself", arguments: crmSpellings)
    func idempotent(_ input: String, _ expected: String) {
        let once = Self.country(input)
        #expect(Self.country(once) == once, "\(input)")
    }

    @Test("junk maps to nil", arguments: [
        "n/a", "N/A", "--", "-", "Unknown", "Earth", "123", "", "   ", "Narnia", "Europe", "Mars", "none", "?", "0",
        "Not Available", "Atlantis", "Country", "XX", "ZZZ",
    ])
    func junk(_ input: String) {
        #expect(Self.country(input) == nil, "\(input)")
    }
}

import MarketMapCore
import Testing

/// More evidence of the real-world classes: a legal form a domain spells, one
/// country's distinct legal entities, a country named in the name, a place typed
/// into the name on one record and into the city on the other, two slips of
/// the hand in a long word.
extension RealWorldMatchTests {
    static let twinsByDomain: [(String, String, String, String)] = [
        ("Omega Engineering Inc.", "Omega Engineering LLC", "omegaengineering-llc.com", "US"),
        ("Ambiq Inc.", "Ambiq LLC", "ambiq-llc.com", "US"), ("Mercury Systems Inc.", "Mercury Systems LLC", "mercurysystems-llc.com", "US"),
        ("Campio Communications Inc.", "Campio Communications LLC", "campio-llc.com", "US"),
        ("Halvex GmbH", "Halvex AG", "halvex-ag.de", "DE"), ("Nordlys AS", "Nordlys ASA", "nordlys-asa.no", "NO"),
        ("Quintar Oy", "Quintar Oyj", "quintaroyj.fi", "FI"), ("Brava SA", "Brava SAS", "brava-sas.fr", "FR"),
        ("Kessler Ltd", "Kessler PLC", "kesslerplc.co.uk", "GB"), ("Tamron K.K.", "Tamron G.K.", "tamron-gk.jp", "JP"),
    ]

    @Test("a twin whose domain spells its legal form is not the other form's record", arguments: twinsByDomain)
    func twinByDomain(_ withoutDomain: String, _ twin: String, _ site: String, _ country: String) {
        #expect(!together([record("1", withoutDomain, nil, country), record("2", twin, site, country)]), "\(withoutDomain) ~ \(twin)")
        // The same forms on a domain that does not spell one: one company typed two ways still joins where nothing else differs.
        #expect(together([record("1", twin, nil, country), record("2", twin, site, country)]), "\(twin) ~ \(twin)")
    }

    static let usTwins: [(String, String)] = [
        ("Vestis Inc.", "Vestis LLC"), ("ZeeVee Inc.", "ZeeVee LLC"), ("Frontier Technologies Inc.", "Frontier Technologies LLC"),
        ("MicroBee Systems Inc.", "MICROBEE SYSTEMS LLC"), ("Remec Broadband Wireless Inc.", "Remec Broadband Wireless LLC"),
        ("GRE America Inc.", "GRE America LLC"), ("Shake Shack Inc.", "Shake Shack LLC"), ("Valley Technologies Corp.", "Valley Technologies, L.L.C."),
    ]

    @Test("in the United States an Inc. and an LLC of one name are two companies; elsewhere one typed two ways", arguments: usTwins)
    func usTwin(_ inc: String, _ llc: String) {
        #expect(!together([record("1", inc, "example-inc.com", "US"), record("2", llc, nil, "US")]), "\(inc) ~ \(llc)")
        #expect(together([record("1", inc, "example-inc.com", "DE", city: "Berlin"), record("2", llc, nil, "DE", city: "Berlin")]), "\(inc) ~ \(llc) in DE")
    }

    static let countriesInNames: [(String, String?)] = [
        ("Allied Telesis (Hong Kong) Ltd.", "HK"), ("Telink Semiconductor Co., Ltd., Taiwan", "TW"), ("Acme GmbH - Deutschland", "DE"),
        ("Siemens (Schweiz) AG", "CH"), ("Tata Consultancy Services (India)", "IN"), ("Beyond Devices (Slovenia)", "SI"),
        ("Techno-Innov (France)", "FR"), ("OSRAM GmbH (Germany)", "DE"), ("Aethera Technologies (Canada)", "CA"),
        ("Soyo Group (Taiwan)", "TW"), ("eCopilot AB (Sweden)", "SE"), ("Tandberg Storage ASA (Norway)", "NO"),
        ("VeriFone Systems (China), Inc.", "CN"), ("Samsung SDS (Republic of Korea)", "KR"), ("Nokia Solutions - Suomi", "FI"),
        ("Tsubata Engineering Co., Ltd. (Head Office)", nil), ("Acme (IT)", nil), ("Acme Ltd - Luton", nil), ("Acme, Inc.", nil),
        ("Realfit (Shenzhen) Intelligent", nil), ("Acme (Germany) - France", nil),
    ]

    @Test("a country named in a name's qualifier", arguments: countriesInNames)
    func countryInName(_ name: String, _ country: String?) {
        #expect(CompanyNameNormalizer.qualifierCountry(name) == country, "\(name)")
    }

    @Test("a record without a country takes the one its name names: it joins that country's company, not another's")
    func blankCountryFromName() {
        let market = [
            record("1", "Umbrex (France)", nil, nil), record("2", "Umbrex SA", "umbrex.fr", "FR"), record("3", "Umbrex Inc", "umbrex.com", "US"),
        ]
        let joined = clusters(market).first { $0.members[key("crm", "1")] != nil }
        #expect(joined?.members.keys.sorted() == [key("crm", "1"), key("crm", "2")])
        #expect(joined?.reasons[key("crm", "1")]?.contains("one from the name") == true || joined?.reasons[key("crm", "2")]?.contains("one from the name") == true)
    }

    static let placeInName: [(String, String, String)] = [
        ("Booz Allen Hamilton Westborough", "Booz Allen Hamilton Incorporated", "Westborough"),
        ("Adetel Group S.A. Ecully", "Adetel", "Ecully"), ("Dialog Semiconductor Kirchheim", "Dialog Semiconductor GmbH", "Kirchheim"),
        ("Kontron AG Augsburg", "Kontron", "Augsburg"), ("Vrufi Networks LLC West Chester", "Vrufi Networks", "West Chester"),
        ("Elteco A.S. Zilina", "Elteco", "Zilina"),
    ]

    @Test("a place typed into the name of one record and into the city of the other", arguments: placeInName)
    func placeInName(_ named: String, _ other: String, _ city: String) {
        #expect(together([record("1", named, nil, "US"), record("2", other, "example.com", "US", city: city)]), "\(named) ~ \(other) in \(city)")
        // The same words with no city to explain them are another company's name.
        #expect(!together([record("1", named, nil, "US"), record("2", other, "example.com", "US", city: "Springfield")]), "\(named) ~ \(other)")
    }

    static let twoSlips: [(String, String)] = [
        ("Rush Ennterpprises", "Rush Enterprises"), ("Kalvex Commmunicatioons", "Kalvex Communications"),
        ("Norvane Innstrumentts", "Norvane Instruments"), ("Tsubata Engineering CCo., Ltd.", "Tsubata Engineering Co., Ltd."),
        ("Quorix Intelligecne Systems", "Quorix Intelligence Systems"),
    ]

    @Test("two slips of the hand in a long word, and a legal form with its first letter doubled", arguments: twoSlips)
    func twoSlips(_ typed: String, _ right: String) {
        #expect(together([record("1", typed, nil, "US"), record("2", right, "example.com", "US")]), "\(typed) ~ \(right)")
    }

    @Test("two letters replaced, or two slips in a short word, are another name")
    func twoSlipsApart() {
        #expect(!together([record("1", "Rush Entarprices", nil, "US"), record("2", "Rush Enterprises", "rush.com", "US")]))
        #expect(!together([record("1", "Kalvex Moodax", nil, "US"), record("2", "Kalvex Modaxx", "kalvex.com", "US")]))
    }

    static let alternateDomainLabels: [(String, String, String, String, String)] = [
        ("Rogers Corporation", "rogerscorp.com", "ROGERS CORPORATION", "rogers.com", "US"),
        ("Expeditors International", "expeditorscorp.com", "Expeditors International", "expeditors.com", "US"),
        ("LANCOM Systems GmbH", "lancominc.com", "LANCOM SYSTEMS GMBH", "lancom.de", "DE"),
        ("Burberry Ltd.", "burberryinc.com", "Burberry", "burberry.com", "GB"),
        ("Beijing Vorx Telecommunications Co., Ltd.", "vorx.com.cn", "Beijing Vorx Telecommunications Co., Ltd.", "getvorx.com", "CN"),
        ("Hangzhou Sunrise Technology Co., Ltd.", "sunrise.com.cn", "Hangzhou Sunrise Technology Company Limited", "getsunrise.com", "CN"),
        ("Weigao Nikkiso Dialysis Equipment Co.,Ltd", "weigaonikkisodialysisequi.com", "WEIGAO NIKKISO DIALYSIS EQUIPMENT CO.,LTD", "weigao.com", "CN"),
        ("Avista", "myavistausa.com", "Avista", "myavista.com", "US"),
    ]

    @Test("alternate domains: `inc` or `corp` in a label, a leading city word left out, a long name cut short, a prefix and a suffix",
          arguments: alternateDomainLabels)
    func alternateLabels(_ first: String, _ firstSite: String, _ second: String, _ secondSite: String, _ country: String) {
        let records = [record("1", first, firstSite, country), record("2", second, secondSite, country)]
        // A market where Beijing and Hangzhou begin many names, as they do in a real CRM.
        let cities = (0..<60).flatMap { ["beijing kx\($0) electronics", "hangzhou qz\($0) technology"] }
        #expect(together(records, frequencies: TermFrequencies(Self.market + cities + records.compactMap(\.name))), "\(firstSite) ~ \(secondSite)")
    }

    @Test("alternate domains still keep US twins apart: an LLC's name never fits an `inc` label")
    func alternateLabelsApart() {
        #expect(!together([record("1", "Acme Widgets LLC", "acmewidgetsinc.com", "US"), record("2", "Acme Widgets LLC", "acmewidgets.com", "US")]))
        #expect(!together([record("1", "Acme Widgets Inc.", "acmewidgetsinc.com", "US"), record("2", "Acme Widgets LLC", "acmewidgets-llc.com", "US")]))
        #expect(!together([record("1", "Nikkiso", "nikk.com", "JP"), record("2", "Nikkiso", "nikkiso.co.jp", "JP")]))
    }

    @Test("`Co., Ltd.` is one compound legal form, of the family of `Company Limited` and `Co Ltd`")
    func compoundForm() {
        for name in ["Hangzhou Sunrise Technology Co., Ltd.", "Hangzhou Sunrise Technology Company Limited", "Hangzhou Sunrise Technology Co Ltd",
                     "Hangzhou Sunrise Technology CoLtd"] {
            #expect(CompanyNameNormalizer.legalFamily(name) == "limited", "\(name)")
            #expect(CompanyNameNormalizer.normalize(name) == "hangzhou sunrise technology", "\(name)")
        }
        #expect(CompanyNameNormalizer.normalize("Acme GmbH, Berlin") == "acme")
    }
}

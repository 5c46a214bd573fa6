import MarketMapCore
import Testing

/// Evidence beyond the name: a shared phone number or postcode lets typos on
/// both sides join (never a word more, never legal-form twins), postcodes that
/// differ keep near names apart, one phone number links two domains of one
/// company; and the keys of phone numbers and postcodes, of many countries.
extension RealWorldMatchTests {
    static let phones: [(String, String?)] = [
        ("+1 (415) 555-0134", "55550134"), ("(415) 555-0134", "55550134"), ("415.555.0134", "55550134"),
        ("+1 415 555 0134 x204", "55550134"), ("+1 (415) 555-0134 ext. 12", "55550134"), ("1-415-555-0134", "55550134"),
        ("+49 89 2019 4471", "20194471"), ("089 2019 4471", "20194471"), ("0049 (0)89 2019 4471", "20194471"),
        ("+44 20 7946 0958", "79460958"), ("020 7946 0958", "79460958"), ("+81 3-3211-4488", "32114488"), ("03-3211-4488", "32114488"),
        ("+33 1 42 68 53 00", "42685300"), ("01 42 68 53 00", "42685300"), ("+86 755 8678 1234", "86781234"),
        ("+91 22 6619 8700", "66198700"), ("+55 (11) 3047-2290", "30472290"), ("+61 2 9250 7111", "92507111"),
        ("+82 2-2255-0114", "22550114"), ("+7 495 739-70-00", "57397000"),
        ("000-000-0000", nil), ("123-456-7890", nil), ("99999999", nil), ("555-1234", nil), ("n/a", nil), ("", nil),
    ]

    @Test("a phone number's key: its last eight digits, without the extension; placeholders and short numbers have none", arguments: phones)
    func phoneKey(_ raw: String, _ key: String?) {
        #expect(ContactPoints.phoneKey(raw) == key, "\(raw)")
    }

    static let postcodes: [(String, String?, String?)] = [
        ("SW1A 1AA", "GB", "SW1A1AA"), ("sw1a1aa", "GB", "SW1A1AA"), ("01067", "DE", "1067"), ("1067", "DE", "1067"),
        ("94105-1234", "US", "94105"), ("941051234", "US", "94105"), ("02134", "US", "2134"), ("75008", "FR", "75008"),
        ("100-0005", "JP", "1000005"), ("H3B 4W8", "CA", "H3B4W8"), ("1012 AB", "NL", "1012AB"), ("00-950", "PL", "950"),
        ("518057", "CN", "518057"), ("04538-132", "BR", "4538132"), ("N/A", "US", nil), ("00000", "US", nil), ("12", "US", nil),
    ]

    @Test("a postcode's key: upper case, no spaces or dashes, no leading zeros; a US ZIP+4 as its ZIP", arguments: postcodes)
    func postcodeKey(_ raw: String, _ country: String?, _ key: String?) {
        #expect(ContactPoints.postcodeKey(raw, country: country) == key, "\(raw)")
    }

    func record(_ id: String, _ name: String, _ website: String?, _ country: String?, phone: String?, postcode: String? = nil, city: String? = nil)
        -> MatchRecord
    {
        var record = record(id, name, website, country, city: city)
        record.phone = ContactPoints.phoneKey(phone)
        record.postcode = ContactPoints.postcodeKey(postcode, country: record.country)
        return record
    }

    /// Two records of one company, each mistyped: apart on the name alone, one with a shared phone number.
    static let mistypedTwice: [(String, String, String)] = [
        ("Quasar ipta Mandiri, PT", "Quasar Cipta Mandiri, PT", "ID"), ("Autononous Inc", "Autonomous Solutions, Inc", "US"),
        ("Van Breeda", "Van Bredda B.V.", "NL"), ("Geifols", "grifols", "ES"),
    ]

    @Test("typos on both sides join where both records have one phone number", arguments: mistypedTwice)
    func sharedPhone(_ left: String, _ right: String, _ country: String) {
        let phone = "+1 (415) 555-0134"
        #expect(!together([record("1", left, nil, country), record("2", right, nil, country)]), "\(left) ~ \(right) on the name alone")
        #expect(!together([record("1", left, nil, country, phone: phone), record("2", right, nil, country, phone: "+1 (415) 555-0199")]))
        #expect(together([record("1", left, nil, country, phone: phone), record("2", right, nil, country, phone: phone)]), "\(left) ~ \(right)")
        let joined = clusters([record("1", left, nil, country, phone: phone), record("2", right, nil, country, phone: phone)])
        #expect(joined.first?.reasons.values.contains { $0.contains("phone agrees") } == true)
    }

    @Test("a shared phone number never joins a word more (a subsidiary), legal-form twins, or another country")
    func sharedPhoneApart() {
        let phone = "+49 89 2019 4471"
        for (left, right, country) in [
            ("Siemens Healthineers", "Siemens", "DE"), ("Acme Energy", "Acme", "US"), ("Halvex GmbH", "Halvex AG", "DE"),
            ("Omega Engineering Inc.", "Omega Engineering LLC", "US"), ("Kessler Ltd", "Kessler PLC", "GB"),
        ] {
            #expect(!together([record("1", left, nil, country, phone: phone), record("2", right, nil, country, phone: phone)]), "\(left) ~ \(right)")
        }
        #expect(!together([record("1", "Geifols", nil, "ES", phone: phone), record("2", "grifols", nil, "PT", phone: phone)]))
    }

    /// Near names of one company: apart on the name alone, joined with one postcode.
    static let nearByPostcode: [(String, String, String)] = [
        ("Geifols", "grifols", "ES"),
    ]

    @Test("a shared postcode lets a near name join, unless the cities differ", arguments: nearByPostcode)
    func sharedPostcode(_ left: String, _ right: String, _ country: String) {
        #expect(!together([record("1", left, nil, country), record("2", right, nil, country)]), "\(left) ~ \(right) on the name alone")
        #expect(together([record("1", left, nil, country, phone: nil, postcode: "4011"), record("2", right, nil, country, phone: nil, postcode: "04011")]),
            "\(left) ~ \(right)")
        #expect(!together([
            record("1", left, nil, country, phone: nil, postcode: "4011", city: "Lyon"), record("2", right, nil, country, phone: nil, postcode: "4011", city: "Nice"),
        ]))
    }

    @Test("postcodes that differ keep near names apart")
    func differentPostcodes() {
        let hydro = record("1", "Hydro Systems Company", nil, "US", phone: nil)
        let hydrro = record("2", "Hydrro Sytems Company", nil, "US", phone: nil)
        #expect(together([hydro, hydrro]), "near names join on the name alone")
        var (left, right) = (hydro, hydrro)
        (left.postcode, right.postcode) = ("45202", "45240")
        #expect(!together([left, right]))
    }

    @Test("one phone number links two domains of one company whose labels do not fit the name; without it they stay apart", arguments: [
        ("Electronic Arts", "https://www.ea.com/", "eainc.com", "US"), ("Nivis LLC", "http://nivis.net", "www.niviscorp.com", "US"),
        ("Powell Industries", "https://corporate.powellindusa.com", "https://us.powellind.com", "US"),
    ])
    func alternateByPhone(_ name: String, _ first: String, _ second: String, _ country: String) {
        let phone = "+1 525 341 2292"
        #expect(!together([record("1", name, first, country), record("2", name, second, country)]))
        #expect(together([record("1", name, first, country, phone: phone), record("2", name, second, country, phone: "525-341-2292")]))
        #expect(!together([record("1", name, first, country, phone: phone), record("2", name, second, "CA", phone: phone)]))
    }

    @Test("a city without the word for city or prefecture", arguments: [
        ("Osaka-shi", "osaka"), ("Hsinchu City", "hsinchu"), ("Tokyo-to", "tokyo"), ("Seoul-si", "seoul"), ("Kyoto-fu", "kyoto"),
        ("Taipei", "taipei"), ("City", "city"), ("Frankfurt am Main", "frankfurt am main"),
    ])
    func citySuffix(_ raw: String, _ folded: String) {
        #expect(MatchRecord.foldedCity(raw) == folded)
    }

    @Test("two legal forms one law keeps apart, typed one after the other, are no legal form; a mistyped GmbH is a GmbH")
    func stackedAndMistypedForms() {
        #expect(CompanyNameNormalizer.legalFamily("Nuove Tecnologie srl SpA") == nil)
        #expect(CompanyNameNormalizer.legalFamily("SysAware S.A.R.L. SA") == nil)
        #expect(CompanyNameNormalizer.legalFamily("Nuove Tecnologie SpA") == "spa")
        #expect(together([record("1", "Nuove Tecnologie srl SpA", nil, "IT", city: "Milan"), record("2", "Nuove Tecnologie srl", nil, "IT", city: "Milan")]))
        for (typo, right) in [("Eltako GbH", "Eltako GmbH"), ("AutarcTech FmbH", "AutarcTech GmbH"), ("Comtel Electronics GmvH", "Comtel Electronics GmbH"), ("Cubix Crp.", "Cubix Corp.")] {
            #expect(CompanyNameNormalizer.normalize(typo) == CompanyNameNormalizer.normalize(right), "\(typo)")
        }
    }
}

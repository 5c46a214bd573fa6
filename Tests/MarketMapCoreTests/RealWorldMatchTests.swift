import Enrichment
import MarketMapCore
import Testing

/// The classes of real-world dedupe errors (issue: dedupe that holds on real
/// company data), each with real examples of many countries.
@Suite("Dedupe on real-world data")
struct RealWorldMatchTests {
    let domains = DomainNormalizer(resolver: LibPSLResolver.shared)

    func key(_ source: String, _ id: String) -> RecordKey { RecordKey(source: source, sourceID: id) }

    /// One record per (name, website, country), normalized as the import does.
    func record(_ id: String, _ name: String?, _ website: String?, _ country: String?, city: String? = nil) -> MatchRecord {
        let domain = domains.normalize(website)
        return MatchRecord(
            key: key("crm", id), name: CompanyNameNormalizer.normalize(name), domain: domain?.isIdentity == true ? domain?.registrable : nil,
            country: GeographyNormalizer.country(country), city: city.flatMap(MatchRecord.foldedCity),
            platformTenant: domain?.isPlatformTenant ?? false, rawName: name)
    }

    /// Word frequencies of a market of 2,000 companies in which trade and
    /// descriptor words are common and each company's own word is rare, as
    /// in a real CRM; plus the names of the records compared.
    static let market: [String] = {
        let trades = ["systems", "technology", "group", "holdings", "services", "solutions", "international", "bank", "national",
                      "first", "trading", "global", "electronics", "industries", "software", "consulting", "partners", "energy"]
        return (0..<2_000).map { "firm\($0) \(trades[$0 % trades.count])" + ($0 % 3 == 0 ? " \(trades[($0 / 3) % trades.count])" : "") }
    }()

    func frequencies(_ records: [MatchRecord]) -> TermFrequencies {
        TermFrequencies(Self.market + records.compactMap(\.name))
    }

    func together(_ records: [MatchRecord], frequencies given: TermFrequencies? = nil) -> Bool {
        AccountClustering.cluster(records, frequencies: given ?? frequencies(records)).count == 1
    }

    func clusters(_ records: [MatchRecord]) -> [AccountCluster] {
        AccountClustering.cluster(records, frequencies: frequencies(records))
    }

    // MARK: 1. Hosting platforms

    static let tenants: [(String, String)] = [
        ("https://acme.wordpress.com/", "acme.wordpress.com"), ("acme.weebly.com", "acme.weebly.com"),
        ("https://acme-studio.webflow.io/about", "acme-studio.webflow.io"),
        ("acme-plumbing.business.site", "acme-plumbing.business.site"),
        ("https://sites.google.com/view/acme-consulting/home", "sites.google.com/view/acme-consulting"),
        ("https://sites.google.com/site/acmebakery", "sites.google.com/site/acmebakery"),
        ("https://jane123.wixsite.com/acme", "jane123.wixsite.com"), ("acme-store.myshopify.com", "acme-store.myshopify.com"),
        ("acme.squarespace.com", "acme.squarespace.com"), ("acme.notion.site", "acme.notion.site"),
        ("https://linktr.ee/acmecoffee", "linktr.ee/acmecoffee"), ("acme.carrd.co", "acme.carrd.co"),
        ("acme-labs.github.io/docs", "acme-labs.github.io"), ("acmeblog.blogspot.co.uk", "acmeblog.blogspot.co.uk"),
        ("https://www.linkedin.com/company/acme-gmbh/about/", "linkedin.com/company/acme-gmbh"),
        ("https://de.linkedin.com/company/acme-gmbh", "linkedin.com/company/acme-gmbh"),
        ("https://www.facebook.com/AcmeBakery/", "facebook.com/acmebakery"),
        ("https://m.facebook.com/pages/Acme-Bakery/123456", "facebook.com/pages/acme-bakery"),
        ("acme.godaddysites.com", "acme.godaddysites.com"), ("acme.netlify.app", "acme.netlify.app"),
        ("acme-api.herokuapp.com", "acme-api.herokuapp.com"), ("https://acme.vercel.app/", "acme.vercel.app"),
        ("https://www.instagram.com/acme.bakery/", "instagram.com/acme.bakery"),
        ("https://www.youtube.com/@AcmeTV", "youtube.com/acmetv"), ("https://www.xing.com/pages/acme-ag", "xing.com/pages/acme-ag"),
        ("shop.acme.myshopify.com", "acme.myshopify.com"),
    ]

    @Test("a hosting platform's tenant is the identity, never the platform", arguments: tenants)
    func tenant(_ website: String, _ identity: String) {
        let domain = domains.normalize(website)
        #expect(domain?.registrable == identity, "\(website)")
        #expect(domain?.isIdentity == true && domain?.isPlatformTenant == true, "\(website)")
        #expect(HostingPlatforms().isTenant(identity), "\(identity)")
    }

    @Test("a platform address without a tenant is no identity; a company's own site on a platform's domain is", arguments: [
        ("wordpress.com", false), ("https://www.linkedin.com/in/jane-doe", false), ("https://sites.google.com/", false),
        ("https://www.facebook.com/profile.php?id=1000", false), ("bit.ly/3xYz", false), ("myshopify.com", false),
        ("https://www.linkedin.com/", false), ("acme.com", true), ("https://github.com", true), ("google.com", true),
        ("https://www.shopify.com/pricing", true),
    ])
    func noTenant(_ website: String, _ identity: Bool) {
        let domain = domains.normalize(website)
        #expect(domain?.isIdentity == identity, "\(website)")
        #expect(domain?.isPlatformTenant != true, "\(website)")
    }

    @Test("companies on one platform stay apart; one company's tenant pages join it")
    func platformCompanies() {
        let records = [
            record("1", "Acme Bakery", "acme-bakery.wordpress.com", "US"), record("2", "Globex Plumbing", "globex.wordpress.com", "US"),
            record("3", "Initech", "https://sites.google.com/view/initech", "US"), record("4", "Hooli", "https://sites.google.com/view/hooli", "US"),
            record("5", "Acme Bakery", "acme-bakery.wordpress.com", "US"), record("6", "Initech LLC", nil, "US"),
        ]
        let partition = Set(clusters(records).map { Set($0.members.keys.map(\.sourceID)) })
        #expect(partition == [["1", "5"], ["2"], ["3", "6"], ["4"]])
    }

    @Test("property: adding a hosting-platform record never joins two existing clusters")
    func platformNeverBridges() {
        var random = SeededRandom(seed: 2026)
        let names = ["acme", "acme bakery", "acmee", "globex", "initech", "initech systems", "umbrella", "umbrela", "hooli"]
        let owned: [String?] = ["acme.com", "globex.com", "initech.com", "umbrella.co.uk", nil, nil, nil]
        let pages = ["acme.wordpress.com", "acme.weebly.com", "sites.google.com/view/acme", "linkedin.com/company/globex", "hooli.wixsite.com"]
        func pick<T>(_ values: [T]) -> T { values[Int.random(in: 0..<values.count, using: &random)] }
        var bridged = 0
        for _ in 0..<300 {
            var records = (0..<Int.random(in: 2...16, using: &random)).map { index -> MatchRecord in
                let page = Int.random(in: 0..<5, using: &random) == 0
                return MatchRecord(
                    key: key("s", String(index)), name: pick(names), domain: page ? pick(pages) : pick(owned), country: pick(["US", "GB", nil]),
                    platformTenant: page)
            }
            let frequencies = AccountClustering.termFrequencies(records)
            let before = AccountClustering.cluster(records, frequencies: frequencies)
            var old: [RecordKey: RecordKey] = [:]
            for cluster in before { for member in cluster.members.keys { old[member] = cluster.anchor } }
            records.append(MatchRecord(
                key: key("p", "new"), name: pick(names), domain: pick(pages), country: pick(["US", "GB", nil]), platformTenant: true))
            for cluster in AccountClustering.cluster(records, frequencies: frequencies) {
                let anchors = Set(cluster.members.keys.compactMap { old[$0] })
                if anchors.count > 1 { bridged += 1 }
                #expect(anchors.count <= 1, "the page joined \(anchors): \(records.map { "\($0.key) \($0.name ?? "-") \($0.domain ?? "-") \($0.country ?? "-") \($0.platformTenant)" })")
            }
        }
        #expect(bridged == 0)
    }

    // MARK: 2. Countries: CountryTableTests.

    // MARK: 3. A blank country on one side

    static let blankCountry: [(String, String?, String, String?, String)] = [
        ("Xsight Labs", nil, "Xsight Labs Ltd", "xsightlabs.com", "IL"), ("Zoltek Corp", "zoltek.com", "Zoltek", nil, "US"),
        ("Rheinmetall AG", nil, "Rheinmetall", "rheinmetall.com", "DE"), ("Temenos AG", "temenos.com", "Temenos", nil, "CH"),
        ("Keyence Corporation", nil, "Keyence", "keyence.co.jp", "JP"), ("Sartorius AG", nil, "Sartorius", nil, "DE"),
        ("Wärtsilä Oyj", nil, "Wartsila", "wartsila.com", "FI"), ("Hexagon AB", "hexagon.com", "Hexagon", nil, "SE"),
        ("Ferrovial S.A.", nil, "Ferrovial", "ferrovial.com", "ES"), ("Umicore", nil, "Umicore SA", "umicore.com", "BE"),
        ("Kuehne + Nagel", nil, "Kuehne Nagel", "kuehne-nagel.com", "CH"), ("Advantest Corp", nil, "Advantest", nil, "JP"),
        ("Prysmian S.p.A.", nil, "Prysmian", "prysmian.com", "IT"), ("Genmab A/S", nil, "Genmab", "genmab.com", "DK"),
        ("Infineon Technologies", nil, "Infineon", "infineon.com", "DE"), ("Sodexo", "sodexo.com", "Sodexo SA", nil, "FR"),
        ("Atlassian Pty Ltd", nil, "Atlassian", "atlassian.com", "AU"), ("Shopee Pte Ltd", nil, "Shopee", nil, "SG"),
        ("Naspers Limited", nil, "Naspers", "naspers.com", "ZA"), ("Embraer S.A.", nil, "Embraer", "embraer.com", "BR"),
    ]

    @Test("a blank country on one side joins identical distinctive names", arguments: blankCountry)
    func blank(_ first: String, _ firstSite: String?, _ second: String, _ secondSite: String?, _ country: String) {
        #expect(together([record("1", first, firstSite, nil, city: "Hometown"), record("2", second, secondSite, country, city: "Hometown")]),
                "\(first) ~ \(second)")
    }

    @Test("a blank country stays apart when the name is in two countries, when both are blank, or when the name is common")
    func blankAmbiguous() {
        let twoCountries = clusters([
            record("1", "Vodafone", nil, nil), record("2", "Vodafone GmbH", "vodafone.de", "DE"), record("3", "Vodafone Ltd", "vodafone.co.uk", "GB"),
        ])
        #expect(twoCountries.count == 3)
        #expect(!together([record("1", "Initrode", nil, nil, city: "Leeds"), record("2", "Initrode", nil, nil, city: "Perth")]))
        let common = (0..<40).map { record("c\($0)", "Global Trading \($0 % 2 == 0 ? "Co" : "LLC")", nil, $0 % 2 == 0 ? "US" : "GB") }
        let market = common + [record("x", "Global Trading", nil, nil)]
        #expect(clusters(market).first { $0.members[key("crm", "x")] != nil }?.members.count == 1)
    }

    @Test("a blank country joins despite a typo in the first word, on both sides without a city to differ, and where the city picks one country")
    func blankCountryEvidence() {
        // One typo in the first word: the prefix and suffix blocks find the pair.
        for (blank, other, country) in [
            ("Mobultex Data Ltd.", "Mobiltex Data Ltd.", "CA"), ("Biwvae Technologies, Inc.", "Biwave Technologies Corporation", "TW"),
            ("Kuaiyeu Technologies Ltd", "Kuaiyue Technologies Ltd", "CN"), ("Tsubata Egnineering Co., Ltd.", "Tsubata Engineering Co., Ltd.", "JP"),
        ] {
            #expect(together([record("1", blank, nil, nil, city: "Springfield"), record("2", other, nil, country, city: "Springfield")]), "\(blank) ~ \(other)")
        }
        // Both blank: identical distinctive names join unless their cities differ.
        #expect(together([record("1", "Hangzhou Kuaiyue Technologies, Ltd.", nil, nil), record("2", "HANGZHOU KUAIYUE TECHNOLOGIES, LTD.", nil, nil)]))
        #expect(together([record("1", "Kingtel Telecommunication Corp.", nil, nil), record("2", "Kingtel Telecommunication Corp.", nil, nil, city: "Taipei")]))
        // A name in two countries: the one whose city agrees.
        let abb = clusters([
            record("1", "ABB S.p.A.", nil, nil, city: "Milano"), record("2", "ABB S.p.A.", "abb.it", "IT", city: "Milano"),
            record("3", "ABB AG", "abb.de", "DE", city: "Mannheim"),
        ])
        #expect(abb.first { $0.members[key("crm", "1")] != nil }?.members.keys.sorted() == [key("crm", "1"), key("crm", "2")])
        // Both cities agreeing with two countries is still ambiguous.
        #expect(clusters([
            record("1", "Umbrex", nil, nil, city: "Paris"), record("2", "Umbrex SA", "umbrex.fr", "FR", city: "Paris"),
            record("3", "Umbrex Inc", "umbrex.com", "US", city: "Paris"),
        ]).count == 3)
    }

    // MARK: 4. Alternate domains

    static let alternateDomains: [(String, String, String, String, String)] = [
        ("Siemens AG", "siemens.de", "Siemens", "siemens.com", "DE"), ("Keio Corporation", "keio.co.jp", "Keio Corp", "keio.com", "JP"),
        ("NetScout Systems, Inc", "netscout.com", "NetScout Systems", "netscoutsystems.com", "US"),
        ("Robert Bosch GmbH", "bosch.de", "Robert Bosch", "bosch.com", "DE"), ("Henkel AG & Co. KGaA", "henkel.de", "Henkel", "henkel.com", "DE"),
        ("SAP SE", "sap.de", "SAP", "sap.com", "DE"), ("Nestlé S.A.", "nestle.ch", "Nestle", "nestle.com", "CH"),
        ("Toyota Motor Corporation", "toyota.co.jp", "Toyota Motor", "toyota-global.com", "JP"),
        ("Carrefour SA", "carrefour.fr", "Carrefour", "carrefour.com", "FR"), ("Iberdrola S.A.", "iberdrola.es", "Iberdrola", "iberdrola.com", "ES"),
        ("Enel S.p.A.", "enel.it", "Enel", "enel.com", "IT"), ("Ericsson AB", "ericsson.se", "Ericsson", "ericsson.com", "SE"),
        ("Philips N.V.", "philips.nl", "Philips", "philips.com", "NL"), ("Novartis AG", "novartis.ch", "Novartis", "novartis.com", "CH"),
        ("Samsung Electronics Co., Ltd.", "samsung.co.kr", "Samsung Electronics", "samsung.com", "KR"), ("Jorell Labs", "jorell.net", "Jorell Laboratories Inc", "jorell.com", "US"),
        ("Infosys Limited", "infosys.co.in", "Infosys", "infosys.com", "IN"), ("Telstra Corporation", "telstra.com.au", "Telstra", "telstra.com", "AU"),
        ("Shopify Inc", "shopify.ca", "Shopify", "shopify.com", "CA"), ("Natura &Co", "natura.com.br", "Natura", "natura.net", "BR"),
        ("Wolters Kluwer N.V.", "wolterskluwer.nl", "Wolters Kluwer", "wolterskluwer.com", "NL"),
        ("Kone Oyj", "kone.fi", "KONE", "kone.com", "FI"),
    ]

    @Test("two domains of one company join on the same name, country and a label that is the name", arguments: alternateDomains)
    func alternate(_ first: String, _ firstSite: String, _ second: String, _ secondSite: String, _ country: String) {
        let result = clusters([record("1", first, firstSite, country), record("2", second, secondSite, country)])
        #expect(result.count == 1, "\(firstSite) ~ \(secondSite)")
        #expect(result.first?.members.values.contains(.altDomain) == true)
        #expect(result.first?.reasons.values.contains { $0.hasPrefix("alternate domains") } == true)
    }

    @Test("alternate domains never join another country, a legal-form twin, a subsidiary, a branch, or a chain past the limit")
    func alternateApart() {
        #expect(!together([record("1", "Vodafone GmbH", "vodafone.de", "DE"), record("2", "Vodafone Limited", "vodafone.co.uk", "GB")]))
        #expect(!together([record("1", "Acme GmbH", "acme.de", "DE"), record("2", "Acme AG", "acme-ag.de", "DE")]))
        #expect(!together([record("1", "Jorell", "jorell.com", "US"), record("2", "Jorell Labs", "jorell.net", "US")]))
        #expect(!together([record("1", "Talvex", "talvexhq.io", "GB"), record("2", "Talvex Systems", "talvexgroup.com", "GB")]))
        #expect(!together([record("1", "Siemens Healthineers AG", "siemens-healthineers.com", "DE"), record("2", "Siemens AG", "siemens.com", "DE")]))
        #expect(!together([record("1", "Allianz Global Investors", "allianzgi.com", "DE"), record("2", "Allianz SE", "allianz.com", "DE")]))
        #expect(!together([record("1", "Acme", "acme.com", "US", city: "Boston"), record("2", "Acme", "acme.net", "US", city: "Denver")]))
        var branch = record("2", "Initech", "initech.net", "US")
        branch.preventOverride = true
        #expect(!together([record("1", "Initech", "initech.com", "US"), branch]))
        let chain = ["acme.com", "acme.net", "acme.org", "acme.io", "acme.us"].enumerated().map { record(String($0), "Acme", $1, "US") }
        #expect(clusters(chain).allSatisfy { $0.members.count <= MatchSettings().maxDomainsPerAccount })
        #expect(clusters(chain).count == 2)
        let edges = AccountClustering.candidates(chain, frequencies: frequencies(chain))
        #expect(AccountClustering.resolution(chain, edges: edges).refused.isEmpty == false)
    }

    // MARK: 5. Names as CRM users type them

    static let typedNames: [(String, String)] = [
        ("Quest Software, Ic.", "Quest Software Inc"), ("XTrillion, Ibc.", "XTrillion, Inc."), ("Sejin Electron, In.", "SEJIN ELECTRON, INC."),
        ("Acme Hldgs", "Acme Holdings"), ("Acme Mfg Co", "Acme Manufacturing Company"), ("Acme Intl", "Acme International"),
        ("Acme Tech", "Acme Technologies"), ("Acme Sys", "Acme Systems"), ("Acme Svcs", "Acme Services"),
        ("Acme Labs", "Acme Laboratories"), ("Cisco Systems, Inc", "Cisco"), ("Acme Ltd - Luton", "Acme Limited"),
        ("Acme (Germany)", "Acme GmbH"), ("Acme GmbH, Berlin", "Acme"), ("Hon Hai Precision Ind. Co., Ltd.", "Hon Hai Precision Industry Co Ltd"),
        ("Petronas Sdn Bhd", "Petronas"), ("Infosys Pvt Ltd", "Infosys Private Limited"), ("Asseco Sp. z o.o.", "Asseco"),
        ("Grupo Bimbo S.A. de C.V.", "Grupo Bimbo"), ("Kabushiki Kaisha Toshiba", "Toshiba Corp"), ("Maersk A/S", "Maersk"),
        ("Nokia Oyj", "Nokia"), ("Nestlé S.A.", "Nestle"), ("Müller GmbH", "Mueller"), ("Søren Andersen ApS", "Soren Andersen"),
        ("Umbrela Corp", "Umbrella Corporation"), ("PT Astra International Tbk", "Astra International"),
        ("Volvo AB (publ)", "AB Volvo"), ("OOO Yandex", "Yandex LLC"), ("Deutsche Börse AG", "Deutsche Boerse"),
        ("Schneider Electric SE", "Schneider Electric"), ("Telefonaktiebolaget LM Ericsson", "Telefonaktiebolaget L.M. Ericsson"),
        ("Banco Santander, S.A.", "Banco Santander"), ("Tata Consultancy Svcs", "Tata Consultancy Services Ltd"),
        ("Procter & Gamble", "Procter and Gamble Co"), ("Zalando SE", "ZALANDO"), ("Adyen N.V.", "Adyen"),
        ("Rakuten Group, Inc.", "Rakuten"), ("Xiaomi Corp.", "Xiaomi Corporation"), ("Sika AG", "SIKA"),
        ("August Home, Inc., San Francisco", "August Home Incorporated"), ("Rhythm Engineering, LLC., Lenexa", "Rhythm Engineering LLC"),
        ("J-Systems Innc., Lombard", "J-Systems Inc"),
    ]

    @Test("names as CRM users type them match", arguments: typedNames)
    func typed(_ left: String, _ right: String) {
        guard let a = CompanyNameNormalizer.normalize(left), let b = CompanyNameNormalizer.normalize(right) else {
            Issue.record("\(left) or \(right) normalized to nothing")
            return
        }
        // A dropped descriptor (`Cisco Systems` / `Cisco`) falls just short of a match by name alone; the city decides.
        #expect(AccountClustering.nameSimilarity(a, b) >= MatchSettings().nameThreshold * NameWords.droppedDescriptor, "\(left) → \(a) ~ \(right) → \(b)")
        #expect(together([record("1", left, nil, "US", city: "Springfield"), record("2", right, "example-\(b.count).com", "US", city: "Springfield")]),
                "\(left) ~ \(right)")
    }

    // MARK: 6. Hard negatives

    static let cityPrefixed: [(String, String)] = [
        ("Shenzhen Xinyuan Technology Co., Ltd", "Shenzhen Xinyu Technology Co., Ltd"),
        ("Shenzhen Huawei Technology Co., Ltd", "Shenzhen Hualai Technology Co., Ltd"),
        ("Dongguan Kinwong Electronics Co., Ltd", "Dongguan Kaiwang Electronics Co., Ltd"),
        ("Guangzhou Shiyuan Electronics Co., Ltd", "Guangzhou Shiqi Electronics Co., Ltd"),
        ("Beijing Sinnet Technology Co., Ltd", "Beijing Sinovel Technology Co., Ltd"),
        ("Shanghai Baosight Software Co., Ltd", "Shanghai Baosheng Software Co., Ltd"),
        ("Hangzhou Hikvision Digital Technology Co., Ltd", "Hangzhou Hikrobot Digital Technology Co., Ltd"),
        ("Suzhou Keda Technology Co., Ltd", "Suzhou Kedi Technology Co., Ltd"),
        ("Xiamen Yealink Network Technology Co., Ltd", "Xiamen Yeastar Network Technology Co., Ltd"),
        ("Ningbo Sunny Optical Co., Ltd", "Ningbo Sunrise Optical Co., Ltd"),
        ("Tianjin Zhonghuan Semiconductor Co., Ltd", "Tianjin Zhongke Semiconductor Co., Ltd"),
        ("Chengdu Westone Information Industry Inc", "Chengdu Wintech Information Industry Inc"),
        ("Wuhan Guide Infrared Co., Ltd", "Wuhan Gaode Infrared Co., Ltd"),
        ("Shenzhen Goodix Technology Co., Ltd", "Shenzhen Goodway Technology Co., Ltd"),
        ("Zhejiang Dahua Technology Co., Ltd", "Zhejiang Dahang Technology Co., Ltd"),
        ("Qingdao Haier Smart Home Co., Ltd", "Qingdao Hisense Smart Home Co., Ltd"),
        ("Nanjing Panda Electronics Co., Ltd", "Nanjing Putian Electronics Co., Ltd"),
        ("Foshan Nationstar Optoelectronics Co., Ltd", "Foshan Electrical Optoelectronics Co., Ltd"),
        ("Shenzhen TP-Link Technologies Co., Ltd", "Shenzhen Tenda Technologies Co., Ltd"),
        ("Shenzhen Sunway Communication Co., Ltd", "Shenzhen Sunwin Communication Co., Ltd"),
    ]

    @Test("a city prefix and a common descriptor are not a name: different companies stay apart", arguments: cityPrefixed)
    func cityPrefix(_ left: String, _ right: String) {
        // The market these names come from: many companies of the same cities and trades.
        let cities = ["Shenzhen", "Dongguan", "Guangzhou", "Beijing", "Shanghai", "Hangzhou", "Suzhou", "Xiamen", "Ningbo", "Tianjin",
                      "Chengdu", "Wuhan", "Zhejiang", "Qingdao", "Nanjing", "Foshan"]
        let trades = ["Technology", "Electronics", "Software", "Optical", "Semiconductor", "Network Technology", "Digital Technology",
                      "Smart Home", "Communication", "Optoelectronics", "Information Industry", "Infrared"]
        let market = cities.flatMap { city in trades.enumerated().map { "\(city) Firm\($0.offset)\(city.count) \($0.element)" } }
        let frequencies = TermFrequencies(market.compactMap { CompanyNameNormalizer.normalize($0) })
        #expect(!together([record("1", left, nil, "CN"), record("2", right, "\(right.count).com.cn", "China")], frequencies: frequencies),
                "\(left) ~ \(right)")
    }

    @Test("legal-form twins, subsidiaries with their own domains and one brand's companies in different countries stay apart")
    func hardNegatives() {
        let pairs: [(MatchRecord, MatchRecord)] = [
            (record("1", "Acme GmbH", "acme.de", "DE"), record("2", "Acme AG", "acme-ag.de", "DE")),
            (record("1", "Siemens Healthineers", "siemens-healthineers.com", "DE"), record("2", "Siemens", nil, "DE")),
            (record("1", "Siemens Energy AG", nil, "DE"), record("2", "Siemens AG", "siemens.com", "DE")),
            (record("1", "Vodafone GmbH", "vodafone.de", "DE"), record("2", "Vodafone", nil, "GB")),
            (record("1", "Orange Polska", "orange.pl", "PL"), record("2", "Orange", nil, "FR")),
            (record("1", "Carrefour Belgium", "carrefour.be", "BE"), record("2", "Carrefour", nil, "FR")),
            (record("1", "Deutsche Bank", nil, "DE"), record("2", "Deutsche Börse", "deutsche-boerse.com", "DE")),
            (record("1", "Acme Technology", nil, "US"), record("2", "Acme Systems", "acmesystems.com", "US")),
            (record("1", "First National Bank", nil, "US", city: "Omaha"), record("2", "First National Bank", "fnb.com", "US", city: "Pittsburgh")),
        ]
        for (a, b) in pairs { #expect(!together([a, b]), "\(a.name ?? "") ~ \(b.name ?? "")") }
    }

    @Test("a dropped descriptor joins only where the city agrees: `Acme` and `Acme Systems` are as often two companies")
    func droppedDescriptor() {
        #expect(!together([record("1", "Acme", nil, "US"), record("2", "Acme Systems", "acmesystems.com", "US")]))
        #expect(!together([record("1", "Acme", nil, "US", city: "Boston"), record("2", "Acme Systems", "acmesystems.com", "US", city: "Denver")]))
        #expect(together([record("1", "Acme", nil, "US", city: "Boston"), record("2", "Acme Systems", "acmesystems.com", "US", city: "BOSTON")]))
        #expect(together([record("1", "Cisco", nil, "US", city: "San Jose"), record("2", "Cisco Systems, Inc.", "cisco.com", "US", city: "San Jose")]))
    }

    @Test("every merge keeps its evidence")
    func reasons() {
        let acme = clusters([
            record("1", "Acme", "acme.com", "US"), record("2", "ACME Inc.", "https://www.acme.com/", "USA"),
            record("3", "Acme Incorporated", nil, "United States", city: "Boston"), record("4", "Globex", "globex.com", "US"),
        ]).first { $0.members.count == 3 }
        #expect(acme?.reasons[key("crm", "2")] == "domain acme.com" || acme?.reasons[key("crm", "1")] == "domain acme.com")
        #expect(acme?.reasons[key("crm", "3")]?.hasPrefix("name 1.00, country US") == true, "\(acme?.reasons ?? [:])")
    }
}

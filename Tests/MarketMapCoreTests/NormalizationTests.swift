import Enrichment
import Foundation
import MarketMapCore
import Testing

/// Real-world values for every normalizer of DOMAIN.md §2, with the real
/// Public Suffix List (libpsl), plus idempotence properties.
@Suite("Normalization")
struct NormalizationTests {
    let domains = DomainNormalizer(resolver: LibPSLResolver.shared)

    static let domainCases: [(String, String?)] = [
        ("https://www.Acme.com/about?x=1#team", "acme.com"),
        ("http://acme.com", "acme.com"),
        ("ACME.COM", "acme.com"),
        ("www.acme.com/", "acme.com"),
        ("www2.acme.com", "acme.com"),
        ("us.acme.co.uk", "acme.co.uk"),
        ("shop.acme.co.uk:8443/path", "acme.co.uk"),
        ("https://user:pw@portal.acme.com.au/login", "acme.com.au"),
        ("acme.com.", "acme.com"),
        ("  acme.de  ", "acme.de"),
        ("//cdn.acme.io/x.js", "acme.io"),
        ("https://münchen-gmbh.de", "xn--mnchen-gmbh-thb.de"),
        ("bücher.de", "xn--bcher-kva.de"),
        ("http://例え.jp", "xn--r8jz45g.jp"),
        ("acme.blogspot.com", "acme.blogspot.com"),
        ("mailto:jane@sales.acme.fr", "acme.fr"),
        ("ftp://files.acme.co.jp/", "acme.co.jp"),
        ("acme.com.br/pt", "acme.com.br"),
        ("n/a", nil),
        ("none", nil),
        ("", nil),
        ("192.168.1.1", nil),
        ("localhost", nil),
        ("co.uk", nil),
        ("acme corp", nil),
    ]

    @Test("domains: scheme, path, port, user-info, www, IDN and the Public Suffix List", arguments: domainCases)
    func domain(_ input: String, _ expected: String?) {
        #expect(domains.normalize(input)?.registrable == expected, "\(input)")
    }

    @Test("free-mail, social and placeholder domains are never an identity", arguments: [
        "gmail.com", "https://mail.yahoo.com", "outlook.com", "hotmail.co.uk", "example.com", "linkedin.com", "https://www.linkedin.com/in/jane-doe", "wordpress.com",
        "gmx.de", "web.de", "qq.com", "icloud.com",
    ])
    func nonIdentity(_ input: String) {
        let domain = domains.normalize(input)
        #expect(domain != nil)
        #expect(domain?.isIdentity == false, "\(input)")
    }

    @Test("company names", arguments: [
        ("Acme, Inc.", "acme"), ("ACME Incorporated", "acme"), ("The Acme Co.", "acme"), ("Acme Corp", "acme"),
        ("Acme Corporation", "acme"), ("Acme LLC", "acme"), ("Acme Ltd.", "acme"), ("Acme Limited", "acme"),
        ("Acme GmbH", "acme"), ("Acme GmbH & Co. KG", "acme"), ("Acme AG", "acme"), ("Société Générale S.A.", "societe generale"),
        ("Acme B.V.", "acme"), ("Acme N.V.", "acme"), ("Acme Pty Ltd", "acme"), ("Acme S.r.l.", "acme"), ("Acme Oy", "acme"),
        ("Acme AB (publ)", "acme"), ("Acme K.K.", "acme"), ("Acme plc", "acme"), ("Procter & Gamble", "procter and gamble"),
        ("AT&T Inc.", "at and t"), ("McDonald's Corporation", "mcdonalds"), ("  Acme   Widgets  ", "acme widgets"),
        ("ＡＣＭＥ", "acme"), ("Nestlé S.A.", "nestle"), ("The Limited", "limited"), ("Company", "company"),
        ("Zürich Versicherungs-AG", "zurich versicherungs"), ("n/a", nil),
    ] as [(String, String?)])
    func companyName(_ input: String, _ expected: String?) {
        #expect(CompanyNameNormalizer.normalize(input) == expected, "\(input)")
    }

    @Test("emails", arguments: [
        (" Jane.Doe@Acme.COM ", "jane.doe@acme.com"), ("mailto:bob@acme.co.uk", "bob@acme.co.uk"),
        ("<ann@acme.de>", "ann@acme.de"), ("first+tag@acme.io", "first+tag@acme.io"), ("o'brien@acme.ie", "o'brien@acme.ie"),
        ("a@b.co", "a@b.co"), ("ÉLODIE@acme.fr", "élodie@acme.fr"), ("x@sub.acme.com.au", "x@sub.acme.com.au"),
        ("user@münchen.de", "user@münchen.de"), ("user_1@acme-corp.com", "user_1@acme-corp.com"),
        ("jane@", nil), ("@acme.com", nil), ("jane@acme", nil), ("jane acme.com", nil), ("jane@@acme.com", nil),
        ("jane..doe@acme.com", nil), (".jane@acme.com", nil), ("jane@acme..com", nil), ("", nil), ("jane@acme.com.", nil),
    ] as [(String, String?)])
    func email(_ input: String, _ expected: String?) {
        #expect(EmailNormalizer.address(input) == expected, "\(input)")
    }

    @Test("an email's domain is normalized like a website")
    func emailDomain() {
        let email = EmailNormalizer.normalize("Jane@Sales.Acme.co.uk", domains: domains)
        #expect(email?.domain?.registrable == "acme.co.uk")
        #expect(EmailNormalizer.normalize("jane@gmail.com", domains: domains)?.domain?.isIdentity == false)
    }

    @Test("LinkedIn profile URLs", arguments: [
        ("https://www.linkedin.com/in/janedoe/", "linkedin.com/in/janedoe"),
        ("http://linkedin.com/in/JaneDoe", "linkedin.com/in/janedoe"),
        ("linkedin.com/in/jane-doe-12345", "linkedin.com/in/jane-doe-12345"),
        ("https://de.linkedin.com/in/jürgen-müller", "linkedin.com/in/jürgen-müller"),
        ("https://de.linkedin.com/in/j%C3%BCrgen-m%C3%BCller/", "linkedin.com/in/jürgen-müller"),
        ("https://uk.linkedin.com/in/bob?trk=public_profile", "linkedin.com/in/bob"),
        ("www.linkedin.com/in/ann/details/experience/", "linkedin.com/in/ann"),
        ("https://fr.linkedin.com/in/élodie#about", "linkedin.com/in/élodie"),
        ("HTTPS://WWW.LINKEDIN.COM/IN/SAM", "linkedin.com/in/sam"),
        ("https://linkedin.com/in/a-b-c-d", "linkedin.com/in/a-b-c-d"),
        ("https://www.linkedin.com/in/%E5%BC%A0%E4%BC%9F", "linkedin.com/in/张伟"),
        ("https://br.linkedin.com/in/joão-silva", "linkedin.com/in/joão-silva"),
        ("  https://www.linkedin.com/in/trim  ", "linkedin.com/in/trim"),
        ("https://www.linkedin.com/company/acme", nil), ("https://www.linkedin.com/", nil),
        ("https://twitter.com/in/jane", nil), ("janedoe", nil), ("", nil), ("https://www.linkedin.com/in/", nil),
        ("https://notlinkedin.com/in/jane", nil),
    ] as [(String, String?)])
    func linkedIn(_ input: String, _ expected: String?) {
        #expect(LinkedInNormalizer.normalize(input) == expected, "\(input)")
    }

    @Test("countries to ISO codes", arguments: [
        ("United States", "US"), ("USA", "US"), ("U.S.", "US"), ("U.S.A.", "US"), ("united states of america", "US"),
        ("US", "US"), ("United Kingdom", "GB"), ("UK", "GB"), ("England", "GB"), ("Deutschland", "DE"), ("Germany", "DE"),
        ("France", "FR"), ("The Netherlands", "NL"), ("Holland", "NL"), ("España", "ES"), ("Brasil", "BR"),
        ("Côte d’Ivoire", "CI"), ("Ivory Coast", "CI"), ("South Korea", "KR"), ("Czech Republic", "CZ"), ("Czechia", "CZ"),
        ("Türkiye", "TR"), ("Turkey", "TR"), ("Viet Nam", "VN"), ("Schweiz", "CH"), ("Japan", "JP"), ("CAN", "CA"),
        ("Canada", "CA"), ("Mexico", "MX"), ("australia", "AU"), ("Narnia", nil), ("", nil), ("n/a", nil),
    ] as [(String, String?)])
    func country(_ input: String, _ expected: String?) {
        #expect(GeographyNormalizer.country(input) == expected, "\(input)")
    }

    @Test("states and provinces", arguments: [
        ("California", "US", "CA"), ("Calif.", "US", "CA"), ("CA", "US", "CA"), ("ca", "US", "CA"), ("New York", "US", "NY"),
        ("N.Y.", "US", "NY"), ("Mass.", "US", "MA"), ("Penn.", "US", "PA"), ("Fla.", "US", "FL"), ("Texas", "US", "TX"),
        ("Washington, D.C.", "US", "DC"), ("Puerto Rico", "US", "PR"), ("Ontario", "CA", "ON"), ("Québec", "CA", "QC"),
        ("B.C.", "CA", "BC"), ("British Columbia", "CA", "BC"), ("Alta.", "CA", "AB"), ("Illinois", nil, "IL"),
        ("Bavaria", "DE", nil), ("Nowhere", "US", nil), ("", "US", nil),
    ] as [(String, String?, String?)])
    func state(_ input: String, _ country: String?, _ expected: String?) {
        #expect(GeographyNormalizer.state(input, country: country) == expected, "\(input)")
    }

    @Test("titles to seniority and department", arguments: [
        ("CEO", Seniority.cLevel, Department.executive), ("CEO & Founder", .cLevel, .executive),
        ("Co-Founder and CTO", .cLevel, .engineering), ("Chief Revenue Officer", .cLevel, .sales), ("CRO", .cLevel, .sales),
        ("VP Sales", .vp, .sales), ("SVP, Marketing", .vp, .marketing), ("EVP Finance", .vp, .finance),
        ("Head of RevOps", .vp, .revOps), ("Head of Revenue Operations", .vp, .revOps), ("Director of Sales Operations", .director, .revOps),
        ("Sr. Dir. Customer Success", .director, .customerSuccess), ("Dir., IT Infrastructure", .director, .it),
        ("Sales Mgr", .manager, .sales), ("Marketing Manager", .manager, .marketing), ("Sr. Account Executive", .individualContributor, .sales),
        ("SDR", .individualContributor, .sales), ("Software Engineer", .individualContributor, .engineering),
        ("Security Engineer", .individualContributor, .security), ("CISO", .cLevel, .security), ("General Counsel", .individualContributor, .legal),
        ("HR Business Partner", .individualContributor, .hr), ("Product Manager", .manager, .product), ("Controller", .individualContributor, .finance),
        ("Managing Director", .cLevel, .executive), ("President", .cLevel, .executive), ("Vice President of People", .vp, .hr),
        ("Team Lead, Support", .manager, .customerSuccess), ("Executive Assistant to the CEO", .individualContributor, .executive),
        ("Directeur Général", .individualContributor, nil),
    ] as [(String, Seniority, Department?)])
    func title(_ input: String, _ seniority: Seniority, _ department: Department?) {
        let result = TitleClassifier.classify(input)
        #expect(result?.seniority == seniority, "\(input)")
        #expect(result?.department == department, "\(input)")
    }

    @Test("property: every normalizer is idempotent on random, messy input")
    func idempotence() {
        var generator = SeededRandom(seed: 2026)
        let pieces = ["Acme", " ", ".", ",", "&", "Inc", "GmbH", "www.", "https://", "/path", "?q=1", "münchen", "CO", ".uk",
                      ".com", "@", "mailto:", "linkedin.com/in/", "Jane", "%C3%BC", "The ", "S.A.", "ü", "東京", "-", "'", "US", "Calif."]
        for _ in 0..<2000 {
            let text = (0..<Int.random(in: 0...7, using: &generator)).map { _ in pieces.randomElement(using: &generator) ?? "" }.joined()
            if let name = CompanyNameNormalizer.normalize(text) { #expect(CompanyNameNormalizer.normalize(name) == name, "\(text.debugDescription)") }
            if let host = domains.normalize(text)?.registrable { #expect(domains.normalize(host)?.registrable == host, "\(text)") }
            if let email = EmailNormalizer.address(text) { #expect(EmailNormalizer.address(email) == email, "\(text)") }
            if let profile = LinkedInNormalizer.normalize(text) { #expect(LinkedInNormalizer.normalize(profile) == profile, "\(text)") }
            if let country = GeographyNormalizer.country(text) { #expect(GeographyNormalizer.country(country) == country, "\(text)") }
        }
    }
}

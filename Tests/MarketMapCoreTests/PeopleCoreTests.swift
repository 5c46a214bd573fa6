import Foundation
import MarketMapCore
import Testing

@Suite("Persona discovery rules")
struct PeopleCoreTests {
    /// VP Sales 75, CRO 75 (tier 1), Head of Sales 60, Sales Director 50 (tier 2),
    /// Account Executive 25, Marketing Manager 15 (tier 3); interns excluded.
    let rubric = PersonaRubric(
        titles: [["VP Sales", "Chief Revenue Officer"], ["Sales Director", "Head of Sales"], ["Account Executive"]],
        seniority: [[.cLevel, .vp], [.director], [.manager]], departments: [[.sales], [.marketing], []], negativeTitles: ["Intern"])

    func person(_ first: String, _ last: String, _ title: String, email: String? = nil, linkedin: String? = nil, country: String? = nil) -> FoundPerson {
        var given: [PersonField: String] = [.firstName: first, .lastName: last, .title: title]
        given[.email] = email
        given[.linkedin] = linkedin
        given[.country] = country
        return FoundPerson(provider: "api", given: given, accountCountry: "US")
    }

    func candidate(_ person: FoundPerson) -> Candidate { Candidate(person: person, fit: rubric.fit(person.rubricContact(asOf: "2026-11-25"))) }

    @Test("the rubric scores the titles a search brings back as the tests below assume")
    func scores() {
        let cases: [(String, Double, PersonaTier?)] = [
            ("VP Sales", 75, .tier1), ("Chief Revenue Officer", 75, .tier1), ("Sales Director", 50, .tier2), ("Head of Sales", 60, .tier2),
            ("Account Executive", 25, .tier3), ("Sales Intern", 0, nil),
        ]
        for (title, score, tier) in cases {
            let fit = candidate(person("A", "B", title, email: "a@b.com")).fit
            #expect(fit.score == score && fit.tier == tier, "\(title): \(fit)")
        }
    }

    @Test("a found person is normalized like an imported contact: email, LinkedIn, name, title class, country from the location, start date")
    func normalization() throws {
        let document = try JSONSerialization.jsonObject(with: Data("""
            {"name": "Ines Maria Silva", "job": {"title": "SVP, Sales"}, "email": " Ines.Silva@ACME.com ", "linkedin_url": "https://de.linkedin.com/in/Ines-Silva/?trk=x",
             "location": "Berlin, Germany", "started": "2025-03-14"}
            """.utf8))
        let found = FoundPerson.mapped(
            document, fields: ["name": "/name", "title": "/job/title", "email": "/email", "linkedin": "/linkedin_url", "location": "/location", "role_start": "/started"],
            provider: "api", accountCountry: "US")
        #expect(found.firstName == "Ines Maria" && found.lastName == "Silva")
        #expect(found.email == "ines.silva@acme.com")
        #expect(found.linkedIn == "linkedin.com/in/ines-silva")
        #expect(found.seniority == .vp && found.department == .sales)
        #expect(found.country == "DE")
        #expect(found.roleStart == "2025-03-14")
        #expect(found.key == "email:ines.silva@acme.com")
        #expect(found.rubricContact(asOf: "2026-11-25").monthsInRole == 20)
        let bare = FoundPerson(provider: "api", given: [.firstName: "Bo", .lastName: "Li", .title: "VP Sales", .linkedin: "linkedin.com/in/boli"], accountCountry: "CA")
        #expect(bare.country == "CA", "no location: the account's country")
        #expect(bare.key == "linkedin:linkedin.com/in/boli")
        #expect(FoundPerson.wholeMonths(from: "2025-12-03", to: "2026-11-25") == 11)
        #expect(FoundPerson.wholeMonths(from: "2025-11-25", to: "2026-11-25") == 12)
    }

    @Test("the contact waterfall: email first, then LinkedIn URL, then first and last name")
    func waterfall() {
        let known = [
            KnownContact(id: 1, email: "ines@acme.com", linkedIn: nil, firstName: "Ines", lastName: "Silva"),
            KnownContact(id: 2, email: "bob@old.example", linkedIn: "linkedin.com/in/bob", firstName: "Bob", lastName: "Stone"),
            KnownContact(id: 3, email: nil, linkedIn: nil, firstName: "Åsa", lastName: "Berg"),
        ]
        #expect(KnownContact.match(person("X", "Y", "VP Sales", email: "ines@acme.com"), in: known)! == (1, .email))
        #expect(KnownContact.match(person("Bob", "Stone", "VP Sales", email: "bob@acme.com", linkedin: "https://www.linkedin.com/in/BOB/"), in: known)! == (2, .linkedin))
        #expect(KnownContact.match(person("asa", "BERG", "VP Sales", email: "asa@acme.com"), in: known)! == (3, .name))
        #expect(KnownContact.match(person("Ines", "Silva", "VP Sales", email: "ines.s@acme.com"), in: known)! == (1, .name), "another email, the same name at the account")
        #expect(KnownContact.match(person("Ann", "Lee", "VP Sales", email: "ann@acme.com"), in: known) == nil)
    }

    @Test("selection: the best new people up to the quota per persona tier, known people linked, found twice once, negatives, minimum, privacy, no channel")
    func selection() {
        let known = [KnownContact(id: 7, email: "ines@acme.com", linkedIn: nil, firstName: "Ines", lastName: "Silva")]
        let found = [
            person("Ines", "Silva", "VP Sales", email: "ines@acme.com"),          // 0 linked by email
            person("Ann", "Lee", "Chief Revenue Officer", email: "ann@acme.com"),   // 1 tier 1
            person("Cy", "Ho", "VP Sales", email: "cy@acme.com"),                  // 2 tier 1
            person("Ann", "Lee", "CRO", linkedin: "linkedin.com/in/annlee"),        // 3 found again (name)
            person("Dee", "Fox", "Sales Director", email: "dee@acme.com"),         // 4 tier 2 (50), quota met
            person("Eli", "Ng", "Head of Sales", email: "eli@acme.com"),           // 5 tier 2 (60): the better one
            person("Flo", "Ray", "Sales Intern", email: "flo@acme.com"),           // 6 negative
            person("Gus", "Oak", "Account Executive", email: "gus@acme.com"),      // 7 below 30
            person("Hal", "Ito", "VP Sales", email: "hal@acme.de", country: "DE"), // 8 privacy (EU)
            person("Ivy", "Ma", "VP Sales"),                                        // 9 nobody to contact
        ]
        let privacy = [PrivacyRule(name: "EU", countries: PrivacyRule.regions["EU"]!, policy: .none)]
        let selection = PersonaSelection(
            candidates: found.map(candidate), known: known, lacking: PersonaQuota(tier1: 1, tier2: 1), minimumScore: 30, privacy: privacy)
        #expect(selection.outcomes == [
            .linkedEmail, .created, .notNeeded, .duplicate, .notNeeded, .created, .negativeTitle, .belowMinimum, .privacy, .noContactData,
        ])
        #expect(selection.matched[0] == 7 && selection.matched[3] == 1)
        #expect(selection.lacking == PersonaQuota())
        // A larger quota takes the next best; what the providers lack stays lacking.
        let more = PersonaSelection(candidates: found.map(candidate), known: known, lacking: PersonaQuota(tier1: 3, tier2: 3), minimumScore: 30, privacy: privacy)
        #expect(more.chosen == [1, 2, 4, 5])
        #expect(more.lacking == PersonaQuota(tier1: 1, tier2: 1))
    }

    @Test("a rejected email: the person is kept by LinkedIn URL, or not kept and the next best is chosen")
    func verification() {
        var first = candidate(person("Ann", "Lee", "VP Sales", email: "ann@acme.com"))
        var second = candidate(person("Cy", "Ho", "VP Sales", email: "cy@acme.com", linkedin: "linkedin.com/in/cyho"))
        let third = candidate(person("Dee", "Fox", "Chief Revenue Officer", email: "dee@acme.com"))
        first.verification = .rejected
        second.verification = .rejected
        let selection = PersonaSelection(candidates: [first, second, third], known: [], lacking: PersonaQuota(tier1: 2), minimumScore: 0, privacy: [])
        #expect(selection.outcomes == [.unverified, .created, .created])
        #expect(second.usableEmail == nil && third.usableEmail == "dee@acme.com")
    }

    @Test("privacy: the first rule naming a country decides; an allow rule makes an exception; unknown countries are allowed")
    func privacy() {
        let rules = [
            PrivacyRule(name: "IE", countries: ["IE"], policy: .allow),
            PrivacyRule(name: "EU", countries: PrivacyRule.regions["EU"]!, policy: .none),
            PrivacyRule(name: "CH", countries: ["CH"], policy: .verifyOnly),
        ]
        #expect(PrivacyRule.rule(for: "de", in: rules)?.policy == PrivacyPolicy.none)
        #expect(PrivacyRule.rule(for: "IE", in: rules)?.policy == .allow)
        #expect(PrivacyRule.rule(for: "CH", in: rules)?.policy == .verifyOnly)
        #expect(PrivacyRule.rule(for: "US", in: rules) == nil)
        #expect(PrivacyRule.rule(for: nil, in: rules) == nil)
        #expect(PrivacyRule.regions["EEA"]!.isSuperset(of: PrivacyRule.regions["EU"]!) && PrivacyRule.regions["EEA"]!.contains("NO"))
    }

    @Test("quotas: what an account lacks; the levels a search asks for; pricing reserves the most and charges what came")
    func quotasAndPricing() throws {
        #expect(PersonaQuota(tier1: 3, tier2: 2).lacking(PersonaQuota(tier1: 1, tier2: 5, tier3: 2)) == PersonaQuota(tier1: 2))
        var settings = PeopleSettings()
        settings.plan = [.t1: PersonaQuota(tier1: 3, tier2: 2), .t2: PersonaQuota(tier1: 1), .t3: PersonaQuota()]
        #expect(settings.wantedLevels == [.tier1, .tier2])
        let pricing = CallPricing(perCall: 1, perResult: 0.5, maxResults: 10, results: "/people")
        #expect(pricing.reserved == 6)
        let page = try JSONSerialization.jsonObject(with: Data(#"{"people": [{}, {}, {}]}"#.utf8))
        #expect(pricing.charged(page) == 2.5)
        #expect(pricing.charged(nil) == 1, "a 404 pays the call")
        let many = try JSONSerialization.jsonObject(with: Data(("{\"people\": [" + Array(repeating: "{}", count: 30).joined(separator: ",") + "]}").utf8))
        #expect(pricing.charged(many) == 6, "never more than reserved")
    }

    @Test("the query: the rubric's titles, seniorities and departments of the wanted levels; the cache key names the page and the query")
    func query() throws {
        let query = PeopleQuery(rubric: rubric, levels: [.tier1, .tier2])
        #expect(query.titles == ["VP Sales", "Chief Revenue Officer", "Sales Director", "Head of Sales"])
        #expect(query.seniorities == ["C-Level", "VP", "Director"])
        #expect(query.departments == ["Sales", "Marketing"])
        let key = query.key(input: ["domain": "Acme.com"], fields: ["domain"], page: 2, perPage: 25)
        #expect(key.hasPrefix("domain=acme.com&page=2&per_page=25&q="))
        #expect(PeopleQuery(rubric: rubric, levels: [.tier1]).fingerprint != query.fingerprint, "another rubric is another search")
        var search = PeopleSearchSettings()
        search.bodyKeys = ["titles": "person_titles", "domain": "q_organization_domains"]
        let body = try #require(try JSONSerialization.jsonObject(with: Data(query.body(input: ["domain": "acme.com"], page: 1, search: search))) as? [String: Any])
        #expect(body["q_organization_domains"] as? String == "acme.com")
        #expect((body["person_titles"] as? [String])?.count == 4)
        #expect(body["page"] as? Int == 1 && body["per_page"] as? Int == 25)
        #expect(query.values(input: ["domain": "acme.com"], page: 3, perPage: 10)["titles"] == "VP Sales,Chief Revenue Officer,Sales Director,Head of Sales")
    }

    @Test("status: found, partial, none found, budget, failed, skipped")
    func status() {
        #expect(PeopleStatus.of(lacking: PersonaQuota(), created: 3, searched: true, budget: false, failed: false) == .found)
        #expect(PeopleStatus.of(lacking: PersonaQuota(tier1: 1), created: 1, searched: true, budget: true, failed: false) == .partialBudget)
        #expect(PeopleStatus.of(lacking: PersonaQuota(tier1: 1), created: 0, searched: true, budget: false, failed: false) == .noneFound)
        #expect(PeopleStatus.of(lacking: PersonaQuota(tier1: 1), created: 0, searched: false, budget: true, failed: false) == .budget)
        #expect(PeopleStatus.of(lacking: PersonaQuota(tier1: 1), created: 0, searched: false, budget: false, failed: true) == .failed)
        #expect(PeopleStatus.of(lacking: PersonaQuota(tier1: 1), created: 0, searched: false, budget: false, failed: false) == .skipped)
    }
}

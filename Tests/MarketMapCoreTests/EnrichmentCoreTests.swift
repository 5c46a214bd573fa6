import Foundation
import MarketMapCore
import Testing

@Suite("Enrichment rules")
struct EnrichmentCoreTests {
    @Test("only_run_if conditions: blank, not blank, numeric and text comparisons")
    func conditions() throws {
        let facts: Facts = ["industry": .text("Software"), "employees": .number(250), "fit_score": .number(40), "country": .text(" us "), "blank": .text("  ")]
        let cases: [(String, Bool)] = [
            ("industry is blank", false), ("industry is not blank", true), ("blank is blank", true), ("missing is blank", true),
            ("missing is not blank", false), ("fit_score >= 40", true), ("fit_score > 40", false), ("fit_score <= 40", true),
            ("fit_score < 40", false), ("fit_score = 40", true), ("fit_score != 40", false), ("employees >= 1000", false),
            ("country = US", true), ("country != DE", true), ("industry = software", true), ("missing >= 1", false), ("missing != 1", false),
            ("Industry Is Not Blank", false),
        ]
        for (text, expected) in cases {
            let condition = try #require(RunCondition(text), "\(text)")
            #expect(condition.holds(facts) == expected, "\(text)")
            #expect(condition.description == text)
        }
        for bad in ["", "industry", "industry is", "industry is maybe", "fit score >= 40", ">= 40", "fit_score >="] {
            #expect(RunCondition(bad) == nil, "\(bad)")
        }
    }

    @Test("JSON pointers follow RFC 6901 and turn values into fields")
    func pointers() throws {
        let document = try JSONSerialization.jsonObject(with: Data("""
            {"company": {"name": "Acme", "metrics": {"employees": 250}, "tags": ["saas", "b2b"], "a/b": 1, "m~n": 2, "ok": true, "none": null, "blank": " "}}
            """.utf8))
        func value(_ pointer: String) -> FieldValue? { JSONPointer(pointer).flatMap { JSONPointer.fieldValue($0.resolve(document)) } }
        #expect(value("/company/name") == .text("Acme"))
        #expect(value("/company/metrics/employees") == .number(250))
        #expect(value("/company/tags") == .text("saas; b2b"))
        #expect(value("/company/tags/1") == .text("b2b"))
        #expect(value("/company/a~1b") == .number(1))
        #expect(value("/company/m~0n") == .number(2))
        #expect(value("/company/ok") == .text("true"))
        #expect(value("/company/none") == nil)
        #expect(value("/company/blank") == nil)
        #expect(value("/company/metrics") == nil, "an object is no field value")
        #expect(value("/company/tags/7") == nil)
        #expect(value("/nothing/here") == nil)
        #expect(JSONPointer("company") == nil)
        #expect(JSONPointer("")?.tokens == [])
    }

    @Test("URL templates fill and percent-encode fields; environment variables expand")
    func templates() throws {
        let template = try #require(URLTemplate("https://api.example.com/v1?domain={domain}&name={ name }"))
        #expect(template.fields == ["domain", "name"])
        #expect(template.render(["domain": "acme.com", "name": "Müller & Söhne/GmbH"])
            == "https://api.example.com/v1?domain=acme.com&name=M%C3%BCller%20%26%20S%C3%B6hne%2FGmbH")
        #expect(template.render(["domain": "acme.com"]) == nil, "a blank field cannot be asked")
        #expect(URLTemplate("https://x/{domain") == nil)
        #expect(URLTemplate("https://x/{}") == nil)
        let expanded = URLTemplate.expandEnvironment("${BASE}/v1?k=${KEY}&d={domain}", ["BASE": "http://127.0.0.1:8080"])
        #expect(expanded.text == "http://127.0.0.1:8080/v1?k=&d={domain}")
        #expect(expanded.missing == ["KEY"])
    }

    @Test("retries: 429 honours Retry-After, 5xx and timeouts back off, 404 is an answer, other 4xx fail at once")
    func retries() {
        let policy = RetryPolicy(attempts: 3, backoffSeconds: 0.2)
        #expect(policy.verdict(status: 200, transportError: nil, retryAfter: nil, attempt: 1, jitter: 0) == .answer)
        #expect(policy.verdict(status: 404, transportError: nil, retryAfter: nil, attempt: 1, jitter: 0) == .notFound)
        #expect(policy.verdict(status: 429, transportError: nil, retryAfter: "3", attempt: 1, jitter: 0.5) == .retry(afterSeconds: 3, reason: "HTTP 429 (rate limited)"))
        #expect(policy.verdict(status: 503, transportError: nil, retryAfter: nil, attempt: 1, jitter: 0) == .retry(afterSeconds: 0.1, reason: "HTTP 503"))
        #expect(policy.verdict(status: 503, transportError: nil, retryAfter: nil, attempt: 2, jitter: 0.999_999).retryDelay! > 0.39)
        #expect(policy.verdict(status: 503, transportError: nil, retryAfter: nil, attempt: 3, jitter: 0) == .fail("HTTP 503 after 3 attempts"))
        #expect(policy.verdict(status: nil, transportError: "Timeout was reached", retryAfter: nil, attempt: 1, jitter: 0).retryDelay != nil)
        #expect(policy.verdict(status: 401, transportError: nil, retryAfter: nil, attempt: 1, jitter: 0) == .fail("HTTP 401"))
        #expect(policy.verdict(status: 429, transportError: nil, retryAfter: "3600", attempt: 1, jitter: 0)
            == .fail("HTTP 429 (rate limited): Retry-After 3600 s is longer than 120 s"))
        // Backoff grows with the attempt and stays within [0.5, 1) × base × 2^(n-1).
        var random = SeededRandom(seed: 5)
        for attempt in 1...2 {
            for _ in 0..<100 {
                let delay = policy.verdict(status: 500, transportError: nil, retryAfter: nil, attempt: attempt, jitter: Double.random(in: 0..<1, using: &random)).retryDelay ?? -1
                let base = 0.2 * Double(1 << (attempt - 1))
                #expect(delay >= base * 0.5 && delay < base)
            }
        }
    }

    static func provider(_ name: String, fields: [String: String], conditions: [String] = [], input: String = "domain") -> ProviderSettings {
        ProviderSettings(
            name: name, source: .http(HTTPProviderSettings(url: "http://x/{\(input)}")), fields: fields,
            onlyRunIf: conditions.compactMap(RunCondition.init))
    }

    @Test("the waterfall asks only for missing fields, under its conditions, with its inputs; fills blanks only")
    func waterfall() {
        let settings = EnrichmentSettings(fields: ["industry", "employees"], providers: [])
        let waterfall = Waterfall(settings: settings, fitScore: { facts in facts["industry"] == nil ? 30 : 80 })
        let base: Facts = ["domain": .text("acme.com"), "employees": .number(10)]
        let industry = Self.provider("a", fields: ["industry": "/industry"])
        #expect(waterfall.decide(industry, facts: base) == .ask(input: ["domain": "acme.com"], key: "domain=acme.com"))
        #expect(waterfall.decide(industry, facts: base.merging(["industry": .text("Retail")]) { a, _ in a }) == .skip("complete"))
        #expect(waterfall.decide(Self.provider("b", fields: ["employees": "/e"]), facts: base) == .skip("nothing it fills is missing"))
        #expect(waterfall.decide(Self.provider("c", fields: ["industry": "/i"], conditions: ["fit_score >= 40"]), facts: base)
            == .skip("only_run_if: fit_score >= 40 is false"))
        #expect(waterfall.decide(Self.provider("d", fields: ["industry": "/i"], input: "name"), facts: base) == .skip("no name to look up"))
        #expect(Waterfall.key(["domain": "ACME.com"], ["domain"]) == "domain=acme.com")
        var facts: Facts = ["employees": .number(10)]
        #expect(waterfall.fill(&facts, from: ["industry": .text("Software"), "employees": .number(99)]) == ["industry"])
        #expect(facts["employees"] == .number(10), "a value the CRM has is never overwritten")
        #expect(waterfall.missing(facts).isEmpty)
        let table = ProviderSettings(name: "t", source: .table(TableProviderSettings(location: .csv(path: "x.csv"))), fields: ["employees": "head/count"])
        #expect(Waterfall.extract(table, from: ["head/count": "250"]) == ["employees": .text("250")])
    }
}

extension RetryPolicy.Verdict {
    var retryDelay: Double? {
        if case .retry(let seconds, _) = self { return seconds }
        return nil
    }
}

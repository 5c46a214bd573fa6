import MarketMapCore
import Testing

@Suite("Scoring: ICP fit, tiers, valuation, calibration, personas, priority")
struct ScoringTests {
    static let matrix = ICPMatrix(
        product: "core",
        criteria: [
            Criterion(field: "employees", bands: [
                .init(.range(min: 1000, max: nil), points: 40), .init(.range(min: 200, max: 1000), points: 25),
                .init(.range(min: 50, max: 200), points: 10),
            ]),
            Criterion(field: "industry", .oneOf(["Software", "SaaS"]), points: 30),
            Criterion(field: "extra.Tech Stack", .regex(MatcherPattern("(?i)salesforce")), points: 20),
            Criterion(field: "domain", .exists(true), points: 10),
        ],
        gates: [Condition(field: "country", .oneOf(["US", "CA"]))],
        exclusions: [Condition(field: "type", .oneOf(["Partner", "Channel Partner"]))])

    @Test("ICP fit: points per band, first matching band wins; score is earned ÷ possible × 100")
    func icpFit() {
        // 25 + 30 + 20 + 10 = 85 of 100.
        let fit = Self.matrix.fit([
            "employees": .number(450), "industry": .text("software"), "extra.Tech Stack": .text("HubSpot, Salesforce"),
            "domain": .text("acme.com"), "country": .text("US"),
        ])
        #expect(fit == .init(score: 85, tier: .t1, excludedBy: nil, failedGate: nil))
        // 10 (50–199) + 0 + 0 + 10 = 20 → T3.
        #expect(Self.matrix.fit(["employees": .number(60), "domain": .text("x.io"), "country": .text("CA")]).score == 20)
        #expect(Self.matrix.fit(["employees": .number(60), "domain": .text("x.io"), "country": .text("CA")]).tier == .t3)
        // 40 + 30 → 70: exactly the T1 threshold.
        #expect(Self.matrix.fit(["employees": .text("1,500"), "industry": .text("SaaS"), "country": .text("US")]).tier == .t1)
        // 25 + 30 - no domain = 55 → T2.
        #expect(Self.matrix.fit(["employees": .number(200), "industry": .text("SaaS"), "country": .text("US")]) == .init(score: 55, tier: .t2))
    }

    @Test("gates and exclusions: a failed gate scores 0 (T3); an exclusion takes the account out")
    func gatesAndExclusions() {
        let big: Facts = ["employees": .number(5000), "industry": .text("Software"), "domain": .text("a.de"), "country": .text("DE")]
        #expect(Self.matrix.fit(big) == .init(score: 0, tier: .t3, excludedBy: nil, failedGate: "country"))
        var partner = big
        partner["country"] = .text("US")
        partner["type"] = .text("partner")
        #expect(Self.matrix.fit(partner) == .init(score: 0, tier: nil, excludedBy: "type", failedGate: nil))
    }

    @Test("matchers: equals compares numbers as numbers, range is [min, max), exists on blanks, regex")
    func matchers() {
        #expect(Matcher.equals("250").matches(.number(250)))
        #expect(Matcher.equals("acme").matches(.text(" ACME ")))
        #expect(!Matcher.equals("acme").matches(nil))
        #expect(Matcher.range(min: 10, max: 20).matches(.number(10)))
        #expect(!Matcher.range(min: 10, max: 20).matches(.number(20)))
        #expect(Matcher.range(min: nil, max: 5).matches(.text("4.5")))
        #expect(!Matcher.range(min: 1, max: nil).matches(.text("many")))
        #expect(Matcher.exists(false).matches(.text("  ")))
        #expect(Matcher.exists(false).matches(nil))
        #expect(!Matcher.exists(true).matches(.text("")))
        #expect(Matcher.regex(MatcherPattern("^[A-Z]{2}$")).matches(.text("US")))
    }

    @Test("property: tiers are monotone in the score, for any thresholds")
    func monotoneTiers() {
        var generator = SeededRandom(seed: 6)
        for _ in 0..<500 {
            let t2 = Double.random(in: 0...100, using: &generator)
            let thresholds = TierThresholds(t1: Double.random(in: t2...100, using: &generator), t2: t2)
            let a = Double.random(in: 0...100, using: &generator), b = Double.random(in: 0...100, using: &generator)
            let (low, high) = (min(a, b), max(a, b))
            #expect(thresholds.tier(for: high) <= thresholds.tier(for: low), "\(thresholds) \(low) \(high)")
        }
    }

    @Test("valuation: base by employee band × industry multiplier × coefficient")
    func valuation() {
        let formula = ValuationFormula(
            bands: [.init(.range(min: nil, max: 50), points: 10_000), .init(.range(min: 50, max: 500), points: 40_000),
                    .init(.range(min: 500, max: nil), points: 120_000)],
            defaultBase: 5_000,
            factors: [.init(field: "industry", multipliers: ["Software": 1.5, "Manufacturing": 0.8])], coefficient: 1.1)
        #expect(formula.estimate(["employees": .number(120), "industry": .text("software")]) == 66_000)  // 40k × 1.5 × 1.1
        #expect(formula.estimate(["employees": .number(900), "industry": .text("Manufacturing")]) == 105_600)  // 120k × 0.8 × 1.1
        #expect(formula.estimate(["industry": .text("Retail")]) == 5_500)  // no employees: default base × 1 × 1.1
        #expect(ValuationFormula(bands: []).estimate([:]) == nil)
    }

    @Test("calibration: MAPE, and the median ratio as the suggested factor")
    func calibration() throws {
        // Estimates are half the actuals: MAPE 50 %, factor 2, then exact.
        let pairs: [(estimate: Double, actual: Double)] = [(50, 100), (100, 200), (30, 60), (10, 0)]
        let result = try #require(Calibration.of(pairs))
        #expect(result.accounts == 3)
        #expect(abs(result.mape - 0.5) < 1e-9)
        #expect(result.suggestedFactor == 2)
        #expect(result.mapeAfter == 0)
        #expect(result.withinBandAfter == 1)
        #expect(Calibration.of([]) == nil)
    }

    static let rubric = PersonaRubric(
        titles: [["VP Sales", "Chief Revenue Officer"], ["Sales Director", "Head of Sales"], ["Sales"]],
        departments: [[.sales], [.revOps, .marketing], [.customerSuccess]],
        geography: [["US"], ["CA", "GB"], ["DE"]],
        negativeTitles: ["intern", "assistant"])

    @Test("persona fit: the seed's rubric (30/15/5, 25/15/5, 20/10/5, 15/10/5, 10/7/3), tiers at 70 and 40")
    func personaFit() {
        // Exact title 30 + VP 25 + Sales 20 + US 15 + 6 months 10 = 100.
        let best = Self.rubric.fit(.init(title: "VP Sales", seniority: .vp, department: .sales, country: "US", monthsInRole: 6))
        #expect(best == .init(score: 100, tier: .tier1))
        // Adjacent title 15 + Director 15 + Sales 20 + CA 10 + 24 months 7 = 67 → tier 2.
        let director = Self.rubric.fit(.init(title: "Sales Director, EMEA", seniority: .director, department: .sales, country: "ca", monthsInRole: 24))
        #expect(director == .init(score: 67, tier: .tier2))
        // Broad 5 + Manager 5 + CS 5 + DE 5 + 5 years 3 = 23 → tier 3.
        let weak = Self.rubric.fit(.init(title: "Sales Manager", seniority: .manager, department: .customerSuccess, country: "DE", monthsInRole: 60))
        #expect(weak == .init(score: 23, tier: .tier3))
        // Unknown tenure and country score nothing for them: 30 + 25 + 20 = 75.
        #expect(Self.rubric.fit(.init(title: "Chief Revenue Officer", seniority: .cLevel, department: .sales, country: nil, monthsInRole: nil)).score == 75)
        // Negative titles exclude, whole words only.
        #expect(Self.rubric.fit(.init(title: "Sales Intern", seniority: nil, department: .sales, country: "US", monthsInRole: 1)).tier == nil)
        #expect(Self.rubric.fit(.init(title: "Internal Sales", seniority: nil, department: .sales, country: "US", monthsInRole: 1)).tier != nil)
    }

    @Test("priority: account tier × persona tier")
    func priority() {
        #expect(Priority.of(account: .t1, persona: .tier1) == .immediate)
        #expect(Priority.of(account: .t1, persona: .tier2) == .high)
        #expect(Priority.of(account: .t2, persona: .tier1) == .high)
        #expect(Priority.of(account: .t2, persona: .tier2) == .medium)
        #expect(Priority.of(account: .t3, persona: .tier1) == .nurture)
        #expect(Priority.of(account: .t1, persona: .tier3) == .low)
        #expect(Priority.of(account: nil, persona: .tier1) == .low)
    }
}

/// A pattern the tests know to be valid.
func MatcherPattern(_ source: String) -> Matcher.Pattern {
    guard let pattern = Matcher.Pattern(source) else { preconditionFailure("test pattern \(source) is invalid") }
    return pattern
}

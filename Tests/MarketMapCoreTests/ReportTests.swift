import MarketMapCore
import Testing

@Suite("Reports: CSV, alerts, HTML")
struct ReportTests {
    @Test("CSV quotes what needs quoting; numbers print plainly")
    func csv() {
        let report = Report(name: "r", title: "R", columns: ["name", "value"], rows: [[.text("Acme, \"Inc\""), .number(1200)], [.text("x"), .number(0.53184)], [.null, .number(2.5)]])
        #expect(report.csv() == "name,value\r\n\"Acme, \"\"Inc\"\"\",1200\r\nx,0.5318\r\n,2.5\r\n")
    }

    @Test("alerts: ICP drift, valuation drift, coverage gaps, tier distribution, accounts per rep, valuation ratio")
    func alerts() {
        let inputs = AlertInputs(
            winRate: [.t1: 0.2, .t3: 0.35], calibration: Calibration.of([(estimate: 100, actual: 200)]), t1CoverageGaps: 3,
            tierCounts: [.t1: 1, .t2: 60, .t3: 100], repAccounts: ["a": 10, "b": 500], repValuation: ["a": 100, "b": 1_500])
        let kinds = inputs.alerts(AlertThresholds()).map(\.kind)
        #expect(kinds == ["icp_drift", "valuation_drift", "coverage_gap", "tier_distribution", "accounts_per_rep", "valuation_ratio"])
        let quiet = AlertInputs(
            winRate: [.t1: 0.5, .t3: 0.1], calibration: Calibration.of([(estimate: 100, actual: 110)]), t1CoverageGaps: 0,
            tierCounts: [.t1: 20, .t2: 60, .t3: 100], repAccounts: ["a": 100, "b": 120], repValuation: ["a": 100, "b": 150])
        #expect(quiet.alerts(AlertThresholds()).isEmpty)
    }

    @Test("the HTML page: charts with bars and per-team bands, escaped text, no script")
    func html() {
        let reps = Report(
            name: "level2_reps", title: "Reps", columns: ["rep", "valuation", "t1", "t2", "t3", "team_mean"],
            rows: [[.text("<a>"), .number(100), .number(1), .number(2), .number(3), .number(110)], [.text("b"), .number(120), .number(0), .number(1), .number(1), .number(110)]])
        let tiers = Report(name: "level1_by_tier", title: "Tiers", columns: ["tier", "win_rate"], rows: [[.text("T1"), .number(0.5)]])
        let page = HTMLReport.render(.init(
            title: "Run & more", reports: [reps, tiers], alerts: [Alert(kind: "coverage_gap", message: "x < y")], balance: [], tolerance: 0.2))
        #expect(page.contains("<h1>Run &amp; more</h1>"))
        #expect(page.contains("&lt;a&gt;") && !page.contains("<a>"))
        #expect(page.contains("x &lt; y"))
        #expect(page.contains("id=\"valuation-by-rep\"") && page.contains("id=\"tiers-by-rep\"") && page.contains("id=\"win-rate-by-tier\""))
        #expect(page.components(separatedBy: "class=\"band\"").count - 1 == 2, "one band per rep")
        #expect(page.components(separatedBy: "class=\"bar\"").count - 1 == 2 + 6 + 1)
        #expect(!page.contains("<script"))
    }
}

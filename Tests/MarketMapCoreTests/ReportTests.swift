import Foundation
import MarketMapCore
import Testing

@Suite("Reports: CSV, alerts, HTML")
struct ReportTests {
    @Test("CSV quotes what needs quoting; numbers print plainly")
    func csv() {
        let report = Report(name: "r", title: "R", columns: ["name", "value"], rows: [[.text("Acme, \"Inc\""), .number(1200)], [.text("x"), .number(0.53184)], [.null, .number(2.5)]])
        #expect(report.csv() == "name,value\r\n\"Acme, \"\"Inc\"\"\",1200\r\nx,0.5318\r\n,2.5\r\n")
    }

    @Test("numbers: never `1.`, `0.` or `-0` in a CSV; thousands grouped for people")
    func numbers() {
        #expect([0.99999, 0.00001, -0.00001, 1.00044, 1_234.5, 32_806_000, -2.5, .infinity].map { ReportValue.number($0).display }
            == ["1", "0", "0", "1.0004", "1234.5", "32806000", "-2.5", ""])
        #expect([32_806_000, 1_234.5, -1_234, 999, 0.5318, 1_000_000.25].map { ReportValue.number($0).formatted }
            == ["32,806,000", "1,234.5", "-1,234", "999", "0.5318", "1,000,000.25"])
        #expect(ReportValue.text("12345").formatted == "12345", "text is left as it is")
    }

    @Test("notes go to the JSON and the page, never into the CSV, which stays a plain table")
    func notes() throws {
        let report = Report(
            name: "territory_balance", title: "Balance", columns: ["team", "max_min_ratio"], rows: [[.text("direct"), .number(1.000001)]],
            notes: ["3 stale account(s) stay with their owner"])
        #expect(report.csv() == "team,max_min_ratio\r\ndirect,1\r\n")
        let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        #expect(json.contains("\"notes\":[\"3 stale account(s) stay with their owner\"]"), "\(json)")
        let page = HTMLReport.render(.init(title: "t", reports: [report], alerts: [], balance: [], tolerance: 0.2))
        #expect(page.contains("<p class=note>3 stale account(s) stay with their owner</p>"))
    }

    @Test("the page names reps by name and id and groups thousands")
    func repNamesAndThousands() {
        let reps = Report(
            name: "level2_reps", title: "Reps", columns: ["rep", "valuation", "t1", "t2", "t3", "team_mean", "rep_name"],
            rows: [[.text("005NA1"), .number(32_806_000), .number(1), .number(2), .number(3), .number(32_806_000), .text("Avery")],
                   [.text("005XX9"), .number(1_200), .number(0), .number(1), .number(1), .number(1_200), .null]])
        let page = HTMLReport.render(.init(
            title: "t", reports: [reps], alerts: [], balance: [], tolerance: 0.2, repNames: ["005NA1": "Avery"]))
        #expect(page.contains("<td>Avery (005NA1)</td><td>32,806,000</td>"), "\(page)")
        #expect(page.contains("<td>005XX9</td><td>1,200</td>"), "a rep the configuration does not name keeps its id")
        #expect(page.contains(">Avery (005NA1)</text>"), "chart labels name the rep")
        #expect(!page.contains("<th>rep_name</th>"), "the name is shown with the id, not again")
        #expect(!page.contains("32806000"))
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

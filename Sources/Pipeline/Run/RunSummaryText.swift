import Foundation
import JobQueue
import MarketMapCore
import Postgres

/// The final summary `marketmap run` prints (and `marketmap status` for a
/// finished run): source rows, rejected, golden accounts, duplicates merged,
/// tier counts, territory balance, time per stage, and where the files are.
public enum RunSummaryText {
    public static func make(run: Int, plan: RunPlan?, on db: isolated Connection) throws -> String {
        let product = try plan.map { $0.config.products.first?.product ?? "" } ?? OutputContract.product(ofRun: run, on: db)
        try db.query(RunQueries.setProduct, product)
        guard let status = try Runs(queue: JobQueue()).status(run, on: db) else { return "no run \(run)\n" }
        let f = try db.query(RunQueries.summaryFigures, run)[0]
        let n = { (column: String) throws -> String in RunMonitor.grouped(try f.decode(column, as: Int.self)) }
        var text = "\nrun \(run): \(status.state.rawValue)\(status.error.isEmpty ? "" : " — \(status.error)")\n"
        text += "  source rows \(try n("rows_read")): loaded \(try n("rows_loaded")), unchanged \(try n("rows_unchanged")), rejected \(try n("rows_rejected"))\n"
        text += "  golden accounts \(try n("golden_accounts")) (duplicates merged \(try n("duplicates_merged"))), golden contacts \(try n("golden_contacts"))\n"
        text += "  tiers (\(product)): T1 \(try n("t1")), T2 \(try n("t2")), T3 \(try n("t3")), excluded \(try n("excluded"))\n"
        text += "  enrichment: " + (try enrichment(run: run, on: db)) + "\n"
        if let people = try PeopleSummary(run: run, on: db) { text += "  people: " + people.text + "\n" }
        if let changes = try RunSummary.Changes(run: run, on: db) { text += "  changes: " + changes.text + "\n" }
        text += "  review: " + (try ReviewSummary(on: db)).text + "\n"
        if let balance = try db.query(ReportQueries.reportRows, run, "territory_balance").first {
            let (json, notes) = try balance.decode(String.self, [String].self)
            text += "  territory balance: " + summarizeBalance(json, notes: notes) + "\n"
        }
        text += "  time per stage:"
        for stage in status.stages {
            let seconds = stage.startedAt.flatMap { start in stage.finishedAt.map { $0.timeIntervalSince(start) } }
            text += " \(stage.stage) " + (seconds.map { String(format: "%.1f s", $0) } ?? stage.state.rawValue) + ";"
        }
        text += "\n"
        if let plan {
            text += "  files: \(plan.out.path) (accounts.csv, account_lineage.csv, contacts.csv, rejected.csv, enrichment.csv, territories.csv, rep_distribution.csv, reports, summary.json)\n"
            text += "  HTML report: \(plan.out.appendingPathComponent("report.html").path)\n"
        }
        return text
    }

    /// "812 accounts enriched (1,530 fields), 38 not enriched: budget; credits spent 812 of 5,000 (812 paid calls)".
    static func enrichment(run: Int, on db: isolated Connection) throws -> String {
        guard let e = try RunSummary.Enrichment(run: run, on: db) else { return "not configured (no providers)" }
        let n = RunMonitor.grouped
        let credits = n(Int(e.creditsSpent.rounded())) + (e.creditBudget.map { " of " + n(Int($0.rounded())) } ?? " (no budget limit)")
        return "\(n(e.accountsEnriched)) accounts enriched (\(n(e.fieldsFilled)) fields), \(n(e.notEnrichedBudget)) not enriched: budget; credits spent \(credits) (\(n(e.paidCalls)) paid calls)"
    }

    /// "direct CA+US: max/min 1.00, within the band; ...; note: ..." from the
    /// territory_balance rows (JSON) and notes.
    static func summarizeBalance(_ json: String, notes: [String] = []) -> String {
        guard let rows = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[Any]] else { return "unavailable" }
        let parts = rows.compactMap { row -> String? in
            guard let team = row.first as? String else { return nil }
            let ratio = (row.count > 5 ? row[5] as? Double : nil).map { String(format: "%.2f", $0) } ?? "—"
            let within = row.count > 7 ? (row[7] as? String ?? "") : ""
            return "\(team): max/min \(ratio)\(within == "yes" ? ", within the band" : ", NOT within the band")"
        }
        return parts.isEmpty ? "no territories configured" : (parts + notes.map { "note: " + $0 }).joined(separator: "; ")
    }
}

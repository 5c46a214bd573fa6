import Foundation

/// One self-contained HTML page (inline CSS and SVG, no script, no network)
/// that a RevOps lead reads after a run: alerts, the validation report,
/// valuation per rep with the ±tolerance band, tier distribution per rep, win
/// rate by tier, and the tables behind them. Pure: returns the text.
public enum HTMLReport {
    public struct Input: Sendable {
        public var title: String
        public var reports: [Report]
        public var alerts: [Alert]
        public var balance: [Balance]
        public var tolerance: Double
        /// Rep id → name from the configuration: the page names reps `Avery (005NA1)`.
        public var repNames: [String: String]
        public init(
            title: String, reports: [Report], alerts: [Alert], balance: [Balance], tolerance: Double, repNames: [String: String] = [:]
        ) {
            (self.title, self.reports, self.alerts, self.balance, self.tolerance, self.repNames) = (title, reports, alerts, balance, tolerance, repNames)
        }

        /// `Avery (005NA1)`, or the id when the configuration names no one.
        func repLabel(_ id: String) -> String { repNames[id].map { "\($0) (\(id))" } ?? id }
    }

    static let tierColors = ["T1": "#1b7f3b", "T2": "#e0a100", "T3": "#8a8f98"]

    public static func render(_ input: Input) -> String {
        let byName = Dictionary(input.reports.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var body = "<h1>\(escape(input.title))</h1>\n"
        body += "<section><h2>Alerts</h2>"
        body += input.alerts.isEmpty ? "<p class=ok>No alerts.</p>"
            : "<ul class=alerts>" + input.alerts.map { "<li><b>\(escape($0.kind))</b>: \(escape($0.message))</li>" }.joined() + "</ul>"
        body += "</section>\n"
        let table = { (report: Report, limit: Int) in Self.table(report, limit: limit, repLabel: input.repLabel) }
        if let validation = byName["validation"] { body += "<section><h2>\(escape(validation.title))</h2>\(table(validation, 1_000))</section>\n" }
        if let reps = byName["level2_reps"], !reps.rows.isEmpty {
            let labels = reps.column("rep").map { input.repLabel($0.display) }
            let values = reps.column("valuation").map { $0.number ?? 0 }
            let overall = values.reduce(0, +) / Double(max(1, values.count))
            let centres = reps.columns.contains("team_mean") ? reps.column("team_mean").map { $0.number ?? overall } : values.map { _ in overall }
            body += "<section><h2>Territory valuation by rep</h2><p>The shaded band is ±\(Int(input.tolerance * 100)) % around the mean of each rep's team (reps covering the same regions and segments).</p>"
            body += barChart(id: "valuation-by-rep", labels: labels, series: [("valuation", "#2d5fa8", values)],
                             bands: centres.map { ($0 * (1 - input.tolerance), $0 * (1 + input.tolerance)) }, format: money)
            for balance in input.balance {
                body += "<p>\(escape(balance.role)) reps: max/min \(balance.maxMinRatio.isFinite ? String(format: "%.2f", balance.maxMinRatio) : "— (a rep holds nothing)"), coefficient of variation \(String(format: "%.3f", balance.coefficientOfVariation)), \(balance.withinBound ? "all within the band" : "<b>not all within the band</b>")</p>"
            }
            let tiers = ["T1", "T2", "T3"].map { tier in (tier, tierColors[tier] ?? "#999", reps.column(tier.lowercased()).map { $0.number ?? 0 }) }
            body += "<h2>Accounts by tier per rep</h2>" + barChart(id: "tiers-by-rep", labels: labels, series: tiers, bands: nil, format: { String(Int($0)) })
            body += table(reps, 1_000) + "</section>\n"
        }
        if let level1 = byName["level1_by_tier"], !level1.rows.isEmpty {
            let labels = level1.column("tier").map(\.display)
            let rates = level1.column("win_rate").map { ($0.number ?? 0) * 100 }
            body += "<section><h2>Win rate by tier</h2>"
            body += barChart(id: "win-rate-by-tier", labels: labels, series: [("win rate %", "#1b7f3b", rates)], bands: nil, format: { String(format: "%.0f %%", $0) })
            body += table(level1, 1_000) + "</section>\n"
        }
        if let people = byName["people_coverage"], !people.rows.isEmpty {
            let labels = people.column("tier").map(\.display)
            let share = { (column: String) in zip(people.column(column), people.column("accounts")).map { ($0.number ?? 0) / max(1, $1.number ?? 0) * 100 } }
            body += "<section><h2>\(escape(people.title))</h2><p>Share of accounts with a tier-1 persona, from the CRMs' contacts alone and with the people found.</p>"
            body += barChart(
                id: "persona-coverage", labels: labels, series: [("before %", "#8a8f98", share("with_tier1_before")), ("after %", "#1b7f3b", share("with_tier1_after"))],
                bands: nil, format: { String(format: "%.0f %%", $0) })
            body += table(people, 200) + "</section>\n"
        }
        for name in ["territory_balance", "level1_by_segment", "level2_persona_coverage", "calibration", "level3_rep_tiers", "level3_t1_missing_personas"] {
            guard let report = byName[name] else { continue }
            body += "<section><h2>\(escape(report.title))</h2>\(table(report, 200))"
            body += report.notes.map { "<p class=note>\(escape($0))</p>" }.joined() + "</section>\n"
        }
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>\(escape(input.title))</title>
            <style>
            body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222}
            h1{font-size:1.6em}h2{font-size:1.2em;margin-top:1.6em}
            table{border-collapse:collapse;margin:.6em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
            th{background:#f2f4f7}td:first-child,th:first-child{text-align:left}
            .alerts li{color:#8a1c1c}.ok{color:#1b7f3b}.note{color:#555}svg{display:block;margin:.5em 0}
            </style></head><body>
            \(body)
            </body></html>
            """
    }

    /// Grouped (or single) bars, each slot with an optional shaded band; labels under the bars.
    static func barChart(id: String, labels: [String], series: [(String, String, [Double])], bands: [(Double, Double)]?, format: (Double) -> String) -> String {
        let width = 1000.0, height = 300.0, left = 70.0, bottom = 60.0, top = 20.0
        let maximum = max(1, (series.flatMap(\.2) + (bands ?? []).map(\.1)).max() ?? 1) * 1.08
        let plotHeight = height - bottom - top
        let slot = (width - left - 10) / Double(max(1, labels.count))
        let barWidth = max(1, slot * 0.8 / Double(max(1, series.count)))
        func y(_ value: Double) -> Double { top + plotHeight * (1 - value / maximum) }
        var svg = "<svg id=\"\(id)\" class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\">"
        for (index, band) in (bands ?? []).enumerated() {
            svg += "<rect class=\"band\" x=\"\(left + slot * Double(index))\" y=\"\(y(band.1))\" width=\"\(slot)\" height=\"\(max(0, y(band.0) - y(band.1)))\" fill=\"#2d5fa8\" fill-opacity=\"0.12\"/>"
        }
        for tick in 0...4 {
            let value = maximum / 4 * Double(tick)
            svg += "<line x1=\"\(left)\" x2=\"\(width - 10)\" y1=\"\(y(value))\" y2=\"\(y(value))\" stroke=\"#ddd\"/>"
            svg += "<text x=\"\(left - 6)\" y=\"\(y(value) + 4)\" font-size=\"11\" text-anchor=\"end\">\(escape(format(value)))</text>"
        }
        for (index, label) in labels.enumerated() {
            let x0 = left + slot * Double(index) + slot * 0.1
            for (position, (name, color, values)) in series.enumerated() where index < values.count {
                let value = values[index]
                svg += "<rect class=\"bar\" x=\"\(x0 + barWidth * Double(position))\" y=\"\(y(value))\" width=\"\(barWidth)\" height=\"\(max(0, y(0) - y(value)))\" fill=\"\(color)\"><title>\(escape(label)) \(escape(name)): \(escape(format(value)))</title></rect>"
            }
            if labels.count <= 60 {
                svg += "<text x=\"\(x0 + slot * 0.4)\" y=\"\(height - bottom + 14)\" font-size=\"10\" text-anchor=\"end\" transform=\"rotate(-40 \(x0 + slot * 0.4) \(height - bottom + 14))\">\(escape(label))</text>"
            }
        }
        if series.count > 1 {
            for (position, (name, color, _)) in series.enumerated() {
                svg += "<rect x=\"\(left + 90 * Double(position))\" y=\"2\" width=\"10\" height=\"10\" fill=\"\(color)\"/><text x=\"\(left + 14 + 90 * Double(position))\" y=\"11\" font-size=\"11\">\(escape(name))</text>"
            }
        }
        return svg + "</svg>"
    }

    /// The report as a table for people: numbers with thousands grouped, reps
    /// by name and id (the `rep_name` column is then not repeated).
    static func table(_ report: Report, limit: Int, repLabel: (String) -> String) -> String {
        let rep = report.columns.firstIndex(of: "rep")
        let shown = report.columns.indices.filter { report.columns[$0] != "rep_name" || rep == nil }
        var html = "<table><tr>" + shown.map { "<th>\(escape(report.columns[$0]))</th>" }.joined() + "</tr>"
        for row in report.rows.prefix(limit) {
            html += "<tr>" + shown.map { index -> String in
                guard index < row.count else { return "<td></td>" }
                return "<td>\(escape(index == rep ? repLabel(row[index].display) : row[index].formatted))</td>"
            }.joined() + "</tr>"
        }
        if report.rows.count > limit { html += "<tr><td colspan=\"\(shown.count)\">… \(report.rows.count - limit) more rows in \(escape(report.name)).csv</td></tr>" }
        return html + "</table>"
    }

    static func money(_ value: Double) -> String {
        value >= 1_000_000 ? String(format: "%.1fM", value / 1_000_000) : value >= 1_000 ? String(format: "%.0fk", value / 1_000) : String(format: "%.0f", value)
    }

    /// The project's one HTML escape, for text and for attribute values in
    /// either quote (the report and the reporter's review pages use it).
    public static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}

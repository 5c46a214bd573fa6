import Foundation
import Logging
import MarketMapCore
import Postgres

/// Everything the reporter produces for a finished `market` run.
public struct MarketReportSet: Sendable {
    public var reports: [Report]
    public var alerts: [Alert]
    public var balance: [Balance]
    public var html: String
}

/// The reporter's work after a `market` run (`DOMAIN.md` §6–§7): assign
/// territories (`TerritoryAssigner`, in memory: about 100 bytes per account),
/// compute the Level 1/2/3 reports, calibration, alerts and the validation
/// report with set-based SQL, store them (`territory_assignments`,
/// `reports`) and write them as CSV, JSON and one HTML page.
public struct MarketReports: Sendable {
    public let config: MarketMapConfig
    /// The configuration's text: tier movers say when it changed since the baseline.
    public let configText: String
    public let asOf: String
    public let logger: Logger

    public init(config: MarketMapConfig, configText: String = "", asOf: String, logger: Logger) {
        self.config = config
        self.configText = configText
        self.asOf = asOf
        self.logger = logger
    }

    var product: String { config.products.first?.product ?? "" }

    public func build(run: Int, on db: isolated Connection) throws -> MarketReportSet {
        try db.withTransaction {
            let plan = try assignTerritories(run: run, on: db)
            let movers = try TierMovers(product: product, configText: configText).compute(run: run, on: db)
            var reports = try figures(on: db)
            reports.append(movers.report)
            if let index = reports.firstIndex(where: { $0.name == "level2_reps" }) { reports[index] = withTeams(reports[index]) }
            let pairs: [(estimate: Double, actual: Double)] = try db.query(ReportQueries.calibrationPairs).map { try $0.decode(Double.self, Double.self) }
            let calibration = Calibration.of(pairs)
            reports.append(Report(
                name: "calibration", title: "Valuation calibration against closed-won amounts", columns: ["metric", "value"],
                rows: calibration.map { c in
                    [("accounts with an estimate and closed-won revenue", Double(c.accounts)), ("MAPE", c.mape), ("suggested coefficient factor", c.suggestedFactor),
                     ("MAPE after the factor", c.mapeAfter), ("share within ±25 % after the factor", c.withinBandAfter)].map { [.text($0.0), .number($0.1)] }
                } ?? [[.text("accounts with an estimate and closed-won revenue"), .number(0)]]))
            reports.append(Report(
                name: "territory_balance", title: "Level 2 — territory balance per team (peers: same role, regions and segments)",
                columns: ["team", "reps", "mean", "min", "max", "max_min_ratio", "coefficient_of_variation", "within_band"],
                rows: (plan?.balance ?? []).map { b in
                    [.text(b.role), .number(Double(b.reps)), .number(b.mean.rounded()), .number(b.min), .number(b.max),
                     b.maxMinRatio.isFinite ? .number(b.maxMinRatio) : .null, .number(b.coefficientOfVariation), .text(b.withinBound ? "yes" : "no")]
                }, notes: plan?.notes ?? []))
            reports.append(try ReviewSummary(on: db).report)
            var inputs = alertInputs(reports, calibration: calibration)
            inputs.tierChurn = movers.baselineRun.map { .init(since: $0, moved: movers.moved, accounts: movers.accounts, configChanged: movers.configChanged) }
            let alerts = inputs.alerts(config.alerts)
            reports.append(Report(name: "alerts", title: "Alerts", columns: ["kind", "message"], rows: alerts.map { [.text($0.kind), .text($0.message)] }))
            let encoder = JSONEncoder()
            reports = reports.map(withRepNames)
            for report in reports {
                try db.query(
                    ReportQueries.saveReport, run, report.name, report.columns, String(decoding: try encoder.encode(report.rows), as: UTF8.self),
                    report.notes)
            }
            let html = HTMLReport.render(.init(
                title: "Market Map — run \(run)", reports: reports, alerts: alerts, balance: plan?.balance ?? [],
                tolerance: config.territories.tolerance, repNames: repNames))
            return MarketReportSet(reports: reports, alerts: alerts, balance: plan?.balance ?? [], html: html)
        }
    }

    /// Runs `TerritoryAssigner` over the tiered (and partner) accounts and
    /// replaces `territory_assignments`. Nil when no reps are configured.
    func assignTerritories(run: Int, on db: isolated Connection) throws -> TerritoryPlan? {
        let reps = config.territories.reps
        let settings = config.territories
        var ids: [Int] = []
        var accounts: [TerritoryAccount] = []
        // Read before clearing: the previous assignment is the owner of accounts the CRM has none for.
        // Streamed: the accounts grow with the market, and the assigner holds them once, compactly.
        if !reps.isEmpty {
            try db.forEachRow(ReportQueries.territoryAccounts, product, asOf, settings.staleMonths, settings.segmentField) { row in
                let (id, valuation, region, segment, owner, isPartner, isStale) = try row.decode(
                    Int.self, Double.self, String?.self, String?.self, String?.self, Bool.self, Bool.self)
                ids.append(id)
                accounts.append(TerritoryAccount(
                    valuation: valuation, region: region, segment: segment, owner: owner, isPartner: isPartner, isStale: isStale))
            }
        }
        try db.execute(ReportQueries.clearAssignments)
        guard !reps.isEmpty else { return nil }
        let plan = TerritoryAssigner(tolerance: settings.tolerance).assign(accounts, reps: reps)
        // A first owner for an unowned account is recorded with its reason, but is no move.
        let moves = Dictionary(plan.moves.map { ($0.account, ($0.reason, $0.from != nil)) }, uniquingKeysWith: { first, _ in first })
        let unassigned = Dictionary(plan.unassigned.map { ($0.account, $0.reason) }, uniquingKeysWith: { first, _ in first })
        try db.copyIn(ReportQueries.copyAssignments) { writer in
            for (index, id) in ids.enumerated() {
                let rep = plan.rep[index].map { reps[$0].id }
                try writer.writeRow([
                    String(id), String(run), rep, accounts[index].owner, moves[index]?.1 == true ? "t" : "f", moves[index]?.0 ?? unassigned[index],
                ])
            }
        }
        for note in plan.notes { logger.warning("territories", metadata: ["note": "\(note)"]) }
        return plan
    }

    /// A report from a query whose columns, in order, are `columns`: text ("t") or numbers ("n").
    func report(_ name: String, _ title: String, _ columns: [(String, Character)], _ sql: String, _ parameters: any PostgresEncodable..., on db: isolated Connection) throws -> Report {
        let result = try db.query(sql, parameters: parameters)
        guard result.columns.count == columns.count else {
            throw PostgresError.decoding(
                column: "(" + result.columns.joined(separator: ", ") + ")", type: "row",
                message: "report \(name) names \(columns.count) columns: \(columns.map(\.0).joined(separator: ", "))")
        }
        let rows = try result.map { row in
            try columns.indices.map { index -> ReportValue in
                if columns[index].1 == "n" { return (try row.decode(index, as: Double?.self)).map(ReportValue.number) ?? .null }
                return (try row.decode(index, as: String?.self)).map(ReportValue.text) ?? .null
            }
        }
        return Report(name: name, title: title, columns: columns.map(\.0), rows: rows)
    }

    func figures(on db: isolated Connection) throws -> [Report] {
        [
            try report("validation", "Validation", [("metric", "t"), ("value", "n")], ReportQueries.validation, product, on: db),
            try report(
                "level1_by_tier", "Level 1 — closed won / lost, win rate and revenue by tier (\(product))",
                [("tier", "t"), ("won", "n"), ("lost", "n"), ("win_rate", "n"), ("revenue", "n")], ReportQueries.level1ByTier, product, on: db),
            try report(
                "level1_by_segment", "Level 1 — win rate by segment",
                [("dimension", "t"), ("segment", "t"), ("won", "n"), ("lost", "n"), ("win_rate", "n")], ReportQueries.level1BySegment, on: db),
            try report(
                "level2_reps", "Level 2 — territory valuation and accounts by tier per rep",
                [("rep", "t"), ("accounts", "n"), ("valuation", "n"), ("t1", "n"), ("t2", "n"), ("t3", "n"), ("moved", "n")],
                ReportQueries.level2Reps, product, on: db),
            try report(
                "level2_persona_coverage", "Level 2 — persona coverage by account tier",
                [("tier", "t"), ("accounts", "n"), ("contacts_per_account", "n"), ("with_tier1_persona", "n"), ("with_tier2_persona", "n"),
                 ("below_min_contacts", "n")], ReportQueries.personaCoverage, product, config.alerts.minContactsT1, on: db),
            try report(
                "level3_rep_tiers", "Level 3 — each rep's accounts by tier",
                [("rep", "t"), ("tier", "t"), ("accounts", "n"), ("valuation", "n")], ReportQueries.level3RepTiers, product, on: db),
            try report(
                "level3_t1_missing_personas", "Level 3 — T1 accounts without a tier-1 persona",
                [("rep", "t"), ("golden_id", "n"), ("name", "t"), ("domain", "t"), ("contacts", "n")],
                ReportQueries.level3MissingPersonas, product, on: db),
        ] + (config.enrichment.people.isEnabled ? [
            try report(
                "people_coverage", "Persona coverage by account tier, before (the CRMs' contacts) and after persona discovery",
                [("tier", "t"), ("accounts", "n"), ("with_tier1_before", "n"), ("with_tier1_after", "n"), ("with_tier2_before", "n"),
                 ("with_tier2_after", "n"), ("contacts_found", "n")], PeopleQueries.coverage, product, on: db),
        ] : [])
    }

    /// Rep id → the name the configuration gives (reps without one are left out).
    var repNames: [String: String] {
        Dictionary(config.territories.reps.filter { !$0.name.isEmpty }.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
    }

    /// Adds a `rep_name` column (the configuration's name of each rep) to a
    /// report that has a `rep` column (ids), last, so the columns before keep their places.
    func withRepNames(_ report: Report) -> Report {
        guard report.columns.contains("rep"), !report.columns.contains("rep_name") else { return report }
        let names = repNames
        var result = report
        result.columns.append("rep_name")
        result.rows = zip(report.rows, report.column("rep")).map { row, rep in row + [names[rep.display].map(ReportValue.text) ?? .null] }
        return result
    }

    /// Adds each rep's team (peers: same role, regions and segments) and the
    /// team's mean valuation, the centre of the rep's ±tolerance band.
    func withTeams(_ report: Report) -> Report {
        let team = Dictionary(config.territories.reps.map { ($0.id, TerritoryAssigner.groupName($0)) }, uniquingKeysWith: { first, _ in first })
        let names = report.column("rep").map(\.display)
        let values = report.column("valuation").map { $0.number ?? 0 }
        var sums: [String: (Double, Int)] = [:]
        for (rep, value) in zip(names, values) {
            let key = team[rep] ?? "(not in the configuration)"
            sums[key, default: (0, 0)].0 += value
            sums[key, default: (0, 0)].1 += 1
        }
        var result = report
        result.columns += ["team", "team_mean"]
        result.rows = zip(report.rows, names).map { row, rep in
            let key = team[rep] ?? "(not in the configuration)"
            let (sum, count) = sums[key] ?? (0, 1)
            return row + [.text(key), .number((sum / Double(max(1, count))).rounded())]
        }
        return result
    }

    func alertInputs(_ reports: [Report], calibration: Calibration?) -> AlertInputs {
        let byName = Dictionary(reports.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var winRate: [AccountTier: Double] = [:]
        if let level1 = byName["level1_by_tier"] {
            for (tier, rate) in zip(level1.column("tier"), level1.column("win_rate")) {
                if let tier = AccountTier(rawValue: tier.display), let rate = rate.number { winRate[tier] = rate }
            }
        }
        var tierCounts: [AccountTier: Int] = [:], gaps = 0
        if let coverage = byName["level2_persona_coverage"] {
            for row in coverage.rows {
                guard let tier = AccountTier(rawValue: row[0].display) else { continue }
                tierCounts[tier] = Int(row[1].number ?? 0)
                if tier == .t1 { gaps = Int(row[5].number ?? 0) }
            }
        }
        var accounts: [String: Int] = [:], valuation: [String: Double] = [:]
        if let reps = byName["level2_reps"] {
            for row in reps.rows {
                accounts[row[0].display] = Int(row[1].number ?? 0)
                valuation[row[0].display] = row[2].number ?? 0
            }
        }
        return AlertInputs(
            winRate: winRate, calibration: calibration, t1CoverageGaps: gaps, tierCounts: tierCounts, repAccounts: accounts, repValuation: valuation)
    }

    /// Writes `<name>.csv` and `<name>.json` per report, `territories.csv`,
    /// `rep_distribution.csv`, `alerts.json` and, last and atomically (a
    /// rename), `report.html`: once it exists, every other file is complete.
    public func write(_ set: MarketReportSet, to directory: URL, on db: isolated Connection) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let territories = directory.appendingPathComponent("territories.csv")
        _ = FileManager.default.createFile(atPath: territories.path, contents: nil)
        let handle = try FileHandle(forWritingTo: territories)
        try db.copyOut(ReportQueries.territoriesCSV) { bytes in try handle.write(contentsOf: Data(bytes)) }
        try handle.close()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        for report in set.reports {
            try Data(report.csv().utf8).write(to: directory.appendingPathComponent(report.name + ".csv"))
            try encoder.encode(report).write(to: directory.appendingPathComponent(report.name + ".json"))
            if report.name == "level2_reps" { try Data(report.csv().utf8).write(to: directory.appendingPathComponent("rep_distribution.csv")) }
        }
        try encoder.encode(set.alerts).write(to: directory.appendingPathComponent("alerts.json"))
        let html = directory.appendingPathComponent("report.html")
        let partial = directory.appendingPathComponent(".report.html.partial")
        try Data(set.html.utf8).write(to: partial)
        guard rename(partial.path, html.path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: html.path])
        }
    }
}

import Enrichment
import Foundation
import Logging
import MarketMapCore
import Pipeline
import Postgres
import TestSupport
import Testing

/// The score stage on a generated, merged dataset, checked against the same
/// rules written independently in SQL.
@Suite("Scoring stage")
struct ScoringStageTests {
    static let config = """
        icp:
          products:
            - name: platform
              criteria:
                - field: employees
                  bands:
                    - {range: [1000, null], points: 50}
                    - {range: [200, 1000], points: 30}
                - {field: industry, in: [Software, SaaS], points: 30}
                - {field: extra.Tech Stack, regex: "(?i)salesforce", points: 10}
                - {field: domain, exists: true, points: 10}
              exclusions:
                - {field: type, equals: Partner}
            - name: services
              tiers: {t1: 90, t2: 50}
              criteria:
                - {field: industry, equals: Manufacturing, points: 60}
                - {field: country, in: [US, CA], points: 40}
        valuation:
          base:
            bands:
              - {range: [null, 50], value: 10000}
              - {range: [50, 500], value: 40000}
              - {range: [500, null], value: 100000}
          factors:
            - {field: industry, multipliers: {Software: 2}}
        personas:
          seniority: {tier1: [C-Level, VP], tier2: [Director], tier3: [Manager]}
          departments: {tier1: [Sales], tier2: [Marketing], tier3: []}
          geography: {tier1: [US], tier2: [CA], tier3: []}
          titles: {tier1: [], tier2: [], tier3: []}
          negative_titles: [Intern]
        territories:
          tolerance: 0.2
          reps:
            - {id: rep-na-1, regions: [US, CA]}
            - {id: rep-na-2, regions: [US, CA]}
            - {id: rep-eu-1, regions: [DE, GB]}
            - {id: rep-eu-2, regions: [DE, GB]}
            - {id: partners, role: partner}
        alerts:
          accounts_per_rep: [1, 10000]
        """

    /// 400 Salesforce accounts (varied size, industry, type, country, tech stack) and 800 contacts.
    func load(_ db: Connection) async throws {
        var random = SeededRandom(seed: 61)
        let industries = ["Software", "SaaS", "Manufacturing", "Retail", ""]
        let countries = ["US", "CA", "DE", "GB"]
        var accounts = "Account ID,Account Name,Website,Industry,Employees,Billing Country,Type,Tech Stack\n"
        for i in 0..<400 {
            let website = Int.random(in: 0..<5, using: &random) == 0 ? "" : "company\(i).com"
            let employees = [5, 40, 120, 450, 800, 2500, 12000][Int.random(in: 0..<7, using: &random)]
            let type = Int.random(in: 0..<10, using: &random) == 0 ? "Partner" : "Prospect"
            let stack = ["Salesforce, Slack", "HubSpot", ""][Int.random(in: 0..<3, using: &random)]
            accounts += "A\(i),Company \(i) Holdings,\(website),\(industries.randomElement(using: &random) ?? ""),\(employees),"
            accounts += "\(countries.randomElement(using: &random) ?? ""),\(type),\"\(stack)\"\n"
        }
        let titles = ["VP Sales", "Sales Director", "Marketing Manager", "Sales Intern", "Chief Executive Officer", "Engineer", ""]
        var contacts = "Contact ID,Account ID,First Name,Last Name,Email,Title,Mailing Country\n"
        for i in 0..<800 {
            contacts += "C\(i),A\(Int.random(in: 0..<400, using: &random)),F\(i),L\(i),p\(i)@x\(i).com,"
            contacts += "\(titles.randomElement(using: &random) ?? ""),\(countries.randomElement(using: &random) ?? "")\n"
        }
        var deals = "Opportunity ID,Account ID,Opportunity Name,Amount,Stage,Close Date,Won,Closed\n"
        for i in 0..<300 {
            let closed = Int.random(in: 0..<4, using: &random) > 0, won = closed && Bool.random(using: &random)
            deals += "O\(i),A\(Int.random(in: 0..<400, using: &random)),Deal \(i),\(Int.random(in: 1...90, using: &random) * 1000),"
            deals += "\(won ? "Closed Won" : closed ? "Closed Lost" : "Negotiation"),2026-06-01,\(won),\(closed)\n"
        }
        let importer = Importer(domains: DomainNormalizer(resolver: LibPSLResolver.shared), logger: Logger(label: "test"))
        for (text, kind) in [(accounts, RecordKind.accounts), (contacts, .contacts), (deals, .opportunities)] {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("mm-score-\(UUID().uuidString).csv").path
            guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else { throw ClusterError("write") }
            _ = try await importer.importFile(path, source: "crm", format: .salesforce, kind: kind, on: db)
        }
        _ = try await AccountMerger(logger: Logger(label: "test")).merge(on: db)
        _ = try await ContactMerger(logger: Logger(label: "test")).merge(on: db)
    }

    func count(_ db: Connection, _ sql: String) async throws -> Int { try await db.query(sql)[0].decode(0) }

    /// Mismatches between what the stage wrote and the rules in SQL.
    func mismatches(_ db: Connection) async throws -> [String: Int] {
        let checks = [
            "platform score": """
                WITH facts AS (
                    SELECT g.id, g.employees, g.industry, g.domain, g.type,
                        (SELECT s.extra->>'Tech Stack' FROM account_lineage l JOIN source_accounts s USING (source, source_id)
                         WHERE l.golden_id = g.id AND s.extra->>'Tech Stack' <> ''
                         ORDER BY s.last_activity DESC NULLS LAST, s.source, s.source_id LIMIT 1) AS stack
                    FROM golden_accounts g
                ), expected AS (
                    SELECT id, CASE WHEN lower(type) = 'partner' THEN 0 ELSE
                        (CASE WHEN employees >= 1000 THEN 50 WHEN employees >= 200 THEN 30 ELSE 0 END
                         + CASE WHEN lower(industry) IN ('software', 'saas') THEN 30 ELSE 0 END
                         + CASE WHEN stack ~* 'salesforce' THEN 10 ELSE 0 END
                         + CASE WHEN coalesce(domain, '') <> '' THEN 10 ELSE 0 END) END AS score,
                        lower(type) = 'partner' AS excluded
                    FROM facts
                )
                SELECT count(*) FROM expected e LEFT JOIN account_scores s ON s.golden_id = e.id AND s.product = 'platform'
                WHERE s.fit_score IS DISTINCT FROM e.score
                   OR s.tier IS DISTINCT FROM (CASE WHEN e.excluded THEN NULL WHEN e.score >= 70 THEN 'T1' WHEN e.score >= 40 THEN 'T2' ELSE 'T3' END)
                """,
            "services tier": """
                SELECT count(*) FROM golden_accounts g LEFT JOIN account_scores s ON s.golden_id = g.id AND s.product = 'services'
                WHERE s.tier IS DISTINCT FROM (CASE
                    WHEN (CASE WHEN lower(g.industry) = 'manufacturing' THEN 60 ELSE 0 END + CASE WHEN g.country IN ('US', 'CA') THEN 40 ELSE 0 END) >= 90 THEN 'T1'
                    WHEN (CASE WHEN lower(g.industry) = 'manufacturing' THEN 60 ELSE 0 END + CASE WHEN g.country IN ('US', 'CA') THEN 40 ELSE 0 END) >= 50 THEN 'T2'
                    ELSE 'T3' END)
                """,
            "valuation": """
                SELECT count(*) FROM golden_accounts g LEFT JOIN account_valuations v ON v.golden_id = g.id
                WHERE v.valuation IS DISTINCT FROM (
                    CASE WHEN g.employees IS NULL THEN NULL WHEN g.employees < 50 THEN 10000 WHEN g.employees < 500 THEN 40000 ELSE 100000 END
                    * CASE WHEN lower(g.industry) = 'software' THEN 2 ELSE 1 END)
                """,
            "persona": """
                WITH expected AS (
                    SELECT c.id, CASE WHEN c.title ~* '\\mintern\\M' THEN NULL ELSE
                        CASE c.seniority WHEN 'C-Level' THEN 25 WHEN 'VP' THEN 25 WHEN 'Director' THEN 15 WHEN 'Manager' THEN 5 ELSE 0 END
                        + CASE c.department WHEN 'Sales' THEN 20 WHEN 'Marketing' THEN 10 ELSE 0 END
                        + CASE c.country WHEN 'US' THEN 15 WHEN 'CA' THEN 10 ELSE 0 END END AS score
                    FROM golden_contacts c
                )
                SELECT count(*) FROM expected e LEFT JOIN contact_scores s ON s.golden_contact_id = e.id
                WHERE s.golden_contact_id IS NULL OR s.persona_score <> coalesce(e.score, 0)
                   OR s.persona_tier IS DISTINCT FROM (CASE WHEN e.score IS NULL THEN NULL WHEN e.score >= 70 THEN 1 WHEN e.score >= 40 THEN 2 ELSE 3 END)
                """,
            "priority": """
                SELECT count(*) FROM contact_scores c JOIN account_scores a ON a.golden_id = c.golden_account_id AND a.product = 'platform'
                WHERE c.priority <> CASE
                    WHEN a.tier IS NULL OR c.persona_tier IS NULL THEN 'low'
                    WHEN a.tier = 'T1' AND c.persona_tier = 1 THEN 'AE immediate outreach'
                    WHEN (a.tier = 'T1' AND c.persona_tier = 2) OR (a.tier = 'T2' AND c.persona_tier = 1) THEN 'high'
                    WHEN a.tier = 'T2' AND c.persona_tier = 2 THEN 'medium'
                    WHEN a.tier = 'T3' THEN 'marketing nurture' ELSE 'low' END
                """,
        ]
        var result: [String: Int] = [:]
        for (name, sql) in checks { result[name] = try await count(db, sql) }
        return result
    }

    @Test("scores, tiers, valuations, persona fit and priority in 3 shards equal the rules computed in SQL; a re-run changes nothing")
    func scoringMatchesSQL() async throws {
        try await withTestConnection { db in
            try await load(db)
            let scoring = AccountScoring(config: try ConfigLoader.parse(Self.config, file: "test"), asOf: "2026-11-25")
            var total = ScoreCounts()
            for shard in 0..<3 {
                let counts = try await db.transaction { db in try scoring.score(shard: shard, of: 3, on: db) }
                total.accounts += counts.accounts
                total.contacts += counts.contacts
            }
            let golden = try await count(db, "SELECT count(*) FROM golden_accounts")
            #expect(total.accounts == golden && golden > 300)
            #expect(total.contacts == (try await count(db, "SELECT count(*) FROM golden_contacts")))
            #expect(try await count(db, "SELECT count(*) FROM account_scores") == 2 * golden)
            let found = try await mismatches(db)
            #expect(found == ["platform score": 0, "services tier": 0, "valuation": 0, "persona": 0, "priority": 0], "\(found)")
            // The data spans every outcome, so the checks above mean something.
            #expect(try await count(db, "SELECT count(DISTINCT coalesce(tier, 'excluded')) FROM account_scores WHERE product = 'platform'") == 4)
            #expect(try await count(db, "SELECT count(DISTINCT priority) FROM contact_scores") >= 4)
            // Scoring a shard again replaces its rows.
            _ = try await db.transaction { db in try scoring.score(shard: 1, of: 3, on: db) }
            #expect(try await count(db, "SELECT count(*) FROM account_scores") == 2 * golden)
        }
    }

    @Test("the market pipeline scores on workers; a bad config starts no run", .tags(.process), .notFast)
    func marketPipeline() async throws {
        try await withTestDatabase { config in
            let db = try await Connection.connect(config)
            try await load(db)
            let cluster = Cluster(config)
            defer { cluster.stopAll() }
            let bad = FileManager.default.temporaryDirectory.appendingPathComponent("mm-bad-\(UUID().uuidString).yaml").path
            _ = FileManager.default.createFile(atPath: bad, contents: Data(Self.config.replacingOccurrences(of: "[200, 1000]", with: "[200]").utf8))
            let refused = try await MarketMapBinary.run(["runs", "start", "--pipeline", "market", "--config", bad], environment: cluster.environment)
            #expect(refused.status != 0)
            #expect(refused.output.contains("icp.products[0].criteria[0].bands[1].range: expected [min, max] numbers"), "\(refused.output)")
            #expect(try await count(db, "SELECT count(*) FROM runs") == 0, "no partial run")

            let good = FileManager.default.temporaryDirectory.appendingPathComponent("mm-good-\(UUID().uuidString).yaml").path
            _ = FileManager.default.createFile(atPath: good, contents: Data(Self.config.utf8))
            try cluster.coordinator()
            try cluster.worker("w1")
            try cluster.worker("w2")
            let started = try await MarketMapBinary.run(
                ["runs", "start", "--pipeline", "market", "--config", good, "--param", "shards=4", "--param", "as_of=2026-11-25"],
                environment: cluster.environment)
            let run = try #require(Int(started.output.split(separator: "\n").last ?? ""), "\(started.output)")
            #expect(try await cluster.wait(run: run).status == 0)
            let found = try await mismatches(db)
            #expect(found == ["platform score": 0, "services tier": 0, "valuation": 0, "persona": 0, "priority": 0], "\(found)")
            #expect(try await count(db, "SELECT jobs_total FROM run_stages WHERE run_id = \(run) AND stage = 'score'") == 4)

            // The reporter: territories, reports in tables and files, against independent SQL.
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("mm-reports-\(UUID().uuidString)")
            try cluster.start(["reporter", "--out", out.path])
            let html = out.appendingPathComponent("run-\(run)/report.html")
            #expect(try await eventually(timeout: 60) { FileManager.default.fileExists(atPath: html.path) }, "report.html appears")
            try await checkReports(db, run: run, directory: out.appendingPathComponent("run-\(run)"))
            await db.close()
        }
    }

    func checkReports(_ db: Connection, run: Int, directory: URL) async throws {
        // Every tiered or partner account placed once; partners only on the partner desk; regions respected.
        #expect(try await count(db, """
            SELECT count(*) FROM golden_accounts g LEFT JOIN account_scores s ON s.golden_id = g.id AND s.product = 'platform'
            LEFT JOIN territory_assignments t ON t.golden_id = g.id
            WHERE (s.tier IS NOT NULL OR lower(g.type) LIKE '%partner%') AND t.golden_id IS NULL
            """) == 0)
        #expect(try await count(db, "SELECT count(*) FROM territory_assignments t JOIN golden_accounts g ON g.id = t.golden_id WHERE (t.rep_id = 'partners') <> (lower(g.type) LIKE '%partner%')") == 0)
        #expect(try await count(db, """
            SELECT count(*) FROM territory_assignments t JOIN golden_accounts g ON g.id = t.golden_id
            WHERE (t.rep_id LIKE 'rep-na-%' AND g.country NOT IN ('US', 'CA')) OR (t.rep_id LIKE 'rep-eu-%' AND g.country NOT IN ('DE', 'GB'))
            """) == 0)
        // Level 2 figures equal the same sums taken straight from the tables.
        let stored = try await db.query("SELECT rows::text FROM reports WHERE run_id = $1 AND name = 'level2_reps'", run)[0].decode(0, as: String.self)
        let independent = try await db.query("""
            SELECT coalesce(jsonb_agg(jsonb_build_array(rep, n, val) ORDER BY rep), '[]')::text FROM (
                SELECT t.rep_id AS rep, count(*)::float8 AS n, sum(coalesce(v.valuation, 0))::float8 AS val
                FROM territory_assignments t LEFT JOIN account_valuations v USING (golden_id) WHERE t.rep_id IS NOT NULL GROUP BY 1) x
            """)[0].decode(0, as: String.self)
        let storedTriples = try await db.query("SELECT coalesce(jsonb_agg(jsonb_build_array(r->0, r->1, r->2)), '[]')::text FROM jsonb_array_elements($1::jsonb) r", stored)[0].decode(0, as: String.self)
        #expect(storedTriples == independent)
        // Level 1: win rate per tier from the source tables directly.
        let winRates = try await db.query("""
            SELECT coalesce(jsonb_agg(jsonb_build_array(tier, won, rate) ORDER BY tier), '[]')::text FROM (
                SELECT s.tier, count(*) FILTER (WHERE o.is_won)::float8 AS won,
                    round((count(*) FILTER (WHERE o.is_won)::numeric / nullif(count(*) FILTER (WHERE o.is_closed), 0)), 6)::float8 AS rate
                FROM source_opportunities o
                JOIN account_lineage l ON l.source = o.source AND l.source_id = o.account_source_id
                JOIN account_scores s ON s.golden_id = l.golden_id AND s.product = 'platform' AND s.tier IS NOT NULL
                GROUP BY 1) x
            """)[0].decode(0, as: String.self)
        let reported = try await db.query("""
            SELECT coalesce(jsonb_agg(jsonb_build_array(r->>0, (r->>1)::float8, round((r->>3)::numeric, 6)::float8) ORDER BY r->>0), '[]')::text
            FROM reports, jsonb_array_elements(rows) r WHERE run_id = $1 AND name = 'level1_by_tier' AND r->>0 <> 'excluded'
            """, run)[0].decode(0, as: String.self)
        #expect(reported == winRates)
        #expect(winRates.contains("T1") && winRates.contains("T3"), "\(winRates)")
        // Validation figures.
        let validation = try await db.query("SELECT rows::text FROM reports WHERE run_id = $1 AND name = 'validation'", run)[0].decode(0, as: String.self)
        #expect(validation.contains("[\"golden accounts\", \(try await count(db, "SELECT count(*) FROM golden_accounts"))]"), "\(validation)")
        // Files: the CSV/JSON pairs, territories, the HTML page with non-empty charts and no script.
        for name in ["validation", "level1_by_tier", "level2_reps", "level3_rep_tiers", "alerts", "calibration", "territory_balance"] {
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(name + ".csv").path), "\(name).csv")
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(name + ".json").path), "\(name).json")
        }
        let territories = try String(contentsOf: directory.appendingPathComponent("territories.csv"), encoding: .utf8)
        #expect(territories.split(separator: "\n").count == (try await count(db, "SELECT count(*) FROM territory_assignments")) + 1)
        let html = try String(contentsOf: directory.appendingPathComponent("report.html"), encoding: .utf8)
        for chart in ["valuation-by-rep", "tiers-by-rep", "win-rate-by-tier"] {
            #expect(html.contains("id=\"\(chart)\""), "\(chart)")
        }
        #expect(html.components(separatedBy: "class=\"bar\"").count > 10)
        #expect(!html.contains("<script"))
        // The two teams of two direct reps are each within ±20 % (a feasible instance).
        let balance = try await db.query("SELECT rows::text FROM reports WHERE run_id = $1 AND name = 'territory_balance'", run)[0].decode(0, as: String.self)
        #expect(balance.contains("[\"direct CA+US\", 2") && balance.contains("[\"direct DE+GB\", 2"), "\(balance)")
        #expect(!balance.contains("\"no\""), "\(balance)")
    }
}

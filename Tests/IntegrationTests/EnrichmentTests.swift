import DevTools
import Enrichment
import Foundation
import Logging
import MarketMapCore
import Pipeline
import Postgres
import TestSupport
import Testing

/// The enrich stage on real workers against provider simulators on loopback.
@Suite("Enrichment stage", .tags(.process), .notFast)
struct EnrichmentTests {
    static let accounts = 120

    /// 120 accounts `company<i>.com` in the US: industry blank when i % 3 == 0,
    /// employees blank when i % 2 == 0 (so i % 6 in {1, 5} is complete).
    func load(_ db: Connection) async throws {
        var csv = "Account ID,Account Name,Website,Industry,Employees,Billing Country\n"
        for i in 0..<Self.accounts {
            csv += "A\(i),Company \(i) Holdings,company\(i).com,\(i % 3 == 0 ? "" : "Retail"),\(i % 2 == 0 ? "" : "500"),US\n"
        }
        let path = try temporaryFile("accounts.csv", csv)
        let importer = Importer(domains: DomainNormalizer(resolver: LibPSLResolver.shared), logger: Logger(label: "test"))
        _ = try await importer.importFile(path, source: "crm", format: .salesforce, kind: .accounts, on: db)
        _ = try await AccountMerger(logger: Logger(label: "test")).merge(on: db)
    }

    /// Three providers, cheapest first: a free warehouse table (employees for
    /// i % 4 == 0), API alpha (industry Software, unknown for i % 5 == 0; only
    /// for accounts without an industry), batch API beta (industry Media and
    /// 900 employees for everyone; only for fit scores >= 40).
    func config(warehouse: String, budget: Double? = nil, attempts: Int = 4, timeoutMS: Int = 2_000) -> String {
        """
        icp:
          products:
            - name: platform
              criteria:
                - {field: industry, equals: Software, points: 50}
                - {field: employees, range: [100, null], points: 30}
                - {field: domain, exists: true, points: 20}
        valuation:
          base:
            bands:
              - {range: [null, 100], value: 10000}
              - {range: [100, null], value: 50000}
        enrichment:
          fields: [industry, employees]
        \(budget.map { "  budget: \($0)" } ?? "")
          providers:
            - name: warehouse
              type: table
              csv: \(warehouse)
              key_column: site
              fields: {employees: headcount}
            - name: alpha
              type: http
              url: "${ALPHA_URL}/v1/companies?domain={domain}"
              headers: {Authorization: "Bearer {token}"}
              token_env: ALPHA_TOKEN
              fields: {industry: /industry, employees: /employees}
              only_run_if: ["industry is blank"]
              cost: 1
              attempts: \(attempts)
              backoff_ms: 20
              timeout_ms: \(timeoutMS)
              rate_limit: {per_second: 400, concurrent: 8}
            - name: beta
              type: http
              url: "${BETA_URL}/v1/companies/batch"
              batch: {size: 7}
              fields: {industry: /industry, employees: /employees}
              only_run_if: ["fit_score >= 40"]
              cost: 2
              attempts: \(attempts)
              backoff_ms: 20
              timeout_ms: \(timeoutMS)
              rate_limit: {per_second: 400, concurrent: 4}
        """
    }

    struct Providers {
        let alpha: ProviderSimulator, beta: ProviderSimulator, warehouse: String
        func stop() {
            alpha.stop()
            beta.stop()
        }
    }

    func providers(faults: Bool = false) throws -> Providers {
        var warehouse = "site,headcount\n"
        for i in stride(from: 0, to: Self.accounts, by: 4) { warehouse += "https://www.company\(i).com/,250\n" }
        var alphaRows: [String: [String: String]] = [:], betaRows: [String: [String: String]] = [:]
        for i in 0..<Self.accounts {
            if i % 5 != 0 { alphaRows["company\(i).com"] = ["domain": "company\(i).com", "industry": "Software"] }
            betaRows["company\(i).com"] = ["domain": "company\(i).com", "industry": "Media", "employees": "900"]
        }
        var settings = ProviderSimulator.Settings()
        settings.token = "alpha-secret"
        settings.latencyMilliseconds = 5
        if faults {
            settings.errorRate = 0.1
            settings.tooManyRequestsRate = 0.05
            settings.timeoutRate = 0.05
            settings.hangMilliseconds = 1_500
            settings.retryAfterSeconds = 0
            settings.malformedRate = 0.03
        }
        var betaSettings = settings
        betaSettings.token = nil
        betaSettings.seed = 2
        let alpha = ProviderSimulator(records: alphaRows, settings: settings), beta = ProviderSimulator(records: betaRows, settings: betaSettings)
        try alpha.start()
        try beta.start()
        return Providers(alpha: alpha, beta: beta, warehouse: try temporaryFile("warehouse.csv", warehouse))
    }

    /// What the waterfall must do, worked out here by hand from the rules:
    /// (account number, field) → (value, provider), and who beta is asked for.
    func expected() -> (filled: [String: String], alphaAsked: Int, betaAsked: Int) {
        var filled: [String: String] = [:]
        var alphaAsked = 0, betaAsked = 0
        for i in 0..<Self.accounts {
            var industry: String? = i % 3 == 0 ? nil : "Retail", employees: Double? = i % 2 == 0 ? nil : 500
            if employees == nil, i % 4 == 0 { employees = 250; filled["\(i) employees"] = "250 warehouse" }
            if industry == nil {
                alphaAsked += 1
                if i % 5 != 0 { industry = "Software"; filled["\(i) industry"] = "Software alpha" }
            }
            let fit = (industry == "Software" ? 50 : 0) + ((employees ?? 0) >= 100 ? 30 : 0) + 20
            if (industry == nil || employees == nil) && fit >= 40 {
                betaAsked += 1
                if industry == nil { filled["\(i) industry"] = "Media beta" }
                if employees == nil { filled["\(i) employees"] = "900 beta" }
            }
        }
        return (filled, alphaAsked, betaAsked)
    }

    func provenance(_ db: Connection) async throws -> [String: String] {
        var found: [String: String] = [:]
        let rows = try await db.query("""
            SELECT substr(l.source_id, 2), e.field, e.value, e.provider FROM account_enrichment e
            JOIN account_lineage l ON l.golden_id = e.golden_id
            """)
        for row in rows { found["\(try row.decode(0, as: String.self)) \(try row.decode(1, as: String.self))"] = "\(try row.decode(2, as: String.self)) \(try row.decode(3, as: String.self))" }
        return found
    }

    func startRun(_ cluster: Cluster, config: String) async throws -> Int {
        let path = try temporaryFile("config.yaml", config)
        let started = try await MarketMapBinary.run(
            ["runs", "start", "--pipeline", "market", "--config", path, "--param", "shards=4", "--param", "as_of=2026-11-25"],
            environment: cluster.environment)
        return try #require(Int(started.output.split(separator: "\n").last ?? ""), "\(started.output)")
    }

    /// Loaded accounts, the providers on loopback, and a coordinator with two
    /// workers that know the providers' URLs and token.
    func withProviders(faults: Bool = false, _ body: (Connection, Cluster, Providers) async throws -> Void) async throws {
        let sims = try providers(faults: faults)
        defer { sims.stop() }
        try await withTestDatabase { config in
            let db = try await Connection.connect(config)
            try await load(db)
            let cluster = Cluster(config)
            defer { cluster.stopAll() }
            cluster.extraEnvironment = [
                "ALPHA_URL": "http://127.0.0.1:\(sims.alpha.port)", "BETA_URL": "http://127.0.0.1:\(sims.beta.port)", "ALPHA_TOKEN": "alpha-secret",
            ]
            try cluster.coordinator()
            try cluster.worker("w1")
            try cluster.worker("w2")
            try await body(db, cluster, sims)
            await db.close()
        }
    }

    @Test("a three-provider waterfall fills in order, skips complete rows and only_run_if, records provenance; a re-run calls nobody; after the TTL only stale rows are called")
    func waterfall() async throws {
        try await withProviders() { db, cluster, sims in
            let yaml = self.config(warehouse: sims.warehouse)
            let run = try await startRun(cluster, config: yaml)
            #expect(try await cluster.wait(run: run).status == 0)

            let want = expected()
            let got = try await provenance(db)
            #expect(got == want.filled, "\(got.filter { want.filled[$0.key] != $0.value }.sorted { $0.key < $1.key }) missing \(want.filled.filter { got[$0.key] == nil }.sorted { $0.key < $1.key })")
            #expect(sims.alpha.calls == want.alphaAsked, "alpha is asked once per account without an industry")
            #expect(sims.beta.domainsAsked == want.betaAsked, "beta only for fit >= 40 with a field missing")
            #expect(sims.beta.calls < want.betaAsked && sims.beta.calls <= 4 + want.betaAsked / 7, "beta takes up to 7 accounts per request (per shard)")
            // Complete rows: no call, status complete; skips carry their reason.
            #expect(try await count(db, "SELECT count(*) FROM enrichment_status WHERE status = 'complete'") == Self.accounts / 3)
            #expect(try await count(db, "SELECT count(*) FROM enrichment_status WHERE attempts::text LIKE '%only_run_if: fit_score >= 40 is false%'") > 0)
            #expect(try await count(db, "SELECT count(*) FROM enrichment_status WHERE attempts::text LIKE '%only_run_if: industry is blank is false%'") > 0)
            // Credits: 1 per alpha call, 2 per account asked of beta; the ledger sums to the spend.
            let spend = try await db.query("SELECT spent::float8, (SELECT sum(cost)::float8 FROM credit_ledger WHERE run_id = $1) FROM run_credits WHERE run_id = $1", run)[0]
            #expect(try spend.decode(0, as: Double.self) == Double(want.alphaAsked + 2 * want.betaAsked))
            #expect(try spend.decode(1, as: Double.self) == (try spend.decode(0, as: Double.self)))
            // Scoring sees the enriched values.
            #expect(try await count(db, """
                SELECT count(*) FROM account_enrichment e JOIN account_scores s ON s.golden_id = e.golden_id
                WHERE e.field = 'industry' AND e.value = 'Software' AND s.fit_score < 50
                """) == 0)
            #expect(try await count(db, "SELECT count(*) FROM enriched_accounts WHERE industry = 'Software'") == Self.accounts / 3 - Self.accounts / 15)

            // A re-run within the TTL: zero HTTP calls, the same provenance.
            let (alphaCalls, betaCalls) = (sims.alpha.calls, sims.beta.calls)
            let again = try await startRun(cluster, config: yaml)
            #expect(try await cluster.wait(run: again).status == 0)
            #expect(sims.alpha.calls == alphaCalls && sims.beta.calls == betaCalls, "answers come from the cache")
            #expect(try await provenance(db) == want.filled)
            #expect(try await count(db, "SELECT count(*) FROM credit_ledger WHERE run_id = $1", again) == 0, "nothing paid twice")

            // Five of alpha's answers go stale: exactly those five are called again.
            try await db.query("""
                UPDATE enrichment_cache SET expires_at = now() - interval '1 second'
                WHERE provider = 'alpha' AND input_key IN (SELECT input_key FROM enrichment_cache WHERE provider = 'alpha' ORDER BY input_key LIMIT 5)
                """)
            let third = try await startRun(cluster, config: yaml)
            #expect(try await cluster.wait(run: third).status == 0)
            #expect(sims.alpha.calls == alphaCalls + 5)
            #expect(sims.beta.calls == betaCalls)
            #expect(try await provenance(db) == want.filled)
        }
    }

    @Test("two workers and a budget smaller than the demand: the spend never exceeds it, the ledger sums to it, the rest is marked budget")
    func budget() async throws {
        try await withProviders() { db, cluster, sims in
            let budget = 25.0
            #expect(Double(expected().alphaAsked + 2 * expected().betaAsked) > 2 * budget, "the demand is well above the budget")
            let run = try await startRun(cluster, config: self.config(warehouse: sims.warehouse, budget: budget))
            #expect(try await cluster.wait(run: run).status == 0, "the run finishes")
            let spend = try await db.query("SELECT spent::float8, (SELECT coalesce(sum(cost), 0)::float8 FROM credit_ledger WHERE run_id = $1) FROM run_credits WHERE run_id = $1", run)[0]
            let spent: Double = try spend.decode(0), ledger: Double = try spend.decode(1)
            #expect(spent <= budget && spent >= budget - 1, "spent \(spent) of \(budget)")
            #expect(ledger == spent)
            #expect(Double(sims.alpha.calls + 2 * sims.beta.domainsAsked) == spent, "every call the providers saw is in the ledger")
            #expect(try await count(db, "SELECT count(*) FROM enrichment_status WHERE status LIKE '%budget%'") > 0)
            #expect(try await count(db, "SELECT count(*) FROM dead_letters") == 0)
        }
    }

    @Test("with 20 % errors, 429s and timeouts injected (and 3 % malformed answers), every row ends enriched or with a recorded reason, and no job dead-letters")
    func faults() async throws {
        try await withProviders(faults: true) { db, cluster, sims in
            let run = try await startRun(cluster, config: self.config(warehouse: sims.warehouse, attempts: 3, timeoutMS: 300))
            #expect(try await cluster.wait(run: run).status == 0)
            #expect(try await count(db, "SELECT count(*) FROM dead_letters") == 0)
            #expect(try await count(db, "SELECT count(*) FROM enrichment_status") == Self.accounts)
            // A row still missing a field says why, provider by provider.
            #expect(try await count(db, """
                SELECT count(*) FROM enrichment_status WHERE cardinality(missing) > 0 AND (attempts = '[]' OR status IN ('complete', 'enriched'))
                """) == 0)
            #expect(sims.alpha.calls > expected().alphaAsked, "faults were retried")
            #expect(try await count(db, "SELECT count(*) FROM enrichment_status WHERE attempts::text LIKE '%malformed JSON answer%'") > 0,
                "a malformed answer is the row's recorded reason, not a failed job")
            let filled = try await provenance(db), want = expected().filled
            // A failed provider lets a later one fill the field: every value must be what its provider holds.
            let held = ["industry alpha": "Software", "industry beta": "Media", "employees beta": "900", "employees warehouse": "250"]
            #expect(filled.allSatisfy { key, value in
                let parts = value.split(separator: " "), field = key.split(separator: " ")[1]
                return parts.count == 2 && held["\(field) \(parts[1])"] == String(parts[0])
            }, "whatever was filled is what the providers hold: \(filled)")
            #expect(Double(filled.count) >= Double(want.count) * 0.8, "most rows still enriched: \(filled.count) of \(want.count)")
            let spend = try await db.query("SELECT spent::float8, (SELECT coalesce(sum(cost), 0)::float8 FROM credit_ledger WHERE run_id = $1) FROM run_credits WHERE run_id = $1", run)[0]
            #expect(try spend.decode(0, as: Double.self) == (try spend.decode(1, as: Double.self)))
        }
    }

    @Test("a PostgreSQL table provider (a warehouse table) fills by domain, without any call")
    func warehouseTable() async throws {
        try await withProviders { db, cluster, sims in
            try await db.execute("""
                CREATE SCHEMA warehouse_data;
                CREATE TABLE warehouse_data."Firmographics" (site text, headcount int);
                INSERT INTO warehouse_data."Firmographics" SELECT 'Company' || i || '.com', 1000 + i FROM generate_series(0, 119, 3) i;
                """)
            let yaml = """
                icp:
                  products:
                    - {name: p, criteria: [{field: employees, range: [100, null], points: 10}]}
                valuation:
                  base: {bands: [{range: [0, null], value: 1}], default: 1}
                enrichment:
                  fields: [employees]
                  providers:
                    - {name: usage, type: table, table: "warehouse_data.Firmographics", key_column: site, fields: {employees: headcount}}
                """
            let run = try await startRun(cluster, config: yaml)
            #expect(try await cluster.wait(run: run).status == 0)
            // Employees are blank for even numbers; the table holds multiples of 3: multiples of 6 get filled.
            var want: [String: String] = [:]
            for i in stride(from: 0, to: Self.accounts, by: 6) { want["\(i) employees"] = "\(1000 + i) usage" }
            #expect(try await provenance(db) == want)
            #expect(sims.alpha.calls == 0 && sims.beta.calls == 0)
            #expect(try await count(db, "SELECT count(*) FROM enrichment_status WHERE status = 'not enriched'") == Self.accounts / 2 - want.count)
        }
    }

    @Test("`marketmap simulator` serves a dataset: rows, 404s, batches, call counts")
    func simulatorCommand() async throws {
        let data = try temporaryFile("data.csv", "domain,industry,employees,technologies\nacme.com,Software,250,Salesforce; Slack\nbeta.io,Retail,,\n")
        let server = try RunningBinary(["simulator", "--data", data, "--port", "0"])
        defer { kill(server.process.processIdentifier, SIGTERM) }
        #expect(try await server.waitFor("listening on"))
        let base = try #require(server.text.split(separator: " ").first { $0.hasPrefix("http://") }.map(String.init))
        let acme = try httpRequest(base + "/v1/companies?domain=ACME.com")
        #expect(acme.status == 200)
        #expect(String(decoding: acme.body, as: UTF8.self) == #"{"domain":"acme.com","employees":250,"industry":"Software","technologies":["Salesforce","Slack"]}"#)
        #expect(try httpRequest(base + "/v1/companies?domain=nobody.org").status == 404)
        let batch = try httpRequest(base + "/v1/companies/batch", body: #"{"domains": ["beta.io", "nobody.org"]}"#)
        #expect(String(decoding: batch.body, as: UTF8.self) == #"{"results":[{"domain":"beta.io","industry":"Retail"}]}"#)
        let stats = try httpRequest(base + "/stats")
        #expect(String(decoding: stats.body, as: UTF8.self) == #"{"calls":3,"domains":4}"#)
        kill(server.process.processIdentifier, SIGTERM)
        #expect(try await server.waitForExit() == 0)
        #expect(server.text.contains("stopped after 3 calls"))
    }
}

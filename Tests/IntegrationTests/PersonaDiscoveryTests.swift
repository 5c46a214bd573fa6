import Enrichment
import DevTools
import Foundation
import Logging
import MarketMapCore
@testable import Pipeline
import Postgres
import Testing
import TestSupport

/// The people stage on real workers against a people provider (the simulator)
/// on loopback.
///
/// The market: 24 T1 accounts `t1-<i>.com` (US), 4 T1 accounts `few-<i>.com`
/// the provider knows one person at, 3 T1 accounts in Germany (the EU: no
/// contact data bought), 2 T1 accounts in Switzerland (only verify the CRM's
/// emails), 24 T2 accounts `t2-<i>.com`, 10 T3 accounts `t3-<i>.com`. The plan:
/// T1 wants 2 tier-1 and 1 tier-2 personas, T2 one tier-1, T3 nobody. The CRM
/// already has Ines Silva (VP Sales) at t1-0, Bob Stone (VP Sales, another
/// email, a LinkedIn URL) at t1-1, and a Sales Director at each Swiss account.
///
/// The provider has, at every t1/t2 account, in this order: Vera (VP Sales,
/// 75), Carl (Chief Revenue Officer, new in role: 85), Dana (Sales Director,
/// 50), Hugo (Head of Sales, 60), Ian (Sales Intern: negative), Ada (Account
/// Executive, 25: below the minimum of 30); at t1-0 Ines first (same email),
/// at t1-1 Bob first (new email, same LinkedIn URL), at t1-3 a French VP
/// first (privacy), at t1-4 five interns first (so a second page is needed).
/// Vera's email at t1-2 fails verification (she has a LinkedIn URL: kept
/// without it). Pages of 6 people; a search costs 1 credit plus 0.25 per
/// person returned; a verification 0.1.
@Suite("Persona discovery", .serialized)
struct PersonaDiscoveryTests {
    static let t1 = 24, few = 4, t2 = 24, t3 = 10

    func load(_ db: Connection) async throws {
        var accounts = "Account ID,Account Name,Website,Industry,Employees,Billing Country\n"
        for i in 0..<Self.t1 { accounts += "T1-\(i),Tee One \(i),t1-\(i).com,Software,2000,US\n" }
        for i in 0..<Self.few { accounts += "F-\(i),Few People \(i),few-\(i).com,Software,2000,US\n" }
        for i in 0..<3 { accounts += "EU-\(i),Euro Werke \(i),eu-\(i).de,Software,2000,Germany\n" }
        for i in 0..<2 { accounts += "CH-\(i),Helvetia \(i),ch-\(i).ch,Software,2000,Switzerland\n" }
        for i in 0..<Self.t2 { accounts += "T2-\(i),Tee Two \(i),t2-\(i).com,Software,500,US\n" }
        for i in 0..<Self.t3 { accounts += "T3-\(i),Tee Three \(i),t3-\(i).com,Software,50,US\n" }
        let contacts = """
            Contact ID,Account ID,First Name,Last Name,Email,Title,LinkedIn URL,Mailing Country,Persona_Tier__c,Priority__c
            C-1,T1-0,Ines,Silva,ines.silva@t1-0.com,VP Sales,,US,,
            C-2,T1-1,Bob,Stone,bob.stone@oldmail.example,VP Sales,https://www.linkedin.com/in/bob-stone-1,US,,
            C-3,CH-0,Uma,Keller,uma.keller@ch-0.ch,Sales Director,,CH,,
            C-4,CH-1,Max,Frei,max.frei@ch-1.ch,Sales Director,,CH,,

            """
        let importer = Importer(domains: DomainNormalizer(resolver: LibPSLResolver.shared), logger: Logger(label: "test"))
        _ = try await importer.importFile(try temporaryFile("accounts.csv", accounts), source: "crm", format: .salesforce, kind: .accounts, on: db)
        _ = try await importer.importFile(try temporaryFile("contacts.csv", contacts), source: "crm", format: .salesforce, kind: .contacts, on: db)
    }

    /// The provider's people set (see the suite's comment).
    func people() -> PeopleDirectory {
        var rows: [[String: String]] = []
        func person(_ domain: String, _ first: String, _ last: String, _ title: String, email: String?, linkedin: String = "", country: String = "US",
                    started: String = "", status: String = "valid") {
            rows.append([
                "domain": domain, "first_name": first, "last_name": last, "title": title, "email": email ?? "\(first.lowercased())@\(domain)",
                "linkedin": linkedin, "country": country, "started_at": started, "email_status": status,
            ])
        }
        let domains = (0..<Self.t1).map { "t1-\($0).com" } + (0..<Self.t2).map { "t2-\($0).com" }
        for domain in domains {
            if domain == "t1-0.com" { person(domain, "Ines", "Silva", "VP Sales", email: "ines.silva@t1-0.com") }
            if domain == "t1-1.com" { person(domain, "Bob", "Stone", "VP Sales", email: "bob.stone@t1-1.com", linkedin: "linkedin.com/in/bob-stone-1") }
            if domain == "t1-3.com" { person(domain, "Pierre", "Laurent", "VP Sales", email: nil, country: "France") }
            if domain == "t1-4.com" { for n in 1...5 { person(domain, "Intern\(n)", "Eck", "Sales Intern", email: nil) } }
            person(domain, "Vera", "Ames", "VP Sales", email: nil, linkedin: domain == "t1-2.com" ? "https://linkedin.com/in/vera-t12" : "",
                   status: domain == "t1-2.com" ? "invalid" : "valid")
            person(domain, "Carl", "Berg", "Chief Revenue Officer", email: nil, started: "2026-06-01")
            person(domain, "Dana", "Cole", "Sales Director", email: nil)
            person(domain, "Hugo", "Diaz", "Head of Sales", email: nil)
            person(domain, "Ian", "Eck", "Sales Intern", email: nil)
            person(domain, "Ada", "Fink", "Account Executive", email: nil)
        }
        for i in 0..<Self.few { person("few-\(i).com", "Vera", "Ames", "VP Sales", email: nil) }
        for i in 0..<3 { person("eu-\(i).de", "Hans", "Gruber", "VP Sales", email: nil, country: "DE") }
        for i in 0..<Self.t3 { person("t3-\(i).com", "Tom", "Hart", "VP Sales", email: nil) }
        person("ch-0.ch", "Uma", "Keller", "Sales Director", email: "uma.keller@ch-0.ch")
        person("ch-1.ch", "Max", "Frei", "Sales Director", email: "max.frei@ch-1.ch", status: "invalid")
        return PeopleDirectory(rows: rows)
    }

    func config(budget: Double = 10_000, share: Double? = 0.5, verify: Bool = true, attempts: Int = 3, tables: String = "") -> String {
        """
        icp:
          products:
            - name: platform
              criteria:
                - field: employees
                  bands:
                    - {range: [1000, null], points: 80}
                    - {range: [200, 1000], points: 50}
                    - {range: [0, 200], points: 10}
        valuation:
          base:
            bands: [{range: [0, null], value: 10000}]
        personas:
          titles: {tier1: [VP Sales, Chief Revenue Officer], tier2: [Sales Director, Head of Sales], tier3: [Account Executive]}
          seniority: {tier1: [C-Level, VP], tier2: [Director], tier3: [Manager]}
          departments: {tier1: [Sales], tier2: [Marketing], tier3: []}
          negative_titles: [Intern]
        enrichment:
          budget: \(budget)
          people:
            plan:
              T1: {tier1: 2, tier2: 1}
              T2: {tier1: 1}
            min_persona_score: 30
        \(share.map { "    budget_share: \($0)" } ?? "")
            privacy:
              - {region: EU, policy: none}
              - {countries: [Switzerland], policy: verify_only}
            providers:
        \(tables)
              - name: people-api
                type: http
                url: "${PEOPLE_URL}/v1/people/search"
                method: POST
                results: /people
                per_page: 6
                max_pages: 2
                cost: 1
                cost_per_result: 0.25
                fields: {first_name: /first_name, last_name: /last_name, title: /title, email: /email, linkedin: /linkedin, country: /country, role_start: /started_at}
                attempts: \(attempts)
                backoff_ms: 20
                timeout_ms: 2000
                rate_limit: {per_second: 300, concurrent: 8}
        \(verify ? """
                verify:
                  name: verifier
                  url: "${PEOPLE_URL}/v1/verify?email={email}"
                  cost: 0.1
                  attempts: \(attempts)
                  backoff_ms: 20
                  rate_limit: {per_second: 300, concurrent: 8}
            """ : "")
        push:
          targets:
            - instance: crm
              format: salesforce-bulk
              contacts:
                - {golden: persona_tier, crm: Persona_Tier__c, policy: overwrite}
                - {golden: priority, crm: Priority__c, policy: overwrite}
                - {golden: title, crm: Title, policy: if_blank}
                - {golden: first_name, crm: FirstName, export_column: First Name, policy: if_blank}
                - {golden: last_name, crm: LastName, export_column: Last Name, policy: if_blank}
                - {golden: email, crm: Email, policy: if_blank}
        """
    }

    func startRun(_ cluster: Cluster, config: String, planOnly: Bool = false) async throws -> Int {
        let path = try temporaryFile("config.yaml", config)
        let started = try await MarketMapBinary.run(
            ["runs", "start", "--pipeline", "market", "--config", path, "--param", "shards=4", "--param", "as_of=2026-11-25"]
                + (planOnly ? ["--param", "people_plan_only=true"] : []),
            environment: cluster.environment)
        return try #require(Int(started.output.split(separator: "\n").last ?? ""), "\(started.output)")
    }

    func number(_ db: Connection, _ sql: String, _ parameters: any PostgresEncodable...) async throws -> Double {
        try await db.query(sql, parameters: parameters)[0].decode(0)
    }

    /// Loaded accounts and contacts, the provider on loopback, a coordinator and two workers.
    func withProvider(faults: Bool = false, _ body: (Connection, Cluster, ProviderSimulator) async throws -> Void) async throws {
        var settings = ProviderSimulator.Settings()
        settings.latencyMilliseconds = 2
        if faults {
            settings.errorRate = 0.25
            settings.tooManyRequestsRate = 0.15
            settings.retryAfterSeconds = 0
            settings.seed = 11
        }
        let simulator = ProviderSimulator(records: [:], people: people(), settings: settings)
        try simulator.start()
        defer { simulator.stop() }
        try await withTestDatabase { config in
            let db = try await Connection.connect(config)
            try await load(db)
            let cluster = Cluster(config)
            defer { cluster.stopAll() }
            cluster.extraEnvironment = ["PEOPLE_URL": "http://127.0.0.1:\(simulator.port)"]
            try cluster.coordinator()
            try cluster.worker("w1")
            try cluster.worker("w2")
            try await body(db, cluster, simulator)
            await db.close()
        }
    }

    /// Persona tiers of an account's contacts (contact_scores), by domain.
    func coverage(_ db: Connection) async throws -> [String: [Int]] {
        var coverage: [String: [Int]] = [:]
        for row in try await db.query("""
            SELECT g.domain, count(*) FILTER (WHERE s.persona_tier = 1)::int8, count(*) FILTER (WHERE s.persona_tier = 2)::int8,
                   count(*) FILTER (WHERE s.persona_tier = 3)::int8, count(c.id)::int8
            FROM golden_accounts g LEFT JOIN golden_contacts c ON c.golden_account_id = g.id LEFT JOIN contact_scores s ON s.golden_contact_id = c.id
            GROUP BY 1
            """) {
            coverage[try row.decode(0)] = [try row.decode(1), try row.decode(2), try row.decode(3), try row.decode(4)]
        }
        return coverage
    }

    @Test("a plan-only run buys nothing and counts the calls and credits; the run then holds every per-tier quota exactly, links the people the CRM has (by email, by LinkedIn URL with another email), buys nothing in an excluded region, verifies, keeps provenance; a re-run within the TTL makes no call; the push plan creates every new contact once")
    func discovery() async throws {
        try await withProvider { db, cluster, simulator in
            let yaml = config()

            // Plan only: no call, the plan's needs in the summary.
            let dry = try await startRun(cluster, config: yaml, planOnly: true)
            #expect(try await cluster.wait(run: dry).status == 0)
            #expect(simulator.people.searches == 0 && simulator.people.verifications == 0, "a plan-only run buys nothing")
            #expect(try await count(db, "SELECT count(*) FROM credit_ledger") == 0)
            #expect(try await count(db, "SELECT count(*) FROM people_found") == 0)
            let plan = try #require(try await db.transaction { db in try PeopleSummary(run: dry, on: db) })
            let searched = Self.t1 + Self.few + Self.t2
            #expect(plan.planOnly && plan.accountsPlanned == Self.t1 + Self.few + 3 + 2 + Self.t2)
            #expect(plan.accountsByTier == ["T1": Self.t1 + Self.few + 5, "T2": Self.t2, "T3": 0])
            #expect(plan.plannedCalls == searched, "page 1 of every account searched")
            #expect(plan.plannedCredits == Double(searched) * 2.5, "each call reserves 1 + 6 × 0.25")
            #expect(plan.privacySkipped == ["EU: none": 3, "CH: verify_only": 2])
            #expect(plan.text.contains("plan only, nothing bought: \(searched) calls needed"), "\(plan.text)")

            // The run.
            let run = try await startRun(cluster, config: yaml)
            #expect(try await cluster.wait(run: run).status == 0)
            #expect(try await count(db, "SELECT count(*) FROM dead_letters") == 0)
            let covered = try await coverage(db)
            for i in 0..<Self.t1 {
                #expect(covered["t1-\(i).com"].map { Array($0.prefix(3)) } == [2, 1, 0], "T1 t1-\(i): exactly 2 tier-1 and 1 tier-2 personas: \(covered["t1-\(i).com"] ?? [])")
            }
            for i in 0..<Self.t2 { #expect(covered["t2-\(i).com"] == [1, 0, 0, 1], "T2 t2-\(i): exactly one tier-1 persona") }
            for i in 0..<Self.few { #expect(covered["few-\(i).com"] == [1, 0, 0, 1], "few-\(i): the one person the provider has") }
            for i in 0..<Self.t3 { #expect(covered["t3-\(i).com"] == [0, 0, 0, 0], "T3: nobody") }
            for i in 0..<3 { #expect(covered["eu-\(i).de"] == [0, 0, 0, 0], "the EU: nothing bought") }
            let asked = simulator.people.searchedDomains
            #expect(asked.keys.filter { $0.hasSuffix(".de") || $0.hasSuffix(".ch") || $0.hasPrefix("t3-") }.isEmpty, "excluded regions and T3 get no call: \(asked)")
            #expect(simulator.people.searches == searched + 1, "one page each (it answered what was lacking, or was not full), two at t1-4")
            #expect(asked["t1-4.com"] == 2)

            // The CRM's people are linked, not created.
            #expect(try await count(db, """
                SELECT count(*) FROM people_found f JOIN contact_lineage l ON l.golden_contact_id = f.golden_contact_id
                WHERE f.outcome = 'linked_email' AND f.email = 'ines.silva@t1-0.com' AND l.source_id = 'C-1'
                """) == 1)
            #expect(try await count(db, """
                SELECT count(*) FROM people_found f JOIN contact_lineage l ON l.golden_contact_id = f.golden_contact_id
                WHERE f.outcome = 'linked_linkedin' AND f.email = 'bob.stone@t1-1.com' AND l.source_id = 'C-2'
                """) == 1)
            #expect(try await count(db, "SELECT count(*) FROM golden_contacts WHERE email IN ('bob.stone@t1-1.com') OR last_name IN ('Silva', 'Stone') AND email IS DISTINCT FROM 'ines.silva@t1-0.com' AND email IS DISTINCT FROM 'bob.stone@oldmail.example'") == 0)
            let outcomes = try await db.query("SELECT outcome, count(*)::int8 FROM people_found WHERE run_id = $1 GROUP BY 1", run)
            var byOutcome: [String: Int] = [:]
            for row in outcomes { byOutcome[try row.decode(0)] = try row.decode(1) }
            let created = (Self.t1 - 2) * 3 + 2 * 2 + Self.few + Self.t2
            #expect(byOutcome["created"] == created, "\(byOutcome)")
            #expect(byOutcome["privacy"] == 1, "the French VP at t1-3")
            #expect(byOutcome["negative_title"] == Self.t1 + Self.t2 + 5, "every Ian, and the interns at t1-4")
            #expect(byOutcome["below_minimum"] == Self.t1 + Self.t2 - 3, "every Ada but those on page 2 at t1-0, t1-1, t1-3 (page 1 met the quota)")
            #expect(try await count(db, "SELECT count(*) FROM golden_contacts c WHERE NOT EXISTS (SELECT 1 FROM contact_lineage l WHERE l.golden_contact_id = c.id)") == created)

            // Verification: Vera at t1-2 is kept by her LinkedIn URL, without the rejected email; the Swiss CRM emails are verified.
            let vera = try await db.query("""
                SELECT c.email, c.linkedin, p.value FROM golden_contacts c JOIN golden_accounts g ON g.id = c.golden_account_id
                JOIN contact_provenance p ON p.golden_contact_id = c.id AND p.field = 'email_status'
                WHERE g.domain = 't1-2.com' AND c.first_name = 'Vera'
                """)
            #expect(vera.count == 1)
            #expect(try vera.first?.decode(0, as: String?.self) == nil && (try vera.first?.decode(1, as: String?.self)) == "linkedin.com/in/vera-t12")
            #expect(try vera.first?.decode(2, as: String.self) == "invalid")
            #expect(try await count(db, """
                SELECT count(*) FROM contact_provenance p JOIN contact_lineage l ON l.golden_contact_id = p.golden_contact_id
                WHERE p.field = 'email_status' AND l.source_id IN ('C-3', 'C-4')
                """) == 2, "verify only: the CRM's emails in Switzerland")
            #expect(simulator.people.verifications == created + 2)
            // Provenance per field: provider, time and cost of every created contact's title.
            #expect(try await count(db, """
                SELECT count(*) FROM contact_provenance p WHERE p.field = 'title' AND p.provider = 'people-api' AND p.cost > 0 AND p.fetched_at <= now()
                """) == created)

            // Credits: one budget, the people pool's part; the ledger adds up.
            let searchCredits = Double(searched - Self.few) * 2.5 + 2.25 + Double(Self.few) * 1.25  // t1-4's page 2 has 5 people
            let want = searchCredits + Double(created + 2) * 0.1
            #expect(abs(try await number(db, "SELECT sum(cost)::float8 FROM credit_ledger WHERE run_id = $1 AND pool = 'people'", run) - want) < 1e-9)
            #expect(abs(try await number(db, "SELECT spent::float8 FROM run_credit_pools WHERE run_id = $1 AND pool = 'people'", run) - want) < 1e-9)
            #expect(abs(try await number(db, "SELECT spent::float8 FROM run_credits WHERE run_id = $1", run) - want) < 1e-9)
            #expect(try await count(db, "SELECT count(*) FROM credit_ledger WHERE run_id = $1 AND cost > 0", run) == simulator.people.searches + simulator.people.verifications)
            let summary = try #require(try await db.transaction { db in try PeopleSummary(run: run, on: db) })
            #expect(summary.people["created"] == created && summary.people["linked_email (CRM)"] == 1 && summary.people["linked_linkedin (CRM)"] == 1)
            #expect(abs(summary.credits - want) < 1e-9 && summary.creditBudget == 5_000)
            #expect(summary.privacySkipped == ["EU: none": 3, "CH: verify_only": 2])
            #expect(summary.accounts["partial"] == Self.few)

            // The push plan creates every new contact exactly once, and none the CRM has.
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("mm-people-push-\(UUID().uuidString)")
            let pushed = try await MarketMapBinary.run(["push-plan", "--target", "crm", "--out", out.path], environment: cluster.environment)
            #expect(pushed.status == 0, "\(pushed.output)")
            let creates = try PushPlanTests().read(out.appendingPathComponent("contacts_create.csv"))
            let ids = creates.compactMap { $0["MarketMap_Id__c"] }
            let new = try await db.query("SELECT id FROM golden_contacts c WHERE NOT EXISTS (SELECT 1 FROM contact_lineage l WHERE l.golden_contact_id = c.id)")
            #expect(ids.sorted() == (try new.map { String(try $0.decode(0, as: Int.self)) }).sorted(), "every new contact once")
            #expect(Set(ids).count == ids.count)
            #expect(creates.allSatisfy { !($0["AccountId"] ?? "").isEmpty && !($0["Persona_Tier__c"] ?? "").isEmpty && !($0["Priority__c"] ?? "").isEmpty })

            // A re-run within the TTL: the few accounts still lack personas and are searched again, from the cache.
            let (searches, verifications) = (simulator.people.searches, simulator.people.verifications)
            let contacts = try await count(db, "SELECT count(*) FROM golden_contacts")
            let again = try await startRun(cluster, config: yaml)
            #expect(try await cluster.wait(run: again).status == 0)
            #expect(simulator.people.searches == searches && simulator.people.verifications == verifications, "no call within the TTL")
            #expect(try await count(db, "SELECT count(*) FROM credit_ledger WHERE run_id = $1", again) == 0)
            #expect(try await count(db, "SELECT count(*) FROM golden_contacts") == contacts, "the same person found again is one contact")
            let second = try #require(try await db.transaction { db in try PeopleSummary(run: again, on: db) })
            #expect(second.accountsPlanned == Self.few + 5 && second.cachedAnswers == Self.few + 2, "\(second)")
            #expect(second.people["created"] == nil)
        }
    }

    @Test("two workers and a budget below the demand: the spend never exceeds it, the ledger adds up, every call is in it, and the most valuable accounts were bought first")
    func budget() async throws {
        try await withProvider { db, cluster, simulator in
            let budget = 75.0
            let run = try await startRun(cluster, config: config(budget: budget, share: nil, verify: false))
            #expect(try await cluster.wait(run: run).status == 0)
            let spent = try await number(db, "SELECT spent::float8 FROM run_credits WHERE run_id = $1", run)
            #expect(spent <= budget && spent >= budget - 5, "spent \(spent) of \(budget)")
            #expect(abs(try await number(db, "SELECT coalesce(sum(cost), 0)::float8 FROM credit_ledger WHERE run_id = $1", run) - spent) < 1e-9)
            #expect(try await count(db, "SELECT count(*) FROM credit_ledger WHERE run_id = $1 AND cost > 0", run) == simulator.people.searches)
            #expect(try await count(db, "SELECT count(*) FROM dead_letters") == 0)
            let refused = try await count(db, "SELECT count(*) FROM people_status WHERE run_id = $1 AND status LIKE '%budget'", run)
            #expect(refused > 0)
            // Ranks of the accounts searched against those the budget refused.
            let ranks = try await db.query("""
                SELECT avg(p.rank) FILTER (WHERE s.status LIKE '%budget')::float8, avg(p.rank) FILTER (WHERE s.calls > 0)::float8,
                       count(*) FILTER (WHERE p.tier = 'T1' AND s.status LIKE '%budget' AND p.rank <= 20)::int8
                FROM people_plan p JOIN people_status s ON s.golden_id = p.golden_id WHERE p.run_id = $1
                """, run)[0]
            #expect(try ranks.decode(0, as: Double.self) > (try ranks.decode(1, as: Double.self)), "refused accounts rank below bought ones")
            #expect(try ranks.decode(2, as: Int.self) == 0, "the first 20 T1 accounts were all bought")
        }
    }

    @Test("a provider that errors and rate-limits leaves reasons on the accounts, not failed jobs; the ledger still adds up")
    func faults() async throws {
        try await withProvider(faults: true) { db, cluster, simulator in
            let run = try await startRun(cluster, config: config(attempts: 2))
            #expect(try await cluster.wait(run: run).status == 0, "the run finishes")
            #expect(try await count(db, "SELECT count(*) FROM dead_letters") == 0)
            #expect(try await count(db, "SELECT count(*) FROM people_status WHERE run_id = $1", run) == Self.t1 + Self.few + 5 + Self.t2)
            #expect(try await count(db, """
                SELECT count(*) FROM people_status s, jsonb_array_elements(s.attempts) a
                WHERE s.run_id = $1 AND a->>'outcome' = 'failed' AND (a->>'detail' LIKE 'HTTP 500%' OR a->>'detail' LIKE 'HTTP 429%')
                """, run) > 0, "the reasons are kept")
            #expect(try await count(db, """
                SELECT count(*) FROM people_status WHERE run_id = $1 AND status IN ('failed', 'partial: failed')
                  AND NOT attempts::text LIKE '%"failed"%'
                """, run) == 0, "a failed account says why")
            #expect(simulator.people.searches > Self.t1 + Self.few + Self.t2 + 1, "faults were retried")
            let summary = try #require(try await db.transaction { db in try PeopleSummary(run: run, on: db) })
            #expect(!summary.failures.isEmpty)
            let spent = try await number(db, "SELECT spent::float8 FROM run_credits WHERE run_id = $1", run)
            #expect(abs(try await number(db, "SELECT coalesce(sum(cost), 0)::float8 FROM credit_ledger WHERE run_id = $1", run) - spent) < 1e-9)
        }
    }

    @Test("a purchased list (CSV) and a warehouse table of product users come first and cost nothing; who they cover is not searched; a person both a list and the API have is one contact")
    func tables() async throws {
        try await withProvider { db, cluster, simulator in
            var list = "website,first,last,role,mail\n"
            for i in 5...9 {
                for (first, last, role) in [("Vera", "Ames", "VP Sales"), ("Carl", "Berg", "Chief Revenue Officer"), ("Hugo", "Diaz", "Head of Sales")] {
                    list += "https://www.t1-\(i).com/,\(first),\(last),\(role),\(first.lowercased())@t1-\(i).com\n"
                }
            }
            list += "t1-10.com,Carl,Berg,Chief Revenue Officer,carl@t1-10.com\n"
            try await db.execute("""
                CREATE SCHEMA usage;
                CREATE TABLE usage.product_users (company_domain text, full_name text, job_title text, work_email text);
                INSERT INTO usage.product_users SELECT 'T2-' || i || '.com', 'Pat Quinn', 'VP Sales', 'pat@t2-' || i || '.com' FROM generate_series(0, 3) i;
                """)
            let tables = """
                      - {name: purchased-list, type: table, csv: \(try temporaryFile("list.csv", list)), key_column: website,
                         fields: {first_name: first, last_name: last, title: role, email: mail}}
                      - {name: product-users, type: table, table: usage.product_users, key_column: company_domain,
                         fields: {name: full_name, title: job_title, email: work_email}}
                """
            let run = try await startRun(cluster, config: config(verify: false, tables: tables))
            #expect(try await cluster.wait(run: run).status == 0)
            let asked = simulator.people.searchedDomains
            #expect((5...9).allSatisfy { asked["t1-\($0).com"] == nil } && (0...3).allSatisfy { asked["t2-\($0).com"] == nil }, "covered by the tables: no call: \(asked)")
            #expect(asked["t1-10.com"] == 1, "the list had one of the three")
            let covered = try await coverage(db)
            for i in 5...10 { #expect(covered["t1-\(i).com"].map { Array($0.prefix(3)) } == [2, 1, 0], "t1-\(i): \(covered["t1-\(i).com"] ?? [])") }
            for i in 0...3 { #expect(covered["t2-\(i).com"] == [1, 0, 0, 1], "t2-\(i): the product user") }
            #expect(try await count(db, "SELECT count(*) FROM golden_contacts WHERE email = 'carl@t1-10.com'") == 1)
            let carl = try await db.query("""
                SELECT provider, outcome, golden_contact_id FROM people_found WHERE email = 'carl@t1-10.com' ORDER BY provider
                """)
            #expect(try carl.map { "\(try $0.decode(0, as: String.self)) \(try $0.decode(1, as: String.self))" } == ["people-api duplicate", "purchased-list created"])
            let ids: [Int?] = try carl.map { try $0.decode(2) }
            #expect(ids.count == 2 && ids[0] != nil && ids[0] == ids[1], "one contact: \(ids)")
            #expect(try await count(db, """
                SELECT count(*) FROM contact_provenance p JOIN golden_contacts c ON c.id = p.golden_contact_id
                WHERE p.field = 'title' AND p.provider IN ('purchased-list', 'product-users') AND p.cost = 0
                """) == 5 * 3 + 1 + 4)
            #expect(try await count(db, "SELECT count(*) FROM golden_contacts WHERE first_name = 'Pat' AND last_name = 'Quinn'") == 4, "a full name is split")
        }
    }

    @Test("the configuration: the example's people section loads; bad people keys fail naming their key path")
    func configuration() throws {
        let example = try ConfigLoader.load(ConfigTests.example).enrichment.people
        #expect(example.plan[.t1] == PersonaQuota(tier1: 3, tier2: 2) && example.plan[.t2] == PersonaQuota(tier1: 1) && example.plan[.t3] == nil)
        #expect(example.providers.map(\.name) == ["purchased-contacts", "people-api"] && example.verify?.provider.name == "email-verifier")
        #expect(example.budgetShare == 0.4 && example.minimumPersonaScore == 40)
        #expect(example.privacy.map(\.policy) == [PrivacyPolicy.none, .verifyOnly] && example.privacy[0].countries.contains("DE"))
        #expect(example.providers[1].search.perPage == 25 && example.providers[1].search.maxPages == 2 && example.providers[1].pricing.reserved == 6)
        #expect(example.providers[0].inputFields == ["domain"] && example.providers[1].inputFields == ["domain"])

        let base = config(verify: false)
        func error(_ from: String, _ to: String) -> String {
            #expect(base.contains(from), "the test's config holds \(from)")
            do {
                _ = try ConfigLoader.parse(base.replacingOccurrences(of: from, with: to), file: "bad.yaml")
                return "no error"
            } catch {
                return error.description
            }
        }
        let cases: [(String, String, String)] = [
            ("T1: {tier1: 2, tier2: 1}", "T4: {tier1: 2}", "enrichment.people.plan.T4: unknown key"),
            ("T1: {tier1: 2, tier2: 1}", "T1: {tier1: -1}", "enrichment.people.plan.T1.tier1: expected 0 to 100 personas per account"),
            ("{region: EU, policy: none}", "{region: Mars, policy: none}", "enrichment.people.privacy[0].region: expected one of DACH, EEA, EU"),
            ("{region: EU, policy: none}", "{region: EU, policy: maybe}", "enrichment.people.privacy[0].policy: expected none"),
            ("[Switzerland]", "[Atlantis]", "enrichment.people.privacy[1].countries[0]: Atlantis is not a country"),
            ("min_persona_score: 30", "min_persona_score: 130", "enrichment.people.min_persona_score: expected a persona fit score from 0 to 100"),
            ("    budget_share: 0.5", "    budget_share: 1.5", "enrichment.people.budget_share: expected the share"),
            ("title: /title,", "titel: /title,", "enrichment.people.providers[0].fields.titel: not a person field"),
            ("title: /title, email: /email, linkedin: /linkedin,", "title: /title,", "enrichment.people.providers[0].fields: expected an email or linkedin mapping"),
            ("per_page: 6", "per_page: 0", "enrichment.people.providers[0].per_page: expected 1 to 500 people per page"),
            ("results: /people", "results: people", "enrichment.people.providers[0].results: expected a JSON pointer"),
            ("method: POST", "method: GET", "enrichment.people.providers[0].url: expected {domain} or {name} in a GET search"),
            ("name: people-api", "name: people-api\n        batch: {size: 5}", "enrichment.people.providers[0].batch: batches are for account providers"),
        ]
        for (from, to, expected) in cases {
            let message = error(from, to)
            #expect(message.contains(expected), "\(to): \(message)")
        }
        #expect(error("  budget: 10000.0", "").contains("enrichment.people.budget_share: a share of enrichment.budget needs a budget"))
    }
}

extension PersonaDiscoveryTests {
    @Test("credits in the run summary: whole ones and tenths, thousands grouped", arguments: [
        (0.0, "0"), (5000, "5,000"), (310.5, "310.5"), (1325.1, "1,325.1"), (1234567.25, "1,234,567.3"), (0.04, "0"), (99.96, "100"),
    ])
    func creditsText(_ value: Double, _ text: String) {
        #expect(PeopleSummary.credits(value) == text)
    }
}

import DevTools
import Enrichment
import Foundation
import MarketMapCore
import Pipeline
import Postgres
import Testing

/// The nightly refresh end to end: a coordinator watching an inbox starts each
/// run by itself, two workers, the reporter, a provider on loopback.
@Suite("Nightly refresh")
struct NightlyRefreshTests {
    /// Accounts A0…A39 of `company<i>.com`: industry blank when i % 5 == 0
    /// (the provider answers Software), else Software for even i and Retail
    /// for odd; 500 employees when i % 3 == 0, else 20. Scoring: Software 50,
    /// 200+ employees 30, a domain 20; T1 >= 70, T2 >= 40; Competitors are
    /// excluded. So: Software → T1, else 500 employees → T2, else T3.
    static func row(_ i: Int, name: String? = nil, website: String? = nil, industry: String? = nil, employees: Int? = nil, type: String = "Customer") -> String {
        let defaultIndustry = i % 5 == 0 ? "" : i % 2 == 0 ? "Software" : "Retail"
        return "A\(i),\(name ?? "Company \(i) Holdings"),\(website ?? "company\(i).com"),\(industry ?? defaultIndustry),"
            + "\(employees ?? (i % 3 == 0 ? 500 : 20)),US,\(type)\n"
    }

    static let header = "Account ID,Account Name,Website,Industry,Employees,Billing Country,Type\n"

    static var firstExport: String { header + (0..<40).map { row($0) }.joined() }

    /// Changed: A1 grows (T3 → T2), A2 becomes Retail (T1 → T3), A3 becomes a
    /// Competitor (T2 → excluded), A5 is renamed (no tier change), A12 moves
    /// to company11.com with A11's data (its account merges into A11's).
    /// Removed: A7 (T3). New: A40 (blank industry: the provider makes it T1).
    static var secondExport: String {
        var rows: [String] = []
        for i in 0...40 where i != 7 {
            switch i {
            case 1: rows.append(row(1, employees: 800))
            case 2: rows.append(row(2, industry: "Retail"))
            case 3: rows.append(row(3, type: "Competitor"))
            case 5: rows.append(row(5, name: "Company Five Holdings"))
            case 12: rows.append(row(12, name: "Company 11 Holdings", website: "company11.com", industry: "Retail", employees: 20))
            default: rows.append(row(i))
            }
        }
        return header + rows.joined()
    }

    static var config: String { configWithoutEnrichment + enrichment }

    static let configWithoutEnrichment = """
        icp:
          tiers: {t1: 70, t2: 40}
          products:
            - name: platform
              criteria:
                - {field: industry, equals: Software, points: 50}
                - {field: employees, range: [200, null], points: 30}
                - {field: domain, exists: true, points: 20}
              exclusions:
                - {field: type, equals: Competitor}
        valuation:
          base:
            bands:
              - {range: [null, 200], value: 10000}
              - {range: [200, null], value: 50000}
        territories:
          tolerance: 0.3
          reps:
            - {id: rep-1, regions: [US]}
            - {id: rep-2, regions: [US]}
        alerts:
          tier_churn: 0.05

        """

    static let enrichment = """
        enrichment:
          fields: [industry]
          providers:
            - name: firmo
              type: http
              url: "${FIRMO_URL}/v1/companies?domain={domain}"
              fields: {industry: /industry}
              only_run_if: ["industry is blank"]
              attempts: 3
              backoff_ms: 20
        """

    func write(_ text: String, to url: URL, modified: Date) throws {
        try Data(text.utf8).write(to: url)
        try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: url.path)
    }

    /// Market runs whose reports are complete (the reporter writes report.html last).
    func reportedRuns(_ db: Connection, in directory: URL) async throws -> [Int] {
        try await db.query("SELECT id FROM runs WHERE pipeline = 'market' AND reported_at IS NOT NULL ORDER BY id").map { try $0.decode(0) }
            .filter { FileManager.default.fileExists(atPath: directory.appendingPathComponent("reports/run-\($0)/report.html").path) }
    }

    /// golden id → source record id, as the lineage holds it now.
    func lineage(_ db: Connection) async throws -> [Int: [String]] {
        var map: [Int: [String]] = [:]
        for row in try await db.query("SELECT golden_id, source_id FROM account_lineage ORDER BY source_id") {
            map[try row.decode(0), default: []].append(try row.decode(1))
        }
        return map
    }

    struct Mover: Equatable, CustomStringConvertible {
        var record: String, change: String, oldTier: String, newTier: String
        var description: String { "\(record) \(change) \(oldTier)→\(newTier)" }
    }

    @Test("an inbox refresh with changed, new and removed rows reports the right tier movers with reasons, calls no provider for unchanged rows, parses only changed rows, keeps the previous owners")
    func refresh() async throws {
        var records: [String: [String: String]] = [:]
        for i in 0...40 { records["company\(i).com"] = ["industry": "Software"] }
        let firmo = ProviderSimulator(records: records, settings: ProviderSimulator.Settings())
        try firmo.start()
        defer { firmo.stop() }
        let directory = try workDirectory("nightly", config: Self.config)
        defer { try? FileManager.default.removeItem(at: directory) }
        let inbox = directory.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        let manifest = directory.appendingPathComponent("manifest.yaml")
        try Data("""
            config: marketmap.yaml
            shards: 2
            refresh: {watch: true, settle_seconds: 0}
            sources:
              - {source: crm, format: salesforce, kind: accounts, file: "inbox/crm-accounts-*.csv"}
            """.utf8).write(to: manifest)

        try await withTestDatabase { config in
            let db = try await Connection.connect(config)
            defer { Task { await db.close() } }
            let cluster = Cluster(config)
            defer { cluster.stopAll() }
            cluster.extraEnvironment = ["FIRMO_URL": "http://127.0.0.1:\(firmo.port)"]
            let coordinator = try cluster.start(["coordinator", "--tick-seconds", "0.1", "--refresh", manifest.path])
            try cluster.worker("w1")
            try cluster.worker("w2")
            try cluster.start(["reporter", "--out", directory.appendingPathComponent("reports").path])

            // Night 1: the first export lands; the coordinator starts the run by itself.
            try write(Self.firstExport, to: inbox.appendingPathComponent("crm-accounts-1.csv"), modified: Date().addingTimeInterval(-120))
            #expect(try await eventually(timeout: 120) { try await reportedRuns(db, in: directory).count == 1 }, "the coordinator started run 1 from the inbox")
            let first = try #require(try await reportedRuns(db, in: directory).first)
            #expect(try await coordinator.waitFor("refresh run started"))
            let callsAfterFirst = firmo.calls
            #expect(callsAfterFirst == 8, "one call per blank industry (i % 5 == 0), got \(callsAfterFirst)")
            let firstRows: String = try await db.query("SELECT rows::text FROM reports WHERE run_id = $1 AND name = 'tier_movers'", first)[0].decode(0)
            #expect(firstRows == "[]", "the first run is the baseline: no movers")
            let before = try await lineage(db)
            var repBefore: [String: String] = [:]
            for row in try await db.query("SELECT l.source_id, t.rep_id FROM territory_assignments t JOIN account_lineage l ON l.golden_id = t.golden_id WHERE t.rep_id IS NOT NULL") {
                repBefore[try row.decode(0)] = try row.decode(1)
            }
            #expect(repBefore.count >= 36, "tiered accounts have reps: \(repBefore.count)")

            // Night 2: a newer export.
            try write(Self.secondExport, to: inbox.appendingPathComponent("crm-accounts-2.csv"), modified: Date().addingTimeInterval(-60))
            #expect(try await eventually(timeout: 120) { try await reportedRuns(db, in: directory).count == 2 }, "the coordinator started run 2 for the newer export")
            let second = try #require(try await reportedRuns(db, in: directory).last)
            #expect(try await db.query("SELECT state FROM runs WHERE id = $1", second)[0].decode(0, as: String.self) == "done")

            // Only A40's domain was unknown to the cache: one call.
            #expect(firmo.calls - callsAfterFirst == 1, "the refresh called the provider \(firmo.calls - callsAfterFirst) times")

            // The import parsed only changed and new rows; A7 left and is kept.
            let counts = try await db.query("""
                SELECT rows_read, rows_new, rows_changed, rows_unchanged FROM import_files WHERE path LIKE '%crm-accounts-2.csv'
                """)[0]
            #expect(try counts.decode(0, as: Int.self) == 40 && counts.decode(1, as: Int.self) == 1)
            #expect(try counts.decode(2, as: Int.self) == 5 && counts.decode(3, as: Int.self) == 34, "5 changed, 34 unchanged")
            let removed = try await db.query("SELECT run_id, source_id, record->>'name' FROM removed_records")
            #expect(removed.count == 1)
            #expect(try removed.first?.decode(0, as: Int.self) == second && removed.first?.decode(1, as: String.self) == "A7")
            #expect(try removed.first?.decode(2, as: String.self) == "Company 7 Holdings", "the removed record is kept whole")

            // The tier movers, by source record.
            let after = try await lineage(db)
            let json: String = try await db.query("SELECT rows::text FROM reports WHERE run_id = $1 AND name = 'tier_movers'", second)[0].decode(0)
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[Any]])
            var movers: [Mover] = []
            var why: [String: String] = [:]
            for row in rows {
                let id = Int((row[0] as? Double) ?? -1)
                let record = (after[id] ?? before[id] ?? ["?"])[0]
                movers.append(Mover(record: record, change: row[3] as? String ?? "", oldTier: row[4] as? String ?? "", newTier: row[5] as? String ?? ""))
                why[record] = row[8] as? String
            }
            let expected = [
                Mover(record: "A1", change: "up", oldTier: "T3", newTier: "T2"),
                Mover(record: "A12", change: "merged", oldTier: "T1", newTier: ""),
                Mover(record: "A2", change: "down", oldTier: "T1", newTier: "T3"),
                Mover(record: "A3", change: "excluded", oldTier: "T2", newTier: "excluded"),
                Mover(record: "A40", change: "new", oldTier: "", newTier: "T1"),
                Mover(record: "A7", change: "removed", oldTier: "T3", newTier: ""),
            ]
            #expect(movers.sorted { $0.record < $1.record } == expected)
            #expect(why["A1"] == "employees 20 → 800 (+30 pts); score 20 → 50")
            #expect(why["A2"] == "industry Software → Retail (-50 pts); score 70 → 20")
            #expect(why["A3"] == "excluded by type (type Customer → Competitor)")
            let a11 = try #require(after.first { $0.value.contains("A11") }?.key)
            #expect(why["A12"] == "merged into account #\(a11) (was T1)")
            #expect(why["A7"] == "no source record left in the exports (was T3)")
            #expect(why["A40"] == "new account: T1, score 70")

            // 3 of 39 accounts changed tier (7.7 %): more than tier_churn 5 %.
            let alerts: String = try await db.query("SELECT rows::text FROM reports WHERE run_id = $1 AND name = 'alerts'", second)[0].decode(0)
            #expect(alerts.contains("tier_churn") && alerts.contains("3 accounts"), "\(alerts)")
            #expect(!alerts.contains("config_changed"))

            // Accounts the CRM has no owner for keep last night's rep as their owner.
            for row in try await db.query("""
                SELECT l.source_id, t.previous_owner FROM territory_assignments t JOIN account_lineage l ON l.golden_id = t.golden_id
                """)
            {
                let record: String = try row.decode(0)
                guard let rep = repBefore[record], record != "A12" else { continue }
                #expect(try row.decode(1, as: String?.self) == rep, "\(record) was \(rep) last night")
            }

            // The files: tier_movers.csv next to the other reports.
            let csv = try String(contentsOf: directory.appendingPathComponent("reports/run-\(second)/tier_movers.csv"), encoding: .utf8)
            #expect(csv.hasPrefix("golden_id,name,domain,change,old_tier,new_tier,old_score,new_score,why"))
            #expect(csv.contains("Company 7 Holdings,company7.com,removed,T3"))
            let summary = try Data(contentsOf: directory.appendingPathComponent("reports/run-\(second)/summary.json"))
            let changes = try #require((try JSONSerialization.jsonObject(with: summary) as? [String: Any])?["changes"] as? [String: Any])
            #expect(changes["recordsNew"] as? Int == 1 && changes["recordsChanged"] as? Int == 5)
            #expect(changes["recordsUnchanged"] as? Int == 34 && changes["recordsRemoved"] as? Int == 1)
            #expect(changes["tierMovers"] as? [String: Int] == ["up": 1, "down": 1, "excluded": 1, "new": 1, "removed": 1, "merged": 1])

            // Survivorship ran only for the accounts the refresh touched; computing every account again changes nothing.
            let goldens = """
                SELECT g.id::text, g.name, g.domain, g.industry, g.employees::text, g.country, g.type, g.source_count::text, g.prevent_override::text,
                    (SELECT string_agg(field, ',' ORDER BY field) FROM account_conflicts c WHERE c.golden_id = g.id)
                FROM golden_accounts g ORDER BY g.id
                """
            func snapshot() async throws -> [String] {
                try await db.query(goldens).map { row in try (0..<10).map { "\(try row.decode($0, as: String?.self) ?? "-")" }.joined(separator: "|") }
            }
            let incremental = try await snapshot()
            try await db.execute("DELETE FROM merge_state")
            _ = try await AccountMerger(logger: .init(label: "test")).merge(on: db)
            #expect(try await snapshot() == incremental)

            // A reporter that died mid-report: once its lease ends, the run is reported again, with the same movers.
            let html = directory.appendingPathComponent("reports/run-\(second)/report.html")
            try FileManager.default.removeItem(at: html)
            try await db.query("UPDATE runs SET reported_at = NULL, report_lease_until = now() - interval '1 second' WHERE id = $1", second)
            #expect(try await eventually(timeout: 60) { FileManager.default.fileExists(atPath: html.path) }, "reported again")
            #expect(try await eventually(timeout: 10) { try await reportedRuns(db, in: directory).contains(second) })
            let again: String = try await db.query("SELECT rows::text FROM reports WHERE run_id = $1 AND name = 'tier_movers'", second)[0].decode(0)
            #expect(again == json, "the movers of a run reported twice are the same")
        }
    }

    /// A fresh temporary directory holding `marketmap.yaml`.
    func workDirectory(_ name: String, config: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mm-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(config.utf8).write(to: directory.appendingPathComponent("marketmap.yaml"))
        return directory
    }

    func submit(_ cluster: Cluster, _ manifest: URL) async throws -> (status: Int32, output: String) {
        try await MarketMapBinary.run(["runs", "submit", manifest.path], environment: cluster.environment)
    }

    func scalar(_ db: Connection, _ sql: String) async throws -> Int { try await db.query(sql)[0].decode(0) }

    @Test("a full export lacking more than max_removed_share fails with nothing changed; mode: delta removes nothing; a raised limit removes and keeps the rows")
    func removals() async throws {
        let directory = try workDirectory("removals", config: Self.configWithoutEnrichment)
        defer { try? FileManager.default.removeItem(at: directory) }
        let accounts = directory.appendingPathComponent("accounts.csv")
        func manifest(_ options: String) throws -> URL {
            let url = directory.appendingPathComponent("manifest-\(UUID().uuidString).yaml")
            try Data("""
                config: marketmap.yaml
                shards: 2
                sources:
                  - {source: crm, format: salesforce, kind: accounts, file: accounts.csv\(options)}
                """.utf8).write(to: url)
            return url
        }
        try await withTestDatabase { config in
            let db = try await Connection.connect(config)
            defer { Task { await db.close() } }
            let cluster = Cluster(config)
            defer { cluster.stopAll() }
            try cluster.coordinator()
            try cluster.worker("w1")

            try write(Self.firstExport, to: accounts, modified: Date().addingTimeInterval(-60))
            let first = try await submit(cluster, try manifest(""))
            #expect(first.status == 0, "\(first.output)")
            #expect(try await cluster.wait(run: try #require(Int(first.output.split(separator: "\n").last ?? ""))).status == 0)
            #expect(try await scalar(db, "SELECT count(*)::int8 FROM source_accounts") == 40)

            // 10 of 40 records missing: 25 % > 10 %.
            try write(Self.header + (0..<30).map { Self.row($0) }.joined(), to: accounts, modified: Date())
            let truncated = try await submit(cluster, try manifest(""))
            #expect(truncated.status != 0)
            #expect(truncated.output.contains("crm accounts: the new export lacks 10 of the 40 records imported before (25 %, more than max_removed_share 10 %)"), "\(truncated.output)")
            #expect(try await scalar(db, "SELECT count(*)::int8 FROM runs") == 1, "no run was created")
            #expect(try await scalar(db, "SELECT count(*)::int8 FROM import_files") == 1, "nothing was staged")
            #expect(try await scalar(db, "SELECT count(*)::int8 FROM source_accounts") == 40)

            let delta = try await submit(cluster, try manifest(", mode: delta"))
            #expect(try await cluster.wait(run: try #require(Int(delta.output.split(separator: "\n").last ?? ""), "\(delta.output)")).status == 0)
            #expect(try await scalar(db, "SELECT count(*)::int8 FROM source_accounts") == 40, "a delta export removes nothing")
            #expect(try await scalar(db, "SELECT count(*)::int8 FROM removed_records") == 0)

            let raised = try await submit(cluster, try manifest(", max_removed_share: 0.3"))
            let run = try #require(Int(raised.output.split(separator: "\n").last ?? ""), "\(raised.output)")
            #expect(raised.output.contains("crm accounts: 10 records no longer in the export, removed"), "\(raised.output)")
            #expect(try await cluster.wait(run: run).status == 0)
            #expect(try await scalar(db, "SELECT count(*)::int8 FROM source_accounts") == 30)
            #expect(try await scalar(db, "SELECT count(*)::int8 FROM golden_accounts") == 30, "their golden accounts left with them")
            let kept = try await db.query("SELECT min(source_id), max(source_id), count(*)::int8, min(run_id) FROM removed_records")[0]
            #expect(try kept.decode(0, as: String.self) == "A30" && kept.decode(1, as: String.self) == "A39" && kept.decode(2, as: Int.self) == 10)
            #expect(try kept.decode(3, as: Int.self) == run)
        }
    }

    @Test("the schedule starts a run when it fires, once; a bad schedule names the key")
    func schedule() async throws {
        let directory = try workDirectory("schedule", config: Self.configWithoutEnrichment)
        defer { try? FileManager.default.removeItem(at: directory) }
        // Settled well before the (simulated) night.
        try write(Self.firstExport, to: directory.appendingPathComponent("accounts.csv"), modified: Self.date("2026-11-24T12:00:00Z"))
        let manifest = directory.appendingPathComponent("manifest.yaml")
        func writeManifest(_ refresh: String) throws {
            try Data("""
                config: marketmap.yaml
                refresh: \(refresh)
                sources:
                  - {source: crm, format: salesforce, kind: accounts, file: accounts.csv}
                """.utf8).write(to: manifest)
        }
        try writeManifest("{schedule: \"61 2 * * *\"}")
        #expect(throws: ConfigError.self) { try RunPlan.load(manifest.path, out: nil) }
        do { _ = try RunPlan.load(manifest.path, out: nil) } catch {
            #expect("\(error)".contains("refresh.schedule") && "\(error)".contains("minute \"61\": expected 0–59"), "\(error)")
        }
        try writeManifest("{time_zone: Mars/Olympus, watch: true}")
        do { _ = try RunPlan.load(manifest.path, out: nil) } catch { #expect("\(error)".contains("refresh.time_zone"), "\(error)") }
        try writeManifest("{schedule: \"30 2 * * *\"}")
        try await withTestDatabase { config in
            let db = try await Connection.connect(config)
            defer { Task { await db.close() } }
            // An empty inbox is no reason to refuse: the coordinator starts and waits for exports.
            let inbox = directory.appendingPathComponent("inbox-manifest.yaml")
            try Data("""
                config: marketmap.yaml
                refresh: {watch: true}
                sources:
                  - {source: crm, format: salesforce, kind: accounts, file: "inbox/crm-*.csv"}
                """.utf8).write(to: inbox)
            let waiting = try RefreshScheduler(manifestPath: inbox.path, config: config, logger: .init(label: "test"))
            try await waiting.tick(on: db)
            await waiting.settle()
            #expect(await waiting.nextScheduled == nil)
            let start = Self.date("2026-11-25T00:00:00Z")
            let scheduler = try RefreshScheduler(manifestPath: manifest.path, config: config, logger: .init(label: "test"), now: start)
            #expect(await scheduler.nextScheduled == Self.date("2026-11-25T02:30:00Z"))
            try await scheduler.tick(now: Self.date("2026-11-25T02:29:00Z"), on: db)
            await scheduler.settle()
            #expect(try await scalar(db, "SELECT count(*)::int8 FROM runs") == 0, "not yet")
            try await scheduler.tick(now: Self.date("2026-11-25T02:30:00Z"), on: db)
            await scheduler.settle()
            #expect(try await scalar(db, "SELECT count(*)::int8 FROM runs WHERE pipeline = 'market'") == 1, "fired")
            #expect(await scheduler.nextScheduled == Self.date("2026-11-26T02:30:00Z"))
            try await scheduler.tick(now: Self.date("2026-11-25T02:45:00Z"), on: db)
            await scheduler.settle()
            #expect(try await scalar(db, "SELECT count(*)::int8 FROM runs") == 1, "once per firing (watch is off)")
        }
    }

    static func date(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        return formatter.date(from: text) ?? Date.distantPast
    }
}

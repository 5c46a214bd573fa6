import Foundation
import MarketMapCore
import Postgres
import TestSupport
import Testing

/// `marketmap run` end to end on the bundled sample, as real processes.
@Suite("marketmap run", .serialized, .tags(.process), .notFast)
struct RunCommandTests {
    static let sample = TestServer.repositoryRoot.appendingPathComponent("ops/sample/manifest.yaml").path

    func temporary(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("mm-\(name)-\(UUID().uuidString)")
    }

    /// Rows of a CSV file written by PostgreSQL (no line breaks inside fields in these files).
    func rows(_ url: URL) throws -> [[String]] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst().map { line in
            var fields: [String] = [], field = "", quoted = false
            for character in line {
                if character == "\"" { quoted.toggle() } else if character == ",", !quoted { fields.append(field); field = "" } else { field.append(character) }
            }
            fields.append(field)
            return fields
        }
    }

    func run(_ cluster: Cluster, out: URL, extra: [String] = []) async throws -> (status: Int32, output: String) {
        try await MarketMapBinary.run(["run", Self.sample, "--out", out.path, "--log-level", "warning"] + extra, environment: cluster.environment)
    }

    @Test("the sample runs end to end; the output contract is complete and consistent; a second run keeps every golden id and duplicates nothing")
    func sampleRun() async throws {
        try await withTestDatabase { config in
            let cluster = Cluster(config)
            let out = temporary("run")
            let first = try await run(cluster, out: out)
            #expect(first.status == 0, "\(first.output)")
            for stage in ["normalize  done", "match      done", "resolve    done", "score      done", "run 1: done", "HTML report:"] {
                #expect(first.output.contains(stage), "\(stage): \(first.output)")
            }
            for file in ["accounts.csv", "account_lineage.csv", "contacts.csv", "rejected.csv", "territories.csv", "rep_distribution.csv",
                         "report.html", "summary.json", "validation.csv", "alerts.json"] {
                #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "\(file)")
            }
            try checkPlainTables(out)
            try checkWhatPeopleRead(out, summary: first.output)
            let accounts = try rows(out.appendingPathComponent("accounts.csv"))
            let lineage = try rows(out.appendingPathComponent("account_lineage.csv"))
            let ids = Set(accounts.map { $0[0] })
            #expect(accounts.count > 2_500 && ids.count == accounts.count)
            #expect(lineage.allSatisfy { ids.contains($0[2]) }, "every lineage golden id is an account")
            #expect(accounts.allSatisfy { !$0[16].isEmpty || !$0[18].isEmpty }, "every account has an owner or a reason")
            var tiers: [String: Int] = [:]
            for account in accounts { tiers[account[12].isEmpty ? "excluded" : account[12], default: 0] += 1 }
            let plain = first.output.replacingOccurrences(of: "(\\d),(\\d)", with: "$1$2", options: .regularExpression)
            #expect(plain.contains("T1 \(tiers["T1"] ?? 0), T2 \(tiers["T2"] ?? 0), T3 \(tiers["T3"] ?? 0), excluded \(tiers["excluded"] ?? 0)"), "\(tiers) \(first.output)")
            #expect(tiers.values.reduce(0, +) == accounts.count)
            let rejected = try rows(out.appendingPathComponent("rejected.csv"))
            #expect(rejected.count >= 3, "the sample's bad rows: \(rejected)")
            // Enrichment: provenance for enriched accounts, credits in the summary and in summary.json.
            let enriched = try rows(out.appendingPathComponent("enrichment.csv"))
            #expect(Set(enriched.map { $0[3] }) == ["purchased-firmographics", "firmo-api"], "both providers filled fields")
            #expect(enriched.allSatisfy { ids.contains($0[0]) })
            #expect(Set(enriched.map { $0[0] }).count == accounts.filter { $0[19] == "enriched" || $0[19].hasPrefix("partial") }.count)
            let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json"))) as? [String: Any]
            let credits = (summary?["enrichment"] as? [String: Any])?["creditsSpent"] as? Double ?? 0
            #expect(credits > 0 && credits <= 5_000)
            #expect(plain.contains("credits spent \(Int(credits.rounded())) of 5000"), "\(first.output)")
            // The counts add up in the summary and in summary.json: read = loaded + unchanged + rejected.
            let figures = try #require(plain.firstMatch(of: /source rows (\d+): loaded (\d+), unchanged (\d+), rejected (\d+)/), "\(first.output)")
            let (read, loaded, unchanged, rejectedRows) = (Int(figures.1) ?? -1, Int(figures.2) ?? -1, Int(figures.3) ?? -1, Int(figures.4) ?? -1)
            #expect(read == loaded + unchanged + rejectedRows, "\(figures.0)")
            #expect(rejectedRows == rejected.count)
            let changes = try #require(summary?["changes"] as? [String: Any])
            let count = { (key: String) in changes[key] as? Int ?? -1 }
            #expect(count("recordsRead") == count("recordsNew") + count("recordsChanged") + count("recordsUnchanged") + count("recordsRejected"), "\(changes)")
            #expect(count("recordsRejected") == rejected.count)
            // Where the run's time went: every stage that ran jobs has its work and critical path (job_timings).
            let stages = try #require(summary?["stages"] as? [[String: Any]])
            #expect(stages.count >= 4)
            for stage in stages {
                let (work, critical) = (stage["workSeconds"] as? Double ?? -1, stage["criticalPathSeconds"] as? Double ?? -1)
                #expect(work > 0 && critical > 0 && critical <= work + 1e-9, "\(stage)")
            }

            let again = try await run(cluster, out: out)
            #expect(again.status == 0, "\(again.output)")
            #expect(again.output.contains("run 2 started"), "a finished run is not resumed: \(again.output)")
            let accounts2 = try rows(out.appendingPathComponent("accounts.csv"))
            #expect(accounts2.map { $0[0] + $0[2] } == accounts.map { $0[0] + $0[2] }, "the same golden ids for the same companies")
            #expect(try rows(out.appendingPathComponent("account_lineage.csv")) == lineage)
            #expect(try rows(out.appendingPathComponent("contacts.csv")).count == (try rows(out.appendingPathComponent("contacts.csv"))).count)
            let db = try await Connection.connect(config)
            #expect(try await db.query("SELECT count(*) FROM golden_accounts")[0].decode(0, as: Int.self) == accounts.count)
            #expect(try await db.query("SELECT count(*) FROM account_lineage")[0].decode(0, as: Int.self) == lineage.count)
            await db.close()
        }
    }

    /// Every CSV of the output contract, with the header it must have.
    static let contractHeaders = [
        "accounts.csv": "golden_id,name,domain,website,industry,employees,annual_revenue,country,state,city,type,source_count,tier,fit_score,"
            + "tiers_by_product,valuation,owner,previous_owner,owner_reason,enrichment",
        "account_lineage.csv": "source,source_id,golden_id,match_method",
        "contacts.csv": "golden_contact_id,golden_account_id,first_name,last_name,email,linkedin,title,seniority,department,country,"
            + "persona_score,persona_tier,priority",
        "rejected.csv": "source,kind,file,line,reason,raw",
        "enrichment.csv": "golden_id,field,value,provider,status",
        "territories.csv": "golden_id,name,domain,rep_id,previous_owner,moved,reason",
        "rep_distribution.csv": "rep,accounts,valuation,t1,t2,t3,moved,team,team_mean,rep_name",
        "validation.csv": "metric,value",
        "level1_by_tier.csv": "tier,won,lost,win_rate,revenue",
        "level1_by_segment.csv": "dimension,segment,won,lost,win_rate",
        "level2_reps.csv": "rep,accounts,valuation,t1,t2,t3,moved,team,team_mean,rep_name",
        "level2_persona_coverage.csv": "tier,accounts,contacts_per_account,with_tier1_persona,with_tier2_persona,below_min_contacts",
        "level3_rep_tiers.csv": "rep,tier,accounts,valuation,rep_name",
        "level3_t1_missing_personas.csv": "rep,golden_id,name,domain,contacts,rep_name",
        "territory_balance.csv": "team,reps,mean,min,max,max_min_ratio,coefficient_of_variation,within_band",
        "calibration.csv": "metric,value",
        "alerts.csv": "kind,message",
        "review.csv": "what,kind,count",
        "people_coverage.csv": "tier,accounts,with_tier1_before,with_tier1_after,with_tier2_before,with_tier2_after,contacts_found",
        "tier_movers.csv": "golden_id,name,domain,change,old_tier,new_tier,old_score,new_score,why",
    ]

    /// Every CSV in `out` is a contract file and reads as a plain table with
    /// the RFC 4180 parser the importer uses: its header, then rows of exactly
    /// as many cells, none unreadable, no free-text row, no number a
    /// spreadsheet would misread (`1.`, `0.`).
    func checkPlainTables(_ out: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let written = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasSuffix(".csv") }
        #expect(Set(written) == Set(Self.contractHeaders.keys), "CSV files: \(written.sorted())", sourceLocation: sourceLocation)
        for (file, header) in Self.contractHeaders.sorted(by: { $0.key < $1.key }) {
            var parser = CSVParser()
            var rows: [CSVRow] = []
            let bytes = [UInt8](try Data(contentsOf: out.appendingPathComponent(file)))
            parser.feed(bytes) { rows.append($0) }
            parser.finish { rows.append($0) }
            guard case .record(let first, _, _) = rows.first else {
                Issue.record("\(file): no header", sourceLocation: sourceLocation)
                continue
            }
            #expect(first.joined(separator: ",") == header, "\(file) header", sourceLocation: sourceLocation)
            for row in rows.dropFirst() {
                switch row {
                case .rejected(let line, let reason, _):
                    Issue.record("\(file) line \(line): \(reason)", sourceLocation: sourceLocation)
                case .record(let fields, let line, let raw):
                    #expect(fields.count == first.count, "\(file) line \(line) has \(fields.count) cells, not \(first.count): \(raw)", sourceLocation: sourceLocation)
                    #expect(!fields.contains { $0.hasPrefix("note: ") }, "\(file) line \(line) is a note, not a row: \(raw)", sourceLocation: sourceLocation)
                    #expect(!fields.contains { $0.wholeMatch(of: /-?\d+\./) != nil }, "\(file) line \(line): a number ending in a point: \(raw)", sourceLocation: sourceLocation)
                }
            }
        }
    }

    /// The summary, the territory notes and the HTML page as a person reads them.
    func checkWhatPeopleRead(_ out: URL, summary: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let balance = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("territory_balance.json"))) as? [String: Any]
        let notes = try #require(balance?["notes"] as? [String], "territory_balance.json has notes", sourceLocation: sourceLocation)
        for note in notes { #expect(summary.contains("note: " + note), "the summary says \(note)", sourceLocation: sourceLocation) }
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        // ops/sample/marketmap.yaml: `{id: 005NA1, name: Avery, ...}`.
        #expect(html.contains("<td>Avery (005NA1)</td>") && html.contains(">Partner desk (005PD1)</text>"), "reps by name and id", sourceLocation: sourceLocation)
        let validation = try String(contentsOf: out.appendingPathComponent("validation.csv"), encoding: .utf8)
        let total = try #require(validation.firstMatch(of: /valuation total,(\d+)/), sourceLocation: sourceLocation)
        let grouped = ReportValue.number(Double(total.1) ?? 0).formatted
        #expect(grouped.contains(",") && html.contains("<td>valuation total</td><td>\(grouped)</td>"), "\(grouped)", sourceLocation: sourceLocation)
    }

    @Test("a manifest with a bad key fails before anything starts, naming the key path")
    func badManifest() async throws {
        try await withTestDatabase { config in
            let text = try String(contentsOfFile: Self.sample, encoding: .utf8).replacingOccurrences(of: "kind: contacts", with: "kind: people")
            // The sample's relative paths resolve against the manifest's directory: write it next to them.
            let local = URL(fileURLWithPath: Self.sample).deletingLastPathComponent().appendingPathComponent("bad-\(UUID().uuidString).yaml")
            try text.write(to: local, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: local) }
            let result = try await MarketMapBinary.run(["run", local.path, "--out", temporary("bad").path], environment: Cluster(config).environment)
            #expect(result.status == 1)
            #expect(result.output.contains("sources[2].kind: expected accounts, contacts or opportunities"), "\(result.output)")
            let db = try await Connection.connect(config)
            #expect(try await db.query("SELECT count(*) FROM runs")[0].decode(0, as: Int.self) == 0)
            await db.close()
        }
    }

    /// Pids of the children a `marketmap run` process started (they carry its pid
    /// in `MARKETMAP_PARENT_PID`), workers only unless `all`.
    func children(of parent: Int32, all: Bool = false) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry in
            guard let pid = Int32(entry), let environ = FileManager.default.contents(atPath: "/proc/\(entry)/environ"),
                let cmdline = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline")
            else { return nil }
            let variables = environ.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            let arguments = cmdline.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            guard variables.contains("MARKETMAP_PARENT_PID=\(parent)"), arguments.contains(where: { $0.hasSuffix("marketmap") }) else { return nil }
            return all || arguments.contains("worker") ? pid : nil
        }
    }

    static let compared = ["accounts.csv", "account_lineage.csv", "contacts.csv", "enrichment.csv", "territories.csv", "rep_distribution.csv", "validation.csv"]

    @Test("3 workers, SIGKILLed one a second, and a Ctrl-C and resume: the output equals an undisturbed run's")
    func chaos() async throws {
        let calm = temporary("calm"), chaos = temporary("chaos")
        try await withTestDatabase { config in
            let result = try await run(Cluster(config), out: calm, extra: ["--workers", "3"])
            #expect(result.status == 0, "\(result.output)")
        }
        try await withTestDatabase { config in
            let cluster = Cluster(config)
            let arguments = ["run", Self.sample, "--out", chaos.path, "--workers", "3", "--lease-seconds", "3", "--log-level", "warning"]
            var kills = 0
            // First life: kill workers, then Ctrl-C the run itself.
            let first = try RunningBinary(arguments, environment: cluster.environment)
            #expect(try await first.waitFor("run 1 started"))
            for _ in 0..<3 {
                try await Task.sleep(for: .milliseconds(700))
                if let victim = children(of: first.process.processIdentifier).first { kill(victim, SIGKILL); kills += 1 }
            }
            kill(first.process.processIdentifier, SIGINT)
            let interrupted = try await first.waitForExit()
            #expect(interrupted == 130 || interrupted == 0, "\(first.text)")
            // Second life: resumes (unless the first finished before the Ctrl-C), still losing workers.
            let second = try RunningBinary(arguments, environment: cluster.environment)
            let parent = second.process.processIdentifier
            // A kill every second, up to 12: a killed worker's job is charged a lease
            // expiry, never an attempt (sql/0015), and only max_lease_expiries (20)
            // lost workers make a dead letter (the poison-job guard). Each kill loses
            // a job at most one lease, so 3 + 12 = 15 stay below 20 even if every kill
            // hit the same job. The cap is for progress, not the budget: the oldest
            // worker dies each time, so a job longer than a worker's life (about 3 s
            // here) finishes only once the kills stop.
            let killer = Task {
                var count = 0
                while !Task.isCancelled, count < 12 {
                    try? await Task.sleep(for: .milliseconds(1_000))
                    if let victim = children(of: parent).first { kill(victim, SIGKILL); count += 1 }
                }
                return count
            }
            let status = try await second.waitForExit()
            killer.cancel()
            kills += await killer.value
            #expect(status == 0, "\(second.text)")
            if interrupted == 130 { #expect(second.text.contains("resuming run 1"), "\(second.text)") }
            #expect(kills >= 3, "workers were killed")
        }
        for file in Self.compared {
            let a = try String(contentsOf: calm.appendingPathComponent(file), encoding: .utf8)
            let b = try String(contentsOf: chaos.appendingPathComponent(file), encoding: .utf8)
            #expect(a == b, "\(file) differs: \(firstDifferences(a, b))")
        }
    }

    /// The first few lines that differ between two files, for a failure message a
    /// person can read (the files themselves are thousands of lines).
    func firstDifferences(_ a: String, _ b: String, limit: Int = 5) -> String {
        let left = a.split(separator: "\n", omittingEmptySubsequences: false)
        let right = b.split(separator: "\n", omittingEmptySubsequences: false)
        let differing = (0..<max(left.count, right.count)).filter { index in
            index >= left.count || index >= right.count || left[index] != right[index]
        }
        let shown = differing.prefix(limit).map { index in
            let l = index < left.count ? String(left[index]) : "<none>"
            let r = index < right.count ? String(right[index]) : "<none>"
            return "line \(index + 1): calm \(l) | chaos \(r)"
        }
        return "\(differing.count) of \(left.count) lines; " + shown.joined(separator: "; ")
    }

    @Test("when `marketmap run` is SIGKILLed, its children notice and stop; the next run resumes")
    func parentKilled() async throws {
        try await withTestDatabase { config in
            let cluster = Cluster(config)
            let out = temporary("orphan")
            let arguments = ["run", Self.sample, "--out", out.path, "--log-level", "warning"]
            let first = try RunningBinary(arguments, environment: cluster.environment)
            #expect(try await first.waitFor("run 1 started"))
            let parent = first.process.processIdentifier
            #expect(try await eventually(timeout: 10) { children(of: parent, all: true).count == 4 }, "coordinator, 2 workers, reporter")
            kill(parent, SIGKILL)
            _ = try await first.waitForExit()
            #expect(try await eventually(timeout: 20) { children(of: parent, all: true).isEmpty }, "no child outlives its run")
            let second = try await run(cluster, out: out)
            #expect(second.status == 0, "\(second.output)")
            #expect(second.output.contains("resuming run 1") || second.output.contains("run 2 started"), "\(second.output)")
        }
    }
}

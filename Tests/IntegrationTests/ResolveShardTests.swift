import Enrichment
import Foundation
import Logging
import MarketMapCore
import Pipeline
import Postgres
import Testing
import TestSupport

/// Resolve in shards (issue 17): golden ids, lineage, survivorship, golden
/// contacts and their lineage do not depend on the shard count or the worker
/// count, and equal the one-process merge's, over a generated market with
/// multi-record clusters, name matches, stewards' decisions, contacts (one
/// person in both CRMs by email or by LinkedIn URL, at accounts that merged,
/// without an account) and, in a second round, a split whose parts land in
/// different components and claim the same previous golden id.
@Suite("Resolve in shards")
struct ResolveShardTests {
    let importer = Importer(domains: DomainNormalizer(resolver: LibPSLResolver.shared), logger: Logger(label: "test"))
    static let priority = ["crm", "hub"]

    /// A market of `companies` companies in two CRMs, generated from `seed`:
    /// every company in `crm`, two in three in `hub` (half of those without a
    /// domain, so they join by name, some with a typo), every fifth with a
    /// second `crm` record on its domain.
    static func market(companies: Int, seed: UInt64) -> (crm: String, hub: String) {
        var random = SeededRandom(seed: seed)
        let syllables = ["var", "kon", "tel", "ori", "mex", "lun", "dra", "vik", "sol", "pra", "zen", "quo", "bri", "tam", "gel"]
        let trades = ["Telemetry", "Robotics", "Foods", "Logistics", "Analytics", "Textiles", "Pharma", "Energy"]
        let countries = ["Germany", "France", "USA"]
        var crm = "Account ID,Account Name,Website,Industry,Employees,Billing Country,Billing City\n"
        var hub = "Record ID,Company name,Company Domain Name,Industry,Number of Employees,Country/Region,City\n"
        for i in 1...companies {
            let word = (0..<3).map { _ in syllables[Int(random.next() % UInt64(syllables.count))] }.joined().capitalized
            let name = "\(word) \(trades[Int(random.next() % UInt64(trades.count))])"
            let country = countries[i % countries.count]
            let domain = "\(word.lowercased())\(i).com"
            let employees = 10 + Int(random.next() % 5_000)
            crm += "S\(i),\(name),https://www.\(domain),Industry \(i % 4),\(employees),\(country),City \(i % 7)\n"
            if i % 5 == 0 { crm += "S\(i)b,\(name) Europe,\(domain),,\(employees / 3),\(country),\n" }
            guard i % 3 != 0 else { continue }
            let hubName = i % 11 == 0 ? String(name.dropLast()) : name + (i % 2 == 0 ? " Inc." : "")
            let hubDomain = i % 2 == 0 ? domain : ""
            hub += "H\(i),\(hubName),\(hubDomain),Sector \(i % 3),\(employees + 7),\(country),City \(i % 7)\n"
        }
        return (crm, hub)
    }

    /// The market's contacts, in the same two CRMs: at each company's `crm`
    /// record a person with email and LinkedIn URL, who is also at its `hub`
    /// record by email (even companies) or by LinkedIn URL alone (odd ones);
    /// at the second `crm` record the same email again; every fourth company a
    /// contact with neither; every sixth (from 1) an email-less one whose URL
    /// is that of a `hub` person with an email, every sixth (from 2) one known
    /// by URL only in both CRMs; every seventh a contact of no imported account.
    static func contacts(companies: Int) -> (crm: String, hub: String) {
        var crm = "Contact ID,Account ID,First Name,Last Name,Email,Title,LinkedIn URL\n"
        var hub = "Record ID,Associated Company ID,First Name,Last Name,Email,Job Title,LinkedIn URL\n"
        for i in 1...companies {
            crm += "C\(i)a,S\(i),Ann,Lee\(i),ann\(i)@example\(i).com,VP Sales,https://www.linkedin.com/in/ann\(i)/\n"
            if i % 5 == 0 { crm += "C\(i)b,S\(i)b,Ann,Lee,ann\(i)@example\(i).com,Sales,\n" }
            if i % 4 == 0 { crm += "C\(i)c,S\(i),Sam,Poe\(i),,,\n" }
            if i % 6 == 1 { crm += "C\(i)d,S\(i),Dan,Roe\(i),,Director of IT,linkedin.com/in/dan\(i)\n" }
            if i % 6 == 2 { crm += "C\(i)e,S\(i),Eve,Fox\(i),,Head of RevOps,linkedin.com/in/eve\(i)\n" }
            if i % 7 == 0 { crm += "C\(i)x,S\(i)zz,Max,Gone\(i),max\(i)@example\(i).com,,\n" }
            guard i % 3 != 0 else { continue }
            hub += i % 2 == 0
                ? "K\(i)a,H\(i),Ann,Lee,ANN\(i)@Example\(i).com,Vice President Sales,\n"
                : "K\(i)a,H\(i),Annie,Lee,,VP,https://de.linkedin.com/in/Ann\(i)?trk=x\n"
            if i % 6 == 1 { hub += "K\(i)d,H\(i),Daniel,Roe,dan\(i)@example\(i).com,IT Director,https://www.linkedin.com/in/dan\(i)\n" }
            if i % 6 == 2 { hub += "K\(i)e,H\(i),Eve,Fox,,RevOps Lead,https://linkedin.com/in/EVE\(i)/\n" }
        }
        return (crm, hub)
    }

    func load(_ db: Connection) async throws {
        let (crm, hub) = Self.market(companies: 90, seed: 17)
        let (crmContacts, hubContacts) = Self.contacts(companies: 90)
        try await importFile(db, crm, source: "crm", format: .salesforce, kind: .accounts)
        try await importFile(db, hub, source: "hub", format: .hubspot, kind: .accounts)
        try await importFile(db, crmContacts, source: "crm", format: .salesforce, kind: .contacts)
        try await importFile(db, hubContacts, source: "hub", format: .hubspot, kind: .contacts)
    }

    func importFile(_ db: Connection, _ text: String, source: String, format: ExportFormat, kind: RecordKind) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mm-resolve-\(UUID().uuidString).csv").path
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else { throw ClusterError("write \(path)") }
        defer { try? FileManager.default.removeItem(atPath: path) }
        let report = try await importer.importFile(path, source: source, format: format, kind: kind, on: db)
        #expect(report.rejected == 0, "\(source) \(kind): \(report)")
    }

    static func key(_ source: String, _ id: String) -> RecordKey { RecordKey(source: source, sourceID: id) }

    /// Round one's decisions: two `same` that join different domains (one of
    /// a 3-record account with a 1-record one, one of two 2-record accounts),
    /// a `different` inside a domain group, a detach, a `different` across
    /// accounts and one on a record that does not exist. Returns the ids of
    /// the two `same` decisions.
    func decideRoundOne(_ db: Connection) async throws -> [Int64] {
        let same = [
            try await ReviewStore.decide(NewDecision(kind: .same, a: Self.key("crm", "S20"), b: Self.key("crm", "S21"), by: "t"), on: db),
            try await ReviewStore.decide(NewDecision(kind: .same, a: Self.key("crm", "S22"), b: Self.key("crm", "S23"), by: "t"), on: db),
        ]
        try await ReviewStore.decide(NewDecision(kind: .different, a: Self.key("crm", "S25"), b: Self.key("crm", "S25b"), by: "t"), on: db)
        try await ReviewStore.decide(NewDecision(kind: .detach, a: Self.key("crm", "S30b"), by: "t"), on: db)
        try await ReviewStore.decide(NewDecision(kind: .different, a: Self.key("crm", "S1"), b: Self.key("hub", "H2"), by: "t"), on: db)
        try await ReviewStore.decide(NewDecision(kind: .pin, a: Self.key("crm", "S4"), field: "industry", value: "Pinned", by: "t"), on: db)
        return same.map(\.id)
    }

    /// Round two: the two `same` decisions undone (each old account splits in
    /// two components that both claim its golden id), a new `different`
    /// that splits a domain group, and new `hub` contacts of people the first
    /// round knows: by email (even companies) or by LinkedIn URL alone (odd ones).
    func decideRoundTwo(_ db: Connection, undo same: [Int64]) async throws {
        for id in same { try await ReviewStore.undo(id, by: "t", note: "two companies after all", on: db) }
        try await ReviewStore.decide(NewDecision(kind: .different, a: Self.key("crm", "S35"), b: Self.key("crm", "S35b"), by: "t"), on: db)
        var contacts = "Record ID,Associated Company ID,First Name,Last Name,Email,Job Title,LinkedIn URL\n"
        for i in 1...40 where i % 3 != 0 {
            contacts += i % 2 == 0 ? "N\(i),H\(i),A.,Lee,ann\(i)@example\(i).com,,\n" : "N\(i),H\(i),A.,Lee,,,linkedin.com/in/ann\(i)\n"
        }
        try await importFile(db, contacts, source: "hub", format: .hubspot, kind: .contacts)
    }

    /// Golden ids, lineage, survivorship, conflicts, review items, golden
    /// contacts and their lineage, as text.
    func snapshot(_ db: Connection) async throws -> [String] {
        let queries = [
            "SELECT source || '/' || source_id || '=' || golden_id || ':' || match_method || ':' || match_reason FROM account_lineage ORDER BY 1",
            """
            SELECT concat_ws('|', id, name, name_norm, website, domain, industry, employees, annual_revenue, country, state, city,
                             owner, type, last_activity, prevent_override, source_count) FROM golden_accounts ORDER BY id
            """,
            "SELECT golden_id || ' ' || field || ' ' || array_to_string(source_values, '/') FROM account_conflicts ORDER BY 1",
            "SELECT concat_ws('|', kind, item_key, golden_id, score, evidence, action) FROM review_items ORDER BY 1",
            """
            SELECT concat_ws('|', 'contact', id, golden_account_id, email, linkedin, first_name, last_name, title, seniority, department)
            FROM golden_contacts ORDER BY id
            """,
            "SELECT 'contact ' || source || '/' || source_id || '>' || golden_contact_id || ':' || match_method FROM contact_lineage ORDER BY 1",
        ]
        var lines: [String] = []
        for sql in queries { lines += try await db.query(sql).map { try $0.decode(0, as: String.self) } }
        return lines
    }

    /// The two rounds through the one-process merge, with each round's contact figures.
    func oneProcess() async throws -> (snapshots: [[String]], contacts: [ContactMergeReport]) {
        try await withTestConnection { db in
            try await load(db)
            let merger = AccountMerger(sourcePriority: Self.priority, logger: Logger(label: "test"))
            let contacts = ContactMerger(sourcePriority: Self.priority, logger: Logger(label: "test"))
            let same = try await decideRoundOne(db)
            _ = try await merger.merge(on: db)
            let firstContacts = try await contacts.merge(on: db)
            let first = try await snapshot(db)
            try await decideRoundTwo(db, undo: same)
            _ = try await merger.merge(on: db)
            let secondContacts = try await contacts.merge(on: db)
            return ([first, try await snapshot(db)], [firstContacts, secondContacts])
        }
    }

    /// The two rounds through the merge pipeline in `shards` shards on `workers` worker processes.
    func pipeline(shards: Int, workers: Int) async throws -> [[String]] {
        try await withTestDatabase { config in
            let db = try await Connection.connect(config)
            try await load(db)
            let cluster = Cluster(config)
            defer { cluster.stopAll() }
            try cluster.coordinator()
            for w in 1...workers { try cluster.worker("w\(w)", concurrency: 1) }
            func run() async throws {
                let arguments = ["runs", "start", "--pipeline", "merge", "--param", "shards=\(shards)",
                                 "--param", "source_priority=" + Self.priority.joined(separator: ",")]
                let started = try await MarketMapBinary.run(arguments, environment: cluster.environment)
                let run = try #require(Int(started.output.split(separator: "\n").last ?? ""), "\(started.output)")
                let result = try await cluster.wait(run: run)
                #expect(result.status == 0, "\(shards) shards, \(workers) workers: \(result.output)")
                for table in ["resolve_clusters", "resolve_contacts"] {
                    #expect(try await db.query("SELECT count(*)::int8 FROM \(table)")[0].decode(0, as: Int.self) == 0,
                            "the run's resolve rows are gone from \(table)")
                }
            }
            let same = try await decideRoundOne(db)
            try await run()
            let first = try await snapshot(db)
            try await decideRoundTwo(db, undo: same)
            try await run()
            let second = try await snapshot(db)
            await db.close()
            return [first, second]
        }
    }

    @Test("property: golden ids, lineage, survivorship and golden contacts are the same for 1, 2, 3 and 7 shards on 1 to 3 workers, and the one-process merge's",
          .tags(.process), .notFast)
    func independentOfShardsAndWorkers() async throws {
        let (expected, contacts) = try await oneProcess()
        #expect(expected[0].count > 150, "a market of some size: \(expected[0].count) rows")
        #expect(expected[0] != expected[1], "round two changes the accounts")
        // Round two's splits: the larger part keeps the old golden id (S20's
        // three records over S21's one); on a tie (S22 + H22 against S23 + H23), the smaller anchor.
        let lineage = expected[1].filter { $0.contains("=") }
        func golden(_ record: String) -> String? {
            lineage.first { $0.hasPrefix(record + "=") }.map { String($0.split(separator: "=")[1].split(separator: ":")[0]) }
        }
        let before = expected[0].filter { $0.contains("=") }
        func goldenBefore(_ record: String) -> String? {
            before.first { $0.hasPrefix(record + "=") }.map { String($0.split(separator: "=")[1].split(separator: ":")[0]) }
        }
        #expect(goldenBefore("crm/S20") == goldenBefore("crm/S21"), "round one: same joins them")
        #expect(golden("crm/S20") == goldenBefore("crm/S20") && golden("crm/S21") != golden("crm/S20"))
        #expect(golden("crm/S22") == goldenBefore("crm/S22") && golden("crm/S23") != golden("crm/S22"))
        // The contacts take every path of the waterfall: one person in both
        // CRMs is one golden contact, by email (K2a, C10b; N2 in round two) and
        // by LinkedIn URL (K1a, C1d to K1d's new contact, C2e and K2e; N1 in
        // round two); a contact of no account is counted.
        func contact(_ round: Int, _ record: String) -> String? {
            expected[round].first { $0.hasPrefix("contact \(record)>") }.map { String($0.split(separator: ">")[1].split(separator: ":")[0]) }
        }
        #expect(contacts[0].matchedByLinkedIn > 0 && contacts[0].created > 0, "\(contacts[0])")
        #expect(contacts[1].matchedByEmail > 0 && contacts[1].matchedByLinkedIn > 0, "round two finds N2, N1: \(contacts[1])")
        #expect(contact(1, "hub/N2") != nil && contact(1, "hub/N2") == contact(1, "crm/C2a"))
        #expect(contact(1, "hub/N1") != nil && contact(1, "hub/N1") == contact(1, "crm/C1a"))
        #expect(contacts[0].withoutAccount == 12 && contact(0, "crm/C7x") == nil, "\(contacts[0])")
        #expect(contact(0, "crm/C2a") != nil && contact(0, "crm/C2a") == contact(0, "hub/K2a"))
        #expect(contact(0, "crm/C10a") != nil && contact(0, "crm/C10a") == contact(0, "crm/C10b"))
        #expect(contact(0, "crm/C1a") != nil && contact(0, "crm/C1a") == contact(0, "hub/K1a"))
        #expect(contact(0, "crm/C1d") != nil && contact(0, "crm/C1d") == contact(0, "hub/K1d"))
        #expect(contact(0, "crm/C2e") != nil && contact(0, "crm/C2e") == contact(0, "hub/K2e"))
        #expect(contact(0, "crm/C21a") != nil && contact(1, "crm/C21a") != contact(0, "crm/C21a"), "S21 split away: a new golden contact")
        #expect(contact(1, "crm/C20a") == contact(0, "crm/C20a"), "S20 kept its account and its contact")
        #expect(contacts[1].created < contacts[0].created, "round two creates only what moved: \(contacts)")
        for (shards, workers) in [(1, 1), (2, 2), (3, 3), (7, 1), (7, 2), (7, 3)] {
            let sharded = try await pipeline(shards: shards, workers: workers)
            for round in 0..<2 {
                let missing = expected[round].filter { !sharded[round].contains($0) }.prefix(5)
                let extra = sharded[round].filter { !expected[round].contains($0) }.prefix(5)
                let identical = sharded[round] == expected[round]
                #expect(identical, "\(shards) shards, \(workers) workers, round \(round + 1): missing \(missing), extra \(extra)")
            }
        }
    }
}

import Foundation
import MarketMapCore
import Pipeline
import Postgres
import Testing

/// Merge plans on the bundled sample, applied to its exports as the CRM would
/// apply them (duplicates removed, their contacts and opportunities re-pointed
/// to the master, the master's fields set), then imported and merged again.
@Suite("Merge plans", .serialized)
struct MergePlanTests {
    static let sample = TestServer.repositoryRoot.appendingPathComponent("ops/sample")

    /// One CRM instance's export files and their columns.
    struct Instance {
        var source: String, format: String, crm: CRMKind
        var accounts: String, accountID: String
        var contacts: String, contactID: String, contactAccount: String
        var opportunities: String?
        /// `merge_steps.csv`'s master column and the columns of the records merged into it.
        var master: String, duplicates: [String]
        /// Extra records of the instance's first companies with a website, so
        /// that groups of more than two records exist (the sample has pairs only).
        var copies: [Int]
        var files: [(kind: String, file: String)] {
            [("accounts", accounts), ("contacts", contacts)] + (opportunities.map { [("opportunities", $0)] } ?? [])
        }
    }

    static let salesforce = Instance(
        source: "acme-sfdc", format: "salesforce", crm: .salesforce, accounts: "salesforce_accounts.csv", accountID: "Account ID",
        contacts: "salesforce_contacts.csv", contactID: "Contact ID", contactAccount: "Account ID", opportunities: "salesforce_opportunities.csv",
        master: "master_id", duplicates: ["duplicate_id_1", "duplicate_id_2"], copies: [2, 3, 4, 6])
    static let hubspot = Instance(
        source: "acme-hubspot", format: "hubspot", crm: .hubspot, accounts: "hubspot_accounts.csv", accountID: "Record ID",
        contacts: "hubspot_contacts.csv", contactID: "Record ID", contactAccount: "Associated Company ID", opportunities: nil,
        master: "primary_object_id", duplicates: ["object_id_to_merge"], copies: [2])

    /// What one instance's plan says, read back from its files.
    struct Plan {
        var master: [Int: String] = [:]
        var records: [Int: [String]] = [:]
        var steps: [Int: [(number: Int, duplicates: [String], contacts: Int, opportunities: Int)]] = [:]
        var group: [Int: Int] = [:]
        /// Record merged away → its master.
        var into: [String: String] = [:]
    }

    @Test("every in-instance group once, chained Salesforce merges of ≤ 1 + 2 records; applied to the exports, no duplicate is left and nothing is lost")
    func plansApplied() async throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("mm-merge-plan-\(UUID().uuidString)")
        let exports = work.appendingPathComponent("exports"), collapsed = work.appendingPathComponent("collapsed")
        for directory in [exports, collapsed] { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
        for instance in [Self.salesforce, Self.hubspot] { try augment(instance, into: exports) }

        try await withTestDatabase { config in
            let cluster = Cluster(config)
            try await merge(from: exports, cluster)
            let db = try await Connection.connect(config)
            var sizes: [Int] = []
            for instance in [Self.salesforce, Self.hubspot] {
                let out = work.appendingPathComponent("plan-\(instance.source)")
                let planned = try await MarketMapBinary.run(["merge-plan", "--target", instance.source, "--out", out.path], environment: cluster.environment)
                #expect(planned.status == 0, "\(planned.output)")
                let plan = try await check(instance, out, db)
                sizes += plan.records.values.map(\.count)
                try await collapse(instance, plan: plan, planDirectory: out, from: exports, to: collapsed, db)
            }
            #expect(sizes.contains { $0 > 3 }, "the augmented sample has groups of more than three records: \(sizes.sorted())")

            // The collapsed exports, imported and merged again: one record per
            // golden account in each instance, no contact or opportunity lost.
            try await withTestDatabase { collapsedConfig in
                let again = Cluster(collapsedConfig)
                try await merge(from: collapsed, again)
                let after = try await Connection.connect(collapsedConfig)
                for instance in [Self.salesforce, Self.hubspot] {
                    #expect(try await groups(instance.source, after).isEmpty, "\(instance.source): duplicates left")
                    let out = work.appendingPathComponent("replan-\(instance.source)")
                    let replanned = try await MarketMapBinary.run(["merge-plan", "--target", instance.source, "--out", out.path], environment: again.environment)
                    #expect(replanned.status == 0, "\(replanned.output)")
                    let summary = try JSONDecoder().decode(MergePlanSummary.self, from: Data(contentsOf: out.appendingPathComponent("merge_plan.json")))
                    #expect(summary.groups == 0 && summary.steps == 0)
                    let plan = try read(instance, work.appendingPathComponent("plan-\(instance.source)"))
                    try await expectNothingLost(instance, plan: plan, before: db, after: after)
                    try await expectMasterFields(instance, planDirectory: work.appendingPathComponent("plan-\(instance.source)"), after)
                }
                await after.close()
            }
            await db.close()
        }
    }

    @Test("--sample N keeps the N groups of the smallest golden ids; a bad --target names the known instances; a generic export needs --crm")
    func sampleAndErrors() async throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("mm-merge-plan-\(UUID().uuidString)")
        let exports = work.appendingPathComponent("exports")
        try FileManager.default.createDirectory(at: exports, withIntermediateDirectories: true)
        for instance in [Self.salesforce, Self.hubspot] { try augment(instance, into: exports) }
        try await withTestDatabase { config in
            let cluster = Cluster(config)
            try await merge(from: exports, cluster)
            let full = work.appendingPathComponent("full"), sampled = work.appendingPathComponent("sampled")
            for (out, extra) in [(full, [String]()), (sampled, ["--sample", "3"])] {
                let result = try await MarketMapBinary.run(["merge-plan", "--target", "acme-sfdc", "--out", out.path] + extra, environment: cluster.environment)
                #expect(result.status == 0, "\(result.output)")
            }
            let all = try read(Self.salesforce, full), some = try read(Self.salesforce, sampled)
            #expect(all.master.count > 3)
            #expect(some.master.keys.sorted() == Array(all.master.keys.sorted().prefix(3)))
            #expect(some.records == all.records.filter { some.master[$0.key] != nil })

            let unknown = try await MarketMapBinary.run(["merge-plan", "--target", "acme-nope", "--out", work.appendingPathComponent("x").path], environment: cluster.environment)
            #expect(unknown.status != 0)
            #expect(unknown.output.contains("\"acme-nope\"") && unknown.output.contains("instances: acme-hubspot, acme-sfdc"), "\(unknown.output)")

            let generic = work.appendingPathComponent("generic.csv")
            try Data("id,company,domain\nG1,Vandelay Industries,vandelay.com\n".utf8).write(to: generic)
            let imported = try await MarketMapBinary.run(
                ["import", "--source", "acme-sheet", "--format", "generic", "--kind", "accounts", generic.path], environment: cluster.environment)
            #expect(imported.status == 0, "\(imported.output)")
            let untold = try await MarketMapBinary.run(["merge-plan", "--target", "acme-sheet", "--out", work.appendingPathComponent("y").path], environment: cluster.environment)
            #expect(untold.status != 0)
            #expect(untold.output.contains("imported as generic exports") && untold.output.contains("--crm salesforce or --crm hubspot"), "\(untold.output)")
            let told = try await MarketMapBinary.run(
                ["merge-plan", "--target", "acme-sheet", "--crm", "salesforce", "--out", work.appendingPathComponent("z").path], environment: cluster.environment)
            #expect(told.status != 0)
            #expect(told.output.contains("not merged into golden accounts yet"), "\(told.output)")
        }
    }

    // MARK: - the exports

    /// Copies the sample's files of `instance` into `directory`, with extra
    /// records of its first companies with a website and an industry (each with
    /// a contact and, in Salesforce, an opportunity). The copies lack the
    /// employees, the original its industry: whichever is the master has a
    /// blank that another record of its instance fills.
    func augment(_ instance: Instance, into directory: URL) throws {
        var accounts = try CSVFile(Self.sample.appendingPathComponent(instance.accounts))
        var contacts = try CSVFile(Self.sample.appendingPathComponent(instance.contacts))
        var opportunities = try instance.opportunities.map { try CSVFile(Self.sample.appendingPathComponent($0)) }
        let id = try accounts.index(instance.accountID), website = try accounts.index(instance.crm == .salesforce ? "Website" : "Website URL")
        let industry = try accounts.index("Industry"), employees = try accounts.index(instance.crm == .salesforce ? "Employees" : "Number of Employees")
        let hosts = Dictionary(grouping: accounts.rows.map { $0[website].lowercased() }, by: { $0 }).mapValues(\.count)
        let originals = accounts.rows.indices.filter {
            !accounts.rows[$0][website].isEmpty && !accounts.rows[$0][industry].isEmpty && hosts[accounts.rows[$0][website].lowercased()] == 1
        }.prefix(instance.copies.count)
        var serial = 0
        for (index, count) in zip(originals, instance.copies) {
            // The original keeps its employees and loses its industry; its copies the other way round.
            let original = accounts.rows[index]
            accounts.rows[index][industry] = ""
            for _ in 0..<count {
                serial += 1
                let copyID = (instance.crm == .salesforce ? "0019" : "99") + String(repeating: "0", count: 8 - String(serial).count) + String(serial)
                var copy = original
                copy[id] = copyID
                copy[employees] = ""
                accounts.rows.append(copy)
                contacts.rows.append(contacts.header.map {
                    [instance.contactID: "C\(copyID)", instance.contactAccount: copyID, "First Name": "Copy", "Last Name": "Person \(serial)",
                     "Email": "copy.person.\(serial)@\(instance.source).example"][$0] ?? ""
                })
                if let header = opportunities?.header {
                    opportunities?.rows.append(header.map {
                        ["Opportunity ID": "O\(copyID)", "Account ID": copyID, "Opportunity Name": "Deal \(serial)", "Amount": "1000",
                         "Stage": "Closed Won", "Close Date": "2026-01-15", "Won": "true", "Closed": "true"][$0] ?? ""
                    })
                }
            }
        }
        #expect(serial == instance.copies.reduce(0, +), "\(instance.source): enough companies with a website of their own")
        try accounts.write(to: directory.appendingPathComponent(instance.accounts))
        try contacts.write(to: directory.appendingPathComponent(instance.contacts))
        if let opportunities, let file = instance.opportunities { try opportunities.write(to: directory.appendingPathComponent(file)) }
    }

    /// `marketmap merge` of both instances' files in `directory`, Salesforce trusted first.
    func merge(from directory: URL, _ cluster: Cluster) async throws {
        let inputs = [Self.salesforce, Self.hubspot].flatMap { instance in
            instance.files.flatMap { ["--input", "\(instance.source):\(instance.format):\($0.kind):\(directory.appendingPathComponent($0.file).path)"] }
        }
        let merged = try await MarketMapBinary.run(
            ["merge", "--source-priority", "acme-sfdc,acme-hubspot", "--log-level", "warning"] + inputs, environment: cluster.environment)
        #expect(merged.status == 0, "\(merged.output)")
    }

    /// Golden id → the instance's records, for golden accounts with two or more of them.
    func groups(_ source: String, _ db: Connection) async throws -> [Int: Set<String>] {
        var groups: [Int: Set<String>] = [:]
        for row in try await db.query(
            "SELECT golden_id, array_agg(source_id) FROM account_lineage WHERE source = $1 GROUP BY 1 HAVING count(*) > 1", source) {
            groups[try row.decode(0, as: Int.self)] = Set(try row.decode(1, as: [String].self))
        }
        return groups
    }

    /// Record id → its account id, of the instance's contacts or opportunities.
    func accountOf(_ table: String, _ source: String, _ db: Connection) async throws -> [String: String] {
        var accounts: [String: String] = [:]
        for row in try await db.query("SELECT source_id, account_source_id FROM \(table) WHERE source = $1", source) {
            accounts[try row.decode(0)] = try row.decode(1)
        }
        return accounts
    }

    // MARK: - the plan

    func read(_ instance: Instance, _ directory: URL) throws -> Plan {
        let steps = try CSVFile(directory.appendingPathComponent("merge_steps.csv"))
        #expect(steps.header == ["group", "step", instance.master] + instance.duplicates + ["golden_id", "contacts_moved", "opportunities_moved"])
        #expect(steps.rows.allSatisfy { $0.count == steps.header.count })
        var plan = Plan()
        for row in steps.records {
            let golden = Int(row["golden_id"] ?? "") ?? 0, master = row[instance.master] ?? ""
            let duplicates = instance.duplicates.compactMap { row[$0] }.filter { !$0.isEmpty }
            #expect(plan.master[golden] == nil || plan.master[golden] == master, "golden \(golden): one master for all its steps")
            #expect(plan.group[golden] == nil || plan.group[golden] == Int(row["group"] ?? ""), "golden \(golden): one group number")
            plan.master[golden] = master
            plan.group[golden] = Int(row["group"] ?? "")
            plan.records[golden, default: [master]] += duplicates
            plan.steps[golden, default: []].append((Int(row["step"] ?? "") ?? 0, duplicates, Int(row["contacts_moved"] ?? "") ?? -1, Int(row["opportunities_moved"] ?? "") ?? -1))
            for duplicate in duplicates { plan.into[duplicate] = master }
        }
        return plan
    }

    /// The plan against the merge's lineage and the instance's records.
    func check(_ instance: Instance, _ directory: URL, _ db: Connection) async throws -> Plan {
        let plan = try read(instance, directory)
        let lineage = try await groups(instance.source, db)
        #expect(!lineage.isEmpty)
        #expect(Set(plan.master.keys) == Set(lineage.keys), "\(instance.source): every in-instance group, and only those")
        #expect(Set(plan.group.values).count == plan.group.count, "one group number per golden account")
        let perMerge = instance.crm == .salesforce ? 2 : 1
        for (golden, records) in lineage {
            let planned = plan.records[golden] ?? []
            #expect(planned.count == records.count && Set(planned) == records, "golden \(golden): each record exactly once")
            let steps = plan.steps[golden] ?? []
            #expect(steps.map(\.number) == Array(1...max(1, steps.count)))
            #expect(steps.count == (records.count - 1 + perMerge - 1) / perMerge, "golden \(golden): \(records.count) records in \(steps.count) merges")
            #expect(steps.allSatisfy { (1...perMerge).contains($0.duplicates.count) })
            if instance.crm == .salesforce, records.count > 3 { #expect(steps.count > 1, "golden \(golden): a chained merge") }
        }

        // Moves: every contact and opportunity of a merged record, to its master; counted per step.
        let moves = try CSVFile(directory.appendingPathComponent("moves.csv"))
        #expect(moves.header == ["group", "step", "kind", "record_id", "from_account", "to_account", "golden_id"])
        var expected = Set<String>()
        for (kind, table) in [("contact", "source_contacts"), ("opportunity", "source_opportunities")] {
            for (record, account) in try await accountOf(table, instance.source, db) {
                if let master = plan.into[account] { expected.insert("\(kind) \(record) \(account) \(master)") }
            }
        }
        let listed = moves.records.map { "\($0["kind"] ?? "") \($0["record_id"] ?? "") \($0["from_account"] ?? "") \($0["to_account"] ?? "")" }
        #expect(listed.count == Set(listed).count && Set(listed) == expected, "\(instance.source): the moves are exactly the merged records' contacts and opportunities")
        #expect(!expected.isEmpty)
        let counted = Dictionary(grouping: moves.records, by: { "\($0["golden_id"] ?? "")/\($0["step"] ?? "")/\($0["kind"] ?? "")" }).mapValues(\.count)
        for (golden, steps) in plan.steps {
            for step in steps {
                #expect(step.contacts == counted["\(golden)/\(step.number)/contact"] ?? 0)
                #expect(step.opportunities == counted["\(golden)/\(step.number)/opportunity"] ?? 0)
            }
        }

        // Master fields: only what differs, on masters, named as the CRM names them.
        let fields = try CSVFile(directory.appendingPathComponent("master_fields.csv"))
        #expect(fields.header == ["group", "golden_id", "master_id", "field", "crm_field", "current", "target"])
        for row in fields.records {
            #expect(row["current"] != row["target"] && row["target"]?.isEmpty == false)
            #expect(plan.master[Int(row["golden_id"] ?? "") ?? 0] == row["master_id"])
            #expect(row["crm_field"]?.isEmpty == false)
        }
        #expect(!fields.rows.isEmpty, "\(instance.source): masters take the golden values their duplicates or the other CRM hold")
        return plan
    }

    // MARK: - the plan applied

    /// The instance's exports as the CRM leaves them after the plan: the
    /// duplicates gone, their contacts and opportunities moved as `moves.csv`
    /// says, the master fields set as `master_fields.csv` says.
    func collapse(_ instance: Instance, plan: Plan, planDirectory: URL, from exports: URL, to collapsed: URL, _ db: Connection) async throws {
        var accounts = try CSVFile(exports.appendingPathComponent(instance.accounts))
        let id = try accounts.index(instance.accountID)
        var targets: [String: [(Int, String)]] = [:]
        for row in try CSVFile(planDirectory.appendingPathComponent("master_fields.csv")).records {
            guard let column = accounts.header.firstIndex(of: row["crm_field"] ?? "") else { continue }
            targets[row["master_id"] ?? "", default: []].append((column, row["target"] ?? ""))
        }
        accounts.rows = accounts.rows.filter { plan.into[$0[id]] == nil }.map { row in
            var row = row
            for (column, value) in targets[row[id]] ?? [] { row[column] = value }
            return row
        }
        try accounts.write(to: collapsed.appendingPathComponent(instance.accounts))

        var movedTo: [String: (from: String, to: String)] = [:]
        for row in try CSVFile(planDirectory.appendingPathComponent("moves.csv")).records {
            movedTo["\(row["kind"] ?? "") \(row["record_id"] ?? "")"] = (row["from_account"] ?? "", row["to_account"] ?? "")
        }
        for (kind, file, idColumn, accountColumn) in [("contact", instance.contacts, instance.contactID, instance.contactAccount)]
            + (instance.opportunities.map { [("opportunity", $0, "Opportunity ID", "Account ID")] } ?? []) {
            var records = try CSVFile(exports.appendingPathComponent(file))
            let recordID = try records.index(idColumn), account = try records.index(accountColumn)
            records.rows = records.rows.map { row in
                var row = row
                if let move = movedTo["\(kind) \(row[recordID])"] {
                    #expect(move.from == row[account])
                    row[account] = move.to
                }
                return row
            }
            try records.write(to: collapsed.appendingPathComponent(file))
        }
    }

    /// After the collapsed re-import: the same contacts and opportunities, on
    /// the master where their account was merged away; every other account kept.
    func expectNothingLost(_ instance: Instance, plan: Plan, before: Connection, after: Connection) async throws {
        for table in ["source_contacts", "source_opportunities"] {
            let was = try await accountOf(table, instance.source, before), now = try await accountOf(table, instance.source, after)
            #expect(Set(now.keys) == Set(was.keys), "\(instance.source) \(table): none lost, none added")
            #expect(was.allSatisfy { now[$0.key] == (plan.into[$0.value] ?? $0.value) }, "\(instance.source) \(table): moved to the master")
        }
        func accounts(_ db: Connection) async throws -> Set<String> {
            Set(try await db.query("SELECT source_id FROM source_accounts WHERE source = $1", instance.source).map { try $0.decode(0, as: String.self) })
        }
        #expect(try await accounts(after) == accounts(before).subtracting(plan.into.keys))
    }

    /// The masters hold the target values of `master_fields.csv` once imported again.
    func expectMasterFields(_ instance: Instance, planDirectory: URL, _ db: Connection) async throws {
        var values: [String: [String: String]] = [:]
        for row in try await db.query(
            "SELECT source_id, name, website, industry, coalesce(employees::text, ''), coalesce(type, '') FROM source_accounts WHERE source = $1",
            instance.source) {
            values[try row.decode(0)] = [
                "name": try row.decode(1, as: String?.self) ?? "", "website": try row.decode(2, as: String?.self) ?? "",
                "industry": try row.decode(3, as: String?.self) ?? "", "employees": try row.decode(4), "type": try row.decode(5),
            ]
        }
        var checked = 0
        for row in try CSVFile(planDirectory.appendingPathComponent("master_fields.csv")).records {
            guard let field = row["field"], let now = values[row["master_id"] ?? ""]?[field] else { continue }
            #expect(now == row["target"], "\(instance.source) \(row["master_id"] ?? "") \(field)")
            checked += 1
        }
        #expect(checked > 0)
    }
}

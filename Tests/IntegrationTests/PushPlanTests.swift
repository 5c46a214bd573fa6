import Foundation
import MarketMapCore
import Postgres
import Testing

/// Push plans on the bundled sample, applied to a stand-in for the CRM: the
/// original export as a table of rows by record id.
@Suite("Push plans", .serialized)
struct PushPlanTests {
    typealias Table = [String: [String: String]]  // record id → column → value

    /// A CSV file as rows of column → value (CSVParser, as the importer reads it).
    func read(_ url: URL) throws -> [[String: String]] { try CSVFile(url).records }

    /// Applies a Salesforce Bulk update file: `#N/A` blanks, an empty cell leaves the value.
    func apply(_ url: URL, to table: inout Table, columns: [String: String]) throws {
        for row in try read(url) {
            guard let id = row["Id"], table[id] != nil else { Issue.record("update of an unknown record \(row["Id"] ?? "")"); continue }
            for (field, value) in row where field != "Id" && !value.isEmpty {
                table[id]?[columns[field] ?? field] = value == "#N/A" ? "" : value
            }
        }
    }

    @Test("Salesforce: the plan brings the export to the golden state under every policy, the rollback restores it exactly; HubSpot's plan exists")
    func salesforcePlan() async throws {
        try await withTestDatabase { config in
            let cluster = Cluster(config)
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("mm-push-\(UUID().uuidString)")
            let run = try await MarketMapBinary.run(["run", RunCommandTests.sample, "--out", out.path, "--log-level", "warning"], environment: cluster.environment)
            #expect(run.status == 0, "\(run.output)")
            let plan = out.appendingPathComponent("push-sfdc")
            let pushed = try await MarketMapBinary.run(["push-plan", "--target", "acme-sfdc", "--out", plan.path], environment: cluster.environment)
            #expect(pushed.status == 0, "\(pushed.output)")

            let sample = URL(fileURLWithPath: RunCommandTests.sample).deletingLastPathComponent()
            var original: Table = [:]
            for row in try read(sample.appendingPathComponent("salesforce_accounts.csv")) { original[row["Account ID"] ?? ""] = row }
            let columns = ["Name": "Account Name", "OwnerId": "Account Owner"]  // API name → export column, as configured
            var crm = original
            try apply(plan.appendingPathComponent("accounts_update.csv"), to: &crm, columns: columns)

            // The intended golden state, from the run's own output.
            var golden: [String: [String: String]] = [:]
            for row in try read(out.appendingPathComponent("accounts.csv")) { golden[row["golden_id"] ?? ""] = row }
            var goldenOf: [String: String] = [:]
            for row in try read(out.appendingPathComponent("account_lineage.csv")) where row["source"] == "acme-sfdc" {
                if goldenOf[row["source_id"] ?? ""] == nil { goldenOf[row["source_id"] ?? ""] = row["golden_id"] }
            }
            let tierNames = ["T1": "Tier 1", "T2": "Tier 2", "T3": "Tier 3"]
            var checked = 0, preventChecked = 0, filled = 0
            for (id, before) in original {
                guard let after = crm[id], let goldenID = goldenOf[id], let account = golden[goldenID] else { continue }
                // Several records of one CRM merge into one golden account: only one of them (the lowest id) is updated.
                let updated = goldenOf.filter { $0.value == goldenID }.keys.min() == id
                guard updated else { #expect(after == before, "\(id): a duplicate inside the CRM is left alone"); continue }
                checked += 1
                #expect(after["Account_Tier__c"] == (account["tier"].flatMap { tierNames[$0] } ?? ""), "\(id) tier")
                #expect(after["Account Owner"] == before["Account Owner"], "\(id): a `never` field is untouched")
                if before["Prevent Override"] == "true" {
                    preventChecked += 1
                    for column in ["Industry", "Website", "Account Name", "Account_Valuation__c"] {
                        #expect(after[column] == before[column], "\(id): prevent_override keeps \(column)")
                    }
                    continue
                }
                #expect(after["Account_Valuation__c"].flatMap(Double.init) == account["valuation"].flatMap(Double.init), "\(id) valuation")
                if before["Industry"]?.isEmpty == false {
                    #expect(after["Industry"] == before["Industry"], "\(id): if_blank keeps a value")
                } else {
                    #expect(after["Industry"] == (account["industry"] ?? ""), "\(id): if_blank fills a blank")
                    if after["Industry"]?.isEmpty == false { filled += 1 }
                }
            }
            #expect(checked > 1_500 && preventChecked > 0 && filled > 0, "\(checked) \(preventChecked) \(filled)")

            // The rollback restores the export exactly.
            try apply(plan.appendingPathComponent("accounts_update_rollback.csv"), to: &crm, columns: columns)
            #expect(crm == original)

            // Contacts the target already has (by email or LinkedIn URL) are never created.
            let existing = try read(sample.appendingPathComponent("salesforce_contacts.csv"))
            let emails = Set(existing.compactMap { $0["Email"]?.lowercased() }.filter { !$0.isEmpty })
            let created = try read(plan.appendingPathComponent("contacts_create.csv"))
            #expect(!created.isEmpty)
            #expect(created.allSatisfy { !emails.contains(($0["Email"] ?? "").lowercased()) })
            #expect(created.allSatisfy { !($0["AccountId"] ?? "").isEmpty || !($0["Account.MarketMap_Id__c"] ?? "").isEmpty }, "every new contact points to its account")

            // HubSpot: a sample plan of 12 across tiers, updates and creates.
            let hubspot = out.appendingPathComponent("push-hubspot")
            let sampled = try await MarketMapBinary.run(
                ["push-plan", "--target", "acme-hubspot", "--sample", "12", "--out", hubspot.path], environment: cluster.environment)
            #expect(sampled.status == 0, "\(sampled.output)")
            let updates = try read(hubspot.appendingPathComponent("companies_update.csv"))
            let creates = try read(hubspot.appendingPathComponent("companies_create.csv"))
            #expect(updates.count + creates.count <= 12 && !updates.isEmpty && !creates.isEmpty)
            #expect(Set(updates.compactMap { $0["account_tier"] }).count >= 2, "the sample spans tiers")
            #expect(creates.allSatisfy { !($0["Company Domain Name"] ?? "").isEmpty })

            // A mapped column the export lacks is a configuration error naming it.
            let bad = out.appendingPathComponent("bad.yaml")
            try String(contentsOfFile: sample.appendingPathComponent("marketmap.yaml").path, encoding: .utf8)
                .replacingOccurrences(of: "crm: Priority__c", with: "crm: Priority_Score__c").write(to: bad, atomically: true, encoding: .utf8)
            let refused = try await MarketMapBinary.run(
                ["push-plan", "--target", "acme-sfdc", "--config", bad.path, "--out", out.appendingPathComponent("x").path], environment: cluster.environment)
            #expect(refused.status != 0)
            #expect(refused.output.contains("push.targets[0].contacts[1].crm: Priority_Score__c is not a column of acme-sfdc's contacts export"), "\(refused.output)")
        }
    }
}

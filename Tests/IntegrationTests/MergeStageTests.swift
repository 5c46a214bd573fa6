import Enrichment
import Foundation
import Logging
import MarketMapCore
import Pipeline
import Postgres
import TestSupport
import Testing

@Suite("Merging imported accounts into golden accounts")
struct MergeStageTests {
    let importer = Importer(domains: DomainNormalizer(resolver: LibPSLResolver.shared), logger: Logger(label: "test"))
    let merger = AccountMerger(sourcePriority: ["acme-sfdc", "acme-hubspot"], logger: Logger(label: "test"))

    static let salesforce = """
        Account ID,Account Name,Website,Industry,Employees,Billing Country,Prevent Override
        001A,"Acme, Inc.",https://www.acme.com,Software,1200,United States,
        001B,Globex GmbH,globex.de,,250,Germany,
        001C,Initech,https://initech.com,Retail,5000,USA,
        001D,Initech Franchise Ost,initech.com/ost,Retail,40,USA,true
        001E,Hooli,gmail.com,,10,USA,
        """
    static let hubspot = """
        Record ID,Company name,Company Domain Name,Industry,Number of Employees,Country/Region
        9001,ACME Incorporated,acme.com,Computer Software,1300,US
        9002,Globex,,Manufacturing,,DE
        9003,Pied Piper,gmail.com,,5,US
        9004,Initech LLC,initech.com,,,US
        """

    func load(_ db: Connection) async throws {
        for (text, source, format) in [(Self.salesforce, "acme-sfdc", ExportFormat.salesforce), (Self.hubspot, "acme-hubspot", .hubspot)] {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("mm-merge-\(UUID().uuidString).csv").path
            guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else { throw ClusterError("write") }
            _ = try await importer.importFile(path, source: source, format: format, on: db)
        }
    }

    func goldenOf(_ db: Connection, _ source: String, _ id: String) async throws -> Int {
        try await db.query("SELECT golden_id FROM account_lineage WHERE source = $1 AND source_id = $2", source, id)[0].decode(0)
    }

    @Test("a Salesforce and a HubSpot export of the same companies merge with lineage; branch and free-mail stay apart")
    func mergesAcrossInstances() async throws {
        try await withTestConnection { db in
            try await load(db)
            let report = try await merger.merge(on: db)
            #expect(report.sourceRecords == 9)
            // acme ×2, globex ×2 (name within DE), initech ×2, branch, hooli, pied piper
            #expect(report.goldenAccounts == 6)
            #expect(report.nameMatches == 2, "Globex joins by name: both its records are flagged")
            #expect(try await goldenOf(db, "acme-sfdc", "001A") == goldenOf(db, "acme-hubspot", "9001"))
            #expect(try await goldenOf(db, "acme-sfdc", "001B") == goldenOf(db, "acme-hubspot", "9002"))
            #expect(try await goldenOf(db, "acme-sfdc", "001C") == goldenOf(db, "acme-hubspot", "9004"))
            #expect(try await goldenOf(db, "acme-sfdc", "001D") != goldenOf(db, "acme-sfdc", "001C"), "franchise branch stays separate")
            #expect(try await goldenOf(db, "acme-sfdc", "001E") != goldenOf(db, "acme-hubspot", "9003"), "free-mail never merges")
            #expect(try await db.query("SELECT count(*) FROM account_lineage")[0].decode(0, as: Int.self) == 9)

            // Survivorship: Salesforce is trusted first; blanks fall through to HubSpot.
            let acme = try await db.query("""
                SELECT name, industry, employees, domain, country, source_count FROM golden_accounts
                WHERE id = (SELECT golden_id FROM account_lineage WHERE source_id = '001A')
                """)[0]
            #expect(try acme.decode(0, as: String.self) == "Acme, Inc.")
            #expect(try acme.decode(1, as: String.self) == "Software")
            #expect(try acme.decode(2, as: Int.self) == 1200)
            #expect(try acme.decode(3, as: String.self) == "acme.com")
            #expect(try acme.decode(5, as: Int.self) == 2)
            let globexIndustry = try await db.query(
                "SELECT industry FROM golden_accounts WHERE id = (SELECT golden_id FROM account_lineage WHERE source_id = '001B')")
            #expect(try globexIndustry[0].decode(0, as: String.self) == "Manufacturing")
            let conflicts = try await db.query("""
                SELECT source_values FROM account_conflicts
                WHERE field = 'employees' AND golden_id = (SELECT golden_id FROM account_lineage WHERE source_id = '001A')
                """)
            #expect(try conflicts[0].decode(0, as: [String].self) == ["1200", "1300"])
        }
    }

    @Test("merging again keeps every golden id; a grown input keeps the ids of accounts that still exist")
    func stableIDs() async throws {
        try await withTestConnection { db in
            try await load(db)
            _ = try await merger.merge(on: db)
            let before = try await db.query("SELECT source, source_id, golden_id FROM account_lineage ORDER BY 1, 2")
                .map { "\(try $0.decode(0, as: String.self))/\(try $0.decode(1, as: String.self))=\(try $0.decode(2, as: Int.self))" }
            let again = try await merger.merge(on: db)
            let after = try await db.query("SELECT source, source_id, golden_id FROM account_lineage ORDER BY 1, 2")
                .map { "\(try $0.decode(0, as: String.self))/\(try $0.decode(1, as: String.self))=\(try $0.decode(2, as: Int.self))" }
            #expect(before == after)
            #expect(again.goldenAccounts == 6)

            let path = FileManager.default.temporaryDirectory.appendingPathComponent("mm-merge-grow-\(UUID().uuidString).csv").path
            _ = FileManager.default.createFile(atPath: path, contents: Data("Account ID,Account Name,Website\n001Z,Acme Europe,acme.com\n002A,Vandelay Industries,vandelay.com\n".utf8))
            _ = try await importer.importFile(path, source: "acme-sfdc", format: .salesforce, on: db)
            let grown = try await merger.merge(on: db)
            #expect(grown.goldenAccounts == 7)
            let kept = try await db.query("SELECT source, source_id, golden_id FROM account_lineage WHERE source_id NOT IN ('001Z', '002A') ORDER BY 1, 2")
                .map { "\(try $0.decode(0, as: String.self))/\(try $0.decode(1, as: String.self))=\(try $0.decode(2, as: Int.self))" }
            #expect(kept == before)
            #expect(try await goldenOf(db, "acme-sfdc", "001Z") == goldenOf(db, "acme-sfdc", "001A"))
        }
    }

    @Test("contacts: email, then LinkedIn, then create; one person across CRMs is one golden contact; a re-run creates none")
    func contactWaterfall() async throws {
        try await withTestConnection { db in
            try await load(db)
            _ = try await merger.merge(on: db)
            let files: [(String, String, ExportFormat)] = [
                ("""
                 Contact ID,Account ID,First Name,Last Name,Email,Title,LinkedIn URL
                 C1,001A,Jane,Doe,jane@acme.com,VP Sales,
                 C2,001A,Bob,Roe,,Head of RevOps,https://www.linkedin.com/in/bobroe/
                 C3,001A,Sam,Poe,,,
                 C4,001X,Ann,Orphan,ann@nowhere.io,,
                 C5,,No,Account,x@acme.com,,
                 """, "acme-sfdc", .salesforce),
                ("""
                 Record ID,Associated Company ID,First Name,Last Name,Email,Job Title,LinkedIn URL
                 H1,9001,Jane,Doe,Jane@ACME.com,Vice President Sales,
                 H2,9001,Robert,Roe,bob.roe@acme.com,RevOps Lead,linkedin.com/in/BobRoe
                 """, "acme-hubspot", .hubspot),
            ]
            for (text, source, format) in files {
                let path = FileManager.default.temporaryDirectory.appendingPathComponent("mm-contacts-\(UUID().uuidString).csv").path
                #expect(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
                let report = try await importer.importFile(path, source: source, format: format, kind: .contacts, on: db)
                #expect(report.rejected == (source == "acme-sfdc" ? 1 : 0), "C5 has no account id")
            }
            let contacts = ContactMerger(sourcePriority: ["acme-sfdc"], logger: Logger(label: "test"))
            let first = try await contacts.merge(on: db)
            #expect(first.sourceContacts == 6)
            #expect(first.goldenContacts == 3, "Jane (email), Bob (LinkedIn), Sam (created alone)")
            #expect(first.withoutAccount == 1)
            func goldenContact(_ source: String, _ id: String) async throws -> Int {
                try await db.query("SELECT golden_contact_id FROM contact_lineage WHERE source = $1 AND source_id = $2", source, id)[0].decode(0)
            }
            #expect(try await goldenContact("acme-sfdc", "C1") == goldenContact("acme-hubspot", "H1"))
            #expect(try await goldenContact("acme-sfdc", "C2") == goldenContact("acme-hubspot", "H2"))
            #expect(try await goldenContact("acme-sfdc", "C3") != goldenContact("acme-sfdc", "C1"))
            let jane = try await db.query(
                "SELECT first_name, title, seniority, department FROM golden_contacts WHERE email = 'jane@acme.com'")[0]
            #expect(try jane.decode(1, as: String.self) == "VP Sales", "Salesforce is the trusted source")
            #expect(try jane.decode(2, as: String.self) == "VP")
            #expect(try jane.decode(3, as: String.self) == "Sales")

            let before = try await db.query("SELECT id FROM golden_contacts ORDER BY id").map { try $0.decode(0, as: Int.self) }
            let again = try await contacts.merge(on: db)
            #expect(again.created == 0)
            #expect(again.goldenContacts == 3)
            #expect(try await db.query("SELECT id FROM golden_contacts ORDER BY id").map { try $0.decode(0, as: Int.self) } == before)
        }
    }
}

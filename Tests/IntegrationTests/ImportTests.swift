import Enrichment
import Foundation
import Logging
import MarketMapCore
import Pipeline
import Postgres
import TestSupport
import Testing

@Suite("Importing CRM exports")
struct ImportTests {
    let importer = Importer(domains: DomainNormalizer(resolver: LibPSLResolver.shared), logger: Logger(label: "test"))

    func write(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mm-import-\(UUID().uuidString).csv").path
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { throw ClusterError("cannot write \(path)") }
        return path
    }

    func write(_ text: String) throws -> String { try write(Array(text.utf8)) }

    static let salesforce = """
        Account ID,Account Name,Website,Industry,Employees,Annual Revenue,Billing Country,Billing State/Province,Account Owner,Type,Last Activity,Prevent Override,ICP Segment
        001A,"Acme, Inc.",https://www.acme.com/about,Software,"1,200",$5.5M,United States,Calif.,005X,Customer,2024-03-01,false,Enterprise
        001B,Globex GmbH,globex.de,Manufacturing,250,,Deutschland,,005Y,Prospect,3/15/2024,,Mid-Market
        001C,Initech Franchise Ost,https://initech.com/ost,Retail,40,,USA,Texas,005X,Partner,,true,
        """

    static let hubspot = """
        Record ID,Company name,Company Domain Name,Website URL,Number of Employees,Annual Revenue,Country/Region,State/Region,Company owner,Last Activity Date
        9001,ACME Incorporated,acme.com,,1200,5500000,US,CA,77,1709251200000
        9002,Umbrella Corp,,http://umbrella.co.uk,5000,,UK,,78,
        """

    @Test("Salesforce and HubSpot exports load normalized, with unknown columns kept")
    func loadsBothFormats() async throws {
        try await withTestConnection { db in
            let sf = try await importer.importFile(try write(Self.salesforce), source: "acme-sfdc", format: .salesforce, on: db)
            #expect((sf.read, sf.new, sf.rejected) == (3, 3, 0))
            let hs = try await importer.importFile(try write(Self.hubspot), source: "acme-hubspot", format: .hubspot, on: db)
            #expect((hs.read, hs.new, hs.rejected) == (2, 2, 0))

            let acme = try await db.query("""
                SELECT name_norm, domain, employees, annual_revenue::float8, country, state, last_activity::text, extra->>'ICP Segment', owner
                FROM source_accounts WHERE source = 'acme-sfdc' AND source_id = '001A'
                """)[0]
            #expect(try acme.decode(0, as: String.self) == "acme")
            #expect(try acme.decode(1, as: String.self) == "acme.com")
            #expect(try acme.decode(2, as: Int.self) == 1200)
            #expect(try acme.decode(3, as: Double.self) == 5_500_000)
            #expect(try acme.decode(4, as: String.self) == "US")
            #expect(try acme.decode(5, as: String.self) == "CA")
            #expect(try acme.decode(6, as: String.self) == "2024-03-01")
            #expect(try acme.decode(7, as: String.self) == "Enterprise")
            let hubspotAcme = try await db.query(
                "SELECT name_norm, domain, last_activity::text, country FROM source_accounts WHERE source_id = '9001'")[0]
            #expect(try hubspotAcme.decode(0, as: String.self) == "acme")
            #expect(try hubspotAcme.decode(1, as: String.self) == "acme.com")
            #expect(try hubspotAcme.decode(2, as: String.self) == "2024-03-01")
            let umbrella = try await db.query("SELECT domain, country FROM source_accounts WHERE source_id = '9002'")[0]
            #expect(try umbrella.decode(0, as: String.self) == "umbrella.co.uk")
            #expect(try umbrella.decode(1, as: String.self) == "GB")
            #expect(try await db.query("SELECT prevent_override FROM source_accounts WHERE source_id = '001C'")[0].decode(0, as: Bool.self))
            #expect(try await db.query("SELECT country FROM source_accounts WHERE source_id = '001B'")[0].decode(0, as: String.self) == "DE")
        }
    }

    @Test("phone numbers and postcodes stay as the CRM holds them, among the extra columns; matching gets their keys")
    func contactPoints() async throws {
        let salesforce = """
            Account ID,Account Name,Billing Country,Billing Zip/Postal Code,Phone
            001A,Geifols,Spain,08174,+34 (93) 571 0500 ext. 12
            001B,Nobody,Spain,N/A,000-000-0000
            """
        let hubspot = """
            Record ID,Company name,Country/Region,Postal Code,Phone Number
            9001,grifols,ES,8174,0034 93 571 05 00
            """
        try await withTestConnection { db in
            _ = try await importer.importFile(try write(salesforce), source: "sf", format: .salesforce, on: db)
            _ = try await importer.importFile(try write(hubspot), source: "hs", format: .hubspot, on: db)
            let rows = try await db.query("""
                SELECT source_id, coalesce(match_phone, '-'), coalesce(match_postcode, '-'),
                       coalesce(extra->>'Phone', extra->>'Phone Number'), coalesce(extra->>'Billing Zip/Postal Code', extra->>'Postal Code', '-')
                FROM source_accounts ORDER BY source_id
                """)
            let got = try rows.map { [try $0.decode(0, as: String.self), try $0.decode(1, as: String.self), try $0.decode(2, as: String.self),
                                      try $0.decode(3, as: String.self), try $0.decode(4, as: String.self)] }
            #expect(got == [
                ["001A", "35710500", "8174", "+34 (93) 571 0500 ext. 12", "08174"],
                ["001B", "-", "-", "000-000-0000", "-"],  // `N/A` is an empty cell
                ["9001", "35710500", "8174", "0034 93 571 05 00", "8174"],
            ])
            let view = try await db.query("SELECT phone, postcode FROM match_records WHERE source_id = '9001'")[0]
            #expect(try view.decode(0, as: String.self) == "35710500" && view.decode(1, as: String.self) == "8174")
        }
    }

    @Test("re-importing the same file is a no-op; a changed row is recognised by its content hash")
    func idempotent() async throws {
        try await withTestConnection { db in
            let path = try write(Self.salesforce + "\n001D,,,,many,,,,,,,,\n")
            let first = try await importer.importFile(path, source: "s", format: .salesforce, on: db)
            #expect((first.new, first.rejected) == (3, 1))
            let again = try await importer.importFile(path, source: "s", format: .salesforce, on: db)
            #expect((again.new, again.changed, again.unchanged) == (0, 0, 3))
            #expect(try await db.query("SELECT count(*) FROM source_accounts")[0].decode(0, as: Int.self) == 3)
            #expect(try await db.query("SELECT count(*) FROM rejected_rows")[0].decode(0, as: Int.self) == 1)

            let edited = try write(Self.salesforce.replacingOccurrences(of: "Globex GmbH,globex.de,Manufacturing,250", with: "Globex GmbH,globex.de,Manufacturing,300"))
            let third = try await importer.importFile(edited, source: "s", format: .salesforce, on: db)
            #expect((third.new, third.changed, third.unchanged) == (0, 1, 2))
            #expect(try await db.query("SELECT employees FROM source_accounts WHERE source_id = '001B'")[0].decode(0, as: Int.self) == 300)
        }
    }

    @Test("bad rows are rejected one by one with line and reason; the good ones load")
    func badRows() async throws {
        var bytes = Array("""
            Account ID,Account Name,Website,Employees
            1,Good One,good1.com,10
            2,,,5
            3,Bad Count,bad.com,lots
            4,Good Two,,20

            """.utf8)
        bytes += Array("5,Broken ".utf8) + [0xFF, 0xFE] + Array(",x.com,1\n".utf8)
        bytes += Array("6,Huge,huge.com,\"".utf8) + Array(repeating: UInt8(ascii: "x"), count: 1_200_000) + Array("\"\n".utf8)
        bytes += Array("7,Good Three,good3.com,30\n".utf8)
        bytes += Array("1,Good One Again,good1.com,11\n".utf8)
        bytes += Array("8,Open \"Quote,never.com,1\n9,\"unterminated,x.com,1\n".utf8)
        try await withTestConnection { db in
            let path = try write(bytes)
            let report = try await importer.importFile(path, source: "s", format: .salesforce, on: db)
            #expect(report.new == 4, "1 (last copy), 4, 7 and 8 load")
            let rejected = try await db.query("SELECT line, reason, length(raw) FROM rejected_rows ORDER BY line")
            let byLine = Dictionary(uniqueKeysWithValues: try rejected.map { (try $0.decode(0, as: Int.self), try $0.decode(1, as: String.self)) })
            #expect(byLine[2]?.contains("duplicate record id \"1\" (line") == true)
            #expect(byLine[3] == "no company name and no website/domain")
            #expect(byLine[4] == "employee count \"lots\" is not a number")
            #expect(byLine[6]?.hasPrefix("invalid UTF-8 (if the file is Windows-1252") == true, "one bad row leaves the file UTF-8")
            #expect(byLine[7]?.contains("larger than") == true)
            #expect(byLine[11]?.contains("unterminated") == true)
            #expect(byLine.count == 6)
            #expect(try rejected.allSatisfy { try $0.decode(2, as: Int.self) <= 4096 }, "raw text is bounded")
            #expect(report.rejected == 6)
            #expect(report.read == 10)
            #expect(report.new + report.rejected == report.read)
        }
    }

    @Test("opportunities: won/lost from flags or stage names, amounts and dates parsed, bad rows rejected")
    func opportunities() async throws {
        try await withTestConnection { db in
            let salesforce = try write("""
                Opportunity ID,Account ID,Opportunity Name,Amount,Stage,Close Date,Won,Closed
                006A,001A,Acme expansion,"$120,000",Closed Won,2024-05-31,true,true
                006B,001A,Acme renewal,80000,Negotiation,2024-09-30,false,false
                006C,001B,Globex pilot,15k,Closed Lost,3/1/2024,false,true
                006D,,Orphan,100,Prospecting,2024-01-01,false,false
                006E,001B,Bad amount,lots,Prospecting,2024-01-01,false,false
                """)
            let report = try await importer.importFile(salesforce, source: "sfdc", format: .salesforce, kind: .opportunities, on: db)
            #expect((report.new, report.rejected) == (3, 2))
            let hubspot = try write("""
                Record ID,Associated Company ID,Deal Name,Amount,Deal Stage,Close Date
                7001,9001,Acme HS deal,50000,closedwon,1717113600000
                7002,9001,Acme HS lost,20000,closedlost,2024-06-01
                """)
            #expect(try await importer.importFile(hubspot, source: "hubspot", format: .hubspot, kind: .opportunities, on: db).new == 2)
            let rows = try await db.query(
                "SELECT source_id, amount::float8, is_closed, is_won, close_date::text FROM source_opportunities ORDER BY source_id")
            let byID = Dictionary(uniqueKeysWithValues: try rows.map { (try $0.decode(0, as: String.self), $0) })
            #expect(try byID["006A"]?.decode(1, as: Double.self) == 120_000)
            #expect(try byID["006A"]?.decode(3, as: Bool.self) == true)
            #expect(try byID["006B"]?.decode(2, as: Bool.self) == false)
            #expect(try byID["006C"]?.decode(1, as: Double.self) == 15_000)
            #expect(try byID["006C"]?.decode(2, as: Bool.self) == true)
            #expect(try byID["006C"]?.decode(3, as: Bool.self) == false)
            #expect(try byID["006C"]?.decode(4, as: String.self) == "2024-03-01")
            #expect(try byID["7001"]?.decode(3, as: Bool.self) == true)
            #expect(try byID["7001"]?.decode(4, as: String.self) == "2024-05-31")
            #expect(try byID["7002"]?.decode(2, as: Bool.self) == true)
            #expect(try byID["7002"]?.decode(3, as: Bool.self) == false)
        }
    }

    @Test("an unrecognisable header fails up front, naming the expected columns, and loads nothing")
    func unknownHeader() async throws {
        try await withTestConnection { db in
            let path = try write("Foo,Bar,Baz\n1,2,3\n")
            let error = try await #require(throws: ImportError.self) { _ = try await importer.importFile(path, source: "s", format: .salesforce, on: db) }
            let message = "\(error)"
            #expect(message.contains("\"Account Name\""))
            #expect(message.contains("\"Website\""))
            #expect(message.contains("\"Foo\""))
            #expect(try await db.query("SELECT count(*) FROM import_files")[0].decode(0, as: Int.self) == 0)
        }
    }

    @Test("`marketmap import` loads files and prints the report", .tags(.process), .notFast)
    func command() async throws {
        try await withTestDatabase { config in
            let cluster = Cluster(config)
            let path = try write(Self.hubspot)
            let result = try await MarketMapBinary.run(
                ["import", "--source", "acme-hubspot", "--format", "hubspot", path], environment: cluster.environment)
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.contains("read 2, new 2, changed 0, unchanged 0, rejected 0"), "\(result.output)")
            let merged = try await MarketMapBinary.run(["merge"], environment: cluster.environment)
            #expect(merged.status == 0, "\(merged.output)")
            #expect(merged.output.contains("source records 2, golden accounts 2"), "\(merged.output)")
            let bad = try await MarketMapBinary.run(
                ["import", "--source", "x", "--format", "salesforce", try write("Foo\n1\n")], environment: cluster.environment)
            #expect(bad.status != 0)
            #expect(bad.output.contains("Account Name"))
        }
    }

    @Test("`marketmap merge --input` imports, normalizes (staged-only files too) and merges, with progress per stage", .tags(.process), .notFast)
    func mergeCommand() async throws {
        try await withTestDatabase { config in
            let cluster = Cluster(config)
            let staged = try await MarketMapBinary.run(
                ["import", "--stage-only", "--source", "acme-hubspot", "--format", "hubspot", try write(Self.hubspot)],
                environment: cluster.environment)
            #expect(staged.output.contains("staged 2 records, rejected 0"), "\(staged.output)")
            let sfdc = try write(Self.salesforce + "\n001D,,,,,,,,,,,,\n")
            let merged = try await MarketMapBinary.run(
                ["merge", "--input", "acme-sfdc:salesforce:accounts:\(sfdc)", "--source-priority", "acme-sfdc"],
                environment: cluster.environment)
            #expect(merged.status == 0, "\(merged.output)")
            for stage in ["[1/4] import", "[2/4] normalize", "[3/4] merge accounts", "[4/4] merge contacts", "normalize done in"] {
                #expect(merged.output.contains(stage), "\(stage): \(merged.output)")
            }
            #expect(merged.output.contains("records read, 0 rejected while staging"), "\(merged.output)")
            #expect(merged.output.contains("imported: source rows 6, rejected 1"), "both files normalized: \(merged.output)")
            // acme.com is in both sources: 5 source records, 4 golden accounts.
            #expect(merged.output.contains("source records 5, golden accounts 4, merged duplicates 1"), "\(merged.output)")
            let bad = try await MarketMapBinary.run(["merge", "--input", "nope"], environment: cluster.environment)
            #expect(bad.status != 0)
            #expect(bad.output.contains("SOURCE:FORMAT:KIND:FILE") || bad.output.contains("--input"), "\(bad.output)")
        }
    }
}

import Foundation
import MarketMapCore
import Pipeline
import Postgres
import TestSupport
import Testing

/// Exports as real CRMs and spreadsheets write them, and as they break: no
/// file is lost to one row, no value changes silently, and the counts add up.
extension ImportTests {
    /// Letters no compressor shrinks much (a compressible value would slip under the index limit).
    static func noise(_ count: Int, seed: UInt64) -> String {
        var random = SeededRandom(seed: seed)
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return String((0..<count).map { _ in letters[Int(random.next() % UInt64(letters.count))] })
    }

    func expectAddsUp(_ report: ImportReport, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(report.read == report.new + report.changed + report.unchanged + report.rejected, "\(report)", sourceLocation: sourceLocation)
        #expect(report.loaded == report.new + report.changed, sourceLocation: sourceLocation)
    }

    func expectFails(_ path: String, format: ExportFormat = .salesforce, kind: RecordKind = .accounts, options: ImportOptions = ImportOptions(),
                     on db: Connection, sourceLocation: SourceLocation = #_sourceLocation) async -> String {
        do {
            let report = try await importer.importFile(path, source: "s", format: format, kind: kind, options: options, on: db)
            Issue.record("the import must fail, but it loaded \(report)", sourceLocation: sourceLocation)
            return ""
        } catch {
            return "\(error)"
        }
    }

    @Test("a huge cell in any column loads or is rejected with its line and a short reason; the file's other rows load")
    func hugeCells() async throws {
        let header = ["Account ID", "Account Name", "Website", "Industry", "Employees", "Annual Revenue", "Billing Country",
                      "Billing State/Province", "Billing City", "Account Owner", "Parent Account ID", "Type", "Last Activity", "Notes"]
        let good = ["001", "Good Co", "good.com", "Software", "10", "1000", "US", "CA", "SF", "005", "", "Customer", "2024-01-01", "n"]
        var text = header.joined(separator: ",") + "\n" + good.joined(separator: ",") + "\n"
        for column in header.indices {
            // The 8 KB company name and the few KB of text in a number column of the report, and up to the 1 MiB cell limit.
            for (size, suffix) in [(8_000, "a"), (200_000, "b")] {
                var row = good
                row[0] = "H\(column)\(suffix)"
                row[column] = Self.noise(size, seed: UInt64(column * 10 + size))
                text += row.joined(separator: ",") + "\n"
            }
        }
        try await withTestConnection { db in
            let report = try await importer.importFile(try write(text), source: "s", format: .salesforce, on: db)
            expectAddsUp(report)
            #expect(report.read == 1 + 2 * header.count)
            let rejects = try await db.query("SELECT line, left(reason, 100) FROM rejected_rows ORDER BY line")
                .map { "\(try $0.decode(0, as: Int.self)) \(try $0.decode(1, as: String.self))" }
            #expect(report.rejected == 8, "the long record ids, employee counts, revenues and dates: \(rejects)")
            #expect(report.loaded == 21, "the good row and every long text cell: \(report)")
            let longest: Int = try await db.query("SELECT max(length(reason)) FROM rejected_rows")[0].decode(0)
            #expect(longest < 200, "a reason quotes a short prefix only")
            #expect(report.rejectedByReason.keys.contains("employee count \"…\" is not a number"))
            #expect(report.rejectedByReason.keys.contains("the record id \"…\" is longer than 255 bytes"))
            let name: Int = try await db.query("SELECT length(name) FROM source_accounts WHERE source_id = 'H1a'")[0].decode(0)
            #expect(name == 8_000, "a long name loads whole")
        }
    }

    @Test("a NUL byte rejects its row with line and reason, so two ids never collide; in the header it fails up front")
    func nulBytes() async throws {
        try await withTestConnection { db in
            let path = try write(Array("Account ID,Account Name,Website\n001\u{0}A,Nul Co,nul.com\n001A,Real Co,real.com\n".utf8))
            let report = try await importer.importFile(path, source: "s", format: .salesforce, on: db)
            expectAddsUp(report)
            #expect((report.new, report.rejected) == (1, 1))
            let name: String = try await db.query("SELECT name FROM source_accounts WHERE source_id = '001A'")[0].decode(0)
            #expect(name == "Real Co", "the NUL row did not become 001A")
            let reject = try await db.query("SELECT line, reason, raw FROM rejected_rows")[0]
            #expect(try reject.decode(0, as: Int.self) == 2)
            #expect(try reject.decode(1, as: String.self).contains("NUL byte"))
            #expect(try reject.decode(2, as: String.self) == "001\u{2400}A,Nul Co,nul.com")

            let message = await expectFails(try write(Array("Account ID,Account\u{0} Name,Website\n1,A,a.com\n".utf8)), on: db)
            #expect(message.contains("the header (line 1) cannot be read") && message.contains("NUL byte") && message.contains("--encoding"), "\(message)")
            #expect(try await db.query("SELECT count(*) FROM import_files")[0].decode(0, as: Int.self) == 1, "nothing of the second file")
        }
    }

    @Test("a CRM export without its record id column fails up front naming the column and --derived-ids; with derived ids, alike rows are counted and listed")
    func missingRecordID() async throws {
        let misspelt = "Accont ID,Account Name,Website,Billing Country\n1,Acme,acme.com,US\n2,Acme,acme.com,US\n3,Beta,beta.com,US\n"
        try await withTestConnection { db in
            let message = await expectFails(try write(misspelt), on: db)
            for part in ["no record id column", "\"Account ID\"", "\"Accont ID\"", "--derived-ids", "nothing was loaded"] {
                #expect(message.contains(part), "\(part): \(message)")
            }
            let hubspot = await expectFails(try write("Company ID 2,Company name,Company Domain Name\n1,A,a.com\n"), format: .hubspot, on: db)
            #expect(hubspot.contains("\"Record ID\"") && hubspot.contains("--derived-ids"), "\(hubspot)")
            let deals = await expectFails(
                try write("Account ID,Amount,Stage\n1,100,Won\n"), format: .generic, kind: .opportunities, options: ImportOptions(derivedIDs: true), on: db)
            #expect(deals.contains("Opportunities always need their record ids"), "\(deals)")
            #expect(try await db.query("SELECT count(*) FROM import_files")[0].decode(0, as: Int.self) == 0)

            let report = try await importer.importFile(try write(misspelt), source: "s", format: .salesforce, options: ImportOptions(derivedIDs: true), on: db)
            expectAddsUp(report)
            #expect((report.read, report.new, report.rejected) == (3, 2, 1))
            let reason: String = try await db.query("SELECT reason FROM rejected_rows WHERE line = 2")[0].decode(0)
            #expect(reason.hasPrefix("the same name, domain and country as line 3, which is kept"), "\(reason)")

            // A generic file derives ids by default, under the same rule; re-importing it skips every row unchanged.
            let generic = try write("company,domain,country\nAcme,acme.com,US\nAcme,acme.com,US\nAcme,acme.com,DE\n")
            let first = try await importer.importFile(generic, source: "g", format: .generic, on: db)
            expectAddsUp(first)
            #expect((first.new, first.rejected) == (2, 1))
            let again = try await importer.importFile(generic, source: "g", format: .generic, on: db)
            expectAddsUp(again)
            #expect((again.new, again.unchanged, again.rejected) == (0, 2, 1))
        }
    }

    @Test("a repeated header row (concatenated exports, with or without a BOM) is rejected as such")
    func repeatedHeader() async throws {
        let header = "Account ID,Account Name,Website\n"
        let bytes = Array((header + "1,One,one.com\n" + header).utf8) + [0xEF, 0xBB, 0xBF] + Array((header + "2,Two,two.com\n").utf8)
        try await withTestConnection { db in
            let report = try await importer.importFile(try write(bytes), source: "s", format: .salesforce, on: db)
            expectAddsUp(report)
            #expect((report.read, report.new, report.rejected) == (4, 2, 2))
            let lines = try await db.query("SELECT line FROM rejected_rows WHERE reason LIKE 'a repeated header row%' ORDER BY line")
            #expect(try lines.map { try $0.decode(0, as: Int.self) } == [3, 4])
            #expect(try await db.query("SELECT count(*) FROM source_accounts WHERE name = 'Account Name'")[0].decode(0, as: Int.self) == 0)
        }
    }

    @Test("delimiters (; tab |) and encodings (UTF-16LE/BE with or without BOM, Windows-1252) are detected, transcoded and reported")
    func delimitersAndEncodings() async throws {
        let text = "Account ID,Account Name,Website,Billing Country\n001A,Société Générale,sg.fr,France\n001B,Ærø Café,aero.dk,DK\n"
        func utf16(_ text: String, bigEndian: Bool, bom: Bool) -> [UInt8] {
            var bytes: [UInt8] = bom ? (bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]) : []
            for unit in text.utf16 { bytes += bigEndian ? [UInt8(unit >> 8), UInt8(unit & 0xFF)] : [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
            return bytes
        }
        let cases: [(String, [UInt8], String, String)] = [
            ("semicolon", Array(text.replacingOccurrences(of: ",", with: ";").utf8), "utf-8", ";"),
            ("pipe", Array(text.replacingOccurrences(of: ",", with: "|").utf8), "utf-8", "|"),
            ("Excel Unicode text", utf16(text.replacingOccurrences(of: ",", with: "\t").replacingOccurrences(of: "\n", with: "\r\n"), bigEndian: false, bom: true), "utf-16le", "\t"),
            ("UTF-16LE without BOM", utf16(text, bigEndian: false, bom: false), "utf-16le", ","),
            ("UTF-16BE", utf16(text, bigEndian: true, bom: true), "utf-16be", ","),
            ("UTF-16BE without BOM", utf16(text, bigEndian: true, bom: false), "utf-16be", ","),
            ("Windows-1252", text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }, "windows-1252", ","),
        ]
        try await withTestConnection { db in
            for (index, (name, bytes, encoding, delimiter)) in cases.enumerated() {
                let report = try await importer.importFile(try write(bytes), source: "s\(index)", format: .salesforce, on: db)
                expectAddsUp(report)
                #expect((report.read, report.new, report.rejected) == (2, 2, 0), "\(name): \(report)")
                #expect((report.encoding, report.delimiter) == (encoding, delimiter), "\(name)")
                let names = try await db.query("SELECT name FROM source_accounts WHERE source = $1 ORDER BY source_id", "s\(index)")
                #expect(try names.map { try $0.decode(0, as: String.self) } == ["Société Générale", "Ærø Café"], "\(name)")
            }

            // A delimiter given that does not fit says so; a broken UTF-16 row is rejected, the rest loads.
            let wrong = await expectFails(
                try write(text.replacingOccurrences(of: ",", with: ";")), options: ImportOptions(delimiter: UInt8(ascii: ",")), on: db)
            #expect(wrong.contains("delimiter") && wrong.contains("\";\"-separated"), "\(wrong)")
            var broken = utf16("Account ID,Account Name\n1,A\n", bigEndian: false, bom: true)
            broken += [0x32, 0x00, 0x2C, 0x00, 0x00, 0xD8, 0x0A, 0x00] + utf16("3,C\n", bigEndian: false, bom: false)
            let report = try await importer.importFile(try write(broken), source: "b", format: .salesforce, on: db)
            expectAddsUp(report)
            #expect((report.new, report.rejected) == (2, 1))
            #expect(report.rejectedByReason.keys.first?.hasPrefix("invalid UTF-16LE") == true, "\(report.rejectedByReason)")
        }
    }

    @Test("the rejected-by-reason summary keeps reasons intact, eliding only quoted values and line numbers")
    func reasonSummary() async throws {
        var bytes = Array("Account ID,Account Name,Website,Employees\n1,A,a.com,lots\n2,B,b.com,many\n3,C,c.com,1,extra\n".utf8)
        bytes += Array("4,D,d.com,\"".utf8) + Array(repeating: UInt8(ascii: "x"), count: 1_100_000) + Array("\"\n5,E,e.com,5\n5,E2,e.com,6\n".utf8)
        try await withTestConnection { db in
            let report = try await importer.importFile(try write(bytes), source: "s", format: .salesforce, on: db)
            expectAddsUp(report)
            #expect(report.rejectedByReason == [
                "employee count \"…\" is not a number": 2,
                "row has 5 cells but the header has 4 (a stray delimiter or quote?)": 1,
                "a cell is larger than 1048576 bytes": 1,
                "duplicate record id \"…\" (line … is kept)": 1,
            ])
        }
    }

    @Test("`marketmap import` says what it detected, and --json adds up; a bad option names itself", .tags(.process), .notFast)
    func commandReportsLayout() async throws {
        try await withTestDatabase { config in
            let cluster = Cluster(config)
            let path = try write("Record ID;Company name;Company Domain Name\n1;A;a.com\n2;B;b.com\n2;B;b.com\n")
            let text = try await MarketMapBinary.run(["import", "--source", "h", "--format", "hubspot", path], environment: cluster.environment)
            #expect(text.status == 0, "\(text.output)")
            #expect(text.output.contains("read 3, new 2, changed 0, unchanged 0, rejected 1"), "\(text.output)")
            #expect(text.output.contains("delimiter \";\""), "\(text.output)")
            #expect(text.output.contains("rejected 1: duplicate record id \"…\" (line … is kept)"), "\(text.output)")
            let json = try await MarketMapBinary.run(
                ["import", "--json", "--log-level", "error", "--source", "h2", "--format", "hubspot", path], environment: cluster.environment)
            let reports = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]], "\(json.output)")
            let report = try #require(reports.first)
            #expect(report["read"] as? Int == 3 && report["loaded"] as? Int == 2 && report["rejected"] as? Int == 1, "\(report)")
            #expect(report["delimiter"] as? String == ";" && report["encoding"] as? String == "utf-8")

            let missing = try await MarketMapBinary.run(
                ["import", "--source", "x", "--format", "salesforce", try write("Accont ID,Account Name\n1,A\n")], environment: cluster.environment)
            #expect(missing.status == 1 && missing.output.contains("--derived-ids"), "\(missing.output)")
            #expect(!missing.output.contains("Fatal error"))
            let badEncoding = try await MarketMapBinary.run(
                ["import", "--source", "x", "--format", "salesforce", "--encoding", "ebcdic", path], environment: cluster.environment)
            #expect(badEncoding.status != 0 && badEncoding.output.contains("--encoding"), "\(badEncoding.output)")
        }
    }

    @Test("a manifest's sources take delimiter, encoding and derived_ids (auto and false by default); a bad value names its key")
    func manifestOptions() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mm-manifest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "Account ID\tAccount Name\n1\tA\n".write(to: directory.appendingPathComponent("a.csv"), atomically: true, encoding: .utf8)
        let config = TestServer.repositoryRoot.appendingPathComponent("ops/sample/marketmap.yaml").path
        func manifest(_ first: String) throws -> String {
            let path = directory.appendingPathComponent("manifest.yaml").path
            try "config: \(config)\nsources:\n  - {source: s, format: salesforce, file: a.csv\(first)}\n  - {source: t, format: hubspot, file: a.csv}\n"
                .write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let plan = try RunPlan.load(try manifest(", delimiter: tab, encoding: UTF-16LE, derived_ids: true"), out: nil)
        #expect(plan.manifest.sources[0].options == ImportOptions(delimiter: 0x09, encoding: .utf16LE, derivedIDs: true))
        #expect(plan.manifest.sources[1].options == ImportOptions())
        let path = try manifest(", encoding: ebcdic")
        let error = try #require(throws: ConfigError.self, "an unknown encoding must fail") { try RunPlan.load(path, out: nil) }
        #expect("\(error)".contains("sources[0].encoding") && "\(error)".contains("windows-1252"), "\(error)")
    }
}

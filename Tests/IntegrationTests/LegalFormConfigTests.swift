import Enrichment
import Foundation
import Logging
import MarketMapCore
import Pipeline
import Postgres
import TestSupport
import Testing

/// `match.legal_forms`: legal forms a configuration adds are dropped from
/// names at import, weigh as a legal form in matching, and a file imported
/// again under another configuration is parsed again (not skipped as
/// unchanged).
@Suite("Configured legal forms")
struct LegalFormConfigTests {
    static let export = """
        Account ID,Account Name,Website,Billing Country,Billing City
        001A,Anadolu Elektronik Ltd. Şti.,,Turkey,Istanbul
        001B,ANADOLU ELEKTRONIK,anadoluelektronik.com.tr,TR,Istanbul
        001C,Karadeniz Makina Tic. Ltd. Şti.,,Türkiye,Samsun
        """

    func config(_ yaml: String) throws -> MatchConfig {
        try ConfigLoader.parse(ConfigTests.valid + yaml, file: "test.yaml").match
    }

    func importAndMerge(_ match: MatchConfig, path: String, on db: Connection) async throws -> (ImportReport, MergeReport) {
        let importer = Importer(config: match, resolver: LibPSLResolver.shared, logger: Logger(label: "test"))
        let report = try await importer.importFile(path, source: "crm", format: .salesforce, on: db)
        let merged = try await AccountMerger(settings: match.settings, platforms: match.platforms, logger: Logger(label: "test")).merge(on: db)
        return (report, merged)
    }

    func names(_ db: Connection) async throws -> [String: String] {
        var names: [String: String] = [:]
        for row in try await db.query("SELECT source_id, name_norm FROM source_accounts") {
            names[try row.decode(0)] = try row.decode(1)
        }
        return names
    }

    @Test("a configured legal form is dropped from names and lets the records join; another configuration parses the file again")
    func configuredForms() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mm-legal-\(UUID().uuidString).csv").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(Self.export.utf8)))
        try await withTestConnection { db in
            let (_, plain) = try await importAndMerge(try config(""), path: path, on: db)
            #expect(try await names(db)["001A"] == "anadolu elektronik ltd sti", "`Şti.` is no built-in legal form")
            #expect(plain.goldenAccounts == 3)

            let turkish = try config("\nmatch: {legal_forms: [\"Ltd. Şti.\", \"Tic. Ltd. Şti.\"]}\n")
            let (again, merged) = try await importAndMerge(turkish, path: path, on: db)
            #expect(again.changed == 2 && again.unchanged == 1, "a row staged under another configuration is parsed again; two normalize otherwise now")
            #expect(try await names(db) == ["001A": "anadolu elektronik", "001B": "anadolu elektronik", "001C": "karadeniz makina"])
            #expect(merged.goldenAccounts == 2)

            let (same, _) = try await importAndMerge(turkish, path: path, on: db)
            #expect(same.unchanged == 3, "the same file under the same configuration is skipped")
        }
    }

    @Test("a legal form entry without letters names the key")
    func badEntry() throws {
        #expect(throws: ConfigError.self) { try config("\nmatch: {legal_forms: [\"..\"]}\n") }
        do {
            _ = try config("\nmatch: {legal_forms: [\"&\"]}\n")
        } catch {
            #expect("\(error)".contains("match.legal_forms"), "\(error)")
        }
    }

    @Test("configured forms in the core: phrases and single words, the derived identity unchanged")
    func core() {
        let forms = LegalForms.builtIn.adding(["Ltd. Şti.", "e.K.", "SCS"])
        #expect(CompanyNameNormalizer.normalize("Müller Handel e.K.", forms: forms) == "muller handel")
        #expect(CompanyNameNormalizer.normalize("Müller Handel e.K.") == "muller handel ek")
        #expect(CompanyNameNormalizer.normalize("Acme SCS", forms: forms) == "acme")
        #expect(CompanyNameNormalizer.legalFamily("Acme SCS", forms: forms) == "scs")
        #expect(forms.additions == ["Ltd. Şti.", "e.K.", "SCS"])
        #expect(LegalForms.problem("&") != nil && LegalForms.problem("GmbH & Co. OHG") == nil)
    }
}

import Enrichment
import Foundation
import Logging
import MarketMapCore
import Pipeline
import Postgres
import Testing
import TestSupport

/// Steward review against a real database: decisions shape the merge, stay
/// through refreshes (re-imports with new source values), can be undone, and
/// are reported when their records are gone; the CSV round trip.
@Suite("Steward review")
struct ReviewTests {
    let importer = Importer(domains: DomainNormalizer(resolver: LibPSLResolver.shared), logger: Logger(label: "test"))
    let merger = AccountMerger(sourcePriority: ["crm", "hub"], logger: Logger(label: "test"))

    static let header = "Account ID,Account Name,Website,Industry,Employees,Billing Country\n"
    static func salesforce(hooliEmployees: Int = 100, extra: String = "") -> String {
        header + """
            S1,Siemens AG,siemens.de,Industrial,300000,Germany
            S2,Umbrella Corp,umbrella.com,Pharma,5000,USA
            S3,Umbrella Retail,umbrella.com,Retail,40,USA
            S4,Initech,initech.com,Software,200,USA
            S5,Initech Labs,initech.com,Software,20,USA
            S6,Hooli,hooli.com,Software,\(hooliEmployees),USA

            """ + extra
    }
    static func hubspot(withSiemens: Bool = true) -> String {
        "Record ID,Company name,Company Domain Name,Industry,Number of Employees,Country/Region\n"
            + (withSiemens ? "H1,Siemens Energy Services,siemens-energy-svc.com,Energy,900,Germany\n" : "")
            + "H2,Umbrella Corporation,,Pharma,,US\nH6,Hooli,hooli.com,,150,US\n"
    }

    func load(_ text: String, source: String, format: ExportFormat, on db: Connection) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mm-review-\(UUID().uuidString).csv").path
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else { throw ClusterError("write \(path)") }
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try await importer.importFile(path, source: source, format: format, on: db)
    }

    func loadBoth(_ db: Connection, salesforce: String = ReviewTests.salesforce(), hubspot: String = ReviewTests.hubspot()) async throws {
        try await load(salesforce, source: "crm", format: .salesforce, on: db)
        try await load(hubspot, source: "hub", format: .hubspot, on: db)
    }

    func golden(_ db: Connection, _ source: String, _ id: String) async throws -> Int {
        try await db.query("SELECT golden_id FROM account_lineage WHERE source = $1 AND source_id = $2", source, id)[0].decode(0)
    }

    func together(_ db: Connection, _ a: (String, String), _ b: (String, String)) async throws -> Bool {
        try await golden(db, a.0, a.1) == golden(db, b.0, b.1)
    }

    func employees(_ db: Connection, of source: String, _ id: String) async throws -> Int? {
        try await db.query("SELECT employees FROM golden_accounts WHERE id = $1", try await golden(db, source, id))[0].decode(0)
    }

    func key(_ source: String, _ id: String) -> RecordKey { RecordKey(source: source, sourceID: id) }

    @Test("same, different, detach and pin shape the merge and stay through a refresh with new source values; undo restores the rules")
    func decisionsThroughRefresh() async throws {
        try await withTestConnection { db in
            try await loadBoth(db)
            _ = try await merger.merge(on: db)
            // The rules alone.
            #expect(try await !together(db, ("crm", "S1"), ("hub", "H1")), "two domains, two names: no rule joins them")
            #expect(try await together(db, ("crm", "S2"), ("crm", "S3")), "one domain")
            #expect(try await together(db, ("crm", "S4"), ("crm", "S5")))
            #expect(try await employees(db, of: "crm", "S6") == 100, "survivorship: crm first")
            let initech = try await golden(db, "crm", "S4")
            let umbrella = try await golden(db, "crm", "S2")

            let same = try await ReviewStore.decide(NewDecision(kind: .same, a: key("hub", "H1"), b: key("crm", "S1"), by: "alice"), on: db)
            #expect(same.a == key("crm", "S1"), "a pair is stored in one order")
            let different = try await ReviewStore.decide(
                NewDecision(kind: .different, a: key("crm", "S2"), b: key("crm", "S3"), by: "alice", note: "a franchisee"), on: db)
            try await ReviewStore.decide(NewDecision(kind: .detach, a: key("crm", "S5"), by: "bob"), on: db)
            let pin = try await ReviewStore.decide(
                NewDecision(kind: .pin, a: key("hub", "H6"), field: "employees", value: "1,999", by: "bob"), on: db)
            #expect(pin.value == "1999", "stored as read")
            // The same decision again is kept once; a contradicting one is refused.
            #expect(try await ReviewStore.decide(NewDecision(kind: .same, a: key("crm", "S1"), b: key("hub", "H1"), by: "carol"), on: db) == same)
            await #expect(throws: ReviewError.self) {
                try await ReviewStore.decide(NewDecision(kind: .same, a: key("crm", "S2"), b: key("crm", "S3"), by: "carol"), on: db)
            }

            let report = try await merger.merge(on: db)
            #expect(report.decisionsUnapplied == 0)
            #expect(try await together(db, ("crm", "S1"), ("hub", "H1")))
            #expect(try await db.query("SELECT match_method FROM account_lineage WHERE source = 'hub' AND source_id = 'H1'")[0]
                .decode(0, as: String.self) == "decision")
            #expect(try await !together(db, ("crm", "S2"), ("crm", "S3")))
            #expect(try await golden(db, "crm", "S2") == umbrella, "the larger part (S2 with H2) keeps the id")
            #expect(try await !together(db, ("crm", "S4"), ("crm", "S5")))
            #expect(try await golden(db, "crm", "S4") == initech, "the detached record leaves; the account keeps its id")
            #expect(try await employees(db, of: "crm", "S6") == 1999, "a pin beats survivorship")
            let siemens = try await golden(db, "crm", "S1")
            let disagreements = try await ReviewStore.items(ReviewFilter(kind: .disagreement), on: db)
            #expect(disagreements.contains { $0.goldenID == Int64(siemens) && $0.evidence.contains("siemens.de") && $0.records.count == 2 },
                "the joined account's sources disagree on its domain: an item")

            // A nightly refresh: new source values and a new record on the split domain.
            try await loadBoth(db, salesforce: Self.salesforce(hooliEmployees: 120, extra: "S7,Umbrella Pharma Corp,umbrella.com,Pharma,10,USA\n"))
            _ = try await merger.merge(on: db)
            #expect(try await together(db, ("crm", "S1"), ("hub", "H1")))
            #expect(try await !together(db, ("crm", "S2"), ("crm", "S3")))
            #expect(try await !together(db, ("crm", "S4"), ("crm", "S5")))
            #expect(try await employees(db, of: "crm", "S6") == 1999, "the pin survives new source values")

            // Undo: the rules' result comes back, with the old golden id.
            try await ReviewStore.undo(pin.id, by: "bob", note: "the CRM is right now", on: db)
            try await ReviewStore.undo(different.id, by: "alice", note: "", on: db)
            await #expect(throws: ReviewError.alreadyUndone(different.id)) {
                try await ReviewStore.undo(different.id, by: "alice", note: "", on: db)
            }
            _ = try await merger.merge(on: db)
            #expect(try await employees(db, of: "crm", "S6") == 120)
            #expect(try await together(db, ("crm", "S2"), ("crm", "S3")))
            #expect(try await golden(db, "crm", "S2") == umbrella)
            let history = try await ReviewStore.decisions(includeUndone: true, on: db)
            #expect(history.count == 4 && history.filter { !$0.isActive }.map(\.id) == [different.id, pin.id])
        }
    }

    @Test("a decision whose record is gone is kept and reported, never silently dropped")
    func goneRecord() async throws {
        try await withTestConnection { db in
            try await loadBoth(db)
            _ = try await merger.merge(on: db)
            let same = try await ReviewStore.decide(NewDecision(kind: .same, a: key("crm", "S1"), b: key("hub", "H1"), by: "alice"), on: db)
            // HubSpot's next full export no longer has H1: the refresh deletes it
            // from the source accounts (what `removeAbsent` does in a run;
            // NightlyRefreshTests cover that path).
            try await db.query("DELETE FROM source_accounts WHERE source = 'hub' AND source_id = 'H1'")
            let report = try await merger.merge(on: db)
            #expect(report.decisionsUnapplied == 1)
            #expect(try await ReviewStore.goneDecisions(on: db).map(\.id) == [same.id])
            #expect(try await ReviewStore.decisions(includeUndone: false, on: db).map(\.id) == [same.id], "kept: the record may come back")
        }
    }

    @Test("items: a name match shows both records and the evidence; a decision answers it; bad decisions name what is wrong")
    func items() async throws {
        try await withTestConnection { db in
            try await loadBoth(db)
            _ = try await merger.merge(on: db)
            let items = try await ReviewStore.items(ReviewFilter(kind: .nameMatch), on: db)
            let umbrella = try #require(items.first { $0.records.map(\.key).contains(key("hub", "H2")) })
            #expect(umbrella.records.count == 2 && umbrella.action == "joined" && umbrella.evidence.hasPrefix("name "))
            #expect(umbrella.records.first { $0.key == key("hub", "H2") }?.name == "Umbrella Corporation")
            let before = try await ReviewStore.openCounts(on: db)[.nameMatch] ?? 0
            let effect = try await ReviewStore.preview(
                NewDecision(kind: .different, a: umbrella.records[0].key, b: umbrella.records[1].key, by: "alice", itemID: umbrella.id), on: db)
            #expect(effect.summary.hasPrefix("splits golden account"))
            try await ReviewStore.decide(
                NewDecision(kind: .different, a: umbrella.records[0].key, b: umbrella.records[1].key, by: "alice", itemID: umbrella.id), on: db)
            #expect(try await ReviewStore.openCounts(on: db)[.nameMatch] == before - 1)
            #expect(try await ReviewStore.item(umbrella.id, on: db).decision?.kind == .different)

            for bad in [
                NewDecision(kind: .same, a: key("crm", "S1"), by: "alice"),
                NewDecision(kind: .same, a: key("crm", "S1"), b: key("crm", "S1"), by: "alice"),
                NewDecision(kind: .detach, a: key("crm", "nope"), by: "alice"),
                NewDecision(kind: .pin, a: key("crm", "S1"), field: "colour", value: "red", by: "alice"),
                NewDecision(kind: .pin, a: key("crm", "S1"), field: "country", value: "Atlantis", by: "alice"),
                NewDecision(kind: .detach, a: key("crm", "S1"), by: " "),
            ] {
                await #expect(throws: ReviewError.self, "\(bad)") { try await ReviewStore.decide(bad, on: db) }
            }
            #expect(try await ReviewStore.decisions(includeUndone: true, on: db).count == 1, "refused decisions store nothing")
        }
    }

    @Test("export, edit in a spreadsheet, import: good rows stored, a bad row rejected by its line and changing nothing")
    func csvRoundTrip() async throws {
        try await withTestConnection { db in
            try await loadBoth(db)
            _ = try await merger.merge(on: db)
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("mm-review-export-\(UUID().uuidString).csv").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            let exported = try await ReviewCSV.export(ReviewFilter(), to: path, on: db)
            #expect(exported >= 1)
            // Read it back as a table and fill in decisions, as a steward would.
            var rows: [[String]] = []
            var parser = CSVParser()
            parser.feed([UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))) { if case .record(let f, _, _) = $0 { rows.append(f) } }
            parser.finish { if case .record(let f, _, _) = $0 { rows.append(f) } }
            #expect(rows[0] == ReviewCSV.columns)
            #expect(rows.allSatisfy { $0.count == ReviewCSV.columns.count })
            let column = { (name: String) in ReviewCSV.columns.firstIndex(of: name) ?? -1 }
            var good = try #require(rows.dropFirst().first { $0[column("kind")] == "name_match" })
            good[column("decision")] = "different"
            good[column("note")] = "two companies, one name"
            var unknownKind = good
            unknownKind[column("decision")] = "maybe"
            var missingRecord = good
            (missingRecord[column("decision")], missingRecord[column("record")]) = ("detach", "crm/does-not-exist")
            var pin = good
            (pin[column("decision")], pin[column("record")], pin[column("field")], pin[column("value")]) = ("pin", "crm/S6", "city", "Palo Alto")
            let edited = [rows[0], good, unknownKind, missingRecord, pin].map { $0.map(Report.csvField).joined(separator: ",") }
                .joined(separator: "\r\n") + "\r\n"
            try Data(edited.utf8).write(to: URL(fileURLWithPath: path))

            let checked = try await ReviewCSV.importFile(path, by: "dana", dryRun: true, on: db)
            #expect(checked.rejected.map(\.line) == [3, 4])
            #expect(try await ReviewStore.decisions(includeUndone: true, on: db).isEmpty, "a dry run stores nothing")

            let result = try await ReviewCSV.importFile(path, by: "dana", on: db)
            #expect(result.stored.map(\.kind) == [.different, .pin])
            #expect(result.rejected.map(\.line) == [3, 4])
            #expect(result.rejected.first?.reason.contains("maybe") == true)
            #expect(result.rejected.last?.reason.contains("crm/does-not-exist") == true)
            #expect(result.stored.first?.note == "two companies, one name" && result.stored.first?.decidedBy == "dana")
            #expect(try await ReviewStore.decisions(includeUndone: true, on: db).count == 2, "the bad rows stored nothing")
            // Importing the same file again keeps each decision once.
            let again = try await ReviewCSV.importFile(path, by: "dana", on: db)
            #expect(again.stored.map(\.id) == result.stored.map(\.id))
            _ = try await merger.merge(on: db)
            let pinned: String? = try await db.query("SELECT city FROM golden_accounts WHERE id = $1", try await golden(db, "crm", "S6"))[0].decode(0)
            #expect(pinned == "Palo Alto")
        }
    }
}

import Enrichment
import Foundation
import Logging
import MarketMapCore
@testable import Pipeline
import Postgres
import TestSupport
import Testing

/// Scores, valuations and contact scores (sql/0029), golden contacts and
/// contact lineage (sql/0030) carry no foreign keys:
/// the merge's orphan drops and the import's removals delete them with the
/// accounts and contacts they belong to, as the cascade did.
@Suite("Scores, golden contacts and lineage go with what they belong to")
struct ScoreCleanupTests {
    @Test("dropping an orphan golden account drops its scores, valuation, contacts' scores; dropping an orphan golden contact drops its score; the rest stay")
    func orphansTakeTheirScores() async throws {
        try await withTestDatabase { config in
            let db = try await Connection.connect(config)
            func count(_ sql: String) async throws -> Int { try await db.query(sql)[0].decode(0) }
            try await db.execute("""
                INSERT INTO source_accounts (source, source_id, content_hash) VALUES ('crm', 'a1', 'x');
                INSERT INTO golden_accounts (id, name) VALUES (1, 'kept'), (2, 'orphan');
                INSERT INTO account_lineage (source, source_id, golden_id, match_method) VALUES ('crm', 'a1', 1, 'single');
                INSERT INTO source_contacts (source, source_id, account_source_id, content_hash) VALUES ('crm', 'c1', 'a1', 'x');
                INSERT INTO golden_contacts (id, golden_account_id, email) VALUES (10, 1, 'kept@a.com'), (11, 1, 'orphan@a.com'), (20, 2, 'x@b.com');
                INSERT INTO source_contacts (source, source_id, account_source_id, content_hash) VALUES ('crm', 'c2', 'gone', 'x');
                INSERT INTO golden_contacts (id, golden_account_id, email) VALUES (21, 2, 'y@b.com');
                INSERT INTO contact_lineage (source, source_id, golden_contact_id, match_method) VALUES ('crm', 'c1', 10, 'created'), ('crm', 'c2', 21, 'created');
                INSERT INTO account_scores (golden_id, product, fit_score, tier) VALUES (1, 'p', 50, 'T1'), (2, 'p', 40, 'T2'), (2, 'q', 30, 'T3');
                INSERT INTO account_valuations (golden_id, valuation) VALUES (1, 100), (2, 200);
                INSERT INTO contact_scores (golden_contact_id, golden_account_id, persona_score, persona_tier, priority)
                    VALUES (10, 1, 1, 1, 'P1'), (11, 1, 1, 1, 'P1'), (20, 2, 1, 1, 'P1');
                """)
            try await db.query(MergeQueries.dropOrphans)
            #expect(try await count("SELECT count(*) FROM golden_accounts") == 1)
            #expect(try await count("SELECT count(*) FROM account_scores WHERE golden_id = 2") == 0)
            #expect(try await count("SELECT count(*) FROM account_valuations WHERE golden_id = 2") == 0)
            #expect(try await count("SELECT count(*) FROM contact_scores WHERE golden_contact_id = 20") == 0, "the orphan account's contact went, its score with it")
            #expect(try await count("SELECT count(*) FROM golden_contacts WHERE id = 20") == 0, "the orphan account's golden contact went with it")
            #expect(try await count("SELECT count(*) FROM contact_lineage WHERE golden_contact_id = 21") == 0, "and its lineage")
            #expect(try await count("SELECT count(*) FROM contact_lineage") == 1, "the kept account's contact lineage stays")
            #expect(try await count("SELECT count(*) FROM account_scores WHERE golden_id = 1") == 1)
            #expect(try await count("SELECT count(*) FROM account_valuations WHERE golden_id = 1") == 1)
            try await db.query(ContactQueries.dropOrphans)
            #expect(try await count("SELECT count(*) FROM contact_scores") == 1)
            #expect(try await count("SELECT count(*) FROM contact_scores WHERE golden_contact_id = 10") == 1, "the orphan contact's score went, the kept one's stayed")
            #expect(try await count("SELECT count(*) FROM golden_contacts") == 1)
            await db.close()
        }
    }

    @Test("removing a source contact no export holds removes its lineage, not another's")
    func removedContactsTakeTheirLineage() async throws {
        try await withTestDatabase { config in
            let db = try await Connection.connect(config)
            try await db.execute("""
                INSERT INTO source_contacts (source, source_id, account_source_id, content_hash)
                    VALUES ('crm', 'c1', 'a1', 'x'), ('other', 'c1', 'a1', 'x');
                INSERT INTO contact_lineage (source, source_id, golden_contact_id, match_method)
                    VALUES ('crm', 'c1', 10, 'created'), ('other', 'c1', 10, 'email');
                """)
            let removed = try await db.transaction { db in
                try Importer(domains: DomainNormalizer(resolver: LibPSLResolver.shared), logger: Logger(label: "test")).removeAbsent(source: "crm", kind: .contacts, files: [], maxShare: 1, run: 1, on: db)
            }
            #expect(removed == 1)
            let lineage: [String] = try await db.query("SELECT source || '/' || source_id FROM contact_lineage").map { try $0.decode(0) }
            #expect(lineage == ["other/c1"])
            await db.close()
        }
    }
}

import Foundation
@testable import Pipeline
import Postgres
import TestSupport
import Testing

/// What the resolve steps hand each other goes when the run settles: in one
/// TRUNCATE when the tables hold that run's rows only and their lock comes
/// within 5 s, else row by row, never another run's rows.
@Suite("Settle drops the run's resolve rows")
struct ResolveRowsTests {
    static let tables = ["resolve_components", "resolve_edges", "resolve_clusters", "resolve_golden", "resolve_review", "resolve_contacts"]

    func insertRows(run: Int, on db: Connection) async throws {
        try await db.execute("""
            INSERT INTO resolve_components VALUES (\(run), 'crm', 'a1', 0, 0);
            INSERT INTO resolve_edges VALUES (\(run), 0, 'crm', 'a1', 'crm', 'a2', 0.9, 'name', 'r');
            INSERT INTO resolve_clusters VALUES (\(run), 0, 'crm', 'a1', 'crm', 'a1', 'single', '');
            INSERT INTO resolve_golden VALUES (\(run), 0, 'crm', 'a1', 1, 1);
            INSERT INTO resolve_review VALUES (\(run), 0, 'merge', 'k', 'crm', 'a1', 'crm', 'a2', 0.8, 'e', 'review');
            INSERT INTO resolve_contacts VALUES (\(run), 0, 'crm', 'c1', 1, NULL, 'created', 3, NULL);
            """)
    }

    func rows(of run: Int, on db: Connection) async throws -> Int {
        var total = 0
        for table in Self.tables { total += try await count(db, "SELECT count(*) FROM \(table) WHERE run_id = $1", run) }
        return total
    }

    func drop(run: Int, on db: Connection) async throws -> Bool {
        try await db.execute("BEGIN")
        let truncated = try await AccountMerger.dropResolveRows(run: run, on: db)
        try await db.execute("COMMIT")
        return truncated
    }

    @Test("alone in the tables, the run's rows go in one TRUNCATE; beside another run's, row by row, and the other run keeps every row")
    func truncateOnlyWhenAlone() async throws {
        try await withTestConnection { db in
            try await insertRows(run: 5, on: db)
            #expect(try await drop(run: 5, on: db))
            #expect(try await rows(of: 5, on: db) == 0)
            try await insertRows(run: 5, on: db)
            try await insertRows(run: 6, on: db)
            #expect(try await !drop(run: 6, on: db))
            #expect(try await rows(of: 6, on: db) == 0)
            #expect(try await rows(of: 5, on: db) == 6, "the other run's rows stay")
        }
    }

    @Test("a reader that finishes within the lock wait: settle waits and truncates; one that stays: settle deletes its rows, neither failing nor waiting long")
    func busyTables() async throws {
        try await withTestDatabase { config in
            let db = try await Connection.connect(config), reader = try await Connection.connect(config)
            try await insertRows(run: 7, on: db)
            try await reader.execute("BEGIN; SELECT count(*) FROM resolve_edges")
            let finishing = Task {
                try await Task.sleep(for: .seconds(1))
                try await reader.execute("COMMIT")
            }
            #expect(try await drop(run: 7, on: db), "waited for the reader's commit, then truncated")
            try await finishing.value
            try await insertRows(run: 7, on: db)
            try await reader.execute("BEGIN; SELECT count(*) FROM resolve_edges")
            let started = ContinuousClock.now
            #expect(try await !drop(run: 7, on: db))
            #expect(ContinuousClock.now - started < .seconds(30), "gave up waiting for the reader's lock")
            #expect(try await rows(of: 7, on: db) == 0)
            try await reader.execute("COMMIT")
            await reader.close()
            await db.close()
        }
    }
}

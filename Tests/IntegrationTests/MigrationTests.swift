import Foundation
import Logging
import Postgres
import TestSupport
import Testing

@Suite("Migrations")
struct MigrationTests {
    let logger = Logger(label: "test")

    /// A throw-away folder of migration files.
    func folder(_ files: [String: String]) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mm-migrations-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, sql) in files { try sql.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return directory
    }

    static let files = [
        "0001_accounts.sql": "CREATE TABLE accounts (id bigserial PRIMARY KEY, name text NOT NULL);",
        "0002_contacts.sql": """
            CREATE TABLE contacts (id bigserial PRIMARY KEY, account_id bigint REFERENCES accounts);
            CREATE INDEX contacts_account ON contacts (account_id);
            """,
    ]

    @Test("applies in order, and migrating twice is a no-op")
    func twice() async throws {
        let directory = try folder(Self.files)
        try await withTestConnection(migrated: false) { db in
            let migrator = try Migrator(directory: directory)
            let first = try await migrator.migrate(db, logger: logger)
            #expect(first.map(\.version) == [1, 2])
            let second = try await migrator.migrate(db, logger: logger)
            #expect(second.isEmpty)
            #expect(try await db.query("SELECT count(*) FROM marketmap_migrations")[0].decode(0, as: Int.self) == 2)
            let status = try await migrator.status(db)
            #expect(status.allSatisfy { if case .applied = $0.status { true } else { false } })
        }
    }

    @Test("an edited migration is refused with a message naming the file")
    func edited() async throws {
        let directory = try folder(Self.files)
        try await withTestConnection(migrated: false) { db in
            try await Migrator(directory: directory).migrate(db, logger: logger)
            try "CREATE TABLE accounts (id bigserial PRIMARY KEY, name text);".write(
                to: directory.appendingPathComponent("0001_accounts.sql"), atomically: true, encoding: .utf8)
            try "CREATE TABLE notes (id int);".write(
                to: directory.appendingPathComponent("0003_notes.sql"), atomically: true, encoding: .utf8)
            let migrator = try Migrator(directory: directory)
            let error = try await #require(throws: MigrationError.self, "an edited migration must be refused") {
                try await migrator.migrate(db, logger: logger)
            }
            #expect("\(error)".contains("0001_accounts.sql"))
            #expect("\(error)".contains("changed after it was applied"))
            #expect(try await migrator.status(db).first?.status == .edited)
            // Nothing after the refusal was applied.
            #expect(try await db.query("SELECT to_regclass('notes') IS NULL")[0].decode(0, as: Bool.self))
        }
    }

    @Test("a failing migration is rolled back whole and names its file")
    func failing() async throws {
        var files = Self.files
        files["0003_broken.sql"] = "CREATE TABLE half (id int); SELECT no_such_function();"
        let directory = try folder(files)
        try await withTestConnection(migrated: false) { db in
            let error = try await #require(throws: MigrationError.self) { try await Migrator(directory: directory).migrate(db, logger: logger) }
            #expect("\(error)".contains("0003_broken.sql"))
            #expect("\(error)".contains("42883"))
            #expect(!"\(error)".contains("db migrate"), "a migration's own failure is not a missing migration")
            #expect(try await db.query("SELECT to_regclass('half') IS NULL")[0].decode(0, as: Bool.self))
            #expect(try await db.query("SELECT max(version) FROM marketmap_migrations")[0].decode(0, as: Int.self) == 2)
        }
    }

    @Test("two concurrent migrators end with one applied set")
    func concurrent() async throws {
        var files = Self.files
        files["0003_slow.sql"] = "SELECT pg_sleep(0.3); CREATE TABLE slow (id int);"
        let directory = try folder(files)
        try await withTestDatabase(migrated: false) { config in
            let migrator = try Migrator(directory: directory)
            let a = try await Connection.connect(config)
            let b = try await Connection.connect(config)
            async let first = migrator.migrate(a, logger: logger)
            async let second = migrator.migrate(b, logger: logger)
            let applied = try await [first.count, second.count].sorted()
            #expect(applied == [0, 3])
            let ledger = try await a.query("SELECT count(*), count(DISTINCT version) FROM marketmap_migrations")[0]
            #expect(try ledger.decode(0, as: Int.self) == 3)
            #expect(try ledger.decode(1, as: Int.self) == 3)
            await a.close()
            await b.close()
        }
    }

    @Test("badly named files and duplicate versions are refused up front")
    func badNames() throws {
        let bad = try folder(["1_accounts.sql": "SELECT 1;"])
        #expect(throws: MigrationError.self) { try Migrator(directory: bad) }
        let duplicate = try folder(["0001_a.sql": "SELECT 1;", "0001_b.sql": "SELECT 1;"])
        #expect(throws: MigrationError.self) { try Migrator(directory: duplicate) }
    }

    @Test("the product's own sql/ migrations apply to an empty database")
    func productMigrations() async throws {
        try await withTestConnection(migrated: false) { db in
            let applied = try await Migrator(directory: TestServer.sqlDirectory).migrate(db, logger: logger)
            #expect(!applied.isEmpty)
            #expect(try await db.query("SELECT count(*) FROM marketmap_migrations")[0].decode(0, as: Int.self) == applied.count)
        }
    }
}

/// Every SQL statement of the Postgres module (schema lives in `sql/`).
enum PostgresQueries {
    static let notify = "SELECT pg_notify($1, $2)"

    // `Connection.forEachRow`: the query (and its parameters) follow the
    // DECLARE; FETCH takes no parameter, so its count (an integer, never
    // input text) is written into the statement.
    static let declareRowCursor = "DECLARE marketmap_rows NO SCROLL CURSOR FOR "
    static func fetchRowCursor(_ count: Int) -> String { "FETCH FORWARD \(count) FROM marketmap_rows" }
    static let closeRowCursor = "CLOSE marketmap_rows"

    // Migrations. The ledger table is created here because it must exist
    // before the first migration can be recorded.
    static let migrationLockKey = 7_243_106_118_201_001  // "marketmap migrate"
    static let lockMigrations = "SELECT pg_advisory_lock($1)"
    static let unlockMigrations = "SELECT pg_advisory_unlock($1)"
    static let createLedger = """
        CREATE TABLE IF NOT EXISTS marketmap_migrations (
            version    integer PRIMARY KEY,
            name       text NOT NULL,
            checksum   text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now(),
            duration_ms bigint NOT NULL DEFAULT 0
        )
        """
    static let ledgerExists = "SELECT to_regclass('marketmap_migrations') IS NOT NULL"
    static let appliedMigrations = "SELECT version, name, checksum, applied_at FROM marketmap_migrations ORDER BY version"
    static let checksum = "SELECT encode(sha256(convert_to($1::text, 'UTF8')), 'hex')"
    static let recordMigration = """
        INSERT INTO marketmap_migrations (version, name, checksum, duration_ms) VALUES ($1, $2, $3, $4)
        """

    // Embedded server bootstrap.
    static let databaseExists = "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)"
    static let serverVersion = "SELECT current_setting('server_version')"
}

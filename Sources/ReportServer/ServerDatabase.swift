import Logging
import Postgres

/// The server's database connection: opened on first use, opened again when
/// it was lost (a restart of PostgreSQL costs the request in flight, not
/// the server). Requests share it one after the other; the pages are small.
actor ServerDatabase {
    let config: ConnectionConfig
    let logger: Logger
    private var connection: Connection?

    init(config: ConnectionConfig, logger: Logger) {
        self.config = config
        self.logger = logger
    }

    /// The open connection (for work that runs its own transactions).
    func connected() async throws -> Connection {
        if let connection, await connection.isUsable { return connection }
        await connection?.close()
        connection = nil
        let opened = try await Connection.connect(config)
        connection = opened
        return opened
    }

    /// `body` in one transaction; a lost connection is dropped, so the next request reconnects.
    func transaction<T: Sendable>(_ body: @Sendable (isolated Connection) throws -> T) async throws -> T {
        let db = try await connected()
        do {
            return try await db.transaction(body)
        } catch let error as PostgresError where error.isConnectionLost {
            logger.warning("the review pages lost the database; reconnecting on the next request", metadata: ["error": "\(error)"])
            connection = nil
            await db.close()
            throw error
        }
    }

    func close() async {
        await connection?.close()
        connection = nil
    }
}

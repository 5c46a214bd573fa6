import Foundation
import Logging
import Postgres
import Synchronization

/// One private PostgreSQL per test process (fsync off, unix socket, removed at
/// exit), and a fresh database per test cloned from a migrated template.
public actor TestServer {
    public static let shared = TestServer()

    private var server: EmbeddedServer?
    private var counter = 0
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static let sqlDirectory = repositoryRoot.appendingPathComponent("sql")
    public static let templateName = "mm_template"
    private static let running = Mutex<EmbeddedServer?>(nil)

    /// The server, started (and the template migrated) on first use. Memoized
    /// as a task: tests call this concurrently and the actor is reentrant.
    public func start() async throws -> EmbeddedServer {
        if let starting { return try await starting.value }
        let task = Task { try await Self.boot() }
        starting = task
        let server = try await task.value
        self.server = server
        return server
    }

    private var starting: Task<EmbeddedServer, any Error>?

    private static func boot() async throws -> EmbeddedServer {
        var options = EmbeddedServerOptions(
            dataDirectory: URL(fileURLWithPath: "/tmp/mm-test-\(getpid())"))
        options.durable = false
        options.removeOnStop = true
        options.database = templateName
        let server = EmbeddedServer(options: options)
        let logger = Logger(label: "test-server")
        try await server.start(logger: logger)
        running.withLock { $0 = server }
        atexit { TestServer.running.withLock { $0 }?.stop() }
        let connection = try await Connection.connect(server.connectionConfig)
        try await Migrator(directory: sqlDirectory).migrate(connection, logger: logger)
        await connection.close()
        return server
    }

    /// A new database: a copy of the migrated template, or empty (`template0`).
    public func createDatabase(migrated: Bool) async throws -> ConnectionConfig {
        let server = try await start()
        counter += 1
        let name = "t_\(counter)"
        let admin = try await Connection.connect(server.connectionConfig.withDatabase("postgres"))
        try await admin.execute(
            "CREATE DATABASE \(quoteIdentifier(name)) TEMPLATE \(quoteIdentifier(migrated ? Self.templateName : "template0"))")
        await admin.close()
        return server.connectionConfig.withDatabase(name)
    }

    public func dropDatabase(_ config: ConnectionConfig) async throws {
        guard let server, let name = config.overrideDatabase else { return }
        let admin = try await Connection.connect(server.connectionConfig.withDatabase("postgres"))
        try await admin.execute("DROP DATABASE IF EXISTS \(quoteIdentifier(name)) WITH (FORCE)")
        await admin.close()
    }
}

/// Runs `body` against its own fresh database, dropped afterwards.
public func withTestDatabase<T>(
    migrated: Bool = true, _ body: (ConnectionConfig) async throws -> T
) async throws -> T {
    let config = try await TestServer.shared.createDatabase(migrated: migrated)
    do {
        let value = try await body(config)
        try await TestServer.shared.dropDatabase(config)
        return value
    } catch {
        try? await TestServer.shared.dropDatabase(config)
        throw error
    }
}

/// Same, with one open connection.
public func withTestConnection<T>(migrated: Bool = true, _ body: (Connection) async throws -> T) async throws -> T {
    try await withTestDatabase(migrated: migrated) { config in
        let connection = try await Connection.connect(config)
        do {
            let value = try await body(connection)
            await connection.close()
            return value
        } catch {
            await connection.close()
            throw error
        }
    }
}

import ArgumentParser
import Foundation
import Logging
import Pipeline
import Postgres

struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Schema migrations and the embedded PostgreSQL server.",
        subcommands: [Migrate.self, Status.self, Serve.self, Stop.self])

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply pending sql/NNNN_name.sql migrations (safe to run from several processes at once).")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Folder holding the migrations (default: MARKETMAP_SQL_DIR or the bundled sql/).")
        var sqlDir: String?

        func run() async throws {
            let logger = global.makeLogger("marketmap.db")
            let migrator = try Migrator(directory: sqlDir.map { URL(fileURLWithPath: $0) } ?? Migrator.defaultDirectory())
            try await global.withConnection(logger: logger) { connection, _ in
                let applied = try await migrator.migrate(connection, logger: logger)
                let location = await connection.target
                print(applied.isEmpty
                    ? "database \(location) is up to date (\(migrator.files.count) migrations)"
                    : "applied \(applied.count) migration(s) to \(location): \(applied.map(\.fileName).joined(separator: ", "))")
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show which migrations are applied, pending or edited.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Folder holding the migrations (default: MARKETMAP_SQL_DIR or the bundled sql/).")
        var sqlDir: String?

        func run() async throws {
            let logger = global.makeLogger("marketmap.db")
            let migrator = try Migrator(directory: sqlDir.map { URL(fileURLWithPath: $0) } ?? Migrator.defaultDirectory())
            let problems = try await global.withConnection(logger: logger) { connection, target in
                let rows = try await migrator.status(connection)
                print("database: \(await connection.target)\(target.embedded != nil ? " (embedded)" : "")")
                var problems = 0
                for row in rows {
                    let state: String
                    switch row.status {
                    case .applied(let date): state = "applied  \(date.formatted(.iso8601))"
                    case .pending: state = "pending"
                    case .edited: state = "EDITED after it was applied"; problems += 1
                    case .unknown: state = "applied, unknown to this binary"; problems += 1
                    }
                    print(String(format: "  %04d_%@  ", row.version, row.name) + state)
                }
                return problems
            }
            if problems > 0 { throw ExitCode(1) }
        }
    }

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the embedded PostgreSQL in the foreground (migrated) until SIGINT/SIGTERM, for psql and other tools.")
        @OptionGroup var global: GlobalOptions

        /// SIGINT or SIGTERM is the way to stop it, so both stop the server and exit 0.
        func run() async throws {
            let logger = global.makeLogger("marketmap.db")
            try await global.withDatabase(logger: logger) { target in
                guard target.embedded != nil else {
                    throw ValidationError("a database is configured (DATABASE_URL or PG*); `db serve` only runs the embedded server")
                }
                let connection = try await Connection.connect(target.config)
                try await Migrator(directory: Migrator.defaultDirectory()).migrate(connection, logger: logger)
                await connection.close()
                let conninfo = target.config.conninfo
                let ready = Announced(service: UntilShutdown()) {
                    print("embedded PostgreSQL is ready: psql \"\(conninfo)\"")
                    print("press Ctrl-C to stop it")
                    fflush(nil)  // flush stdout even when it is a pipe
                }
                try await Lifecycle.run([.init(service: ready)], logger: logger)
                print("stopping the embedded PostgreSQL")
            }
        }
    }

    struct Stop: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop an embedded PostgreSQL left running (for example after its owner was killed).")
        @Option(name: .customLong("data-dir"), help: "Data directory (default: MARKETMAP_DATA_DIR or ./.marketmap/pgdata).")
        var dataDirectory: String?

        func run() {
            let directory = dataDirectory ?? EmbeddedServerOptions.defaultDataDirectory().path
            EmbeddedServer.stopServer(dataDirectory: directory)
            print("no embedded PostgreSQL runs on \(directory)")
        }
    }
}

import ArgumentParser
import Logging
import Pipeline
import Postgres

/// Options every command that touches the database or logs accepts.
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: ArgumentHelp(
        "PostgreSQL URI or conninfo (default: DATABASE_URL, then PG* variables, then the embedded server).",
        valueName: "url"))
    var databaseURL: String?

    @Option(name: .customLong("data-dir"), help: ArgumentHelp(
        "Data directory of the embedded server (default: MARKETMAP_DATA_DIR or ./.marketmap/pgdata).",
        valueName: "path"))
    var dataDirectory: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    @Option(name: .customLong("log-format"), help: "text (for people) or json (one object per line).")
    var logFormat: ConsoleLogHandler.Format = .text

    func makeLogger(_ label: String) -> Logger {
        ConsoleLogHandler.bootstrap(level: logLevel, format: logFormat)
        return Logger(label: label)
    }

    /// Resolves the database, runs `body` with it, and stops an embedded server
    /// this process started, whether `body` succeeds or not.
    func withDatabase<T>(logger: Logger, _ body: (DatabaseTarget) async throws -> T) async throws -> T {
        let target = try await DatabaseTarget.resolve(url: databaseURL, dataDirectory: dataDirectory, logger: logger)
        do {
            let value = try await body(target)
            target.shutdown()
            return value
        } catch {
            target.shutdown()
            throw error
        }
    }

    /// One connection to the resolved database for the length of `body`.
    func withConnection<T>(logger: Logger, _ body: (Connection, DatabaseTarget) async throws -> T) async throws -> T {
        try await withDatabase(logger: logger) { target in
            let connection = try await Connection.connect(target.config)
            do {
                let value = try await body(connection, target)
                await connection.close()
                return value
            } catch {
                await connection.close()
                throw error
            }
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
extension ConsoleLogHandler.Format: ExpressibleByArgument {}

/// The Prometheus endpoint of a long-running role.
struct MetricsFlags: ParsableArguments {
    @Option(help: "Serve Prometheus metrics at /metrics on this port (0: any free port; default: off).") var metricsPort: Int?
    @Option(help: "Address of the metrics endpoint (0.0.0.0 in containers).") var metricsAddress = "127.0.0.1"

    var options: MetricsOptions { MetricsOptions(port: metricsPort, address: metricsAddress) }
}

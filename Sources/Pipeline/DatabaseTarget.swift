import Foundation
import Logging
import Postgres

/// The database a command works on: the configured server (`--database-url`,
/// `DATABASE_URL`, `PG*`), or else the embedded private server, started on
/// demand and stopped by `shutdown` (a long-running role stops it after its
/// service group returns); when the process ends otherwise (a signal that
/// ends a one-shot command, SIGKILL), the server's watchdog stops it.
public struct DatabaseTarget: Sendable {
    public var config: ConnectionConfig
    public var embedded: EmbeddedServer?

    public static func resolve(url: String?, dataDirectory: String?, logger: Logger) async throws -> DatabaseTarget {
        if let external = ConnectionConfig.external(url: url) {
            return DatabaseTarget(config: external, embedded: nil)
        }
        let directory = dataDirectory.map { URL(fileURLWithPath: $0) } ?? EmbeddedServerOptions.defaultDataDirectory()
        let server = EmbeddedServer(options: EmbeddedServerOptions(dataDirectory: directory))
        let config = try await server.start(logger: logger)
        return DatabaseTarget(config: config, embedded: server)
    }

    /// Stops the embedded server if this process started it.
    public func shutdown() {
        embedded?.stop()
    }
}

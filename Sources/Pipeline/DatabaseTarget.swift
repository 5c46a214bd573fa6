import Foundation
import Logging
import Postgres

/// The database a command works on: the configured server (`--database-url`,
/// `DATABASE_URL`, `PG*`), or else the embedded private server, started on
/// demand and stopped on exit (normal exit, SIGINT, SIGTERM; a watchdog
/// covers SIGKILL).
public struct DatabaseTarget: Sendable {
    public var config: ConnectionConfig
    public var embedded: EmbeddedServer?

    /// `stopOnSignal`: stop an embedded server and exit at SIGINT/SIGTERM.
    /// Long-running roles pass `false`: they handle the signal gracefully and
    /// stop the server on their way out.
    public static func resolve(
        url: String?, dataDirectory: String?, stopOnSignal: Bool = true, logger: Logger
    ) async throws -> DatabaseTarget {
        if let external = ConnectionConfig.external(url: url) {
            return DatabaseTarget(config: external, embedded: nil)
        }
        let directory = dataDirectory.map { URL(fileURLWithPath: $0) } ?? EmbeddedServerOptions.defaultDataDirectory()
        let server = EmbeddedServer(options: EmbeddedServerOptions(dataDirectory: directory))
        if stopOnSignal { SignalTrap.shared.onTerminate { server.stop() } }
        let config = try await server.start(logger: logger)
        return DatabaseTarget(config: config, embedded: server)
    }

    /// Stops the embedded server if this process started it.
    public func shutdown() {
        embedded?.stop()
    }
}

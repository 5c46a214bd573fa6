import Foundation
import Hummingbird
import Logging
import Pipeline
import Postgres
import ServiceLifecycle

/// The reporter's HTTP server (Hummingbird): the latest run's HTML report at
/// `/`, the steward's review page at `/review` (reads open, writes with the
/// review token), "run now". A `Service`: the reporter role runs it in its
/// group beside the reporter loop; graceful shutdown stops it.
public struct ReportServer: Service {
    public struct Options: Sendable {
        public var address: HTTPAddress
        /// Nil: writes are disabled (403 saying how to enable them); reading still works.
        public var token: ReviewToken?
        /// The manifest "run now" submits (as `marketmap runs submit` does); nil: no button.
        public var manifest: String?
        /// Where the reporter writes `run-<id>/report.html`.
        public var reportsDirectory: URL

        public init(address: HTTPAddress, token: ReviewToken?, manifest: String?, reportsDirectory: URL) {
            self.address = address
            self.token = token
            self.manifest = manifest
            self.reportsDirectory = reportsDirectory
        }
    }

    let options: Options
    let database: ConnectionConfig
    let logger: Logger
    let onRunning: @Sendable (Int) async -> Void

    /// `onRunning` gets the bound port (useful with port 0).
    public init(options: Options, database: ConnectionConfig, logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) {
        self.options = options
        self.database = database
        self.logger = logger
        self.onRunning = onRunning
    }

    public func run() async throws {
        let database = ServerDatabase(config: database, logger: logger)
        let site = ReviewSite(
            database: database, token: options.token, manifest: options.manifest, reports: options.reportsDirectory, logger: logger)
        let router = Router()
        router.add(middleware: SecurityHeaders(site: site))
        site.register(on: router)
        let (host, logger, onRunning, writes) = (options.address.host, logger, onRunning, site.writes)
        let application = Application(
            router: router, configuration: .init(address: .hostname(host, port: options.address.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                let shown = host.contains(":") ? "[\(host)]" : host
                logger.info("review page on http://\(shown):\(port)/review", metadata: [
                    "writes": "\(writes == .enabled ? "enabled (review token set)" : "disabled (no review token)")",
                ])
                await onRunning(port)
            },
            logger: logger)
        do {
            try await application.run()
        } catch {
            await database.close()
            throw error
        }
        await database.close()
    }
}

/// `--http HOST:PORT` (or just `PORT`, on loopback).
public struct HTTPAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String = "127.0.0.1", port: Int) {
        self.host = host
        self.port = port
    }

    /// `8080`, `127.0.0.1:8080`, `0.0.0.0:8080`, `[::1]:8080`; nil when it is none of these.
    public init?(parsing text: String) {
        var host = "127.0.0.1"
        var portText = Substring(text)
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portText = rest.dropFirst()
        } else if let colon = text.lastIndex(of: ":") {
            host = String(text[..<colon])
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, let port = Int(portText), (0...65_535).contains(port) else { return nil }
        self.init(host: host, port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

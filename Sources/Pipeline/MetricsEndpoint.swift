import Enrichment
import Foundation
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import Synchronization

/// Prometheus metrics of this process at `/metrics`: swift-metrics' counters,
/// timers and gauges (jobs claimed, completed, failed, dead; job durations;
/// the reporter's queue and run gauges) through swift-prometheus. A service:
/// it listens from `start` until the service group shuts it down.
public final class MetricsEndpoint: Service {
    static let registry = PrometheusCollectorRegistry()
    private static let installed = Mutex(false)
    private let server: HTTPServer
    public let port: Int

    /// Installs the Prometheus backend (once per process) and listens on
    /// `address`:`port` (0: any free port).
    public init(address: String, port: Int, logger: Logger) throws {
        Self.installed.withLock { done in
            guard !done else { return }
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: Self.registry))
            done = true
        }
        server = HTTPServer { request in
            guard request.path == "/metrics" else { return .init(404, "only /metrics here\n", contentType: "text/plain") }
            return .init(200, Self.registry.emitToString(), contentType: "text/plain; version=0.0.4")
        }
        self.port = try server.start(address: address, port: port)
        logger.info("metrics on http://\(address):\(self.port)/metrics")
    }

    /// Serves until graceful shutdown or cancellation, then stops listening.
    public func run() async {
        try? await gracefulShutdown()
        server.stop()
    }
}

/// `--metrics-port` / `--metrics-address` of the long-running roles.
public struct MetricsOptions: Sendable {
    public var port: Int?
    public var address: String
    public init(port: Int?, address: String) { (self.port, self.address) = (port, address) }

    /// The endpoint, listening, when a port is given.
    public func endpoint(logger: Logger) throws -> MetricsEndpoint? {
        guard let port else { return nil }
        return try MetricsEndpoint(address: address, port: port, logger: logger)
    }
}

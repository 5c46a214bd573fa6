import Enrichment
import Foundation
import Logging
import Metrics
import Prometheus
import Synchronization

/// Prometheus metrics of this process at `/metrics`: swift-metrics' counters,
/// timers and gauges (jobs claimed, completed, failed, dead; job durations;
/// the reporter's queue and run gauges) through swift-prometheus.
public enum MetricsEndpoint {
    static let registry = PrometheusCollectorRegistry()
    private static let installed = Mutex(false)

    /// Installs the Prometheus backend (once per process) and serves
    /// `/metrics` on `address`:`port` (0: any free port); returns the server.
    public static func serve(address: String, port: Int, logger: Logger) throws -> HTTPServer {
        installed.withLock { done in
            guard !done else { return }
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            done = true
        }
        let server = HTTPServer { request in
            guard request.path == "/metrics" else { return .init(404, "only /metrics here\n", contentType: "text/plain") }
            return .init(200, registry.emitToString(), contentType: "text/plain; version=0.0.4")
        }
        let bound = try server.start(address: address, port: port)
        logger.info("metrics on http://\(address):\(bound)/metrics")
        return server
    }
}

/// `--metrics-port` / `--metrics-address` of the long-running roles.
public struct MetricsOptions: Sendable {
    public var port: Int?
    public var address: String
    public init(port: Int?, address: String) { (self.port, self.address) = (port, address) }

    /// Starts the endpoint when a port is given.
    public func start(logger: Logger) throws -> HTTPServer? {
        guard let port else { return nil }
        return try MetricsEndpoint.serve(address: address, port: port, logger: logger)
    }
}

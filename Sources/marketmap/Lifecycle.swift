import Logging
import Pipeline
import ServiceLifecycle

/// The one place where this process's signals are handled: a long-running
/// command runs its services in one `ServiceGroup`, and SIGTERM or SIGINT
/// starts the group's graceful shutdown (services stop one by one, the last
/// listed first). One-shot commands install no handler: a signal ends them,
/// and an embedded server they started is stopped by its watchdog.
enum Lifecycle {
    /// Runs `services` until they return or a signal shuts them down. A
    /// service whose return ends the group gracefully (`marketmap run`'s
    /// runner) is given as a configuration with `.gracefullyShutdownGroup`.
    static func run(_ services: [ServiceGroupConfiguration.ServiceConfiguration], logger: Logger) async throws {
        let configuration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await ServiceGroup(configuration: configuration).run()
    }

    /// A role's group: its metrics endpoint (stopped last), the watch of the
    /// `marketmap run` that started it, then the role's own services.
    static func run(role services: [any Service], metrics: MetricsEndpoint?, logger: Logger) async throws {
        var group: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let metrics { group.append(.init(service: metrics)) }
        if let parent = ParentWatch() { group.append(.init(service: parent, successTerminationBehavior: .gracefullyShutdownGroup)) }
        group += services.map { .init(service: $0) }
        try await run(group, logger: logger)
    }
}

/// A service that says it is ready once the group runs, so that whoever waits
/// for the line (a script, a test) may signal right away: the group's
/// handlers are in place before its services start.
struct Announced: Service {
    let service: any Service
    let announce: @Sendable () -> Void

    func run() async throws {
        announce()
        try await service.run()
    }
}

/// Waits for graceful shutdown (`db serve` while the server serves).
struct UntilShutdown: Service {
    func run() async throws { try await gracefulShutdown() }
}

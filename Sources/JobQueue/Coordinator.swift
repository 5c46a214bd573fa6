import Foundation
import Logging
import Postgres
import ServiceLifecycle
import Synchronization

public struct CoordinatorOptions: Sendable {
    public var tickSeconds: Double = 0.25
    public var leaseSeconds: Double = 30
    public init() {}
}

/// Whether this process's coordinator leads now: what leader-only services
/// of the same process (the refresh scheduler) look at.
public final class Leadership: Sendable {
    private let leads = Atomic<Bool>(false)
    public init() {}
    public var isLeader: Bool { leads.load(ordering: .acquiring) }
    func set(_ value: Bool) { leads.store(value, ordering: .releasing) }
}

/// Drives runs through their stages and returns expired leases to the queue.
/// One leader at a time, held by a session advisory lock: a second copy waits
/// as a hot standby and takes over when the leader's session ends. It says
/// in `leadership` when it leads (the refresh scheduler starts runs then).
public final class Coordinator: Service {
    let config: ConnectionConfig
    let registry: Registry
    let options: CoordinatorOptions
    let runs: Runs
    let logger: Logger
    public let leadership: Leadership
    private let shutdown = StopRequest()

    public init(config: ConnectionConfig, registry: Registry, options: CoordinatorOptions, logger: Logger, leadership: Leadership = Leadership()) {
        self.config = config
        self.registry = registry
        self.options = options
        self.runs = Runs(queue: JobQueue(leaseSeconds: options.leaseSeconds))
        self.logger = logger
        self.leadership = leadership
    }

    /// Runs until the service group shuts it down (between two passes).
    public func run() async {
        await shutdown.whileRunning { await lead() }
        logger.info("coordinator stopped")
    }

    private func lead() async {
        var failures = 0
        var saidStandby = false
        while !shutdown.isRequested {
            var connection: Connection?
            do {
                let db = try await Connection.connect(config)
                connection = db
                failures = 0
                var leader = false
                while !shutdown.isRequested {
                    if !leader {
                        leader = try await runs.tryLeadership(on: db)
                        if !leader {
                            if !saidStandby { logger.info("another coordinator leads; standing by") }
                            saidStandby = true
                            await shutdown.sleep(.seconds(1))
                            continue
                        }
                        logger.info("coordinator is the leader")
                        leadership.set(true)
                    }
                    try await tick(on: db)
                    await shutdown.sleep(.milliseconds(Int(options.tickSeconds * 1000)))
                }
            } catch {
                leadership.set(false)
                failures += 1
                let delay = min(0.25 * Double(1 << min(failures, 5)), 5)
                logger.warning("coordinator lost the database; retrying", metadata: ["error": "\(error)", "retry_in_s": "\(delay)"])
                await shutdown.sleep(.milliseconds(Int(delay * 1000)))
            }
            leadership.set(false)
            await connection?.close()
        }
    }

    /// One pass: reap expired leases, then move every active run forward.
    func tick(on db: Connection) async throws {
        let reaped = try await runs.queue.reapExpired(on: db)
        if reaped.requeued + reaped.dead > 0 {
            logger.warning("expired leases returned to the queue", metadata: ["requeued": "\(reaped.requeued)", "dead": "\(reaped.dead)"])
        }
        for run in try await runs.active(on: db) {
            var meta: Logger.Metadata = ["run": "\(run.id)", "pipeline": "\(run.pipeline)"]
            guard let pipeline = registry.pipelines[run.pipeline] else {
                logger.error("run names a pipeline this coordinator does not know", metadata: meta)
                continue
            }
            let step = try await runs.advance(run, planner: pipeline.planner, on: db)
            switch step {
            case .started(let stage, let jobs):
                meta["stage"] = "\(stage)"
                meta["jobs"] = "\(jobs)"
                logger.info("stage started", metadata: meta)
                if jobs >= 1000 { try await runs.refreshStatistics(on: db) }
            case .finished:
                logger.info("run finished", metadata: meta)
            case .failed(let stage, let error):
                meta["stage"] = "\(stage)"
                meta["error"] = "\(error)"
                logger.error("run failed", metadata: meta)
            case .waiting, .notRunning:
                continue
            }
        }
    }
}

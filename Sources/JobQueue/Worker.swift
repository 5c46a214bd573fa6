import Foundation
import Logging
import Metrics
import Postgres
import ServiceLifecycle
import Synchronization

public struct WorkerOptions: Sendable {
    /// Shown as the lease owner; default `host:pid`.
    public var id: String = "\(ProcessInfo.processInfo.hostName):\(getpid())"
    /// Jobs processed at once, each on its own connection and thread.
    public var concurrency: Int = 2
    /// Jobs claimed per round trip by each slot.
    public var batch: Int = 1
    public var leaseSeconds: Double = 30
    /// Poll interval when no notification arrives (a lost NOTIFY only delays).
    public var pollSeconds: Double = 1
    /// After graceful shutdown begins (SIGTERM, SIGINT): time to finish
    /// in-flight jobs before releasing them.
    public var graceSeconds: Double = 30
    /// First retry delay after a failure; doubles per attempt (with jitter).
    public var backoffBaseSeconds: Double = 2
    /// Only these kinds (default: every kind this binary handles).
    public var kinds: [String]? = nil

    public init() {}
}

/// Claims jobs, runs their handlers, completes or fails them; repeats until
/// its service group stops it. Stateless: any number of workers on any hosts.
///
/// Graceful shutdown: no new claims; in-flight jobs get `graceSeconds` to
/// finish, then whatever is still held is released (back to the queue,
/// no attempt charged) and `run` returns, leaving the unfinished handler
/// unwaited (its completion would fail: the lease is gone). Cancellation
/// releases at once.
public final class Worker: Service {
    let config: ConnectionConfig
    let registry: Registry
    let options: WorkerOptions
    let queue: JobQueue
    let logger: Logger
    /// No new claims (graceful shutdown or cancellation).
    private let shutdown = StopRequest()
    /// Give up in-flight jobs (the grace period is over, or cancellation).
    private let abandon = StopRequest()
    private let cancelled = Atomic<Bool>(false)
    private let wakeup = Wakeup()
    private let inFlight = Mutex<Set<Claim>>([])
    private let progress = JobProgress()
    private let slotsRunning = Atomic<Int>(0)

    public init(config: ConnectionConfig, registry: Registry, options: WorkerOptions, logger: Logger) {
        self.config = config
        self.registry = registry
        self.options = options
        self.queue = JobQueue(leaseSeconds: options.leaseSeconds, backoff: Backoff(baseSeconds: options.backoffBaseSeconds))
        var logger = logger
        logger[metadataKey: "worker"] = "\(options.id)"
        self.logger = logger
    }

    /// Runs until the service group shuts it down; in-flight jobs finish
    /// within the grace period or are released. Returns when no job is held
    /// any more.
    public func run() async {
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await work()
            } onGracefulShutdown: {
                self.shutdown.request()
            }
        } onCancel: {
            self.cancelled.store(true, ordering: .releasing)
            self.shutdown.request()
            self.wakeup.wake()
        }
    }

    private func work() async {
        logger.info("worker started", metadata: ["concurrency": "\(options.concurrency)", "batch": "\(options.batch)"])
        slotsRunning.store(options.concurrency, ordering: .relaxed)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.control() }
            group.addTask { await self.graceWatch() }
            for slot in 0..<options.concurrency {
                group.addTask {
                    await self.slot(slot)
                    self.slotsRunning.subtract(1, ordering: .relaxed)
                    self.wakeup.wake()
                }
            }
            await group.waitForAll()
        }
        logger.info("worker stopped; no job is held")
    }

    // MARK: slots

    private func slot(_ index: Int) async {
        var connection: Connection?
        var unreleased: [Claim] = []
        var failures = 0
        while !shutdown.isRequested {
            do {
                if connection == nil {
                    let fresh = try await Connection.connect(config)
                    connection = fresh
                    if !unreleased.isEmpty {
                        try await queue.release(unreleased, on: fresh)
                        untrack(unreleased)
                        unreleased = []
                    }
                    if failures > 0 { logger.info("reconnected to the database", metadata: ["slot": "\(index)"]) }
                    failures = 0
                }
                guard let db = connection else { continue }
                let jobs = try await queue.claim(limit: options.batch, owner: options.id, kinds: kinds, on: db)
                if jobs.isEmpty {
                    await wakeup.wait(timeout: .milliseconds(Int(options.pollSeconds * 1000)))
                    continue
                }
                track(jobs.map(\.claim))
                unreleased = jobs.map(\.claim)
                if shutdown.isRequested { break }  // claimed as the shutdown began: released below
                let batch = await abandon.unlessRequested { try await self.process(jobs, on: db) }
                guard let batch else {
                    // The grace period is over and graceWatch released the jobs: the
                    // connection stays with the handler, closed when it returns.
                    Task { await db.close() }  // runs after the handler (the connection is an actor)
                    return
                }
                try batch.get()
                untrack(unreleased)
                unreleased = []
            } catch let error as PostgresError where error.isConnectionLost || isConnectFailure(error) {
                failures += 1
                connection = nil
                let delay = min(0.25 * Double(1 << min(failures, 5)), 5)
                logger.warning("database unavailable; retrying", metadata: [
                    "slot": "\(index)", "error": "\(error)", "retry_in_s": "\(delay)",
                ])
                await shutdown.sleep(.milliseconds(Int(delay * 1000)))
            } catch {
                logger.error("worker slot error", metadata: ["slot": "\(index)", "error": "\(error)"])
                await shutdown.sleep(.seconds(1))
            }
        }
        if let connection, !unreleased.isEmpty {
            _ = try? await queue.release(unreleased, on: connection)
            untrack(unreleased)
        }
        await connection?.close()
    }

    private var kinds: [String]? {
        options.kinds ?? registry.handlers.keys.sorted()
    }

    private func isConnectFailure(_ error: PostgresError) -> Bool {
        if case .connectFailed = error { return true }
        return false
    }

    /// Runs the handlers of `jobs` and completes them: cheap kinds share one
    /// transaction per batch; if anything in a batch fails, its jobs are rerun
    /// one transaction each so that only the failing job fails.
    func process(_ jobs: [ClaimedJob], on db: isolated Connection) throws {
        let context = JobContext(workerID: options.id, progress: progress)
        for (kind, group) in Dictionary(grouping: jobs, by: \.kind).sorted(by: { $0.key < $1.key }) {
            guard let handler = registry.handlers[kind] else {
                for job in group { try recordFailure(job, RegistryError.unknownKind(kind), on: db) }
                continue
            }
            var start = 0
            while start < group.count, !abandon.isRequested {
                let chunk = Array(group[start..<min(start + max(1, handler.batchSize), group.count)])
                start += chunk.count
                if chunk.count > 1, (try? runTransaction(chunk, handler: handler, context: context, on: db)) != nil { continue }
                for job in chunk {
                    do {
                        try runTransaction([job], handler: handler, context: context, on: db)
                    } catch let error as PostgresError where error.isConnectionLost {
                        throw error
                    } catch let error as QueueError {
                        logger.warning("\(error)", metadata: metadata(job))
                    } catch {
                        try recordFailure(job, error, on: db)
                    }
                }
            }
        }
    }

    private func runTransaction(_ jobs: [ClaimedJob], handler: any JobHandler, context: JobContext, on db: isolated Connection) throws {
        let started = ContinuousClock.now
        let queue = self.queue
        for job in jobs { try handler.prepare(job, context: context, on: db) }
        try db.transaction { db in
            for job in jobs { try handler.handle(job, context: context, on: db) }
            // Each job's share of the time so far: its row in job_timings.
            let share = Self.seconds(started.duration(to: .now)) / Double(jobs.count)
            try queue.complete(jobs, secondsEach: share, on: db)
        }
        let elapsed = started.duration(to: .now)
        Timer(label: "marketmap_job_duration_seconds", dimensions: [("kind", handler.kind)])
            .recordNanoseconds(Int64(elapsed.components.seconds) * 1_000_000_000 / Int64(jobs.count)
                + elapsed.components.attoseconds / 1_000_000_000 / Int64(jobs.count))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private func recordFailure(_ job: ClaimedJob, _ error: any Error, on db: isolated Connection) throws {
        let outcome = try queue.fail(job, error: error, on: db)
        var meta = metadata(job)
        meta["error"] = "\(error)"
        switch outcome {
        case .retry(let seconds):
            meta["retry_in_s"] = "\(String(format: "%.1f", seconds))"
            logger.warning("job failed; will retry", metadata: meta)
        case .dead(.permanent):
            logger.error("job failed with a permanent error (a retry cannot fix it); moved to dead letters without retrying", metadata: meta)
        case .dead:
            logger.error("job failed for good; moved to dead letters", metadata: meta)
        case .leaseLost: logger.warning("job failed after its lease was lost", metadata: meta)
        }
    }

    private func metadata(_ job: ClaimedJob) -> Logger.Metadata {
        ["job": "\(job.id)", "kind": "\(job.kind)", "run": "\(job.runID)", "stage": "\(job.stage)",
         "shard": "\(job.shard)", "attempt": "\(job.attempt)", "lease_expiries": "\(job.leaseExpiries)"]
    }

    private func track(_ claims: [Claim]) { inFlight.withLock { $0.formUnion(claims) } }
    private func untrack(_ claims: [Claim]) { inFlight.withLock { $0.subtract(claims) } }

    // MARK: control: wake-ups and heartbeats

    /// Listens for new-job notifications, extends the leases of in-flight
    /// jobs every lease/3 seconds and writes their reported progress every
    /// `progressEvery`, on its own connection.
    private func control() async {
        var connection: Connection?
        var lastBeat = ContinuousClock.now
        var lastProgress = ContinuousClock.now
        var controlFailing = false
        let beatEvery = Duration.milliseconds(Int(options.leaseSeconds * 1000 / 3))
        let progressEvery = Duration.seconds(2)
        while slotsRunning.load(ordering: .relaxed) > 0 {
            do {
                if connection == nil {
                    let fresh = try await Connection.connect(config)
                    try await fresh.listen("marketmap_jobs")
                    connection = fresh
                    if controlFailing { logger.info("control connection back") }
                    controlFailing = false
                    wakeup.wake()  // jobs may have been enqueued while we were away
                }
                guard let db = connection else { continue }
                if try await db.waitForNotification(timeout: .milliseconds(250)) != nil { wakeup.wake() }
                if lastBeat.duration(to: .now) >= beatEvery {
                    lastBeat = .now
                    let claims = inFlight.withLock { Array($0) }
                    let held = try await queue.heartbeat(claims, on: db)
                    // Claims finished meanwhile left `inFlight`; the rest must still be held.
                    let lost = Set(claims.filter { !held.contains($0.id) }).intersection(inFlight.withLock { $0 })
                    if !lost.isEmpty { logger.warning("leases lost (expired before the heartbeat)", metadata: ["jobs": "\(lost.count)"]) }
                }
                if lastProgress.duration(to: .now) >= progressEvery {
                    lastProgress = .now
                    let held = inFlight.withLock { $0 }
                    try await queue.recordProgress(progress.take().filter { held.contains($0.key) }, on: db)
                }
            } catch {
                // Heartbeats and progress stop until it reconnects: say so (once per outage), leases may expire.
                if !controlFailing {
                    logger.warning("control connection failed (heartbeats and progress wait); reconnecting", metadata: ["error": "\(error)"])
                }
                controlFailing = true
                connection = nil
                await wakeup.wait(timeout: .milliseconds(500))
            }
        }
        await connection?.close()
    }

    /// After shutdown is requested, gives in-flight jobs `graceSeconds` (none
    /// when cancelled); then releases whatever is still held, on a connection
    /// of its own, and lets the slots give up their jobs.
    private func graceWatch() async {
        while slotsRunning.load(ordering: .relaxed) > 0 && !shutdown.isRequested {
            await shutdown.sleep(.seconds(1))
        }
        guard slotsRunning.load(ordering: .relaxed) > 0 else { return }
        let grace = cancelled.load(ordering: .acquiring) ? 0 : options.graceSeconds
        logger.info("shutting down: finishing in-flight jobs", metadata: ["grace_s": "\(grace)"])
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int(grace * 1000)))
        while slotsRunning.load(ordering: .relaxed) > 0 && ContinuousClock.now < deadline && !cancelled.load(ordering: .acquiring) {
            await wakeup.wait(timeout: .milliseconds(100))
        }
        guard slotsRunning.load(ordering: .relaxed) > 0 else { return }
        let claims = inFlight.withLock { Array($0) }
        if let db = try? await Connection.connect(config) {
            let released = (try? await queue.release(claims, on: db)) ?? 0
            await db.close()
            logger.warning("grace period over: released unfinished jobs", metadata: ["jobs": "\(released)"])
        } else {
            logger.warning("grace period over; the database is unreachable, so unfinished jobs return when their leases expire", metadata: ["jobs": "\(claims.count)"])
        }
        untrack(claims)
        abandon.request()
    }
}

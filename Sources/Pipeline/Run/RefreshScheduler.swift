import Foundation
import JobQueue
import Logging
import MarketMapCore
import Postgres
import ServiceLifecycle

/// The nightly refresh (`DOMAIN.md` §9): the coordinator leader starts a run
/// of one manifest by itself, on the manifest's cron schedule and/or when
/// newer exports have settled in the inbox (the plan's fingerprint differs
/// from the latest run's). A run starts only when no other market run is
/// active; a due schedule waits for it. A plan whose start failed (a
/// truncated export, a bad file) is not retried until its files change; the
/// error is logged. Staging runs on its own connection in a task, so the
/// coordinator keeps reaping leases meanwhile.
///
/// As a service it looks every `tickSeconds` while the coordinator of its
/// process leads (`leadership`); graceful shutdown lets a run start in
/// progress finish staging.
public actor RefreshScheduler: Service {
    let manifestPath: String
    let config: ConnectionConfig
    let logger: Logger
    let refresh: Manifest.Refresh
    let leadership: Leadership
    let tickSeconds: Double
    private var nextFire: Date?
    private var scheduleDue = false
    private var failedFingerprint: String?
    private var submitting: Task<Void, Never>?
    private var lastWaitingNote = ""
    private var lastLook: Date?
    static let lookSeconds = 2.0

    /// Checks the manifest now (not its files: the inbox may be empty yet), so
    /// a coordinator with a bad one does not start.
    public init(
        manifestPath: String, config: ConnectionConfig, logger: Logger, now: Date = Date(),
        leadership: Leadership = Leadership(), tickSeconds: Double = 0.25
    ) throws(ConfigError) {
        let plan = try RunPlan.load(manifestPath, out: nil, requireFiles: false)
        guard let refresh = plan.manifest.refresh else {
            throw ConfigError(file: manifestPath, path: "refresh", expected: "a refresh section (schedule and/or watch: true) for --refresh")
        }
        self.manifestPath = manifestPath
        self.config = config
        self.logger = logger
        self.refresh = refresh
        self.leadership = leadership
        self.tickSeconds = tickSeconds
        nextFire = refresh.schedule?.next(after: now, in: refresh.timeZone)
    }

    /// Ticks while the coordinator leads, on a connection of its own, until
    /// the service group shuts it down; then waits for a start in progress.
    public nonisolated func run() async {
        let stop = StopRequest()
        await stop.whileRunning {
            var connection: Connection?
            while !stop.isRequested {
                do {
                    if leadership.isLeader {
                        if connection == nil { connection = try await Connection.connect(config) }
                        if let db = connection { try await tick(on: db) }
                    }
                } catch {
                    logger.warning("refresh could not look for due runs; retrying", metadata: ["error": "\(error)"])
                    await connection?.close()
                    connection = nil
                    await stop.sleep(.seconds(1))
                }
                await stop.sleep(.milliseconds(Int(tickSeconds * 1000)))
            }
            await connection?.close()
        }
        await settle()
    }

    /// When the schedule fires next (nil: no schedule).
    public var nextScheduled: Date? { nextFire }

    /// One look, from the leader's tick: starts a run when one is due.
    public func tick(now: Date = Date(), on db: Connection) async throws {
        if let next = nextFire, next <= now {
            scheduleDue = true
            nextFire = refresh.schedule?.next(after: now, in: refresh.timeZone)
            logger.info("refresh schedule fired", metadata: ["schedule": "\(refresh.schedule?.text ?? "")", "next": "\(nextFire.map { "\($0)" } ?? "none")"])
        }
        guard submitting == nil else { return }
        // Reading the manifest and the inbox is cheap, but not worth doing at every tick.
        if !scheduleDue, let last = lastLook, now.timeIntervalSince(last) < Self.lookSeconds { return }
        lastLook = now
        let plan: RunPlan
        do {
            plan = try RunPlan.load(manifestPath, out: nil, settledBefore: now.addingTimeInterval(-refresh.settleSeconds))
        } catch {
            note("refresh: exports not ready: \(error)", due: scheduleDue)
            return
        }
        let latest: String? = try await db.query(RunQueries.latestMarketFingerprint).first?.decode(String?.self) ?? nil
        let newExports = refresh.watch && plan.fingerprint != latest && plan.fingerprint != failedFingerprint
        guard scheduleDue || newExports else { return }
        if let active = try await db.query(RunQueries.activeMarketRun, plan.fingerprint).first?.decode(Int.self) {
            note("refresh waits for run \(active) to finish", due: false)
            return
        }
        let reason = scheduleDue ? "schedule" : "new exports"
        scheduleDue = false
        lastWaitingNote = ""
        let config = self.config, logger = self.logger
        submitting = Task {
            do {
                let db = try await Connection.connect(config)
                do {
                    let started = try await plan.startOrResume(
                        logger: logger, progress: { logger.info("refresh staging", metadata: ["file": "\($0)"]) }, on: db)
                    logger.info("refresh run started", metadata: ["run": "\(started.run)", "reason": "\(reason)", "resumed": "\(started.resumed)"])
                } catch {
                    await db.close()
                    throw error
                }
                await db.close()
            } catch {
                logger.error("refresh could not start; it waits for changed exports", metadata: ["reason": "\(reason)", "error": "\(error)"])
                failedFingerprint = plan.fingerprint
            }
            submitting = nil
        }
    }

    /// Waits for a run start in progress (tests, shutdown).
    public func settle() async { await submitting?.value }

    /// Logs a reason for not starting once per distinct reason (warning when a schedule is due).
    private func note(_ text: String, due: Bool) {
        guard text != lastWaitingNote else { return }
        lastWaitingNote = text
        if due { logger.warning("\(text)") } else { logger.debug("\(text)") }
    }
}

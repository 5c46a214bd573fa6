import Foundation
import JobQueue
import Logging
import MarketMapCore
import Postgres

/// The nightly refresh (`DOMAIN.md` §9): the coordinator leader starts a run
/// of one manifest by itself, on the manifest's cron schedule and/or when
/// newer exports have settled in the inbox (the plan's fingerprint differs
/// from the latest run's). A run starts only when no other market run is
/// active; a due schedule waits for it. A plan whose start failed (a
/// truncated export, a bad file) is not retried until its files change; the
/// error is logged. Staging runs on its own connection in a task, so the
/// coordinator keeps reaping leases meanwhile.
public actor RefreshScheduler {
    let manifestPath: String
    let config: ConnectionConfig
    let logger: Logger
    let refresh: Manifest.Refresh
    private var nextFire: Date?
    private var scheduleDue = false
    private var failedFingerprint: String?
    private var submitting: Task<Void, Never>?
    private var lastWaitingNote = ""
    private var lastLook: Date?
    static let lookSeconds = 2.0

    /// Checks the manifest now (not its files: the inbox may be empty yet), so
    /// a coordinator with a bad one does not start.
    public init(manifestPath: String, config: ConnectionConfig, logger: Logger, now: Date = Date()) throws(ConfigError) {
        let plan = try RunPlan.load(manifestPath, out: nil, requireFiles: false)
        guard let refresh = plan.manifest.refresh else {
            throw ConfigError(file: manifestPath, path: "refresh", expected: "a refresh section (schedule and/or watch: true) for --refresh")
        }
        self.manifestPath = manifestPath
        self.config = config
        self.logger = logger
        self.refresh = refresh
        nextFire = refresh.schedule?.next(after: now, in: refresh.timeZone)
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
        let latest: String? = try await db.query(RunQueries.latestMarketFingerprint).first?.decode(0)
        let newExports = refresh.watch && plan.fingerprint != latest && plan.fingerprint != failedFingerprint
        guard scheduleDue || newExports else { return }
        if let active: Int = try await db.query(RunQueries.activeMarketRun, plan.fingerprint).first?.decode(0) {
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

import Foundation
import JobQueue
import Logging
import Postgres
import ServiceLifecycle
import Synchronization

/// What `marketmap run` does once the database is there, as a service: stage
/// the manifest's files (or find its unfinished run), start a coordinator, N
/// workers and a reporter as child processes, follow the run stage by stage,
/// wait for the reporter, stop the children, write the output contract and
/// print the summary. Graceful shutdown (Ctrl-C) stops following: the
/// children are stopped and the run is left to resume (`outcome` says
/// `interrupted`).
public final class ManifestRunner: Service {
    public struct Options: Sendable {
        public var workers = 2
        /// Workers' lease: a killed worker's jobs are claimed again after this many seconds.
        public var leaseSeconds = 10.0
        /// Stop waiting for the reporter after this many seconds.
        public var reportTimeout = 300.0
        /// Arguments every child gets (`--log-level info`).
        public var childArguments: [String] = []
        /// Variables the children get on top of this process's (a provider simulator's URL).
        public var environment: [String: String] = [:]
        /// Lines added to the summary at the end (what the simulator answered).
        public var notes: @Sendable () -> [String] = { [] }
        /// Arguments of the reporter only (`--http HOST:PORT --manifest M`: the review page).
        public var reporterArguments: [String] = []
        /// After the run: keep the children running until graceful shutdown
        /// (the review page's "Run now" needs them), saying this line.
        public var serving: String?
        public init() {}
    }

    /// How the run ended for this command.
    public enum Ending: Sendable, Equatable {
        case done
        /// Shut down before the run ended: the run is saved and resumes next time.
        case interrupted
        /// The run ended otherwise (failed), or its state could not be read.
        case ended(state: String, error: String)
    }

    public struct Outcome: Sendable, Equatable {
        public var run: Int
        public var ending: Ending
    }

    let plan: RunPlan
    let config: ConnectionConfig
    let options: Options
    let logger: Logger
    let say: @Sendable (String) -> Void
    private let result = Mutex<Outcome?>(nil)

    /// `say`: where the progress a person reads goes (stderr).
    public init(plan: RunPlan, config: ConnectionConfig, options: Options, logger: Logger, say: @escaping @Sendable (String) -> Void) {
        self.plan = plan
        self.config = config
        self.options = options
        self.logger = logger
        self.say = say
    }

    /// The outcome once `run` has returned (nil if it threw).
    public var outcome: Outcome? { result.withLock { $0 } }

    public func run() async throws {
        let stop = StopRequest()
        let outcome = try await stop.whileRunning { try await drive(stop) }
        result.withLock { $0 = outcome }
    }

    private func drive(_ stop: StopRequest) async throws -> Outcome {
        let db = try await Connection.connect(config)
        do {
            let outcome = try await drive(stop, on: db)
            await db.close()
            return outcome
        } catch {
            await db.close()
            throw error
        }
    }

    private func drive(_ stop: StopRequest, on db: Connection) async throws -> Outcome {
        let say = self.say
        say("marketmap run: \(plan.manifestPath) → \(plan.out.path)\n")
        let (run, resumed) = try await plan.migrateAndStart(logger: logger, progress: { say("  " + $0 + "\n") }, on: db)
        say(resumed ? "resuming run \(run)\n" : "run \(run) started\n")
        guard !stop.isRequested else {
            say("\nstopping: the run is saved; run the same command again to resume it\n")
            return Outcome(run: run, ending: .interrupted)
        }

        let reports = OutputContract.reportsDirectory(plan.out)
        let children = try startChildren(run: run, reports: reports)
        let status = try await follow(run: run, stop: stop, on: db)
        guard !stop.isRequested else {
            say("\nstopping: the run is saved; run the same command again to resume it\n")
            await children.stop()
            return Outcome(run: run, ending: .interrupted)
        }
        try await waitForReports(run: run, status: status, reports: reports, stop: stop, on: db)
        let memory = children.peakMemory()
        if options.serving == nil { await children.stop() }
        try await db.transaction { db in
            try OutputContract.write(run: run, product: plan.config.products.first?.product ?? "", reports: reports, to: plan.out, on: db)
        }
        say(try await RunSummaryText.make(run: run, plan: plan, on: db))
        let own = ChildProcesses.ownPeakMemory()
        say("  peak memory: run \(own / 1_048_576) MB, " + memory.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value / 1_048_576) MB" }.joined(separator: ", ") + "\n")
        for note in options.notes() { say("  \(note)\n") }
        if children.restarts > 0 { say("  child processes restarted after exiting: \(children.restarts)\n") }
        if let serving = options.serving {
            say(serving + "\n")
            while !stop.isRequested { await stop.sleep(.seconds(1)) }
            await children.stop()
        }
        guard let status else { return Outcome(run: run, ending: .ended(state: "unknown", error: "")) }
        return Outcome(run: run, ending: status.state == .done ? .done : .ended(state: status.state.rawValue, error: status.error))
    }

    /// The coordinator, the workers and the reporter, as children of this binary.
    private func startChildren(run: Int, reports: URL) throws -> ChildProcesses {
        let children = ChildProcesses(
            executable: ChildProcesses.currentExecutable, databaseURL: config.conninfo.isEmpty ? nil : config.conninfo,
            logDirectory: plan.out.appendingPathComponent("logs"), logger: logger, environment: options.environment)
        let extra = options.childArguments
        try children.start(.init(name: "coordinator", arguments: ["coordinator"] + extra))
        for index in 1...max(1, options.workers) {
            try children.start(.init(
                name: "worker-\(index)",
                arguments: ["worker", "--worker-id", "run-\(run)-w\(index)", "--lease-seconds", String(options.leaseSeconds), "--grace-seconds", "10"] + extra))
        }
        try children.start(.init(name: "reporter", arguments: ["reporter", "--out", reports.path] + options.reporterArguments + extra))
        return children
    }

    /// Progress until the run is no longer running or a stop is requested; the last status read.
    private func follow(run: Int, stop: StopRequest, on db: Connection) async throws -> RunStatus? {
        let monitor = RunMonitor(tty: isatty(STDERR_FILENO) == 1, write: say)
        let runs = Runs(queue: JobQueue())
        var status: RunStatus?
        var inputs = RunMonitor.Inputs()
        while !stop.isRequested {
            if let current = try await runs.status(run, on: db) {
                if monitor.needsInputs(current) { inputs = try await RunMonitor.inputs(run: run, on: db) }
                monitor.update(current, inputs)
                status = current
                if current.state.isFinished { break }
            }
            await stop.sleep(.milliseconds(500))
        }
        return status
    }

    /// The reporter writes territories and reports once it sees the run end:
    /// waits for its files (or its error file), at most `reportTimeout` seconds.
    private func waitForReports(run: Int, status: RunStatus?, reports: URL, stop: StopRequest, on db: Connection) async throws {
        let deadline = Date().addingTimeInterval(options.reportTimeout)
        let directory = reports.appendingPathComponent("run-\(run)")
        let files = ["summary.json"] + (status?.state == .done ? ["report.html"] : [])
        func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path) }
        while Date() < deadline, !stop.isRequested {
            let reported = try await RunPlan.isReported(run, on: db)
            if reported, files.allSatisfy(exists) || exists("report-error.txt") { break }
            await stop.sleep(.milliseconds(200))
        }
    }
}

extension RunPlan {
    /// Migrates the database, then stages the files and creates the run (or
    /// finds its unfinished one): what `run` and `runs submit` do first.
    public func migrateAndStart(
        logger: Logger, progress: @escaping @Sendable (String) -> Void, on db: Connection
    ) async throws -> (run: Int, resumed: Bool) {
        try await Migrator(directory: Migrator.defaultDirectory()).migrate(db, logger: logger)
        return try await startOrResume(logger: logger, progress: progress, on: db)
    }
}

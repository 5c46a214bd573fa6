import ArgumentParser
import Enrichment
import Foundation
import JobQueue
import Logging
import MarketMapCore
import Pipeline
import Postgres

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the whole pipeline on a manifest's sources, with its own coordinator, workers and reporter, and write the output files.",
        discussion: """
            With no database configured it starts the embedded PostgreSQL. It stages the files, starts a coordinator, \
            N workers and a reporter as child processes, follows the run stage by stage (import → normalize → match → \
            resolve → enrich → score → territories and reports), writes the output contract into the output directory and \
            stops everything it started. Ctrl-C stops cleanly; the same command again resumes the unfinished run. \
            Without a manifest it runs the bundled sample (ops/sample/manifest.yaml).
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The manifest (YAML): sources, config, out. Default: the bundled sample.") var manifest: String?
    @Option(help: "Worker processes.") var workers = 2
    @Option(help: "Output directory (default: the manifest's `out`).") var out: String?
    @Option(help: "Stop waiting for the reporter after this many seconds.") var reportTimeout = 300.0
    @Option(help: "Workers' lease: a killed worker's jobs are claimed again after this many seconds.") var leaseSeconds = 10.0
    @Flag(help: "Dry run of persona discovery: the people stage shows the calls and credits its plan needs and buys nothing.") var planOnly = false

    func validate() throws {
        guard (1...64).contains(workers) else { throw ValidationError("--workers must be between 1 and 64") }
        guard leaseSeconds >= 2 else { throw ValidationError("--lease-seconds must be at least 2") }
    }

    func run() async throws {
        let logger = global.makeLogger("marketmap.run")
        let manifestPath = manifest ?? RunPlan.bundledSample()
        var loaded = try ManifestRun.plan(manifestPath, out: out)
        if planOnly { loaded.planPeopleOnly() }
        let plan = loaded
        let shutdown = GracefulShutdown()
        shutdown.install()
        let say = { @Sendable (text: String) in FileHandle.standardError.write(Data(text.utf8)) }
        let started = Date()
        let outcome = try await global.withDatabase(logger: logger, gracefulShutdown: true) { target -> RunOutcome in
            let db = try await Connection.connect(target.config)
            defer { Task { await db.close() } }
            say("marketmap run: \(manifestPath) → \(plan.out.path)\n")
            let (run, resumed) = try await ManifestRun.startOrResume(plan, on: db, logger: logger, progress: { say("  " + $0 + "\n") })
            say(resumed ? "resuming run \(run)\n" : "run \(run) started\n")

            // The provider simulator of a demo manifest, on loopback for this run's workers.
            var environment: [String: String] = [:]
            var simulator: ProviderSimulator?
            if let settings = plan.manifest.simulator {
                var options = ProviderSimulator.Settings()
                options.latencyMilliseconds = settings.latencyMilliseconds
                options.errorRate = settings.errorRate
                options.tooManyRequestsRate = settings.tooManyRequestsRate
                options.retryAfterSeconds = 0
                options.seed = UInt64(max(0, settings.seed))
                let people = try settings.people.map { try PeopleDirectory.dataset($0) } ?? PeopleDirectory()
                let started = ProviderSimulator(records: try ProviderSimulator.dataset(settings.data), people: people, settings: options)
                let port = try started.start()
                environment[settings.env] = "http://127.0.0.1:\(port)"
                simulator = started
                say("provider simulator: http://127.0.0.1:\(port) answering from \(settings.data) (\(settings.env))\n")
            }
            defer { simulator?.stop() }

            let level = ["--log-level", global.logLevel.rawValue]
            let reports = OutputContract.reportsDirectory(plan.out)
            let children = ChildProcesses(
                executable: ChildProcesses.currentExecutable, databaseURL: target.config.conninfo.isEmpty ? nil : target.config.conninfo,
                logDirectory: plan.out.appendingPathComponent("logs"), logger: logger, environment: environment)
            try children.start(.init(name: "coordinator", arguments: ["coordinator"] + level))
            for index in 1...workers {
                try children.start(.init(
                    name: "worker-\(index)",
                    arguments: ["worker", "--worker-id", "run-\(run)-w\(index)", "--lease-seconds", String(leaseSeconds), "--grace-seconds", "10"] + level))
            }
            try children.start(.init(name: "reporter", arguments: ["reporter", "--out", reports.path] + level))

            let monitor = RunMonitor(tty: isatty(STDERR_FILENO) == 1, write: say)
            let runs = Runs(queue: JobQueue())
            var status: RunStatus?
            while !shutdown.isRequested {
                if let current = try await runs.status(run, on: db) {
                    monitor.update(current, try await RunMonitor.inputs(run: run, on: db))
                    status = current
                    if current.state != "running" { break }
                }
                await shutdown.sleep(.milliseconds(500))
            }
            if shutdown.isRequested {
                say("\nstopping: the run is saved; run the same command again to resume it\n")
                await children.stop()
                return RunOutcome(run: run, state: "interrupted", error: "")
            }
            // The reporter writes territories and reports once it sees the run end.
            let deadline = Date().addingTimeInterval(reportTimeout)
            let runDirectory = reports.appendingPathComponent("run-\(run)")
            while Date() < deadline, !shutdown.isRequested {
                let reported = try await RunPlan.isReported(run, on: db)
                let files = ["summary.json"] + (status?.state == "done" ? ["report.html"] : [])
                if reported, files.allSatisfy({ FileManager.default.fileExists(atPath: runDirectory.appendingPathComponent($0).path) })
                    || FileManager.default.fileExists(atPath: runDirectory.appendingPathComponent("report-error.txt").path)
                { break }
                await shutdown.sleep(.milliseconds(200))
            }
            let memory = children.peakMemory()
            await children.stop()
            try await db.transaction { db in
                try OutputContract.write(run: run, product: plan.config.products.first?.product ?? "", reports: reports, to: plan.out, on: db)
            }
            let summary = try await RunSummaryText.make(run: run, plan: plan, on: db)
            say(summary)
            let own = ChildProcesses.ownPeakMemory()
            say("  peak memory: run \(own / 1_048_576) MB, " + memory.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value / 1_048_576) MB" }.joined(separator: ", ") + "\n")
            if let simulator {
                let people = simulator.people.searches + simulator.people.verifications > 0
                    ? ", \(simulator.people.searches) people searches and \(simulator.people.verifications) email verifications" : ""
                say("  provider simulator answered \(simulator.calls) company calls\(people)\n")
            }
            if children.restarts > 0 { say("  child processes restarted after exiting: \(children.restarts)\n") }
            return RunOutcome(run: run, state: status?.state ?? "unknown", error: status?.error ?? "")
        }
        say(String(format: "total %.1f s\n", Date().timeIntervalSince(started)))
        switch outcome.state {
        case "done": return
        case "interrupted": throw ExitCode(130)
        default:
            say("run \(outcome.run) \(outcome.state): \(outcome.error)\n")
            throw ExitCode(1)
        }
    }
}

struct RunOutcome: Sendable {
    var run: Int, state: String, error: String
}

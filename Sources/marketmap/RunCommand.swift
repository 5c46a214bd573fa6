import ArgumentParser
import DevTools
import Foundation
import Pipeline
import ReportServer
import ServiceLifecycle

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
    @Option(help: ArgumentHelp(
        "After the run, keep its roles running and serve the report and the review page (with “Run now”) on HOST:PORT until Ctrl-C.",
        valueName: "host:port")) var serve: String?
    @Flag(help: "Dry run of persona discovery: the people stage shows the calls and credits its plan needs and buys nothing.") var planOnly = false

    func validate() throws {
        guard (1...64).contains(workers) else { throw ValidationError("--workers must be between 1 and 64") }
        guard leaseSeconds >= 2 else { throw ValidationError("--lease-seconds must be at least 2") }
        if let serve, HTTPAddress(parsing: serve) == nil { throw ValidationError("--serve \(serve): expected HOST:PORT or PORT") }
    }

    /// Wiring only: the provider simulator of a demo manifest and the
    /// runner (`ManifestRunner`) in one service group.
    func run() async throws {
        let logger = global.makeLogger("marketmap.run")
        var loaded = try ManifestRun.plan(manifest ?? RunPlan.bundledSample(), out: out)
        if planOnly { loaded.planPeopleOnly() }
        let plan = loaded
        let say = { @Sendable (text: String) in FileHandle.standardError.write(Data(text.utf8)) }
        let started = Date()
        var options = ManifestRunner.Options()
        options.workers = workers
        options.leaseSeconds = leaseSeconds
        options.reportTimeout = reportTimeout
        options.childArguments = ["--log-level", global.logLevel.rawValue]
        if let serve, let address = HTTPAddress(parsing: serve) {
            options.reporterArguments = ["--http", serve, "--manifest", plan.manifestPath]
            let log = plan.out.appendingPathComponent("logs/reporter.log").path
            options.serving = (address.port == 0 ? "review page: on a free port, named in \(log)" : "review page: http://\(address)/review") + "; Ctrl-C stops"
        }
        let outcome = try await global.withDatabase(logger: logger) { target in
            var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
            if let settings = plan.manifest.simulator {
                let simulator = try ProviderSimulator.forManifest(settings)
                options.environment[settings.env] = "http://127.0.0.1:\(simulator.port)"
                options.notes = {
                    let people = simulator.people.searches + simulator.people.verifications > 0
                        ? ", \(simulator.people.searches) people searches and \(simulator.people.verifications) email verifications" : ""
                    return ["provider simulator answered \(simulator.calls) company calls\(people)"]
                }
                say("provider simulator: http://127.0.0.1:\(simulator.port) answering from \(settings.data) (\(settings.env))\n")
                services.append(.init(service: simulator))
            }
            let runner = ManifestRunner(plan: plan, config: target.config, options: options, logger: logger, say: say)
            services.append(.init(service: runner, successTerminationBehavior: .gracefullyShutdownGroup))
            try await Lifecycle.run(services, logger: logger)
            return runner.outcome
        }
        say(String(format: "total %.1f s\n", Date().timeIntervalSince(started)))
        switch outcome?.ending {
        case .done: return
        case .interrupted: throw ExitCode(130)
        case .ended(let state, let error):
            say("run \(outcome?.run ?? 0) \(state): \(error)\n")
            throw ExitCode(1)
        case nil: throw ExitCode(1)
        }
    }
}

import ArgumentParser
import Foundation
import JobQueue
import Logging
import Pipeline
import ReportServer
import ServiceLifecycle

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Claim and run jobs until SIGTERM/SIGINT (then finish or release them and exit 0).")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Jobs processed at once (each on its own connection).") var concurrency = 2
    @Option(help: "Jobs claimed per round trip by each slot.") var batch = 1
    @Option(help: "Seconds a claim lasts without a heartbeat.") var leaseSeconds = 30.0
    @Option(help: "Seconds to finish in-flight jobs after SIGTERM before releasing them.") var graceSeconds = 30.0
    @Option(help: "Seconds between polls when no notification arrives.") var pollSeconds = 1.0
    @Option(help: "First retry delay after a failed job; doubles per attempt, with jitter.") var backoffBaseSeconds = 2.0
    @Option(help: "Only these job kinds (comma-separated).") var kinds: String?
    @Option(help: "Name shown as the lease owner (default host:pid).") var workerID: String?
    @OptionGroup var metrics: MetricsFlags

    func validate() throws {
        guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
        guard leaseSeconds >= 1 else { throw ValidationError("--lease-seconds must be at least 1") }
    }

    func run() async throws {
        let logger = global.makeLogger("marketmap.worker")
        var options = WorkerOptions()
        options.concurrency = concurrency
        options.batch = batch
        options.leaseSeconds = leaseSeconds
        options.graceSeconds = graceSeconds
        options.pollSeconds = pollSeconds
        options.backoffBaseSeconds = backoffBaseSeconds
        options.kinds = kinds.map { $0.split(separator: ",").map(String.init) }
        if let workerID { options.id = workerID }
        let endpoint = try metrics.options.endpoint(logger: logger)
        try await global.withDatabase(logger: logger) { target in
            let worker = Worker(config: target.config, registry: .binary, options: options, logger: logger)
            try await Lifecycle.run(role: [worker], metrics: endpoint, logger: logger)
        }
    }
}

struct CoordinatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coordinator",
        abstract: "Advance runs stage by stage and reap expired leases (one leader; extra copies stand by).")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Seconds between passes.") var tickSeconds = 0.25
    @Option(help: ArgumentHelp(
        "A manifest with a refresh section: start its runs on schedule and/or when newer exports settle in the inbox (default: $MARKETMAP_REFRESH_MANIFEST).",
        valueName: "manifest")) var refresh: String?

    func run() async throws {
        let logger = global.makeLogger("marketmap.coordinator")
        var options = CoordinatorOptions()
        options.tickSeconds = tickSeconds
        let manifest = refresh ?? ProcessInfo.processInfo.environment["MARKETMAP_REFRESH_MANIFEST"].flatMap { $0.isEmpty ? nil : $0 }
        try await global.withDatabase(logger: logger) { target in
            let coordinator = Coordinator(config: target.config, registry: .binary, options: options, logger: logger)
            var services: [any Service] = [coordinator]
            if let manifest {
                do {
                    let scheduler = try RefreshScheduler(
                        manifestPath: manifest, config: target.config, logger: logger, leadership: coordinator.leadership, tickSeconds: tickSeconds)
                    let next = await scheduler.nextScheduled
                    logger.info("refresh enabled", metadata: ["manifest": "\(manifest)", "next": "\(next.map { "\($0)" } ?? "on new exports only")"])
                    // Listed last, so it stops first: a run start in progress finishes staging.
                    services.append(scheduler)
                } catch {
                    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                    throw ExitCode(1)
                }
            }
            try await Lifecycle.run(role: services, metrics: nil, logger: logger)
        }
    }
}

struct ReporterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reporter", abstract: "Write the reports of every run that finishes; with --http, serve them and the steward's review page.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Folder for report files.") var out = "out"
    @OptionGroup var metrics: MetricsFlags
    @OptionGroup var web: ReviewServerFlags

    func run() async throws {
        let logger = global.makeLogger("marketmap.reporter")
        let endpoint = try metrics.options.endpoint(logger: logger)
        let serving = try web.options(reports: URL(fileURLWithPath: out))
        try await global.withDatabase(logger: logger) { target in
            let reporter = Reporter(config: target.config, outputDirectory: URL(fileURLWithPath: out), logger: logger)
            let server = serving.map { ReportServer(options: $0, database: target.config, logger: logger) }
            try await Lifecycle.run(role: [reporter] + (server.map { [$0] } ?? []), metrics: endpoint, logger: logger)
        }
    }
}

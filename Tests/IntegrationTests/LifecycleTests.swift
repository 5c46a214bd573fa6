import DevTools
import Foundation
import JobQueue
import Logging
import Pipeline
import Postgres
import ServiceLifecycle
import Testing
import TestSupport

/// The roles as services of one ServiceGroup, in this process: graceful
/// shutdown finishes or releases the job in flight, and the group returns.
@Suite("Roles under a service group")
struct LifecycleTests {
    let logger = Logger(label: "test.lifecycle")

    func count(_ db: Connection, _ sql: String, _ parameters: any PostgresEncodable...) async throws -> Int {
        try await db.query(sql, parameters: parameters)[0].decode(0)
    }

    /// A run of the test pipeline with one `test.sleep` job sleeping `sleepMs`.
    func sleepingJob(_ db: Connection, sleepMs: Int) async throws -> Int {
        let run = try await db.transaction { db in
            try Runs(queue: JobQueue()).create(pipeline: "test", params: PostgresJSON("{}"), stages: ["s1"], on: db)
        }
        try await JobQueue().enqueue([JobSpec(kind: "test.sleep", shard: 0, payload: "{\"sleep_ms\": \(sleepMs)}")], run: run, stage: "s1", on: db)
        return run
    }

    func worker(_ config: ConnectionConfig, grace: Double) -> Worker {
        var registry = Registry()
        TestJobs.register(into: &registry)
        var options = WorkerOptions()
        options.id = "in-process"
        options.concurrency = 1
        options.pollSeconds = 0.1
        options.graceSeconds = grace
        return Worker(config: config, registry: registry, options: options, logger: logger)
    }

    /// Starts `group`; returns the task that runs it.
    func start(_ group: ServiceGroup) -> Task<Void, any Error> {
        Task { try await group.run() }
    }

    /// Waits for `task` at most `seconds`; whether it ended in time.
    func ends(_ task: Task<Void, any Error>, within seconds: Double) async throws -> Bool {
        let ended = try await eventually(timeout: seconds) { await Self.isDone(task) }
        if ended { try await task.value }
        return ended
    }

    static func isDone(_ task: Task<Void, any Error>) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { _ = await task.result; return true }
            group.addTask { try? await Task.sleep(for: .milliseconds(20)); return false }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    /// A worker service in a group of its own, holding the one `test.sleep`
    /// job (of `sleepMs`) of a run: `body` gets the run id, the group and its task.
    func withWorkerHoldingJob(
        sleepMs: Int, grace: Double, _ body: (Connection, Int, ServiceGroup, Task<Void, any Error>) async throws -> Void
    ) async throws {
        try await withTestDatabase { config in
            let db = try await Connection.connect(config)
            let run = try await sleepingJob(db, sleepMs: sleepMs)
            let group = ServiceGroup(services: [worker(config, grace: grace)], logger: logger)
            let running = start(group)
            #expect(try await eventually { try await count(db, "SELECT count(*) FROM jobs WHERE state = 'running' AND lease_owner = 'in-process'") == 1 })
            try await body(db, run, group, running)
            await db.close()
        }
    }

    @Test("graceful shutdown while a job runs: the worker finishes it, completes it once, and the group returns")
    func workerFinishesInFlightJob() async throws {
        try await withWorkerHoldingJob(sleepMs: 1500, grace: 20) { db, run, group, running async throws in
            await group.triggerGracefulShutdown()
            #expect(try await ends(running, within: 15), "the group returns once the job is done")
            #expect(try await count(db, "SELECT count(*) FROM queue_test_effects WHERE run_id = $1", run) == 1)
            #expect(try await count(db, "SELECT count(*) FROM jobs WHERE run_id = $1", run) == 0, "completed, not held")
        }
    }

    @Test("graceful shutdown with a job longer than the grace period: the job is released (no attempt charged), the group returns within the grace, and the abandoned handler's late completion is rolled back")
    func workerReleasesAfterGrace() async throws {
        // A job of 20 s against a grace of 0.5 s: under the whole suite's load the release
        // has been seen to take 8 s (a new connection, then the slot's return), still far from the job's end.
        try await withWorkerHoldingJob(sleepMs: 20000, grace: 0.5) { db, run, group, running async throws in
            let signalled = Date()
            await group.triggerGracefulShutdown()
            #expect(try await ends(running, within: 15), "returns after the grace period, not after the job")
            #expect(Date().timeIntervalSince(signalled) < 15)
            #expect(try await count(db, "SELECT count(*) FROM jobs WHERE run_id = $1 AND state = 'queued' AND lease_owner IS NULL AND attempts = 0", run) == 1)
            // The abandoned handler wakes up after 20 s and tries to complete: its lease is gone.
            try await Task.sleep(for: .seconds(max(1, 21 - Date().timeIntervalSince(signalled))))
            #expect(try await count(db, "SELECT count(*) FROM queue_test_effects WHERE run_id = $1", run) == 0)
            #expect(try await count(db, "SELECT count(*) FROM jobs WHERE run_id = $1 AND state = 'queued'", run) == 1)
        }
    }

    @Test("cancelling the group releases the job in flight at once")
    func workerCancelled() async throws {
        try await withWorkerHoldingJob(sleepMs: 10000, grace: 30) { db, run, _, running async throws in
            let cancelled = Date()
            running.cancel()
            #expect(try await eventually(timeout: 7) { await Self.isDone(running) }, "no grace period on cancellation")
            #expect(try await count(db, "SELECT count(*) FROM jobs WHERE run_id = $1 AND state = 'queued' AND lease_owner IS NULL", run) == 1)
            try await Task.sleep(for: .seconds(max(1, 11 - Date().timeIntervalSince(cancelled))))
            #expect(try await count(db, "SELECT count(*) FROM queue_test_effects WHERE run_id = $1", run) == 0)
        }
    }

    @Test("metrics endpoint, coordinator, refresh scheduler and reporter in one group: the scheduler starts a run while the coordinator leads; each stops at graceful shutdown, the endpoint stops listening")
    func everyRoleStops() async throws {
        try await withTestDatabase { config in
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("mm-lifecycle-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: out) }
            try FileManager.default.createDirectory(at: out.appendingPathComponent("inbox"), withIntermediateDirectories: true)
            try Data(NightlyRefreshTests.configWithoutEnrichment.utf8).write(to: out.appendingPathComponent("marketmap.yaml"))
            let export = out.appendingPathComponent("inbox/crm-1.csv")
            try Data(NightlyRefreshTests.firstExport.utf8).write(to: export)
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-3600)], ofItemAtPath: export.path)
            let manifest = out.appendingPathComponent("manifest.yaml")
            try Data("""
                config: marketmap.yaml
                refresh: {watch: true}
                sources:
                  - {source: crm, format: salesforce, kind: accounts, file: "inbox/crm-*.csv"}
                """.utf8).write(to: manifest)
            let metrics = try MetricsEndpoint(address: "127.0.0.1", port: 0, logger: logger)
            let coordinator = Coordinator(config: config, registry: .standard, options: CoordinatorOptions(), logger: logger)
            let scheduler = try RefreshScheduler(manifestPath: manifest.path, config: config, logger: logger, leadership: coordinator.leadership)
            let reporter = Reporter(config: config, outputDirectory: out, logger: logger)
            let group = ServiceGroup(services: [metrics, coordinator, scheduler, reporter], logger: logger)
            let running = start(group)
            #expect(try await eventually { coordinator.leadership.isLeader }, "the coordinator leads")
            let db = try await Connection.connect(config)
            #expect(try await eventually { try await count(db, "SELECT count(*) FROM runs WHERE pipeline = 'market'") == 1 }, "the scheduler saw the export")
            await db.close()
            let url = "http://127.0.0.1:\(metrics.port)/metrics"
            #expect(try await onThread { try httpRequest(url) }.status == 200)
            await group.triggerGracefulShutdown()
            // The scheduler first lets the start it began finish (staging the export): under the
            // whole suite's load that has taken more than 10 s. What is tested is that every service stops.
            #expect(try await ends(running, within: 30))
            #expect(!coordinator.leadership.isLeader)
            let after = try await onThread { try httpRequest(url) }
            #expect(after.status == nil && after.transportError != nil, "nothing listens any more: \(after)")
        }
    }

    @Test("a child of `marketmap run` whose parent is gone shuts its group down by itself")
    func parentGone() async throws {
        let parent = Process()
        parent.executableURL = URL(fileURLWithPath: "/bin/true")
        try parent.run()
        parent.waitUntilExit()
        let watch = try #require(ParentWatch(environment: ["MARKETMAP_PARENT_PID": String(parent.processIdentifier)]))
        #expect(ParentWatch(environment: [:]) == nil, "no watch outside `marketmap run`")
        try await withTestDatabase { config in
            let coordinator = Coordinator(config: config, registry: .standard, options: CoordinatorOptions(), logger: logger)
            let group = ServiceGroup(configuration: ServiceGroupConfiguration(
                services: [.init(service: watch, successTerminationBehavior: .gracefullyShutdownGroup), .init(service: coordinator)],
                logger: logger))
            let running = start(group)
            let ended = try await ends(running, within: 10)
            #expect(ended, "the watch ended the group")
        }
    }
}

import Enrichment
import Foundation
import JobQueue
import Logging
import MarketMapCore
import Pipeline
import Postgres
import TestSupport
import Testing

/// The queue and its roles as real processes: workers, coordinators, crashes,
/// signals, a database restart. Every assertion is on database state.
@Suite("Cluster: real coordinator and worker processes", .serialized, .tags(.process), .notFast)
struct ClusterTests {
    func count(_ db: Connection, _ sql: String, _ parameters: any PostgresEncodable...) async throws -> Int {
        try await db.query(sql, parameters: parameters)[0].decode(0)
    }

    @Test("2 workers × 20,000 jobs: every effect exactly once, no job left")
    func exactlyOnce() async throws {
        try await withTestDatabase { config in
            let cluster = Cluster(config)
            defer { cluster.stopAll() }
            try cluster.coordinator()
            try cluster.worker("w1", batch: 50)
            try cluster.worker("w2", batch: 50)
            let run = try await cluster.startRun(["shards": "20000"])
            let result = try await cluster.wait(run: run)
            #expect(result.status == 0, "\(result.output)")
            let db = try await Connection.connect(config)
            #expect(try await count(db, "SELECT count(*) FROM queue_test_effects WHERE run_id = $1", run) == 20_000)
            #expect(try await count(db, "SELECT count(DISTINCT shard) FROM queue_test_effects WHERE run_id = $1", run) == 20_000)
            #expect(try await count(db, "SELECT count(*) FROM jobs") == 0)
            #expect(try await count(db, "SELECT count(DISTINCT worker) FROM queue_test_effects WHERE run_id = $1", run) == 2)
            await db.close()
        }
    }

    @Test("a worker killed with SIGKILL mid-job: the lease expires, another worker finishes, effect once")
    func sigkillMidJob() async throws {
        try await withTestDatabase { config in
            let cluster = Cluster(config)
            defer { cluster.stopAll() }
            let db = try await Connection.connect(config)
            try cluster.coordinator()
            let victim = try cluster.worker("victim", concurrency: 1, batch: 1, lease: 2)
            let run = try await cluster.startRun(["shards": "3", "kind": "test.sleep", "sleep_ms": "1500"])
            #expect(try await eventually {
                try await count(db, "SELECT count(*) FROM jobs WHERE state = 'running' AND lease_owner = 'victim'") == 1
            })
            kill(victim.process.processIdentifier, SIGKILL)
            // On a loaded machine the victim may have finished a job before the poll saw one running:
            // those effects are its own; the job it was killed in must not be.
            let finishedByVictim = try await count(db, "SELECT count(*) FROM queue_test_effects WHERE run_id = $1 AND worker = 'victim'", run)
            #expect(finishedByVictim < 3)
            try cluster.worker("rescuer", concurrency: 3, batch: 1, lease: 2)
            let result = try await cluster.wait(run: run)
            #expect(result.status == 0, "\(result.output)")
            #expect(try await count(db, "SELECT count(*) FROM queue_test_effects WHERE run_id = $1", run) == 3)
            #expect(try await count(db, "SELECT count(DISTINCT shard) FROM queue_test_effects WHERE run_id = $1", run) == 3)
            #expect(try await count(db, "SELECT count(*) FROM queue_test_effects WHERE run_id = $1 AND worker = 'victim'", run) == finishedByVictim)
            #expect(try await count(db, "SELECT count(*) FROM queue_test_effects WHERE run_id = $1 AND worker = 'rescuer'", run) == 3 - finishedByVictim)
            await db.close()
        }
    }

    @Test("a long job reports its progress from inside: the stage's share moves before the job ends, and only while the job runs")
    func progressFromInside() async throws {
        try await withTestDatabase { config in
            let cluster = Cluster(config)
            defer { cluster.stopAll() }
            let db = try await Connection.connect(config)
            try cluster.coordinator()
            let worker = try cluster.worker("w1", concurrency: 1, batch: 1)
            // Ten tenths of 1.2 s: the worker writes progress every 2 s, so a loaded machine still sees several.
            let run = try await cluster.startRun(["shards": "1", "kind": "test.sleep", "sleep_ms": "12000"])
            let runs = Runs(queue: JobQueue())
            // A loaded machine may take long to start the worker: watch the share once the job runs.
            #expect(try await eventually(timeout: 120) {
                try await count(db, "SELECT count(*) FROM jobs WHERE run_id = $1 AND state = 'running'", run) == 1
            }, "the job never started; the worker said:\n\(worker.text)")
            var shares: [Double] = []
            #expect(try await eventually(timeout: 30) {
                guard let stage = try await runs.status(run, on: db)?.stages.first, stage.state == .running, stage.jobsDone == 0 else { return false }
                shares.append(stage.share)
                return stage.share >= 0.2 && stage.share < 1
            }, "the share of a one-job stage before the job ended: \(shares); the worker said:\n\(worker.text)")
            let stored: Double? = try await db.query("SELECT progress::float8 FROM jobs WHERE run_id = $1", run).first?.decode(0)
            #expect(stored.map { $0 > 0 && $0 < 1 } == true, "\(String(describing: stored))")
            let result = try await cluster.wait(run: run)
            #expect(result.status == 0, "\(result.output)")
            #expect(try await runs.status(run, on: db)?.stages.first?.share == 1)
            await db.close()
        }
    }

    @Test("a job that always fails: retried with growing delays, then a dead letter; `queue retry` brings it back")
    func deadLetterAndRetry() async throws {
        try await withTestDatabase { config in
            let cluster = Cluster(config)
            defer { cluster.stopAll() }
            try cluster.coordinator()
            try cluster.worker("w1", extra: ["--backoff-base-seconds", "0.3"])
            let run = try await cluster.startRun(["shards": "1", "kind": "test.fail", "fail_times": "1000", "max_attempts": "4"])
            let result = try await cluster.wait(run: run)
            #expect(result.status == 1)
            #expect(result.output.contains("injected failure on attempt 4"), "\(result.output)")

            let db = try await Connection.connect(config)
            let letter = try await db.query("SELECT attempts, last_error, history::text FROM dead_letters WHERE run_id = $1", run)
            #expect(letter.count == 1)
            #expect(try letter[0].decode(0, as: Int.self) == 4)
            let history = try JSONSerialization.jsonObject(with: Data(try letter[0].decode(2, as: String.self).utf8)) as? [[String: Any]] ?? []
            // Three retries were scheduled; the fourth failure made the dead letter.
            let delays = history.compactMap { $0["retry_in_s"] as? Double }
            #expect(delays.count == 3)
            // Ceilings 0.3, 0.6, 1.2, 2.4 s; each delay is in [50 %, 100 %] of its ceiling.
            for (index, delay) in delays.enumerated() {
                let ceiling = 0.3 * Double(1 << index)
                #expect(delay >= ceiling / 2 - 0.001 && delay <= ceiling + 0.001, "attempt \(index + 1): \(delay)")
            }
            let stamps = history.compactMap { ($0["at"] as? String) }
            #expect(stamps.count == 4)

            let dead = try await MarketMapBinary.run(["queue", "dead"], environment: cluster.environment)
            #expect(dead.output.contains("injected failure on attempt 4"), "\(dead.output)")
            let retry = try await MarketMapBinary.run(["queue", "retry", "--run", String(run)], environment: cluster.environment)
            #expect(retry.status == 0, "\(retry.output)")
            #expect(retry.output.contains("1 job(s) back"))
            #expect(try await count(db, "SELECT count(*) FROM dead_letters") == 0)
            #expect(try await count(db, "SELECT count(*) FROM jobs WHERE run_id = $1", run) == 1)
            #expect(try await db.query("SELECT state FROM runs WHERE id = $1", run)[0].decode(0, as: String.self) == "running")
            await db.close()
        }
    }

    /// The dead letters of a run: (attempts, lease expiries, cause, last error, history entries).
    func deadLetters(_ db: Connection, run: Int) async throws -> [(attempts: Int, leaseExpiries: Int, cause: String, error: String, history: Int)] {
        try await db.query("""
            SELECT attempts, lease_expiries, cause, last_error, jsonb_array_length(history)::int8
            FROM dead_letters WHERE run_id = $1 ORDER BY shard
            """, run).map { row in
            (try row.decode(0), try row.decode(1), try row.decode(2), try row.decode(3), try row.decode(4))
        }
    }

    @Test("a handler's permanent error: a dead letter after exactly 1 of 5 attempts, with its reason; marked permanent; `queue retry` still works")
    func permanentError() async throws {
        try await withTestDatabase { config in
            let cluster = Cluster(config)
            defer { cluster.stopAll() }
            try cluster.coordinator()
            try cluster.worker("w1", extra: ["--backoff-base-seconds", "0.2"])
            let run = try await cluster.startRun(["shards": "1", "kind": "test.permanent", "reason": "the CRM export has no header", "max_attempts": "5"])
            let result = try await cluster.wait(run: run)
            #expect(result.status == 1)
            #expect(result.output.contains("permanent error, not retried: injected permanent failure: the CRM export has no header"), "\(result.output)")
            let db = try await Connection.connect(config)
            let letters = try await deadLetters(db, run: run)
            #expect(letters.count == 1)
            #expect(letters.first?.attempts == 1, "no retry: \(letters)")
            #expect(letters.first?.history == 1)
            #expect(letters.first?.cause == "permanent")
            #expect(letters.first?.error == "injected permanent failure: the CRM export has no header")

            let dead = try await MarketMapBinary.run(["queue", "dead"], environment: cluster.environment)
            #expect(dead.output.contains("attempts 1/5"), "\(dead.output)")
            #expect(dead.output.contains("permanent  died"), "\(dead.output)")
            #expect(dead.output.contains("why: permanent error (a retry cannot fix it, so it ran once)"), "\(dead.output)")
            let id = try await db.query("SELECT id FROM dead_letters WHERE run_id = $1", run)[0].decode(0, as: Int.self)
            let retry = try await MarketMapBinary.run(["queue", "retry", "--id", String(id)], environment: cluster.environment)
            #expect(retry.output.contains("1 job(s) back"), "\(retry.output)")
            // It fails the same way again (the cause is not fixed): dead again, once more after 1 attempt.
            #expect(try await eventually { try await count(db, "SELECT count(*) FROM dead_letters WHERE run_id = $1 AND attempts = 1", run) == 1 })
            await db.close()
        }
    }

    @Test("a payload that does not decode: a dead letter at once, naming the field")
    func payloadDoesNotDecode() async throws {
        try await withTestDatabase { config in
            let cluster = Cluster(config)
            defer { cluster.stopAll() }
            try cluster.coordinator()
            try cluster.worker("w1", extra: ["--backoff-base-seconds", "0.2"])
            // `sleep_ms=soon` is text where the handler decodes an integer.
            let run = try await cluster.startRun(["shards": "2", "kind": "test.sleep", "sleep_ms": "soon", "max_attempts": "5"])
            let result = try await cluster.wait(run: run)
            #expect(result.status == 1)
            #expect(result.output.contains("permanent error, not retried: job "), "\(result.output)")
            let db = try await Connection.connect(config)
            let letters = try await deadLetters(db, run: run)
            #expect(letters.map(\.attempts) == [1, 1])
            #expect(letters.allSatisfy { $0.cause == "permanent" && $0.error.contains("the payload does not decode: field sleep_ms: expected Int") }, "\(letters)")
            #expect(try await count(db, "SELECT count(*) FROM queue_test_effects WHERE run_id = $1", run) == 0)
            await db.close()
        }
    }

    @Test("a configuration that does not parse: the run fails when its first stage is planned, with the key path, before any job")
    func configErrorInJob() async throws {
        try await withTestDatabase { config in
            let cluster = Cluster(config)
            defer { cluster.stopAll() }
            try cluster.coordinator()
            try cluster.worker("w1", extra: ["--backoff-base-seconds", "0.2"])
            // `runs start --config` validates the file; a raw `config` param is how a bad one reaches a run.
            let started = try await MarketMapBinary.run(
                ["runs", "start", "--pipeline", "market", "--param", "shards=1", "--param", "config=icp: 12"], environment: cluster.environment)
            let run = try #require(Int(started.output.split(separator: "\n").last ?? ""), "\(started.output)")
            let result = try await cluster.wait(run: run)
            #expect(result.status == 1)
            #expect(result.output.contains("stage normalize could not be planned: the run's configuration: icp: expected"), "\(result.output)")
            let db = try await Connection.connect(config)
            #expect(try await deadLetters(db, run: run).isEmpty)
            #expect(try await count(db, "SELECT count(*) FROM jobs WHERE run_id = $1", run) == 0, "no job was planned")
            await db.close()
        }
    }

    @Test("a job that SIGKILLs every worker it runs on: requeued without charging attempts, a dead letter after max_lease_expiries; the other jobs finish")
    func workerKillingJob() async throws {
        try await withTestDatabase { config in
            let cluster = Cluster(config)
            defer { cluster.stopAll() }
            try cluster.coordinator()
            // One job at a time per worker: shard 0 kills exactly the worker that runs it.
            let workers = try (1...4).map { try cluster.worker("w\($0)", concurrency: 1, batch: 1, lease: 1) }
            // max_attempts 1: were a lost worker charged an attempt, the first kill would make the dead letter.
            let run = try await cluster.startRun(
                ["shards": "6", "kind": "test.crash", "crash_shard": "0", "max_attempts": "1", "max_lease_expiries": "3"])
            let result = try await cluster.wait(run: run)
            #expect(result.status == 1)
            #expect(result.output.contains("worker lost 3 times: the lease expired each time"), "\(result.output)")
            let db = try await Connection.connect(config)
            let letters = try await deadLetters(db, run: run)
            #expect(letters.count == 1)
            #expect((letters.first?.attempts, letters.first?.leaseExpiries, letters.first?.cause) == (0, 3, "lease_expiries"), "\(letters)")
            #expect(workers.filter { !$0.process.isRunning }.count == 3, "the poison job killed 3 workers, no more")
            #expect(try await count(db, "SELECT count(*) FROM queue_test_effects WHERE run_id = $1", run) == 5)
            #expect(try await count(db, "SELECT count(DISTINCT shard) FROM queue_test_effects WHERE run_id = $1 AND shard > 0", run) == 5)
            let dead = try await MarketMapBinary.run(["queue", "dead"], environment: cluster.environment)
            #expect(dead.output.contains("attempts 0/1  workers lost 3/3"), "\(dead.output)")
            #expect(dead.output.contains("why: worker lost too often"), "\(dead.output)")
            await db.close()
        }
    }

    @Test("SIGTERM: the worker finishes in-flight jobs, exits 0 within the grace period, holds nothing")
    func sigterm() async throws {
        try await withTestDatabase { config in
            let cluster = Cluster(config)
            defer { cluster.stopAll() }
            let db = try await Connection.connect(config)
            try cluster.coordinator()
            let worker = try cluster.worker("w1", concurrency: 2, batch: 1, extra: ["--grace-seconds", "10"])
            let run = try await cluster.startRun(["shards": "20", "kind": "test.sleep", "sleep_ms": "800"])
            #expect(try await eventually {
                try await count(db, "SELECT count(*) FROM jobs WHERE state = 'running' AND lease_owner = 'w1'") > 0
            })
            let signalled = Date()
            worker.process.terminate()
            let status = try await worker.waitForExit()
            #expect(status == 0, "\(worker.text)")
            #expect(Date().timeIntervalSince(signalled) < 10)
            #expect(try await count(db, "SELECT count(*) FROM jobs WHERE state = 'running'") == 0)
            let finished = try await count(db, "SELECT count(*) FROM queue_test_effects WHERE run_id = $1", run)
            #expect(finished >= 1)
            #expect(try await count(db, "SELECT count(*) FROM jobs WHERE run_id = $1", run) == 20 - finished)
            await db.close()
        }
    }

    @Test("the leader coordinator killed mid-run: the standby takes over and the run completes")
    func leaderFailover() async throws {
        try await withTestDatabase { config in
            let cluster = Cluster(config)
            defer { cluster.stopAll() }
            let leader = try cluster.coordinator()
            #expect(try await leader.waitFor("coordinator is the leader"))
            let standby = try cluster.coordinator()
            #expect(try await standby.waitFor("standing by"))
            let run = try await cluster.startRun(["shards": "50", "stages": "3"])
            let db = try await Connection.connect(config)
            #expect(try await eventually { try await count(db, "SELECT count(*) FROM jobs WHERE run_id = $1", run) == 50 })
            kill(leader.process.processIdentifier, SIGKILL)
            try cluster.worker("w1")
            let result = try await cluster.wait(run: run)
            #expect(result.status == 0, "\(result.output)")
            #expect(standby.text.contains("coordinator is the leader"))
            #expect(try await count(db, "SELECT count(*) FROM queue_test_effects WHERE run_id = $1", run) == 150)
            await db.close()
        }
    }

    @Test("the reporter writes the summary of every finished run, once")
    func reporter() async throws {
        try await withTestDatabase { config in
            let cluster = Cluster(config)
            defer { cluster.stopAll() }
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("mm-reports-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: out) }
            try cluster.coordinator()
            try cluster.worker("w1")
            let reporter = try cluster.start(["reporter", "--out", out.path])
            let run = try await cluster.startRun(["shards": "10", "stages": "2"])
            #expect(try await cluster.wait(run: run).status == 0)
            let file = out.appendingPathComponent("run-\(run)/summary.json")
            #expect(try await eventually { FileManager.default.fileExists(atPath: file.path) })
            let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any]
            #expect(summary?["state"] as? String == "done")
            #expect((summary?["stages"] as? [[String: Any]])?.map { $0["jobsDone"] as? Int } == [10, 10])
            #expect(try await reporter.waitFor("run report written"))
        }
    }

    @Test("a three-stage run completes in order: each stage starts after the previous one finished")
    func stageBarriers() async throws {
        try await withTestDatabase { config in
            let cluster = Cluster(config)
            defer { cluster.stopAll() }
            try cluster.coordinator()
            try cluster.worker("w1")
            try cluster.worker("w2")
            let run = try await cluster.startRun(["shards": "40", "stages": "3"])
            let result = try await cluster.wait(run: run)
            #expect(result.status == 0, "\(result.output)")
            let db = try await Connection.connect(config)
            let overlaps = try await count(db, """
                SELECT count(*) FROM queue_test_effects later
                JOIN queue_test_effects earlier ON earlier.run_id = later.run_id AND earlier.stage < later.stage
                WHERE later.run_id = $1 AND later.finished_at < earlier.finished_at
                """, run)
            #expect(overlaps == 0)
            #expect(try await count(db, "SELECT count(*) FROM queue_test_effects WHERE run_id = $1", run) == 120)
            let stages = try await db.query(
                "SELECT stage, state, jobs_total, jobs_done FROM run_stages WHERE run_id = $1 ORDER BY position", run)
            #expect(try stages.map { try $0.decode(0, as: String.self) } == ["s1", "s2", "s3"])
            #expect(try stages.allSatisfy { try $0.decode(1, as: String.self) == "done" && $0.decode(3, as: Int.self) == 40 })
            await db.close()
        }
    }

    @Test("the merge pipeline in 5 shards on 2 workers gives the same golden accounts as the one-process merge")
    func shardedMerge() async throws {
        try await withTestDatabase { config in
            let db = try await Connection.connect(config)
            try await MergeStageTests().load(db)
            let cluster = Cluster(config)
            defer { cluster.stopAll() }
            try cluster.coordinator()
            try cluster.worker("w1")
            try cluster.worker("w2")
            let arguments = ["runs", "start", "--pipeline", "merge", "--param", "shards=5", "--param", "source_priority=acme-sfdc,acme-hubspot"]
            let started = try await MarketMapBinary.run(arguments, environment: cluster.environment)
            let run = try #require(Int(started.output.split(separator: "\n").last ?? ""), "\(started.output)")
            let result = try await cluster.wait(run: run)
            #expect(result.status == 0, "\(result.output)")
            let lineage = { () async throws -> [String] in
                try await db.query("SELECT source, source_id, golden_id, match_method FROM account_lineage ORDER BY 1, 2").map {
                    "\(try $0.decode(0, as: String.self))/\(try $0.decode(1, as: String.self))=\(try $0.decode(2, as: Int.self)):\(try $0.decode(3, as: String.self))"
                }
            }
            let sharded = try await lineage()
            #expect(sharded.count == 9)
            #expect(try await count(db, "SELECT count(*) FROM golden_accounts") == 6)
            #expect(try await count(db, "SELECT count(*) FROM merge_edges") == 0, "resolve drops its run's edges")
            // The one-process merge over the same data changes nothing.
            _ = try await AccountMerger(sourcePriority: ["acme-sfdc", "acme-hubspot"], logger: Logger(label: "test")).merge(on: db)
            #expect(try await lineage() == sharded)
            await db.close()
        }
    }

    @Test("a staged file is normalized by 2 workers in line-range jobs exactly as the one-process import does it")
    func normalizeJobs() async throws {
        try await withTestDatabase { config in
            let db = try await Connection.connect(config)
            var text = "Account ID,Account Name,Website,Employees,Notes\n"
            for i in 1...2_000 {
                let notes = i % 7 == 0 ? "\"two\nlines, quoted\"" : "n\(i)"
                text += "\(i),Company \(i),company\(i % 1_900).com,\(i % 50 == 0 ? "many" : String(i)),\(notes)\n"
            }
            text += "17,Company 17 again,company17.com,17,dup\n"
            let path = try ImportTests().write(text)
            let cluster = Cluster(config)
            defer { cluster.stopAll() }
            let staged = try await MarketMapBinary.run(
                ["import", "--stage-only", "--source", "fleet", "--format", "salesforce", path], environment: cluster.environment)
            #expect(staged.output.contains("staged 2001 records"), "\(staged.output)")
            try cluster.coordinator()
            try cluster.worker("w1")
            try cluster.worker("w2")
            let started = try await MarketMapBinary.run(
                ["runs", "start", "--pipeline", "import", "--param", "lines_per_job=150"], environment: cluster.environment)
            let run = try #require(Int(started.output.split(separator: "\n").last ?? ""), "\(started.output)")
            #expect(try await cluster.wait(run: run).status == 0)
            #expect(try await count(db, "SELECT jobs_total FROM run_stages WHERE run_id = $1", run) > 10)
            #expect(try await count(db, "SELECT count(*) FROM import_raw_rows") == 0, "every range deleted its staged rows")
            #expect(try await count(db, "SELECT count(*) FROM import_files WHERE status = 'done' AND rows_new = 1960") == 1)
            #expect(try await count(db, "SELECT count(*) FROM rejected_rows WHERE reason LIKE 'duplicate record id \"17\"%'") == 1)
            #expect(try await count(db, "SELECT count(*) FROM rejected_rows WHERE reason LIKE 'employee count%'") == 40)
            // The same file through the one-process path, as another source: the same rows.
            let importer = Importer(domains: DomainNormalizer(resolver: LibPSLResolver.shared), logger: Logger(label: "test"))
            let report = try await importer.importFile(path, source: "local", format: .salesforce, on: db)
            #expect((report.read, report.new, report.rejected) == (2_001, 1_960, 41))
            #expect(try await count(db, """
                SELECT count(*) FROM source_accounts a FULL JOIN source_accounts b
                  ON a.source = 'fleet' AND b.source = 'local' AND a.source_id = b.source_id AND a.content_hash = b.content_hash
                WHERE (a.source = 'fleet' OR b.source = 'local') AND (a.source_id IS NULL OR b.source_id IS NULL)
                """) == 0)
            await db.close()
        }
    }

    @Test("PostgreSQL restarted mid-run: workers and coordinator reconnect; effects exact")
    func databaseRestart() async throws {
        let directory = URL(fileURLWithPath: "/tmp/mm-restart-\(getpid())")
        var options = EmbeddedServerOptions(dataDirectory: directory)
        options.durable = false
        options.removeOnStop = false
        let server = EmbeddedServer(options: options)
        defer {
            server.stop()
            try? FileManager.default.removeItem(at: directory)
            try? FileManager.default.removeItem(at: server.socketDirectory)
        }
        let logger = Logger(label: "restart-test")
        try await server.start(logger: logger)
        let setup = try await Connection.connect(server.connectionConfig)
        try await Migrator(directory: TestServer.sqlDirectory).migrate(setup, logger: logger)
        await setup.close()

        let cluster = Cluster(server.connectionConfig)
        defer { cluster.stopAll() }
        try cluster.coordinator()
        try cluster.worker("w1", batch: 5)
        try cluster.worker("w2", batch: 5)
        let run = try await cluster.startRun(["shards": "300", "stages": "2", "kind": "test.sleep", "sleep_ms": "15"])
        let probe = try await Connection.connect(server.connectionConfig)
        #expect(try await eventually { try await count(probe, "SELECT count(*) FROM queue_test_effects") >= 50 })
        await probe.close()
        server.stop()
        try await Task.sleep(for: .seconds(1))
        try await server.start(logger: logger)

        let result = try await cluster.wait(run: run)
        #expect(result.status == 0, "\(result.output)")
        let db = try await Connection.connect(server.connectionConfig)
        #expect(try await count(db, "SELECT count(*) FROM queue_test_effects WHERE run_id = $1", run) == 600)
        #expect(try await count(db, "SELECT count(DISTINCT (stage, shard)) FROM queue_test_effects WHERE run_id = $1", run) == 600)
        #expect(try await count(db, "SELECT count(*) FROM jobs") == 0)
        await db.close()
        #expect(cluster.processes.allSatisfy { $0.process.isRunning }, "a role died instead of reconnecting")
    }
}

import ArgumentParser
import Foundation
import JobQueue
import Logging
import Pipeline
import Postgres

struct QueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue", abstract: "Inspect and repair the job queue.",
        subcommands: [Stats.self, Dead.self, Retry.self, Purge.self, Limit.self])

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Jobs per kind and state, with the age of the oldest.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let logger = global.makeLogger("marketmap.queue")
            try await global.withConnection(logger: logger) { db, _ in
                let stats = try await JobQueue().stats(on: db)
                if stats.isEmpty { print("the queue is empty") }
                print(pad("kind", 22) + pad("state", 10) + pad("jobs", 10) + "oldest")
                for stat in stats {
                    print(pad(stat.kind, 22) + pad(stat.state, 10) + pad(String(stat.count), 10) + duration(stat.oldestAgeSeconds))
                }
            }
        }
    }

    struct Dead: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List dead letters with their last error and why they died.",
            discussion: """
                Each dead letter says why it died: "attempts used up" (it failed max_attempts times), \
                "permanent error" (its handler said a retry cannot fix it: a configuration or payload error; \
                it ran once) or "worker lost too often" (its lease expired max_lease_expiries times: a job \
                that kills or hangs its worker). Fix the cause, then `marketmap queue retry`.
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this run.") var run: Int?
        @Option(help: "At most this many.") var limit = 50
        @Flag(help: "Show each attempt's error.") var history = false

        func run() async throws {
            let logger = global.makeLogger("marketmap.queue")
            try await global.withConnection(logger: logger) { db, _ in
                let letters = try await JobQueue().deadLetters(run: run, limit: limit, on: db)
                if letters.isEmpty { print("no dead letters") }
                for letter in letters {
                    print("job \(letter.id)  run \(letter.runID)  \(letter.stage)/\(letter.shard)  \(letter.kind)  "
                        + "attempts \(letter.attempts)/\(letter.maxAttempts)  workers lost \(letter.leaseExpiries)/\(letter.maxLeaseExpiries)  "
                        + "\(letter.isPermanent ? "permanent  " : "")died \(letter.diedAt.formatted(.iso8601))")
                    print("  why: \(letter.cause.summary)\(letter.isPermanent ? " (a retry cannot fix it, so it ran once)" : "")")
                    print("  last error: \(letter.lastError)")
                    if history { print("  history: \(letter.history)") }
                }
            }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put dead letters back in the queue with fresh attempts (whatever they died of).")
        @OptionGroup var global: GlobalOptions
        @Option(name: .customLong("id"), help: "Dead letter id (repeatable).") var ids: [Int] = []
        @Option(name: .customLong("run"), help: "Every dead letter of this run (repeatable).") var runs: [Int] = []
        @Flag(help: "Every dead letter.") var all = false

        func validate() throws {
            if ids.isEmpty && runs.isEmpty && !all { throw ValidationError("say which: --id N, --run N or --all") }
        }

        func run() async throws {
            let logger = global.makeLogger("marketmap.queue")
            try await global.withConnection(logger: logger) { db, _ in
                let ids = self.ids, runs = self.runs, all = self.all
                let count = try await db.transaction { db in
                    try JobQueue().retryDeadLetters(ids: ids, runs: runs, all: all, on: db)
                }
                print("\(count) job(s) back in the queue")
            }
        }
    }

    struct Purge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete finished runs and dead letters older than a given age.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Age in hours.") var olderThanHours = 168.0

        func run() async throws {
            let logger = global.makeLogger("marketmap.queue")
            try await global.withConnection(logger: logger) { db, _ in
                let (runs, letters) = try await JobQueue().purge(olderThanSeconds: olderThanHours * 3600, on: db)
                print("deleted \(runs) finished run(s) and \(letters) dead letter(s)")
            }
        }
    }
}

extension QueueCommand {
    struct Limit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cap how many jobs of a kind run at once across all workers (e.g. a rate-limited provider).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Job kind.") var kind: String
        @Argument(help: "Most jobs of that kind running at once.") var maxRunning: Int

        func validate() throws {
            guard maxRunning >= 1 else { throw ValidationError("max-running must be at least 1") }
        }

        func run() async throws {
            let logger = global.makeLogger("marketmap.queue")
            try await global.withConnection(logger: logger) { db, _ in
                try await JobQueue().setConcurrencyLimit(kind: kind, maxRunning: maxRunning, on: db)
                print("at most \(maxRunning) \(kind) job(s) will run at once")
            }
        }
    }
}

func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
}

func duration(_ seconds: Double) -> String {
    if seconds < 120 { return String(format: "%.0fs", seconds) }
    if seconds < 7200 { return String(format: "%.0fm", seconds / 60) }
    return String(format: "%.1fh", seconds / 3600)
}

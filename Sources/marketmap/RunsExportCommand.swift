import ArgumentParser
import Foundation
import JobQueue
import Pipeline
import Postgres

extension RunsCommand {
    /// The output contract of a run made by a fleet (docker compose,
    /// ops/cluster): the same files `marketmap run` leaves in its output
    /// directory, from the database and the reporter's folder.
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a finished run's output contract (the files `marketmap run` writes) from the database and the reporter's folder.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Run id.") var run: Int
        @Option(help: "The reporter's --out folder (its run-<id>/ files are copied).") var reports = "out"
        @Option(help: "Output directory.") var out: String

        func run() async throws {
            let logger = global.makeLogger("marketmap.runs")
            let (run, reports, out) = (self.run, URL(fileURLWithPath: reports), URL(fileURLWithPath: out))
            try await global.withConnection(logger: logger) { db, _ in
                try await db.transaction { db in
                    guard let state = try Runs(queue: JobQueue()).state(run, on: db)?.state else { throw ValidationError("no run \(run)") }
                    guard state.isFinished else {
                        throw ValidationError("run \(run) has not finished: wait for it (`marketmap runs wait \(run)`)")
                    }
                    try OutputContract.write(run: run, product: try OutputContract.product(ofRun: run, on: db), reports: reports, to: out, on: db)
                    print("run \(run) (\(state.rawValue)): output written to \(out.path)")
                }
            }
        }
    }
}

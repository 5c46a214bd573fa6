import ArgumentParser
import Foundation
import JobQueue
import Pipeline
import Postgres

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the progress of a market run started elsewhere (the latest one by default), or its summary once it ended.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Run id (default: the latest market run).") var run: Int?
    @Flag(help: "Follow the run until it ends.") var watch = false

    func run() async throws {
        let logger = global.makeLogger("marketmap.status")
        let say = { @Sendable (text: String) in FileHandle.standardOutput.write(Data(text.utf8)) }
        try await global.withConnection(logger: logger) { db, _ in
            var latest: Int?
            if run == nil { latest = try await RunPlan.latestMarketRun(on: db) }
            guard let id = run ?? latest else {
                throw ValidationError("no market run yet; start one with `marketmap run`")
            }
            let runs = Runs(queue: JobQueue())
            let monitor = RunMonitor(tty: false, interval: 0, write: say)
            while true {
                guard let status = try await runs.status(id, on: db) else { throw ValidationError("no run \(id)") }
                if status.state.isFinished {
                    say(try await db.transaction { db in try RunSummaryText.make(run: id, plan: nil, on: db) })
                    return
                }
                say("run \(id): running\n")
                monitor.update(status, try await RunMonitor.inputs(run: id, on: db))
                guard watch else { return }
                try await Task.sleep(for: .seconds(2))
            }
        }
    }
}

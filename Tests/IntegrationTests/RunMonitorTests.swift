import Foundation
@testable import JobQueue
import Pipeline
import Testing

/// `marketmap run` follows a run every 500 ms; the rows it shows are whole-table
/// counts, so it reads them only when a stage starts or ends (and every
/// `interval` seconds while normalize works through the staged records).
@Suite struct RunMonitorTests {
    private func status(_ states: [(String, StageState)]) -> RunStatus {
        RunStatus(
            id: 1, pipeline: "market", state: .running, error: "", createdAt: Date(timeIntervalSince1970: 0), finishedAt: nil,
            stages: states.enumerated().map { index, stage in
                StageStatus(position: index, stage: stage.0, state: stage.1, jobsTotal: 4, jobsDone: 0, deadLetters: 0)
            })
    }

    @Test func countsAgainOnlyWhenAStageStartsOrEnds() {
        let monitor = RunMonitor(tty: false, interval: 5, write: { _ in })
        let start = Date(timeIntervalSince1970: 1_000)
        let normalizing = status([("normalize", .running), ("match", .pending), ("enrich", .pending)])
        let matching = status([("normalize", .done), ("match", .running), ("enrich", .pending)])
        let between = status([("normalize", .done), ("match", .done), ("enrich", .pending)])
        let enriching = status([("normalize", .done), ("match", .done), ("enrich", .running)])

        #expect(monitor.needsInputs(normalizing, now: start))
        #expect(!monitor.needsInputs(normalizing, now: start + 1))
        #expect(monitor.needsInputs(normalizing, now: start + 5), "normalize's records left are read every interval")
        #expect(monitor.needsInputs(matching, now: start + 5.5), "a stage that starts reads its rows")
        for second in [6.0, 30, 600] { #expect(!monitor.needsInputs(matching, now: start + second)) }
        #expect(monitor.needsInputs(between, now: start + 601), "a stage that ends is reported with rows read after it")
        #expect(!monitor.needsInputs(between, now: start + 602))
        #expect(monitor.needsInputs(enriching, now: start + 603))
        #expect(!monitor.needsInputs(enriching, now: start + 900))
    }
}

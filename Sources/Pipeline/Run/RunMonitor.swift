import Foundation
import JobQueue
import Postgres

/// Progress of a run a person can follow: per stage, rows done / total, rows
/// per second and ETA. On a terminal one line per stage is redrawn in place
/// with a bar; otherwise a plain line every `interval` seconds and one when a
/// stage ends. Rows are the stage's input (staged records for normalize,
/// source accounts for match and resolve, golden accounts for enrich and score), counted
/// exactly for normalize and from the share of the stage's work done for the
/// others: finished jobs, and what running jobs report (`JobContext.progress`).
public final class RunMonitor: @unchecked Sendable {
    let tty: Bool
    let interval: Double
    let write: @Sendable (String) -> Void
    private var reported: Set<String> = []
    private var active: String?
    private var lastLine = Date.distantPast
    private var counted: (stage: String?, finished: Int, at: Date)?

    public init(tty: Bool, interval: Double = 5, write: @escaping @Sendable (String) -> Void) {
        self.tty = tty
        self.interval = interval
        self.write = write
    }

    public struct Inputs: Sendable {
        public var staged = 0, stagedLeft = 0, sourceAccounts = 0, goldenAccounts = 0, plannedAccounts = 0
    }

    public static func inputs(run: Int, on db: isolated Connection) throws -> Inputs {
        let (staged, left, source, golden, planned) = try db.query(RunQueries.stageInputs, run)[0].decode(Int.self, Int.self, Int.self, Int.self, Int.self)
        return Inputs(staged: staged, stagedLeft: left, sourceAccounts: source, goldenAccounts: golden, plannedAccounts: planned)
    }

    /// Whether `inputs` must be read again for `status`: they change only
    /// when a stage starts or ends, except the records left while normalize
    /// runs (read every `interval` seconds then). Each read counts whole
    /// tables, seconds at millions of rows: every 500 ms it took the run's
    /// time.
    public func needsInputs(_ status: RunStatus, now: Date = Date()) -> Bool {
        let stage = status.stages.first(where: { $0.state == .running })?.stage
        let finished = status.stages.filter { $0.state.isFinished }.count
        if let counted, counted.stage == stage, counted.finished == finished,
            stage != "normalize" || now.timeIntervalSince(counted.at) < interval
        {
            return false
        }
        counted = (stage, finished, now)
        return true
    }

    /// Rows done and total of a stage.
    func rows(_ stage: StageStatus, _ inputs: Inputs) -> (done: Int, total: Int) {
        let share = stage.share
        switch stage.stage {
        case "normalize":
            let total = inputs.staged
            return stage.state == .done ? (total, total) : (max(0, total - inputs.stagedLeft), total)
        case "enrich", "score": return (Int(Double(inputs.goldenAccounts) * share), inputs.goldenAccounts)
        case "people": return (Int(Double(inputs.plannedAccounts) * share), inputs.plannedAccounts)
        default: return (Int(Double(inputs.sourceAccounts) * share), inputs.sourceAccounts)
        }
    }

    public func update(_ status: RunStatus, _ inputs: Inputs, now: Date = Date()) {
        for stage in status.stages where stage.state.isFinished {
            guard !reported.contains(stage.stage) else { continue }
            reported.insert(stage.stage)
            let (done, _) = rows(stage, inputs)
            let seconds = stage.startedAt.flatMap { start in stage.finishedAt.map { $0.timeIntervalSince(start) } } ?? 0
            let rate = seconds > 0 ? " (\(Self.grouped(Int(Double(done) / seconds))) rows/s)" : ""
            let line = "  \(Self.padded(stage.stage)) \(stage.state.rawValue)  \(Self.grouped(done)) rows in \(String(format: "%.1f", seconds)) s\(rate), \(stage.jobsTotal) job\(stage.jobsTotal == 1 ? "" : "s")"
            write(tty ? "\r\u{1B}[2K" + line + "\n" : line + "\n")
            if active == stage.stage { active = nil }
        }
        guard let stage = status.stages.first(where: { $0.state == .running }) else { return }
        let (done, total) = rows(stage, inputs)
        let elapsed = stage.startedAt.map { now.timeIntervalSince($0) } ?? 0
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let eta = rate > 0 && total > done ? " ETA \(Int((Double(total - done) / rate).rounded(.up))) s" : ""
        let percent = total > 0 ? Double(done) / Double(total) : 0
        if tty {
            let filled = Int(percent * 24)
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: 24 - filled)
            write("\r\u{1B}[2K  \(Self.padded(stage.stage)) [\(bar)] \(Self.grouped(done))/\(Self.grouped(total)) rows  \(Self.grouped(Int(rate))) rows/s\(eta)")
            active = stage.stage
        } else if now.timeIntervalSince(lastLine) >= interval || active != stage.stage {
            write("  \(stage.stage): \(done)/\(total) rows (\(Int(percent * 100)) %), \(Int(rate)) rows/s,\(eta.isEmpty ? " ETA unknown" : eta), jobs \(stage.jobsDone)/\(stage.jobsTotal)\n")
            lastLine = now
            active = stage.stage
        }
    }

    static func padded(_ stage: String) -> String { stage.padding(toLength: 10, withPad: " ", startingAt: 0) }

    static func grouped(_ value: Int) -> String {
        let digits = String(value)
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result += "," }
            result.append(character)
        }
        return result
    }
}

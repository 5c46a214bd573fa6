import Postgres

/// A job's state in `jobs.state` (sql/0002_job_queue.sql). A finished job is
/// deleted (its timing stays in `job_timings`); a dead one moves to `dead_letters`.
public enum JobState: String, Sendable, Codable, PostgresTextEnum {
    case queued, running
}

/// A run's state in `runs.state`.
public enum RunState: String, Sendable, Codable, PostgresTextEnum {
    case running, done, failed, cancelled

    /// Whether the run has ended (its reports may be written).
    public var isFinished: Bool { self != .running }
}

/// A stage's state in `run_stages.state`.
public enum StageState: String, Sendable, Codable, PostgresTextEnum {
    case pending, running, done, failed

    public var isFinished: Bool { self == .done || self == .failed }
}

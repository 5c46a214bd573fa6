import ArgumentParser
import Foundation
import Logging
import MarketMapCore
import Pipeline
import Postgres

/// What `run` and `runs submit` share: reading a manifest before anything
/// starts, and staging its files with the run's creation.
enum ManifestRun {
    /// The checked plan, or exit 1 with the manifest's error (nothing started).
    static func plan(_ path: String, out: String?) throws -> RunPlan {
        do {
            return try RunPlan.load(path, out: out)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    /// Migrates, stages the files and creates the run (or finds its unfinished one).
    static func startOrResume(
        _ plan: RunPlan, on db: Connection, logger: Logger, progress: @escaping @Sendable (String) -> Void
    ) async throws -> (run: Int, resumed: Bool) {
        try await Migrator(directory: Migrator.defaultDirectory()).migrate(db, logger: logger)
        return try await plan.startOrResume(logger: logger, progress: progress, on: db)
    }
}

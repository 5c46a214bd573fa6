import ArgumentParser
import Foundation
import Pipeline

/// What `run` and `runs submit` share: reading a manifest before anything starts.
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
}

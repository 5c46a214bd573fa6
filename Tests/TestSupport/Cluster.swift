import Foundation
import Postgres

/// Real `marketmap` role processes against one test database.
public final class Cluster: @unchecked Sendable {
    public let databaseURL: String
    public private(set) var processes: [RunningBinary] = []
    /// More variables for the processes started from now on (provider URLs, tokens).
    public var extraEnvironment: [String: String] = [:]

    public init(_ config: ConnectionConfig) {
        var url = config.conninfo
        if let database = config.overrideDatabase { url += " dbname='\(database)'" }
        databaseURL = url
    }

    public var environment: [String: String] {
        MarketMapBinary.environment(["DATABASE_URL": databaseURL].merging(extraEnvironment) { first, _ in first })
    }

    @discardableResult
    public func start(_ arguments: [String]) throws -> RunningBinary {
        let process = try RunningBinary(arguments + ["--log-level", "debug"], environment: environment)
        processes.append(process)
        return process
    }

    @discardableResult
    public func coordinator() throws -> RunningBinary { try start(["coordinator", "--tick-seconds", "0.1"]) }

    @discardableResult
    public func worker(_ id: String, concurrency: Int = 2, batch: Int = 20, lease: Double = 3, extra: [String] = []) throws -> RunningBinary {
        try start(["worker", "--worker-id", id, "--concurrency", String(concurrency), "--batch", String(batch),
                   "--lease-seconds", String(lease), "--poll-seconds", "0.2"] + extra)
    }

    /// `marketmap runs start --pipeline test --param ...`; returns the run id.
    public func startRun(_ params: [String: String]) async throws -> Int {
        let arguments = ["runs", "start", "--pipeline", "test"] + params.sorted { $0.key < $1.key }.flatMap { ["--param", "\($0.key)=\($0.value)"] }
        let result = try await MarketMapBinary.run(arguments, environment: environment)
        guard result.status == 0, let id = Int(result.output.split(separator: "\n").last ?? "") else {
            throw ClusterError("runs start failed: \(result.output)")
        }
        return id
    }

    /// Waits for the run to end; returns its final state.
    public func wait(run: Int, timeout: Double = 120) async throws -> (status: Int32, output: String) {
        try await MarketMapBinary.run(["runs", "wait", String(run), "--timeout", String(timeout)], environment: environment)
    }

    public func stopAll() {
        for process in processes where process.process.isRunning { kill(process.process.processIdentifier, SIGKILL) }
        for process in processes { process.process.waitUntilExit() }
    }

    deinit { stopAll() }
}

public struct ClusterError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Polls `condition` every 50 ms until it holds or `timeout` passes.
public func eventually(timeout: Double = 30, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return false
}

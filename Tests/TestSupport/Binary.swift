import Foundation

/// The `marketmap` executable under test: `MARKETMAP_BIN`, or the debug build
/// of this checkout.
public enum MarketMapBinary {
    public static var path: String {
        if let path = ProcessInfo.processInfo.environment["MARKETMAP_BIN"], !path.isEmpty { return path }
        let build = TestServer.repositoryRoot.appendingPathComponent(".build")
        for candidate in ["debug/marketmap", "x86_64-unknown-linux-gnu/debug/marketmap", "aarch64-unknown-linux-gnu/debug/marketmap"] {
            let path = build.appendingPathComponent(candidate).path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return build.appendingPathComponent("debug/marketmap").path
    }

    /// The environment without any database configuration, plus `extra`.
    public static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("PG") && $0.key != "DATABASE_URL" && $0.key != "MARKETMAP_DATA_DIR"
        }
        environment.merge(extra) { $1 }
        return environment
    }

    /// Runs to completion on a dedicated thread (never blocking Swift's
    /// cooperative pool); returns status and the combined output.
    public static func run(_ arguments: [String], environment: [String: String] = environment()) async throws -> (status: Int32, output: String) {
        let running = try RunningBinary(arguments, environment: environment)
        let status = try await running.waitForExit()
        _ = try await running.waitFor("\u{4}")  // the reader saw end of output
        return (status, running.text.replacingOccurrences(of: "\u{4}", with: ""))
    }
}

/// A started `marketmap` whose output is read line by line on its own thread.
public final class RunningBinary: @unchecked Sendable {
    public let process = Process()
    private let lock = NSCondition()
    private var output = ""

    /// `executable`: marketmap unless told (a script of `ops/`, through bash).
    public init(_ arguments: [String], environment: [String: String] = MarketMapBinary.environment(), executable: String = MarketMapBinary.path) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let reader = Thread { [self] in
            while true {
                let chunk = pipe.fileHandleForReading.availableData
                lock.lock()
                if chunk.isEmpty { output += "\u{4}"; lock.broadcast(); lock.unlock(); return }
                output += String(decoding: chunk, as: UTF8.self)
                lock.broadcast()
                lock.unlock()
            }
        }
        reader.start()
    }

    /// Waits (off the cooperative pool) until the output contains `text`.
    public func waitFor(_ text: String, timeout: TimeInterval = 60) async throws -> Bool {
        try await onThread { [self] in
            let deadline = Date().addingTimeInterval(timeout)
            lock.lock()
            defer { lock.unlock() }
            while !output.contains(text), !output.hasSuffix("\u{4}") {
                if !lock.wait(until: deadline) { break }
            }
            return output.contains(text)
        }
    }

    public var text: String { lock.withLock { output } }

    public func waitForExit() async throws -> Int32 {
        try await onThread { [self] in
            process.waitUntilExit()
            return process.terminationStatus
        }
    }
}

/// Runs blocking work on a new thread and resumes when it is done.
public func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

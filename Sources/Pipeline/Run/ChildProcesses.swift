import Foundation
import Logging
import Subprocess
import Synchronization

/// The roles `marketmap run` starts as child processes of the same binary
/// (coordinator, workers, reporter), each in its own session (a Ctrl-C at the
/// terminal reaches only the parent, which then stops them once, gracefully)
/// and logging to its own file. A child that exits while the run goes on is
/// started again (a killed worker's jobs come back when their leases
/// expire). `stop` sends SIGTERM, waits for the grace period, then SIGKILLs
/// what is left, and returns when every child is gone.
public final class ChildProcesses: Sendable {
    public struct Role: Sendable {
        public var name: String
        public var arguments: [String]
        public init(name: String, arguments: [String]) {
            self.name = name
            self.arguments = arguments
        }
    }

    private let executable: URL
    private let databaseURL: String?
    /// Variables the children get on top of this process's (a provider simulator's URL).
    private let extraEnvironment: [String: String]
    private let logDirectory: URL
    private let logger: Logger
    private struct State {
        var stopping = false
        var grace = 15.0
        var pids: [String: Int32] = [:]
        /// Each role's highest peak resident memory seen, over all its lives.
        var peaks: [String: Int] = [:]
        var tasks: [Task<Void, Never>] = []
        var restarts = 0
    }
    private let state = Mutex(State())

    /// `databaseURL`: what the children connect to (nil: they inherit this process's environment).
    public init(executable: URL, databaseURL: String?, logDirectory: URL, logger: Logger, environment: [String: String] = [:]) {
        self.executable = executable
        self.extraEnvironment = environment
        self.databaseURL = databaseURL
        self.logDirectory = logDirectory
        self.logger = logger
    }

    /// This binary, as the kernel knows it.
    public static var currentExecutable: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    }

    public var restarts: Int { state.withLock { $0.restarts } }
    public var pids: [String: Int32] { state.withLock { $0.pids } }

    public func start(_ role: Role) throws {
        try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
        let task = Task.detached { [self] in
            var first = true
            while !state.withLock({ $0.stopping }) {
                if !first {
                    state.withLock { $0.restarts += 1 }
                    logger.warning("a child process exited; starting it again", metadata: ["role": "\(role.name)"])
                    try? await Task.sleep(for: .milliseconds(500))
                }
                first = false
                do {
                    try await runOnce(role)
                } catch {
                    logger.error("cannot start a child process", metadata: ["role": "\(role.name)", "error": "\(error)"])
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
        state.withLock { $0.tasks.append(task) }
    }

    /// One life of a child: spawn, wait for its exit or for `stop`.
    private func runOnce(_ role: Role) async throws {
        let log = logDirectory.appendingPathComponent(role.name + ".log").path
        // The shell only redirects and execs, so the pid is the child's own.
        let arguments = ["-c", "log=$1; shift; exec \"$@\" >>\"$log\" 2>&1", "marketmap-child", log, executable.path] + role.arguments
        var platform = PlatformOptions()
        platform.createSession = true
        var environment = Environment.inherit.updating(["MARKETMAP_PARENT_PID": String(getpid())])
        if !extraEnvironment.isEmpty { environment = environment.updating(Dictionary(uniqueKeysWithValues: extraEnvironment.compactMap { name, value in
                Environment.Key(rawValue: name).map { ($0, Optional(value)) }
            })) }
        if let databaseURL { environment = environment.updating(["DATABASE_URL": databaseURL]) }
        _ = try await Subprocess.run(
            .path("/bin/sh"), arguments: Arguments(arguments), environment: environment, platformOptions: platform,
            input: .none, output: .discarded, error: .discarded
        ) { execution in
            let pid = execution.processIdentifier.value
            state.withLock { $0.pids[role.name] = pid }
            var polls = 0
            while Self.alive(pid) {
                // Every second: a child that exits (killed, restarted) takes its peak with it.
                if polls % 10 == 0 { notePeak(of: role.name, pid: pid) }
                polls += 1
                if state.withLock({ $0.stopping }) {
                    try? execution.send(signal: .terminate)
                    let deadline = Date().addingTimeInterval(state.withLock { $0.grace })
                    while Self.alive(pid), Date() < deadline { try? await Task.sleep(for: .milliseconds(50)) }
                    if Self.alive(pid) {
                        logger.warning("a child did not stop in time; killing it", metadata: ["role": "\(role.name)", "pid": "\(pid)"])
                        try? execution.send(signal: .kill)
                    }
                    return
                }
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// Running and not a zombie (an exited child waits for its reaping as `Z`).
    static func alive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state != "Z" && state != "X"
    }

    /// Peak resident memory (VmHWM) of each child role, in bytes: the
    /// highest of every life of the role (sampled each second) and of the
    /// running one now.
    public func peakMemory() -> [String: Int] {
        for (role, pid) in pids { notePeak(of: role, pid: pid) }
        return state.withLock { $0.peaks }
    }

    private func notePeak(of role: String, pid: Int32) {
        guard let peak = Self.peakMemory(of: "\(pid)") else { return }
        state.withLock { $0.peaks[role] = max($0.peaks[role] ?? 0, peak) }
    }

    /// This process's peak resident memory, in bytes.
    public static func ownPeakMemory() -> Int { peakMemory(of: "self") ?? 0 }

    static func peakMemory(of process: String) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(process)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { return nil }
        return kilobytes * 1024
    }

    /// SIGTERM to every child, SIGKILL after `grace` seconds; returns when all are gone.
    public func stop(grace: Double = 15) async {
        let tasks = state.withLock { state in
            state.stopping = true
            state.grace = grace
            return state.tasks
        }
        for task in tasks { await task.value }
    }
}

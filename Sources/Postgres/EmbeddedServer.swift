import Foundation
import Logging
import Subprocess
import Synchronization

/// How to run the private PostgreSQL that `marketmap` starts when no database
/// is configured.
public struct EmbeddedServerOptions: Sendable {
    /// Reused across runs; created by `initdb` the first time.
    public var dataDirectory: URL
    public var port: Int = 5432
    /// TCP address to listen on; `nil` (the default) means unix socket only.
    public var listenAddress: String? = nil
    /// `false` turns fsync off: for tests and throw-away benchmark data only.
    public var durable: Bool = true
    /// Stop the server (and, with `removeOnStop`, delete it) when this process
    /// ends in any way, even SIGKILL, through a small watchdog process.
    public var stopWithParent: Bool = true
    public var removeOnStop: Bool = false
    public var database: String = "marketmap"
    public var user: String = "marketmap"
    /// Extra `postgresql.conf` settings; they override the defaults.
    public var settings: [String: String] = [:]

    public init(dataDirectory: URL) { self.dataDirectory = dataDirectory }

    /// `.marketmap/pgdata` under the current directory, or `MARKETMAP_DATA_DIR`.
    public static func defaultDataDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let path = environment["MARKETMAP_DATA_DIR"], !path.isEmpty { return URL(fileURLWithPath: path) }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".marketmap/pgdata")
    }
}

/// A private PostgreSQL server: initdb into a data directory, unix socket in a
/// private directory, started with `pg_ctl`, stopped when its owner exits.
public final class EmbeddedServer: Sendable {
    public let options: EmbeddedServerOptions
    public let socketDirectory: URL
    /// True when this process started the server (and so must stop it).
    private let owner = Mutex(false)

    public init(options: EmbeddedServerOptions) {
        var options = options
        options.dataDirectory = options.dataDirectory.standardizedFileURL
        self.options = options
        // Unix socket paths are limited to ~107 bytes, so the socket lives in
        // a short private folder derived from the data directory's path.
        socketDirectory = URL(fileURLWithPath: "/tmp/marketmap-\(Self.shortHash(options.dataDirectory.path))")
    }

    public var isOwner: Bool { owner.withLock { $0 } }

    /// How clients reach this server (unix socket).
    public var connectionConfig: ConnectionConfig {
        ConnectionConfig(conninfo: "host='\(socketDirectory.path)' port=\(options.port) user='\(options.user)' dbname='\(options.database)'")
    }

    /// Starts (or attaches to an already running) server and creates the
    /// database. Idempotent.
    @discardableResult
    public func start(logger: Logger) async throws -> ConnectionConfig {
        let binaries = try ServerBinaries.locate()
        let account = try ServerAccount.current()
        let dataPath = options.dataDirectory.path
        try prepareDirectories(account: account)
        if !FileManager.default.fileExists(atPath: dataPath + "/PG_VERSION") {
            logger.info("initialising embedded PostgreSQL", metadata: ["dataDirectory": "\(dataPath)"])
            try await run(binaries.initdb, account: account, arguments: [
                "-D", dataPath, "-U", options.user, "--auth-local=trust", "--auth-host=scram-sha-256",
                "-E", "UTF8", "--locale=C", "--no-instructions",
            ] + (options.durable ? [] : ["--no-sync"]))
            try appendInclude(account: account)
        }
        try writeSettings(account: account)
        if let pid = runningPID() {
            logger.info("using the embedded PostgreSQL that is already running", metadata: ["pid": "\(pid)"])
        } else {
            logger.info("starting embedded PostgreSQL", metadata: ["dataDirectory": "\(dataPath)"])
            try await run(binaries.pgCtl, account: account, arguments: [
                "-D", dataPath, "-l", dataPath + "/marketmap-server.log", "-w", "-t", "120", "-s", "start",
            ], failureLog: dataPath + "/marketmap-server.log")
            owner.withLock { $0 = true }
            if options.stopWithParent { try startWatchdog() }
        }
        try await createDatabase()
        return connectionConfig
    }

    /// Stops the server if this process started it: fast shutdown (SIGINT to
    /// the postmaster), waiting until it is gone. Safe to call more than once
    /// and from a signal handler's queue (synchronous, no Swift concurrency).
    public func stop() {
        guard owner.withLock({ owning in defer { owning = false }; return owning }) else { return }
        Self.stopServer(dataDirectory: options.dataDirectory.path)
        if options.removeOnStop {
            try? FileManager.default.removeItem(at: options.dataDirectory)
            try? FileManager.default.removeItem(at: socketDirectory)
        }
    }

    /// Stops whatever postmaster runs on `dataDirectory` (used by `db stop`).
    public static func stopServer(dataDirectory: String) {
        guard let pid = postmasterPID(dataDirectory: dataDirectory), processExists(pid) else { return }
        kill(pid, SIGINT)
        for step in 0..<1200 {
            if !processExists(pid) { return }
            if step == 600 { kill(pid, SIGQUIT) }  // 30 s: immediate shutdown
            usleep(50_000)
        }
    }

    // MARK: internals

    private func prepareDirectories(account: ServerAccount) throws(EmbeddedServerError) {
        let fileManager = FileManager.default
        let dataPath = options.dataDirectory.path
        for (path, mode) in [(dataPath, 0o700), (socketDirectory.path, 0o700)] where !fileManager.fileExists(atPath: path) {
            do {
                // Parents get the usual 0755 (the server account must pass
                // through them); only the leaf is private.
                let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
                try fileManager.createDirectory(atPath: parent, withIntermediateDirectories: true)
                try fileManager.createDirectory(atPath: path, withIntermediateDirectories: false, attributes: [.posixPermissions: mode])
            } catch {
                throw .filesystem(path, error.localizedDescription)
            }
        }
        try account.own(dataPath)
        try account.own(socketDirectory.path)
        try account.checkReachable(dataPath)
    }

    private func appendInclude(account: ServerAccount) throws(EmbeddedServerError) {
        let path = options.dataDirectory.path + "/postgresql.conf"
        guard let handle = FileHandle(forWritingAtPath: path) else { throw .filesystem(path, "cannot open for writing") }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        try? handle.write(contentsOf: Data("\ninclude_if_exists = 'marketmap.conf'\n".utf8))
    }

    /// Settings sized for bulk loads on a small machine; rewritten every start.
    private func writeSettings(account: ServerAccount) throws(EmbeddedServerError) {
        var settings: [String: String] = [
            "listen_addresses": "'\(options.listenAddress ?? "")'",
            "port": "\(options.port)",
            "unix_socket_directories": "'\(socketDirectory.path)'",
            "unix_socket_permissions": "0700",
            "max_connections": "200",
            "shared_buffers": "'512MB'",
            "work_mem": "'32MB'",
            "maintenance_work_mem": "'512MB'",
            "max_wal_size": "'8GB'",
            "checkpoint_timeout": "'30min'",
            "wal_level": "minimal",
            "max_wal_senders": "0",
            "synchronous_commit": "off",
            "wal_compression": "on",
            "autovacuum_naptime": "'10s'",
            "log_min_messages": "warning",
            "log_min_error_statement": "panic",
        ]
        if !options.durable {
            settings["fsync"] = "off"
            settings["full_page_writes"] = "off"
        }
        settings.merge(options.settings) { $1 }
        let text = "# written by marketmap on every start; put overrides in postgresql.auto.conf\n"
            + settings.keys.sorted().map { "\($0) = \(settings[$0] ?? "")" }.joined(separator: "\n") + "\n"
        let path = options.dataDirectory.path + "/marketmap.conf"
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw .filesystem(path, "cannot write")
        }
        try account.own(path)
    }

    private func runningPID() -> pid_t? {
        guard let pid = Self.postmasterPID(dataDirectory: options.dataDirectory.path), Self.processExists(pid) else { return nil }
        return pid
    }

    private func createDatabase() async throws {
        let admin = try await Connection.connect(connectionConfig.withDatabase("postgres"))
        let exists = try await admin.query(PostgresQueries.databaseExists, options.database)[0].decode(Bool.self)
        if !exists {
            do {
                try await admin.execute("CREATE DATABASE " + quoteIdentifier(options.database))
            } catch let error where error.sqlState == "42P04" {
                // Created concurrently by another process: fine.
            }
        }
        await admin.close()
    }

    /// A shell loop that outlives us: when this process is gone it stops the
    /// server it started (and removes it when asked). Covers SIGKILL and
    /// crashes. It watches that one postmaster by pid and ends when it is
    /// gone, so it never touches a server a later process started.
    private func startWatchdog() throws {
        guard let postmaster = runningPID() else { return }
        let script = """
            while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done
            kill -0 "$2" 2>/dev/null || exit 0
            kill -INT "$2" 2>/dev/null
            n=0; while kill -0 "$2" 2>/dev/null && [ $n -lt 600 ]; do sleep 0.1; n=$((n+1)); done
            kill -QUIT "$2" 2>/dev/null
            if [ "$4" = remove ]; then rm -rf "$3" "$5"; fi
            """
        var platform = PlatformOptions()
        platform.createSession = true
        let arguments = [
            "-c", script, "marketmap-watchdog", String(getpid()), String(postmaster), options.dataDirectory.path,
            options.removeOnStop ? "remove" : "keep", socketDirectory.path,
        ]
        Task.detached {
            _ = try? await Subprocess.run(
                .path("/bin/sh"), arguments: Arguments(arguments), platformOptions: platform,
                output: .discarded, error: .discarded)
        }
    }

    private func run(_ program: String, account: ServerAccount, arguments: [String], failureLog: String? = nil) async throws {
        // Switching user goes through util-linux's setpriv rather than a
        // setuid in a forked child: glibc's setgroups/setuid after fork can
        // deadlock in a multi-threaded parent, and posix_spawn cannot switch.
        var executable = program
        var argv = arguments
        if !account.isSelf {
            executable = "/usr/bin/setpriv"
            argv = ["--reuid=\(account.uid)", "--regid=\(account.gid)", "--clear-groups", "--", program] + arguments
        }
        let result = try await Subprocess.run(
            .path(.init(executable)), arguments: Arguments(argv),
            environment: .inherit.updating(["LC_ALL": "C", "HOME": "/tmp"]),
            workingDirectory: "/",
            output: .string(limit: 1 << 20), error: .string(limit: 1 << 20))
        guard result.terminationStatus.isSuccess else {
            var output = [result.standardOutput, result.standardError].joined(separator: "\n")
            if let failureLog, let log = try? String(contentsOfFile: failureLog, encoding: .utf8) {
                output += "\nserver log (last lines):\n" + log.split(separator: "\n").suffix(15).joined(separator: "\n")
            }
            throw EmbeddedServerError.command(
                URL(fileURLWithPath: program).lastPathComponent, status: "\(result.terminationStatus)",
                output: output.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    static func postmasterPID(dataDirectory: String) -> pid_t? {
        guard let text = try? String(contentsOfFile: dataDirectory + "/postmaster.pid", encoding: .utf8),
            let first = text.split(separator: "\n").first
        else { return nil }
        return pid_t(first.trimmingCharacters(in: .whitespaces))
    }

    static func processExists(_ pid: pid_t) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    static func shortHash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return String(String(hash, radix: 16).prefix(12))
    }
}

import Foundation

/// The PostgreSQL server programs the embedded server runs.
public struct ServerBinaries: Sendable {
    public var initdb: String
    public var pgCtl: String
    public var directory: String

    /// `initdb` and `pg_ctl` from `PATH`, else the newest `/usr/lib/postgresql/*/bin`.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(EmbeddedServerError) -> ServerBinaries
    {
        let fileManager = FileManager.default
        var candidates = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        let versions = (try? fileManager.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        candidates += versions.sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }.map { "/usr/lib/postgresql/\($0)/bin" }
        for directory in candidates {
            let initdb = directory + "/initdb"
            let pgCtl = directory + "/pg_ctl"
            if fileManager.isExecutableFile(atPath: initdb), fileManager.isExecutableFile(atPath: pgCtl) {
                let resolved = URL(fileURLWithPath: initdb).resolvingSymlinksInPath().deletingLastPathComponent().path
                return ServerBinaries(initdb: resolved + "/initdb", pgCtl: resolved + "/pg_ctl", directory: resolved)
            }
        }
        throw .notInstalled
    }
}

/// The account the server runs as: ourselves, or `postgres` when we are root
/// (initdb and postgres refuse to run as root).
public struct ServerAccount: Sendable {
    public var uid: UInt32
    public var gid: UInt32
    public var name: String
    public var isSelf: Bool

    public static func current() throws(EmbeddedServerError) -> ServerAccount {
        guard geteuid() == 0 else {
            return ServerAccount(uid: geteuid(), gid: getegid(), name: NSUserName(), isSelf: true)
        }
        guard let entry = getpwnam("postgres") else { throw .noPostgresUser }
        return ServerAccount(uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid, name: "postgres", isSelf: false)
    }

    /// Makes `path` owned by this account (no-op when it is ourselves).
    func own(_ path: String) throws(EmbeddedServerError) {
        guard !isSelf else { return }
        if chown(path, uid, gid) != 0 { throw .filesystem(path, String(cString: strerror(errno))) }
    }

    /// Fails clearly when a folder above `path` does not let this account through.
    func checkReachable(_ path: String) throws(EmbeddedServerError) {
        guard !isSelf else { return }
        var directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        while directory.path != "/" {
            var info = stat()
            if stat(directory.path, &info) == 0 {
                let mode = info.st_mode
                let passable = (mode & 0o001) != 0 || (info.st_uid == uid && (mode & 0o100) != 0)
                    || (info.st_gid == gid && (mode & 0o010) != 0)
                if !passable { throw .unreachable(user: name, directory: directory.path, dataDirectory: path) }
            }
            directory = directory.deletingLastPathComponent()
        }
    }
}

public enum EmbeddedServerError: Error, CustomStringConvertible {
    case notInstalled
    case noPostgresUser
    case unreachable(user: String, directory: String, dataDirectory: String)
    case filesystem(String, String)
    case command(String, status: String, output: String)
    case startFailed(String)

    public var description: String {
        switch self {
        case .notInstalled:
            return "PostgreSQL server programs (initdb, pg_ctl) were not found in PATH or /usr/lib/postgresql/*/bin; install them with `apt-get install postgresql` (ops/setup does), or point marketmap at a server with DATABASE_URL"
        case .noPostgresUser:
            return "marketmap runs as root, and PostgreSQL refuses to run as root, but there is no `postgres` user to run it as; `apt-get install postgresql` creates one"
        case .unreachable(let user, let directory, let dataDirectory):
            return "the \(user) user cannot enter \(directory), so it cannot use the data directory \(dataDirectory); choose --data-dir elsewhere (for example under /var/lib/marketmap) or allow it with `chmod o+x \(directory)`"
        case .filesystem(let path, let reason):
            return "cannot prepare \(path): \(reason)"
        case .command(let command, let status, let output):
            return "\(command) failed (\(status)): \(output)"
        case .startFailed(let message):
            return "the embedded PostgreSQL did not start: \(message)"
        }
    }
}

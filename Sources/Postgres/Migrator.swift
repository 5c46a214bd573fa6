import Foundation
import Logging

/// One `sql/NNNN_name.sql` file.
public struct MigrationFile: Sendable, Equatable {
    public var version: Int
    public var name: String
    public var sql: String
    public var fileName: String { String(format: "%04d_%@.sql", version, name) }
}

/// A migration as recorded in the database.
public struct AppliedMigration: Sendable {
    public var version: Int
    public var name: String
    public var checksum: String
    public var appliedAt: Date
}

public enum MigrationStatus: Sendable, Equatable {
    case applied(Date)
    case pending
    /// The file changed after it was applied.
    case edited
    /// Recorded in the database, unknown to this binary (a newer version ran).
    case unknown
}

public enum MigrationError: Error, CustomStringConvertible {
    case directoryMissing(String)
    case badFileName(String)
    case duplicateVersion(Int, String, String)
    case edited(file: String, applied: Date)
    case unknownApplied(version: Int, name: String)
    case failed(file: String, error: PostgresError)

    public var description: String {
        switch self {
        case .directoryMissing(let path):
            return "migrations directory \(path) not found; set MARKETMAP_SQL_DIR to the folder holding the sql/NNNN_name.sql files"
        case .badFileName(let name):
            return "migration file \(name) is not named NNNN_name.sql (four digits, underscore, name)"
        case .duplicateVersion(let version, let first, let second):
            return "migrations \(first) and \(second) share version \(version); give one a new number"
        case .edited(let file, let applied):
            return "migration \(file) was changed after it was applied on \(ISO8601DateFormatter().string(from: applied)); restore the original file and put the change in a new migration"
        case .unknownApplied(let version, let name):
            return "the database has migration \(String(format: "%04d", version))_\(name) that this marketmap does not know; run a newer marketmap"
        case .failed(let file, let error):
            if case .server(let server) = error { return "migration \(file) failed and was rolled back: \(server.plainDescription)" }
            return "migration \(file) failed and was rolled back: \(error)"
        }
    }
}

/// Applies `sql/NNNN_name.sql` in order, each in its own transaction,
/// recording a SHA-256 checksum. A session advisory lock makes concurrent
/// migrators safe: the second waits, then finds nothing left to do.
public struct Migrator: Sendable {
    public let files: [MigrationFile]

    public init(files: [MigrationFile]) { self.files = files.sorted { $0.version < $1.version } }

    /// Loads the migrations of a directory; rejects badly named or duplicate files.
    public init(directory: URL) throws(MigrationError) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw .directoryMissing(directory.path)
        }
        var files: [MigrationFile] = []
        var seen: [Int: String] = [:]
        for name in names.sorted() where name.hasSuffix(".sql") {
            guard let file = Self.parse(name: name, directory: directory) else { throw .badFileName(name) }
            if let other = seen[file.version] { throw .duplicateVersion(file.version, other, name) }
            seen[file.version] = name
            files.append(file)
        }
        self.init(files: files)
    }

    static func parse(name: String, directory: URL) -> MigrationFile? {
        let stem = name.dropLast(4)
        let parts = stem.split(separator: "_", maxSplits: 1)
        guard parts.count == 2, parts[0].count == 4, let version = Int(parts[0]), !parts[1].isEmpty,
            let sql = try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        else { return nil }
        return MigrationFile(version: version, name: String(parts[1]), sql: sql)
    }

    /// Where the `sql/` folder is: `MARKETMAP_SQL_DIR`, the installed share
    /// folder next to the binary, or the source checkout the binary was built in.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let path = environment["MARKETMAP_SQL_DIR"], !path.isEmpty { return URL(fileURLWithPath: path) }
        // The kernel's path of this binary: argv[0] is a bare name when it was found through PATH.
        let proc = URL(fileURLWithPath: "/proc/self/exe")
        let executable = (FileManager.default.fileExists(atPath: proc.path) ? proc : URL(fileURLWithPath: CommandLine.arguments.first ?? "."))
            .resolvingSymlinksInPath()
        var directory = executable.deletingLastPathComponent()
        let installed = directory.deletingLastPathComponent().appendingPathComponent("share/marketmap/sql")
        if FileManager.default.fileExists(atPath: installed.path) { return installed }
        for _ in 0..<8 {
            let candidate = directory.appendingPathComponent("sql")
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path),
                FileManager.default.fileExists(atPath: candidate.path)
            {
                return candidate
            }
            directory = directory.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("sql")
    }

    /// Applies every pending migration. Returns the files applied now.
    @discardableResult
    public func migrate(_ connection: Connection, logger: Logger) async throws -> [MigrationFile] {
        try await connection.migrate(self, logger: logger)
    }

    /// Each file with its state in this database.
    public func status(_ connection: Connection) async throws -> [(version: Int, name: String, status: MigrationStatus)] {
        try await connection.migrationStatus(self)
    }
}

extension Connection {
    func migrate(_ migrator: Migrator, logger: Logger) throws -> [MigrationFile] {
        try query(PostgresQueries.lockMigrations, PostgresQueries.migrationLockKey)
        defer { _ = try? query(PostgresQueries.unlockMigrations, PostgresQueries.migrationLockKey) }
        try execute(PostgresQueries.createLedger)
        let applied = try appliedMigrations()
        var pending: [MigrationFile] = []
        for file in migrator.files {
            if let record = applied[file.version] {
                if record.checksum != (try checksum(file.sql)) { throw MigrationError.edited(file: file.fileName, applied: record.appliedAt) }
            } else {
                pending.append(file)
            }
        }
        let known = Set(migrator.files.map(\.version))
        if let stranger = applied.values.sorted(by: { $0.version < $1.version }).first(where: { !known.contains($0.version) }) {
            throw MigrationError.unknownApplied(version: stranger.version, name: stranger.name)
        }
        for file in pending {
            do {
                try apply(file)
            } catch {
                throw MigrationError.failed(file: file.fileName, error: error)
            }
            logger.info("applied migration", metadata: ["migration": "\(file.fileName)"])
        }
        return pending
    }

    /// One migration and its ledger row in one transaction.
    private func apply(_ file: MigrationFile) throws(PostgresError) {
        let started = ContinuousClock.now
        try execute("BEGIN")
        do {
            try execute(file.sql)
            let elapsed = started.duration(to: .now).components
            try query(
                PostgresQueries.recordMigration, file.version, file.name, try checksum(file.sql),
                Int(elapsed.seconds * 1000 + elapsed.attoseconds / 1_000_000_000_000_000))
            try execute("COMMIT")
        } catch {
            if isUsable { try? execute("ROLLBACK") }
            throw error
        }
    }

    func migrationStatus(_ migrator: Migrator) throws -> [(version: Int, name: String, status: MigrationStatus)] {
        let ledger = try query(PostgresQueries.ledgerExists)[0].decode(Bool.self)
        let applied = ledger ? try appliedMigrations() : [:]
        var rows: [(version: Int, name: String, status: MigrationStatus)] = []
        for file in migrator.files {
            if let record = applied[file.version] {
                let edited = record.checksum != (try checksum(file.sql))
                rows.append((file.version, file.name, edited ? .edited : .applied(record.appliedAt)))
            } else {
                rows.append((file.version, file.name, .pending))
            }
        }
        let known = Set(migrator.files.map(\.version))
        for record in applied.values.sorted(by: { $0.version < $1.version }) where !known.contains(record.version) {
            rows.append((record.version, record.name, .unknown))
        }
        return rows
    }

    private func appliedMigrations() throws(PostgresError) -> [Int: AppliedMigration] {
        var applied: [Int: AppliedMigration] = [:]
        for row in try query(PostgresQueries.appliedMigrations) {
            let (version, name, checksum, appliedAt) = try row.decode(Int.self, String.self, String.self, Date.self)
            let record = AppliedMigration(version: version, name: name, checksum: checksum, appliedAt: appliedAt)
            applied[record.version] = record
        }
        return applied
    }

    /// SHA-256 of the file's text, computed by the server (no crypto dependency).
    func checksum(_ sql: String) throws(PostgresError) -> String {
        try query(PostgresQueries.checksum, sql)[0].decode(String.self)
    }
}

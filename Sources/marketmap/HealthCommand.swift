import ArgumentParser
import Enrichment
import Foundation
import Postgres

/// `marketmap health`: the container health check of the long-running roles
/// (docker/compose.yaml). Healthy when the configured database answers with a
/// schema this binary can work on (no migration pending or edited; one newer
/// than the binary, applied by an upgrade under way, is fine) and, with
/// `--metrics-port`, when this container's `/metrics` endpoint answers 200.
struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Check that a role can work here: the database, its schema and the role's /metrics endpoint (exit 0 healthy, 1 with the reason).",
        discussion: "Never starts the embedded server: the database must be configured (--database-url, DATABASE_URL or PG* variables).")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Folder holding the migrations (default: MARKETMAP_SQL_DIR or the bundled sql/).") var sqlDir: String?
    @Option(help: "Also GET /metrics on this port of --metrics-address (the role's --metrics-port).") var metricsPort: Int?
    @Option(help: "Address of the role's metrics endpoint.") var metricsAddress = "127.0.0.1"
    @Option(help: "Seconds to wait for /metrics.") var timeout = 3.0

    func run() async throws {
        do {
            var findings = [try await checkDatabase()]
            if let metricsPort { findings.append(try await checkMetrics(port: metricsPort)) }
            print("healthy: " + findings.joined(separator: "; "))
        } catch let problem as HealthProblem {
            print("unhealthy: \(problem)")
            throw ExitCode(1)
        }
    }

    func checkDatabase() async throws -> String {
        guard let config = ConnectionConfig.external(url: global.databaseURL) else { throw HealthProblem.noDatabase }
        let migrator = try Migrator(directory: sqlDir.map { URL(fileURLWithPath: $0) } ?? Migrator.defaultDirectory())
        let db: Connection
        do { db = try await Connection.connect(config) } catch { throw HealthProblem.database("\(error)") }
        let rows: [(version: Int, name: String, status: MigrationStatus)]
        do { rows = try await migrator.status(db) } catch {
            await db.close()
            throw HealthProblem.database("\(error)")
        }
        await db.close()
        let name = { (row: (version: Int, name: String, status: MigrationStatus)) in String(format: "%04d_%@", row.version, row.name) }
        let pending = rows.filter { $0.status == .pending }.map(name)
        let edited = rows.filter { $0.status == .edited }.map(name)
        if !edited.isEmpty { throw HealthProblem.schema("migrations edited after they were applied: \(edited.joined(separator: ", "))") }
        if !pending.isEmpty {
            throw HealthProblem.schema("\(pending.count) migration(s) pending (\(pending.joined(separator: ", "))): run `marketmap db migrate` (the compose `migrate` service)")
        }
        let newer = rows.filter { $0.status == .unknown }.count
        return "database reachable, schema current" + (newer > 0 ? " (\(newer) newer migration(s) than this binary: an upgrade is under way)" : "")
    }

    func checkMetrics(port: Int) async throws -> String {
        let url = "http://\(metricsAddress.contains(":") ? "[\(metricsAddress)]" : metricsAddress):\(port)/metrics"
        let milliseconds = Int(timeout * 1000)
        // libcurl blocks: on a thread of its own, never on Swift's cooperative pool.
        let response: HTTPResponse? = await withCheckedContinuation { continuation in
            Thread {
                continuation.resume(returning: try? Self.get(url, timeoutMilliseconds: milliseconds))
            }.start()
        }
        guard let response else { throw HealthProblem.metrics("\(url): no answer within \(timeout) s") }
        guard response.status == 200 else {
            throw HealthProblem.metrics("\(url): " + (response.transportError ?? "HTTP \(response.status.map(String.init) ?? "?")"))
        }
        return "metrics answering at \(url)"
    }

    /// One GET on the calling thread, or nil when nothing answered in time.
    static func get(_ url: String, timeoutMilliseconds: Int) throws -> HTTPResponse? {
        let multi = try CurlMulti()
        try multi.start(HTTPRequest(url: url, timeoutMilliseconds: timeoutMilliseconds), tag: 1)
        let deadline = Date().addingTimeInterval(Double(timeoutMilliseconds) / 1000 + 1)
        while Date() < deadline {
            if let done = try multi.poll(timeoutMilliseconds: 50).first { return done.response }
        }
        return nil
    }
}

/// Why `marketmap health` failed, in words an operator can act on.
enum HealthProblem: Error, CustomStringConvertible {
    case noDatabase
    case database(String)
    case schema(String)
    case metrics(String)

    var description: String {
        switch self {
        case .noDatabase: return "no database configured: set DATABASE_URL (or --database-url, or PG* variables)"
        case .database(let error): return "database unreachable: \(error)"
        case .schema(let problem): return "schema: \(problem)"
        case .metrics(let problem): return "metrics endpoint: \(problem)"
        }
    }
}

import Foundation
import Testing
import TestSupport

/// `marketmap health`, the compose health check of the long-running roles.
@Suite("marketmap health")
struct HealthCommandTests {
    /// A copy of sql/ without its last migration (`older`) or with one more (`newer`).
    func sqlDirectory(_ variant: String) throws -> URL {
        let source = TestServer.repositoryRoot.appendingPathComponent("sql")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mm-health-sql-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: source, to: directory)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".sql") }.sorted()
        if variant == "older", let last = files.last { try FileManager.default.removeItem(at: directory.appendingPathComponent(last)) }
        if variant == "newer" { try "SELECT 1;\n".write(to: directory.appendingPathComponent("9998_next_version.sql"), atomically: true, encoding: .utf8) }
        return directory
    }

    @Test("without a configured database it is unhealthy and starts no embedded server", .tags(.process), .notFast)
    func noDatabase() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("mm-health-none-\(UUID().uuidString)")
        let result = try await MarketMapBinary.run(["health", "--data-dir", data.path])
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("unhealthy: no database configured: set DATABASE_URL"), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: data.path), "no embedded server was started")
    }

    @Test("healthy on a current schema and on a newer one (an upgrade under way); unhealthy with a migration pending", .tags(.process), .notFast)
    func schema() async throws {
        try await withTestDatabase { config in
            let environment = Cluster(config).environment
            let current = try await MarketMapBinary.run(["health"], environment: environment)
            #expect(current.status == 0, "\(current.output)")
            #expect(current.output.contains("healthy: database reachable, schema current") && !current.output.contains("upgrade"), "\(current.output)")

            let older = try sqlDirectory("older")
            let upgrading = try await MarketMapBinary.run(["health", "--sql-dir", older.path], environment: environment)
            #expect(upgrading.status == 0, "\(upgrading.output)")
            #expect(upgrading.output.contains("1 newer migration(s) than this binary: an upgrade is under way"), "\(upgrading.output)")

            let newer = try sqlDirectory("newer")
            let pending = try await MarketMapBinary.run(["health", "--sql-dir", newer.path], environment: environment)
            #expect(pending.status == 1, "\(pending.output)")
            #expect(pending.output.contains("unhealthy: schema: 1 migration(s) pending (9998_next_version): run `marketmap db migrate`"), "\(pending.output)")
        }
    }

    @Test("--metrics-port: healthy while the role's /metrics answers, unhealthy once it is gone", .tags(.process), .notFast)
    func metrics() async throws {
        try await withTestDatabase { config in
            let cluster = Cluster(config)
            let worker = try cluster.worker("w1", extra: ["--metrics-port", "0"])
            #expect(try await worker.waitFor("/metrics"))
            let match = try #require(worker.text.firstMatch(of: /metrics on http:\/\/127\.0\.0\.1:(\d+)\/metrics/), "\(worker.text)")
            let port = String(match.1)
            let up = try await MarketMapBinary.run(["health", "--metrics-port", port], environment: cluster.environment)
            #expect(up.status == 0, "\(up.output)")
            #expect(up.output.contains("metrics answering at http://127.0.0.1:\(port)/metrics"), "\(up.output)")
            cluster.stopAll()  // SIGKILL, and waits for the exit
            let down = try await MarketMapBinary.run(["health", "--metrics-port", port, "--timeout", "1"], environment: cluster.environment)
            #expect(down.status == 1, "\(down.output)")
            #expect(down.output.contains("unhealthy: metrics endpoint: http://127.0.0.1:\(port)/metrics"), "\(down.output)")
        }
    }
}

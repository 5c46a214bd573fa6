import Foundation
import TestSupport
import Testing
import Yams

/// docker/compose.yaml and docker/Dockerfile checked against the binary: no
/// Docker engine runs here, so the wiring is validated statically, and
/// `ops/cluster` runs the same roles as processes.
@Suite("Compose file")
struct ComposeTests {
    static let docker = TestServer.repositoryRoot.appendingPathComponent("docker")

    /// Variables marketmap reads (besides provider tokens named in the config).
    static let known: Set<String> = [
        "DATABASE_URL", "PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE", "PGSSLMODE", "MARKETMAP_SQL_DIR",
        "MARKETMAP_DATA_DIR", "MARKETMAP_SAMPLE_DIR", "MARKETMAP_SIMULATOR_URL", "MARKETMAP_REFRESH_MANIFEST",
    ]

    func load() throws -> [String: Any] {
        let text = try String(contentsOf: Self.docker.appendingPathComponent("compose.yaml"), encoding: .utf8)
        return try #require(try Yams.load(yaml: text) as? [String: Any])
    }

    @Test("every service is wired as the binary expects: commands parse, variables are known, dependencies and health checks hold", .tags(.process), .notFast)
    func services() async throws {
        let compose = try load()
        let services = try #require(compose["services"] as? [String: Any])
        #expect(Set(services.keys) == ["postgres", "migrate", "coordinator", "worker", "reporter"])
        let postgres = try #require(services["postgres"] as? [String: Any])
        #expect((postgres["image"] as? String)?.hasPrefix("postgres:") == true)
        #expect(((postgres["healthcheck"] as? [String: Any])?["test"] as? [String])?.joined(separator: " ").contains("pg_isready") == true)
        #expect((postgres["volumes"] as? [String])?.contains { $0.hasPrefix("pgdata:") } == true)
        let volumes = Set((compose["volumes"] as? [String: Any] ?? [:]).keys)
        for name in ["migrate", "coordinator", "worker", "reporter"] {
            let service = try #require(services[name] as? [String: Any], "\(name)")
            #expect(service["image"] as? String == "marketmap:latest", "\(name)")
            let build = service["build"] as? [String: Any]
            #expect(build?["dockerfile"] as? String == "docker/Dockerfile", "\(name)")
            let words = try #require(service["command"] as? [Any], "\(name)")
            let command = words.map { "\($0)" }
            let parsed = try await MarketMapBinary.run(["check-args", "--"] + command)
            #expect(parsed.status == 0, "\(name): \(command.joined(separator: " ")): \(parsed.output)")
            let environment = try #require(service["environment"] as? [String: Any], "\(name)")
            #expect(Set(environment.keys).isSubset(of: Self.known), "\(name): \(environment.keys.sorted())")
            #expect((environment["DATABASE_URL"] as? String)?.contains("@postgres:5432/") == true, "\(name) reaches the postgres service")
            for mount in service["volumes"] as? [String] ?? [] {
                let source = String(mount.split(separator: ":")[0])
                #expect(source.hasPrefix(".") || volumes.contains(source), "\(name): volume \(source) is declared")
            }
            let dependsOn = service["depends_on"] as? [String: Any] ?? [:]
            let condition = { (service: String) in (dependsOn[service] as? [String: Any])?["condition"] as? String }
            #expect(name == "migrate" ? condition("postgres") == "service_healthy" : condition("migrate") == "service_completed_successfully", "\(name)")
        }
        #expect((services["migrate"] as? [String: Any])?["command"] as? [String] == ["db", "migrate"])
        for name in ["worker", "reporter"] {
            let command = (services[name] as? [String: Any])?["command"] as? [String] ?? []
            #expect(command.contains("--metrics-port") && command.contains("0.0.0.0"), "\(name) serves /metrics to other containers")
        }
        #expect(((services["reporter"] as? [String: Any])?["ports"] as? [String])?.contains("9464:9464") == true)
        #expect(((services["coordinator"] as? [String: Any])?["deploy"] as? [String: Any])?["replicas"] as? Int == 2, "leader and standby")
        let worker = try #require(services["worker"] as? [String: Any])
        let grace = (worker["command"] as? [String]).flatMap { command in command.firstIndex(of: "--grace-seconds").map { Double(command[$0 + 1]) ?? 0 } } ?? 30
        #expect(Double((worker["stop_grace_period"] as? String ?? "0s").dropLast()) ?? 0 > grace, "docker waits longer than the worker's grace")
    }

    @Test("the Dockerfile builds in a Swift image and runs as a non-root user on a slim image with the sql and the sample")
    func dockerfile() throws {
        let text = try String(contentsOf: Self.docker.appendingPathComponent("Dockerfile"), encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("FROM ") }.map { $0.split(separator: " ")[1].split(separator: ":")[0] } == ["swift", "debian"])
        for package in ["libpq5", "libcurl4", "libpsl5", "ca-certificates"] { #expect(text.contains(package), "\(package)") }
        #expect(lines.contains { $0.hasPrefix("USER ") && !$0.hasSuffix("root") })
        #expect(lines.contains("ENTRYPOINT [\"/usr/local/bin/marketmap\"]"))
        #expect(text.contains("COPY sql /out/share/marketmap/sql") && text.contains("COPY ops/sample /out/share/marketmap/sample"))
        // The secrets file is never committed; its template is.
        #expect(FileManager.default.fileExists(atPath: Self.docker.appendingPathComponent("env.example").path))
        let ignore = try String(contentsOf: TestServer.repositoryRoot.appendingPathComponent(".gitignore"), encoding: .utf8)
        #expect(ignore.split(separator: "\n").contains("docker/.env"))
    }
}

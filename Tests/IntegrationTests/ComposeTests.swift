import Foundation
import TestSupport
import Testing
import Yams

/// docker/compose.yaml, its test override and docker/Dockerfile checked
/// against the binary: the wiring statically here, for real under Docker
/// Engine by `ops/test-compose`, and as processes by `ops/cluster`.
@Suite("Compose file")
struct ComposeTests {
    static let docker = TestServer.repositoryRoot.appendingPathComponent("docker")

    /// Variables marketmap reads (besides provider tokens named in the config).
    static let known: Set<String> = [
        "DATABASE_URL", "PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE", "PGSSLMODE", "MARKETMAP_SQL_DIR",
        "MARKETMAP_DATA_DIR", "MARKETMAP_SAMPLE_DIR", "MARKETMAP_SIMULATOR_URL", "MARKETMAP_REFRESH_MANIFEST",
    ]

    func load(_ file: String = "compose.yaml") throws -> [String: Any] {
        let text = try String(contentsOf: Self.docker.appendingPathComponent(file), encoding: .utf8)
        return try #require(try Yams.load(yaml: text) as? [String: Any])
    }

    /// A compose command (or health check test) as strings.
    static func words(_ value: Any?) -> [String] { (value as? [Any] ?? []).map { "\($0)" } }

    /// Whether `command` is a command line the binary accepts.
    func parses(_ command: [String]) async throws -> (ok: Bool, output: String) {
        let parsed = try await MarketMapBinary.run(["check-args", "--"] + command)
        return (parsed.status == 0, parsed.output)
    }

    /// The value after `flag` in a command.
    static func value(of flag: String, in command: [String]) -> String? {
        command.firstIndex(of: flag).flatMap { $0 + 1 < command.count ? command[$0 + 1] : nil }
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
            let command = Self.words(service["command"])
            let parsed = try await parses(command)
            #expect(parsed.ok, "\(name): \(command.joined(separator: " ")): \(parsed.output)")
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
        #expect((services["migrate"] as? [String: Any])?["command"] as? [String] == ["db", "migrate", "--log-format", "json"])
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

    @Test("production hygiene: a health check that parses for every long-running role (with its metrics port), JSON logs, resource limits, secrets from .env only", .tags(.process), .notFast)
    func hygiene() async throws {
        let services = try #require(try load()["services"] as? [String: Any])
        for (name, value) in services {
            let service = try #require(value as? [String: Any])
            #expect((service["logging"] as? [String: Any])?["driver"] as? String == "json-file", "\(name) logs through json-file")
            let limits = ((service["deploy"] as? [String: Any])?["resources"] as? [String: Any])?["limits"] as? [String: Any]
            #expect(limits?["cpus"] != nil && limits?["memory"] != nil, "\(name) has resource limits")
            for key in (service["environment"] as? [String: Any] ?? [:]).keys where key.contains("PASSWORD") || key.contains("TOKEN") {
                #expect("\((service["environment"] as? [String: Any])?[key] ?? "")".hasPrefix("${"), "\(name): \(key) comes from .env")
            }
            guard name != "postgres", name != "migrate" else { continue }
            let command = Self.words(service["command"])
            #expect(command.contains("json"), "\(name) logs JSON")
            let check = Self.words((service["healthcheck"] as? [String: Any])?["test"])
            #expect(Array(check.prefix(3)) == ["CMD", "marketmap", "health"], "\(name): \(check)")
            let parsed = try await parses(Array(check.dropFirst(2)))
            #expect(parsed.ok, "\(name): \(check): \(parsed.output)")
            #expect(Self.value(of: "--metrics-port", in: check) == Self.value(of: "--metrics-port", in: command), "\(name) checks its own metrics port")
        }
        #expect(((services["migrate"] as? [String: Any])?["healthcheck"] as? [String: Any])?["disable"] as? Bool == true, "migrate is one-shot")
    }

    @Test("the test override (ops/test-compose) only moves the fleet onto host networking and local images: its commands are production's but for the metrics flags", .tags(.process), .notFast)
    func testOverride() async throws {
        let production = try #require(try load()["services"] as? [String: Any])
        let overrides = try #require(try load("compose.test.yaml")["services"] as? [String: Any])
        #expect(Set(overrides.keys) == Set(production.keys).union(["simulator"]))
        for (name, value) in overrides {
            let service = try #require(value as? [String: Any])
            #expect(service["network_mode"] as? String == "host", "\(name) talks over loopback")
            #expect(service["pull_policy"] as? String == "never", "\(name) uses the images built offline")
            let command = Self.words(service["command"])
            if !command.isEmpty, !command.contains(where: { $0.contains("${") }) {
                let parsed = try await parses(command)
                #expect(parsed.ok, "\(name): \(command): \(parsed.output)")
            }
            guard let original = production[name] as? [String: Any], !command.isEmpty else { continue }
            let metrics: Set<String> = ["--metrics-port", "--metrics-address"]
            let strip = { (words: [String]) in
                words.enumerated().filter { index, _ in !metrics.contains(words[index]) && !(index > 0 && metrics.contains(words[index - 1])) }.map(\.element)
            }
            #expect(strip(command) == strip(Self.words(original["command"])), "\(name): only the metrics flags differ from compose.yaml")
            #expect(Self.value(of: "--metrics-address", in: command) == "127.0.0.1", "\(name): metrics on loopback only")
        }
    }

    @Test("the Dockerfile builds in a Swift image and runs as a non-root user on a slim image (its first stage, alone for ops/test-compose) with the sql and the sample", .tags(.process), .notFast)
    func dockerfile() throws {
        let text = try String(contentsOf: Self.docker.appendingPathComponent("Dockerfile"), encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains("ARG BASE=debian:bookworm-slim"))
        #expect(lines.filter { $0.hasPrefix("FROM ") } == ["FROM ${BASE} AS runtime", "FROM swift:6.2-bookworm AS build", "FROM runtime"])
        for package in ["libpq5", "libcurl4", "libpsl5", "publicsuffix", "ca-certificates"] { #expect(text.contains(package), "\(package)") }
        #expect(text.contains("install -d -o marketmap -g marketmap /var/lib/marketmap/inbox /var/lib/marketmap/reports"), "the volumes' folders belong to the role's user")
        #expect(lines.contains { $0.hasPrefix("USER ") && !$0.hasSuffix("root") })
        #expect(lines.contains("ENTRYPOINT [\"/usr/local/bin/marketmap\"]"))
        #expect(text.contains("COPY sql /out/share/marketmap/sql") && text.contains("COPY ops/sample /out/share/marketmap/sample"))
        // The secrets file is never committed; its template is.
        #expect(FileManager.default.fileExists(atPath: Self.docker.appendingPathComponent("env.example").path))
        let ignore = try String(contentsOf: TestServer.repositoryRoot.appendingPathComponent(".gitignore"), encoding: .utf8)
        #expect(ignore.split(separator: "\n").contains("docker/.env"))
    }
}

import Foundation
import Postgres
import TestSupport
import Testing

@Suite("The marketmap binary against real servers", .serialized, .tags(.process), .notFast)
struct CommandLineTests {
    @Test("`db migrate` uses the server named by PG* variables")
    func migrateWithPGVariables() async throws {
        try await withTestDatabase(migrated: false) { config in
            let server = try await TestServer.shared.start()
            let result = try await MarketMapBinary.run(["db", "migrate"], environment: MarketMapBinary.environment([
                "PGHOST": server.socketDirectory.path, "PGPORT": String(server.options.port),
                "PGUSER": server.options.user, "PGDATABASE": try #require(config.overrideDatabase),
            ]))
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.contains("applied"))
            let db = try await Connection.connect(config)
            #expect(try await db.query("SELECT count(*) FROM marketmap_migrations")[0].decode(0, as: Int.self) > 0)
            await db.close()

            let again = try await MarketMapBinary.run(["db", "status"], environment: MarketMapBinary.environment([
                "DATABASE_URL": "postgresql://\(server.options.user)@/\(try #require(config.overrideDatabase))?host=\(server.socketDirectory.path)",
            ]))
            #expect(again.status == 0, "\(again.output)")
            #expect(again.output.contains("applied"))
            #expect(!again.output.contains("pending"))
        }
    }

    @Test("`db migrate` with nothing configured starts the embedded server, and stops it")
    func migrateEmbedded() async throws {
        let dataDirectory = "/tmp/mm-cli-\(getpid())-\(UInt16.random(in: 0...UInt16.max))/pgdata"
        defer { removeEmbedded(dataDirectory) }
        let first = try await MarketMapBinary.run(["db", "migrate", "--data-dir", dataDirectory])
        #expect(first.status == 0, "\(first.output)")
        #expect(first.output.contains("applied"))
        #expect(!FileManager.default.fileExists(atPath: dataDirectory + "/postmaster.pid"), "server left running")
        // The data directory is reused: the second run finds everything applied.
        let second = try await MarketMapBinary.run(["db", "migrate", "--data-dir", dataDirectory])
        #expect(second.status == 0, "\(second.output)")
        #expect(second.output.contains("up to date"))
    }

    @Test("SIGTERM to `db serve` stops the server and exits 0, leaving no postgres process behind")
    func sigtermStopsServer() async throws {
        let dataDirectory = "/tmp/mm-cli-\(getpid())-\(UInt16.random(in: 0...UInt16.max))/pgdata"
        defer { removeEmbedded(dataDirectory) }
        let (serve, postmaster) = try await startServe(dataDirectory)
        #expect(kill(postmaster, 0) == 0)

        serve.process.terminate()  // SIGTERM
        #expect(try await serve.waitForExit() == 0, "SIGTERM is how a service manager stops it: \(serve.text)")
        #expect(kill(postmaster, 0) != 0, "postmaster \(postmaster) still alive")
        #expect(!FileManager.default.fileExists(atPath: dataDirectory + "/postmaster.pid"))
    }

    @Test("SIGKILL to the parent: the watchdog stops the server")
    func sigkillWatchdog() async throws {
        let dataDirectory = "/tmp/mm-cli-\(getpid())-\(UInt16.random(in: 0...UInt16.max))/pgdata"
        defer { removeEmbedded(dataDirectory) }
        let (serve, postmaster) = try await startServe(dataDirectory)
        kill(serve.process.processIdentifier, SIGKILL)
        _ = try await serve.waitForExit()
        var gone = false
        for _ in 0..<100 where !gone {
            try await Task.sleep(for: .milliseconds(100))
            gone = kill(postmaster, 0) != 0
        }
        #expect(gone, "postmaster \(postmaster) survived its owner's SIGKILL")
    }

    @Test("--version and --help answer for every command")
    func help() async throws {
        let version = try await MarketMapBinary.run(["--version"])
        #expect(version.status == 0)
        #expect(version.output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
        for command in [[], ["db"], ["db", "migrate"], ["db", "status"], ["db", "serve"], ["db", "stop"], ["version"]] {
            let help = try await MarketMapBinary.run(command + ["--help"])
            #expect(help.status == 0, "\(command)")
            #expect(help.output.contains("USAGE"), "\(command)")
        }
    }

    @Test("`config check` on a YAML syntax error names the file, line and column, and exits 1")
    func configSyntaxError() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mm-bad-\(UUID().uuidString).yaml")
        try "icp:\n  products:\n    - name: p: q\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try await MarketMapBinary.run(["config", "check", file.path])
        #expect(result.status == 1)
        #expect(result.output.contains("\(file.path): line 3, column 14: not valid YAML: mapping values are not allowed"), "\(result.output)")
        #expect(!result.output.contains("The given data was not valid YAML"), "\(result.output)")
    }

    @Test("a bad --log-level is refused naming the option")
    func badOption() async throws {
        let result = try await MarketMapBinary.run(["db", "status", "--log-level", "loud"])
        #expect(result.status != 0)
        #expect(result.output.contains("log-level"))
    }
}

/// Removes a test's embedded data directory and its socket folder.
func removeEmbedded(_ dataDirectory: String) {
    let server = EmbeddedServer(options: EmbeddedServerOptions(dataDirectory: URL(fileURLWithPath: dataDirectory)))
    EmbeddedServer.stopServer(dataDirectory: dataDirectory)
    try? FileManager.default.removeItem(at: server.socketDirectory)
    try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: dataDirectory).deletingLastPathComponent().path)
}

/// Starts `marketmap db serve` and returns it with the postmaster's pid.
func startServe(_ dataDirectory: String) async throws -> (RunningBinary, pid_t) {
    let serve = try RunningBinary(["db", "serve", "--data-dir", dataDirectory])
    guard try await serve.waitFor("ready") else { throw ClusterError("db serve did not get ready: \(serve.text)") }
    let pidText = try String(contentsOfFile: dataDirectory + "/postmaster.pid", encoding: .utf8)
    guard let postmaster = pid_t(pidText.split(separator: "\n")[0]) else { throw ClusterError("no postmaster pid") }
    return (serve, postmaster)
}

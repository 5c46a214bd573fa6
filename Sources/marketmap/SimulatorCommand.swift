import ArgumentParser
import DevTools
import Foundation
import Logging

struct SimulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulator",
        abstract: "Serve a provider dataset as an enrichment API on loopback, for demos, tests and benchmarks.",
        discussion: """
            GET /v1/companies?domain=D answers the row of D as JSON (404 when the dataset lacks it); POST \
            /v1/companies/batch takes {"domains": [...]} and answers {"results": [...]}; GET /stats counts the calls. \
            With --people: POST /v1/people/search ({"domain", "titles", "seniorities", "departments", "page", "per_page"}) \
            answers {"people": [...]}, GET /v1/verify?email=E answers {"status": "valid"|"invalid"|"unknown"}. \
            Latency and faults (500s, 429s with Retry-After, hangs) are drawn from a seeded generator. \
            Runs until Ctrl-C or SIGTERM.
            """)

    @Option(help: "CSV with a domain column; every other column is a field of the answer (\"a; b\" becomes a list).") var data: String
    @Option(help: "CSV of people (domain, first_name, last_name, title, email, linkedin, country, ...) for POST /v1/people/search and GET /v1/verify.") var people: String?
    @Option(help: "Port on 127.0.0.1 (0: any free port, printed).") var port = 0
    @Option(help: "Milliseconds before each answer.") var latencyMs = 0
    @Option(help: "Share of calls answered 500.") var errorRate = 0.0
    @Option(help: "Share of calls answered 429 with Retry-After.") var tooManyRequestsRate = 0.0
    @Option(help: "Share of calls that hang (the client's timeout must end them).") var timeoutRate = 0.0
    @Option(help: "Share of calls answered 200 with a body that is not JSON.") var malformedRate = 0.0
    @Option(help: "Seconds in the Retry-After of a 429.") var retryAfter = 1
    @Option(help: "Require `Authorization: Bearer <token>`, the token read from this environment variable.") var tokenEnv: String?
    @Option(help: "Seed of the fault generator.") var seed: UInt64 = 1

    func validate() throws {
        for (name, rate) in [("--error-rate", errorRate), ("--too-many-requests-rate", tooManyRequestsRate), ("--timeout-rate", timeoutRate), ("--malformed-rate", malformedRate)]
        where !(0...1).contains(rate) {
            throw ValidationError("\(name) must be a share between 0 and 1")
        }
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
    }

    func run() async throws {
        var settings = ProviderSimulator.Settings()
        settings.latencyMilliseconds = latencyMs
        settings.errorRate = errorRate
        settings.tooManyRequestsRate = tooManyRequestsRate
        settings.timeoutRate = timeoutRate
        settings.malformedRate = malformedRate
        settings.retryAfterSeconds = retryAfter
        settings.seed = seed
        if let tokenEnv {
            guard let token = ProcessInfo.processInfo.environment[tokenEnv], !token.isEmpty else {
                throw ValidationError("--token-env \(tokenEnv): the variable is not set")
            }
            settings.token = token
        }
        let records: [String: [String: String]]
        let directory: PeopleDirectory
        do {
            records = try ProviderSimulator.dataset(data)
            directory = try people.map { try PeopleDirectory.dataset($0) } ?? PeopleDirectory()
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let simulator = ProviderSimulator(records: records, people: directory, settings: settings)
        let bound = try simulator.start(port: port)
        let companies = records.count, people = directory.count
        let listening = Announced(service: simulator) {
            print("provider simulator listening on http://127.0.0.1:\(bound) with \(companies) companies and \(people) people")
            fflush(nil)  // flush stdout even when it is a pipe (scripts wait for this line)
        }
        try await Lifecycle.run([.init(service: listening)], logger: Logger(label: "marketmap.simulator"))
        print("provider simulator stopped after \(simulator.calls) calls")
    }
}

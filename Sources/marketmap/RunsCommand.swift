import ArgumentParser
import Foundation
import JobQueue
import Logging
import MarketMapCore
import Pipeline
import Postgres

struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "Start runs of a pipeline, list them, wait for one.",
        subcommands: [Start.self, Submit.self, List.self, Show.self, Wait.self, Export.self])

    /// A manifest's run for a fleet that is already running (docker compose,
    /// ops/cluster): its files staged and the `market` run created in one
    /// transaction, like `marketmap run` does before it starts its own roles.
    struct Submit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stage a manifest's files and create its market run for running coordinators and workers. Prints the run id.",
            discussion: "The same manifest again, while its run is unfinished, prints that run's id instead of starting another.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The manifest (YAML). Default: the bundled sample.") var manifest: String?

        func run() async throws {
            let logger = global.makeLogger("marketmap.runs")
            let path = manifest ?? RunPlan.bundledSample()
            let plan = try ManifestRun.plan(path, out: nil)
            let id = try await global.withDatabase(logger: logger) { target in
                let db = try await Connection.connect(target.config)
                defer { Task { await db.close() } }
                let (run, resumed) = try await plan.migrateAndStart(
                    logger: logger, progress: { FileHandle.standardError.write(Data(("  " + $0 + "\n").utf8)) }, on: db)
                FileHandle.standardError.write(Data((resumed ? "run \(run) is already under way\n" : "run \(run) submitted\n").utf8))
                return run
            }
            print(id)
        }
    }

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a run; a coordinator picks it up. Prints the run id.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Pipeline name.") var pipeline: String
        @Option(name: .customLong("param"), help: "key=value (numbers and true/false are typed), repeatable.")
        var params: [String] = []
        @Option(help: "Configuration file (YAML, see ops/examples/marketmap.yaml): validated now, carried in the run's params so every worker uses the same one.")
        var config: String?

        func run() async throws {
            let logger = global.makeLogger("marketmap.runs")
            let registry = Registry.binary
            guard let definition = registry.pipelines[pipeline] else {
                throw RegistryError.unknownPipeline(pipeline, known: Array(registry.pipelines.keys))
            }
            var values = try parameters()
            if let config {
                let parsed: MarketMapConfig
                do {
                    parsed = try ConfigLoader.load(config)
                } catch {
                    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                    throw ExitCode(1)  // nothing started
                }
                let text = try String(contentsOfFile: config, encoding: .utf8)
                values["config"] = .text(text)
                // Validated once, here: the jobs decode this JSON instead of parsing the YAML.
                if let stored = StoredConfiguration.json(text, config: parsed) { values["configuration"] = .json(stored) }
                // Relative paths in the configuration (table providers' CSVs) resolve against its folder.
                values["config_dir"] = .text(URL(fileURLWithPath: config).deletingLastPathComponent().standardizedFileURL.path)
            }
            let json = try PostgresJSON(encoding: values)
            let stages = try definition.stages(RunInfo(id: 0, pipeline: pipeline, params: json))
            try await global.withConnection(logger: logger) { db, _ in
                let pipeline = self.pipeline
                let id = try await db.transaction { db in
                    try Runs(queue: JobQueue()).create(pipeline: pipeline, params: json, stages: stages, on: db)
                }
                print(id)
            }
        }

        func parameters() throws -> [String: ParameterValue] {
            var result: [String: ParameterValue] = [:]
            for param in params {
                let parts = param.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty else { throw ValidationError("--param \(param): expected key=value") }
                result[parts[0]] = ParameterValue(parts[1])
            }
            return result
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The most recent runs.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "How many.") var limit = 20

        func run() async throws {
            let logger = global.makeLogger("marketmap.runs")
            try await global.withConnection(logger: logger) { db, _ in
                for run in try await Runs(queue: JobQueue()).recent(limit: limit, on: db) {
                    print("\(run.id)  \(run.pipeline)  \(run.state.rawValue)\(run.error.isEmpty ? "" : "  \(run.error)")")
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A run's stages and progress as JSON.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Run id.") var run: Int

        func run() async throws {
            let logger = global.makeLogger("marketmap.runs")
            try await global.withConnection(logger: logger) { db, _ in
                guard let status = try await Runs(queue: JobQueue()).status(run, on: db) else {
                    throw ValidationError("no run \(run)")
                }
                print(String(decoding: try RunSummary(status).json(), as: UTF8.self))
            }
        }
    }

    struct Wait: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Wait until a run ends; exit 0 if it succeeded, 1 with its error if it failed.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Run id.") var run: Int
        @Option(help: "Give up after this many seconds (exit 2).") var timeout = 3600.0

        func run() async throws {
            let logger = global.makeLogger("marketmap.runs")
            let outcome: (String, String) = try await global.withDatabase(logger: logger) { target in
                let deadline = Date().addingTimeInterval(timeout)
                var connection: Connection?
                defer { if let connection { Task { await connection.close() } } }
                while Date() < deadline {
                    do {
                        let db: Connection
                        if let connection { db = connection } else { db = try await Connection.connect(target.config) }
                        connection = db
                        guard let state = try await Runs(queue: JobQueue()).state(run, on: db) else {
                            throw ValidationError("no run \(run)")
                        }
                        if state.state.isFinished { return (state.state.rawValue, state.error) }
                    } catch let error as PostgresError {
                        logger.debug("waiting for the database", metadata: ["error": "\(error)"])
                        connection = nil  // reconnect: the server may be restarting
                    }
                    try await Task.sleep(for: .milliseconds(200))
                }
                return ("timeout", "")
            }
            switch outcome.0 {
            case "done": print("run \(run) done")
            case "timeout":
                print("run \(run) still running after \(timeout) s")
                throw ExitCode(2)
            default:
                print("run \(run) \(outcome.0): \(outcome.1)")
                throw ExitCode(1)
            }
        }
    }
}

/// A `--param` value: a number or boolean when it reads as one, else text.
enum ParameterValue: Encodable {
    case int(Int), double(Double), bool(Bool), text(String), json(JSONValue)

    init(_ text: String) {
        if let value = Int(text) { self = .int(value) }
        else if let value = Double(text) { self = .double(value) }
        else if text == "true" || text == "false" { self = .bool(text == "true") }
        else { self = .text(text) }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .text(let value): try container.encode(value)
        case .json(let value): try container.encode(value)
        }
    }
}

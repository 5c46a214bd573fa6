import Foundation
import MarketMapCore
import JobQueue
import Postgres

/// A market run's params (`runs.params`), typed: what `marketmap run`,
/// `runs submit` and `runs start` write when they create the run, decoded
/// once by whoever reads them (planners, jobs through `RunSettings`, the
/// reporter). A field of the wrong type is an error naming the field.
public struct RunParameters: Codable, Sendable, Equatable {
    /// The configuration, validated when the run was created, as JSON
    /// (`StoredConfiguration`); nil for runs of older binaries and for YAML
    /// that JSON cannot say the same way: then `config` is parsed.
    public var configuration: JSONValue?
    /// The configuration's YAML text (the reports compare it with the
    /// previous run's to tell a changed configuration).
    public var config: String?
    /// The configuration's folder: relative paths in it (table providers' CSV files) resolve against it.
    public var configDir: String?
    /// Source names, highest priority first, comma-separated.
    public var sourcePriority: String?
    /// Shard jobs per sharded stage (default 8).
    public var shards: Int?
    /// The day tenure is counted to (`YYYY-MM-DD`; default: today, UTC).
    public var asOf: String?
    /// The manifest's fingerprint: an unfinished run of the same manifest resumes.
    public var manifest: String?
    /// `--plan-only`: the people stage counts what its plan needs and buys nothing.
    public var peoplePlanOnly: Bool?
    /// Lines of a staged file per normalize job (default 25,000, at least 100).
    public var linesPerJob: Int?
    /// Over the configuration's `match.name_threshold`.
    public var nameThreshold: Double?

    enum CodingKeys: String, CodingKey {
        case configuration, config, manifest, shards
        case configDir = "config_dir", sourcePriority = "source_priority", asOf = "as_of"
        case peoplePlanOnly = "people_plan_only", linesPerJob = "lines_per_job", nameThreshold = "name_threshold"
    }

    public init(
        config: String? = nil, configuration: JSONValue? = nil, configDir: String? = nil, sourcePriority: String? = nil,
        shards: Int? = nil, asOf: String? = nil, manifest: String? = nil, peoplePlanOnly: Bool? = nil
    ) {
        (self.config, self.configuration, self.configDir, self.sourcePriority) = (config, configuration, configDir, sourcePriority)
        (self.shards, self.asOf, self.manifest, self.peoplePlanOnly) = (shards, asOf, manifest, peoplePlanOnly)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        configuration = try c.decodeIfPresent(JSONValue.self, forKey: .configuration)
        config = try c.decodeIfPresent(String.self, forKey: .config)
        configDir = try c.decodeIfPresent(String.self, forKey: .configDir)
        sourcePriority = try c.decodeIfPresent(String.self, forKey: .sourcePriority)
        shards = try c.decodeIfPresent(Int.self, forKey: .shards)
        asOf = try c.decodeIfPresent(String.self, forKey: .asOf)
        manifest = try c.decodeIfPresent(String.self, forKey: .manifest)
        // `--param people_plan_only=true` is a boolean; older runs may carry the text.
        if let text = try? c.decodeIfPresent(String.self, forKey: .peoplePlanOnly) {
            peoplePlanOnly = text == "true"
        } else {
            peoplePlanOnly = try c.decodeIfPresent(Bool.self, forKey: .peoplePlanOnly)
        }
        linesPerJob = try c.decodeIfPresent(Int.self, forKey: .linesPerJob)
        nameThreshold = try c.decodeIfPresent(Double.self, forKey: .nameThreshold)
    }

    /// The params of a run, or an error that names the field that is wrong.
    public init(_ params: PostgresJSON) throws(RunParametersError) {
        do {
            self = try params.decode(RunParameters.self)
        } catch let error as DecodingError {
            throw RunParametersError(problem: JobPayloadError.describe(error))
        } catch {
            throw RunParametersError(problem: "\(error)")
        }
    }

    public func json() throws -> PostgresJSON { try PostgresJSON(encoding: self) }

    public var shardCount: Int { max(1, shards ?? 8) }
    public var priority: [String] { (sourcePriority ?? "").split(separator: ",").map { String($0).trimmedWhitespace } }
    public var linesPerNormalizeJob: Int { max(100, linesPerJob ?? 25_000) }
    /// `asOf`, or today (UTC).
    public var day: String { asOf ?? ISO8601DateFormatter.string(from: Date(), timeZone: .gmt, formatOptions: [.withFullDate]) }

    /// The run's configuration: its stored JSON, else its YAML text. A run
    /// without one fails with what to do.
    public func configurationModel() throws(ConfigError) -> MarketMapConfig {
        if let configuration { return try StoredConfiguration.decode(configuration, file: "the run's configuration") }
        guard let config else {
            throw ConfigError(path: "config", expected: "the run has no configuration; start it with `runs start --config FILE`")
        }
        return try ConfigLoader.parse(config, file: "the run's configuration")
    }

    /// Carries `text` (already validated as `config`) in the params, as JSON when it says the same.
    public mutating func carry(configText text: String, config parsed: MarketMapConfig) {
        config = text
        configuration = StoredConfiguration.json(text, config: parsed)
    }
}

/// Run params that do not decode: no job of the run can start.
public struct RunParametersError: PermanentJobError, CustomStringConvertible, Equatable {
    public var problem: String
    public var description: String { "the run's params do not decode: \(problem)" }
}

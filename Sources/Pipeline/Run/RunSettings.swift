import Foundation
import MarketMapCore
import Postgres
import Synchronization

/// A run's parameters and its configuration, decoded once per process and
/// run (cached by the params' text, which never changes for a run): every
/// job of the run on this worker reuses them.
public struct RunSettings: Sendable {
    public let params: RunParameters
    private let parsed: Result<MarketMapConfig, ConfigError>?

    init(params: RunParameters) {
        self.params = params
        parsed = params.configuration == nil && params.config == nil
            ? nil : Result { () throws(ConfigError) in try params.configurationModel() }
    }

    /// Whether the run carries a configuration (valid or not).
    public var hasConfiguration: Bool { parsed != nil }

    /// The run's configuration; an error says why there is none or what is wrong with it.
    public func configuration() throws(ConfigError) -> MarketMapConfig {
        guard let parsed else { return try params.configurationModel() }
        return try parsed.get()
    }

    /// The configuration and the day scoring counts tenure to.
    public func scoring() throws(ConfigError) -> AccountScoring {
        AccountScoring(config: try configuration(), asOf: params.day)
    }

    private static let cache = Mutex<[String: RunSettings]>([:])

    /// The settings of a run's params.
    public static func of(_ params: PostgresJSON) throws(RunParametersError) -> RunSettings {
        if let cached = cache.withLock({ $0[params.text] }) { return cached }
        let settings = RunSettings(params: try RunParameters(params))
        cache.withLock { cache in
            if cache.count >= 16 { cache.removeAll() }  // a worker serves few runs at once
            cache[params.text] = settings
        }
        return settings
    }

    /// The settings of run `run`, read from the database.
    public static func of(run: Int, on db: isolated Connection) throws -> RunSettings {
        guard let params: PostgresJSON = try db.query(RunQueries.runParams, run).first?.decode("params") else {
            throw RunParametersError(problem: "there is no run \(run)")
        }
        return try of(params)
    }
}

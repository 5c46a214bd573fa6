import Foundation

/// Whether an export holds every record of its object or only changed ones.
public enum ExportMode: String, Sendable, Equatable {
    case full, delta
}

/// What `marketmap run` works on (YAML, see `ops/sample/manifest.yaml`): the
/// source files, the configuration file and where the output goes. Paths are
/// relative to the manifest's directory unless absolute; a source's `file` may
/// be a pattern (`*`, `?`, `[...]` in its last component): the newest match.
public struct Manifest: Sendable, Equatable, Decodable {
    public struct Source: Sendable, Equatable, Decodable {
        public var source: String
        public var format: ExportFormat
        public var kind: RecordKind
        public var file: String
        /// `delimiter` and `encoding` (default `auto`: detected), `derived_ids`.
        public var options: ImportOptions
        /// `full`: the file holds every record of its source and kind, so
        /// records it lacks were deleted in the CRM and leave the map (kept in
        /// `removed_records`). `delta`: only changed records; nothing is removed.
        public var mode: ExportMode
        /// A full export lacking more than this share of the records imported
        /// before fails the run (a truncated export must not empty the map).
        public var maxRemovedShare: Double

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: ConfigKey.self)
            try c.rejectUnknown(["source", "format", "kind", "file", "delimiter", "encoding", "derived_ids", "mode", "max_removed_share"])
            source = try c.required("source")
            if let problem = ImportOptions.sourceNameProblem(source) { throw c.fail("source", problem) }
            let formatText: String = try c.required("format")
            guard let format = ExportFormat(rawValue: formatText) else { throw c.fail("format", "expected salesforce, hubspot or generic") }
            self.format = format
            let kindText: String = try c.value("kind", or: "accounts")
            guard let kind = RecordKind(rawValue: kindText) else { throw c.fail("kind", "expected accounts, contacts or opportunities") }
            self.kind = kind
            file = try c.required("file")
            options = ImportOptions(derivedIDs: try c.value("derived_ids", or: false))
            switch ImportOptions.delimiter(try c.value("delimiter", or: "auto")) {
            case .success(let delimiter): options.delimiter = delimiter
            case .failure(let error): throw c.fail("delimiter", error.message)
            }
            switch ImportOptions.encoding(try c.value("encoding", or: "auto")) {
            case .success(let encoding): options.encoding = encoding
            case .failure(let error): throw c.fail("encoding", error.message)
            }
            let modeText: String = try c.value("mode", or: "full")
            guard let mode = ExportMode(rawValue: modeText) else { throw c.fail("mode", "expected full (the whole CRM object) or delta (changed records only)") }
            self.mode = mode
            maxRemovedShare = try c.value("max_removed_share", or: 0.1)
            if !(0...1).contains(maxRemovedShare) { throw c.fail("max_removed_share", "expected a share between 0 and 1, e.g. 0.1") }
        }
    }

    /// A provider simulator `marketmap run` starts on loopback for the run
    /// (demos and the bundled sample): its URL goes to the workers in `env`.
    public struct Simulator: Sendable, Equatable, Decodable {
        public var data: String
        /// The people set people searches answer from (`ProviderSimulator+People.swift`).
        public var people: String?
        public var env: String
        public var latencyMilliseconds: Int
        public var errorRate: Double
        public var tooManyRequestsRate: Double
        public var seed: Int

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: ConfigKey.self)
            try c.rejectUnknown(["data", "people", "env", "latency_ms", "error_rate", "too_many_requests_rate", "seed"])
            data = try c.required("data")
            people = try c.decodeIfPresent(String.self, forKey: ConfigKey("people"))
            env = try c.value("env", or: "MARKETMAP_SIMULATOR_URL")
            latencyMilliseconds = try c.value("latency_ms", or: 0)
            errorRate = try c.value("error_rate", or: 0)
            tooManyRequestsRate = try c.value("too_many_requests_rate", or: 0)
            seed = try c.value("seed", or: 1)
            if latencyMilliseconds < 0 { throw c.fail("latency_ms", "expected milliseconds >= 0") }
            if !(0...1).contains(errorRate) { throw c.fail("error_rate", "expected a share between 0 and 1") }
            if !(0...1).contains(tooManyRequestsRate) { throw c.fail("too_many_requests_rate", "expected a share between 0 and 1") }
        }
    }

    /// When the coordinator (`--refresh MANIFEST`) starts a run of this
    /// manifest by itself: on a cron schedule, and/or when newer exports have
    /// settled in the inbox (sources given as patterns such as
    /// `inbox/acme-sfdc-accounts-*.csv`; the newest file of each is taken).
    public struct Refresh: Sendable, Equatable, Decodable {
        public var schedule: CronSchedule?
        public var timeZone: TimeZone
        public var watch: Bool
        /// A file modified more recently than this is still being written: not taken yet.
        public var settleSeconds: Double

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: ConfigKey.self)
            try c.rejectUnknown(["schedule", "time_zone", "watch", "settle_seconds"])
            if let text: String = try c.decodeIfPresent(String.self, forKey: ConfigKey("schedule")) {
                do { schedule = try CronSchedule(text) } catch { throw c.fail("schedule", "\(error.problem), e.g. \"30 2 * * *\" (02:30 every day)") }
            }
            let zone: String = try c.value("time_zone", or: "UTC")
            guard let timeZone = TimeZone(identifier: zone) else { throw c.fail("time_zone", "expected an IANA time zone such as UTC or Europe/Berlin") }
            self.timeZone = timeZone
            watch = try c.value("watch", or: false)
            settleSeconds = try c.value("settle_seconds", or: 60)
            if settleSeconds < 0 { throw c.fail("settle_seconds", "expected seconds >= 0") }
            if schedule == nil && !watch { throw c.fail("schedule", "expected a schedule, watch: true, or both") }
        }
    }

    public var sources: [Source]
    public var simulator: Simulator?
    public var refresh: Refresh?
    /// The configuration file (scoring, valuation, personas, territories, alerts).
    public var config: String
    /// Where the output contract's files go (`--out` wins).
    public var out: String
    /// Sources in order of trust for survivorship.
    public var sourcePriority: [String]
    /// Jobs of each sharded stage (`auto` by default: by the market's size).
    public var shards: ShardCount

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ConfigKey.self)
        try c.rejectUnknown(["sources", "config", "out", "source_priority", "shards", "simulator", "refresh"])
        sources = try c.required("sources")
        if sources.isEmpty { throw c.fail("sources", "expected at least one source file") }
        config = try c.required("config")
        out = try c.value("out", or: "marketmap-out")
        sourcePriority = try c.value("source_priority", or: [])
        shards = try c.value("shards", or: ShardCount.auto)
        simulator = try c.decodeIfPresent(Simulator.self, forKey: ConfigKey("simulator"))
        refresh = try c.decodeIfPresent(Refresh.self, forKey: ConfigKey("refresh"))
        if !sources.contains(where: { $0.kind == .accounts }) { throw c.fail("sources", "expected at least one accounts file") }
    }
}

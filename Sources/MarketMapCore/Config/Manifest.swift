/// What `marketmap run` works on (YAML, see `ops/sample/manifest.yaml`): the
/// source files, the configuration file and where the output goes. Paths are
/// relative to the manifest's directory unless absolute.
public struct Manifest: Sendable, Equatable, Decodable {
    public struct Source: Sendable, Equatable, Decodable {
        public var source: String
        public var format: ExportFormat
        public var kind: RecordKind
        public var file: String
        public var delimiter: String

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: ConfigKey.self)
            try c.rejectUnknown(["source", "format", "kind", "file", "delimiter"])
            source = try c.required("source")
            if source.trimmedWhitespace.isEmpty { throw c.fail("source", "expected the CRM instance's name, e.g. acme-sfdc") }
            let formatText: String = try c.required("format")
            guard let format = ExportFormat(rawValue: formatText) else { throw c.fail("format", "expected salesforce, hubspot or generic") }
            self.format = format
            let kindText: String = try c.value("kind", or: "accounts")
            guard let kind = RecordKind(rawValue: kindText) else { throw c.fail("kind", "expected accounts, contacts or opportunities") }
            self.kind = kind
            file = try c.required("file")
            delimiter = try c.value("delimiter", or: ",")
            if delimiter.utf8.count != 1 { throw c.fail("delimiter", "expected one ASCII character, e.g. ';'") }
        }
    }

    /// A provider simulator `marketmap run` starts on loopback for the run
    /// (demos and the bundled sample): its URL goes to the workers in `env`.
    public struct Simulator: Sendable, Equatable, Decodable {
        public var data: String
        public var env: String
        public var latencyMilliseconds: Int
        public var errorRate: Double
        public var tooManyRequestsRate: Double
        public var seed: Int

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: ConfigKey.self)
            try c.rejectUnknown(["data", "env", "latency_ms", "error_rate", "too_many_requests_rate", "seed"])
            data = try c.required("data")
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

    public var sources: [Source]
    public var simulator: Simulator?
    /// The configuration file (scoring, valuation, personas, territories, alerts).
    public var config: String
    /// Where the output contract's files go (`--out` wins).
    public var out: String
    /// Sources in order of trust for survivorship.
    public var sourcePriority: [String]
    /// Shards of the match and score stages.
    public var shards: Int

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ConfigKey.self)
        try c.rejectUnknown(["sources", "config", "out", "source_priority", "shards", "simulator"])
        sources = try c.required("sources")
        if sources.isEmpty { throw c.fail("sources", "expected at least one source file") }
        config = try c.required("config")
        out = try c.value("out", or: "marketmap-out")
        sourcePriority = try c.value("source_priority", or: [])
        shards = try c.value("shards", or: 8)
        simulator = try c.decodeIfPresent(Simulator.self, forKey: ConfigKey("simulator"))
        if !(1...256).contains(shards) { throw c.fail("shards", "expected 1 to 256") }
        if !sources.contains(where: { $0.kind == .accounts }) { throw c.fail("sources", "expected at least one accounts file") }
    }
}

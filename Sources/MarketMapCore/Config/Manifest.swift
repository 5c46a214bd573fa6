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

    public var sources: [Source]
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
        try c.rejectUnknown(["sources", "config", "out", "source_priority", "shards"])
        sources = try c.required("sources")
        if sources.isEmpty { throw c.fail("sources", "expected at least one source file") }
        config = try c.required("config")
        out = try c.value("out", or: "marketmap-out")
        sourcePriority = try c.value("source_priority", or: [])
        shards = try c.value("shards", or: 8)
        if !(1...256).contains(shards) { throw c.fail("shards", "expected 1 to 256") }
        if !sources.contains(where: { $0.kind == .accounts }) { throw c.fail("sources", "expected at least one accounts file") }
    }
}

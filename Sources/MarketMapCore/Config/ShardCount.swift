/// How many jobs each sharded stage of a run has (the manifest's `shards`):
/// a number, or `auto`, the default: as many as keep a job's share of the
/// market about the same size whatever the market's size, so that a worker's
/// memory and a stage's longest job stop growing with the market.
public enum ShardCount: Sendable, Equatable, Decodable {
    case fixed(Int)
    case auto

    /// The fewest jobs `auto` plans: a small market still spreads over a few workers.
    public static let autoMinimum = 8
    /// Account rows per job `auto` aims at, at most: a match job reads about
    /// three times its share (a record's domain, name prefix and name suffix
    /// blocks may belong to three shards).
    public static let accountsPerShard = 40_000
    public static let range = 1...256

    /// The jobs of a run over a market of `accounts` account rows: for `auto`
    /// the smallest power of two (at least `autoMinimum`) that keeps every job
    /// at or under `accountsPerShard` rows; or the `previous` run's count when
    /// that is its double and the market has not shrunk to half of what the
    /// previous count was planned for: a market near a boundary does not flip
    /// between two counts night after night (the incremental stages' inputs
    /// are per shard, so a new count recomputes them all).
    public func jobs(accounts: Int, previous: Int? = nil) -> Int {
        switch self {
        case .fixed(let count):
            return count
        case .auto:
            var count = Self.autoMinimum
            while count < Self.range.upperBound && count * Self.accountsPerShard < accounts { count *= 2 }
            // The previous count planned for more than `previous / 2 × accountsPerShard` rows: kept down to half that.
            if let previous, previous == count * 2, accounts * 4 > previous * Self.accountsPerShard { return previous }
            return count
        }
    }

    public init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer()
        if let count = try? value.decode(Int.self) {
            guard Self.range.contains(count) else {
                throw DecodingError.dataCorruptedError(in: value, debugDescription: "expected 1 to 256 or auto, not \(count)")
            }
            self = .fixed(count)
        } else if let text = try? value.decode(String.self), text == "auto" {
            self = .auto
        } else {
            throw DecodingError.dataCorruptedError(in: value, debugDescription: "expected 1 to 256 or auto")
        }
    }
}

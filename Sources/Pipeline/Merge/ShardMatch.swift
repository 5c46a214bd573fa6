import Foundation
import JobQueue
import MarketMapCore
import Postgres

/// The data of the sharded match stage (issue 17): each `merge.match` job
/// reads only the records of the blocks its shard owns, selected with the
/// block keys stored at normalize (`MatchBlocks.stored`, indexed columns of
/// `source_accounts`), and the market-wide counts its pairs are weighed by
/// from per-run tables counted once in SQL when the stage is planned. Its
/// memory is its shard's, not the market's, and the union of the shards'
/// edges is what `AccountClustering.candidates` finds on all records.
public enum ShardMatch {
    /// Before the stage's jobs (in the planner's transaction): block keys
    /// for the records that have none or keys of another `MatchBlocks.version`
    /// (written before the upgrade), then the market's counts for run `runID`.
    /// Returns how many records got new keys.
    @discardableResult
    public static func prepare(runID: Int, platforms: HostingPlatforms, on db: isolated Connection) throws -> Int {
        let rekeyed = try refreshKeys(platforms: platforms, on: db)
        try db.query(MergeQueries.deleteMarketCounts, runID)
        try db.query(MergeQueries.countMarketNames, runID)
        try db.query(MergeQueries.countMarketTerms, runID)
        try db.query(MergeQueries.countCommonNames, runID, MarketCounts.commonNameRecords)
        return rekeyed
    }

    /// Recomputes stale block keys in pages of the primary key: set-based, in
    /// Swift only for the records that need it (none after a normalize).
    static func refreshKeys(platforms: HostingPlatforms, on db: isolated Connection, page: Int = 20_000) throws -> Int {
        var after = ("", "")
        var total = 0
        try db.execute(MergeQueries.createRekey)
        while true {
            let rows = try db.query(MergeQueries.staleKeyRecords, after.0, after.1, MatchBlocks.version, page)
            guard let last = rows.last else { return total }
            after = (try last.decode("source", as: String.self), try last.decode("source_id", as: String.self))
            try db.execute(MergeQueries.truncateRekey)
            try db.copyIn(MergeQueries.copyRekey) { writer in
                for row in rows {
                    let (source, sourceID, name, domain, country, preventOverride, city, rawName) = try row.decode(
                        String.self, String.self, String?.self, String?.self, String?.self, Bool.self, String?.self, String?.self)
                    let record = MatchRecord(
                        key: RecordKey(source: source, sourceID: sourceID), nameNormalized: name, identityDomain: domain, country: country,
                        preventOverride: preventOverride, city: city, rawName: rawName, platforms: platforms)
                    let keys = MatchBlocks.stored(record)
                    try writer.writeRow([
                        record.key.source, record.key.sourceID, keys.country, arrayLiteral(keys.buckets),
                        keys.blankBucket.map(String.init), arrayLiteral(keys.pull),
                    ])
                }
            }
            try db.query(MergeQueries.applyRekey, MatchBlocks.version)
            total += rows.count
        }
    }

    /// The candidate edges of shard `shard` of `shards` of run `runID` (after
    /// `prepare`), from the shard's records only: a `merge.match` job's work.
    public static func edges(
        runID: Int, shard: Int, shards: Int, settings: MatchSettings, platforms: HostingPlatforms, on db: isolated Connection,
        progress: (Double) -> Void = { _ in }
    ) throws -> [MatchEdge] {
        guard let names = try db.query(MergeQueries.marketNames, runID).first?.decode(Int.self) else {
            throw ShardMatchError.noMarketCounts(run: runID)
        }
        let records = try records(shard: shard, shards: shards, platforms: platforms, on: db)
        let market = try market(runID: runID, names: names, on: db)
        progress(0.2)
        return AccountClustering.candidates(records, settings: settings, market: market, shard: shard, shards: shards) {
            progress(0.2 + $0 * 0.8)
        }
    }

    /// The records of the blocks shard `shard` of `shards` owns (`MatchBlocks.shardRecords`, in SQL).
    static func records(shard: Int, shards: Int, platforms: HostingPlatforms, on db: isolated Connection) throws -> [MatchRecord] {
        try db.execute(MergeQueries.createShardRecords)
        try db.query(MergeQueries.fillShardRecords, shard, shards, MatchBlocks.bucketCount)
        try db.execute(MergeQueries.analyzeShardRecords)
        return try AccountMerger.matchRecords(MergeQueries.copyShardRecords, platforms: platforms, on: db)
    }

    /// The market's counts (`names` names in all) for the words and names of the shard's records (after `records`).
    static func market(runID: Int, names: Int, on db: isolated Connection) throws -> MarketCounts {
        var counts: [String: Int] = [:]
        for row in try db.query(MergeQueries.shardTerms, runID) {
            let (word, names) = try row.decode(String.self, Int.self)
            counts[word] = names
        }
        let common: [(country: String, name: String, records: Int)] = try db.query(MergeQueries.shardCommonNames, runID).map { row in
            try row.decode(String.self, String.self, Int.self)
        }
        return MarketCounts(frequencies: TermFrequencies(names: names, counts: counts), commonNames: common)
    }
}

/// Permanent: a match job of a run whose match stage was planned without
/// the market's counts (by a marketmap before shard-local matching).
enum ShardMatchError: PermanentJobError, CustomStringConvertible {
    case noMarketCounts(run: Int)

    var description: String {
        switch self {
        case .noMarketCounts(let run):
            return "run \(run) has no market counts (match_runs): its match stage was planned by an older marketmap; start a new run"
        }
    }
}

/// The blocks of dedupe (`AccountClustering.candidates`) as a function of one
/// record, and which shard owns each: the one place that keys them, used by
/// matching itself and by the keys stored with every source record at
/// normalize (`stored`), so that a match job can read only the records of
/// its own blocks and the two never disagree.
///
/// Every block has an *owner* string; the owner hashes to one of
/// `bucketCount` buckets and shard `s` of `n` owns the buckets `b` with
/// `b % n == s`. Blocks that usually hold the same records share an owner
/// (a country's name blocks of one first-word prefix, the alternate-domain
/// block of that word), so a record is in at most three shards' data: its
/// domain's, its name prefix's and its name suffix's. A record without a
/// country is weighed by the shard that owns its first word (`blankOwner`),
/// against every record that shares one of its `blankKeys` (`pull`).
public enum MatchBlocks {
    /// Hash buckets of block owners.
    public static let bucketCount = 4096
    /// Stored with a record's keys: keys of another version are recomputed
    /// before a match (a normalization change recomputes them anyway).
    public static let version = "1/normalization " + ProductVersion.normalization

    /// The bucket of a block owner.
    public static func bucket(_ owner: String) -> Int { Int(AccountClustering.stableHash(owner) % UInt64(bucketCount)) }

    /// Whether shard `shard` of `shards` owns the blocks of `owner`.
    public static func owns(_ owner: String, shard: Int, shards: Int) -> Bool { owns(bucket: bucket(owner), shard: shard, shards: shards) }

    public static func owns(bucket: Int, shard: Int, shards: Int) -> Bool { shards <= 1 || bucket % shards == shard }

    enum NameBlockKind { case word, prefix, suffix }

    /// A name block within a country: its key, how pairs in it are
    /// compared, the token length it stands for, and its owner.
    struct NameBlock {
        var key: String
        var kind: NameBlockKind
        var size: Int
        var owner: String
    }

    static func domainOwner(_ domain: String) -> String { "d|" + domain }

    /// The name blocks of a first word (`AccountClustering.nameEdges`): the
    /// word itself; its first and its last three letters with its length and
    /// its length + 1.
    static func nameBlocks(country: String, token: String) -> [NameBlock] {
        let length = token.unicodeScalars.count
        let (prefix, suffix) = (String(token.prefix(3)), String(token.suffix(3)))
        let (prefixOwner, suffixOwner) = ("n|\(country)|<\(prefix)", "n|\(country)|>\(suffix)")
        var blocks = [NameBlock(key: "\(country)|=\(token)", kind: .word, size: length, owner: prefixOwner)]
        for size in [length, length + 1] {
            blocks.append(NameBlock(key: "\(country)|<\(prefix)|\(size)", kind: .prefix, size: size, owner: prefixOwner))
            blocks.append(NameBlock(key: "\(country)|>\(suffix)|\(size)", kind: .suffix, size: size, owner: suffixOwner))
        }
        return blocks
    }

    /// The alternate-domain block of a first word in a country, owned with its name prefix blocks.
    static func alternateBlock(country: String, token: String) -> (key: String, owner: String) {
        ("\(country)|\(token)", "n|\(country)|<\(token.prefix(3))")
    }

    /// Who weighs a record without a country: the owner of the first word of
    /// its name without descriptors, so that the records of that word's
    /// blocks are read by one shard, not by every shard with such a record.
    static func blankOwner(_ token: String) -> String { "b|=" + token }

    /// The blank-country blocks of a first word (of the name without its
    /// descriptors): the word, and its typo blocks (`typoKeys`).
    static func blankKeys(_ token: String) -> [String] { ["=" + token] + typoKeys(token) }

    /// First and last three letters with the length and the length + 1, for words of five letters or more.
    static func typoKeys(_ token: String) -> [String] {
        let length = token.unicodeScalars.count
        guard length >= 5 else { return [] }
        let (prefix, suffix) = (String(token.prefix(3)), String(token.suffix(3)))
        return [length, length + 1].flatMap { ["<\(prefix)|\($0)", ">\(suffix)|\($0)"] }
    }

    /// What is stored with a source record so that a shard selects its data
    /// with an index: the record belongs to shard `s`'s data when one of
    /// `buckets` is `s`'s, or when one of `pull` is among the `pull` of the
    /// records whose `blankBucket` is `s`'s (`shardRecords`).
    public struct Stored: Sendable, Equatable {
        /// The country matching uses (the record's, or its domain's country suffix).
        public var country: String?
        /// Buckets of the domain, name and alternate-domain blocks the record is in, ascending.
        public var buckets: [Int]
        /// The bucket of the record's own blank-country weighing, when it has no country.
        public var blankBucket: Int?
        /// 32-bit hashes of its blank-country block keys, ascending (a collision only reads a record more).
        public var pull: [Int32]
    }

    public static func stored(_ record: MatchRecord) -> Stored {
        let record = AccountClustering.withDomainCountry(record)
        var owners: [String] = []
        if let domain = record.domain { owners.append(domainOwner(domain)) }
        var pull: [Int32] = []
        var blankBucket: Int?
        if let name = record.name, !record.preventOverride {
            let token = CompanyNameNormalizer.blockingToken(name)
            if let country = record.country {
                owners += nameBlocks(country: country, token: token).map(\.owner)
                if record.ownDomain != nil { owners.append(alternateBlock(country: country, token: token).owner) }
            }
            let core = CompanyNameNormalizer.blockingToken(AccountClustering.core(name))
            if record.country == nil { blankBucket = bucket(blankOwner(core)) }
            pull = blankKeys(core).map(pullHash)
        }
        return Stored(
            country: record.country, buckets: Array(Set(owners.map(bucket))).sorted(), blankBucket: blankBucket,
            pull: Array(Set(pull)).sorted())
    }

    static func pullHash(_ key: String) -> Int32 { Int32(truncatingIfNeeded: AccountClustering.stableHash("b" + key)) }

    /// The buckets shard `shard` of `shards` owns.
    public static func buckets(shard: Int, shards: Int) -> [Int] {
        (0..<bucketCount).filter { owns(bucket: $0, shard: shard, shards: shards) }
    }

    /// The records shard `shard` of `shards` reads (what the match job's
    /// query selects by the stored keys): every record of a block it owns,
    /// so `candidates` on them finds exactly its part of the edges.
    public static func shardRecords(_ records: [MatchRecord], shard: Int, shards: Int) -> [MatchRecord] {
        let keys = records.map(stored)
        var wanted = Set<Int32>()
        for stored in keys where stored.blankBucket.map({ owns(bucket: $0, shard: shard, shards: shards) }) ?? false {
            wanted.formUnion(stored.pull)
        }
        return zip(records, keys).filter { _, stored in
            stored.buckets.contains { owns(bucket: $0, shard: shard, shards: shards) } || stored.pull.contains(where: wanted.contains)
        }.map(\.0)
    }
}

/// What matching weighs a shard's pairs by that depends on the whole market:
/// how common each name word is, and how many records of a country carry one
/// normalized name. Computed from all records, or (a match job) read from
/// per-run tables the match stage fills in SQL.
public struct MarketCounts: Sendable {
    public var frequencies: TermFrequencies
    /// Records per `PairScorer.key(country, name)`, only where more than
    /// `PairScorer.commonNameRecords`: a name fewer records carry is distinctive.
    var sameName: [Int: Int]

    /// The counts of `records`, as `candidates` computes them when given none.
    public init(_ records: [MatchRecord]) {
        frequencies = AccountClustering.termFrequencies(records)
        sameName = PairScorer.sameNameCounts(records.map(AccountClustering.withDomainCountry))
    }

    /// Counts read from the database: `commonNames` are the (country,
    /// normalized name) pairs more than `commonNameRecords` records carry.
    public init(frequencies: TermFrequencies, commonNames: [(country: String, name: String, records: Int)]) {
        self.frequencies = frequencies
        var counts: [Int: Int] = [:]
        for common in commonNames { counts[PairScorer.key(common.country, common.name)] = common.records }
        sameName = counts
    }

    /// More records than this with one name in one country: the name alone is no evidence.
    public static let commonNameRecords = PairScorer.commonNameRecords
}

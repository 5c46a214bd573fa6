import Logging
import Postgres

public struct ContactMergeReport: Sendable, Codable, Equatable {
    public var sourceContacts: Int
    public var goldenContacts: Int
    public var matchedByEmail: Int
    public var matchedByLinkedIn: Int
    public var created: Int
    /// Contacts whose account id is not an imported account of their source.
    public var withoutAccount: Int
}

/// The contact waterfall, set-based, after the account merge: each source
/// contact keeps its golden contact while its golden account is unchanged;
/// otherwise it is looked up by (golden account, email), then by (golden
/// account, LinkedIn URL), and a golden contact is created only when both
/// miss, once per email or LinkedIn URL in the run. A re-run creates none.
///
/// In shards of golden accounts (the survive shards), in four steps whose
/// result depends neither on the shard nor on the worker count:
/// `lookup` (each `survive` job, for its accounts) decides every contact's
/// golden contact or the new one it makes; `numberNew` (once, when the
/// `contacts` stage starts) numbers the new ones in one order for the run;
/// `write` (each `contacts` job) writes them, the lineage and identifiers;
/// `settle` (once, after) drops orphans and counts. `merge` is the
/// one-process path: all four as run 0, shard 0 of 1, in one transaction.
public struct ContactMerger: Sendable {
    public let sourcePriority: [String]
    public let logger: Logger

    public init(sourcePriority: [String] = [], logger: Logger) {
        self.sourcePriority = sourcePriority
        self.logger = logger
    }

    /// In the caller's transaction if there is one.
    public func merge(on db: isolated Connection) throws -> ContactMergeReport {
        try db.withTransaction {
            try lookup(run: 0, shard: nil, on: db)
            try Self.numberNew(run: 0, on: db)
            try write(run: 0, shard: 0, on: db)
            let report = try settle(run: 0, on: db)
            try AccountMerger.dropResolveRows(run: 0, on: db)
            return report
        }
    }

    /// The lookups for the contacts of run `run`'s shard `shard` (of every
    /// golden account when nil, as shard 0), kept in `resolve_contacts`.
    func lookup(run: Int, shard: Int?, on db: isolated Connection) throws {
        try db.execute(ContactQueries.createStage)
        if let shard {
            try db.execute(MergeQueries.readThroughIndexes)
            try db.query(ContactQueries.shardAccounts, run, shard)
            try db.execute(MergeQueries.planAsUsual)
        } else {
            try db.execute(ContactQueries.allAccounts)
        }
        try db.execute(ContactQueries.stage)
        try db.query(ContactQueries.matchByEmail)
        try db.query(ContactQueries.matchByLinkedIn)
        try db.query(ContactQueries.createByEmail)
        try db.query(ContactQueries.joinNewByLinkedIn, sourcePriority)
        try db.query(ContactQueries.createByLinkedIn)
        try db.query(ContactQueries.createSingles)
        try db.query(ContactQueries.deleteShard, run, shard ?? 0)
        try db.query(ContactQueries.keepShard, run, shard ?? 0)
    }

    /// Numbers run `run`'s new golden contacts after the largest id in use.
    static func numberNew(run: Int, on db: isolated Connection) throws {
        try db.execute(ContactQueries.lockContacts)
        try db.execute(ContactQueries.analyzeLookups)
        try db.query(ContactQueries.numberNew, run)
    }

    /// Writes shard `shard`'s new golden contacts, its contacts' lineage and
    /// the identifiers their golden contacts lack. The members are read through
    /// the indexes, the writes planned as usual (`MergeQueries.readThroughIndexes`:
    /// with sequential scans off for the whole job, the contacts stage at 200k
    /// took 236.6 s, against 6.3 s).
    func write(run: Int, shard: Int, on db: isolated Connection) throws {
        try db.execute(ContactQueries.stageMembers)
        try db.execute(MergeQueries.readThroughIndexes)
        try db.query(ContactQueries.readMembers, run, shard, sourcePriority)
        try db.execute(MergeQueries.planAsUsual)
        try db.execute(ContactQueries.analyzeMembers)
        try db.execute(ContactQueries.insertCreated)
        try db.execute(ContactQueries.writeLineage)
        try db.execute(ContactQueries.followMembers)
        try db.execute(ContactQueries.fillIdentifiers)
    }

    /// Once every shard wrote: golden contacts no source contact holds any
    /// more go, and the run's figures.
    func settle(run: Int, on db: isolated Connection) throws -> ContactMergeReport {
        try db.query(ContactQueries.dropLineageWithoutAccount, run)
        try db.query(ContactQueries.dropOrphans)
        let row = try db.query(ContactQueries.summary, run)[0]
        let contacts: Int = try row.decode("contacts")
        return ContactMergeReport(
            sourceContacts: contacts, goldenContacts: try row.decode("golden"), matchedByEmail: try row.decode("email"),
            matchedByLinkedIn: try row.decode("linkedin"), created: try row.decode("created"),
            withoutAccount: contacts - (try row.decode("attached", as: Int.self)))
    }
}

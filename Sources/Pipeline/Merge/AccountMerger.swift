import Foundation
import Logging
import MarketMapCore
import Postgres

/// What a merge produced.
public struct MergeReport: Sendable, Codable, Equatable {
    public var sourceRecords: Int
    public var goldenAccounts: Int
    public var mergedDuplicates: Int
    /// Records joined by a fuzzy name match: review these.
    public var nameMatches: Int
    /// Golden accounts whose sources disagree on at least one field.
    public var withConflicts: Int
    /// Open review items after this merge.
    public var reviewItems: Int
    /// Stewards' decisions that could not take effect (a record gone, a contradiction).
    public var decisionsUnapplied: Int
}

/// Clusters every source account into golden accounts (`AccountClustering`),
/// keeps golden ids stable across runs, writes lineage, and fills each golden
/// account by survivorship (`Survivorship`) with a conflict list. `merge` is
/// the one-process path, in one transaction; the `merge` pipeline
/// (`MergeJobs`, `ResolveJobs`) runs the same steps as queue jobs, by
/// component shard (`cluster`, `survive`) where it can and once per run
/// (`assignGoldenIDs`, `finish`) where only the whole run knows; the
/// contacts follow (`ContactMerger`). The
/// one-process path is run 0, shard 0 of 1.
public struct AccountMerger: Sendable {
    public let settings: MatchSettings
    /// Sources in order of trust for survivorship; unlisted sources come last.
    public let sourcePriority: [String]
    public let logger: Logger
    /// Hosting platforms whose tenants are weak identities.
    public let platforms: HostingPlatforms

    static let fields = [
        "name", "website", "domain", "industry", "employees", "annual_revenue", "country", "state", "city", "owner", "type",
        "last_activity",
    ]
    /// Disagreements worth a look: normalized name and domain instead of the
    /// raw name and website, whose spelling variants are noise.
    static let conflictFields: Set<String> = [
        "name_norm", "domain", "industry", "employees", "annual_revenue", "country", "state", "city", "owner", "type",
        "last_activity",
    ]

    public init(
        settings: MatchSettings = MatchSettings(), sourcePriority: [String] = [], platforms: HostingPlatforms = HostingPlatforms(),
        logger: Logger
    ) {
        self.settings = settings
        self.platforms = platforms
        self.sourcePriority = sourcePriority
        self.logger = logger
    }

    public func merge(on db: isolated Connection) throws -> MergeReport {
        try db.withTransaction {
            let records = try matchRecords(on: db)
            let edges = AccountClustering.candidates(records, settings: settings)
            let resolution = try cluster(records, edges: edges, run: 0, shard: 0, on: db)
            logger.info("clustered accounts", metadata: ["records": "\(records.count)", "golden": "\(resolution.clusters.count)"])
            try assignGoldenIDs(run: 0, on: db)
            try survive(run: 0, shard: 0, runID: nil, on: db)
            try finish(run: 0, runID: nil, on: db)
            try Self.dropResolveRows(run: 0, on: db)
            let (sources, golden, nameMatches, withConflicts, reviewItems) = try db.query(MergeQueries.summary)[0].decode(
                Int.self, Int.self, Int.self, Int.self, Int.self)
            return MergeReport(
                sourceRecords: sources, goldenAccounts: golden, mergedDuplicates: sources - golden,
                nameMatches: nameMatches, withConflicts: withConflicts, reviewItems: reviewItems,
                decisionsUnapplied: resolution.unapplied.count)
        }
    }

    /// What matching needs of every source account (about 100 bytes each).
    public func matchRecords(on db: isolated Connection) throws -> [MatchRecord] {
        try Self.matchRecords(MergeQueries.matchRecords, platforms: platforms, on: db)
    }

    /// What matching needs of the source accounts a COPY of `match_records` rows selects.
    func matchRecords(on db: isolated Connection, query: String) throws -> [MatchRecord] {
        try Self.matchRecords(query, platforms: platforms, on: db)
    }

    /// The records a `COPY ... TO STDOUT` of `MergeQueries.matchRecords`' columns yields.
    static func matchRecords(_ copy: String, platforms: HostingPlatforms, on db: isolated Connection) throws -> [MatchRecord] {
        var records: [MatchRecord] = []
        try db.copyOut(copy) { bytes in
            let f = CopyText.parseRow(bytes)
            guard f.count == 10, let source = f[0], let id = f[1] else { return }
            records.append(MatchRecord(
                key: RecordKey(source: source, sourceID: id), nameNormalized: f[2], identityDomain: f[3], country: f[4],
                preventOverride: f[5] == "t", city: f[6], rawName: f[7], platforms: platforms, phone: f[8], postcode: f[9]))
        }
        return records
    }

    /// Resolves the records and edges of one shard of components with the
    /// decisions that shard honours, and keeps its clusters and review
    /// candidates (`resolve_clusters`, `resolve_review`) for the later steps.
    @discardableResult
    func cluster(_ records: [MatchRecord], edges: [MatchEdge], run: Int, shard: Int, on db: isolated Connection) throws -> ClusterResolution {
        let decisions = try MergeDecisions.load(run: run, shard: shard, on: db)
        let resolution = AccountClustering.resolution(records, edges: edges, settings: settings, decisions: decisions)
        try db.query(MergeQueries.deleteShardClusters, run, shard)
        try db.copyIn(MergeQueries.copyClusters) { writer in
            for cluster in resolution.clusters {
                for (key, method) in cluster.members {
                    try writer.writeRow([
                        String(run), String(shard), key.source, key.sourceID, cluster.anchor.source, cluster.anchor.sourceID,
                        method.rawValue, cluster.reasons[key] ?? "",
                    ])
                }
            }
        }
        try MergeDecisions.stageItems(resolution.reviewCandidates, run: run, shard: shard, on: db)
        for decision in resolution.unapplied {
            logger.warning("a steward's decision did not take effect", metadata: ["decision": "\(decision.id)", "why": "\(decision.reason.rawValue)"])
        }
        return resolution
    }

    /// Golden ids of every cluster of the run, by one rule whatever the
    /// shards (`MergeQueries.assignGoldenIDs`); new ones in `golden_accounts`.
    func assignGoldenIDs(run: Int, on db: isolated Connection) throws {
        try db.query(MergeQueries.deleteGolden, run)
        try db.execute(MergeQueries.lockGolden)
        try db.execute(MergeQueries.wholeRunJoins)
        try db.query(MergeQueries.assignGoldenIDs, run)
        try db.query(MergeQueries.insertGolden, run)
        try db.execute(MergeQueries.endWholeRunJoins)
        try db.execute(MergeQueries.analyzeGolden)
    }

    /// Writes one shard's lineage, the survivorship of its accounts that
    /// changed (with stewards' pins), their conflicts and its review items.
    /// `progress` hears how far it is (0 to 1) after each step.
    func survive(run: Int, shard: Int, runID: Int?, on db: isolated Connection, progress: (Double) -> Void = { _ in }) throws {
        // Seconds per step, logged at the end: where a big merge spends its time.
        let clock = ContinuousClock()
        var last = clock.now
        var steps: Logger.Metadata = [:]
        let shares = ["members": 0.1, "lineage": 0.4, "stale": 0.5, "survivorship": 0.9, "review": 1.0]
        func lap(_ name: String) {
            if let share = shares[name] { progress(share) }
            let now = clock.now
            let elapsed = last.duration(to: now)
            steps[name] = "\(String(format: "%.2f", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))"
            last = now
        }
        defer { logger.info("merge write steps (seconds)", metadata: steps) }
        try db.execute(MergeQueries.stageMembers)
        try db.execute(MergeQueries.readThroughIndexes)
        try db.query(MergeQueries.fillMembers, run, shard)
        try db.execute(MergeQueries.planAsUsual)
        try db.execute(MergeQueries.analyzeMembers)
        lap("members")
        try db.query(MergeQueries.writeLineage)
        lap("lineage")
        let stale = try markStale(on: db)
        lap("stale")
        try surviveStale(on: db)
        lap("survivorship")
        try MergeDecisions.writeItems(run: run, shard: shard, runID: runID, on: db)
        lap("review")
        steps["survived_accounts"] = "\(stale)"
    }

    /// What only the whole run knows, once every shard wrote: golden accounts
    /// no lineage holds any more, review items no shard produced, and when
    /// survivorship last ran (for the next refresh's stale marking).
    func finish(run: Int, runID: Int?, on db: isolated Connection) throws {
        try db.query(MergeQueries.dropOrphans)
        try MergeDecisions.dropUnseen(runID: runID, on: db)
        try db.query(MergeQueries.recordSurvived, sourcePriority.joined(separator: ","), ProductVersion.merge)
    }

    /// Removes what the steps of run `run` handed each other, once its accounts and contacts are written.
    /// One TRUNCATE when no other run has rows there and the tables' lock came
    /// within 5 s, else a DELETE per table (`MergeQueries.truncateSavepoint`).
    /// Returns whether it truncated.
    @discardableResult
    static func dropResolveRows(run: Int, on db: isolated Connection) throws -> Bool {
        try db.execute(MergeQueries.truncateSavepoint)
        if try aloneInResolveTables(run: run, on: db) {
            try db.execute(MergeQueries.truncateResolveTables)
            try db.execute(MergeQueries.truncateDone)
            return true
        }
        try db.execute(MergeQueries.truncateFallback)
        for statement in MergeQueries.dropResolveRows { try db.query(statement, run) }
        return false
    }

    /// Locks the resolve tables (waiting at most 5 s) and tells whether they
    /// hold run `run`'s rows only; false when another session kept one.
    private static func aloneInResolveTables(run: Int, on db: isolated Connection) throws -> Bool {
        do {
            try db.execute(MergeQueries.lockResolveTables)
        } catch let error where error.sqlState == "55P03" {
            return false
        }
        return try !db.query(MergeQueries.otherRunsResolveRows, run)[0].decode(Bool.self)
    }

    /// Marks the shard's golden accounts survivorship must compute
    /// (`merge_stale`): all of them the first time or when the source
    /// priority or version changed, else those whose members changed.
    /// Returns how many.
    private func markStale(on db: isolated Connection) throws -> Int {
        try db.execute(MergeQueries.createStale)
        let priority = sourcePriority.joined(separator: ",")
        if try db.query(MergeQueries.lastSurvived, priority, ProductVersion.merge).isEmpty {
            try db.execute(MergeQueries.markAllStale)
        } else {
            try db.query(MergeQueries.markStale, priority, ProductVersion.merge)
            try db.execute(ReviewQueries.markPinnedStale)
            try db.execute(MergeQueries.keepShardStale)
        }
        try db.execute(MergeQueries.analyzeStale)
        return try db.query(MergeQueries.staleCount)[0].decode(Int.self)
    }

    /// Streams the stale accounts' members grouped by golden id, computes each
    /// golden record, and applies them set-based.
    private func surviveStale(on db: isolated Connection) throws {
        let pins = try MergeDecisions.pins(on: db)
        let spool = try CopySpool()
        var group: [(candidate: SurvivorCandidate, preventOverride: Bool)] = []
        var current: String?
        var failure: (any Error)?
        func flush() {
            guard let id = current, !group.isEmpty, failure == nil else { return }
            do { try spool.add(goldenRow(id: id, group, pins: pins[id] ?? [:])) } catch { failure = error }
            group.removeAll(keepingCapacity: true)
        }
        try db.copyOut(MergeQueries.members) { bytes in
            let f = CopyText.parseRow(bytes)
            guard let member = Self.member(f, sourcePriority: sourcePriority) else { return }
            if member.goldenID != current {
                flush()
                current = member.goldenID
            }
            group.append((member.candidate, member.preventOverride))
        }
        flush()
        if let failure { throw failure }
        try db.execute(MergeQueries.createSurvived)
        try db.execute(MergeQueries.truncateSurvived)
        try db.copyIn(MergeQueries.copySurvived) { writer in try spool.replay { try writer.write($0) } }
        try db.query(MergeQueries.applySurvived)
        try db.execute(MergeQueries.replaceConflicts)
    }

    /// The golden record of one account: survivorship, then the stewards'
    /// pins over it (the conflicts still list the sources' values).
    private func goldenRow(
        id: String, _ group: [(candidate: SurvivorCandidate, preventOverride: Bool)], pins: [String: String]
    ) -> [String?] {
        var record = Survivorship.survive(group.map(\.candidate), fields: Self.fields, conflictFields: Self.conflictFields)
        record.values.merge(pins) { _, pinned in pinned }
        var conflicts = "{" + record.conflicts.keys.sorted().map { field in
            jsonString(field) + ":[" + (record.conflicts[field] ?? []).map(jsonString).joined(separator: ",") + "]"
        }.joined(separator: ",") + "}"
        if conflicts.isEmpty { conflicts = "{}" }
        let value = { (field: String) -> String? in record.values[field] }
        return [
            id, value("name"), group.contains(where: \.preventOverride)
                ? CompanyNameNormalizer.normalize(value("name"), keepingQualifiers: true, forms: settings.legalForms)
                : CompanyNameNormalizer.normalize(value("name"), city: value("city"), forms: settings.legalForms), value("website"), value("domain"),
            value("industry"), value("employees"), value("annual_revenue"), value("country"), value("state"), value("city"),
            value("owner"), value("type"), value("last_activity"), group.contains(where: \.preventOverride) ? "t" : "f",
            String(group.count), conflicts,
        ]
    }

    static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }

    /// A row of `MergeQueries.memberColumns` as survivorship sees it (the merge
    /// plan ranks an instance's records with the same values).
    static func member(_ f: [String?], sourcePriority: [String]) -> (goldenID: String, candidate: SurvivorCandidate, preventOverride: Bool)? {
        guard f.count == 18, let id = f[0], let source = f[1], let sourceID = f[2] else { return nil }
        var values: [String: String] = [:]
        for (index, field) in ["name", "name_norm", "website", "domain", "industry", "employees", "annual_revenue",
                               "country", "state", "city", "owner", "type"].enumerated() {
            values[field] = f[6 + index] ?? ""
        }
        values["last_activity"] = f[4] ?? ""
        let candidate = SurvivorCandidate(
            key: RecordKey(source: source, sourceID: sourceID),
            sourcePriority: sourcePriority.firstIndex(of: source) ?? sourcePriority.count,
            updatedAt: f[3], values: values)
        return (id, candidate, f[5] == "t")
    }
}

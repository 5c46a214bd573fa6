import MarketMapCore
import Postgres

extension Importer {
    /// After a full export of `source`'s `kind` was staged (`files`): the
    /// records imported before that it lacks were deleted in the CRM. They
    /// leave `source_*` (lineage follows; a golden account left without
    /// records disappears at the next resolve) and are kept whole in
    /// `removed_records` with `run`. More than `maxShare` of the records
    /// absent fails with nothing changed: a truncated file must not empty the
    /// map. Returns the number removed. Runs in the caller's transaction.
    @discardableResult
    public func removeAbsent(
        source: String, kind: RecordKind, files: [Int], maxShare: Double, run: Int, on db: isolated Connection
    ) throws -> Int {
        let table = ImportQueries.StageTable(kind)
        try db.execute(ImportQueries.analyzeStaging)
        let (absent, total) = try db.query(ImportQueries.countAbsent(table), source, files)[0].decode(Int.self, Int.self)
        guard absent > 0 else { return 0 }
        if Double(absent) > Double(total) * maxShare {
            throw ImportError.tooManyAbsent(source: source, kind: kind.rawValue, absent: absent, total: total, limit: maxShare)
        }
        let removed = try db.query(ImportQueries.removeAbsent(table), source, files, run, kind.rawValue)[0].decode(Int.self)
        logger.info("records absent from a full export removed", metadata: [
            "source": "\(source)", "kind": "\(kind.rawValue)", "removed": "\(removed)", "of": "\(total)",
        ])
        return removed
    }
}

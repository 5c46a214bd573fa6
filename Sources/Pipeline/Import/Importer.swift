import Foundation
import Logging
import MarketMapCore
import Postgres

/// What one imported file produced.
public struct ImportReport: Sendable, Codable {
    public var file: String
    public var source: String
    public var kind: String
    /// Data rows read (header excluded).
    public var read: Int
    public var new: Int
    public var changed: Int
    public var unchanged: Int
    public var rejected: Int
    /// Rows written new or changed: `read` = `loaded` + `unchanged` + `rejected`.
    public var loaded: Int
    /// Reasons with their counts; quoted values and line numbers elided, so alike rows group.
    public var rejectedByReason: [String: Int]
    /// How the file was read: the encoding it was transcoded from (`utf-8`: as it is) and the delimiter.
    public var encoding: String
    public var delimiter: String

    /// "read as UTF-16LE, transcoded to UTF-8; delimiter tab" when the file is not UTF-8 or not comma-separated.
    public var layoutNote: String? {
        var parts: [String] = []
        if let read = TextEncoding(rawValue: encoding), read != .utf8 { parts.append("read as \(read.name), transcoded to UTF-8") }
        if let byte = delimiter.utf8.first, delimiter != "," { parts.append("delimiter \(DelimiterSniffer.name(byte))") }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}

public enum ImportError: Error, CustomStringConvertible {
    case unreadable(String, String)
    case header(String, HeaderError)
    case noHeader(String)
    case unreadableHeader(String, line: Int, reason: String)
    case badSource(String, String)
    /// A full export lacks more of the records imported before than allowed.
    case tooManyAbsent(source: String, kind: String, absent: Int, total: Int, limit: Double)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "cannot read \(path): \(reason)"
        case .header(let path, let error): return "\(path): \(error)"
        case .noHeader(let path): return "\(path): the file is empty (no header, no rows); nothing was loaded"
        case .unreadableHeader(let path, let line, let reason): return "\(path): the header (line \(line)) cannot be read: \(reason); nothing was loaded"
        case .badSource(let name, let problem): return "source \(RejectText.quote(name)): \(problem)"
        case .tooManyAbsent(let source, let kind, let absent, let total, let limit):
            let share = Int((Double(absent) / Double(max(total, 1)) * 100).rounded())
            return "\(source) \(kind): the new export lacks \(absent) of the \(total) records imported before (\(share) %, more than "
                + "max_removed_share \(Int((limit * 100).rounded())) %). Is the export truncated? If the records were deleted in the CRM, "
                + "raise the source's max_removed_share in the manifest; if the file holds only changed records, set its mode: delta. Nothing was changed."
        }
    }
}

/// Imports CRM exports in two steps (`DESIGN.md`: ingest, then normalize as
/// jobs):
///
/// 1. `stage` streams the file into `import_raw_rows` with `COPY`, one row per
///    CSV record as read: no field splitting, no normalization, so ingest runs
///    near `psql \copy` speed. Records that are unreadable (invalid UTF-8, an
///    unterminated quote, oversized) and earlier duplicates of a record id go
///    to `rejected_rows` here.
/// 2. `normalize` takes a line range of a staged file, parses and maps each
///    record (`MarketMapCore`), `COPY`s the results into a temporary stage and
///    upserts them keyed by (source, record id), skipping unchanged rows by
///    content hash; then deletes the range from staging. Workers run it as
///    `import.normalize` jobs; `importFile` runs every range in-process.
///
/// Memory stays flat in the file size: one chunk while staging, one line
/// range while normalizing.
public struct Importer: Sendable {
    public let domains: DomainNormalizer
    /// The legal forms names drop: the built-in ones and the configuration's.
    public let legalForms: LegalForms
    public let logger: Logger
    /// Lines per normalize job (and per in-process step).
    public var linesPerJob = 25_000

    public init(domains: DomainNormalizer, legalForms: LegalForms = .builtIn, logger: Logger) {
        self.domains = domains
        self.legalForms = legalForms
        self.logger = logger
    }

    /// An importer that normalizes as `config` says (its hosting platforms and legal forms).
    public init(config: MatchConfig, resolver: any PublicSuffixResolver, logger: Logger) {
        self.init(
            domains: DomainNormalizer(resolver: resolver, platforms: config.platforms), legalForms: config.settings.legalForms, logger: logger)
    }

    /// What this importer's normalization depends on beyond the product's
    /// version: a row staged again under another configuration is parsed again.
    var normalizationStamp: [String] {
        ["legal forms"] + legalForms.additions + ["platforms"] + domains.platforms.fingerprint
    }

    /// The statements and row mapping of one kind's stage.
    struct Stage {
        var mapping: HeaderMapping
        var table: ImportQueries.StageTable
        var create: String, copy: String, upsert: String
        var map: ([String]) -> Result<[String?], RowProblem>
        /// The id a row is stored under (its own, or derived), or nil.
        var recordID: ([String]) -> String?
    }

    /// `source`: the records' source (an account's block keys name it).
    func stage(_ kind: RecordKind, source: String, header: [String], format: ExportFormat, path: String) throws -> Stage {
        let mapping: HeaderMapping
        do { mapping = try HeaderMapping(header: header, kind: kind, format: format) } catch { throw ImportError.header(path, error) }
        let context = RowContext(mapping: mapping, format: format, columnCount: header.count, domains: domains, legalForms: legalForms)
        switch kind {
        case .accounts:
            let mapper = AccountRowMapper(context)
            let platforms = domains.platforms
            return Stage(
                mapping: mapping, table: .accounts, create: ImportQueries.createAccountStage, copy: ImportQueries.copyAccountStage,
                upsert: ImportQueries.upsertAccounts,
                map: { cells in mapper.map(cells).map { Self.stageRow($0) + Self.matchKeyRow($0, source: source, platforms: platforms) } },
                recordID: mapper.recordID)
        case .contacts:
            let mapper = ContactRowMapper(context)
            return Stage(
                mapping: mapping, table: .contacts, create: ImportQueries.createContactStage, copy: ImportQueries.copyContactStage,
                upsert: ImportQueries.upsertContacts, map: { cells in mapper.map(cells).map(Self.stageRow) }, recordID: mapper.recordID)
        case .opportunities:
            let mapper = OpportunityRowMapper(context)
            return Stage(
                mapping: mapping, table: .opportunities, create: ImportQueries.createOpportunityStage, copy: ImportQueries.copyOpportunityStage,
                upsert: ImportQueries.upsertOpportunities, map: { cells in mapper.map(cells).map(Self.stageRow) }, recordID: mapper.recordID)
        }
    }

    /// Stages and normalizes one file in one transaction (or the caller's):
    /// a failed import leaves nothing behind.
    public func importFile(
        _ path: String, source: String, format: ExportFormat, kind: RecordKind = .accounts,
        options: ImportOptions = ImportOptions(), on db: isolated Connection
    ) throws -> ImportReport {
        try db.withTransaction {
            let staged = try stage(path, source: source, format: format, kind: kind, options: options, on: db)
            try prepareStaged(files: [staged.fileID], on: db)
            var from = 1
            while from <= staged.lastLine {
                try normalize(file: staged.fileID, lines: from..<(from + linesPerJob), on: db)
                from += linesPerJob
            }
            return try report(file: staged.fileID, on: db)
        }
    }

    /// What an import of a file has produced so far.
    public func report(file: Int, on db: isolated Connection) throws -> ImportReport {
        let row = try db.query(ImportQueries.fileReport, file)[0]
        var reasons: [String: Int] = [:]
        for reason in try db.query(ImportQueries.rejectReasons, file) {
            let (why, count) = try reason.decode(String.self, Int.self)
            reasons[why] = count
        }
        let new: Int = try row.decode("rows_new"), changed: Int = try row.decode("rows_changed")
        return ImportReport(
            file: try row.decode("path"), source: try row.decode("source"), kind: try row.decode("kind"), read: try row.decode("rows_read"),
            new: new, changed: changed, unchanged: try row.decode("rows_unchanged"), rejected: try row.decode("rejected"), loaded: new + changed,
            rejectedByReason: reasons, encoding: try row.decode("encoding"), delimiter: try row.decode("delimiter"))
    }

}

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
    public var rejectedByReason: [String: Int]
}

public enum ImportError: Error, CustomStringConvertible {
    case unreadable(String, String)
    case header(String, HeaderError)
    case noHeader(String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "cannot read \(path): \(reason)"
        case .header(let path, let error): return "\(path): \(error)"
        case .noHeader(let path): return "\(path): the file is empty or its first line is not a readable header"
        }
    }
}

/// Streams a CSV export into `source_accounts` or `source_contacts`: parse and
/// normalize in Swift, `COPY` into a temporary stage, then one set-based upsert
/// keyed by (source, record id) that skips unchanged rows by content hash.
/// Rejected rows go to `rejected_rows` with file, line, reason and raw text.
/// One file is one transaction: a failed import leaves nothing behind. Memory
/// stays flat.
public struct Importer: Sendable {
    public let domains: DomainNormalizer
    public let logger: Logger

    public init(domains: DomainNormalizer, logger: Logger) {
        self.domains = domains
        self.logger = logger
    }

    /// The statements and row mapping of one kind's stage.
    struct Stage {
        var table: ImportQueries.StageTable
        var create: String, copy: String, upsert: String
        var map: ([String]) -> Result<[String?], RowProblem>
    }

    func stage(_ kind: RecordKind, header: [String], format: ExportFormat, path: String) throws -> Stage {
        let mapping: HeaderMapping
        do { mapping = try HeaderMapping(header: header, kind: kind, format: format) } catch { throw ImportError.header(path, error) }
        let context = RowContext(mapping: mapping, format: format, columnCount: header.count, domains: domains)
        switch kind {
        case .accounts:
            let mapper = AccountRowMapper(context)
            return Stage(
                table: .accounts, create: ImportQueries.createAccountStage, copy: ImportQueries.copyAccountStage,
                upsert: ImportQueries.upsertAccounts, map: { cells in mapper.map(cells).map(Self.stageRow) })
        case .contacts:
            let mapper = ContactRowMapper(context)
            return Stage(
                table: .contacts, create: ImportQueries.createContactStage, copy: ImportQueries.copyContactStage,
                upsert: ImportQueries.upsertContacts, map: { cells in mapper.map(cells).map(Self.stageRow) })
        case .opportunities:
            let mapper = OpportunityRowMapper(context)
            return Stage(
                table: .opportunities, create: ImportQueries.createOpportunityStage, copy: ImportQueries.copyOpportunityStage,
                upsert: ImportQueries.upsertOpportunities, map: { cells in mapper.map(cells).map(Self.stageRow) })
        }
    }

    public func importFile(
        _ path: String, source: String, format: ExportFormat, kind: RecordKind = .accounts,
        delimiter: UInt8 = UInt8(ascii: ","), on db: isolated Connection
    ) throws -> ImportReport {
        let reader = try RowReader(path: path, delimiter: delimiter)
        guard case .record(let header, _, _)? = try reader.next() else { throw ImportError.noHeader(path) }
        let stage = try stage(kind, header: header, format: format, path: path)
        let rejects = try CopySpool()

        return try db.withTransaction {
            let fileID: Int = try db.query(ImportQueries.startFile, source, kind.rawValue, format.rawValue, path)[0].decode(0)
            try db.execute(stage.create)
            try db.execute(ImportQueries.createRejectStage)
            try db.execute(ImportQueries.truncate(stage.table))
            try db.execute(ImportQueries.truncateRejectStage)
            var read = 0
            let logger = self.logger
            try db.copyIn(stage.copy) { writer in
                while let row = try reader.next() {
                    switch row {
                    case .record(let cells, let line, let raw):
                        read += 1
                        switch stage.map(cells) {
                        case .success(let fields): try writer.writeRow([String(line)] + fields)
                        case .failure(let problem): try rejects.add([String(line), problem.reason, raw])
                        }
                    case .rejected(let line, let reason, let raw):
                        read += 1
                        try rejects.add([String(line), reason.description, raw])
                    }
                    if read % 200_000 == 0 { logger.info("importing", metadata: ["file": "\(path)", "rows": "\(read)"]) }
                }
            }
            try db.copyIn(ImportQueries.copyRejectStage) { writer in try rejects.replay { try writer.write($0) } }
            try db.execute(ImportQueries.analyze(stage.table))
            try db.query(ImportQueries.rejectDuplicateIDs(stage.table))
            let written = try db.query(stage.upsert, source, fileID)[0]
            let new: Int = try written.decode(0)
            let changed: Int = try written.decode(1)
            let distinct: Int = try written.decode(2)
            var reasons: [String: Int] = [:]
            for row in try db.query(ImportQueries.rejectReasons) { reasons[try row.decode(0)] = try row.decode(1) }
            let rejected: Int = try db.query(ImportQueries.saveRejects, fileID, source, kind.rawValue, path)[0].decode(0)
            let unchanged = distinct - new - changed
            try db.query(ImportQueries.finishFile, fileID, read, new, changed, unchanged, rejected)
            return ImportReport(
                file: path, source: source, kind: kind.rawValue, read: read, new: new, changed: changed,
                unchanged: unchanged, rejected: rejected, rejectedByReason: reasons)
        }
    }

    /// A normalized account as a row of `stage_accounts` after its line number.
    static func stageRow(_ account: SourceAccount) -> [String?] {
        [
            account.sourceID, account.name, account.nameNormalized, account.website,
            account.domain?.registrable, account.domain?.host, account.domain.map { $0.isIdentity ? "t" : "f" },
            account.industry, account.employees.map(String.init), account.annualRevenue.map { String($0) },
            account.country, account.countryRaw, account.state, account.city, account.owner, account.parentID, account.type,
            account.lastActivity, account.preventOverride ? "t" : "f", jsonObject(account.extra), account.contentHash,
        ]
    }

    /// A normalized opportunity as a row of `stage_opportunities` after its line number.
    static func stageRow(_ deal: SourceOpportunity) -> [String?] {
        [
            deal.sourceID, deal.accountSourceID, deal.name, deal.amount.map { String($0) }, deal.stage, deal.closeDate,
            deal.isClosed ? "t" : "f", deal.isWon ? "t" : "f", deal.owner, jsonObject(deal.extra), deal.contentHash,
        ]
    }

    /// A normalized contact as a row of `stage_contacts` after its line number.
    static func stageRow(_ contact: SourceContact) -> [String?] {
        [
            contact.sourceID, contact.accountSourceID, contact.firstName, contact.lastName, contact.email,
            contact.emailDomain, contact.linkedIn, contact.title, contact.seniority?.rawValue, contact.department?.rawValue,
            contact.country, contact.state, contact.owner, contact.roleStart, jsonObject(contact.extra), contact.contentHash,
        ]
    }
}

/// A JSON object of strings, keys sorted.
func jsonObject(_ values: [String: String]) -> String {
    "{" + values.keys.sorted().map { jsonString($0) + ":" + jsonString(values[$0] ?? "") }.joined(separator: ",") + "}"
}

/// A JSON string literal (RFC 8259 escaping).
func jsonString(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        case _ where scalar.value < 0x20:
            let hex = String(scalar.value, radix: 16)
            result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result + "\""
}

/// Reads a file in 1 MiB chunks and hands out parsed rows one at a time.
final class RowReader {
    private let handle: FileHandle
    private var parser: CSVParser
    private var pending: [CSVRow] = []
    private var index = 0
    private var finished = false

    init(path: String, delimiter: UInt8) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImportError.unreadable(path, FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file")
        }
        self.handle = handle
        parser = CSVParser(delimiter: delimiter)
    }

    deinit { try? handle.close() }

    func next() throws -> CSVRow? {
        while index >= pending.count {
            if finished { return nil }
            pending.removeAll(keepingCapacity: true)
            index = 0
            let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty {
                finished = true
                parser.finish { pending.append($0) }
            } else {
                chunk.withUnsafeBytes { bytes in parser.feed(bytes) { pending.append($0) } }
            }
        }
        defer { index += 1 }
        return pending[index]
    }
}

/// Rows spooled to a temporary file in COPY text format, so that data which
/// must wait for another COPY costs disk, not memory.
final class CopySpool {
    private let url: URL
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("marketmap-spool-\(UUID().uuidString).copy")
        guard FileManager.default.createFile(atPath: url.path, contents: nil), let handle = FileHandle(forUpdatingAtPath: url.path) else {
            throw ImportError.unreadable(url.path, "cannot create a temporary file")
        }
        self.handle = handle
    }

    deinit {
        try? handle.close()
        try? FileManager.default.removeItem(at: url)
    }

    func add(_ fields: [String?]) throws {
        CopyText.appendRow(fields, to: &buffer)
        if buffer.count > 1 << 18 { try flush() }
    }

    /// Streams everything written so far to `write`.
    func replay(_ write: (UnsafeRawBufferPointer) throws -> Void) throws {
        try flush()
        try handle.seek(toOffset: 0)
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            try chunk.withUnsafeBytes { try write($0) }
        }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

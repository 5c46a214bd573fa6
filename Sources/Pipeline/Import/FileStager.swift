import Foundation
import MarketMapCore
import Postgres

/// A file in `import_raw_rows`, waiting for its normalize jobs.
public struct StagedFile: Sendable {
    public var fileID: Int
    /// Records read, header excluded (rejected ones included).
    public var read: Int
    /// Rejected while staging: unreadable records (invalid UTF-8, an unterminated quote, oversized).
    public var rejected: Int
    /// The physical line the last record started on: normalize ranges end there.
    public var lastLine: Int
    /// Whether the header has a record id column: without one (generic files
    /// with derived ids), staging cannot tell which records a file lacks.
    public var hasRecordIDs: Bool
}

extension Importer {
    /// Streams `path` into `import_raw_rows` (step 1 of the import). The
    /// header must map to what `kind` needs (`HeaderMapping`), or nothing is
    /// loaded. Runs in the caller's transaction, or its own.
    public func stage(
        _ path: String, source: String, format: ExportFormat, kind: RecordKind = .accounts,
        delimiter: UInt8 = UInt8(ascii: ","), on db: isolated Connection
    ) throws -> StagedFile {
        let header = try Self.header(of: path, delimiter: delimiter)
        _ = try stage(kind, header: header.fields, format: format, path: path)  // fails on a header that maps to nothing needed
        let keyColumn = try HeaderMapping(header: header.fields, kind: kind, format: format).fields["source_id"]
        return try db.withTransaction {
            let fileID: Int = try db.query(
                ImportQueries.startFile, source, kind.rawValue, format.rawValue, path, header.fields, String(UnicodeScalar(delimiter))
            )[0].decode(0)
            let rejects = try CopySpool()
            var read = 0, lastLine = header.line
            let chunks = try FileChunks(path: path)
            var splitter = CSVRecordSplitter(delimiter: delimiter, keyColumn: keyColumn)
            var buffer: [UInt8] = []
            buffer.reserveCapacity(1 << 19)
            // Unchanged records are recognised by this hash before anyone parses them (`skipUnchanged`).
            let seed = ContentHash.seed(["normalization " + ProductVersion.normalization, format.rawValue, kind.rawValue, String(UnicodeScalar(delimiter))] + header.fields)
            var prefix: [UInt8] = []  // "file id \t"
            CopyText.appendDecimal(fileID, to: &prefix)
            prefix.append(0x09)
            let logger = self.logger
            try db.copyIn(ImportQueries.copyRawRows) { writer in
                let take = { (record: CSVRecordBytes) throws in
                    if record.line <= header.line { return }  // the header itself
                    read += 1
                    lastLine = record.line
                    if let problem = record.problem {
                        try rejects.add([String(record.line), problem.description, record.rawText(limit: 4096)])
                        return
                    }
                    buffer.append(contentsOf: prefix)
                    CopyText.appendDecimal(record.line, to: &buffer)
                    buffer.append(0x09)
                    if let range = record.keyField, let id = Self.recordID(UnsafeRawBufferPointer(rebasing: record.bytes[range]), delimiter: delimiter) {
                        var id = id
                        id.withUTF8 { CopyText.appendField(UnsafeRawBufferPointer($0), to: &buffer) }
                    } else {
                        buffer.append(contentsOf: [0x5C, 0x4E])
                    }
                    buffer.append(0x09)
                    CopyText.appendField(record.bytes, to: &buffer)
                    buffer.append(0x09)
                    ContentHash.append(seed: seed, bytes: record.bytes, to: &buffer)
                    buffer.append(0x0A)
                    if buffer.count >= 1 << 16 {
                        try buffer.withUnsafeBytes { try writer.write($0) }
                        buffer.removeAll(keepingCapacity: true)
                    }
                    if read % 250_000 == 0 { logger.info("staging", metadata: ["file": "\(path)", "rows": "\(read)"]) }
                }
                while let chunk = try chunks.next() {
                    try chunk.withUnsafeBytes { try splitter.feed($0, take) }
                }
                try splitter.finish(take)
                try buffer.withUnsafeBytes { try writer.write($0) }
            }
            try db.execute(ImportQueries.createRejectStage)
            try db.execute(ImportQueries.truncateRejectStage)
            try db.copyIn(ImportQueries.copyRejectStage) { writer in try rejects.replay { try writer.write($0) } }
            let rejected: Int = try db.query(ImportQueries.saveRejects, fileID, source, kind.rawValue, path)[0].decode(0)
            try db.query(ImportQueries.finishStaging, fileID, read, lastLine)
            return StagedFile(fileID: fileID, read: read, rejected: rejected, lastLine: lastLine, hasRecordIDs: keyColumn != nil)
        }
    }

    /// Readies staged files for their normalize ranges (once per file, before
    /// the ranges: the normalize stage's planner, or `importFile`): fresh
    /// statistics for `import_raw_rows` (without them the planner takes the
    /// staged rows for none and picks nested loops), and earlier duplicates
    /// of a record id rejected, since ranges cannot see each other, and
    /// records whose raw bytes are unchanged since their last import skipped
    /// (counted as unchanged, never parsed). Returns the number rejected.
    /// Idempotent.
    @discardableResult
    public func prepareStaged(files: [Int], on db: isolated Connection) throws -> Int {
        try db.withTransaction {
            try db.execute(ImportQueries.analyzeStaging)
            var rejected = 0
            for file in files {
                rejected += try db.query(ImportQueries.rejectDuplicateRecordIDs, file)[0].decode(0) as Int
                guard let info = try db.query(ImportQueries.stagedFile, file).first,
                    let kind = RecordKind(rawValue: try info.decode(1))
                else { continue }
                try db.query(ImportQueries.skipUnchanged(ImportQueries.StageTable(kind)), file, try info.decode(0, as: String.self))
            }
            return rejected
        }
    }

    /// The first record of the file, split into fields, and its line.
    static func header(of path: String, delimiter: UInt8) throws -> (fields: [String], line: Int) {
        let chunks = try FileChunks(path: path)
        var parser = CSVParser(delimiter: delimiter)
        var header: (fields: [String], line: Int)?
        var unreadable = false
        let take = { (row: CSVRow) in
            guard header == nil, !unreadable else { return }
            switch row {
            case .record(let fields, let line, _): header = (fields, line)
            case .rejected: unreadable = true
            }
        }
        while header == nil, !unreadable, let chunk = try chunks.next() {
            chunk.withUnsafeBytes { parser.feed($0, take) }
        }
        if header == nil, !unreadable { parser.finish(take) }
        guard let header else { throw ImportError.noHeader(path) }
        return header
    }

    /// A record id cell as the mappers read it (unquoted, cleaned), or nil when blank.
    static func recordID(_ field: UnsafeRawBufferPointer, delimiter: UInt8) -> String? {
        ValueParsers.clean(CSVParser.fields(of: field, delimiter: delimiter).first ?? "")
    }
}

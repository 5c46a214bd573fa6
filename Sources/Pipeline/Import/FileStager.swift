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
    /// What was detected about the file (encoding, delimiter), for people.
    public var notes: [String] = []
}

extension Importer {
    /// Streams `path` into `import_raw_rows` (step 1 of the import). The
    /// encoding and delimiter come from `options` or from the file
    /// (`TextLayout`); the header must map to what `kind` needs
    /// (`HeaderMapping`) and have its record id column where one is required
    /// (`RecordIdentity`), or nothing is loaded. Each record goes in as read
    /// (as UTF-8), keyed by its record id, or by its derived id where the file
    /// derives them, so duplicates are found before anything is parsed.
    /// Unreadable records and repeated header rows are rejected here. Runs in
    /// the caller's transaction, or its own.
    public func stage(
        _ path: String, source: String, format: ExportFormat, kind: RecordKind = .accounts,
        options: ImportOptions = ImportOptions(), on db: isolated Connection
    ) throws -> StagedFile {
        if let problem = ImportOptions.sourceNameProblem(source) { throw ImportError.badSource(source, problem) }
        let layout = try Self.layout(of: path, options: options)
        for note in layout.notes { logger.notice("\(note)", metadata: ["file": "\(path)"]) }
        let delimiter = layout.delimiter
        let header = try Self.header(of: path, layout: layout)
        let stage = try self.stage(kind, source: source, header: header.fields, format: format, path: path)
        let mapping = stage.mapping
        do {
            try RecordIdentity.check(mapping, header: header.fields, kind: kind, format: format, derivedIDs: options.derivedIDs)
        } catch {
            throw ImportError.header(path, error)
        }
        let keyColumn = mapping.fields["source_id"]
        let derives = RecordIdentity.derives(kind: kind, format: format, mapping: mapping)
        let repeatedHeader = RepeatedHeader(header.fields)
        return try db.withTransaction {
            let fileID = try db.query(
                ImportQueries.startFile, source, kind.rawValue, format.rawValue, path, header.fields, String(UnicodeScalar(delimiter)),
                layout.encoding.rawValue
            )[0].decode(Int.self)
            let rejects = try CopySpool()
            var read = 0, lastLine = header.line
            let chunks = try TextChunks(path: path, layout: layout)
            var splitter = CSVRecordSplitter(delimiter: delimiter, keyColumn: keyColumn)
            var buffer: [UInt8] = []
            buffer.reserveCapacity(1 << 19)
            // Unchanged records are recognised by this hash before anyone parses them (`skipUnchanged`).
            let seed = ContentHash.seed(
                ["normalization " + ProductVersion.normalization, format.rawValue, kind.rawValue, String(UnicodeScalar(delimiter))] + header.fields
                    + normalizationStamp)
            var prefix: [UInt8] = []  // "file id \t"
            CopyText.appendDecimal(fileID, to: &prefix)
            prefix.append(0x09)
            let logger = self.logger
            let reject = { (record: CSVRecordBytes, reason: String) throws in
                try rejects.add([String(record.line), reason, record.rawText(limit: 4096)])
            }
            try db.copyIn(ImportQueries.copyRawRows) { writer in
                let take = { (record: CSVRecordBytes) throws in
                    if record.line <= header.line { return }  // the header itself
                    read += 1
                    lastLine = record.line
                    if let problem = record.problem {
                        return try reject(record, problem == .invalidUTF8 ? layout.encoding.invalidTextReason : problem.description)
                    }
                    if repeatedHeader.matches(record.bytes, delimiter: delimiter) {
                        return try reject(record, "a repeated header row (were exports concatenated?), not a record")
                    }
                    var id: String?
                    if let range = record.keyField { id = Self.recordID(UnsafeRawBufferPointer(rebasing: record.bytes[range]), delimiter: delimiter) }
                    if id == nil, derives { id = stage.recordID(CSVParser.fields(of: record.bytes, delimiter: delimiter)) }
                    if let problem = id.flatMap({ RecordIdentity.problem($0) }) { return try reject(record, problem.reason) }
                    buffer.append(contentsOf: prefix)
                    CopyText.appendDecimal(record.line, to: &buffer)
                    buffer.append(0x09)
                    if var id {
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
            let rejected = try db.query(ImportQueries.saveRejects, fileID, source, kind.rawValue, path)[0].decode(Int.self)
            try db.query(ImportQueries.finishStaging, fileID, read, lastLine)
            return StagedFile(fileID: fileID, read: read, rejected: rejected, lastLine: lastLine, hasRecordIDs: keyColumn != nil, notes: layout.notes)
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
                guard let info = try db.query(ImportQueries.stagedFile, file).first,
                    let kind = RecordKind(rawValue: try info.decode("kind"))
                else { continue }
                rejected += try db.query(ImportQueries.rejectDuplicateRecordIDs, file, RecordIdentity.derivedFrom(kind))[0].decode(Int.self)
                try db.query(ImportQueries.skipUnchanged(ImportQueries.StageTable(kind)), file, try info.decode("source", as: String.self))
            }
            return rejected
        }
    }

    /// How to read the file: the given encoding and delimiter, the rest
    /// detected from its first MiB.
    static func layout(of path: String, options: ImportOptions) throws -> TextLayout {
        let chunks = try FileChunks(path: path)
        let first = try chunks.next().map { [UInt8]($0) } ?? []
        let isWholeFile = try chunks.next() == nil
        return TextLayout.detect(first, isWholeFile: isWholeFile, encoding: options.encoding, delimiter: options.delimiter)
    }

    /// The first record of the file, split into fields, and its line; fails
    /// when the file has none, or the header cannot be read as text.
    static func header(of path: String, layout: TextLayout) throws -> (fields: [String], line: Int) {
        let chunks = try TextChunks(path: path, layout: layout)
        var parser = CSVParser(delimiter: layout.delimiter)
        var header: (fields: [String], line: Int)?
        var unreadable: (line: Int, reason: CSVRejection)?
        let take = { (row: CSVRow) in
            guard header == nil, unreadable == nil else { return }
            switch row {
            case .record(let fields, let line, _): header = (fields, line)
            case .rejected(let line, let reason, _): unreadable = (line, reason)
            }
        }
        while header == nil, unreadable == nil, let chunk = try chunks.next() {
            chunk.withUnsafeBytes { parser.feed($0, take) }
        }
        if header == nil, unreadable == nil { parser.finish(take) }
        if let unreadable { throw ImportError.unreadableHeader(path, line: unreadable.line, reason: Self.headerProblem(unreadable.reason, layout: layout)) }
        guard let header else { throw ImportError.noHeader(path) }
        return header
    }

    /// Why a header cannot be read, and what to do about it.
    static func headerProblem(_ problem: CSVRejection, layout: TextLayout) -> String {
        switch problem {
        case .nulByte:
            return "it has a NUL byte, so it is not text in \(layout.encoding.name): the file is damaged, or in another encoding "
                + "(pass --encoding utf-16le, utf-16be, windows-1252 or latin-1 if you know it)"
        case .invalidUTF8 where layout.encoding == .utf8:
            return "it is not valid UTF-8: if the file is Windows-1252 or Latin-1, pass --encoding windows-1252 (or latin-1)"
        case .invalidUTF8:
            return "it is not valid \(layout.encoding.name): the file is damaged, or in another encoding (pass --encoding with the right one)"
        case .fieldTooLarge, .recordTooLarge, .unterminatedQuote:
            return "\(problem) (is it a CSV export?)"
        }
    }

    /// A record id cell as the mappers read it (unquoted, cleaned), or nil when blank.
    static func recordID(_ field: UnsafeRawBufferPointer, delimiter: UInt8) -> String? {
        ValueParsers.clean(CSVParser.fields(of: field, delimiter: delimiter).first ?? "")
    }
}

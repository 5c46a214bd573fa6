import Foundation
import JobQueue
import MarketMapCore
import Postgres

/// What one normalize step wrote.
public struct NormalizeCounts: Sendable, Equatable {
    public var records = 0, new = 0, changed = 0, unchanged = 0, rejected = 0
}

/// Permanent (`PermanentJobError`): a staged file that is gone or whose row
/// lacks its format stays so; a normalize job retrying it would fail alike.
public enum NormalizeError: PermanentJobError, CustomStringConvertible {
    case unknownFile(Int)
    case badFileRow(Int, String)

    public var description: String {
        switch self {
        case .unknownFile(let id): return "import file \(id) is not in import_files (was it deleted while its normalize jobs ran?)"
        case .badFileRow(let id, let what): return "import file \(id): \(what)"
        }
    }
}

extension Importer {
    /// Normalizes the staged records of `file` whose line is in `lines` (step 2
    /// of the import): parse, map, upsert by content hash, reject with reason,
    /// then delete the range from staging. Idempotent: a repeated range finds
    /// nothing left. Runs in the caller's transaction (a job's), or its own.
    @discardableResult
    public func normalize(file: Int, lines: Range<Int>, on db: isolated Connection) throws -> NormalizeCounts {
        try db.withTransaction {
            let rows = try db.query(ImportQueries.stagedFile, file)
            guard let info = rows.first else { throw NormalizeError.unknownFile(file) }
            let (source, kindName, formatName, path, header, delimiterText) = try info.decode(
                String.self, String.self, String.self, String.self, [String]?.self, String.self)
            guard let kind = RecordKind(rawValue: kindName), let format = ExportFormat(rawValue: formatName),
                let header, let delimiter = delimiterText.utf8.first
            else { throw NormalizeError.badFileRow(file, "kind, format, header or delimiter is missing") }
            let stage = try stage(kind, source: source, header: header, format: format, path: path)

            try db.execute(stage.create)
            try db.execute(ImportQueries.createRejectStage)
            try db.execute(ImportQueries.truncate(stage.table))
            try db.execute(ImportQueries.truncateRejectStage)
            let records = try db.query(ImportQueries.stagedRecords, file, lines.lowerBound, lines.upperBound)
            var counts = NormalizeCounts(records: records.count)
            guard !records.isEmpty else {
                // Every line of the range was skipped as unchanged or rejected earlier: the file may still be done.
                try db.query(ImportQueries.finishFileIfNormalized, file)
                return counts
            }
            let rejects = try CopySpool()
            try db.copyIn(stage.copy) { writer in
                for record in records {
                    let (line, recordText, rawHash) = try record.decode(Int.self, String.self, String?.self)
                    var text = recordText
                    let cells = text.withUTF8 { CSVParser.fields(of: UnsafeRawBufferPointer($0), delimiter: delimiter) }
                    switch stage.map(cells) {
                    case .success(let fields): try writer.writeRow([String(line)] + fields + [rawHash])
                    case .failure(let problem): try rejects.add([String(line), problem.reason, String(text.prefix(4096))])
                    }
                }
            }
            try db.copyIn(ImportQueries.copyRejectStage) { writer in try rejects.replay { try writer.write($0) } }
            try db.execute(ImportQueries.analyze(stage.table))
            let (new, changed, latest) = try db.query(stage.upsert, source, file)[0].decode(Int.self, Int.self, Int.self)
            (counts.new, counts.changed, counts.unchanged) = (new, changed, latest - new - changed)
            counts.rejected = try db.query(ImportQueries.saveRejects, file, source, kind.rawValue, path)[0].decode(Int.self)
            try db.query(ImportQueries.deleteStagedRecords, file, lines.lowerBound, lines.upperBound)
            try db.query(ImportQueries.addNormalizeCounts, file, counts.new, counts.changed, counts.unchanged)
            try db.query(ImportQueries.finishFileIfNormalized, file)
            return counts
        }
    }
}

extension Importer {
    /// Normalizes every staged file in this process, range by range (what the
    /// normalize jobs do on workers), calling `progress` with records done
    /// and total after each range. Returns the ids of the files it finished.
    @discardableResult
    public func normalizeStaged(on db: isolated Connection, progress: (Int, Int) -> Void = { _, _ in }) throws -> [Int] {
        let files = try db.query(ImportQueries.stagedFiles).map { try $0.decode(Int.self, Int.self) }
        try prepareStaged(files: files.map(\.0), on: db)
        let total = try db.query(ImportQueries.stagedRecordCount)[0].decode(Int.self)
        var done = 0
        for (file, lastLine) in files {
            for from in stride(from: 1, through: lastLine, by: linesPerJob) {
                done += try normalize(file: file, lines: from..<(from + linesPerJob), on: db).records
                progress(done, total)
            }
        }
        return files.map(\.0)
    }
}

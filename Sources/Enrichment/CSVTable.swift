import Foundation
import MarketMapCore

/// A CSV file as header → value rows, read a chunk at a time (`stream`, a
/// provider file of any size) or collected whole (`read`, a simulator's dataset).
/// Unreadable rows are reported with their line, never skipped silently.
public struct CSVTable: Sendable {
    public var header: [String]
    public var rows: [[String: String]]

    public enum Failure: Error, CustomStringConvertible {
        case unreadable(String)
        case badRow(file: String, line: Int, reason: String)
        case empty(String)
        public var description: String {
            switch self {
            case .unreadable(let file): return "\(file): cannot read the file"
            case .badRow(let file, let line, let reason): return "\(file):\(line): \(reason)"
            case .empty(let file): return "\(file): no header row"
            }
        }
    }

    /// Reads `path` a chunk at a time: `header` gets the header row, then `row`
    /// each record as header → value, so a file of any size costs a chunk of
    /// memory. The first unreadable row stops it (`Failure.badRow`); an error
    /// of `header` or `row` stops it too and is rethrown.
    public static func stream(
        _ path: String, chunk: Int = 1 << 20, header: ([String]) throws -> Void, row: ([String: String]) throws -> Void
    ) throws {
        var parser = CSVParser()
        var names: [String]?
        func emit(_ parsed: CSVRow) throws {
            switch parsed {
            case .record(let fields, _, _):
                guard let names else {
                    let trimmed = fields.map { $0.trimmedWhitespace }
                    names = trimmed
                    try header(trimmed)
                    return
                }
                try row(Dictionary(zip(names, fields), uniquingKeysWith: { first, _ in first }))
            case .rejected(let line, let reason, _):
                throw Failure.badRow(file: path, line: line, reason: "\(reason)")
            }
        }
        try chunks(of: path, chunk: chunk) { data in try data.withUnsafeBytes { try parser.feed($0, emit) } }
        try parser.finish(emit)
        if names == nil { throw Failure.empty(path) }
    }

    /// The file's size and content hash ("size-hash"), read a chunk at a time.
    public static func fingerprint(_ path: String, chunk: Int = 1 << 20) throws -> String {
        var hash = ContentHash.Running()
        var size = 0
        try chunks(of: path, chunk: chunk) { data in
            size += data.count
            hash.add(data)
        }
        return "\(size)-\(hash.hex)"
    }

    /// The whole file (a simulator's dataset).
    public static func read(_ path: String) throws(Failure) -> CSVTable {
        var table = CSVTable(header: [], rows: [])
        do {
            try stream(path, header: { table.header = $0 }, row: { table.rows.append($0) })
        } catch let failure as Failure {
            throw failure
        } catch {
            throw .unreadable(path)
        }
        return table
    }

    /// Calls `body` with each chunk of `path`'s bytes, in order.
    private static func chunks(of path: String, chunk: Int, _ body: (Data) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw Failure.unreadable(path) }
        defer { try? handle.close() }
        while true {
            let data: Data
            do { data = try handle.read(upToCount: chunk) ?? Data() } catch { throw Failure.unreadable(path) }
            if data.isEmpty { return }
            try body(data)
        }
    }
}

import Foundation
import MarketMapCore

/// A small CSV file read whole (a provider dataset): the header and the rows
/// as header → value. Unreadable rows are reported with their line, never
/// skipped silently.
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

    public static func read(_ path: String) throws(Failure) -> CSVTable {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path) }
        var parser = CSVParser()
        var records: [[String]] = []
        var failure: Failure?
        let collect: (CSVRow) -> Void = { row in
            switch row {
            case .record(let fields, _, _): records.append(fields)
            case .rejected(let line, let reason, _): if failure == nil { failure = .badRow(file: path, line: line, reason: "\(reason)") }
            }
        }
        parser.feed([UInt8](data), collect)
        parser.finish(collect)
        if let failure { throw failure }
        guard let header = records.first else { throw .empty(path) }
        let names = header.map { $0.trimmedWhitespace }
        let rows = records.dropFirst().map { fields in
            Dictionary(zip(names, fields), uniquingKeysWith: { first, _ in first })
        }
        return CSVTable(header: names, rows: rows)
    }
}

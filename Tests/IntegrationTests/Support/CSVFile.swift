import Foundation
import MarketMapCore

/// A CSV file as the importer reads it (`CSVParser`): its header and rows, in order.
struct CSVFile {
    var header: [String]
    var rows: [[String]]

    init(header: [String], rows: [[String]]) {
        self.header = header
        self.rows = rows
    }

    init(_ url: URL) throws {
        var parser = CSVParser()
        var records: [[String]] = []
        parser.feed(Array(try Data(contentsOf: url))) { if case .record(let fields, _, _) = $0 { records.append(fields) } }
        parser.finish { if case .record(let fields, _, _) = $0 { records.append(fields) } }
        header = records.first ?? []
        rows = Array(records.dropFirst())
    }

    /// The rows as column → value (the first of a repeated column).
    var records: [[String: String]] {
        rows.map { Dictionary(zip(header, $0), uniquingKeysWith: { first, _ in first }) }
    }

    func index(_ column: String) throws -> Int {
        guard let index = header.firstIndex(of: column) else { throw ClusterError("no column \(column) in \(header)") }
        return index
    }

    /// UTF-8, every field quoted as needed, LF line ends.
    func write(to url: URL) throws {
        let text = ([header] + rows).map { $0.map(Report.csvField).joined(separator: ",") + "\n" }.joined()
        try Data(text.utf8).write(to: url)
    }
}

import Foundation
import MarketMapCore
import Postgres

/// The spreadsheet round trip of review: `export` writes the items with both
/// sides' records and empty decision columns; a steward fills `decision`
/// (same, different, detach, pin), for a pin `field` and `value`, and
/// `import` stores every filled row. Decisions are keyed by the records in
/// the row, so an export stays usable after later runs rebuilt the items. A
/// bad row is rejected with its line and reason and changes nothing; the
/// other rows are stored.
public enum ReviewCSV {
    static let side = ["source", "id", "name", "website", "country", "city", "owner"]
    public static let columns = ["item_id", "kind", "score", "action", "evidence", "golden_id", "country", "rep", "tier"]
        + side.map { "a_" + $0 } + side.map { "b_" + $0 } + ["other_members", "decision", "record", "other_record", "field", "value", "note"]

    /// Writes the items the filter selects (every page of them) to `path`; returns how many.
    @discardableResult
    public static func export(_ filter: ReviewFilter, to path: String, on db: isolated Connection) throws -> Int {
        guard FileManager.default.createFile(atPath: path, contents: nil), let file = FileHandle(forWritingAtPath: path) else {
            throw ReviewError.invalid("\(path): cannot create the file")
        }
        defer { try? file.close() }
        func write(_ fields: [String]) throws { try file.write(contentsOf: Data((fields.map(Report.csvField).joined(separator: ",") + "\r\n").utf8)) }
        try write(columns)
        var page = filter
        page.limit = 500
        page.offset = 0
        var count = 0
        while true {
            let items = try ReviewStore.items(page, on: db)
            for item in items {
                let (a, b) = item.records.count == 2 && item.kind != .weakCluster && item.kind != .disagreement
                    ? (item.records.first, item.records.last) : (item.records.first, nil)
                func fields(_ record: ReviewRecord?) -> [String] {
                    guard let record else { return Array(repeating: "", count: side.count) }
                    return [record.key.source, record.key.sourceID, record.name, record.website, record.country, record.city, record.owner]
                }
                let others = b == nil ? item.records.dropFirst().map { "\($0.key) \($0.name)" }.joined(separator: "; ") : ""
                try write(
                    [String(item.id), item.kind.rawValue, item.score.map { String(format: "%.3f", $0) } ?? "", item.action, item.evidence,
                     item.goldenID.map(String.init) ?? "", item.country, item.rep, item.tier]
                        + fields(a) + fields(b) + [others, "", "", "", "", "", ""])
            }
            count += items.count
            guard items.count == page.limit else { break }
            page.offset += page.limit
        }
        return count
    }

    public struct ImportResult: Sendable, Equatable {
        /// Decisions stored (or already stored: the same decision again is kept once).
        public var stored: [ReviewDecision] = []
        /// Rows without a decision.
        public var skipped = 0
        /// Rows refused, with their line and why; they changed nothing.
        public var rejected: [(line: Int, reason: String)] = []

        public static func == (lhs: ImportResult, rhs: ImportResult) -> Bool {
            lhs.stored == rhs.stored && lhs.skipped == rhs.skipped && lhs.rejected.map(\.line) == rhs.rejected.map(\.line)
                && lhs.rejected.map(\.reason) == rhs.rejected.map(\.reason)
        }
    }

    /// Stores the decisions of a filled-in export as `by`; with `dryRun`,
    /// checks every row and stores nothing.
    public static func importFile(_ path: String, by: String, dryRun: Bool = false, on db: isolated Connection) throws -> ImportResult {
        guard let data = FileManager.default.contents(atPath: path) else { throw ReviewError.invalid("\(path): cannot read the file") }
        var rows: [CSVRow] = []
        var parser = CSVParser()
        parser.feed([UInt8](data)) { rows.append($0) }
        parser.finish { rows.append($0) }
        guard case .record(let header, _, _)? = rows.first else { throw ReviewError.invalid("\(path): no header row") }
        let names = header.map { $0.trimmedWhitespace.lowercased() }
        guard let decisionColumn = names.firstIndex(of: "decision") else {
            throw ReviewError.invalid("\(path): no `decision` column; export the items with `marketmap review export` and fill that column")
        }
        var result = ImportResult()
        for row in rows.dropFirst() {
            switch row {
            case .rejected(let line, let reason, _): result.rejected.append((line, "\(reason)"))
            case .record(let fields, let line, _):
                func value(_ name: String) -> String {
                    guard let index = names.firstIndex(of: name), index < fields.count else { return "" }
                    return fields[index].trimmedWhitespace
                }
                guard decisionColumn < fields.count, !fields[decisionColumn].trimmedWhitespace.isEmpty else {
                    result.skipped += 1
                    continue
                }
                do {
                    let decision = try Self.decision(value, by: by, on: db)
                    if dryRun {
                        _ = try ReviewStore.validated(decision, on: db)
                    } else {
                        result.stored.append(try ReviewStore.decide(decision, on: db))
                    }
                } catch let error as ReviewError {
                    result.rejected.append((line, error.description))
                }
            }
        }
        return result
    }

    /// The decision a row asks for: its records from `record` / `other_record`
    /// (`source/id`), else the row's a and b sides.
    static func decision(_ value: (String) -> String, by: String, on db: isolated Connection) throws -> NewDecision {
        let text = value("decision").lowercased()
        guard let kind = DecisionKind(rawValue: text) else {
            throw ReviewError.invalid("decision \"\(text)\": expected one of \(DecisionKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        func key(_ column: String) throws -> RecordKey? {
            let text = value(column)
            guard !text.isEmpty else { return nil }
            guard let key = RecordKey(parsing: text) else { throw ReviewError.invalid("\(column) \"\(text)\": expected source/id") }
            return key
        }
        func side(_ prefix: String) -> RecordKey? {
            let (source, id) = (value(prefix + "source"), value(prefix + "id"))
            return source.isEmpty || id.isEmpty ? nil : RecordKey(source: source, sourceID: id)
        }
        guard let a = try key("record") ?? side("a_") else { throw ReviewError.invalid("no record: fill a_source and a_id, or record") }
        let b = kind.isPair ? try key("other_record") ?? side("b_") : nil
        if kind.isPair && b == nil { throw ReviewError.invalid("`\(kind.rawValue)` needs two records: fill other_record (source/id)") }
        let item = Int64(value("item_id"))
        let known = try item.map { try !db.query(ReviewQueries.itemExists, $0).isEmpty } ?? false
        return NewDecision(
            kind: kind, a: a, b: b, field: kind == .pin ? value("field") : nil, value: kind == .pin ? value("value") : nil, by: by,
            note: value("note"), itemID: known ? item : nil)
    }
}

extension RecordKey {
    /// `source/id`, split at the first slash (an id may hold slashes, a source name does not).
    public init?(parsing text: String) {
        guard let slash = text.firstIndex(of: "/") else { return nil }
        let source = String(text[..<slash]).trimmedWhitespace, id = String(text[text.index(after: slash)...]).trimmedWhitespace
        guard !source.isEmpty, !id.isEmpty else { return nil }
        self.init(source: source, sourceID: id)
    }
}

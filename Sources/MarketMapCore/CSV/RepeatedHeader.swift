/// Recognises the header row repeated inside a file (exports concatenated
/// with `cat`, each with its own header, a byte-order mark or not), so it is
/// rejected as such instead of loading as an account named "Account Name".
/// Cheap on the staging fast path: a record is split into fields only when
/// it is short enough and starts like the header. Pure: no I/O.
public struct RepeatedHeader: Sendable {
    private let cells: [String]
    private let firstBytes: [UInt8]
    private let maxBytes: Int

    public init(_ header: [String]) {
        cells = header.map(Self.comparable)
        var first = header.first?.trimmedWhitespace ?? ""
        if first.hasPrefix("\u{FEFF}") { first.removeFirst() }
        firstBytes = first.utf8.prefix(4).map(Self.lower)
        // Every cell quoted, each quote doubled, a BOM and spaces around.
        maxBytes = header.reduce(16) { $0 + 2 * $1.utf8.count + 4 }
    }

    public func matches(_ record: UnsafeRawBufferPointer, delimiter: UInt8) -> Bool {
        guard record.count <= maxBytes else { return false }
        let bom = record.count >= 3 && record[0] == 0xEF && record[1] == 0xBB && record[2] == 0xBF ? 3 : 0
        var start = bom
        while start < record.count, record[start] == 0x20 || record[start] == 0x22 { start += 1 }
        guard record.count - start >= firstBytes.count else { return false }
        for (offset, byte) in firstBytes.enumerated() where Self.lower(record[start + offset]) != byte { return false }
        var fields = CSVParser.fields(of: UnsafeRawBufferPointer(rebasing: record[bom...]), delimiter: delimiter)
        while fields.count > cells.count, fields.last?.trimmedWhitespace.isEmpty == true { fields.removeLast() }
        return fields.count == cells.count && zip(fields, cells).allSatisfy { Self.comparable($0) == $1 }
    }

    static func comparable(_ cell: String) -> String {
        var text = cell.trimmedWhitespace
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return text.lowercased()
    }

    static func lower(_ byte: UInt8) -> UInt8 { (0x41...0x5A).contains(byte) ? byte + 0x20 : byte }
}

/// One result of parsing: a record with its fields, or a row that could not
/// be read. `line` is the physical line (1-based) where the record starts;
/// `raw` is the record's text as read, cut to `rawLimit` bytes.
public enum CSVRow: Sendable, Equatable {
    case record(fields: [String], line: Int, raw: String)
    case rejected(line: Int, reason: CSVRejection, raw: String)
}

public enum CSVRejection: Sendable, Equatable, CustomStringConvertible {
    case invalidUTF8
    case nulByte
    case fieldTooLarge(limit: Int)
    case unterminatedQuote
    case recordTooLarge(limit: Int)

    public var description: String {
        switch self {
        case .invalidUTF8: return "invalid UTF-8"
        case .nulByte: return "a NUL byte in the row (a damaged export?); the row is not loaded, since dropping the byte would change the value"
        case .fieldTooLarge(let limit): return "a cell is larger than \(limit) bytes"
        case .unterminatedQuote: return "unterminated quoted field (the file ends inside quotes)"
        case .recordTooLarge(let limit): return "the row is larger than \(limit) bytes"
        }
    }
}

/// An incremental RFC 4180 parser: quoted fields, `""` escapes, newlines
/// inside quotes, CRLF / LF / CR line ends, a UTF-8 byte-order mark. Feed it
/// bytes in chunks of any size; memory is bounded by the largest record (cells
/// over `maxFieldBytes` reject their row instead of growing). Lenient where
/// real exports are sloppy: a quote inside an unquoted field is kept as text.
/// Record boundaries come from `CSVRecordSplitter`; this type splits each
/// record into fields. Pure: no I/O.
public struct CSVParser: Sendable {
    public let rawLimit: Int
    private var splitter: CSVRecordSplitter
    public var delimiter: UInt8 { splitter.delimiter }
    public var maxFieldBytes: Int { splitter.maxFieldBytes }

    public init(delimiter: UInt8 = UInt8(ascii: ","), maxFieldBytes: Int = 1 << 20, rawLimit: Int = 4096) {
        self.rawLimit = rawLimit
        splitter = CSVRecordSplitter(delimiter: delimiter, maxFieldBytes: maxFieldBytes)
    }

    /// Parses `bytes`, calling `emit` for every complete row.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, _ emit: (CSVRow) throws -> Void) rethrows {
        let rawLimit = self.rawLimit, delimiter = splitter.delimiter
        try splitter.feed(bytes) { try emit(Self.row($0, delimiter: delimiter, rawLimit: rawLimit)) }
    }

    public mutating func feed(_ bytes: [UInt8], _ emit: (CSVRow) throws -> Void) rethrows {
        try bytes.withUnsafeBytes { try feed($0, emit) }
    }

    /// Ends the input: emits the last record (or rejects it when the file
    /// ends inside quotes).
    public mutating func finish(_ emit: (CSVRow) throws -> Void) rethrows {
        let rawLimit = self.rawLimit, delimiter = splitter.delimiter
        try splitter.finish { try emit(Self.row($0, delimiter: delimiter, rawLimit: rawLimit)) }
    }

    static func row(_ record: CSVRecordBytes, delimiter: UInt8, rawLimit: Int) -> CSVRow {
        if let problem = record.problem {
            return .rejected(line: record.line, reason: problem, raw: record.rawText(limit: rawLimit))
        }
        return .record(fields: fields(of: record.bytes, delimiter: delimiter), line: record.line, raw: record.rawText(limit: rawLimit))
    }

    /// The fields of one record (valid UTF-8, as `CSVRecordSplitter` delivers
    /// it: every newline in it is inside quotes).
    public static func fields(of record: UnsafeRawBufferPointer, delimiter: UInt8) -> [String] {
        var fields: [String] = []
        var field: [UInt8] = []
        field.reserveCapacity(64)
        var state = CSVRecordSplitter.State.fieldStart
        for byte in record {
            switch state {
            case .quoted:
                if byte == 0x22 { state = .quoteInQuoted } else { field.append(byte) }
            case .fieldStart, .unquoted, .quoteInQuoted:
                if byte == delimiter {
                    fields.append(String(decoding: field, as: UTF8.self))
                    field.removeAll(keepingCapacity: true)
                    state = .fieldStart
                } else if byte == 0x22 && state != .unquoted {
                    if state == .quoteInQuoted { field.append(0x22) }
                    state = .quoted
                } else {
                    field.append(byte)
                    state = .unquoted
                }
            }
        }
        fields.append(String(decoding: field, as: UTF8.self))
        return fields
    }
}

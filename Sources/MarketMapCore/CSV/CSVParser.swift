/// One result of parsing: a record with its fields, or a row that could not
/// be read. `line` is the physical line (1-based) where the record starts;
/// `raw` is the record's text as read, cut to `rawLimit` bytes.
public enum CSVRow: Sendable, Equatable {
    case record(fields: [String], line: Int, raw: String)
    case rejected(line: Int, reason: CSVRejection, raw: String)
}

public enum CSVRejection: Sendable, Equatable, CustomStringConvertible {
    case invalidUTF8
    case fieldTooLarge(limit: Int)
    case unterminatedQuote

    public var description: String {
        switch self {
        case .invalidUTF8: return "invalid UTF-8"
        case .fieldTooLarge(let limit): return "a cell is larger than \(limit) bytes"
        case .unterminatedQuote: return "unterminated quoted field (the file ends inside quotes)"
        }
    }
}

/// An incremental RFC 4180 parser: quoted fields, `""` escapes, newlines
/// inside quotes, CRLF / LF / CR line ends, a UTF-8 byte-order mark. Feed it
/// bytes in chunks of any size; memory is bounded by the largest record (cells
/// over `maxFieldBytes` reject their row instead of growing). Lenient where
/// real exports are sloppy: a quote inside an unquoted field is kept as text.
/// Pure: no I/O.
public struct CSVParser: Sendable {
    public let delimiter: UInt8
    public let maxFieldBytes: Int
    public let rawLimit: Int

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }
    private var state = State.fieldStart
    private var record: [UInt8] = []      // field bytes of the current record
    private var fieldEnds: [Int] = []     // end offset of each finished field in `record`
    private var fieldStart = 0
    private var raw: [UInt8] = []
    private var line = 1                  // physical line of the next byte
    private var recordLine = 1
    private var tooLarge = false
    private var pendingCR = false
    private var atFileStart = true
    private var bomMatched = 0

    public init(delimiter: UInt8 = UInt8(ascii: ","), maxFieldBytes: Int = 1 << 20, rawLimit: Int = 4096) {
        self.delimiter = delimiter
        self.maxFieldBytes = maxFieldBytes
        self.rawLimit = rawLimit
        record.reserveCapacity(4096)
    }

    /// Parses `bytes`, calling `emit` for every complete row.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, _ emit: (CSVRow) throws -> Void) rethrows {
        for byte in bytes {
            if atFileStart {
                let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
                if byte == bom[bomMatched] {
                    bomMatched += 1
                    if bomMatched == 3 { atFileStart = false }
                    continue
                }
                atFileStart = false
                for skipped in bom.prefix(bomMatched) { try consume(skipped, emit) }
            }
            try consume(byte, emit)
        }
    }

    public mutating func feed(_ bytes: [UInt8], _ emit: (CSVRow) throws -> Void) rethrows {
        try bytes.withUnsafeBytes { try feed($0, emit) }
    }

    /// Ends the input: emits the last record (or rejects it when the file
    /// ends inside quotes).
    public mutating func finish(_ emit: (CSVRow) throws -> Void) rethrows {
        if atFileStart, bomMatched > 0 {
            atFileStart = false
            for skipped in [UInt8]([0xEF, 0xBB, 0xBF]).prefix(bomMatched) { try consume(skipped, emit) }
        }
        switch state {
        case .quoted:
            try emit(.rejected(line: recordLine, reason: .unterminatedQuote, raw: rawText()))
            reset()
        case .fieldStart where fieldEnds.isEmpty && raw.isEmpty:
            break
        default:
            try endRecord(emit)
        }
    }

    @inline(__always)
    private mutating func consume(_ byte: UInt8, _ emit: (CSVRow) throws -> Void) rethrows {
        if pendingCR {
            pendingCR = false
            if byte == 0x0A { return }  // CRLF: the LF belongs to the CR
        }
        let terminator = (byte == 0x0A || byte == 0x0D) && state != .quoted
        if !terminator && raw.count < rawLimit { raw.append(byte) }
        switch state {
        case .fieldStart:
            if byte == 0x22 {
                state = .quoted
            } else if byte == delimiter {
                endField()
            } else if byte == 0x0A || byte == 0x0D {
                try newline(byte, emit)
            } else {
                append(byte)
                state = .unquoted
            }
        case .unquoted:
            if byte == delimiter {
                endField()
                state = .fieldStart
            } else if byte == 0x0A || byte == 0x0D {
                try newline(byte, emit)
            } else {
                append(byte)
            }
        case .quoted:
            if byte == 0x22 {
                state = .quoteInQuoted
            } else {
                if byte == 0x0A { line += 1 }
                append(byte)
            }
        case .quoteInQuoted:
            if byte == 0x22 {
                append(0x22)
                state = .quoted
            } else if byte == delimiter {
                endField()
                state = .fieldStart
            } else if byte == 0x0A || byte == 0x0D {
                try newline(byte, emit)
            } else {
                append(byte)  // `"abc"x`: keep going as unquoted text
                state = .unquoted
            }
        }
    }

    @inline(__always)
    private mutating func append(_ byte: UInt8) {
        if record.count - fieldStart >= maxFieldBytes {
            tooLarge = true
            return
        }
        record.append(byte)
    }

    private mutating func endField() {
        fieldEnds.append(record.count)
        fieldStart = record.count
    }

    private mutating func newline(_ byte: UInt8, _ emit: (CSVRow) throws -> Void) rethrows {
        if byte == 0x0D { pendingCR = true }
        line += 1
        try endRecord(emit)
    }

    private mutating func endRecord(_ emit: (CSVRow) throws -> Void) rethrows {
        endField()
        defer { reset() }
        // A blank line is no record.
        if fieldEnds.count == 1 && fieldEnds[0] == 0 && raw.isEmpty { return }
        if tooLarge {
            try emit(.rejected(line: recordLine, reason: .fieldTooLarge(limit: maxFieldBytes), raw: rawText()))
            return
        }
        var fields: [String] = []
        fields.reserveCapacity(fieldEnds.count)
        var start = 0
        var valid = true
        record.withUnsafeBytes { bytes in
            for end in fieldEnds {
                guard let field = String(validating: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self) else {
                    valid = false
                    return
                }
                fields.append(field)
                start = end
            }
        }
        if valid {
            try emit(.record(fields: fields, line: recordLine, raw: rawText()))
        } else {
            try emit(.rejected(line: recordLine, reason: .invalidUTF8, raw: rawText()))
        }
    }

    private func rawText() -> String {
        String(decoding: raw, as: UTF8.self)  // invalid bytes become U+FFFD
    }

    private mutating func reset() {
        record.removeAll(keepingCapacity: true)
        fieldEnds.removeAll(keepingCapacity: true)
        raw.removeAll(keepingCapacity: true)
        fieldStart = 0
        tooLarge = false
        state = .fieldStart
        recordLine = line
    }
}

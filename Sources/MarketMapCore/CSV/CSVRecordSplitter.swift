/// One CSV record as bytes, before it is split into fields: valid only while
/// the callback that receives it runs. `line` is the physical line where the
/// record starts; `problem` says why the record cannot be used (its bytes are
/// then cut to what was kept). `keyField` is the byte range, inside `bytes`,
/// of the field the splitter was asked to watch (still quoted as in the file).
public struct CSVRecordBytes {
    public let bytes: UnsafeRawBufferPointer
    public let line: Int
    public let problem: CSVRejection?
    public let keyField: Range<Int>?

    /// The record's text as read, cut to `limit` bytes (invalid UTF-8 shows
    /// as U+FFFD, a NUL byte as U+2400 "␀": the database cannot hold NUL).
    public func rawText(limit: Int) -> String {
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes.prefix(limit)), as: UTF8.self)
        guard text.utf8.contains(0) else { return text }
        var visible = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { visible.append(scalar == "\u{0}" ? "\u{2400}" : scalar) }
        return String(visible)
    }
}

/// Finds record boundaries in a CSV byte stream without building fields: the
/// fast path of import, which stores each record as read and leaves field
/// splitting to the normalize jobs. RFC 4180 quoting (a delimiter or newline
/// inside quotes belongs to the field), CRLF / LF / CR line ends, a UTF-8
/// byte-order mark, physical line numbers, UTF-8 validation, and a bound on
/// field and record size so that memory stays flat. Blank lines are no
/// records. The same state machine as the field parser (`CSVParser` is built
/// on it), so both agree on every line number. Pure: no I/O.
public struct CSVRecordSplitter: Sendable {
    public let delimiter: UInt8
    public let maxFieldBytes: Int
    /// A record longer than this is rejected (its fields are each under the
    /// field limit, but there are very many of them).
    public let maxRecordBytes: Int
    /// The 0-based field index whose byte range each record reports, if any.
    public let keyColumn: Int?

    enum State: UInt8 { case fieldStart, unquoted, quoted, quoteInQuoted }
    private var state = State.fieldStart
    private var carry: [UInt8] = []        // bytes of a record that began in an earlier chunk
    private var recordLength = 0           // bytes of the current record seen so far
    private var fieldLength = 0
    private var fieldIndex = 0
    private var keyStart = -1, keyEnd = -1
    private var line = 1                   // physical line of the next byte
    private var recordLine = 1
    private var problem: CSVRejection?
    private var pendingCR = false
    private var bomMatched = 0
    private var atFileStart = true

    public init(delimiter: UInt8 = UInt8(ascii: ","), maxFieldBytes: Int = 1 << 20, maxRecordBytes: Int = 1 << 22, keyColumn: Int? = nil) {
        self.delimiter = delimiter
        self.maxFieldBytes = maxFieldBytes
        self.maxRecordBytes = max(maxRecordBytes, maxFieldBytes)
        self.keyColumn = keyColumn
        keyStart = keyColumn == 0 ? 0 : -1
    }

    /// Scans `chunk`, calling `emit` for every complete record.
    public mutating func feed(_ chunk: UnsafeRawBufferPointer, _ emit: (CSVRecordBytes) throws -> Void) rethrows {
        var index = 0
        let count = chunk.count
        if atFileStart {
            let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
            while index < count, bomMatched < 3, chunk[index] == bom[bomMatched] {
                bomMatched += 1
                index += 1
            }
            if bomMatched == 3 || index < count {
                atFileStart = false
                if bomMatched < 3 {
                    // Not a byte-order mark after all: the matched bytes are data.
                    let partial = Array(bom.prefix(bomMatched))
                    bomMatched = 0
                    try partial.withUnsafeBytes { try scan($0, from: 0, emit) }
                }
            }
            if atFileStart { return }
        }
        try scan(chunk, from: index, emit)
    }

    public mutating func feed(_ bytes: [UInt8], _ emit: (CSVRecordBytes) throws -> Void) rethrows {
        try bytes.withUnsafeBytes { try feed($0, emit) }
    }

    /// Ends the input: emits the last record, or rejects it when the file
    /// ends inside quotes.
    public mutating func finish(_ emit: (CSVRecordBytes) throws -> Void) rethrows {
        if atFileStart, bomMatched > 0 {
            atFileStart = false
            let partial = Array([UInt8]([0xEF, 0xBB, 0xBF]).prefix(bomMatched))
            try partial.withUnsafeBytes { try scan($0, from: 0, emit) }
        }
        if state == .quoted, problem == nil { problem = .unterminatedQuote }
        if fieldIndex == keyColumn { keyEnd = recordLength }
        let record = carry
        defer { reset() }
        try record.withUnsafeBytes { try deliver($0, emit) }
    }

    private mutating func scan(_ chunk: UnsafeRawBufferPointer, from first: Int, _ emit: (CSVRecordBytes) throws -> Void) rethrows {
        var start = first                  // where the current record's bytes begin in `chunk`
        var index = first
        let count = chunk.count
        let delimiter = self.delimiter
        if pendingCR, index < count {
            pendingCR = false
            if chunk[index] == 0x0A {
                index += 1
                start = index
            }
        }
        while index < count {
            // Fast path: a run of plain bytes inside a field moves only counters.
            if state == .unquoted || state == .quoted {
                var end = index
                if state == .unquoted {
                    while end < count {
                        let byte = chunk[end]
                        if byte == delimiter || byte == 0x0A || byte == 0x0D { break }
                        end += 1
                    }
                } else {
                    while end < count {
                        let byte = chunk[end]
                        if byte == 0x22 || byte == 0x0A { break }
                        end += 1
                    }
                }
                if end > index {
                    fieldLength += end - index
                    recordLength += end - index
                    if fieldLength > maxFieldBytes, problem == nil { problem = .fieldTooLarge(limit: maxFieldBytes) }
                    index = end
                    if index == count { break }
                }
            }
            let byte = chunk[index]
            var terminator = false
            switch state {
            case .fieldStart, .unquoted, .quoteInQuoted:
                if byte == delimiter {
                    endField()
                    state = .fieldStart
                } else if byte == 0x0A || byte == 0x0D {
                    terminator = true
                } else if byte == 0x22 && state != .unquoted {
                    if state == .quoteInQuoted { fieldLength += 1 }  // `""` inside quotes
                    state = .quoted
                } else {
                    if state == .quoteInQuoted || state == .fieldStart { state = .unquoted }
                    fieldLength += 1
                }
            case .quoted:
                if byte == 0x22 {
                    state = .quoteInQuoted
                } else {
                    if byte == 0x0A { line += 1 }
                    fieldLength += 1
                }
            }
            if terminator {
                line += 1
                try endRecord(in: chunk, start: start, end: index, emit)
                index += 1
                if byte == 0x0D {
                    if index < count {
                        if chunk[index] == 0x0A { index += 1 }
                    } else {
                        pendingCR = true
                    }
                }
                start = index
                continue
            }
            if fieldLength > maxFieldBytes, problem == nil { problem = .fieldTooLarge(limit: maxFieldBytes) }
            recordLength += 1
            index += 1
        }
        // Keep the unfinished record for the next chunk, up to the record limit.
        let room = maxRecordBytes - carry.count
        if room > 0, start < count {
            carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[start..<min(count, start + room)]))
        }
        if recordLength > maxRecordBytes, problem == nil { problem = .recordTooLarge(limit: maxRecordBytes) }
    }

    @inline(__always)
    private mutating func endField() {
        if fieldIndex == keyColumn {
            keyEnd = recordLength
        }
        fieldIndex += 1
        if fieldIndex == keyColumn { keyStart = recordLength + 1 }
        fieldLength = 0
    }

    private mutating func endRecord(in chunk: UnsafeRawBufferPointer, start: Int, end: Int, _ emit: (CSVRecordBytes) throws -> Void) rethrows {
        if fieldIndex == keyColumn { keyEnd = recordLength }
        defer { reset() }
        if carry.isEmpty {
            try deliver(UnsafeRawBufferPointer(rebasing: chunk[start..<end]), emit)
        } else {
            if carry.count < maxRecordBytes {
                carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[start..<min(end, start + maxRecordBytes - carry.count)]))
            }
            try carry.withUnsafeBytes { try deliver($0, emit) }
        }
    }

    private func deliver(_ bytes: UnsafeRawBufferPointer, _ emit: (CSVRecordBytes) throws -> Void) rethrows {
        if bytes.isEmpty && problem == nil { return }  // a blank line is no record
        let problem = self.problem ?? Self.textProblem(bytes)
        let key: Range<Int>? = keyColumn == nil || keyStart < 0 || keyEnd < keyStart || keyEnd > bytes.count ? nil : keyStart..<keyEnd
        try emit(CSVRecordBytes(bytes: bytes, line: recordLine, problem: problem, keyField: key))
    }

    private mutating func reset() {
        carry.removeAll(keepingCapacity: carry.capacity <= 1 << 16)
        recordLength = 0
        fieldLength = 0
        fieldIndex = 0
        keyStart = keyColumn == 0 ? 0 : -1
        keyEnd = -1
        problem = nil
        state = .fieldStart
        recordLine = line
    }

    /// Why `bytes` are not text the database can hold: a NUL byte (checked
    /// first: PostgreSQL text cannot store it, and dropping it would change the
    /// value), or invalid UTF-8. ASCII runs are checked a word at a time; the
    /// rest by the standard library.
    static func textProblem(_ bytes: UnsafeRawBufferPointer) -> CSVRejection? {
        var index = 0
        let count = bytes.count
        var ascii = true
        while index + 8 <= count {
            let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            if (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080 != 0 {
                if bytes[index..<(index + 8)].contains(0) { return .nulByte }
            }
            if word & 0x8080_8080_8080_8080 != 0 { ascii = false }
            index += 8
        }
        while index < count {
            if bytes[index] == 0 { return .nulByte }
            if bytes[index] >= 0x80 { ascii = false }
            index += 1
        }
        if !ascii, String(validating: bytes, as: UTF8.self) == nil { return .invalidUTF8 }
        return nil
    }
}

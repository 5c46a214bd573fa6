/// Streams UTF-16 (LE/BE) or Windows-1252 / Latin-1 bytes into UTF-8, chunk
/// by chunk (a character split across chunks is kept for the next one).
/// Line ends stay where they were, so physical line numbers do not move.
/// What cannot be decoded (an unpaired UTF-16 surrogate, an odd last byte)
/// becomes a byte that is never valid UTF-8 (0xFF), so the CSV splitter
/// rejects that row as unreadable instead of the value changing silently.
/// Pure: no I/O.
public struct Transcoder: Sendable {
    public let encoding: TextEncoding
    private var skip: Int                // byte-order mark bytes still to drop
    private var pendingByte: UInt8?      // the first byte of a UTF-16 code unit
    private var highSurrogate: UInt16?   // waiting for its low half

    public init(_ encoding: TextEncoding, bomLength: Int = 0) {
        self.encoding = encoding
        skip = bomLength
    }

    /// Appends the UTF-8 form of `bytes` to `output`.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        var index = 0
        while skip > 0, index < bytes.count {
            skip -= 1
            index += 1
        }
        output.reserveCapacity(output.count + bytes.count * 2)
        switch encoding {
        case .utf8:
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index...]))
        case .windows1252, .latin1:
            let table = encoding == .windows1252 ? Self.windows1252 : nil
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                if byte < 0x80 {
                    output.append(byte)
                } else if let table, byte < 0xA0 {
                    Self.appendUTF8(table[Int(byte - 0x80)], to: &output)
                } else {
                    Self.appendUTF8(UInt32(byte), to: &output)
                }
            }
        case .utf16LE, .utf16BE:
            let littleEndian = encoding == .utf16LE
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                guard let first = pendingByte else {
                    pendingByte = byte
                    continue
                }
                pendingByte = nil
                let unit = littleEndian ? UInt16(first) | UInt16(byte) << 8 : UInt16(first) << 8 | UInt16(byte)
                take(unit, into: &output)
            }
        }
    }

    public mutating func feed(_ bytes: [UInt8], into output: inout [UInt8]) {
        bytes.withUnsafeBytes { feed($0, into: &output) }
    }

    /// Ends the input: a dangling half character becomes an invalid byte.
    public mutating func finish(into output: inout [UInt8]) {
        if highSurrogate != nil || pendingByte != nil { output.append(Self.invalid) }
        highSurrogate = nil
        pendingByte = nil
    }

    private mutating func take(_ unit: UInt16, into output: inout [UInt8]) {
        if let high = highSurrogate {
            highSurrogate = nil
            if (0xDC00...0xDFFF).contains(unit) {
                let scalar = 0x10000 + (UInt32(high - 0xD800) << 10) + UInt32(unit - 0xDC00)
                Self.appendUTF8(scalar, to: &output)
                return
            }
            output.append(Self.invalid)
        }
        switch unit {
        case 0xD800...0xDBFF: highSurrogate = unit
        case 0xDC00...0xDFFF: output.append(Self.invalid)
        default: Self.appendUTF8(UInt32(unit), to: &output)
        }
    }

    /// Never part of valid UTF-8.
    static let invalid: UInt8 = 0xFF

    static func appendUTF8(_ scalar: UInt32, to output: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            output.append(UInt8(scalar))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | scalar >> 6))
            output.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            output.append(UInt8(0xE0 | scalar >> 12))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        default:
            output.append(UInt8(0xF0 | scalar >> 18))
            output.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Windows-1252's 0x80–0x9F (WHATWG: the five unassigned bytes map to the C1 controls, as Latin-1 does).
    static let windows1252: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]
}

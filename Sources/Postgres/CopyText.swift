/// PostgreSQL's COPY text format: one row per line, fields separated by tabs,
/// `\N` for NULL, backslash escapes for backslash, tab, newline, carriage
/// return. NUL bytes are dropped (text cannot hold them).
public enum CopyText {
    /// Appends one row (with its newline) to `buffer`.
    public static func appendRow(_ fields: [String?], to buffer: inout [UInt8]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { buffer.append(0x09) }
            guard let field else {
                buffer.append(contentsOf: [0x5C, 0x4E])
                continue
            }
            for byte in field.utf8 {
                switch byte {
                case 0x5C: buffer.append(contentsOf: [0x5C, 0x5C])
                case 0x09: buffer.append(contentsOf: [0x5C, 0x74])
                case 0x0A: buffer.append(contentsOf: [0x5C, 0x6E])
                case 0x0D: buffer.append(contentsOf: [0x5C, 0x72])
                case 0x00: continue
                default: buffer.append(byte)
                }
            }
        }
        buffer.append(0x0A)
    }

    /// Appends `bytes` as one escaped field (no separator, no newline): the
    /// fast path for data that is already text, copied in runs between the
    /// few bytes that need a backslash.
    public static func appendField(_ bytes: UnsafeRawBufferPointer, to buffer: inout [UInt8]) {
        var runStart = 0
        for index in 0..<bytes.count {
            let byte = bytes[index]
            if byte > 0x0D && byte != 0x5C { continue }  // the common case
            let escape: UInt8
            switch byte {
            case 0x5C: escape = 0x5C
            case 0x09: escape = 0x74
            case 0x0A: escape = 0x6E
            case 0x0D: escape = 0x72
            case 0x00: escape = 0
            default: continue
            }
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]))
            if escape != 0 { buffer.append(contentsOf: [0x5C, escape]) }
            runStart = index + 1
        }
        buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart...]))
    }

    /// Appends a non-negative integer in decimal, without allocating.
    public static func appendDecimal(_ value: Int, to buffer: inout [UInt8]) {
        var digits: (UInt64, UInt64) = (0, 0)  // up to 16 digits, little end first
        var count = 0
        var rest = UInt64(max(0, value))
        withUnsafeMutableBytes(of: &digits) { raw in
            repeat {
                raw[count] = UInt8(truncatingIfNeeded: rest % 10) + 0x30
                rest /= 10
                count += 1
            } while rest > 0 && count < 16
            while count > 0 {
                count -= 1
                buffer.append(raw[count])
            }
        }
    }

    /// The fields of one row as `COPY ... TO STDOUT` sends it.
    public static func parseRow(_ bytes: UnsafeRawBufferPointer) -> [String?] {
        var fields: [String?] = []
        var current: [UInt8] = []
        var escaped = false
        var isNull = false
        func finish() {
            fields.append(isNull ? nil : String(decoding: current, as: UTF8.self))
            current.removeAll(keepingCapacity: true)
            isNull = false
        }
        for byte in bytes {
            if escaped {
                escaped = false
                switch byte {
                case UInt8(ascii: "N"): isNull = true
                case UInt8(ascii: "t"): current.append(0x09)
                case UInt8(ascii: "n"): current.append(0x0A)
                case UInt8(ascii: "r"): current.append(0x0D)
                default: current.append(byte)
                }
            } else if byte == 0x5C {
                escaped = true
            } else if byte == 0x09 {
                finish()
            } else if byte != 0x0A {
                current.append(byte)
            }
        }
        finish()
        return fields
    }
}

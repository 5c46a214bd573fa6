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

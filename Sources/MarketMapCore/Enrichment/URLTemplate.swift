/// A provider URL (or header) with `{field}` placeholders filled from the
/// account's fields, percent-encoded, and `${NAME}` environment variables
/// expanded when the configuration is read by a worker.
public struct URLTemplate: Sendable, Equatable, CustomStringConvertible {
    enum Part: Sendable, Equatable {
        case literal(String)
        case field(String)
    }

    let parts: [Part]
    public let description: String

    /// Nil when a `{` is not closed or a placeholder is empty.
    public init?(_ text: String) {
        description = text
        var parts: [Part] = [], literal = "", rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            literal += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { return nil }
            let name = String(rest[rest.index(after: open)..<close]).trimmedWhitespace
            guard !name.isEmpty else { return nil }
            if !literal.isEmpty { parts.append(.literal(literal)) }
            literal = ""
            parts.append(.field(name))
            rest = rest[rest.index(after: close)...]
        }
        literal += rest
        if !literal.isEmpty { parts.append(.literal(literal)) }
        self.parts = parts
    }

    /// The fields the template reads, in order of first use.
    public var fields: [String] {
        var seen: [String] = []
        for case .field(let name) in parts where !seen.contains(name) { seen.append(name) }
        return seen
    }

    /// The text with each placeholder replaced; nil when a field is blank (the
    /// provider cannot be asked without it) unless it is `optional`.
    public func render(_ values: [String: String], encode: Bool = true, optional: Set<String> = []) -> String? {
        var text = ""
        for part in parts {
            switch part {
            case .literal(let literal): text += literal
            case .field(let name):
                let value = values[name]?.trimmedWhitespace ?? ""
                guard !value.isEmpty || optional.contains(name) else { return nil }
                text += encode ? Self.percentEncoded(value) : value
            }
        }
        return text
    }

    /// RFC 3986 unreserved characters stay; every other UTF-8 byte is `%XX`.
    public static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF")
                out += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 15)])
            }
        }
        return out
    }

    /// `${NAME}` replaced by the variable's value; the names of unset variables
    /// are returned so the caller can fail naming them.
    public static func expandEnvironment(_ text: String, _ environment: [String: String]) -> (text: String, missing: [String]) {
        var out = "", missing: [String] = [], rest = Substring(text)
        while let start = rest.range(of: "${") {
            out += rest[..<start.lowerBound]
            guard let close = rest[start.upperBound...].firstIndex(of: "}") else { break }
            let name = String(rest[start.upperBound..<close])
            if let value = environment[name] { out += value } else { missing.append(name) }
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        return (out, missing)
    }
}

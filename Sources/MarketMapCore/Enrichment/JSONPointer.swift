import Foundation

/// An RFC 6901 JSON pointer (`/company/metrics/employees`, `/tags/0`, `` for
/// the whole document) over values decoded by `JSONSerialization`.
public struct JSONPointer: Sendable, Equatable, CustomStringConvertible {
    public let tokens: [String]
    public let description: String

    /// Nil unless `text` is empty or starts with `/`.
    public init?(_ text: String) {
        guard text.isEmpty || text.hasPrefix("/") else { return nil }
        description = text
        tokens = text.isEmpty ? [] : text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    /// The value the pointer names, or nil when a step is missing.
    public func resolve(_ document: Any) -> Any? {
        var current: Any = document
        for token in tokens {
            if let object = current as? [String: Any], let next = object[token] {
                current = next
            } else if let array = current as? [Any], let index = Int(token), array.indices.contains(index) {
                current = array[index]
            } else {
                return nil
            }
        }
        return current
    }

    /// The value as a field: numbers stay numbers, a list of scalars becomes
    /// `a; b; c`, null, blank text and nested objects are no value.
    public static func fieldValue(_ value: Any?) -> FieldValue? {
        switch value {
        case let number as NSNumber:
            if String(cString: number.objCType) == "c" { return .text(number.boolValue ? "true" : "false") }
            return .number(number.doubleValue)
        case let text as String:
            let trimmed = text.trimmedWhitespace
            return trimmed.isEmpty ? nil : .text(trimmed)
        case let list as [Any]:
            let parts = list.compactMap { fieldValue($0)?.text }
            return parts.isEmpty ? nil : .text(parts.joined(separator: "; "))
        default:
            return nil
        }
    }
}

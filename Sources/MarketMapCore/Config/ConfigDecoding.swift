/// Any key of a configuration mapping.
public struct ConfigKey: CodingKey, Hashable, Sendable {
    public var stringValue: String
    public var intValue: Int?
    public init(_ string: String) { stringValue = string }
    public init?(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}

/// A configuration error: where (a key path like `icp.products[0].criteria[2].range`)
/// and what was expected.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var path: String
    public var expected: String
    public init(file: String = "", path: String, expected: String) {
        (self.file, self.path, self.expected) = (file, path, expected)
    }
    public var description: String {
        (file.isEmpty ? "" : file + ": ") + (path.isEmpty ? "" : path + ": ") + expected
    }

    /// `a.b[2].c` from a coding path.
    public static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
        }
        return text
    }

    /// A decoding error in these terms.
    public static func from(_ error: DecodingError, file: String) -> ConfigError {
        switch error {
        case .typeMismatch(let type, let context):
            return ConfigError(file: file, path: path(context.codingPath), expected: "expected \(describe(type))")
        case .valueNotFound(let type, let context):
            return ConfigError(file: file, path: path(context.codingPath), expected: "expected \(describe(type)), found nothing")
        case .keyNotFound(let key, let context):
            return ConfigError(file: file, path: path(context.codingPath + [key]), expected: "required key is missing")
        case .dataCorrupted(let context):
            return ConfigError(file: file, path: path(context.codingPath), expected: context.debugDescription)
        @unknown default:
            return ConfigError(file: file, path: "", expected: "\(error)")
        }
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "text"
        case is Double.Type, is Int.Type: return "a number"
        case is Bool.Type: return "true or false"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "a list" }
            if name.hasPrefix("Dictionary") || name.hasPrefix("KeyedDecodingContainer") { return "a mapping" }
            return name
        }
    }
}

extension KeyedDecodingContainer where K == ConfigKey {
    /// The value at `key`, or `fallback` when the key is absent or null.
    func value<T: Decodable>(_ key: String, or fallback: T) throws -> T {
        try decodeIfPresent(T.self, forKey: ConfigKey(key)) ?? fallback
    }

    func required<T: Decodable>(_ key: String) throws -> T {
        try decode(T.self, forKey: ConfigKey(key))
    }

    /// A typo must not silently fall back to a default.
    func rejectUnknown(_ allowed: Set<String>) throws {
        if let unknown = allKeys.first(where: { !allowed.contains($0.stringValue) }) {
            throw DecodingError.dataCorrupted(.init(
                codingPath: codingPath + [unknown],
                debugDescription: "unknown key; expected one of \(allowed.sorted().joined(separator: ", "))"))
        }
    }

    func fail(_ key: String, _ expected: String) -> DecodingError {
        DecodingError.dataCorrupted(.init(codingPath: codingPath + [ConfigKey(key)], debugDescription: expected))
    }
}

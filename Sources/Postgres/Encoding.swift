import Foundation

/// One bound parameter as libpq receives it.
public struct PostgresBind: Sendable {
    public var type: PostgresType
    /// 0 = text, 1 = binary.
    public var format: Int32
    /// `nil` is SQL NULL.
    public var bytes: [UInt8]?

    public static func binary(_ type: PostgresType, _ bytes: [UInt8]) -> PostgresBind {
        PostgresBind(type: type, format: 1, bytes: bytes)
    }
    public static func text(_ type: PostgresType, _ string: String) -> PostgresBind {
        PostgresBind(type: type, format: 0, bytes: Array(string.utf8))
    }
}

/// A Swift value usable as a query parameter (`$1`, `$2`, ...).
public protocol PostgresEncodable: Sendable {
    /// The type a NULL of this Swift type is sent as.
    static var postgresType: PostgresType { get }
    var postgresBind: PostgresBind { get }
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public static var postgresType: PostgresType { Wrapped.postgresType }
    public var postgresBind: PostgresBind {
        switch self {
        case .some(let value): return value.postgresBind
        case .none: return PostgresBind(type: Wrapped.postgresType, format: 1, bytes: nil)
        }
    }
}

extension String: PostgresEncodable {
    /// Strings are sent untyped so the server infers the column's type
    /// (text, varchar, jsonb, uuid, enum ...), exactly like a literal.
    public static var postgresType: PostgresType { .unknown }
    public var postgresBind: PostgresBind { .text(.unknown, self) }
}

extension Int: PostgresEncodable {
    public static var postgresType: PostgresType { .int8 }
    public var postgresBind: PostgresBind {
        var bytes: [UInt8] = []
        bytes.appendBigEndian(Int64(self))
        return .binary(.int8, bytes)
    }
}

extension Int64: PostgresEncodable {
    public static var postgresType: PostgresType { .int8 }
    public var postgresBind: PostgresBind { Int(self).postgresBind }
}

extension Int32: PostgresEncodable {
    public static var postgresType: PostgresType { .int4 }
    public var postgresBind: PostgresBind {
        var bytes: [UInt8] = []
        bytes.appendBigEndian(self)
        return .binary(.int4, bytes)
    }
}

extension Int16: PostgresEncodable {
    public static var postgresType: PostgresType { .int2 }
    public var postgresBind: PostgresBind {
        var bytes: [UInt8] = []
        bytes.appendBigEndian(self)
        return .binary(.int2, bytes)
    }
}

extension Double: PostgresEncodable {
    public static var postgresType: PostgresType { .float8 }
    public var postgresBind: PostgresBind {
        var bytes: [UInt8] = []
        bytes.appendBigEndian(bitPattern)
        return .binary(.float8, bytes)
    }
}

extension Bool: PostgresEncodable {
    public static var postgresType: PostgresType { .bool }
    public var postgresBind: PostgresBind { .binary(.bool, [self ? 1 : 0]) }
}

extension Decimal: PostgresEncodable {
    public static var postgresType: PostgresType { .numeric }
    public var postgresBind: PostgresBind {
        .text(.numeric, NSDecimalNumber(decimal: self).description(withLocale: Locale(identifier: "en_US_POSIX")))
    }
}

extension Date: PostgresEncodable {
    public static var postgresType: PostgresType { .timestamptz }
    public var postgresBind: PostgresBind {
        let micros = Int64((timeIntervalSince1970 * 1_000_000).rounded()) - postgresEpochOffsetMicros
        var bytes: [UInt8] = []
        bytes.appendBigEndian(micros)
        return .binary(.timestamptz, bytes)
    }
}

extension UUID: PostgresEncodable {
    public static var postgresType: PostgresType { .uuid }
    public var postgresBind: PostgresBind {
        withUnsafeBytes(of: uuid) { .binary(.uuid, Array($0)) }
    }
}

extension Data: PostgresEncodable {
    public static var postgresType: PostgresType { .bytea }
    public var postgresBind: PostgresBind { .binary(.bytea, Array(self)) }
}

/// A JSON document sent as `jsonb` (the text must be valid JSON).
public struct PostgresJSON: Sendable, Hashable, PostgresEncodable {
    public var text: String
    public init(_ text: String) { self.text = text }

    /// Encodes any `Encodable` value as JSON.
    public init<T: Encodable>(encoding value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        text = String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    /// One top-level field of a JSON object, if present and of type `T`.
    public func field<T: Decodable>(_ key: String, as type: T.Type = T.self) -> T? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let value = object[key], let data = try? JSONSerialization.data(withJSONObject: [value])
        else { return nil }
        return (try? JSONDecoder().decode([T].self, from: data))?.first
    }

    public static var postgresType: PostgresType { .jsonb }
    public var postgresBind: PostgresBind { .binary(.jsonb, [1] + Array(text.utf8)) }
}

/// A calendar date without time zone (`date`).
public struct PostgresDate: Sendable, Hashable, Comparable, PostgresEncodable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public var daysSinceEpoch: Int32

    public init(daysSinceEpoch: Int32) { self.daysSinceEpoch = daysSinceEpoch }

    public init?(year: Int, month: Int, day: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        guard let date = calendar.date(from: DateComponents(year: year, month: month, day: day)),
            calendar.component(.day, from: date) == day
        else { return nil }
        daysSinceEpoch = Int32((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    public var date: Date { Date(timeIntervalSince1970: Double(daysSinceEpoch) * 86_400) }

    public var description: String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: date)
    }

    public static func < (lhs: PostgresDate, rhs: PostgresDate) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

    public static var postgresType: PostgresType { .date }
    public var postgresBind: PostgresBind {
        var bytes: [UInt8] = []
        bytes.appendBigEndian(daysSinceEpoch - postgresEpochOffsetDays)
        return .binary(.date, bytes)
    }
}

/// An element type of a one-dimensional array parameter (`text[]`, `int8[]`).
public protocol PostgresArrayElement: PostgresEncodable {
    static var postgresArrayType: PostgresType { get }
    /// The element's binary representation, `nil` for NULL.
    var postgresElementBytes: [UInt8]? { get }
}

extension String: PostgresArrayElement {
    public static var postgresArrayType: PostgresType { .textArray }
    public var postgresElementBytes: [UInt8]? { Array(utf8) }
}

extension Int: PostgresArrayElement {
    public static var postgresArrayType: PostgresType { .int8Array }
    public var postgresElementBytes: [UInt8]? { postgresBind.bytes }
}

extension Optional: PostgresArrayElement where Wrapped: PostgresArrayElement {
    public static var postgresArrayType: PostgresType { Wrapped.postgresArrayType }
    public var postgresElementBytes: [UInt8]? { self?.postgresElementBytes }
}

extension Array: PostgresEncodable where Element: PostgresArrayElement {
    public static var postgresType: PostgresType { Element.postgresArrayType }
    public var postgresBind: PostgresBind {
        // Element OID: text for text[], int8 for int8[] (the binary layout).
        let elementType: PostgresType = Element.postgresArrayType == .textArray ? .text : .int8
        var bytes: [UInt8] = []
        if isEmpty {
            bytes.appendBigEndian(Int32(0))  // no dimensions: '{}'
            bytes.appendBigEndian(Int32(0))
            bytes.appendBigEndian(elementType.rawValue)
            return .binary(Element.postgresArrayType, bytes)
        }
        bytes.appendBigEndian(Int32(1))  // dimensions
        bytes.appendBigEndian(Int32(contains { $0.postgresElementBytes == nil } ? 1 : 0))
        bytes.appendBigEndian(elementType.rawValue)
        bytes.appendBigEndian(Int32(count))
        bytes.appendBigEndian(Int32(1))  // lower bound
        for element in self {
            if let data = element.postgresElementBytes {
                bytes.appendBigEndian(Int32(data.count))
                bytes.append(contentsOf: data)
            } else {
                bytes.appendBigEndian(Int32(-1))
            }
        }
        return .binary(Element.postgresArrayType, bytes)
    }
}

import Foundation

/// A Swift type a result column (binary format) can be decoded into.
public protocol PostgresDecodable {
    static func decode(_ bytes: UnsafeRawBufferPointer, type: PostgresType) throws(DecodingFailure) -> Self
}

/// Why one value could not be decoded; `Row` adds the column name.
public struct DecodingFailure: Error, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }

    static func unsupported(_ swiftType: Any.Type, _ type: PostgresType) -> DecodingFailure {
        DecodingFailure("a \(type) value cannot be read as \(swiftType)")
    }
    static let truncated = DecodingFailure("value is shorter than its type requires")
}

/// Types whose NULL decodes to a value (`Optional`).
public protocol PostgresNullable {
    static var postgresNull: Self { get }
}

extension Optional: PostgresNullable {
    public static var postgresNull: Optional<Wrapped> { nil }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func decode(_ bytes: UnsafeRawBufferPointer, type: PostgresType) throws(DecodingFailure) -> Self {
        try Wrapped.decode(bytes, type: type)
    }
}

extension String: PostgresDecodable {
    public static func decode(_ bytes: UnsafeRawBufferPointer, type: PostgresType) throws(DecodingFailure) -> String {
        switch type {
        case _ where type.isText: return try utf8(bytes)
        case .jsonb:
            guard bytes.first == 1 else { throw DecodingFailure("unknown jsonb format version") }
            return try utf8(UnsafeRawBufferPointer(rebasing: bytes.dropFirst()))
        case .uuid: return try UUID.decode(bytes, type: type).uuidString.lowercased()
        case .numeric: return try NumericDecoder.string(bytes)
        case .int2, .int4, .int8: return String(try Int.decode(bytes, type: type))
        default: throw .unsupported(String.self, type)
        }
    }

    static func utf8(_ bytes: UnsafeRawBufferPointer) throws(DecodingFailure) -> String {
        guard let string = String(validating: bytes, as: UTF8.self) else {
            throw DecodingFailure("invalid UTF-8")
        }
        return string
    }
}

extension Int: PostgresDecodable {
    public static func decode(_ bytes: UnsafeRawBufferPointer, type: PostgresType) throws(DecodingFailure) -> Int {
        var reader = BinaryReader(bytes)
        let value: Int?
        switch type {
        case .int8: value = reader.read(Int64.self).map { Int($0) }
        case .int4: value = reader.read(Int32.self).map { Int($0) }
        case .int2: value = reader.read(Int16.self).map { Int($0) }
        case .oid: value = reader.read(UInt32.self).map { Int($0) }
        default: throw .unsupported(Int.self, type)
        }
        guard let value else { throw .truncated }
        return value
    }
}

extension Int64: PostgresDecodable {
    public static func decode(_ bytes: UnsafeRawBufferPointer, type: PostgresType) throws(DecodingFailure) -> Int64 {
        Int64(try Int.decode(bytes, type: type))
    }
}

extension Int32: PostgresDecodable {
    public static func decode(_ bytes: UnsafeRawBufferPointer, type: PostgresType) throws(DecodingFailure) -> Int32 {
        guard type == .int4 || type == .int2 else { throw .unsupported(Int32.self, type) }
        guard let value = Int32(exactly: try Int.decode(bytes, type: type)) else { throw .truncated }
        return value
    }
}

extension Int16: PostgresDecodable {
    public static func decode(_ bytes: UnsafeRawBufferPointer, type: PostgresType) throws(DecodingFailure) -> Int16 {
        guard type == .int2 else { throw .unsupported(Int16.self, type) }
        var reader = BinaryReader(bytes)
        guard let value = reader.read(Int16.self) else { throw .truncated }
        return value
    }
}

extension Double: PostgresDecodable {
    public static func decode(_ bytes: UnsafeRawBufferPointer, type: PostgresType) throws(DecodingFailure) -> Double {
        var reader = BinaryReader(bytes)
        switch type {
        case .float8:
            guard let bits = reader.read(UInt64.self) else { throw .truncated }
            return Double(bitPattern: bits)
        case .float4:
            guard let bits = reader.read(UInt32.self) else { throw .truncated }
            return Double(Float(bitPattern: bits))
        case .numeric:
            let text = try NumericDecoder.string(bytes)
            guard let value = Double(text) else { throw DecodingFailure("numeric \(text) is not a number") }
            return value
        case .int2, .int4, .int8: return Double(try Int.decode(bytes, type: type))
        default: throw .unsupported(Double.self, type)
        }
    }
}

extension Decimal: PostgresDecodable {
    public static func decode(_ bytes: UnsafeRawBufferPointer, type: PostgresType) throws(DecodingFailure) -> Decimal {
        switch type {
        case .numeric:
            let text = try NumericDecoder.string(bytes)
            guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
                throw DecodingFailure("numeric \(text) does not fit a Decimal")
            }
            return value
        case .int2, .int4, .int8: return Decimal(try Int.decode(bytes, type: type))
        default: throw .unsupported(Decimal.self, type)
        }
    }
}

extension Bool: PostgresDecodable {
    public static func decode(_ bytes: UnsafeRawBufferPointer, type: PostgresType) throws(DecodingFailure) -> Bool {
        guard type == .bool else { throw .unsupported(Bool.self, type) }
        guard let byte = bytes.first else { throw .truncated }
        return byte != 0
    }
}

extension Date: PostgresDecodable {
    public static func decode(_ bytes: UnsafeRawBufferPointer, type: PostgresType) throws(DecodingFailure) -> Date {
        var reader = BinaryReader(bytes)
        switch type {
        case .timestamptz, .timestamp:
            guard let micros = reader.read(Int64.self) else { throw .truncated }
            if micros == .max { return .distantFuture }
            if micros == .min { return .distantPast }
            return Date(timeIntervalSince1970: Double(micros + postgresEpochOffsetMicros) / 1_000_000)
        case .date: return try PostgresDate.decode(bytes, type: type).date
        default: throw .unsupported(Date.self, type)
        }
    }
}

extension PostgresDate: PostgresDecodable {
    public static func decode(_ bytes: UnsafeRawBufferPointer, type: PostgresType) throws(DecodingFailure) -> PostgresDate {
        guard type == .date else { throw .unsupported(PostgresDate.self, type) }
        var reader = BinaryReader(bytes)
        guard let days = reader.read(Int32.self) else { throw .truncated }
        if days == .max || days == .min { throw DecodingFailure("infinite dates are not supported") }
        return PostgresDate(daysSinceEpoch: days + postgresEpochOffsetDays)
    }
}

extension UUID: PostgresDecodable {
    public static func decode(_ bytes: UnsafeRawBufferPointer, type: PostgresType) throws(DecodingFailure) -> UUID {
        guard type == .uuid else { throw .unsupported(UUID.self, type) }
        guard bytes.count == 16 else { throw .truncated }
        var raw: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &raw) { $0.copyMemory(from: bytes) }
        return UUID(uuid: raw)
    }
}

extension Data: PostgresDecodable {
    public static func decode(_ bytes: UnsafeRawBufferPointer, type: PostgresType) throws(DecodingFailure) -> Data {
        guard type == .bytea else { throw .unsupported(Data.self, type) }
        return Data(bytes)
    }
}

extension PostgresJSON: PostgresDecodable {
    public static func decode(_ bytes: UnsafeRawBufferPointer, type: PostgresType) throws(DecodingFailure) -> PostgresJSON {
        guard type == .json || type == .jsonb else { throw .unsupported(PostgresJSON.self, type) }
        return PostgresJSON(try String.decode(bytes, type: type))
    }
}

extension Array: PostgresDecodable where Element: PostgresDecodable {
    /// One-dimensional arrays (`text[]`, `int8[]`, ...). NULL elements need an
    /// optional element type (`[String?]`).
    public static func decode(_ bytes: UnsafeRawBufferPointer, type: PostgresType) throws(DecodingFailure) -> [Element] {
        var reader = BinaryReader(bytes)
        guard let dimensions = reader.read(Int32.self), reader.read(Int32.self) != nil,
            let elementOID = reader.read(UInt32.self)
        else { throw .truncated }
        if dimensions == 0 { return [] }
        guard dimensions == 1 else { throw DecodingFailure("only one-dimensional arrays are supported") }
        guard let count = reader.read(Int32.self), reader.read(Int32.self) != nil else { throw .truncated }
        let elementType = PostgresType(rawValue: elementOID)
        var result: [Element] = []
        result.reserveCapacity(Int(count))
        for index in 0..<Int(count) {
            guard let length = reader.read(Int32.self) else { throw .truncated }
            if length < 0 {
                guard let null = (Element.self as? any PostgresNullable.Type)?.postgresNull as? Element else {
                    throw DecodingFailure("element \(index + 1) is NULL; decode as an array of optionals")
                }
                result.append(null)
                continue
            }
            guard let element = reader.readBytes(Int(length)) else { throw .truncated }
            result.append(try Element.decode(element, type: elementType))
        }
        return result
    }
}

/// `numeric` in binary format: base-10000 digits with weight, sign and scale.
enum NumericDecoder {
    static func string(_ bytes: UnsafeRawBufferPointer) throws(DecodingFailure) -> String {
        var reader = BinaryReader(bytes)
        guard let count = reader.read(Int16.self), let weight = reader.read(Int16.self),
            let sign = reader.read(UInt16.self), let scale = reader.read(Int16.self)
        else { throw .truncated }
        switch sign {
        case 0xC000: return "NaN"
        case 0xD000: return "Infinity"
        case 0xF000: return "-Infinity"
        default: break
        }
        var digits: [Int16] = []
        for _ in 0..<Int(count) {
            guard let digit = reader.read(Int16.self) else { throw .truncated }
            digits.append(digit)
        }
        func group(_ index: Int) -> Int16 { index >= 0 && index < digits.count ? digits[index] : 0 }
        func padded(_ value: Int16) -> String {
            let text = String(value)
            return String(repeating: "0", count: 4 - text.count) + text
        }
        var text = sign == 0x4000 ? "-" : ""
        if weight < 0 {
            text += "0"
        } else {
            for index in 0...Int(weight) { text += index == 0 ? String(group(index)) : padded(group(index)) }
        }
        if scale > 0 {
            var fraction = ""
            var index = Int(weight) + 1
            while fraction.count < Int(scale) {
                fraction += padded(group(index))
                index += 1
            }
            text += "." + fraction.prefix(Int(scale))
        }
        return text
    }
}

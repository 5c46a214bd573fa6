/// A Swift enum stored in a text column (a state, a cause): decoded from
/// its raw value, and a value the enum does not know is a decoding error
/// that names the known ones, never a silent default.
public protocol PostgresTextEnum: RawRepresentable, CaseIterable, PostgresDecodable, PostgresEncodable where RawValue == String {}

extension PostgresTextEnum {
    public static func decode(_ bytes: UnsafeRawBufferPointer, type: PostgresType) throws(DecodingFailure) -> Self {
        let text = try String.decode(bytes, type: type)
        guard let value = Self(rawValue: text) else {
            throw DecodingFailure("unknown \(Self.self) \"\(text)\"; expected one of \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    public static var postgresType: PostgresType { .unknown }
    public var postgresBind: PostgresBind { rawValue.postgresBind }
}

/// How to read a file, where the operator knows better than detection: the
/// delimiter and the encoding (nil: detected from the file), and whether a
/// Salesforce or HubSpot file without its record id column may derive ids
/// from each row's identity (`--derived-ids`).
public struct ImportOptions: Sendable, Equatable {
    public var delimiter: UInt8?
    public var encoding: TextEncoding?
    public var derivedIDs: Bool

    public init(delimiter: UInt8? = nil, encoding: TextEncoding? = nil, derivedIDs: Bool = false) {
        self.delimiter = delimiter
        self.encoding = encoding
        self.derivedIDs = derivedIDs
    }

    /// A delimiter option's value: one ASCII character, or `tab` / `\t`; nil for `auto`.
    public static func delimiter(_ text: String) -> Result<UInt8?, ImportOptionError> {
        switch text.lowercased() {
        case "auto": return .success(nil)
        case "tab", "\\t", "\t": return .success(0x09)
        default:
            guard text.utf8.count == 1, let byte = text.utf8.first, byte < 0x80, byte != 0x22, byte != 0x0A, byte != 0x0D else {
                return .failure(ImportOptionError(message: "the delimiter must be one ASCII character other than a quote or a line end (e.g. ';'), tab, or auto (detect it)"))
            }
            return .success(byte)
        }
    }

    /// An encoding option's value; nil for `auto`.
    public static func encoding(_ text: String) -> Result<TextEncoding?, ImportOptionError> {
        if text.lowercased() == "auto" { return .success(nil) }
        guard let encoding = TextEncoding(option: text) else {
            return .failure(ImportOptionError(message: "the encoding must be auto (detect it), " + TextEncoding.allCases.map(\.rawValue).joined(separator: ", ")))
        }
        return .success(encoding)
    }
}

extension ImportOptions {
    /// Source names are keys of every source table: at most this many bytes.
    public static let maxSourceNameBytes = 200

    /// Why `name` cannot name a source instance (nil when it can).
    public static func sourceNameProblem(_ name: String) -> String? {
        if name.trimmedWhitespace.isEmpty { return "expected the CRM instance's name, e.g. acme-sfdc" }
        if name.utf8.count > maxSourceNameBytes { return "expected a name of at most \(maxSourceNameBytes) bytes, e.g. acme-sfdc" }
        if name.utf8.contains(0) { return "expected a name without NUL bytes, e.g. acme-sfdc" }
        return nil
    }
}

public struct ImportOptionError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

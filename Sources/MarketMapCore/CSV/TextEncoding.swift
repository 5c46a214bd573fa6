/// The text encodings CRM exports and spreadsheets write, and how to tell
/// them apart from a file's first bytes. Everything else in the import works
/// on UTF-8; other encodings are transcoded on the way in (`Transcoder`).
public enum TextEncoding: String, Sendable, CaseIterable, Codable {
    case utf8 = "utf-8"
    case utf16LE = "utf-16le"
    case utf16BE = "utf-16be"
    case windows1252 = "windows-1252"
    case latin1 = "latin-1"

    /// The spelling people know it by, for messages and reports.
    public var name: String {
        switch self {
        case .utf8: return "UTF-8"
        case .utf16LE: return "UTF-16LE"
        case .utf16BE: return "UTF-16BE"
        case .windows1252: return "Windows-1252"
        case .latin1: return "Latin-1 (ISO-8859-1)"
        }
    }

    /// Accepts the option's values and common spellings (`UTF8`, `cp1252`, `iso-8859-1`).
    public init?(option: String) {
        let key = option.lowercased().filter { $0.isLetter || $0.isNumber }
        switch key {
        case "utf8": self = .utf8
        case "utf16le", "utf16": self = .utf16LE
        case "utf16be": self = .utf16BE
        case "windows1252", "cp1252", "win1252": self = .windows1252
        case "latin1", "iso88591", "l1": self = .latin1
        default: return nil
        }
    }

    /// Why a row whose bytes did not decode is rejected, and what to do.
    public var invalidTextReason: String {
        switch self {
        case .utf8: return "invalid UTF-8 (if the file is Windows-1252 or Latin-1, import it with --encoding windows-1252)"
        case .utf16LE, .utf16BE: return "invalid \(name) (an unpaired surrogate, or an odd byte at the end of the file)"
        case .windows1252, .latin1: return "invalid text"  // every byte decodes: cannot happen
        }
    }
}

/// What `TextEncoding.detect` found, and why.
public struct DetectedEncoding: Sendable, Equatable {
    public var encoding: TextEncoding
    /// Bytes of a byte-order mark to skip before transcoding (UTF-16 only;
    /// a UTF-8 BOM is left to the CSV splitter).
    public var bomLength: Int
    /// How it was recognised, for the import report ("byte-order mark", ...).
    public var evidence: String
}

extension TextEncoding {
    /// Recognises the encoding from the start of a file: a byte-order mark
    /// (UTF-8, UTF-16LE/BE); else NUL bytes at every other position (UTF-16
    /// without a mark: ASCII text has a zero high byte); else, when no row
    /// of `sample` is valid non-ASCII UTF-8 but the header or at least two
    /// rows are not UTF-8, Windows-1252 (one odd row is a damaged row, which
    /// is rejected, not a reason to reinterpret the file); else UTF-8.
    /// `sample` is the file's first bytes; `isWholeFile` says whether its
    /// last line is complete.
    public static func detect(_ sample: [UInt8], isWholeFile: Bool) -> DetectedEncoding {
        if sample.starts(with: [0xEF, 0xBB, 0xBF]) { return DetectedEncoding(encoding: .utf8, bomLength: 0, evidence: "byte-order mark") }
        if sample.starts(with: [0xFF, 0xFE]) { return DetectedEncoding(encoding: .utf16LE, bomLength: 2, evidence: "byte-order mark") }
        if sample.starts(with: [0xFE, 0xFF]) { return DetectedEncoding(encoding: .utf16BE, bomLength: 2, evidence: "byte-order mark") }
        let pairs = min(sample.count, 4096) / 2
        if pairs >= 2 {
            var zeroEven = 0, zeroOdd = 0
            for index in 0..<pairs {
                if sample[2 * index] == 0 { zeroEven += 1 }
                if sample[2 * index + 1] == 0 { zeroOdd += 1 }
            }
            if zeroOdd * 10 >= pairs * 4 && zeroEven * 20 < pairs {
                return DetectedEncoding(encoding: .utf16LE, bomLength: 0, evidence: "NUL bytes at every other position")
            }
            if zeroEven * 10 >= pairs * 4 && zeroOdd * 20 < pairs {
                return DetectedEncoding(encoding: .utf16BE, bomLength: 0, evidence: "NUL bytes at every other position")
            }
        }
        var validLines = 0, invalidLines = 0, headerInvalid = false
        var lines = sample.split(separator: 0x0A, omittingEmptySubsequences: false)
        if !isWholeFile, lines.count > 1 { lines.removeLast() }  // may end inside a character
        for (index, line) in lines.enumerated() where line.contains(where: { $0 >= 0x80 }) {
            if line.withUnsafeBytes({ String(validating: $0, as: UTF8.self) }) != nil {
                validLines += 1
            } else {
                invalidLines += 1
                if index == 0 { headerInvalid = true }
            }
        }
        if validLines == 0, headerInvalid || invalidLines >= 2 {
            return DetectedEncoding(encoding: .windows1252, bomLength: 0, evidence: "\(invalidLines) lines that are not UTF-8 and none that is")
        }
        return DetectedEncoding(encoding: .utf8, bomLength: 0, evidence: "no byte-order mark, valid UTF-8")
    }
}

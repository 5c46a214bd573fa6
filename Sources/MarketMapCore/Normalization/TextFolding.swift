import Foundation

/// Shared text clean-up for matching: Unicode NFKC, case-fold, diacritics
/// removed (`Société` → `societe`), whitespace collapsed.
public enum TextFolding {
    static func fold(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.lowercased() }  // ASCII: NFKC and diacritics are no-ops
        let folded = text.precomposedStringWithCompatibilityMapping
            .folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "en_US_POSIX"))
        guard folded.unicodeScalars.contains(where: { letterSpellings[$0] != nil }) else { return folded }
        var spelled = ""
        for scalar in folded.unicodeScalars {
            if let ascii = letterSpellings[scalar] { spelled += ascii } else { spelled.unicodeScalars.append(scalar) }
        }
        return spelled
    }

    /// Latin letters that folding keeps but names are also typed without
    /// (`Søren` / `Soren`, `Æble` / `Aeble`, `Łódź` / `Lodz`).
    static let letterSpellings: [Unicode.Scalar: String] = [
        "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h", "ŧ": "t",
    ]

    /// `caseInsensitiveCompare(_:) == .orderedSame`, without Foundation when
    /// both are ASCII (the common case; it was a tenth of scoring's CPU).
    public static func equalIgnoringCase(_ a: String, _ b: String) -> Bool {
        guard a.utf8.allSatisfy({ $0 < 0x80 }), b.utf8.allSatisfy({ $0 < 0x80 }) else { return a.caseInsensitiveCompare(b) == .orderedSame }
        guard a.utf8.count == b.utf8.count else { return false }
        return zip(a.utf8, b.utf8).allSatisfy { x, y in x == y || (x | 0x20 == y | 0x20 && (x | 0x20) >= UInt8(ascii: "a") && (x | 0x20) <= UInt8(ascii: "z")) }
    }

    static func collapseSpaces(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Lower-case words: letters and digits kept, everything else a space.
    static func words(_ text: String) -> [String] {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return asciiWords(text) }
        var cleaned = ""
        for character in fold(text) {
            if character == "&" { cleaned += " and " }
            else if character == "'" || character == "’" || character == "." { continue }
            else if character.isLetter || character.isNumber { cleaned.append(character) }
            else { cleaned.append(" ") }
        }
        return cleaned.split(separator: " ").map(String.init)
    }

    /// `words` for ASCII text, byte by byte (the common case, and hot on import).
    static func asciiWords(_ text: String) -> [String] {
        var words: [String] = []
        var current: [UInt8] = []
        func flush() {
            if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
            current.removeAll(keepingCapacity: true)
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): current.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): current.append(byte + 32)
            case UInt8(ascii: "'"), UInt8(ascii: "."): continue
            case UInt8(ascii: "&"):
                flush()
                words.append("and")
            default: flush()
            }
        }
        flush()
        return words
    }

    /// Values exports use for "nothing here".
    static let placeholders: Set<String> = [
        "", "-", "--", "n/a", "na", "n.a.", "none", "null", "nil", "unknown", "tbd", "x", "?", "0", "not available",
    ]

    static func isPlaceholder(_ text: String) -> Bool {
        text.utf8.count <= 16 && placeholders.contains(text.trimmedWhitespace.lowercased())
    }
}

extension String {
    /// Without leading and trailing white space (Unicode), in native Swift:
    /// `trimmingCharacters(in:)` bridges through NSString and dominated import time.
    public var trimmedWhitespace: String {
        guard let firstByte = utf8.first, let lastByte = utf8.last else { return self }
        // Fast path: printable ASCII at both ends (the usual cell) needs no trimming.
        if (0x21...0x7E).contains(firstByte) && (0x21...0x7E).contains(lastByte) { return self }
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[start...end])
    }
}

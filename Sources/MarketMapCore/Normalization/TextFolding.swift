import Foundation

/// Shared text clean-up for matching: Unicode NFKC, case-fold, diacritics
/// removed (`Société` → `societe`), whitespace collapsed.
enum TextFolding {
    static func fold(_ text: String) -> String {
        text.precomposedStringWithCompatibilityMapping
            .folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "en_US_POSIX"))
    }

    static func collapseSpaces(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Lower-case words: letters and digits kept, everything else a space.
    static func words(_ text: String) -> [String] {
        var cleaned = ""
        for character in fold(text) {
            if character == "&" { cleaned += " and " }
            else if character == "'" || character == "’" || character == "." { continue }
            else if character.isLetter || character.isNumber { cleaned.append(character) }
            else { cleaned.append(" ") }
        }
        return cleaned.split(separator: " ").map(String.init)
    }

    /// Values exports use for "nothing here".
    static let placeholders: Set<String> = [
        "", "-", "--", "n/a", "na", "n.a.", "none", "null", "nil", "unknown", "tbd", "x", "?", "0", "not available",
    ]

    static func isPlaceholder(_ text: String) -> Bool {
        placeholders.contains(text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased())
    }
}

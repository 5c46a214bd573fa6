/// The legal forms name normalization drops: the built-in ones of every
/// country (`CompanyNameNormalizer.legalForms`, `legalPhrases`) and those a
/// configuration adds (`match.legal_forms`), as folded words (`S.A.S.U.` →
/// `sasu`) and phrases of several words (`GmbH & Co. OHG` → `gmbh and co ohg`).
/// A form added is its own legal family.
public struct LegalForms: Sendable, Hashable {
    public private(set) var words: Set<String>
    /// Several-word forms, longest first.
    public private(set) var phrases: [[String]]
    /// What a configuration added, as written (a run's fingerprint of its normalization).
    public private(set) var additions: [String] = []

    public static let builtIn = LegalForms(words: CompanyNameNormalizer.legalForms, phrases: CompanyNameNormalizer.legalPhrases)

    /// Why an entry of `match.legal_forms` cannot be a legal form, or nil.
    public static func problem(_ entry: String) -> String? {
        let words = TextFolding.words(entry)
        if words.allSatisfy({ $0 == "and" }) { return "expected a legal form with letters, like `Kft.` or `GmbH & Co. OHG`, got \"\(entry)\"" }
        if words.count > 6 { return "expected a legal form of at most six words, got \"\(entry)\"" }
        return nil
    }

    /// These forms and `entries` (each folded as names are; entries with no letters are skipped).
    public func adding(_ entries: [String]) -> LegalForms {
        var copy = self
        for entry in entries where !additions.contains(entry) {
            let folded = TextFolding.words(entry)
            guard LegalForms.problem(entry) == nil else { continue }
            copy.additions.append(entry)
            if folded.count == 1 {
                copy.words.insert(folded[0])
            } else {
                copy.words.insert(folded.joined())  // `Sp.z.o.o.` typed without spaces
                if !copy.phrases.contains(folded) { copy.phrases.append(folded) }
            }
        }
        copy.phrases.sort { $0.count > $1.count }
        return copy
    }
}

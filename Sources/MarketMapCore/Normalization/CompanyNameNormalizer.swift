/// Company-name normalization of `DOMAIN.md` §2: NFKC, case-fold (and
/// diacritics folded), `&` → `and`, punctuation stripped, a leading `the` and
/// trailing legal forms dropped, spaces collapsed.
/// `Acme, Inc.` / `ACME Incorporated` / `The Acme Co.` → `acme`.
public enum CompanyNameNormalizer {
    public static func normalize(_ raw: String?) -> String? {
        guard let raw, !TextFolding.isPlaceholder(raw) else { return nil }
        var words = TextFolding.words(raw)
        while words.count > 1, words.first == "the" { words.removeFirst() }
        let base = words
        var stripped = false
        // Trailing legal forms, also chained ones: "GmbH & Co. KG", "Co., Ltd.".
        while words.count > 1, let last = words.last, legalForms.contains(last) || (stripped && last == "and") {
            words.removeLast()
            stripped = true
        }
        if words == ["and"] || words.isEmpty { words = base }
        let result = words.joined(separator: " ")
        return result.isEmpty ? nil : result
    }

    /// The first word of the normalized name: the blocking token for rows
    /// without a domain.
    public static func blockingToken(_ normalized: String) -> String {
        String(normalized.split(separator: " ").first ?? "")
    }

    /// Legal-form words, after punctuation is gone (`S.A.` → `sa`, `Co.,Ltd` → `co ltd`).
    public static let legalForms: Set<String> = [
        "inc", "incorporated", "llc", "llp", "lp", "lllp", "pllc", "ltd", "limited", "corp", "corporation", "co",
        "company", "plc", "gmbh", "mbh", "ag", "kg", "kgaa", "ohg", "ug", "sa", "sas", "sasu", "sarl", "sca", "bv", "nv",
        "vof", "pty", "srl", "srls", "spa", "sapa", "oy", "oyj", "ab", "publ", "as", "asa", "aps", "kk", "gk", "se",
        "sl", "slu", "sau", "sac", "saa", "ltda", "eireli", "me", "pte", "pvt", "bhd", "sdn", "tbk", "kft", "zrt", "nyrt",
        "sro", "doo", "dd", "ooo", "oao", "zao", "pao", "pjsc", "jsc", "lda", "sgps", "ehf", "hf", "spzoo", "sp",
        "zoo", "holdings"
    ]
}

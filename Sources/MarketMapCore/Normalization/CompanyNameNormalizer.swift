/// Company-name normalization of `DOMAIN.md` §2: NFKC, case-fold (and
/// diacritics folded), `&` → `and`, punctuation stripped, a leading `the` and
/// legal forms of every country dropped (trailing `Co., Ltd.`, `Sdn Bhd`,
/// `Sp. z o.o.`, `S.A. de C.V.`, `A/S`; leading `PT`, `OOO`, `Kabushiki
/// Kaisha`), location qualifiers dropped (`Acme Ltd - Luton`, `Acme
/// (Germany)`, `Acme GmbH, Berlin`), the abbreviations CRM users type spelled
/// out (`Hldgs`, `Mfg`, `Intl`, `Tech`, `Sys`, `Svcs`, `Labs`), spaces
/// collapsed. `Acme, Inc.` / `ACME Incorporated` / `The Acme Co.` → `acme`.
public enum CompanyNameNormalizer {
    /// `keepingQualifiers`: a location or branch qualifier stays (a franchise
    /// branch's name is what sets it apart).
    public static func normalize(_ raw: String?, keepingQualifiers: Bool = false, forms: LegalForms = .builtIn) -> String? {
        guard let raw, !TextFolding.isPlaceholder(raw) else { return nil }
        var words = TextFolding.words(keepingQualifiers ? raw : withoutQualifiers(raw, forms: forms))
            .map { legalMisspellings[$0] ?? abbreviations[$0] ?? $0 }
        if words.isEmpty { words = TextFolding.words(raw) }
        while words.count > 1, words.first == "the" { words.removeFirst() }
        let base = words
        stripLegalForms(&words, forms: forms)
        if words == ["and"] || words.isEmpty { words = base }
        let result = words.joined(separator: " ")
        return result.isEmpty ? nil : result
    }

    /// The first word of the normalized name: the blocking token for rows
    /// without a domain.
    public static func blockingToken(_ normalized: String) -> String {
        String(normalized.split(separator: " ").first ?? "")
    }

    /// The raw name without what only says where or which branch: a
    /// parenthesised part, a part after a spaced dash or bar, a part after a
    /// comma that follows a legal form (`Acme GmbH, Berlin`).
    static func withoutQualifiers(_ raw: String, forms: LegalForms = .builtIn) -> String {
        var text = Substring(raw)
        // A short tail after a spaced dash is a place or a branch label; a long
        // one is another company's name (`Intel – GE Care Innovations LLC`).
        // `range(of:)` is slow: only names with a dash or a bar can have such a tail.
        let separators = raw.utf8.contains { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "|") || $0 == 0xE2 }
            ? [" - ", " – ", " — ", " | ", " -- "] : []
        for separator in separators {
            if let range = text.range(of: separator), !String(text[..<range.lowerBound]).trimmedWhitespace.isEmpty,
                TextFolding.words(String(text[range.upperBound...])).filter({ !forms.words.contains($0) }).count <= 2
            {
                text = text[..<range.lowerBound]
            }
        }
        var cleaned = ""
        var depth = 0
        for character in text {
            switch character {
            case "(", "[", "（": depth += 1
            case ")", "]", "）": depth = max(0, depth - 1)
            default: if depth == 0 { cleaned.append(character) }
            }
        }
        if cleaned.trimmedWhitespace.isEmpty { cleaned = String(text) }
        // A place after a comma that follows a legal form (`Acme GmbH, Berlin`;
        // `August Home, Inc., San Francisco`: the last such comma with at most two words after it).
        var commas = cleaned.indices.filter { cleaned[$0] == "," }
        while let comma = commas.popLast() {
            let before = TextFolding.words(String(cleaned[..<comma]))
            let after = TextFolding.words(String(cleaned[cleaned.index(after: comma)...])).filter { !forms.words.contains($0) }
            guard after.count <= 2 else { break }
            // Only legal forms after it (`Co., Ltd.`): one compound form, kept whole.
            if !after.isEmpty, before.count > 1, let last = before.last, forms.words.contains(last) || isMistypedLegalForm(last),
                !after.contains(where: branchWords.contains)
            {
                cleaned = String(cleaned[..<comma])
                break
            }
        }
        // A legal form typed short after a comma (`Quest Software, Ic.`, `XTrillion, Ibc.`, `Sejin Electron, In.`).
        if let comma = cleaned.lastIndex(of: ","), case let tail = TextFolding.words(String(cleaned[cleaned.index(after: comma)...])),
            tail.count == 1, let word = tail.first, word.count <= 3, !forms.words.contains(word),
            !TextFolding.words(String(cleaned[..<comma])).isEmpty,
            shortLegalForms.contains(where: { PreparedName.oneEdit($0, Array(word.unicodeScalars)).map { $0 != .none } ?? false })
        {
            cleaned = String(cleaned[..<comma])
        }
        return cleaned
    }

    static let shortLegalForms: [[Unicode.Scalar]] = ["inc", "llc", "ltd"].map { Array($0.unicodeScalars) }

    /// Words that make a name a branch of another: never stripped as a qualifier.
    static let branchWords: Set<String> = ["branch", "filiale", "niederlassung", "succursale", "sucursal", "filial", "zweigniederlassung"]

    /// The name without a trailing location that is the record's own city
    /// (`Atlas Copco, Stockholm County` in Stockholm County, `Acme Berlin`
    /// in Berlin), when something is left.
    public static func normalize(_ raw: String?, city: String?, forms: LegalForms = .builtIn) -> String? {
        guard let name = normalize(raw, forms: forms) else { return nil }
        guard let city, !TextFolding.isPlaceholder(city) else { return name }
        return withoutTrailingPlace(name, place: TextFolding.words(city), forms: forms) ?? name
    }

    /// A normalized name without its last words when they are `place` (folded
    /// words), and without the legal form left before them (`acme gmbh berlin`
    /// → `acme`); nil when it does not end with the place or nothing else is left.
    static func withoutTrailingPlace(_ name: String, place: [String], forms: LegalForms) -> String? {
        var words = name.split(separator: " ").map(String.init)
        guard !place.isEmpty, words.count > place.count, words.suffix(place.count).elementsEqual(place) else { return nil }
        words.removeLast(place.count)
        stripLegalForms(&words, forms: forms)
        return words.joined(separator: " ")
    }

    /// Drops leading and trailing legal forms, chained ones too
    /// (`GmbH & Co. KG`, `Co., Ltd.`), and legal forms written as several
    /// words (`S.A. de C.V.` → `sa de cv`); never the last word.
    static func stripLegalForms(_ words: inout [String], forms: LegalForms = .builtIn) {
        var stripped = false
        while words.count > 1 {
            if let phrase = forms.phrases.first(where: { words.count > $0.count && words.suffix($0.count).elementsEqual($0) }) {
                words.removeLast(phrase.count)
            } else if let last = words.last, forms.words.contains(last) || (stripped && last == "and") || isMistypedLegalForm(last) {
                words.removeLast()
            } else {
                break
            }
            stripped = true
        }
        while words.count > 1 {
            if let phrase = leadingLegalPhrases.first(where: { words.count > $0.count && words.prefix($0.count).elementsEqual($0) }) {
                words.removeFirst(phrase.count)
            } else if let first = words.first, leadingLegalForms.contains(first) {
                words.removeFirst()
            } else {
                break
            }
        }
    }

    /// Legal-form words, after punctuation is gone (`S.A.` → `sa`, `Co.,Ltd` → `co ltd`).
    public static let legalForms: Set<String> = [
        "inc", "incorporated", "llc", "llp", "lp", "lllp", "pllc", "ltd", "limited", "corp", "corporation", "co",
        "company", "plc", "gmbh", "mbh", "ag", "kg", "kgaa", "ohg", "ug", "sa", "sas", "sasu", "sarl", "sca", "bv",
        "nv", "vof", "pty", "srl", "srls", "spa", "sapa", "oy", "oyj", "ab", "publ", "as", "asa", "aps", "kk", "gk",
        "se", "sl", "slu", "sau", "sac", "saa", "ltda", "eireli", "me", "pte", "pvt", "bhd", "sdn", "tbk", "kft",
        "zrt", "nyrt", "sro", "doo", "dd", "ooo", "oao", "zao", "pao", "pjsc", "jsc", "lda", "sgps", "ehf", "hf",
        "spzoo", "sp", "zoo", "coltd", "pvtltd", "ptyltd", "pteltd", "sdnbhd", "cv", "sde", "rl", "berhad", "pcl", "uab", "sia", "eood", "ood", "kht",
        "tmi", "vos", "spol", "akc", "gbr", "mij", "maatschappij", "cvba", "bvba", "sprl", "scrl", "snc", "sccl",
    ]

    /// A word a letter doubled or dropped, or two letters swapped, away from a
    /// legal form of three letters or more (`IInc`, `Corpp`, `Crp`, `Gmbh` typed
    /// `Gbmh` or `Gbh`), or a letter replaced in a long one (`Incirporated`) or in `GmbH`.
    static let gmbh = Array("gmbh".unicodeScalars)

    static func isMistypedLegalForm(_ word: String) -> Bool {
        guard word.count >= 3, word.count <= 13 else { return false }
        // The first letter doubled (`CCo., Ltd.`, `IInc.`).
        if let first = word.first, word.dropFirst().first == first, legalForms.contains(String(word.dropFirst())) { return true }
        let letters = Array(word.unicodeScalars)
        return mistypable.contains { form in
            guard abs(form.count - letters.count) <= 1, let edit = PreparedName.oneEdit(form, letters), edit != .none else { return false }
            switch edit {
            case .swap: return true  // `nIc`, `nIcorporated`
            case .insertion: return (letters.count >= 4 || form.count >= 4) && form.first == letters.first  // `Gbh`, `Crp`
            // No word is a letter from `GmbH` (`FmbH`, `GmvH`).
            case .substitution: return form.count >= 7 && form.first == letters.first || form == gmbh
            case .none: return false
            }
        }
    }

    static let mistypable: [[Unicode.Scalar]] = ["inc", "llc", "ltd", "corp", "gmbh", "limited", "corporation", "incorporated", "company", "plc"]
        .map { Array($0.unicodeScalars) }

    /// Misspellings of legal forms seen in CRMs, read as the form.
    static let legalMisspellings: [String: String] = [
        "gbmh": "gmbh", "gmhb": "gmbh", "gmbg": "gmbh", "limted": "limited", "limitd": "limited", "limired": "limited",
        "limitied": "limited", "limted.": "limited", "incorparated": "incorporated", "corporaton": "corporation",
        "coporation": "corporation", "corportion": "corporation", "lltd": "ltd", "ldt": "ltd", "tld": "ltd",
    ]

    /// The kind of legal entity a raw name says it is, when it says: forms
    /// of one kind (`Inc`, `Corp`, `Ltd`, `Co`: CRM users mix these freely)
    /// share a family; `GmbH` and `AG`, `K.K.` and `G.K.`, `SA` and `SAS`,
    /// `Inc` and `LP`, `Ltd` and `PLC` are different entities of one name.
    public static func legalFamily(_ raw: String, forms: LegalForms = .builtIn) -> String? {
        let words = TextFolding.words(withoutQualifiers(raw, forms: forms)).map { legalMisspellings[$0] ?? $0 }
        guard words.count > 1 else { return nil }
        if let phrase = forms.phrases.first(where: { words.count > $0.count && words.suffix($0.count).elementsEqual($0) }) {
            return legalFamilies[phrase.joined()] ?? phrase.joined()
        }
        for (index, word) in words.enumerated().reversed().prefix(3) {
            if let family = legalFamilies[word] {
                // Two forms one law keeps apart, one after the other (`Nuove Tecnologie srl SpA`,
                // `SysAware S.A.R.L. SA`): a slip of the CRM user, no evidence of either.
                if index > 1, let before = legalFamilies[words[index - 1]], conflictingLegalFamilies.contains([before, family]) { return nil }
                return family
            }
            if forms.words.contains(word) { return word }  // a form of no listed family (`S.L.`, `Kft.`, a configured one): its own
            guard word == "and" else { break }
        }
        if let first = words.first, leadingLegalForms.contains(first) { return legalFamilies[first] ?? first }
        return nil
    }

    /// Pairs of legal families that name different entities under one law.
    public static let conflictingLegalFamilies: Set<Set<String>> = [
        ["gmbh", "ag"], ["gmbh", "kg"], ["ag", "kg"], ["ag", "se"], ["gmbh", "se"], ["kk", "gk"], ["sa", "sas"], ["sa", "sarl"],
        ["sas", "sarl"], ["company", "partnership"], ["llc", "partnership"], ["limited", "partnership"], ["company", "plc"],
        ["limited", "plc"], ["private", "limited"], ["private", "plc"], ["bv", "nv"], ["oy", "oyj"], ["sa", "sacv"],
        ["spa", "srl"], ["sa", "ltda"], ["sa", "sl"], ["as", "asa"], ["as", "aps"], ["spzoo", "sa"],
    ]

    /// Pairs of legal families that name different entities where both
    /// records are in one country whose law has both: in the United States an
    /// `Inc.` and an `LLC` of one name are two registrations (elsewhere an
    /// `LLC` is how CRM users type a `GmbH` or an `OOO`).
    public static let conflictingLegalFamiliesByCountry: [String: Set<Set<String>>] = [
        "US": [["company", "llc"]],
    ]

    /// The family of one legal-form word (`inc` → `company`).
    public static func family(of form: String) -> String { legalFamilies[form] ?? form }

    /// Legal forms → their family; forms not listed are their own family.
    static let legalFamilies: [String: String] = {
        var table: [String: String] = [:]
        let families: [String: [String]] = [
            "company": ["inc", "incorporated", "corp", "corporation", "co", "company"],
            "limited": ["ltd", "limited", "coltd", "colltd"],
            "private": ["pvt", "pvtltd", "privatelimited", "pte", "pteltd", "pty", "ptyltd"],
            "llc": ["llc", "pllc", "limitedliabilitycompany", "ooo", "tov"], "partnership": ["lp", "llp", "lllp", "limitedpartnership"],
            "gmbh": ["gmbh", "mbh"], "kg": ["kg", "gmbhcokg", "kgaa"], "ag": ["ag"], "se": ["se"], "sa": ["sa", "sau"],
            "sas": ["sas", "sasu"], "sarl": ["sarl"], "spa": ["spa", "sapa"], "srl": ["srl", "srls"], "ltda": ["ltda"],
            "as": ["as"], "asa": ["asa"], "aps": ["aps"],
            "kk": ["kk", "kabushikikaisha", "kabushikigaisha"], "gk": ["gk", "godokaisha"], "bv": ["bv"], "nv": ["nv"],
            "ab": ["ab", "abpubl", "publ"], "oy": ["oy"], "oyj": ["oyj"], "plc": ["plc", "publiccompanylimited", "pcl"],
            "sdnbhd": ["sdn", "bhd", "sdnbhd", "berhad"], "sacv": ["sadecv", "sabdecv", "sdercdecv", "sdercldecv"],
            "spzoo": ["spzoo", "zoo", "sp"], "oao": ["oao", "pao", "pjsc", "jsc", "ao", "zao"],
        ]
        for (family, forms) in families { for form in forms { table[form] = family } }
        return table
    }()

    /// Legal forms written as several words (after folding), longest first.
    static let legalPhrases: [[String]] = [
        ["s", "de", "rl", "de", "cv"], ["sa", "de", "cv"], ["s", "a", "de", "c", "v"], ["sab", "de", "cv"],
        ["s", "de", "rl"], ["sp", "z", "oo"], ["sp", "z", "o", "o"], ["spol", "s", "ro"], ["s", "r", "o"],
        ["kabushiki", "kaisha"], ["kabushikigaisha"], ["yugen", "kaisha"], ["godo", "kaisha"], ["private", "limited"],
        ["pvt", "ltd"], ["pte", "ltd"], ["pty", "ltd"], ["sdn", "bhd"], ["co", "ltd"], ["a", "s"], ["a", "g"], ["s", "a"],
        ["s", "p", "a"], ["s", "r", "l"], ["n", "v"], ["b", "v"], ["l", "l", "c"], ["p", "l", "c"], ["s", "l"],
        ["s", "a", "s"], ["oy", "ab"], ["ab", "publ"], ["public", "company", "limited"], ["limited", "liability", "company"],
        ["limited", "partnership"], ["joint", "stock", "company"], ["public", "joint", "stock", "company"],
    ].sorted { $0.count > $1.count }

    /// Legal forms that stand before the name (Indonesia's `PT`, Russia's
    /// `OOO`, Japan's `Kabushiki Kaisha`, Sweden's `AB`).
    static let leadingLegalForms: Set<String> = ["pt", "ooo", "oao", "zao", "pao", "ao", "ab", "kk", "tov", "pp", "ud", "cv", "jsc", "pjsc"]
    static let leadingLegalPhrases: [[String]] = [["kabushiki", "kaisha"], ["yugen", "kaisha"], ["p", "t"]]

    /// Abbreviations CRM users type, spelled out the one way matching compares.
    static let abbreviations: [String: String] = [
        "hldgs": "holdings", "hldg": "holdings", "hlds": "holdings", "holding": "holdings",
        "mfg": "manufacturing", "mfrs": "manufacturers", "mfr": "manufacturer", "manufacturing": "manufacturing",
        "intl": "international", "intnl": "international", "internat": "international",
        "tech": "technology", "techs": "technology", "technologies": "technology", "technol": "technology",
        "sys": "systems", "syst": "systems", "system": "systems",
        "svcs": "services", "svc": "services", "serv": "services", "service": "services", "srvcs": "services",
        "labs": "laboratories", "lab": "laboratories", "laboratory": "laboratories", "labo": "laboratories",
        "inds": "industries", "indus": "industries", "industry": "industries", "ind": "industries",
        "grp": "group", "mgmt": "management", "mgt": "management", "natl": "national", "assn": "association",
        "assoc": "associates", "bros": "brothers", "engg": "engineering", "eng": "engineering", "sols": "solutions",
        "solution": "solutions", "ctr": "center", "centre": "center", "univ": "university", "elec": "electric",
        "pharma": "pharmaceuticals", "pharmaceutical": "pharmaceuticals", "comms": "communications", "communication": "communications", "telecom": "telecommunications",
        "dev": "development", "devel": "development", "dist": "distribution", "distr": "distribution",
        "finl": "financial", "ins": "insurance", "invest": "investments", "inv": "investments",
        "prods": "products", "prod": "products", "product": "products", "enterprise": "enterprises",
        "electronic": "electronics", "network": "networks", "partner": "partners", "ptnrs": "partners",
    ]
}

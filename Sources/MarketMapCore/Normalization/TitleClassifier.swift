/// Seniority levels, highest first.
public enum Seniority: String, Sendable, CaseIterable, Comparable, Codable {
    case cLevel = "C-Level"
    case vp = "VP"
    case director = "Director"
    case manager = "Manager"
    case individualContributor = "Individual Contributor"

    var rank: Int { Self.allCases.firstIndex(of: self) ?? Self.allCases.count }
    /// Higher seniority compares greater.
    public static func < (lhs: Seniority, rhs: Seniority) -> Bool { lhs.rank > rhs.rank }
}

public enum Department: String, Sendable, CaseIterable, Codable {
    case executive = "Executive"
    case sales = "Sales"
    case marketing = "Marketing"
    case revOps = "RevOps"
    case customerSuccess = "Customer Success"
    case finance = "Finance"
    case it = "IT"
    case security = "Security"
    case engineering = "Engineering"
    case product = "Product"
    case operations = "Operations"
    case hr = "HR"
    case legal = "Legal"
}

public struct TitleClass: Sendable, Equatable {
    public var seniority: Seniority
    public var department: Department?
}

/// Job title → seniority and department (`DOMAIN.md` §2): abbreviations
/// (`VP`, `SVP`, `CRO`, `Sr.`, `Dir.`, `Mgr`, `Head of`) and multi-role titles
/// (`CEO & Founder`: the most senior role wins).
public enum TitleClassifier {
    public static func classify(_ raw: String?) -> TitleClass? {
        guard let raw, !TextFolding.isPlaceholder(raw) else { return nil }
        let roles = splitRoles(raw).map(classifyRole)
        // The most senior role wins; among equals a functional department
        // beats "Executive" ("Founder & CTO" is Engineering).
        func weight(_ role: TitleClass) -> Int {
            switch role.department {
            case nil: return 0
            case .executive?: return 1
            default: return 2
            }
        }
        guard let best = roles.max(by: { ($0.seniority, weight($0)) < ($1.seniority, weight($1)) }) else { return nil }
        return TitleClass(seniority: best.seniority, department: best.department ?? roles.compactMap(\.department).first)
    }

    /// `CEO & Founder`, `VP Sales / Marketing`, `Director, Finance | Ops`.
    static func splitRoles(_ raw: String) -> [String] {
        var parts = [raw]
        for separator in [" & ", " and ", "/", "|", ";", " - ", " – "] {
            parts = parts.flatMap { pieces($0, separatedBy: separator) }
        }
        // "Director, Finance" is one role; "CEO, Founder" is two: split on a comma only
        // when both sides carry a seniority word.
        parts = parts.flatMap { part -> [String] in
            let pieces = pieces(part, separatedBy: ",")
            return pieces.count > 1 && pieces.allSatisfy({ seniorityOf(RoleWords($0)) != nil }) ? pieces : [part]
        }
        return parts.filter { !$0.trimmedWhitespace.isEmpty }
    }

    /// `text` cut at every `separator`, as Foundation's `components(separatedBy:)`
    /// (a literal search) cuts it, byte by byte: this runs for every contact on import.
    static func pieces(_ text: String, separatedBy separator: String) -> [String] {
        let needle = Array(separator.utf8)
        guard let first = needle.first, text.utf8.contains(first) else { return [text] }
        let bytes = Array(text.utf8)
        var (result, start, index) = ([String](), 0, 0)
        while index + needle.count <= bytes.count {
            if bytes[index] == first && bytes[index..<(index + needle.count)].elementsEqual(needle) {
                result.append(String(decoding: bytes[start..<index], as: UTF8.self))
                index += needle.count
                start = index
            } else {
                index += 1
            }
        }
        result.append(String(decoding: bytes[start...], as: UTF8.self))
        return result
    }

    static func classifyRole(_ role: String) -> TitleClass {
        let words = RoleWords(role)
        return TitleClass(seniority: seniorityOf(words) ?? .individualContributor, department: departmentOf(words))
    }

    /// A role's folded words with abbreviations spelled out, and the phrases
    /// (runs of whole words) it has.
    struct RoleWords {
        let words: [String]
        let set: Set<String>

        init(_ role: String) {
            words = TitleClassifier.expand(TextFolding.words(role))
            set = Set(words)
        }

        func has(_ word: String) -> Bool { set.contains(word) }

        /// Whether the words hold `phrase` (words in a row).
        func has(_ phrase: [String]) -> Bool {
            guard let first = phrase.first, set.contains(first) else { return false }
            guard phrase.count > 1 else { return true }
            guard phrase.count <= words.count else { return false }
            return (0...(words.count - phrase.count)).contains { start in
                words[start] == first && words[start..<(start + phrase.count)].elementsEqual(phrase)
            }
        }
    }

    /// Abbreviations to words.
    static func expand(_ words: [String]) -> [String] {
        words.flatMap { word -> [String] in
            switch word {
            case "vp", "vicepresident": return ["vice", "president"]
            case "svp", "evp", "avp": return ["senior", "vice", "president"]
            case "sr", "snr": return ["senior"]
            case "jr": return ["junior"]
            case "dir": return ["director"]
            case "mgr", "mngr": return ["manager"]
            case "mgmt": return ["management"]
            case "eng", "engr": return ["engineer"]
            case "ops": return ["operations"]
            case "mktg": return ["marketing"]
            case "acct": return ["account"]
            case "exec": return ["executive"]
            case "biz", "bus": return ["business"]
            case "dev": return ["development"]
            case "hr": return ["human", "resources"]
            case "cofounder": return ["founder"]
            default: return [word]
            }
        }
    }

    static let cLevelAcronyms: [String: Department] = [
        "ceo": .executive, "coo": .operations, "cfo": .finance, "cro": .sales, "cmo": .marketing, "cto": .engineering,
        "cio": .it, "ciso": .security, "cso": .security, "chro": .hr, "cpo": .product, "cco": .customerSuccess,
        "clo": .legal, "cdo": .engineering, "cao": .finance,
    ]

    static func seniorityOf(_ role: RoleWords) -> Seniority? {
        // "Executive Assistant to the CEO" supports a chief; it is not one.
        if role.has(["assistant", "to"]) || role.has(["executive", "assistant"]) || role.has("intern") || role.has("internship")
            || role.has("trainee")
        {
            return .individualContributor
        }
        let vicePresident = role.has(["vice", "president"])
        if !role.set.isDisjoint(with: cLevelAcronyms.keys) || role.has("chief") || role.has("founder") || role.has("owner")
            || role.has(["managing", "director"]) || role.has("chairman") || role.has(["managing", "partner"])
            || (role.has("president") && !vicePresident)
        { return .cLevel }
        if vicePresident || role.has(["head", "of"]) || role.words.last == "head" { return .vp }
        if role.has("director") { return .director }
        if role.has("manager") || role.has("lead") || role.has("supervisor") || role.has(["team", "leader"]) { return .manager }
        return nil
    }

    /// Checked in order: the more specific departments first
    /// (`Sales Operations` is RevOps, `Security Engineer` is Security).
    static let departmentRules: [(Department, [String])] = [
        (.revOps, ["revenue operations", "revops", "rev ops", "sales operations", "gtm operations",
                   "go to market operations", "marketing operations", "business operations", "crm", "salesforce admin",
                   "sales enablement", "deal desk"]),
        (.security, ["security", "infosec", "cyber", "ciso", "cso"]),
        (.customerSuccess, ["customer success", "customer experience", "client success", "customer support", "support",
                            "onboarding", "implementation", "cco", "customer service"]),
        (.sales, ["sales", "account executive", "sdr", "bdr", "business development", "account manager",
                  "revenue", "commercial", "cro", "partnerships", "channel"]),
        (.marketing, ["marketing", "brand", "demand generation", "demand gen", "growth", "content", "communications",
                      "pr", "seo", "cmo", "events"]),
        (.finance, ["finance", "financial", "accounting", "accountant", "controller", "treasury", "fp and a", "fpanda",
                    "cfo", "cao", "tax", "audit"]),
        (.legal, ["legal", "counsel", "attorney", "lawyer", "compliance", "clo", "paralegal"]),
        (.hr, ["human resources", "people", "talent", "recruiting", "recruiter", "chro", "hrbp"]),
        (.it, ["information technology", "it", "infrastructure", "systems administrator", "sysadmin", "helpdesk",
               "help desk", "cio", "network"]),
        (.product, ["product", "ux", "ui", "design", "designer", "cpo"]),
        (.engineering, ["engineering", "engineer", "developer", "software", "cto", "devops", "architect", "data",
                        "technology", "technical", "cdo", "programmer", "qa"]),
        (.operations, ["operations", "coo", "supply chain", "logistics", "procurement", "purchasing", "facilities"]),
        (.executive, ["ceo", "founder", "president", "owner", "managing director", "chairman", "board",
                      "general manager", "managing partner", "executive director"]),
    ]

    /// `departmentRules` with each phrase as its words.
    static let departmentPhrases: [(Department, [[String]])] = departmentRules.map { department, phrases in
        (department, phrases.map { $0.split(separator: " ").map(String.init) })
    }

    static func departmentOf(_ role: RoleWords) -> Department? {
        for (department, phrases) in departmentPhrases where phrases.contains(where: role.has) { return department }
        return nil
    }
}

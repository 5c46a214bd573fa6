import Foundation

/// Contact tiers: 1 is the best fit.
public enum PersonaTier: Int, Sendable, Codable, CaseIterable, Comparable {
    case tier1 = 1, tier2 = 2, tier3 = 3
    public static func < (lhs: PersonaTier, rhs: PersonaTier) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The persona rubric (`DOMAIN.md` §5, the seed's Persona Matrix): five
/// vectors, each with a tier-1/2/3 list and points; the sum (0–100 with the
/// default points) gives the persona tier. Negative titles exclude a contact.
public struct PersonaRubric: Sendable, Equatable {
    /// Title phrases per level (index 0 = tier 1), matched case-insensitively as words.
    public var titles: [[String]]
    public var seniority: [[Seniority]]
    public var departments: [[Department]]
    /// ISO country codes per level.
    public var geography: [[String]]
    /// Tenure in role: under `tenureMonths[0]` months scores level 1 (new in
    /// role buys most), under `[1]` level 2, else level 3.
    public var tenureMonths: [Int]
    public var points: Points
    public var tiers: (tier1: Double, tier2: Double)
    public var negativeTitles: [String]

    public struct Points: Sendable, Equatable {
        public var title: [Double], seniority: [Double], department: [Double], geography: [Double], tenure: [Double]
        public init(
            title: [Double] = [30, 15, 5], seniority: [Double] = [25, 15, 5], department: [Double] = [20, 10, 5],
            geography: [Double] = [15, 10, 5], tenure: [Double] = [10, 7, 3]
        ) {
            (self.title, self.seniority, self.department, self.geography, self.tenure) = (title, seniority, department, geography, tenure)
        }
    }

    public init(
        titles: [[String]] = [[], [], []], seniority: [[Seniority]] = [[.cLevel, .vp], [.director], [.manager]],
        departments: [[Department]] = [[], [], []], geography: [[String]] = [[], [], []], tenureMonths: [Int] = [12, 36],
        points: Points = Points(), tiers: (tier1: Double, tier2: Double) = (70, 40), negativeTitles: [String] = []
    ) {
        self.titles = titles
        self.seniority = seniority
        self.departments = departments
        self.geography = geography
        self.tenureMonths = tenureMonths
        self.points = points
        self.tiers = tiers
        self.negativeTitles = negativeTitles
    }

    public static func == (lhs: PersonaRubric, rhs: PersonaRubric) -> Bool {
        lhs.titles == rhs.titles && lhs.seniority == rhs.seniority && lhs.departments == rhs.departments
            && lhs.geography == rhs.geography && lhs.tenureMonths == rhs.tenureMonths && lhs.points == rhs.points
            && lhs.tiers == rhs.tiers && lhs.negativeTitles == rhs.negativeTitles
    }

    /// What the rubric needs to know of a contact.
    public struct Contact: Sendable {
        public var title: String?
        public var seniority: Seniority?
        public var department: Department?
        public var country: String?
        /// Whole months in the current role, if known.
        public var monthsInRole: Int?
        public init(title: String?, seniority: Seniority?, department: Department?, country: String?, monthsInRole: Int?) {
            (self.title, self.seniority, self.department, self.country, self.monthsInRole) = (title, seniority, department, country, monthsInRole)
        }
    }

    public struct Fit: Sendable, Equatable {
        public var score: Double
        /// Nil when a negative title excludes the contact.
        public var tier: PersonaTier?
        public init(score: Double, tier: PersonaTier?) {
            self.score = score
            self.tier = tier
        }
    }

    /// A contact's fit. Folds the rubric's phrases each call: a caller that
    /// scores many contacts prepares the rubric once (`prepared`).
    public func fit(_ contact: Contact) -> Fit { prepared().fit(contact) }

    /// The rubric with its title phrases folded once, to score many contacts.
    public func prepared() -> Prepared { Prepared(self) }

    public struct Prepared: Sendable {
        let rubric: PersonaRubric
        /// Each phrase as the bytes of `PersonaRubric.phrase` (nil: an empty phrase, which matches nothing).
        let titles: [[[UInt8]?]]
        let negativeTitles: [[UInt8]?]

        init(_ rubric: PersonaRubric) {
            func folded(_ phrase: String) -> [UInt8]? { phrase.isEmpty ? nil : Array(PersonaRubric.phrase(phrase).utf8) }
            self.rubric = rubric
            titles = rubric.titles.map { $0.map(folded) }
            negativeTitles = rubric.negativeTitles.map(folded)
        }

        public func fit(_ contact: Contact) -> Fit {
            let r = rubric
            // Folded words are letters and digits between single spaces, so a
            // byte match of " word " is a match of whole words.
            let title = Array(PersonaRubric.phrase(contact.title ?? "").utf8)
            let has = { (phrase: [UInt8]?) in phrase.map { Self.contains(title, $0) } ?? false }
            if negativeTitles.contains(where: has) { return Fit(score: 0, tier: nil) }
            var score = 0.0
            score += PersonaRubric.award(r.points.title) { PersonaRubric.level(titles, $0).contains(where: has) }
            if let seniority = contact.seniority { score += PersonaRubric.award(r.points.seniority) { PersonaRubric.level(r.seniority, $0).contains(seniority) } }
            if let department = contact.department { score += PersonaRubric.award(r.points.department) { PersonaRubric.level(r.departments, $0).contains(department) } }
            if let country = contact.country?.uppercased() { score += PersonaRubric.award(r.points.geography) { PersonaRubric.level(r.geography, $0).contains(country) } }
            if let months = contact.monthsInRole {
                let level = r.tenureMonths.firstIndex { months < $0 } ?? r.tenureMonths.count
                score += level < r.points.tenure.count ? r.points.tenure[level] : 0
            }
            let tier: PersonaTier = score >= r.tiers.tier1 ? .tier1 : score >= r.tiers.tier2 ? .tier2 : .tier3
            return Fit(score: score, tier: tier)
        }

        /// A byte search by hand: the standard library's `firstRange(of:)` made
        /// score's work 8 % larger (`ops/bench/pipeline 200000`, two rounds
        /// each, 2026-12-04: 23.8 / 24.0 s against 22.4 / 21.4 s).
        static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
            guard needle.count <= haystack.count else { return false }
            if needle.isEmpty { return true }
            var start = 0
            while start + needle.count <= haystack.count {
                if haystack[start] == needle[0] {
                    var index = 1
                    while index < needle.count, haystack[start + index] == needle[index] { index += 1 }
                    if index == needle.count { return true }
                }
                start += 1
            }
            return false
        }
    }

    static func level<T>(_ lists: [[T]], _ index: Int) -> [T] { index < lists.count ? lists[index] : [] }

    /// " word word " (folded words between spaces), so phrases match whole words only.
    static func phrase(_ text: String) -> String { " " + TextFolding.words(text).joined(separator: " ") + " " }

    /// The points of the first level (0, 1, 2) that `matches`, else 0.
    static func award(_ points: [Double], _ matches: (Int) -> Bool) -> Double {
        for level in 0..<min(3, points.count) where matches(level) { return points[level] }
        return 0
    }
}

/// Priority = account tier × persona tier (`DOMAIN.md` §5).
public enum Priority: String, Sendable, Codable, CaseIterable {
    case immediate = "AE immediate outreach", high = "high", medium = "medium", nurture = "marketing nurture", low = "low"

    public static func of(account: AccountTier?, persona: PersonaTier?) -> Priority {
        guard let account, let persona else { return .low }
        switch (account, persona) {
        case (.t1, .tier1): return .immediate
        case (.t1, .tier2), (.t2, .tier1): return .high
        case (.t2, .tier2): return .medium
        case (.t3, _): return .nurture
        default: return .low
        }
    }
}

import Foundation

/// How common each word of the market's company names is, counted per run
/// over every record: `technology` or `shenzhen` say little about which
/// company a record is, `xsight` says much. Weights are inverse document
/// frequencies; with no names counted every word weighs the same.
public struct TermFrequencies: Sendable {
    public private(set) var names = 0
    var counts: [String: Int] = [:]

    public init() {}
    public init(_ names: some Sequence<String>) {
        for name in names { add(name) }
    }

    /// Counts made elsewhere (SQL over the stored names): `names` names in
    /// all, `counts` the names each word is in (once per name), for the words
    /// that will be weighed.
    public init(names: Int, counts: [String: Int]) {
        self.names = names
        self.counts = counts
    }

    public mutating func add(_ name: String) {
        names += 1
        let words = name.split(separator: " ")
        for (index, word) in words.enumerated() where !words[..<index].contains(word) { counts[String(word), default: 0] += 1 }
    }

    public func count(_ word: String) -> Int { counts[word] ?? 0 }

    /// `ln((N + 1) / (df + 1))`, at least 0.2 so that a word never weighs nothing.
    public func weight(_ word: String) -> Double {
        guard names > 0 else { return 1 }
        return max(0.2, log(Double(names + 1) / Double(count(word) + 1)))
    }

    /// A word rare enough to tell companies apart: in at most 10 names, or
    /// in at most one name in a thousand.
    public func isDistinctive(_ word: String) -> Bool {
        names == 0 || count(word) <= max(10, names / 1000)
    }
}

/// A normalized company name with everything name matching needs worked out
/// once per record, not once per compared pair: its words as integer ids with
/// their weights, which are descriptors (`systems`, `group`), its numbers,
/// and whether it has a distinctive word. A class: the pair loop reads it
/// without copying its arrays.
public final class PreparedName: Sendable {
    let ids: [Int32]
    let words: [[Unicode.Scalar]]
    /// Each word's letters: most pairs of words are too far apart for a typo check.
    let letters: [LetterSet]
    let weights: [Double]
    let descriptor: [Bool]
    let total: Double
    /// The runs of digits, joined: names whose numbers differ never match.
    let numbers: String
    /// The words without spaces (`net scout` ~ `netscout`).
    let joined: Int32
    public let isDistinctive: Bool

    /// The words a name is compared by: its words but the stop words (all of them if that leaves none), at most 64.
    static func words(_ name: String) -> [String] {
        let all = name.split(separator: " ").prefix(64).map(String.init)
        let kept = all.filter { !NameWords.stopWords.contains($0) }
        return kept.isEmpty ? all : kept
    }

    /// The words run together: names that differ only in where the spaces
    /// are (`net scout` / `netscout`) are the same name.
    static func runTogether(_ name: String) -> String { words(name).joined() }

    /// The similarity of two names prepared with one vocabulary: word ids
    /// compare only within one vocabulary.
    public static func similarity(_ left: String, _ right: String, frequencies: TermFrequencies = TermFrequencies()) -> Double {
        var vocabulary = Vocabulary()
        let a = PreparedName(left, frequencies: frequencies, vocabulary: &vocabulary)
        return a.similarity(to: PreparedName(right, frequencies: frequencies, vocabulary: &vocabulary))
    }

    init(_ name: String, frequencies: TermFrequencies, vocabulary: inout Vocabulary) {
        let tokens = Self.words(name)
        ids = tokens.map { vocabulary.id($0) }
        words = tokens.map { Array($0.unicodeScalars) }
        letters = words.map(LetterSet.init)
        descriptor = tokens.map { tokens.count > 1 && NameWords.isDescriptor($0) }
        weights = zip(tokens, descriptor).map { word, isDescriptor in
            frequencies.weight(word) * (isDescriptor ? NameWords.descriptorWeight : 1)
        }
        total = weights.reduce(0, +)
        // Most names are ASCII without a digit: no numbers, known without splitting by characters.
        numbers = name.utf8.allSatisfy({ $0 < 0x80 && !(0x30...0x39).contains($0) })
            ? "" : name.split(whereSeparator: { !$0.isNumber }).joined(separator: "|")
        joined = vocabulary.id("~" + tokens.joined())
        isDistinctive = zip(tokens, descriptor).contains { !$1 && frequencies.isDistinctive($0) }
    }

    /// Weighted word agreement in [0, 1]: the weight of the words both names
    /// share (a one-letter typo counts a little less, the more the shorter
    /// the word) over the weight of all their words. Descriptor words weigh
    /// little; one that only one name has (`cisco systems` ~ `cisco`) takes the
    /// score just below a match, two different ones (`acme technology` /
    /// `acme systems`) and any other word only one name has (`siemens energy`
    /// / `siemens`) take it well below. The pair loop is integer comparisons
    /// on bit masks, with typo checks only for words left over, and a pair
    /// whose first words neither meet nor are a typo apart is rejected first.
    public func similarity(to other: PreparedName) -> Double { agreement(with: other).score }

    /// `similarity`, and whether one side has a word more than the other,
    /// descriptors aside (`Siemens Energy` / `Siemens`): another company, which
    /// no other evidence makes the same one.
    func agreement(with other: PreparedName) -> (score: Double, extraWord: Bool) {
        guard !ids.isEmpty, !other.ids.isEmpty, numbers == other.numbers else { return (0, true) }
        if joined == other.joined { return (1, false) }
        if ids[0] != other.ids[0], !descriptor[0], !other.descriptor[0], !other.ids.contains(ids[0]), !ids.contains(other.ids[0]),
            typo(0, other, 0) == nil
        {
            return (0, true)
        }
        let denominator = total + other.total
        guard denominator > 0 else { return (0, true) }
        // Bit i set: word i still unpaired.
        var leftSelf: UInt64 = ids.count == 64 ? ~0 : (1 << UInt64(ids.count)) - 1
        var leftOther: UInt64 = other.ids.count == 64 ? ~0 : (1 << UInt64(other.ids.count)) - 1
        var shared = 0.0
        for i in ids.indices {
            for j in other.ids.indices where leftOther & (1 << UInt64(j)) != 0 && other.ids[j] == ids[i] {
                leftOther &= ~(1 << UInt64(j))
                leftSelf &= ~(1 << UInt64(i))
                shared += weights[i] + other.weights[j]
                break
            }
        }
        if leftSelf != 0 && leftOther != 0 {
            for i in ids.indices where leftSelf & (1 << UInt64(i)) != 0 {
                var found: (j: Int, quality: Double)?
                for j in other.ids.indices where leftOther & (1 << UInt64(j)) != 0 {
                    if let quality = typo(i, other, j), quality > (found?.quality ?? 0) { found = (j, quality) }
                }
                guard let found else { continue }
                leftOther &= ~(1 << UInt64(found.j))
                leftSelf &= ~(1 << UInt64(i))
                shared += (weights[i] + other.weights[found.j]) * found.quality
            }
        }
        if leftSelf == 0 && leftOther == 0 { return (shared / denominator, false) }
        var (descriptorsSelf, descriptorsOther, meaningfulSelf, meaningfulOther) = (false, false, 0, 0)
        for i in ids.indices where leftSelf & (1 << UInt64(i)) != 0 {
            if descriptor[i] { descriptorsSelf = true } else { meaningfulSelf += 1 }
        }
        for j in other.ids.indices where leftOther & (1 << UInt64(j)) != 0 {
            if other.descriptor[j] { descriptorsOther = true } else { meaningfulOther += 1 }
        }
        let meaningful = meaningfulSelf + meaningfulOther > 0
        let score = shared / denominator
        // A word more than descriptors on either side is another company
        // (`Siemens Energy` / `Siemens`, `2 France Marine Insurance` / `2 France Marine`).
        // As many words left on each side are words spelled past a typo (`reak` / `rea`); more on one is a word more.
        if meaningful { return (score * NameWords.extraWord, meaningfulSelf != meaningfulOther) }
        return (score * (descriptorsSelf && descriptorsOther ? NameWords.descriptorConflict : NameWords.droppedDescriptor), false)
    }

    /// `typoQuality` of word `i` and the other's word `j`, checked only
    /// where their letters allow a typo (most pairs of a block do not).
    func typo(_ i: Int, _ other: PreparedName, _ j: Int) -> Double? {
        letters[i].allowsTypo(other.letters[j]) ? Self.typoQuality(words[i], other.words[j]) : nil
    }

    /// How much a one-edit typo is worth. A letter dropped, doubled or
    /// swapped with its neighbour (how hands mistype): the shorter the word,
    /// the less (`umbrella` / `umbrela` 0.94, `moini` / `mooini` 0.92, `news`
    /// / `neews` 0.9). A letter replaced by another is as often another name
    /// (`kalvex` / `kalbex`): it counts only in long words (0.9 at ten
    /// letters). A different first letter is another name (`senell` /
    /// `zenell`) unless the first two are swapped (`iwtan` / `witan`), and so
    /// are four-letter words a letter apart (`keda` / `kedi`). `nil` when the words are further apart.
    static func typoQuality(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Double? {
        let shorter = min(a.count, b.count)
        guard shorter >= 4, max(a.count, b.count) >= 5, abs(a.count - b.count) <= 2 else { return nil }
        guard abs(a.count - b.count) <= 1, let edit = Self.oneEdit(a, b), a.first == b.first || edit == .swap else {
            // Two slips of the hand in a long word (`ennterpprises`, `tehcnollogies`).
            return shorter >= 9 && a.first == b.first && Self.twoHandEdits(a, b) ? 1 - 0.8 / Double(shorter) : nil
        }
        return 1 - (edit == .substitution ? 1.0 : 0.4) / Double(shorter)
    }

    /// Whether two letters dropped, doubled or swapped with a neighbour (no
    /// letter replaced) turn `a` into `b`.
    static func twoHandEdits(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Bool {
        var start = 0
        while start < a.count && start < b.count && a[start] == b[start] { start += 1 }
        var (endA, endB) = (a.count, b.count)
        while endA > start && endB > start && a[endA - 1] == b[endB - 1] { endA -= 1; endB -= 1 }
        guard endA - start <= 12, endB - start <= 12 else { return false }
        func handEdit(_ x: [Unicode.Scalar], _ y: [Unicode.Scalar]) -> Bool {
            guard let edit = oneEdit(x, y) else { return false }
            return edit != .substitution
        }
        // One hand edit at the first difference, then one more anywhere.
        var candidates: [[Unicode.Scalar]] = []
        if start < a.count { var x = a; x.remove(at: start); candidates.append(x) }
        if start < b.count { var x = a; x.insert(b[start], at: start); candidates.append(x) }
        if start + 1 < a.count { var x = a; x.swapAt(start, start + 1); candidates.append(x) }
        return candidates.contains { handEdit($0, b) }
    }

    enum Edit { case none, insertion, substitution, swap }

    /// Which letters a word has, in 64 buckets (a letter's code mod 64): the
    /// edits `typoQuality` accepts (one insertion, deletion, substitution or
    /// swap; two letters dropped, doubled or swapped) add or remove at most
    /// two of them, so two words whose letters differ in more are no typo of
    /// each other, known from one XOR without comparing them letter by letter.
    struct LetterSet: Sendable {
        var bits: UInt64 = 0

        init(_ word: [Unicode.Scalar]) {
            for letter in word { bits |= 1 << UInt64(letter.value & 63) }
        }

        /// False only when the two words cannot be one of those typos apart.
        func allowsTypo(_ other: LetterSet) -> Bool { (bits ^ other.bits).nonzeroBitCount <= 2 }
    }

    /// The one edit that turns `a` into `b`, if one does.
    static func oneEdit(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Edit? {
        var start = 0
        while start < a.count && start < b.count && a[start] == b[start] { start += 1 }
        if start == a.count && start == b.count { return Edit.none }
        var endA = a.count, endB = b.count
        while endA > start && endB > start && a[endA - 1] == b[endB - 1] { endA -= 1; endB -= 1 }
        let (restA, restB) = (endA - start, endB - start)
        if restA + restB <= 1 { return .insertion }
        if restA == 1 && restB == 1 { return .substitution }
        if restA == 2 && restB == 2 && a[start] == b[start + 1] && a[start + 1] == b[start] { return .swap }
        return nil
    }

    /// Whether one insertion, deletion, substitution or swap of neighbours
    /// (or nothing) turns `a` into `b`.
    public static func withinOneEdit(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Bool { oneEdit(a, b) != nil }
}

/// Word ids for one matching pass: integer comparisons in the pair loop.
struct Vocabulary {
    private var ids: [String: Int32] = [:]
    mutating func id(_ word: String) -> Int32 {
        if let known = ids[word] { return known }
        let next = Int32(ids.count)
        ids[word] = next
        return next
    }
}

/// Word lists of name matching.
public enum NameWords {
    /// Words that describe a company rather than name it: a name that lacks
    /// one still matches (`Cisco Systems` / `Cisco`).
    public static let descriptors: Set<String> = [
        "systems", "technology", "solutions", "services", "group", "international", "global", "industries",
        "enterprises", "worldwide", "holdings", "laboratories", "company", "usa", "america", "americas", "europe",
        "asia", "pacific", "uk", "us", "na", "emea", "apac",
    ]
    /// A descriptor, or a descriptor of six letters or more mistyped by one
    /// edit (`technoolgies`, `sytsems`).
    public static func isDescriptor(_ word: String) -> Bool {
        if descriptors.contains(word) { return true }
        guard word.count >= 6 else { return false }
        let letters = Array(word.unicodeScalars)
        return spelledDescriptors.contains { descriptor in
            descriptor.count >= 6 && abs(descriptor.count - letters.count) <= 1 && descriptor.first == letters.first
                && PreparedName.oneEdit(descriptor, letters) != nil
        }
    }

    static let spelledDescriptors: [[Unicode.Scalar]] = (descriptors.union(["technologies", "solution", "service", "system", "industry", "enterprise", "holding"]))
        .sorted().map { Array($0.unicodeScalars) }

    /// The weight factor of a descriptor word.
    public static let descriptorWeight = 0.05
    /// The factor on a score where each name has a descriptor the other lacks.
    public static let descriptorConflict = 0.85
    /// The factor on a score where one name has a descriptor the other lacks
    /// (`Cisco Systems` / `Cisco`): just below a match, so that it takes the
    /// city's agreement (`Acme` and `Acme Systems` are as often two companies).
    public static let droppedDescriptor = 0.9
    /// The factor on a score where a name has a word, not a descriptor, that the other lacks.
    public static let extraWord = 0.85
    /// Words that never count.
    public static let stopWords: Set<String> = [
        "and", "of", "the", "de", "der", "die", "das", "la", "le", "les", "et", "und", "y", "von", "van", "du", "des",
        "del", "di", "da", "do", "dos", "e",
    ]
}

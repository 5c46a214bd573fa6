/// A normalized company name with everything name matching needs worked out
/// once per record, not once per compared pair: its Unicode scalars, its first
/// word and the rest, its numbers, and letter counts for a cheap upper bound
/// that skips Jaro-Winkler on pairs that cannot reach the threshold.
public struct PreparedName: Sendable {
    let whole: [Unicode.Scalar]
    let first: [Unicode.Scalar]
    let rest: [Unicode.Scalar]
    let wordCount: Int
    /// The runs of digits, joined: names whose numbers differ never match.
    let numbers: String
    let wholeCounts: LetterCounts
    let firstCounts: LetterCounts

    public init(_ name: String) {
        whole = Array(name.unicodeScalars)
        let words = name.split(separator: " ")
        wordCount = words.count
        first = words.first.map { Array($0.unicodeScalars) } ?? []
        rest = words.count > 1 ? Array(words.dropFirst().joined(separator: " ").unicodeScalars) : []
        numbers = name.split(whereSeparator: { !$0.isNumber }).joined(separator: "|")
        wholeCounts = LetterCounts(whole)
        firstCounts = LetterCounts(first)
    }

    /// `AccountClustering.nameSimilarity` of the two names, or any value below
    /// `threshold` when a bound shows it cannot reach it.
    public func similarity(to other: PreparedName, atLeast threshold: Double = 0) -> Double {
        if numbers != other.numbers { return 0 }
        guard wordCount == other.wordCount, !first.isEmpty, !other.first.isEmpty else {
            guard Self.bound(whole.count, other.whole.count, wholeCounts, other.wholeCounts) >= threshold else { return 0 }
            return JaroWinkler.similarity(whole, other.whole)
        }
        // The distinctive first word: equal, or a typo away (length ±1).
        if abs(first.count - other.first.count) > 1 { return 0 }
        let firstScore: Double
        if first == other.first {
            firstScore = 1
        } else {
            guard Self.bound(first.count, other.first.count, firstCounts, other.firstCounts) >= threshold else { return 0 }
            firstScore = JaroWinkler.similarity(first, other.first)
        }
        guard wordCount > 1 else { return firstScore }
        if firstScore < threshold { return firstScore }
        let restScore = rest == other.rest ? 1 : JaroWinkler.similarity(rest, other.rest)
        return min(firstScore, restScore >= 0.9 ? 1 : restScore)
    }

    /// An upper bound of Jaro-Winkler: at most as many matches as shared
    /// characters, and at most the full prefix bonus (Jaro-Winkler grows with Jaro).
    static func bound(_ a: Int, _ b: Int, _ countsA: LetterCounts, _ countsB: LetterCounts) -> Double {
        guard a > 0, b > 0 else { return a == 0 && b == 0 ? 1 : 0 }
        // Counts are capped, so long names are not bounded by them.
        let shared = Double(a > 120 || b > 120 ? min(a, b) : min(countsA.shared(with: countsB), a, b))
        if shared == 0 { return 0 }
        let jaro = (shared / Double(a) + shared / Double(b) + 1) / 3
        return jaro + 0.4 * (1 - jaro)
    }
}

/// Occurrences per bucket (a–z, digits, space, four buckets for the rest) in
/// 32 byte lanes of four words, capped at 127, so the characters two names
/// share are counted with a few integer operations.
public struct LetterCounts: Sendable {
    var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    public static func bucket(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        switch value {
        case 97...122: return Int(value - 97)
        case 48...57: return 26
        case 32: return 27
        default: return 28 + Int(value % 4)
        }
    }

    public init(_ scalars: [Unicode.Scalar]) {
        var lanes = [UInt8](repeating: 0, count: 32)
        for scalar in scalars where lanes[Self.bucket(scalar)] < 127 { lanes[Self.bucket(scalar)] += 1 }
        func word(_ start: Int) -> UInt64 {
            (0..<8).reduce(UInt64(0)) { $0 | UInt64(lanes[start + $1]) << (8 * $1) }
        }
        words = (word(0), word(8), word(16), word(24))
    }

    /// Σ over buckets of min(self, other).
    public func shared(with other: LetterCounts) -> Int {
        Int(Self.minSum(words.0, other.words.0) + Self.minSum(words.1, other.words.1)
            + Self.minSum(words.2, other.words.2) + Self.minSum(words.3, other.words.3))
    }

    /// Lane-wise minimum of two words of 7-bit lanes, summed.
    static func minSum(_ x: UInt64, _ y: UInt64) -> UInt64 {
        let high: UInt64 = 0x8080_8080_8080_8080
        let xAtLeastY = (((x | high) &- y) & high) >> 7  // 1 in each lane where x >= y
        let mask = xAtLeastY &* 0xFF
        let minimum = (y & mask) | (x & ~mask)
        let pairs = (minimum & 0x00FF_00FF_00FF_00FF) &+ ((minimum >> 8) & 0x00FF_00FF_00FF_00FF)
        return (pairs &* 0x0001_0001_0001_0001) >> 48
    }
}

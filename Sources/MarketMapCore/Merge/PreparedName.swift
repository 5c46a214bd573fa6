/// A normalized company name with everything name matching needs worked out
/// once per record, not once per compared pair: its Unicode scalars, its first
/// word and the rest, its numbers, and letter counts for a cheap upper bound
/// that skips Jaro-Winkler on pairs that cannot reach the threshold.
public struct PreparedName: Sendable {
    let whole: [Unicode.Scalar]
    let first: [Unicode.Scalar]
    let rest: [Unicode.Scalar]
    let wordCount: Int
    let numbers: [Substring]
    let wholeCounts: SIMD32<UInt16>
    let firstCounts: SIMD32<UInt16>

    public init(_ name: String) {
        whole = Array(name.unicodeScalars)
        let words = name.split(separator: " ")
        wordCount = words.count
        first = words.first.map { Array($0.unicodeScalars) } ?? []
        rest = words.count > 1 ? Array(words.dropFirst().joined(separator: " ").unicodeScalars) : []
        numbers = name.split(whereSeparator: { !$0.isNumber })
        wholeCounts = Self.counts(whole)
        firstCounts = Self.counts(first)
    }

    /// Occurrences per bucket: a–z, digits, space, and four buckets for the rest.
    static func counts(_ scalars: [Unicode.Scalar]) -> SIMD32<UInt16> {
        var counts = SIMD32<UInt16>(repeating: 0)
        for scalar in scalars {
            let value = scalar.value
            let bucket: Int
            switch value {
            case 97...122: bucket = Int(value - 97)
            case 48...57: bucket = 26
            case 32: bucket = 27
            default: bucket = 28 + Int(value % 4)
            }
            counts[bucket] &+= 1
        }
        return counts
    }

    /// `AccountClustering.nameSimilarity` of the two names, or any value below
    /// `threshold` when the bound shows it cannot reach it.
    public func similarity(to other: PreparedName, atLeast threshold: Double = 0) -> Double {
        if numbers != other.numbers { return 0 }
        guard wordCount == other.wordCount, !first.isEmpty, !other.first.isEmpty else {
            guard Self.bound(whole, other.whole, wholeCounts, other.wholeCounts) >= threshold else { return 0 }
            return JaroWinkler.similarity(whole, other.whole)
        }
        // The distinctive first word: equal, or a typo away (length ±1).
        let firstScore: Double
        if first == other.first {
            firstScore = 1
        } else {
            if abs(first.count - other.first.count) > 1 { return 0 }
            guard Self.bound(first, other.first, firstCounts, other.firstCounts) >= threshold else { return 0 }
            firstScore = JaroWinkler.similarity(first, other.first)
        }
        guard wordCount > 1 else { return firstScore }
        if firstScore < threshold { return firstScore }
        let restScore = rest == other.rest ? 1 : JaroWinkler.similarity(rest, other.rest)
        return min(firstScore, restScore >= 0.9 ? 1 : restScore)
    }

    /// An upper bound of Jaro-Winkler: at most as many matches as shared
    /// characters, and at most the full prefix bonus (Jaro-Winkler grows with Jaro).
    static func bound(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], _ countsA: SIMD32<UInt16>, _ countsB: SIMD32<UInt16>) -> Double {
        guard !a.isEmpty, !b.isEmpty else { return a.isEmpty && b.isEmpty ? 1 : 0 }
        let shared = Double(min(Int(pointwiseMin(countsA, countsB).wrappedSum()), a.count, b.count))
        if shared == 0 { return 0 }
        let jaro = (shared / Double(a.count) + shared / Double(b.count) + 1) / 3
        return jaro + 0.4 * (1 - jaro)
    }
}

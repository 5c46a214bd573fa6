/// A steward's decisions as matching honours them, keyed by source record
/// identity: `different` beats any domain or name rule, `same` joins clusters
/// (across domains too), a `detached` record joins nothing by rule.
public struct MatchDecisions: Sendable, Equatable {
    public struct Pair: Sendable, Hashable {
        public var a: RecordKey
        public var b: RecordKey
        /// The stored decision, for reports.
        public var id: Int64
        public init(_ first: RecordKey, _ second: RecordKey, id: Int64 = 0) {
            a = min(first, second)
            b = max(first, second)
            self.id = id
        }
    }

    public var same: [Pair]
    public var different: [Pair]
    public var detached: Set<RecordKey>

    public init(same: [Pair] = [], different: [Pair] = [], detached: Set<RecordKey> = []) {
        self.same = same
        self.different = different
        self.detached = detached
    }

    public var isEmpty: Bool { same.isEmpty && different.isEmpty && detached.isEmpty }

    /// The records any decision names.
    public var records: Set<RecordKey> {
        var keys = detached
        for pair in same + different {
            keys.insert(pair.a)
            keys.insert(pair.b)
        }
        return keys
    }
}

/// Why a decision did not take effect.
public struct UnappliedDecision: Sendable, Equatable {
    public enum Reason: String, Sendable {
        /// A record it names is not among the source accounts any more.
        case recordGone = "record gone"
        /// A `same` that would put two records of a `different` decision in one account.
        case contradicted = "contradicts a different decision"
    }
    public var id: Int64
    public var reason: Reason
    public init(id: Int64, reason: Reason) {
        self.id = id
        self.reason = reason
    }
}

/// Cannot-link constraints over union-find sets: each `different` decision
/// tags its two records with its number and a side; two sets may not join
/// when one holds side 1 and the other side 2 of the same decision. Only
/// records with decisions carry tags, so a market without decisions pays
/// nothing.
struct ApartConstraints {
    /// Per set root: decision number → sides held (bit 1, bit 2).
    private var tags: [Int: [Int: UInt8]] = [:]

    init(_ pairs: [(Int, Int)]) {
        for (number, (a, b)) in pairs.enumerated() {
            tags[a, default: [:]][number, default: 0] |= 1
            tags[b, default: [:]][number, default: 0] |= 2
        }
    }

    var isEmpty: Bool { tags.isEmpty }

    func conflict(_ rootA: Int, _ rootB: Int) -> Bool {
        guard let left = tags[rootA], let right = tags[rootB] else { return false }
        let (small, large) = left.count <= right.count ? (left, right) : (right, left)
        return small.contains { number, sides in (sides | (large[number] ?? 0)) == 3 }
    }

    /// Moves the tags of `child`'s set to `root`'s.
    mutating func merge(_ child: Int, into root: Int) {
        guard let moving = tags.removeValue(forKey: child) else { return }
        tags[root, default: [:]].merge(moving) { $0 | $1 }
    }
}

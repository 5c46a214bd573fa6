/// Connected components over records numbered `0..<count`: each component is
/// labelled by its smallest number, so the labels depend only on the links and
/// the numbering, never on the order the links come in. One `Int` per record,
/// nothing else: the whole market fits in a few megabytes.
public struct RecordComponents: Sendable {
    private var parent: [Int]

    public init(count: Int) { parent = Array(0..<count) }

    public var count: Int { parent.count }

    /// Puts `a` and `b` in one component; numbers outside `0..<count` are ignored.
    public mutating func link(_ a: Int, _ b: Int) {
        guard parent.indices.contains(a), parent.indices.contains(b) else { return }
        let rootA = Forest.root(of: a, in: &parent), rootB = Forest.root(of: b, in: &parent)
        if rootA < rootB { parent[rootB] = rootA } else if rootB < rootA { parent[rootA] = rootB }
    }

    /// The smallest record number of `x`'s component.
    public mutating func component(of x: Int) -> Int { Forest.root(of: x, in: &parent) }

    /// The resolve shard of a component: its label mixed (`SeededRandom`'s
    /// first draw from it), so big and small components spread evenly.
    public static func shard(of component: Int, shards: Int) -> Int {
        var mix = SeededRandom(seed: UInt64(truncatingIfNeeded: component))
        return Int(mix.next() % UInt64(max(1, shards)))
    }
}

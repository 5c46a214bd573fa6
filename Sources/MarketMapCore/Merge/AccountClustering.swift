/// Identity of one source record.
public struct RecordKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var source: String
    public var sourceID: String
    public init(source: String, sourceID: String) {
        self.source = source
        self.sourceID = sourceID
    }
    public static func < (lhs: RecordKey, rhs: RecordKey) -> Bool { (lhs.source, lhs.sourceID) < (rhs.source, rhs.sourceID) }
    public var description: String { "\(source)/\(sourceID)" }
}

/// What matching looks at for one source account.
public struct MatchRecord: Sendable, Equatable {
    public var key: RecordKey
    public var name: String?
    /// The registrable domain, only when it is a company identity.
    public var domain: String?
    public var country: String?
    public var preventOverride: Bool

    public init(key: RecordKey, name: String?, domain: String?, country: String?, preventOverride: Bool = false) {
        self.key = key
        self.name = name
        self.domain = domain
        self.country = country
        self.preventOverride = preventOverride
    }
}

public enum MatchMethod: String, Sendable, Codable {
    /// Alone, or the cluster's anchor.
    case single
    /// Joined on the same registrable domain.
    case domain
    /// Joined on a fuzzy name match within the same country: review these.
    case name
}

public struct MatchSettings: Sendable, Equatable {
    /// Jaro-Winkler similarity of normalized names at or above which two
    /// records without a shared domain are the same company.
    public var nameThreshold: Double = 0.95
    public init(nameThreshold: Double = 0.95) { self.nameThreshold = nameThreshold }
}

/// One golden account: its source records and how each joined.
public struct AccountCluster: Sendable, Equatable {
    /// The smallest member key: a stable anchor for the golden id.
    public var anchor: RecordKey
    public var members: [RecordKey: MatchMethod]
}

/// Dedupe of `DOMAIN.md` §3, pure and deterministic:
/// 1. the same registrable domain ⇒ the same account, except that a
///    `prevent_override` record (a franchise branch) joins only records with
///    the same domain *and* the same normalized name: a branch never merges
///    into the corporate record;
/// 2. where either side has no domain, a fuzzy name match (Jaro-Winkler ≥
///    threshold) within the same known country, flagged `name`; a name match
///    never joins two clusters that already carry different domains;
/// 3. clusters are transitive (union-find).
/// Candidate name pairs come from blocks within a country (the first name
/// word; its first three and its last three letters with its length ±1, so one
/// typo does not hide a pair) and are applied best-first in a fixed order, so the result does not
/// depend on the order of the input.
public enum AccountClustering {
    public static func cluster(_ records: [MatchRecord], settings: MatchSettings = MatchSettings()) -> [AccountCluster] {
        resolve(records, edges: candidates(records, settings: settings))
    }

    /// The candidate edges of one shard: domain groups and name blocks whose
    /// key hashes to `shard` (of `shards`). Every pair that can match shares a
    /// domain or a block, so the union of all shards' edges is the same
    /// whatever the shard count, and so is `resolve`'s result: the basis for
    /// matching in parallel queue jobs.
    public static func candidates(
        _ records: [MatchRecord], settings: MatchSettings = MatchSettings(), shard: Int = 0, shards: Int = 1
    ) -> [MatchEdge] {
        func mine(_ key: String) -> Bool { shards <= 1 || Int(stableHash(key) % UInt64(shards)) == shard }
        let sorted = records.sorted { $0.key < $1.key }
        var edges: [MatchEdge] = []

        // 1. Domains: the plain records of a domain join its first one; a
        //    branch joins only a record with its very name.
        var byDomain: [String: [Int]] = [:]
        for (index, record) in sorted.enumerated() { if let domain = record.domain { byDomain[domain, default: []].append(index) } }
        for (domain, members) in byDomain where mine("d|" + domain) {
            let plain = members.filter { !sorted[$0].preventOverride }
            for index in plain.dropFirst() { edges.append(MatchEdge(sorted[plain[0]].key, sorted[index].key, score: 2, kind: .domain)) }
            for branch in members where sorted[branch].preventOverride {
                guard let name = sorted[branch].name,
                    let twin = members.first(where: { $0 != branch && sorted[$0].name == name })
                else { continue }
                edges.append(MatchEdge(sorted[twin].key, sorted[branch].key, score: 2, kind: .domain))
            }
        }

        // 2. Names, where a domain is missing on either side. Blocks: the same
        //    first word; or its first (`<`) or last (`>`) three letters with its
        //    length L (each record in blocks L and L+1: a typo changes the length
        //    by at most one). Each pair is compared in exactly one block: the
        //    word block if the words are equal, else the prefix block of the
        //    longer length if the prefixes are equal, else the suffix block, so
        //    nothing needs remembering across blocks and memory stays flat.
        // Per record, once: ids of its token, prefix, suffix and whole name, the
        // token's length, and the prepared name; the pair loop below compares
        // integers and reads arrays, so a pair costs nanoseconds.
        let count = sorted.count
        var tokenID = [Int](repeating: -1, count: count), nameID = [Int](repeating: -1, count: count)
        var prefixID = [Int](repeating: -1, count: count), tokenLength = [Int](repeating: 0, count: count)
        var slot = [Int](repeating: -1, count: count)
        let hasDomain = sorted.map { $0.domain != nil }
        var prepared: [PreparedName] = []
        var ids: [String: Int] = [:]
        func id(_ text: String) -> Int {
            if let known = ids[text] { return known }
            ids[text] = ids.count
            return ids.count - 1
        }
        enum BlockKind { case word, prefix, suffix }
        var blocks: [String: (kind: BlockKind, size: Int, members: [Int])] = [:]
        for (index, record) in sorted.enumerated() {
            guard let name = record.name, let country = record.country, !record.preventOverride else { continue }
            let token = CompanyNameNormalizer.blockingToken(name)
            let length = token.unicodeScalars.count
            let (prefix, suffix) = (String(token.prefix(3)), String(token.suffix(3)))
            var keys: [(String, BlockKind, Int)] = [("\(country)|=\(token)", .word, length)]
            for size in [length, length + 1] {
                keys += [("\(country)|<\(prefix)|\(size)", .prefix, size), ("\(country)|>\(suffix)|\(size)", .suffix, size)]
            }
            var member = false
            for (key, kind, size) in keys where mine("n|" + key) {
                blocks[key, default: (kind, size, [])].members.append(index)
                member = true
            }
            guard member else { continue }
            (tokenID[index], tokenLength[index], prefixID[index], nameID[index]) = (id("=" + token), length, id("<" + prefix), id("n" + name))
            slot[index] = prepared.count
            prepared.append(PreparedName(name))
        }
        let threshold = settings.nameThreshold
        for (_, block) in blocks where block.members.count > 1 {
            let members = block.members
            for (i, a) in members.enumerated() where !hasDomain[a] {
                for (j, b) in members.enumerated() where j != i && (hasDomain[b] || j > i) {
                    switch block.kind {
                    case .prefix:
                        guard tokenID[a] != tokenID[b], max(tokenLength[a], tokenLength[b]) == block.size else { continue }
                    case .suffix:
                        guard tokenID[a] != tokenID[b], prefixID[a] != prefixID[b], max(tokenLength[a], tokenLength[b]) == block.size
                        else { continue }
                    case .word: break
                    }
                    let (low, high) = (min(a, b), max(a, b))
                    let score = nameID[a] == nameID[b] ? 1 : prepared[slot[low]].similarity(to: prepared[slot[high]], atLeast: threshold)
                    if score >= threshold { edges.append(MatchEdge(sorted[low].key, sorted[high].key, score: score, kind: .name)) }
                }
            }
        }
        return edges
    }

    /// Clusters from candidate edges (from any number of shards, in any
    /// order, duplicates allowed): domain edges first, then name edges
    /// best-first in a fixed order, never joining two different domains.
    public static func resolve(_ records: [MatchRecord], edges: [MatchEdge]) -> [AccountCluster] {
        let sorted = records.sorted { $0.key < $1.key }
        var position: [RecordKey: Int] = [:]
        for (index, record) in sorted.enumerated() { position[record.key] = index }
        var sets = UnionFind(count: sorted.count, domains: sorted.map(\.domain))
        var joinedByDomain = Set<Int>()
        let unique = Set(edges)
        for edge in unique where edge.kind == .domain {
            guard let a = position[edge.a], let b = position[edge.b] else { continue }
            if sets.union(a, b, allowDifferentDomains: false) { joinedByDomain.formUnion([a, b]) }
        }
        let names = unique.filter { $0.kind == .name }.compactMap { edge -> (score: Double, a: Int, b: Int)? in
            guard let a = position[edge.a], let b = position[edge.b] else { return nil }
            return (edge.score, min(a, b), max(a, b))
        }.sorted { ($0.score, -$0.a, -$0.b) > ($1.score, -$1.a, -$1.b) }
        for edge in names { _ = sets.union(edge.a, edge.b, allowDifferentDomains: false) }

        // Clusters, anchored on their smallest key; members that share the
        // cluster's domain joined by domain, the others by name.
        var groups: [Int: [Int]] = [:]
        for index in sorted.indices { groups[sets.find(index), default: []].append(index) }
        return groups.values.map { group in
            var members: [RecordKey: MatchMethod] = [:]
            for index in group {
                members[sorted[index].key] = group.count == 1 ? .single : (joinedByDomain.contains(index) ? .domain : .name)
            }
            return AccountCluster(anchor: group.map { sorted[$0].key }.min() ?? sorted[group[0]].key, members: members)
        }.sorted { $0.anchor < $1.anchor }
    }

    /// FNV-1a 64: the same in every process (Swift's `Hasher` is seeded).
    static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}

/// A possible match between two source records, found in one shard.
public struct MatchEdge: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case domain, name }
    public var a: RecordKey
    public var b: RecordKey
    public var score: Double
    public var kind: Kind

    public init(_ first: RecordKey, _ second: RecordKey, score: Double, kind: Kind) {
        a = min(first, second)
        b = max(first, second)
        self.score = score
        self.kind = kind
    }
}

extension AccountClustering {
    /// Similarity of two normalized names that is not fooled by shared common
    /// words: with the same number of words, the distinctive first word and
    /// the rest are compared separately and the weaker score counts
    /// ("vandmir systems" vs "vandur systems" is a different company); with a
    /// different number of words, the whole names are compared.
    /// Names whose numbers differ ("store 16" vs "store 160", "3m" vs "4m")
    /// are different companies or branches, however alike the letters.
    public static func nameSimilarity(_ left: String, _ right: String) -> Double {
        PreparedName(left).similarity(to: PreparedName(right))
    }
}

/// Union-find that remembers the identity domain of each set and can refuse
/// to join sets carrying different domains.
struct UnionFind {
    private var parent: [Int]
    private var rank: [Int]
    private var domain: [String?]

    init(count: Int, domains: [String?]) {
        parent = Array(0..<count)
        rank = [Int](repeating: 0, count: count)
        domain = domains
    }

    mutating func find(_ x: Int) -> Int {
        var root = x
        while parent[root] != root { root = parent[root] }
        var node = x
        while parent[node] != root { (node, parent[node]) = (parent[node], root) }
        return root
    }

    /// Joins the sets of `a` and `b`; returns false when they were already one
    /// set or when joining would put two different domains in one set.
    mutating func union(_ a: Int, _ b: Int, allowDifferentDomains: Bool) -> Bool {
        let rootA = find(a), rootB = find(b)
        if rootA == rootB { return false }
        if !allowDifferentDomains, let left = domain[rootA], let right = domain[rootB], left != right { return false }
        let merged = domain[rootA] ?? domain[rootB]
        if rank[rootA] < rank[rootB] {
            parent[rootA] = rootB
            domain[rootB] = merged
        } else {
            parent[rootB] = rootA
            domain[rootA] = merged
            if rank[rootA] == rank[rootB] { rank[rootA] += 1 }
        }
        return true
    }
}

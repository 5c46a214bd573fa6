/// What resolving the candidate edges gave: the clusters; the edges the
/// guards refused (a name match between two accounts with different own
/// domains, an alternate domain past the per-account limit, a platform page
/// that fits several accounts): the weakest links of would-be runaway
/// clusters, for review; the name and alternate-domain edges that joined;
/// the name pairs just below the threshold that stayed apart; and the
/// decisions that could not take effect.
public struct ClusterResolution: Sendable {
    public var clusters: [AccountCluster]
    public var refused: [MatchEdge]
    public var joining: [MatchEdge] = []
    public var nearMisses: [MatchEdge] = []
    public var unapplied: [UnappliedDecision] = []
}

extension AccountClustering {
    public static func resolve(
        _ records: [MatchRecord], edges: [MatchEdge], settings: MatchSettings = MatchSettings(), decisions: MatchDecisions = MatchDecisions()
    ) -> [AccountCluster] {
        resolution(records, edges: edges, settings: settings, decisions: decisions).clusters
    }

    /// Clusters from candidate edges (from any number of shards, in any order,
    /// duplicates allowed) and a steward's decisions, in a fixed order of evidence:
    /// 1. alternate-domain edges best-first link domains into one company's
    ///    set of domains, never more than `maxDomainsPerAccount`; a `same`
    ///    decision links its records' domains whatever the limit;
    /// 2. `same` decisions join records; then same-domain edges, then the
    ///    accepted alternate-domain edges;
    /// 3. name edges between records that are not platform pages, best-first,
    ///    never joining two accounts whose own domains differ;
    /// 4. last, each group of platform pages (records of one tenant) joins the
    ///    one account its name edges point to when every page of the group has
    ///    such an edge; none when they point to several or some page has none.
    /// No join ever puts the two records of a `different` decision in one
    /// account, and a detached record joins by decisions only (the others of
    /// its domain still join each other). So a platform page never joins two
    /// accounts and never changes how the other records cluster.
    public static func resolution(
        _ records: [MatchRecord], edges: [MatchEdge], settings: MatchSettings = MatchSettings(), decisions: MatchDecisions = MatchDecisions()
    ) -> ClusterResolution {
        let sorted = records.sorted { $0.key < $1.key }
        var position: [RecordKey: Int] = [:]
        for (index, record) in sorted.enumerated() { position[record.key] = index }
        func indices(_ edge: MatchEdge) -> (Int, Int)? {
            guard let a = position[edge.a], let b = position[edge.b] else { return nil }
            return (a, b)
        }
        var unapplied: [UnappliedDecision] = []
        func present(_ pairs: [MatchDecisions.Pair]) -> [(pair: MatchDecisions.Pair, a: Int, b: Int)] {
            pairs.sorted { ($0.a, $0.b, $0.id) < ($1.a, $1.b, $1.id) }.compactMap { pair in
                guard let a = position[pair.a], let b = position[pair.b] else {
                    unapplied.append(UnappliedDecision(id: pair.id, reason: .recordGone))
                    return nil
                }
                return (pair, a, b)
            }
        }
        let same = present(decisions.same), different = present(decisions.different)
        let detached = Set(decisions.detached.compactMap { position[$0] })
        let apartPairs = Set(different.map { MatchDecisions.Pair($0.pair.a, $0.pair.b) })
        let unique = Self.withoutDetached(Set(edges), detached: detached, sorted: sorted, position: position)
        func bestFirst(_ kind: MatchEdge.Kind) -> [MatchEdge] {
            unique.filter { $0.kind == kind }.sorted { ($0.score, $1.a, $1.b) > ($1.score, $0.a, $0.b) }
        }
        var refused: [MatchEdge] = []

        // 1. Domain sets.
        var domainIDs: [String: Int] = [:]
        for record in sorted { if let domain = record.ownDomain, domainIDs[domain] == nil { domainIDs[domain] = domainIDs.count } }
        var companies = DomainSets(count: domainIDs.count)
        func domainID(_ index: Int) -> Int? { sorted[index].ownDomain.flatMap { domainIDs[$0] } }
        for decision in same {
            if let left = domainID(decision.a), let right = domainID(decision.b) { _ = companies.union(left, right, limit: .max) }
        }
        var alternates: [MatchEdge] = []
        for edge in bestFirst(.altDomain) {
            guard let (a, b) = indices(edge), let left = domainID(a), let right = domainID(b) else { continue }
            if companies.union(left, right, limit: settings.maxDomainsPerAccount) { alternates.append(edge) } else { refused.append(edge) }
        }
        let company = sorted.indices.map { index in domainID(index).map { companies.find($0) } ?? -1 }

        // 2.–3. Records.
        var sets = UnionFind(
            company: company, solid: sorted.map { !$0.platformTenant }, apart: ApartConstraints(different.map { ($0.a, $0.b) }))
        var joinedBy: [Int: MatchEdge] = [:]
        var joining: [MatchEdge] = []
        @discardableResult
        func join(_ edge: MatchEdge, _ a: Int, _ b: Int) -> UnionFind.Outcome {
            let outcome = sets.union(a, b)
            guard outcome == .joined else { return outcome }
            if joinedBy[a] == nil { joinedBy[a] = edge }
            if joinedBy[b] == nil { joinedBy[b] = edge }
            if edge.kind == .name || edge.kind == .altDomain { joining.append(edge) }
            return outcome
        }
        for decision in same {
            let edge = MatchEdge(decision.pair.a, decision.pair.b, score: 2, kind: .decision, reason: "steward decision \(decision.pair.id)")
            if join(edge, decision.a, decision.b) == .decided { unapplied.append(UnappliedDecision(id: decision.pair.id, reason: .contradicted)) }
        }
        for edge in bestFirst(.domain) { if let (a, b) = indices(edge) { join(edge, a, b) } }
        for edge in alternates { if let (a, b) = indices(edge) { join(edge, a, b) } }
        var platformEdges: [(edge: MatchEdge, page: Int, other: Int)] = []
        for edge in bestFirst(.name) {
            guard let (a, b) = indices(edge) else { continue }
            switch (sorted[a].platformTenant, sorted[b].platformTenant) {
            case (false, false):
                if join(edge, a, b) == .companies { refused.append(edge) }
            case (true, false): platformEdges.append((edge, a, b))
            case (false, true): platformEdges.append((edge, b, a))
            case (true, true): continue  // two pages are never one company by name alone
            }
        }

        // 4. Platform pages: a group of pages of one tenant joins an account
        //    when every page of it has name evidence for that one account.
        var targets: [Int: Set<Int>] = [:]
        var pagesWithEvidence: [Int: Set<Int>] = [:]
        for item in platformEdges {
            let group = sets.find(item.page)
            targets[group, default: []].insert(sets.find(item.other))
            pagesWithEvidence[group, default: []].insert(item.page)
        }
        var groupSize: [Int: Int] = [:]
        for index in sorted.indices where targets[sets.find(index)] != nil { groupSize[sets.find(index), default: 0] += 1 }
        for item in platformEdges {
            let group = sets.find(item.page)
            guard !sets.isSolid(group) else { continue }
            if targets[group]?.count == 1 && pagesWithEvidence[group]?.count == groupSize[group] {
                join(item.edge, item.page, item.other)
            } else {
                refused.append(item.edge)
            }
        }

        var groups: [Int: [Int]] = [:]
        for index in sorted.indices { groups[sets.find(index), default: []].append(index) }
        let clusters = groups.values.map { group in
            var members: [RecordKey: MatchMethod] = [:]
            var reasons: [RecordKey: String] = [:]
            for index in group {
                let key = sorted[index].key
                guard group.count > 1, let edge = joinedBy[index] else {
                    members[key] = .single
                    continue
                }
                members[key] = switch edge.kind {
                case .domain: .domain
                case .altDomain: .altDomain
                case .name, .nearName: .name
                case .decision: .decision
                }
                reasons[key] = edge.reason
            }
            return AccountCluster(anchor: group.map { sorted[$0].key }.min() ?? sorted[group[0]].key, members: members, reasons: reasons)
        }.sorted { $0.anchor < $1.anchor }
        let nearMisses = bestFirst(.nearName).filter { edge in
            guard let (a, b) = indices(edge) else { return false }
            return sets.find(a) != sets.find(b) && !apartPairs.contains(MatchDecisions.Pair(edge.a, edge.b))
        }
        func byPair(_ edges: [MatchEdge]) -> [MatchEdge] { edges.sorted { ($0.a, $0.b) < ($1.a, $1.b) } }
        return ClusterResolution(
            clusters: clusters, refused: byPair(refused), joining: byPair(joining), nearMisses: byPair(nearMisses),
            unapplied: unapplied.sorted { $0.id < $1.id })
    }

    /// The edges without those of detached records; the plain records a
    /// detached record held together by its domain (its group's first
    /// record, which every other one joins) are chained to each other instead.
    static func withoutDetached(
        _ edges: Set<MatchEdge>, detached: Set<Int>, sorted: [MatchRecord], position: [RecordKey: Int]
    ) -> Set<MatchEdge> {
        guard !detached.isEmpty else { return edges }
        var kept = Set<MatchEdge>()
        var orphaned: [Int: [MatchEdge]] = [:]
        for edge in edges {
            guard let a = position[edge.a], let b = position[edge.b] else { continue }
            switch (detached.contains(a), detached.contains(b)) {
            case (false, false): kept.insert(edge)
            case (true, false) where edge.kind == .domain && !sorted[b].preventOverride && !sorted[a].preventOverride:
                orphaned[a, default: []].append(edge)
            case (false, true) where edge.kind == .domain && !sorted[a].preventOverride && !sorted[b].preventOverride:
                orphaned[b, default: []].append(edge)
            default: continue
            }
        }
        for (center, group) in orphaned {
            let others = group.map { edge in edge.a == sorted[center].key ? edge.b : edge.a }.sorted()
            for (first, next) in zip(others, others.dropFirst()) {
                kept.insert(MatchEdge(first, next, score: group[0].score, kind: .domain, reason: group[0].reason))
            }
        }
        return kept
    }
}

/// Union-find over records that remembers, per set, its company (the set of
/// own domains it holds, or none) and whether it holds a record that is not a
/// platform page.
struct UnionFind {
    private var parent: [Int]
    private var rank: [Int]
    private var company: [Int]
    private var solid: [Bool]
    private var apart: ApartConstraints

    enum Outcome { case joined, alreadyOne, companies, decided }

    init(company: [Int], solid: [Bool], apart: ApartConstraints = ApartConstraints([])) {
        parent = Array(company.indices)
        rank = [Int](repeating: 0, count: company.count)
        self.company = company
        self.solid = solid
        self.apart = apart
    }

    mutating func find(_ x: Int) -> Int { Forest.root(of: x, in: &parent) }

    func isSolid(_ root: Int) -> Bool { solid[root] }

    /// Both sets hold own domains, of different companies.
    mutating func conflict(_ a: Int, _ b: Int) -> Bool {
        let (left, right) = (company[find(a)], company[find(b)])
        return left >= 0 && right >= 0 && left != right
    }

    /// Joins the sets of `a` and `b` unless they are one set already, hold
    /// different companies' domains, or hold the two records of a
    /// `different` decision.
    mutating func union(_ a: Int, _ b: Int) -> Outcome {
        let rootA = find(a), rootB = find(b)
        if rootA == rootB { return .alreadyOne }
        if conflict(rootA, rootB) { return .companies }
        if apart.conflict(rootA, rootB) { return .decided }
        let merged = (company[rootA] >= 0 ? company[rootA] : company[rootB], solid[rootA] || solid[rootB])
        let (child, root) = rank[rootA] < rank[rootB] ? (rootA, rootB) : (rootB, rootA)
        parent[child] = root
        if rank[rootA] == rank[rootB] { rank[root] += 1 }
        (company[root], solid[root]) = merged
        apart.merge(child, into: root)
        return .joined
    }
}

/// Union-find over own domains: the domains one company goes by, at most
/// `limit` of them.
struct DomainSets {
    private var parent: [Int]
    private var size: [Int]

    init(count: Int) {
        parent = Array(0..<count)
        size = [Int](repeating: 1, count: count)
    }

    mutating func find(_ x: Int) -> Int { Forest.root(of: x, in: &parent) }

    mutating func union(_ a: Int, _ b: Int, limit: Int) -> Bool {
        let rootA = find(a), rootB = find(b)
        if rootA == rootB { return true }
        guard size[rootA] + size[rootB] <= limit else { return false }
        let (child, root) = size[rootA] < size[rootB] ? (rootA, rootB) : (rootB, rootA)
        parent[child] = root
        size[root] += size[child]
        return true
    }
}

/// The root of a node in a forest of parent links, compressing the path.
enum Forest {
    static func root(of x: Int, in parent: inout [Int]) -> Int {
        var root = x
        while parent[root] != root { root = parent[root] }
        var node = x
        while parent[node] != root { (node, parent[node]) = (parent[node], root) }
        return root
    }
}

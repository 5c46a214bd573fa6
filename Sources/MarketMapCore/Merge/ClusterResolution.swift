/// What resolving the candidate edges gave: the clusters, and the edges the
/// guards refused (a name match between two accounts with different own
/// domains, an alternate domain past the per-account limit, a platform page
/// that fits several accounts): the weakest links of would-be runaway
/// clusters, for review.
public struct ClusterResolution: Sendable {
    public var clusters: [AccountCluster]
    public var refused: [MatchEdge]
}

extension AccountClustering {
    public static func resolve(_ records: [MatchRecord], edges: [MatchEdge], settings: MatchSettings = MatchSettings()) -> [AccountCluster] {
        resolution(records, edges: edges, settings: settings).clusters
    }

    /// Clusters from candidate edges (from any number of shards, in any order,
    /// duplicates allowed), in a fixed order of evidence:
    /// 1. alternate-domain edges best-first link domains into one company's
    ///    set of domains, never more than `maxDomainsPerAccount`;
    /// 2. same-domain edges, then the accepted alternate-domain edges, join records;
    /// 3. name edges between records that are not platform pages, best-first,
    ///    never joining two accounts whose own domains differ;
    /// 4. last, each group of platform pages (records of one tenant) joins the
    ///    one account its name edges point to when every page of the group has
    ///    such an edge; none when they point to several or some page has none.
    /// So a platform page never joins two accounts and never changes how the
    /// other records cluster.
    public static func resolution(_ records: [MatchRecord], edges: [MatchEdge], settings: MatchSettings = MatchSettings()) -> ClusterResolution {
        let sorted = records.sorted { $0.key < $1.key }
        var position: [RecordKey: Int] = [:]
        for (index, record) in sorted.enumerated() { position[record.key] = index }
        func indices(_ edge: MatchEdge) -> (Int, Int)? {
            guard let a = position[edge.a], let b = position[edge.b] else { return nil }
            return (a, b)
        }
        let unique = Set(edges)
        func bestFirst(_ kind: MatchEdge.Kind) -> [MatchEdge] {
            unique.filter { $0.kind == kind }.sorted { ($0.score, $1.a, $1.b) > ($1.score, $0.a, $0.b) }
        }
        var refused: [MatchEdge] = []

        // 1. Domain sets.
        var domainIDs: [String: Int] = [:]
        for record in sorted { if let domain = record.ownDomain, domainIDs[domain] == nil { domainIDs[domain] = domainIDs.count } }
        var companies = DomainSets(count: domainIDs.count)
        var alternates: [MatchEdge] = []
        for edge in bestFirst(.altDomain) {
            guard let (a, b) = indices(edge), let left = sorted[a].ownDomain.flatMap({ domainIDs[$0] }),
                let right = sorted[b].ownDomain.flatMap({ domainIDs[$0] })
            else { continue }
            if companies.union(left, right, limit: settings.maxDomainsPerAccount) { alternates.append(edge) } else { refused.append(edge) }
        }
        let company = sorted.map { record in record.ownDomain.flatMap { domainIDs[$0] }.map { companies.find($0) } ?? -1 }

        // 2.–3. Records.
        var sets = UnionFind(company: company, solid: sorted.map { !$0.platformTenant })
        var joinedBy: [Int: MatchEdge] = [:]
        func join(_ edge: MatchEdge, _ a: Int, _ b: Int) {
            guard sets.union(a, b) else { return }
            if joinedBy[a] == nil { joinedBy[a] = edge }
            if joinedBy[b] == nil { joinedBy[b] = edge }
        }
        for edge in bestFirst(.domain) { if let (a, b) = indices(edge) { join(edge, a, b) } }
        for edge in alternates { if let (a, b) = indices(edge) { join(edge, a, b) } }
        var platformEdges: [(edge: MatchEdge, page: Int, other: Int)] = []
        for edge in bestFirst(.name) {
            guard let (a, b) = indices(edge) else { continue }
            switch (sorted[a].platformTenant, sorted[b].platformTenant) {
            case (false, false):
                if sets.conflict(a, b) { refused.append(edge) } else { join(edge, a, b) }
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
                case .name: .name
                }
                reasons[key] = edge.reason
            }
            return AccountCluster(anchor: group.map { sorted[$0].key }.min() ?? sorted[group[0]].key, members: members, reasons: reasons)
        }.sorted { $0.anchor < $1.anchor }
        return ClusterResolution(clusters: clusters, refused: refused.sorted { ($0.a, $0.b) < ($1.a, $1.b) })
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

    init(company: [Int], solid: [Bool]) {
        parent = Array(company.indices)
        rank = [Int](repeating: 0, count: company.count)
        self.company = company
        self.solid = solid
    }

    mutating func find(_ x: Int) -> Int { Forest.root(of: x, in: &parent) }

    func isSolid(_ root: Int) -> Bool { solid[root] }

    /// Both sets hold own domains, of different companies.
    mutating func conflict(_ a: Int, _ b: Int) -> Bool {
        let (left, right) = (company[find(a)], company[find(b)])
        return left >= 0 && right >= 0 && left != right
    }

    /// Joins the sets of `a` and `b`; false when they were already one set or
    /// hold different companies' domains.
    mutating func union(_ a: Int, _ b: Int) -> Bool {
        let rootA = find(a), rootB = find(b)
        if rootA == rootB || conflict(rootA, rootB) { return false }
        let merged = (company[rootA] >= 0 ? company[rootA] : company[rootB], solid[rootA] || solid[rootB])
        let (child, root) = rank[rootA] < rank[rootB] ? (rootA, rootB) : (rootB, rootA)
        parent[child] = root
        if rank[rootA] == rank[rootB] { rank[root] += 1 }
        (company[root], solid[root]) = merged
        return true
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

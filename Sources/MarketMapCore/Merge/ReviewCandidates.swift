/// What a merge asks a person to look at (`review_items.kind`).
public enum ReviewItemKind: String, Sendable, Codable, CaseIterable {
    /// Two records joined on a name alone.
    case nameMatch = "name_match"
    /// Two records joined on another domain of the same name.
    case altDomain = "alt_domain"
    /// Three or more records held together by name evidence only.
    case weakCluster = "weak_cluster"
    /// A match a runaway guard refused (it would have joined two accounts).
    case guardSplit = "guard_split"
    /// A name pair just below the match threshold: not joined.
    case nearMiss = "near_miss"
    /// A golden account whose sources disagree on domain or country.
    case disagreement

    public var title: String {
        switch self {
        case .nameMatch: "name match"
        case .altDomain: "alternate domain"
        case .weakCluster: "weak cluster"
        case .guardSplit: "split by a guard"
        case .nearMiss: "just below the threshold"
        case .disagreement: "sources disagree"
        }
    }
}

/// One thing the merge asks a person to look at, before it is stored: a
/// pair of records (or a cluster, by its anchor), the evidence, and what the
/// merge did. Source disagreements come from the stored conflicts instead.
public struct ReviewCandidate: Sendable, Equatable {
    public var kind: ReviewItemKind
    public var a: RecordKey
    public var b: RecordKey?
    public var score: Double?
    public var evidence: String
    /// `joined`, `kept apart`, `not joined`, `kept together`.
    public var action: String

    /// Stable while the merge keeps producing the item.
    public var key: String { [kind.rawValue, a.description, b?.description ?? ""].joined(separator: "|") }
}

extension ClusterResolution {
    /// Every name-only match, every cluster held together by name evidence
    /// (three or more records, two or more joined by a name), every match a
    /// guard refused and every pair just below the threshold.
    public var reviewCandidates: [ReviewCandidate] {
        func pair(_ kind: ReviewItemKind, _ edge: MatchEdge, _ action: String) -> ReviewCandidate {
            ReviewCandidate(kind: kind, a: edge.a, b: edge.b, score: edge.score, evidence: edge.reason, action: action)
        }
        var items = joining.map { pair($0.kind == .altDomain ? .altDomain : .nameMatch, $0, "joined") }
        items += refused.map { pair(.guardSplit, $0, "kept apart") }
        items += nearMisses.map { pair(.nearMiss, $0, "not joined") }
        for cluster in clusters where cluster.members.count >= 3 {
            let byName = cluster.members.filter { $0.value == .name || $0.value == .altDomain }.keys.sorted()
            guard byName.count >= 2 else { continue }
            let evidence = byName.map { "\($0): \(cluster.reasons[$0] ?? "")" }.joined(separator: "; ")
            items.append(ReviewCandidate(
                kind: .weakCluster, a: cluster.anchor, b: nil, score: nil,
                evidence: "\(cluster.members.count) records, \(byName.count) joined by name: " + evidence, action: "kept together"))
        }
        return items
    }
}

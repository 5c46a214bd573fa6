/// The CRM whose merge rules a merge plan follows.
public enum CRMKind: String, Sendable, Codable, CaseIterable {
    case salesforce, hubspot

    /// The CRM an export format comes from; nil for a generic export.
    public init?(format: ExportFormat) {
        switch format {
        case .salesforce: self = .salesforce
        case .hubspot: self = .hubspot
        case .generic: return nil
        }
    }

    /// The export format of this CRM.
    public var format: ExportFormat {
        switch self {
        case .salesforce: .salesforce
        case .hubspot: .hubspot
        }
    }

    /// Records one merge call folds into the master: Salesforce's `merge`
    /// takes a master and up to two more records; HubSpot merges two companies
    /// (a primary and one to merge into it).
    public var duplicatesPerMerge: Int {
        switch self {
        case .salesforce: 2
        case .hubspot: 1
        }
    }
}

/// One merge call: `duplicates` merge into `master` (record ids of one CRM instance).
public struct MergeStep: Sendable, Equatable {
    /// 1, 2, ...: the order of the calls within a group.
    public var number: Int
    public var master: String
    public var duplicates: [String]

    public init(number: Int, master: String, duplicates: [String]) {
        self.number = number
        self.master = master
        self.duplicates = duplicates
    }
}

/// The records of one golden account in one CRM instance, as the CRM merges them.
public struct MergeGroupPlan: Sendable, Equatable {
    public var master: String
    public var steps: [MergeStep]

    /// Every record merged away, in step order.
    public var duplicates: [String] { steps.flatMap(\.duplicates) }
}

/// Plans the merges that leave a CRM instance one record per golden account
/// (`DOMAIN.md` §3, the merge plan): the master is the record survivorship
/// ranks first among the instance's records; the others merge into it in as
/// few calls as the CRM allows, all into the same master.
public enum MergePlanner {
    /// `records`: one instance's records of one golden account. Nil for fewer than two.
    public static func plan(_ records: [SurvivorCandidate], crm: CRMKind) -> MergeGroupPlan? {
        let ranked = Survivorship.ranked(records)
        guard ranked.count > 1, let master = ranked.first else { return nil }
        let id = master.key.sourceID
        return MergeGroupPlan(master: id, steps: steps(master: id, duplicates: ranked.dropFirst().map(\.key.sourceID), crm: crm))
    }

    /// `duplicates` in calls of at most `crm.duplicatesPerMerge`, in order:
    /// ceil(k / 2) calls for Salesforce, k for HubSpot.
    public static func steps(master: String, duplicates: [String], crm: CRMKind) -> [MergeStep] {
        let size = crm.duplicatesPerMerge
        return stride(from: 0, to: duplicates.count, by: size).enumerated().map { index, start in
            MergeStep(number: index + 1, master: master, duplicates: Array(duplicates[start..<min(duplicates.count, start + size)]))
        }
    }
}

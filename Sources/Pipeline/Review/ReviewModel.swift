import Foundation
import MarketMapCore

/// A steward's decision (`review_decisions.kind`).
public enum DecisionKind: String, Sendable, Codable, CaseIterable {
    /// These two records are one account.
    case same
    /// These two records are never in one account, whatever rule says otherwise.
    case different
    /// This record leaves its golden account.
    case detach
    /// This field of the golden account holding the record keeps this value.
    case pin

    /// A decision on a pair of records.
    public var isPair: Bool { self == .same || self == .different }
}

/// One source record as a review shows it.
public struct ReviewRecord: Sendable, Codable, Equatable {
    public var key: RecordKey
    public var name: String
    public var website: String
    public var country: String
    public var city: String
    public var owner: String
    /// Its golden account now; nil when the record is gone.
    public var goldenID: Int64?
    /// How it joined that account (`account_lineage.match_method`).
    public var matchMethod: String

    public init(
        key: RecordKey, name: String = "", website: String = "", country: String = "", city: String = "", owner: String = "",
        goldenID: Int64? = nil, matchMethod: String = ""
    ) {
        self.key = key
        self.name = name
        self.website = website
        self.country = country
        self.city = city
        self.owner = owner
        self.goldenID = goldenID
        self.matchMethod = matchMethod
    }
}

/// A stored decision, active or undone.
public struct ReviewDecision: Sendable, Codable, Equatable {
    public var id: Int64
    public var kind: DecisionKind
    public var a: RecordKey
    /// The other record of a `same` or `different` decision.
    public var b: RecordKey?
    /// A `pin`'s field and value.
    public var field: String?
    public var value: String?
    public var decidedBy: String
    public var decidedAt: String
    public var note: String
    public var itemID: Int64?
    public var undoneBy: String?
    public var undoneAt: String?

    public var isActive: Bool { undoneAt == nil }
}

/// One review item, with every record it is about.
public struct ReviewItem: Sendable, Codable, Equatable {
    public var id: Int64
    public var kind: ReviewItemKind
    public var score: Double?
    /// Why the merge did what it did, e.g. `name 0.93, country GB, city agrees`.
    public var evidence: String
    /// What the merge did: `joined`, `kept apart`, `not joined`, `kept together`.
    public var action: String
    public var goldenID: Int64?
    /// Both sides of a pair, or every member of a cluster or account.
    public var records: [ReviewRecord]
    /// The golden account's country, owner (rep) and best tier, for filters.
    public var country: String
    public var rep: String
    public var tier: String
    /// The active decision that answers this item, if any.
    public var decision: ReviewDecision?
}

/// Which items to list.
public struct ReviewFilter: Sendable, Equatable {
    public var kind: ReviewItemKind?
    public var country: String?
    public var rep: String?
    public var tier: String?
    /// Decided items too (default: open ones only).
    public var includeDecided = false
    public var limit = 100
    public var offset = 0

    public init(
        kind: ReviewItemKind? = nil, country: String? = nil, rep: String? = nil, tier: String? = nil, includeDecided: Bool = false,
        limit: Int = 100, offset: Int = 0
    ) {
        self.kind = kind
        self.country = country
        self.rep = rep
        self.tier = tier
        self.includeDecided = includeDecided
        self.limit = limit
        self.offset = offset
    }
}

/// A decision to store.
public struct NewDecision: Sendable, Equatable {
    public var kind: DecisionKind
    public var a: RecordKey
    public var b: RecordKey?
    public var field: String?
    public var value: String?
    public var by: String
    public var note: String
    public var itemID: Int64?

    public init(
        kind: DecisionKind, a: RecordKey, b: RecordKey? = nil, field: String? = nil, value: String? = nil, by: String,
        note: String = "", itemID: Int64? = nil
    ) {
        self.kind = kind
        self.a = a
        self.b = b
        self.field = field
        self.value = value
        self.by = by
        self.note = note
        self.itemID = itemID
    }
}

/// What a decision would do, shown before it is saved.
public struct DecisionEffect: Sendable, Codable, Equatable {
    /// One sentence, e.g. `joins golden account 12 (3 records) and 40 (1 record) into one account of 4 records`.
    public var summary: String
    /// The golden accounts it touches, with their records now.
    public var accounts: [Int64: [ReviewRecord]]
}

/// Why a review command or page refused.
public enum ReviewError: Error, Equatable, CustomStringConvertible {
    case noSuchItem(Int64)
    case noSuchDecision(Int64)
    case noSuchRecord(RecordKey)
    case alreadyUndone(Int64)
    case invalid(String)

    public var description: String {
        switch self {
        case .noSuchItem(let id): "there is no review item \(id) (items are rebuilt by every merge: list them again)"
        case .noSuchDecision(let id): "there is no decision \(id)"
        case .noSuchRecord(let key): "there is no source account \(key) (source and id as imported)"
        case .alreadyUndone(let id): "decision \(id) is already undone"
        case .invalid(let message): message
        }
    }
}

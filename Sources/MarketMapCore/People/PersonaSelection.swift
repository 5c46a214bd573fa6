/// What became of one person a provider found.
public enum FoundOutcome: String, Sendable, Codable, CaseIterable {
    /// A new golden contact of the account.
    case created
    /// The account already has this person (the contact waterfall matched): linked, not created.
    case linkedEmail = "linked_email", linkedLinkedIn = "linked_linkedin", linkedName = "linked_name"
    /// Found again in the same search (another page or provider): one contact.
    case duplicate
    case negativeTitle = "negative_title"
    case belowMinimum = "below_minimum"
    /// A fit, but the account's quota for its persona tier is already met.
    case notNeeded = "not_needed"
    /// The person's country is one where no contact data is bought.
    case privacy
    /// The verifier rejected the email and there is no LinkedIn URL to reach the person by.
    case unverified
    /// Neither an email nor a LinkedIn URL: nobody to contact.
    case noContactData = "no_contact_data"

    public var isLinked: Bool { self == .linkedEmail || self == .linkedLinkedIn || self == .linkedName }

    static func linked(_ method: KnownContact.Method) -> FoundOutcome {
        switch method {
        case .email: .linkedEmail
        case .linkedin: .linkedLinkedIn
        case .name: .linkedName
        }
    }
}

/// Whether a found email was checked.
public enum Verification: Sendable, Equatable {
    case unchecked, accepted, rejected
}

/// A verifier's verdict on one address: its status text and the call's provenance.
public struct EmailCheck: Sendable, Equatable {
    public var status: String
    public var provider: String
    public var fetchedAt: String
    public var cost: Double
    public init(status: String, provider: String, fetchedAt: String, cost: Double) {
        (self.status, self.provider, self.fetchedAt, self.cost) = (status, provider, fetchedAt, cost)
    }
}

/// One found person with what the rubric and the verifier said.
public struct Candidate: Sendable, Equatable {
    public var person: FoundPerson
    public var fit: PersonaRubric.Fit
    public var verification: Verification = .unchecked
    /// The credits the person's share of its call cost.
    public var cost: Double = 0
    /// When the provider answered (a cached answer keeps its first time).
    public var fetchedAt: String = ""
    /// The verifier's verdict on the email, once asked.
    public var emailCheck: EmailCheck?

    public init(person: FoundPerson, fit: PersonaRubric.Fit) { (self.person, self.fit) = (person, fit) }

    /// The email a created contact gets: none once the verifier rejected it.
    public var usableEmail: String? { verification == .rejected ? nil : person.email }
}

/// The decision for one account's found people (pure): the contact waterfall
/// against the account's contacts, the rubric's negatives and minimum, the
/// privacy rules on the person's country, then the best-scoring new people
/// up to what the plan lacks per persona tier.
public struct PersonaSelection: Sendable, Equatable {
    public var outcomes: [FoundOutcome]
    /// For linked and duplicate outcomes: the contact or candidate index matched.
    public var matched: [Int?]
    /// Still lacking after the chosen ones.
    public var lacking: PersonaQuota

    public var chosen: [Int] { outcomes.indices.filter { outcomes[$0] == .created } }

    public init(
        candidates: [Candidate], known: [KnownContact], lacking need: PersonaQuota, minimumScore: Double, privacy: [PrivacyRule]
    ) {
        var outcomes: [FoundOutcome?] = Array(repeating: nil, count: candidates.count)
        var matched: [Int?] = Array(repeating: nil, count: candidates.count)
        var eligible: [Int] = []
        var kept: [KnownContact] = []
        for (index, candidate) in candidates.enumerated() {
            let person = candidate.person
            if let hit = KnownContact.match(person, in: known) {
                (outcomes[index], matched[index]) = (FoundOutcome.linked(hit.method), hit.id)
            } else if let earlier = KnownContact.match(person, in: kept) {
                (outcomes[index], matched[index]) = (.duplicate, earlier.id)
            } else if let rule = PrivacyRule.rule(for: person.country, in: privacy), rule.policy != .allow {
                outcomes[index] = .privacy
            } else if candidate.fit.tier == nil {
                outcomes[index] = .negativeTitle
            } else if candidate.fit.score < minimumScore {
                outcomes[index] = .belowMinimum
            } else if person.email == nil && person.linkedIn == nil {
                outcomes[index] = .noContactData
            } else if candidate.usableEmail == nil && person.linkedIn == nil {
                outcomes[index] = .unverified
            } else {
                eligible.append(index)
            }
            kept.append(KnownContact(id: index, email: person.email, linkedIn: person.linkedIn, firstName: person.firstName, lastName: person.lastName))
        }
        // The best first; ties keep the order found (provider order, then the provider's order).
        eligible.sort { (candidates[$0].fit.score, -$0) > (candidates[$1].fit.score, -$1) }
        var left = need
        for index in eligible {
            guard let tier = candidates[index].fit.tier, left[tier] > 0 else {
                outcomes[index] = .notNeeded
                continue
            }
            left[tier] -= 1
            outcomes[index] = .created
        }
        self.outcomes = outcomes.map { $0 ?? .notNeeded }
        self.matched = matched
        lacking = left
    }
}

/// How an account of the people plan ended in a run.
public enum PeopleStatus: String, Sendable, Codable, CaseIterable {
    /// Everything the plan lacked was found.
    case found
    /// Some found; the rest the providers did not have (or `: budget`, `: failed`).
    case partial, partialBudget = "partial: budget", partialFailed = "partial: failed"
    /// Nobody new: providers had no fit, the budget was spent, or calls failed.
    case noneFound = "none found", budget, failed
    /// A privacy rule forbids buying contact data for the account's country.
    case privacy
    /// Every provider's `only_run_if` or inputs ruled the account out.
    case skipped
    /// A plan-only run: what the account would cost, nothing bought.
    case planned

    /// The status from what happened: personas still lacking, contacts
    /// created, and whether a search ran out of budget or failed.
    public static func of(lacking: PersonaQuota, created: Int, searched: Bool, budget: Bool, failed: Bool) -> PeopleStatus {
        if lacking.total == 0 { return .found }
        if created > 0 { return budget ? .partialBudget : failed ? .partialFailed : .partial }
        if budget { return .budget }
        if failed { return .failed }
        return searched ? .noneFound : .skipped
    }
}

/// What one provider did for one account (kept with the account's people status).
public enum PeopleAttemptOutcome: String, Sendable, Codable {
    case searched, cached, notFound = "not_found", skipped, failed, budget, privacy, planned, verified
}

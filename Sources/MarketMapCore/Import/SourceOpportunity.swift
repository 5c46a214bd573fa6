/// One opportunity (deal) row of one source: feeds win rates, revenue and
/// valuation calibration.
public struct SourceOpportunity: Sendable, Equatable {
    public var sourceID: String
    public var accountSourceID: String
    public var name: String?
    public var amount: Double?
    public var stage: String?
    public var closeDate: String?
    public var isClosed: Bool
    public var isWon: Bool
    public var owner: String?
    public var extra: [String: String]
    public var contentHash: String
}

/// Turns the cells of one opportunity row into a `SourceOpportunity`, or says why not.
public struct OpportunityRowMapper: Sendable {
    public let context: RowContext
    public init(_ context: RowContext) { self.context = context }

    /// The id the row is stored under (opportunities never derive one).
    public func recordID(_ cells: [String]) -> String? { context.cells(cells).value("source_id") }

    public func map(_ cells: [String]) -> Result<SourceOpportunity, RowProblem> {
        let row = context.cells(cells)
        if let problem = row.overflow { return .failure(problem) }
        guard let accountID = row.value("account_id") else {
            return .failure(RowProblem(reason: "no account id (the opportunity cannot be linked to an account)"))
        }
        if let problem = RecordIdentity.problem(accountID, what: "account id") { return .failure(problem) }
        let amount: Double?
        switch ValueParsers.money(row.value("amount")) {
        case .success(let value): amount = value
        case .failure(let error): return .failure(RowProblem(reason: "amount \(RejectText.quote(error.value)) is not an amount"))
        }
        let closeDate: String?
        switch ValueParsers.date(row.value("close_date")) {
        case .success(let date): closeDate = date
        case .failure(let error): return .failure(RowProblem(reason: "close date \(RejectText.quote(error.value)) is not a date"))
        }
        let stage = row.value("stage")
        let (isClosed, isWon) = Self.outcome(stage: stage, closed: row.value("is_closed"), won: row.value("is_won"))
        guard let sourceID = row.value("source_id") else { return .failure(RowProblem(reason: "the record id is blank")) }
        if let problem = RecordIdentity.problem(sourceID) { return .failure(problem) }
        var opportunity = SourceOpportunity(
            sourceID: sourceID, accountSourceID: accountID, name: row.value("name"), amount: amount, stage: stage,
            closeDate: closeDate, isClosed: isClosed, isWon: isWon, owner: row.value("owner"), extra: row.extras,
            contentHash: "")
        opportunity.contentHash = ContentHash.of(
            [sourceID, accountID, opportunity.name, amount.map { String($0) }, stage, closeDate, isClosed ? "1" : "0",
             isWon ? "1" : "0", opportunity.owner] + opportunity.extra.keys.sorted().flatMap { [$0, opportunity.extra[$0]] })
        return .success(opportunity)
    }

    /// Won/closed from explicit flags (Salesforce `IsWon`, `IsClosed`), else
    /// from the stage name (`Closed Won`, HubSpot `closedwon`, `Closed Lost`).
    static func outcome(stage: String?, closed: String?, won: String?) -> (closed: Bool, won: Bool) {
        let key = stage.map(HeaderAliases.key) ?? ""
        let stageWon = key.contains("closedwon") || key == "won"
        let stageClosed = stageWon || key.contains("closedlost") || key == "lost" || key.hasPrefix("closed")
        let isWon = won.map(ValueParsers.flag) ?? stageWon
        let isClosed = closed.map(ValueParsers.flag) ?? stageClosed
        return (isClosed || isWon, isWon)
    }
}

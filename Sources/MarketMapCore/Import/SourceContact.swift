/// One contact row of one source, normalized (`DOMAIN.md` §1–§2).
public struct SourceContact: Sendable, Equatable {
    public var sourceID: String
    /// The source's id of the contact's account (links to `source_accounts`).
    public var accountSourceID: String
    public var firstName: String?
    public var lastName: String?
    public var email: String?
    public var emailDomain: String?
    public var linkedIn: String?
    public var title: String?
    public var seniority: Seniority?
    public var department: Department?
    public var country: String?
    public var state: String?
    public var owner: String?
    public var roleStart: String?
    public var extra: [String: String]
    public var contentHash: String
}

/// Turns the cells of one contact row into a `SourceContact`, or says why not.
public struct ContactRowMapper: Sendable {
    public let context: RowContext
    public init(_ context: RowContext) { self.context = context }
    var mapping: HeaderMapping { context.mapping }
    var format: ExportFormat { context.format }
    var domains: DomainNormalizer { context.domains }

    /// `gen:` and a hash of account id, email, LinkedIn URL and name: stable across re-imports.
    static func derivedID(accountID: String, email: NormalizedEmail?, linkedIn: String?, row: RowCells) -> String {
        "gen:" + ContentHash.of([accountID, email?.address, linkedIn, row.value("first_name"), row.value("last_name")])
    }

    /// The id the row is stored under: its record id, or (where the file
    /// derives ids) one derived from its identity; nil when it has neither.
    /// Staging keys duplicates on it.
    public func recordID(_ cells: [String]) -> String? {
        let row = context.cells(cells)
        if let id = row.value("source_id") { return id }
        guard RecordIdentity.derives(kind: .contacts, format: format, mapping: mapping), let accountID = row.value("account_id") else { return nil }
        return Self.derivedID(
            accountID: accountID, email: EmailNormalizer.normalize(row.value("email"), domains: domains),
            linkedIn: LinkedInNormalizer.normalize(row.value("linkedin")), row: row)
    }

    public func map(_ cells: [String]) -> Result<SourceContact, RowProblem> {
        let row = context.cells(cells)
        if let problem = row.overflow { return .failure(problem) }
        guard let accountID = row.value("account_id") else {
            return .failure(RowProblem(reason: "no account id (the contact cannot be linked to an account)"))
        }
        if let problem = RecordIdentity.problem(accountID, what: "account id") { return .failure(problem) }
        let rawEmail = row.value("email")
        let email = EmailNormalizer.normalize(rawEmail, domains: domains)
        let linkedIn = LinkedInNormalizer.normalize(row.value("linkedin"))
        let lastName = row.value("last_name")
        if email == nil && linkedIn == nil {
            if let rawEmail { return .failure(RowProblem(reason: "email \(RejectText.quote(rawEmail)) is not an address, and there is no LinkedIn URL")) }
            if lastName == nil { return .failure(RowProblem(reason: "no email, LinkedIn URL or name")) }
        }
        let roleStart: String?
        switch ValueParsers.date(row.value("role_start")) {
        case .success(let date): roleStart = date
        case .failure(let error): return .failure(RowProblem(reason: "start date in role \(RejectText.quote(error.value)) is not a date"))
        }
        let title = row.value("title")
        let titleClass = TitleClassifier.classify(title)
        let countryRaw = row.value("country")
        let country = GeographyNormalizer.country(countryRaw)
        let stateRaw = row.value("state")
        var sourceID = row.value("source_id")
        if sourceID == nil {
            guard RecordIdentity.derives(kind: .contacts, format: format, mapping: mapping) else {
                return .failure(RowProblem(reason: "the record id is blank"))
            }
            sourceID = Self.derivedID(accountID: accountID, email: email, linkedIn: linkedIn, row: row)
        }
        if let problem = sourceID.flatMap({ RecordIdentity.problem($0) }) { return .failure(problem) }
        var contact = SourceContact(
            sourceID: sourceID ?? "", accountSourceID: accountID, firstName: row.value("first_name"), lastName: lastName,
            email: email?.address, emailDomain: email?.domain?.registrable, linkedIn: linkedIn, title: title,
            seniority: titleClass?.seniority, department: titleClass?.department, country: country,
            state: GeographyNormalizer.state(stateRaw, country: country) ?? stateRaw, owner: row.value("owner"),
            roleStart: roleStart, extra: row.extras, contentHash: "")
        contact.contentHash = ContentHash.of(
            [contact.sourceID, accountID, contact.firstName, lastName, rawEmail, row.value("linkedin"), title, countryRaw,
             stateRaw, contact.owner, roleStart] + contact.extra.keys.sorted().flatMap { [$0, contact.extra[$0]] })
        return .success(contact)
    }
}

/// Cell access by canonical field for one row.
struct RowCells {
    let cells: [String]
    let mapping: HeaderMapping
    let columnCount: Int

    func value(_ field: String) -> String? { cell(mapping.fields[field]) }

    /// The value of an evidence column (`HeaderMapping.evidence`), which is also an extra.
    func evidence(_ field: String) -> String? { cell(mapping.evidence[field]) }

    private func cell(_ index: Int?) -> String? {
        guard let index, index < cells.count else { return nil }
        return ValueParsers.clean(cells[index])
    }

    /// A row with more non-empty cells than the header has columns.
    var overflow: RowProblem? {
        guard cells.count > columnCount, cells[columnCount...].contains(where: { !$0.trimmedWhitespace.isEmpty }) else { return nil }
        return RowProblem(reason: "row has \(cells.count) cells but the header has \(columnCount) (a stray delimiter or quote?)")
    }

    /// Unknown columns, header → value.
    var extras: [String: String] {
        var extra: [String: String] = [:]
        for (index, header) in mapping.extras where index < cells.count {
            if let text = ValueParsers.clean(cells[index]) { extra[header] = text }
        }
        return extra
    }
}

import Foundation

/// One account row of one source, normalized (`DOMAIN.md` §1–§2).
public struct SourceAccount: Sendable, Equatable {
    public var sourceID: String
    public var name: String?
    public var nameNormalized: String?
    public var website: String?
    public var domain: NormalizedDomain?
    public var industry: String?
    public var employees: Int?
    public var annualRevenue: Double?
    public var country: String?
    public var countryRaw: String?
    public var state: String?
    public var city: String?
    public var owner: String?
    public var parentID: String?
    public var type: String?
    public var lastActivity: String?
    public var preventOverride: Bool
    /// Unknown columns, header → value (custom ICP criteria often live here).
    public var extra: [String: String]
    public var contentHash: String
    /// The phone number's and the postcode's keys (`ContactPoints`), read off
    /// their columns, which stay among `extra` as the CRM holds them: evidence for matching.
    public var phoneKey: String? = nil
    public var postcodeKey: String? = nil
}

/// Why a row could not be used.
public struct RowProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}

/// What every row mapper needs: which column holds what, the export's
/// conventions, the header's width, and the domain normalizer.
public struct RowContext: Sendable {
    public let mapping: HeaderMapping
    public let format: ExportFormat
    public let columnCount: Int
    public let domains: DomainNormalizer
    /// The legal forms names drop (`match.legal_forms` added to the built-in ones).
    public let legalForms: LegalForms

    public init(mapping: HeaderMapping, format: ExportFormat, columnCount: Int, domains: DomainNormalizer, legalForms: LegalForms = .builtIn) {
        self.mapping = mapping
        self.format = format
        self.columnCount = columnCount
        self.domains = domains
        self.legalForms = legalForms
    }

    func cells(_ cells: [String]) -> RowCells { RowCells(cells: cells, mapping: mapping, columnCount: columnCount) }
}

/// Turns the cells of one account row into a `SourceAccount`, or says why not.
public struct AccountRowMapper: Sendable {
    public let context: RowContext
    public init(_ context: RowContext) { self.context = context }
    var mapping: HeaderMapping { context.mapping }
    var format: ExportFormat { context.format }
    var domains: DomainNormalizer { context.domains }

    /// The fields a row's identity (and a derived id) is made of.
    struct Identity {
        var name: String?, normalizedName: String?, website: String?, domain: NormalizedDomain?, countryRaw: String?, country: String?
        /// The name normalized with the built-in legal forms only: a derived id
        /// must not change when a configuration adds a legal form.
        var builtInName: String?

        /// `gen:` and a hash of normalized name, registrable domain and country: stable across re-imports.
        var derivedID: String? {
            guard builtInName != nil || domain != nil else { return nil }
            return "gen:" + ContentHash.of([builtInName, domain?.registrable, country])
        }
    }

    func identity(_ row: RowCells) -> Identity {
        let name = row.value("name").map(TextFolding.collapseSpaces)
        let countryRaw = row.value("country")
        // A franchise branch keeps its location: it is what sets it apart from the corporate record.
        let branch = ValueParsers.flag(row.value("prevent_override"))
        func normalized(_ forms: LegalForms) -> String? {
            branch
                ? CompanyNameNormalizer.normalize(name, keepingQualifiers: true, forms: forms)
                : CompanyNameNormalizer.normalize(name, city: row.value("city"), forms: forms)
        }
        let normalizedName = normalized(context.legalForms)
        return Identity(
            name: name, normalizedName: normalizedName, website: row.value("domain") ?? row.value("website"),
            domain: domains.normalize(row.value("domain")) ?? domains.normalize(row.value("website")),
            countryRaw: countryRaw, country: GeographyNormalizer.country(countryRaw),
            builtInName: context.legalForms == .builtIn ? normalizedName : normalized(.builtIn))
    }

    /// The id the row is stored under: its record id, or (where the file
    /// derives ids) one derived from name, domain and country; nil when it
    /// has neither. Staging keys duplicates on it.
    public func recordID(_ cells: [String]) -> String? {
        let row = context.cells(cells)
        if let id = row.value("source_id") { return id }
        return RecordIdentity.derives(kind: .accounts, format: format, mapping: mapping) ? identity(row).derivedID : nil
    }

    public func map(_ cells: [String]) -> Result<SourceAccount, RowProblem> {
        let row = context.cells(cells)
        if let problem = row.overflow { return .failure(problem) }
        let value = row.value
        let id = identity(row)
        let name = id.name, website = id.website, domain = id.domain, normalizedName = id.normalizedName
        guard normalizedName != nil || domain != nil else {
            return .failure(RowProblem(reason: website == nil ? "no company name and no website/domain" : "no company name and the website \(RejectText.quote(website ?? "")) is not a domain"))
        }
        let employees: Int?
        switch ValueParsers.count(value("employees")) {
        case .success(let count): employees = count
        case .failure(let error): return .failure(RowProblem(reason: "employee count \(RejectText.quote(error.value)) is not a number"))
        }
        let revenue: Double?
        switch ValueParsers.money(value("annual_revenue")) {
        case .success(let amount): revenue = amount
        case .failure(let error): return .failure(RowProblem(reason: "annual revenue \(RejectText.quote(error.value)) is not an amount"))
        }
        let lastActivity: String?
        switch ValueParsers.date(value("last_activity")) {
        case .success(let date): lastActivity = date
        case .failure(let error): return .failure(RowProblem(reason: "last activity date \(RejectText.quote(error.value)) is not a date"))
        }
        let countryRaw = id.countryRaw, country = id.country
        let stateRaw = value("state")
        let extra = row.extras
        var sourceID = value("source_id")
        if sourceID == nil {
            guard RecordIdentity.derives(kind: .accounts, format: format, mapping: mapping) else {
                return .failure(RowProblem(reason: "the record id is blank"))
            }
            sourceID = id.derivedID
        }
        if let problem = sourceID.flatMap({ RecordIdentity.problem($0) }) { return .failure(problem) }
        var account = SourceAccount(
            sourceID: sourceID ?? "", name: name, nameNormalized: normalizedName, website: website, domain: domain,
            industry: value("industry"), employees: employees, annualRevenue: revenue, country: country,
            countryRaw: countryRaw, state: GeographyNormalizer.state(stateRaw, country: country) ?? stateRaw,
            city: value("city"), owner: value("owner"), parentID: value("parent_id"), type: value("type"),
            lastActivity: lastActivity, preventOverride: ValueParsers.flag(value("prevent_override")), extra: extra,
            contentHash: "")
        account.phoneKey = ContactPoints.phoneKey(row.evidence("phone"))
        account.postcodeKey = ContactPoints.postcodeKey(row.evidence("postal_code"), country: country)
        // The values as read and what normalization made of them: a record whose
        // normalized name, domain or country changes (another configuration, a
        // new version) has changed.
        account.contentHash = ContentHash.of(
            [account.sourceID, name, website, account.industry, employees.map(String.init), revenue.map { String($0) },
             countryRaw, stateRaw, account.city, account.owner, account.parentID, account.type, lastActivity,
             account.preventOverride ? "1" : "0", normalizedName, domain?.registrable, domain.map { $0.isIdentity ? "1" : "0" },
             account.country] + extra.keys.sorted().flatMap { [$0, extra[$0]] })
        return .success(account)
    }
}

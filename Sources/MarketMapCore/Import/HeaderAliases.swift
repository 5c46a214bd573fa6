/// What a file holds.
public enum RecordKind: String, Sendable, CaseIterable, Codable {
    case accounts, contacts, opportunities
}

/// Whose export conventions a file follows.
public enum ExportFormat: String, Sendable, CaseIterable, Codable {
    case salesforce, hubspot, generic
}

/// Header recognition: per kind and format, the UI labels and API names that
/// mean each canonical field. Matching ignores case, spaces and punctuation
/// (`Number of Employees` = `NumberOfEmployees` = `numberofemployees`).
public enum HeaderAliases {
    public static func key(_ header: String) -> String {
        String(header.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || $0.properties.numericType != nil }.map(Character.init))
    }

    /// Canonical field → accepted headers.
    public static func table(_ kind: RecordKind, _ format: ExportFormat) -> [String: [String]] {
        switch (kind, format) {
        case (.accounts, .salesforce): return salesforceAccounts
        case (.accounts, .hubspot): return hubspotAccounts
        case (.accounts, .generic): return merged(salesforceAccounts, hubspotAccounts, genericAccounts)
        case (.contacts, .salesforce): return salesforceContacts
        case (.contacts, .hubspot): return hubspotContacts
        case (.contacts, .generic): return merged(salesforceContacts, hubspotContacts, genericContacts)
        case (.opportunities, .salesforce): return salesforceOpportunities
        case (.opportunities, .hubspot): return hubspotOpportunities
        case (.opportunities, .generic): return merged(salesforceOpportunities, hubspotOpportunities, genericOpportunities)
        }
    }

    static func merged(_ tables: [String: [String]]...) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for table in tables { for (field, aliases) in table { result[field, default: []] += aliases } }
        return result
    }

    /// Columns that are evidence for matching, kept as extras: field → accepted headers.
    public static func evidence(_ kind: RecordKind, _ format: ExportFormat) -> [String: [String]] {
        switch (kind, format) {
        case (.accounts, .salesforce): return salesforceEvidence
        case (.accounts, .hubspot): return hubspotEvidence
        case (.accounts, .generic): return merged(salesforceEvidence, hubspotEvidence, genericEvidence)
        default: return [:]
        }
    }

    static let salesforceEvidence: [String: [String]] = [
        "phone": ["Phone", "Account Phone"],
        "postal_code": ["Billing Zip/Postal Code", "BillingPostalCode", "Billing Postal Code", "Billing Zip"],
    ]
    static let hubspotEvidence: [String: [String]] = [
        "phone": ["Phone Number", "phone"],
        "postal_code": ["Postal Code", "zip"],
    ]
    static let genericEvidence: [String: [String]] = [
        "phone": ["telephone", "tel", "phone_number", "main_phone", "company_phone"],
        "postal_code": ["postcode", "post_code", "postal_code", "zip_code", "zipcode", "plz"],
    ]

    static let salesforceAccounts: [String: [String]] = [
        "source_id": ["Account ID", "Id", "Account ID (18)", "Account ID 18"],
        "name": ["Account Name", "Name"],
        "website": ["Website"],
        "industry": ["Industry"],
        "employees": ["Employees", "Number of Employees", "NumberOfEmployees"],
        "annual_revenue": ["Annual Revenue", "AnnualRevenue"],
        "country": ["Billing Country", "BillingCountry"],
        "state": ["Billing State/Province", "BillingState", "Billing State"],
        "city": ["Billing City", "BillingCity"],
        "owner": ["Account Owner", "OwnerId", "Owner ID"],
        "parent_id": ["Parent Account ID", "ParentId"],
        "type": ["Type", "Account Type"],
        "last_activity": ["Last Activity", "LastActivityDate"],
        "prevent_override": ["Prevent Override", "Prevent_Override__c"],
    ]

    static let hubspotAccounts: [String: [String]] = [
        "source_id": ["Record ID", "hs_object_id", "Company ID"],
        "name": ["Company name", "name"],
        "domain": ["Company Domain Name", "domain"],
        "website": ["Website URL", "website"],
        "industry": ["Industry", "industry"],
        "employees": ["Number of Employees", "numberofemployees"],
        "annual_revenue": ["Annual Revenue", "annualrevenue"],
        "country": ["Country/Region", "country"],
        "state": ["State/Region", "state"],
        "city": ["City", "city"],
        "owner": ["Company owner", "hubspot_owner_id"],
        "parent_id": ["Parent Company ID", "hs_parent_company_id"],
        "type": ["Type", "type"],
        "last_activity": ["Last Activity Date", "notes_last_updated"],
        "prevent_override": ["Prevent Override", "prevent_override"],
    ]

    static let genericAccounts: [String: [String]] = [
        "source_id": ["id", "account_id", "record_id"],
        "name": ["company", "company_name", "account", "organization", "organisation"],
        "domain": ["domain", "company_domain"],
        "website": ["url", "homepage", "web"],
        "employees": ["employee_count", "headcount", "size"],
        "annual_revenue": ["revenue"],
        "owner": ["owner"],
        "last_activity": ["last_activity_date", "last_activity_at"],
    ]

    static let salesforceContacts: [String: [String]] = [
        "source_id": ["Contact ID", "Id"],
        "account_id": ["Account ID", "AccountId"],
        "first_name": ["First Name", "FirstName"],
        "last_name": ["Last Name", "LastName"],
        "email": ["Email"],
        "title": ["Title"],
        "linkedin": ["LinkedIn", "LinkedIn URL", "LinkedIn_URL__c", "LinkedIn Profile"],
        "country": ["Mailing Country", "MailingCountry"],
        "state": ["Mailing State/Province", "MailingState"],
        "owner": ["Contact Owner", "OwnerId"],
        "role_start": ["Start Date in Role", "Role_Start_Date__c", "Title Start Date"],
    ]

    static let hubspotContacts: [String: [String]] = [
        "source_id": ["Record ID", "hs_object_id", "Contact ID"],
        "account_id": ["Associated Company ID", "associatedcompanyid", "Company ID"],
        "first_name": ["First Name", "firstname"],
        "last_name": ["Last Name", "lastname"],
        "email": ["Email", "email"],
        "title": ["Job Title", "jobtitle"],
        "linkedin": ["LinkedIn URL", "hs_linkedin_url", "linkedin_url"],
        "country": ["Country/Region", "country"],
        "state": ["State/Region", "state"],
        "owner": ["Contact owner", "hubspot_owner_id"],
        "role_start": ["Start Date in Role", "role_start_date"],
    ]

    static let genericContacts: [String: [String]] = [
        "source_id": ["id", "contact_id"], "account_id": ["company_id", "account"], "email": ["email_address", "work_email"],
        "linkedin": ["linkedin"], "title": ["job_title", "position"],
    ]

    static let salesforceOpportunities: [String: [String]] = [
        "source_id": ["Opportunity ID", "Id"],
        "account_id": ["Account ID", "AccountId"],
        "name": ["Opportunity Name", "Name"],
        "amount": ["Amount"],
        "stage": ["Stage", "StageName"],
        "close_date": ["Close Date", "CloseDate"],
        "is_won": ["Won", "IsWon"],
        "is_closed": ["Closed", "IsClosed"],
        "owner": ["Opportunity Owner", "OwnerId"],
    ]

    static let hubspotOpportunities: [String: [String]] = [
        "source_id": ["Record ID", "hs_object_id", "Deal ID"],
        "account_id": ["Associated Company ID", "associatedcompanyid"],
        "name": ["Deal Name", "dealname"],
        "amount": ["Amount", "amount"],
        "stage": ["Deal Stage", "dealstage"],
        "close_date": ["Close Date", "closedate"],
        "owner": ["Deal owner", "hubspot_owner_id"],
    ]

    static let genericOpportunities: [String: [String]] = [
        "source_id": ["id", "opportunity_id", "deal_id"], "account_id": ["company_id", "account"],
        "amount": ["value", "arr"], "stage": ["status"],
    ]

    /// Fields without which a file of this kind is useless: at least one of each group.
    public static func required(_ kind: RecordKind) -> [[String]] {
        switch kind {
        case .accounts: return [["name", "website", "domain"]]
        case .contacts: return [["email", "linkedin", "last_name"], ["account_id"]]
        case .opportunities: return [["account_id"], ["amount"], ["stage", "is_won"]]
        }
    }
}

/// Which column holds which canonical field; unknown columns are kept as
/// extras. An evidence column (phone, postcode) is kept as an extra too, as
/// the CRM holds it, and matching reads its key (`ContactPoints`).
public struct HeaderMapping: Sendable, Equatable {
    public var fields: [String: Int]
    public var extras: [(index: Int, header: String)]
    /// Evidence field (`HeaderAliases.evidence`) → column.
    public var evidence: [String: Int] = [:]

    public static func == (lhs: HeaderMapping, rhs: HeaderMapping) -> Bool {
        lhs.fields == rhs.fields && lhs.extras.map(\.index) == rhs.extras.map(\.index) && lhs.evidence == rhs.evidence
    }

    public init(header: [String], kind: RecordKind, format: ExportFormat) throws(HeaderError) {
        let table = HeaderAliases.table(kind, format)
        var lookup: [String: String] = [:]
        for (field, aliases) in table { for alias in aliases where lookup[HeaderAliases.key(alias)] == nil { lookup[HeaderAliases.key(alias)] = field } }
        var evidenceLookup: [String: String] = [:]
        for (field, aliases) in HeaderAliases.evidence(kind, format) { for alias in aliases { evidenceLookup[HeaderAliases.key(alias)] = field } }
        fields = [:]
        extras = []
        for (index, name) in header.enumerated() {
            if let field = lookup[HeaderAliases.key(name)], fields[field] == nil {
                fields[field] = index
            } else if !name.trimmedWhitespace.isEmpty {
                extras.append((index, name))
                if let field = evidenceLookup[HeaderAliases.key(name)], evidence[field] == nil { evidence[field] = index }
            }
        }
        for group in HeaderAliases.required(kind) where !group.contains(where: { fields[$0] != nil }) {
            let expected = group.flatMap { table[$0] ?? [] }
            throw HeaderError(kind: kind, format: format, found: header, problem: .missingFields(group, expected: expected))
        }
    }
}

/// A header that cannot be imported: it maps to nothing the kind needs, or
/// it lacks the record id column a CRM export always has.
public struct HeaderError: Error, Sendable, CustomStringConvertible {
    public enum Problem: Sendable, Equatable {
        /// None of `fields` (canonical) is in the header; `expected` lists their accepted columns.
        case missingFields([String], expected: [String])
        /// No record id column; `derivable`: derived ids would be allowed with the option.
        case noRecordID(expected: [String], derivable: Bool)
    }

    public var kind: RecordKind
    public var format: ExportFormat
    public var found: [String]
    public var problem: Problem

    public init(kind: RecordKind, format: ExportFormat, found: [String], problem: Problem) {
        self.kind = kind
        self.format = format
        self.found = found
        self.problem = problem
    }

    public var description: String {
        let columns = found.prefix(20).map { RejectText.quote($0) }.joined(separator: ", ") + (found.count > 20 ? ", …" : "")
        let quoted = { (names: [String]) in names.map { "\"\($0)\"" }.joined(separator: ", ") }
        switch problem {
        case .missingFields(let missing, let expected):
            var text = "the header does not look like a \(format.rawValue) \(kind.rawValue) export: none of \(missing.joined(separator: "/")) found; "
                + "expected one of the columns \(quoted(expected)); the file has \(columns)"
            if found.count == 1, let other = DelimiterSniffer.candidates.dropFirst().first(where: { found[0].utf8.contains($0) }) {
                text += "; the header looks \(DelimiterSniffer.name(other))-separated: leave --delimiter out to detect the delimiter, or pass it (--delimiter \(other == 0x09 ? "tab" : "'" + String(UnicodeScalar(other)) + "'"))"
            }
            return text
        case .noRecordID(let expected, let derivable):
            let start = "the header has no record id column: a \(format.rawValue) \(kind.rawValue) export has one of \(quoted(expected)); the file has \(columns). "
            guard derivable else { return start + "\(kind.rawValue.capitalized) always need their record ids; nothing was loaded" }
            return start + "Check that column's name in the export, or allow ids derived from \(RecordIdentity.derivedFrom(kind)) with --derived-ids "
                + "(manifest: derived_ids: true; rows with the same derived id are then rejected as duplicates); nothing was loaded"
        }
    }
}

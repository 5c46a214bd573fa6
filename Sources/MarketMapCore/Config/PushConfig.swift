/// `push.targets[]`: how golden records go back to one CRM instance.
public struct PushTarget: Sendable, Equatable, Decodable {
    public enum Format: String, Sendable, Codable { case salesforceBulk = "salesforce-bulk", hubspot }
    public var instance: String
    public var format: Format
    /// Salesforce: the external-id field that carries the golden id on created records.
    public var externalIDField: String
    public var accounts: [PushField]
    public var contacts: [PushField]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ConfigKey.self)
        try c.rejectUnknown(["instance", "format", "external_id_field", "accounts", "contacts"])
        instance = try c.required("instance")
        let formatText: String = try c.required("format")
        guard let format = Format(rawValue: formatText) else { throw c.fail("format", "expected salesforce-bulk or hubspot") }
        self.format = format
        externalIDField = try c.value("external_id_field", or: "MarketMap_Id__c")
        accounts = try c.value("accounts", or: [PushFieldConfig]()).map(\.field)
        contacts = try c.value("contacts", or: [PushFieldConfig]()).map(\.field)
        if accounts.isEmpty && contacts.isEmpty { throw c.fail("accounts", "expected at least one mapped field for accounts or contacts") }
    }

    /// Golden fields a push can read, per kind.
    public static let accountFields: Set<String> = [
        "golden_id", "name", "domain", "website", "industry", "employees", "annual_revenue", "country", "state", "city", "type",
        "tier", "fit_score", "valuation", "owner",
    ]
    public static let contactFields: Set<String> = [
        "golden_id", "first_name", "last_name", "email", "linkedin", "title", "seniority", "department", "country",
        "persona_score", "persona_tier", "priority", "found_by",
    ]
}

struct PushFieldConfig: Decodable {
    var field: PushField
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ConfigKey.self)
        try c.rejectUnknown(["golden", "crm", "export_column", "policy", "picklist", "prevent_override"])
        let golden: String = try c.required("golden")
        let known = PushTarget.accountFields.union(PushTarget.contactFields)
        if !known.contains(golden) { throw c.fail("golden", "expected a golden field: \(known.sorted().joined(separator: ", "))") }
        let policyText: String = try c.value("policy", or: "if_blank")
        guard let policy = PushPolicy(rawValue: policyText) else { throw c.fail("policy", "expected overwrite, if_blank or never") }
        let picklist = try c.value("picklist", or: [String: ScalarText]()).mapValues(\.text)
        field = PushField(
            golden: golden, crm: try c.required("crm"), exportColumn: try c.decodeIfPresent(String.self, forKey: ConfigKey("export_column")),
            policy: policy, picklist: picklist, evenIfPreventOverride: try c.value("prevent_override", or: false))
    }
}

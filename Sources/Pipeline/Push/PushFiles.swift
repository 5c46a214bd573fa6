import Foundation
import MarketMapCore

/// A plan as import files in the target CRM's conventions, split below
/// 10,000 rows per file (a Bulk API batch):
///
/// - Salesforce Bulk API 2.0 / Data Loader: API names in the header; updates
///   carry `Id`; creates carry the external-id field (the golden id); `#N/A`
///   blanks a field; an empty cell leaves it alone. Contacts point to their
///   account by `AccountId`, or by `Account.<external id>` when the account is
///   created by the same plan.
/// - HubSpot import: updates carry `Record ID`; companies are created by
///   `Company Domain Name`; contacts are created by `Email` and associated to
///   their company by `Associated Company Record ID` or by domain.
///
/// Every update file has a rollback file with the values it replaces; creates
/// have a list of the golden ids they create (delete by external id to undo).
struct PushFiles {
    let target: PushTarget
    let directory: URL
    static let rowsPerFile = 10_000

    var salesforce: Bool { target.format == .salesforceBulk }
    var idColumn: String { salesforce ? "Id" : "Record ID" }
    /// Blanks a field in an update (HubSpot imports cannot clear a value: left empty, it is unchanged).
    var blank: String { salesforce ? "#N/A" : "" }

    func accounts(_ plan: PushPlan) throws -> [String] {
        let kind = salesforce ? "accounts" : "companies"
        let fields = target.accounts.map(\.crm)
        var files = try updates(kind, plan.updates, fields: fields)
        let createColumn = salesforce ? target.externalIDField : "Company Domain Name"
        let createFields = fields.filter { $0 != createColumn }
        files += try write("\(kind)_create", header: [createColumn] + createFields, rows: plan.creates.map { row in
            return [salesforce ? String(row.goldenID) : row.createKey ?? ""] + createFields.map { (row.values[$0] ?? nil) ?? "" }
        })
        files += try write("\(kind)_create_golden_ids", header: ["golden_id"], rows: plan.creates.map { [String($0.goldenID)] })
        return files
    }

    func contacts(_ plan: PushPlan, accountOf: [Int: (crmID: String?, goldenAccount: Int)]) throws -> [String] {
        let fields = target.contacts.map(\.crm)
        var files = try updates("contacts", plan.updates, fields: fields)
        let link = salesforce ? ["AccountId", "Account." + target.externalIDField] : ["Associated Company Record ID"]
        let keyColumn = salesforce ? target.externalIDField : "Email"
        let createFields = fields.filter { $0 != keyColumn }
        files += try write("contacts_create", header: [keyColumn] + link + createFields, rows: plan.creates.map { row in
            let account = accountOf[row.goldenID]
            let key = salesforce ? String(row.goldenID) : row.createKey ?? ""
            let links = salesforce ? [account?.crmID ?? "", account?.crmID == nil ? String(account?.goldenAccount ?? 0) : ""] : [account?.crmID ?? ""]
            return [key] + links + createFields.map { (row.values[$0] ?? nil) ?? "" }
        })
        return files
    }

    /// The update file (only the fields that change carry a value) and its rollback.
    func updates(_ kind: String, _ rows: [PushRow], fields: [String]) throws -> [String] {
        let used = fields.filter { field in rows.contains { $0.values[field] != nil } }
        var files = try write("\(kind)_update", header: [idColumn] + used, rows: rows.map { row in
            [row.crmID ?? ""] + used.map { field in row.values[field].map { $0 ?? blank } ?? "" }
        })
        files += try write("\(kind)_update_rollback", header: [idColumn] + used, rows: rows.map { row in
            [row.crmID ?? ""] + used.map { field in row.previous[field].map { $0 ?? blank } ?? "" }
        })
        return files
    }

    /// `name.csv`, or `name_001.csv`, `name_002.csv`, ... above `rowsPerFile` rows. UTF-8, CRLF.
    func write(_ name: String, header: [String], rows: [[String]]) throws -> [String] {
        let parts = max(1, (rows.count + Self.rowsPerFile - 1) / Self.rowsPerFile)
        var names: [String] = []
        for part in 0..<parts {
            let number = String(part + 1)
            let file = parts == 1 ? "\(name).csv" : "\(name)_\(String(repeating: "0", count: max(0, 3 - number.count)))\(number).csv"
            let slice = rows[min(rows.count, part * Self.rowsPerFile)..<min(rows.count, (part + 1) * Self.rowsPerFile)]
            let text = ([header] + slice).map { $0.map(Report.csvField).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
            try Data(text.utf8).write(to: directory.appendingPathComponent(file))
            names.append(file)
        }
        return names
    }
}

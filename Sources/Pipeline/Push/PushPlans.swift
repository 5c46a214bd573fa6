import Foundation
import MarketMapCore
import Postgres

/// What a push plan holds, per kind (the plan's `summary.json`).
public struct PushKindSummary: Sendable, Codable, Equatable {
    public var updates = 0, creates = 0, unchanged = 0
    /// Creates left out, by reason (a contact the target already has, a company without a domain for HubSpot).
    public var notCreated: [String: Int] = [:]
    public var changes: [String: Int] = [:]
    public var skipped: [String: [String: Int]] = [:]
}

public struct PushSummary: Sendable, Codable, Equatable {
    public var instance: String
    public var format: String
    public var sample: Int?
    public var accounts = PushKindSummary()
    public var contacts = PushKindSummary()
    public var files: [String] = []
}

public enum PushError: Error, CustomStringConvertible {
    case unknownTarget(String, known: [String])
    case noExport(String, String)

    public var description: String {
        switch self {
        case .unknownTarget(let name, let known):
            return "no push target \"\(name)\" in the configuration (push.targets: \(known.isEmpty ? "none" : known.joined(separator: ", ")))"
        case .noExport(let instance, let kind):
            return "no \(kind) export of \(instance) has been imported: the plan needs its record ids and current values"
        }
    }
}

/// Builds and writes the push plan of one target CRM instance (`DOMAIN.md`
/// §8): updates by the target's record ids (from lineage) and creates for what
/// it lacks, for accounts and contacts, decided by `PushPlanner` under each
/// field's policy; files in the CRM's own conventions (`PushFiles`), a
/// rollback file of previous values, and a summary.
public struct PushPlans: Sendable {
    public let config: MarketMapConfig
    public let target: PushTarget
    let index: Int

    public init(config: MarketMapConfig, instance: String) throws {
        guard let index = config.push.firstIndex(where: { $0.instance == instance }) else {
            throw PushError.unknownTarget(instance, known: config.push.map(\.instance))
        }
        self.config = config
        self.index = index
        target = config.push[index]
    }

    public func write(sample: Int?, to out: URL, on db: isolated Connection) throws -> PushSummary {
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        var summary = PushSummary(instance: target.instance, format: target.format.rawValue, sample: sample)
        let files = PushFiles(target: target, directory: out)
        if !target.accounts.isEmpty {
            let columns = try exportColumns(.accounts, fields: target.accounts, path: "accounts", on: db)
            var records: [PushRecord] = []
            for row in try db.query(PushQueries.accounts, target.instance, config.products.first?.product ?? "") {
                let (id, crmID, preventOverride, tier, golden, current) = try row.decode(
                    Int.self, String?.self, Bool.self, String?.self, String.self, String.self)
                records.append(PushRecord(
                    goldenID: id, crmID: crmID, preventOverride: preventOverride, tier: tier,
                    golden: try Self.values(golden), current: try Self.values(current, columns: columns)))
            }
            let plan = finish(PushPlanner.plan(records, fields: target.accounts, createKey: "domain"), key: "domain", sample: sample, into: &summary.accounts)
            summary.files += try files.accounts(plan)
        }
        if !target.contacts.isEmpty {
            let columns = try exportColumns(.contacts, fields: target.contacts, path: "contacts", on: db)
            var records: [PushRecord] = []
            var accountOf: [Int: (crmID: String?, goldenAccount: Int)] = [:]
            var known = 0
            for row in try db.query(PushQueries.contacts, target.instance) {
                let (id, crmID, accountCRMID, goldenAccount, priority, golden, current, targetHasIt) = try row.decode(
                    Int.self, String?.self, String?.self, Int.self, String?.self, String.self, String.self, Bool.self)
                if crmID == nil, targetHasIt { known += 1; continue }  // never create what the target has
                accountOf[id] = (accountCRMID, goldenAccount)
                records.append(PushRecord(
                    goldenID: id, crmID: crmID, tier: priority, golden: try Self.values(golden),
                    current: try Self.values(current, columns: columns)))
            }
            let plan = finish(PushPlanner.plan(records, fields: target.contacts, createKey: "email"), key: "email", sample: sample, into: &summary.contacts)
            if known > 0 { summary.contacts.notCreated["the target has a contact with this email or LinkedIn URL"] = known }
            summary.files += try files.contacts(plan, accountOf: accountOf)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(summary).write(to: out.appendingPathComponent("summary.json"))
        return summary
    }

    /// HubSpot creates companies by domain and contacts by email: creates
    /// without one are left out and counted. Then the sample, if any, and the
    /// summary's counts.
    func finish(_ full: PushPlan, key: String, sample: Int?, into summary: inout PushKindSummary) -> PushPlan {
        var plan = full
        if target.format == .hubspot {
            let before = plan.creates.count
            plan.creates.removeAll { $0.createKey == nil }
            if before > plan.creates.count { summary.notCreated["no " + key] = before - plan.creates.count }
        }
        if let sample { plan = PushPlanner.sample(plan, count: sample) }
        summary.fill(plan)
        return plan
    }

    /// Export column → where its current value lives in the target record's
    /// JSON (a source column for mapped headers, else the header itself, an
    /// `extra` key). A mapped column missing from the export is a config error.
    func exportColumns(_ kind: RecordKind, fields: [PushField], path: String, on db: isolated Connection) throws -> [String: String] {
        guard let row = try db.query(PushQueries.exportHeader, target.instance, kind.rawValue).first else {
            throw PushError.noExport(target.instance, kind.rawValue)
        }
        let (header, formatName) = try row.decode([String].self, String.self)
        let format = ExportFormat(rawValue: formatName) ?? .generic
        let mapping = try? HeaderMapping(header: header, kind: kind, format: format)
        var byKey: [String: (index: Int, name: String)] = [:]
        for (index, name) in header.enumerated() { byKey[HeaderAliases.key(name)] = (index, name) }
        var columns: [String: String] = [:]
        for (position, field) in fields.enumerated() {
            guard let column = byKey[HeaderAliases.key(field.exportColumn)] else {
                throw ConfigError(
                    path: "push.targets[\(index)].\(path)[\(position)].\(field.exportColumn == field.crm ? "crm" : "export_column")",
                    expected: "\(field.exportColumn) is not a column of \(target.instance)'s \(kind.rawValue) export (columns: \(header.joined(separator: ", ")))")
            }
            let known = mapping?.fields.first { $0.value == column.index }?.key
            columns[field.exportColumn] = known.map { $0 == "country" ? "country_raw" : $0 == "account_id" ? "account_source_id" : $0 } ?? column.name
        }
        return columns
    }

    /// A JSON object's values as text; with `columns`, re-keyed by export column.
    static func values(_ json: String, columns: [String: String]? = nil) throws -> [String: String] {
        guard let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return [:] }
        func text(_ value: Any?) -> String? {
            switch value {
            case let string as String: return string
            case let number as NSNumber: return number.stringValue
            default: return nil
            }
        }
        guard let columns else { return object.compactMapValues(text) }
        return columns.compactMapValues { text(object[$0]) }
    }
}

extension PushPlans {
    /// The configuration of the latest market run (carried in its params).
    public static func latestRunConfig(on db: isolated Connection) throws -> MarketMapConfig? {
        guard let run = try RunPlan.latestMarketRun(on: db) else { return nil }
        return try RunSettings.of(run: run, on: db).configuration()
    }
}

extension PushKindSummary {
    mutating func fill(_ plan: PushPlan) {
        updates = plan.updates.count
        creates = plan.creates.count
        unchanged = plan.unchanged
        changes = plan.changes
        skipped = plan.skipped
    }
}

/// How a pushed field treats the CRM's current value (`DOMAIN.md` §8).
public enum PushPolicy: String, Sendable, Codable, CaseIterable {
    /// Write marketmap's value (blank it when marketmap has none).
    case overwrite
    /// Write only where the CRM's value is blank.
    case ifBlank = "if_blank"
    /// Never write (documents the field as owned by the CRM).
    case never
}

/// One mapped field: a golden field, the CRM's API name, the policy, and a
/// picklist translation (`T1` → `Tier 1`).
public struct PushField: Sendable, Equatable {
    public var golden: String
    public var crm: String
    /// The column that holds this field in the target's export (default: `crm`).
    public var exportColumn: String
    public var policy: PushPolicy
    public var picklist: [String: String]
    /// Written even on a `prevent_override` record (marketmap-owned fields such as the tier).
    public var evenIfPreventOverride: Bool

    public init(golden: String, crm: String, exportColumn: String? = nil, policy: PushPolicy, picklist: [String: String] = [:], evenIfPreventOverride: Bool = false) {
        (self.golden, self.crm, self.exportColumn, self.policy, self.picklist, self.evenIfPreventOverride) =
            (golden, crm, exportColumn ?? crm, policy, picklist, evenIfPreventOverride)
    }

    func translate(_ value: String?) -> String? {
        guard let value = value?.trimmedWhitespace, !value.isEmpty else { return nil }
        return picklist[value] ?? value
    }
}

/// A golden record as the planner sees it for one target CRM instance.
public struct PushRecord: Sendable, Equatable {
    public var goldenID: Int
    /// The record's id in the target (from lineage); nil: the target lacks it, create it.
    public var crmID: String?
    public var preventOverride: Bool
    public var tier: String?
    /// Golden values by golden field name.
    public var golden: [String: String]
    /// The target's current values by export column (blank: absent).
    public var current: [String: String]

    public init(goldenID: Int, crmID: String?, preventOverride: Bool = false, tier: String? = nil, golden: [String: String], current: [String: String] = [:]) {
        (self.goldenID, self.crmID, self.preventOverride, self.tier, self.golden, self.current) = (goldenID, crmID, preventOverride, tier, golden, current)
    }
}

/// One row of a plan: the values to write by CRM field (nil: blank the field)
/// and, for updates, the values they replace (the rollback).
public struct PushRow: Sendable, Equatable {
    public var goldenID: Int
    public var crmID: String?
    public var tier: String?
    /// For creates: the golden value the target matches new records on (a
    /// HubSpot company's domain, a contact's email), when the plan asked for one.
    public var createKey: String?
    public var values: [String: String?]
    public var previous: [String: String?]
}

/// The records to update and to create for one target, with the counts its
/// summary reports.
public struct PushPlan: Sendable, Equatable {
    public var updates: [PushRow] = []
    public var creates: [PushRow] = []
    /// CRM field → rows whose value changes.
    public var changes: [String: Int] = [:]
    /// CRM field → reason → rows left alone ("never", "not blank", "prevent_override").
    public var skipped: [String: [String: Int]] = [:]
    /// Records that need no change.
    public var unchanged = 0

    public init() {}
}

/// Pure: decides, field by field and record by record, what a push writes.
public enum PushPlanner {
    public static func plan(_ records: [PushRecord], fields: [PushField], createKey: String? = nil) -> PushPlan {
        var plan = PushPlan()
        for record in records {
            var values: [String: String?] = [:], previous: [String: String?] = [:]
            for field in fields {
                let new = field.translate(record.golden[field.golden])
                if field.policy == .never {
                    plan.skipped[field.crm, default: [:]]["never", default: 0] += 1
                    continue
                }
                guard record.crmID != nil else {
                    if let new { values[field.crm] = new }
                    continue
                }
                if record.preventOverride && !field.evenIfPreventOverride {
                    plan.skipped[field.crm, default: [:]]["prevent_override", default: 0] += 1
                    continue
                }
                let current = record.current[field.exportColumn]?.trimmedWhitespace
                let currentValue = current?.isEmpty == false ? current : nil
                if field.policy == .ifBlank, currentValue != nil {
                    plan.skipped[field.crm, default: [:]]["not blank", default: 0] += 1
                    continue
                }
                guard new != currentValue, !(field.policy == .ifBlank && new == nil) else { continue }
                values[field.crm] = .some(new)
                previous[field.crm] = .some(currentValue)
                plan.changes[field.crm, default: 0] += 1
            }
            let row = PushRow(
                goldenID: record.goldenID, crmID: record.crmID, tier: record.tier, createKey: createKey.flatMap { record.golden[$0] },
                values: values, previous: previous)
            if record.crmID == nil {
                plan.creates.append(row)
            } else if values.isEmpty {
                plan.unchanged += 1
            } else {
                plan.updates.append(row)
            }
        }
        return plan
    }

    /// At most `count` rows for the playbook's "test on 10–20 records first":
    /// spread across tiers and across updates and creates, lowest golden ids
    /// first in each stratum, so the sample is the same every time.
    public static func sample(_ plan: PushPlan, count: Int) -> PushPlan {
        var strata: [String: [PushRow]] = [:]
        for row in plan.updates { strata["update|" + (row.tier ?? "-"), default: []].append(row) }
        for row in plan.creates { strata["create|" + (row.tier ?? "-"), default: []].append(row) }
        for key in strata.keys { strata[key]?.sort { $0.goldenID < $1.goldenID } }
        var chosen: [String: [PushRow]] = [:]
        var taken = 0, round = 0
        let keys = strata.keys.sorted()
        while taken < count, keys.contains(where: { (strata[$0]?.count ?? 0) > round }) {
            for key in keys where taken < count {
                guard let rows = strata[key], round < rows.count else { continue }
                chosen[key, default: []].append(rows[round])
                taken += 1
            }
            round += 1
        }
        var result = plan
        result.updates = keys.filter { $0.hasPrefix("update|") }.flatMap { chosen[$0] ?? [] }
        result.creates = keys.filter { $0.hasPrefix("create|") }.flatMap { chosen[$0] ?? [] }
        result.changes = [:]  // of the sampled updates; `skipped` stays the whole plan's
        for row in result.updates { for field in row.values.keys { result.changes[field, default: 0] += 1 } }
        return result
    }
}

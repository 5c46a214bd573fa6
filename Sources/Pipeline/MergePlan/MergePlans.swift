import Foundation
import MarketMapCore
import Postgres

/// What a merge plan holds (its `merge_plan.json`).
public struct MergePlanSummary: Sendable, Codable, Equatable {
    public var instance: String
    public var crm: CRMKind
    public var sample: Int?
    /// Golden accounts with two or more records of the instance.
    public var groups = 0
    /// The instance's records in those groups.
    public var records = 0
    /// Merge calls.
    public var steps = 0
    /// Records merged away (records - groups).
    public var merged = 0
    public var contactsMoved = 0
    public var opportunitiesMoved = 0
    /// Master fields to set to the golden value, in all and per field.
    public var fieldChanges = 0
    public var fieldChangesByField: [String: Int] = [:]
    /// Records per group → groups of that size.
    public var groupsBySize: [String: Int] = [:]
    public var files: [String] = []
}

public enum MergePlanError: Error, CustomStringConvertible, Equatable {
    case unknownInstance(String, known: [String])
    /// The accounts were imported as generic exports, or as both CRMs' exports.
    case unknownCRM(String, formats: [String])
    case notMerged(String)

    public var description: String {
        switch self {
        case .unknownInstance(let name, let known):
            return "no accounts of a CRM instance \"\(name)\" have been imported (instances: "
                + (known.isEmpty ? "none; import an accounts export first" : known.joined(separator: ", ")) + ")"
        case .unknownCRM(let name, let formats):
            return "\(name)'s accounts were imported as \(formats.joined(separator: " and ")) exports, which does not say which CRM merges them: "
                + "give --crm " + CRMKind.allCases.map(\.rawValue).joined(separator: " or --crm ")
        case .notMerged(let name):
            return "\(name)'s accounts are not merged into golden accounts yet: run `marketmap merge` (or `marketmap run`) first"
        }
    }
}

/// The merge plan of one CRM instance (`DOMAIN.md` §3): for every golden
/// account with two or more of the instance's records, the master (the record
/// survivorship ranks first) and the ordered merge calls the CRM's own rules
/// allow (`MergePlanner`), the golden values the master should end with where
/// they differ from its own, and the contacts and opportunities that move to
/// it. Streams: groups are read and planned one at a time, and the files are
/// written by COPY from temporary tables.
public struct MergePlans: Sendable {
    public let instance: String
    public let crm: CRMKind
    /// The header of the instance's latest export in this CRM's format: the CRM's names of fields.
    let header: [String]?

    static let files = ["merge_steps.csv", "master_fields.csv", "moves.csv"]

    /// The instance's CRM: `crm` if given, else the format its accounts were imported with.
    public init(instance: String, crm: CRMKind?, on db: isolated Connection) throws {
        let imported: [(format: String, header: [String]?)] = try db.query(MergePlanQueries.accountFiles, instance).map { row in
            try row.decode(String.self, [String]?.self)
        }
        guard !imported.isEmpty else {
            throw MergePlanError.unknownInstance(instance, known: try db.query(MergePlanQueries.instances).map { try $0.decode(String.self) })
        }
        let formats = Set(imported.map(\.format))
        let named = Set(formats.compactMap { ExportFormat(rawValue: $0).flatMap(CRMKind.init(format:)) })
        guard let kind = crm ?? (named.count == 1 ? named.first : nil) else {
            throw MergePlanError.unknownCRM(instance, formats: formats.sorted())
        }
        guard try db.query(MergePlanQueries.hasLineage, instance)[0].decode(Bool.self) else {
            throw MergePlanError.notMerged(instance)
        }
        self.instance = instance
        self.crm = kind
        header = imported.first { $0.format == kind.format.rawValue }?.header ?? nil
    }


    /// Writes the plan's files into `out`; `sample`: only that many groups, the smallest golden ids.
    public func write(sample: Int?, to out: URL, on db: isolated Connection) throws -> MergePlanSummary {
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        return try db.withTransaction {
            try db.query(MergePlanQueries.setSource, instance)
            try db.execute(MergePlanQueries.createTables)
            try db.query(MergePlanQueries.groups, instance, sample)
            try db.execute(MergePlanQueries.analyzeGroups)
            for (field, name) in crmFields() { try db.query(MergePlanQueries.addColumn, field, name) }
            try planGroups(on: db)
            try db.query(MergePlanQueries.moves, instance)
            try db.query(MergePlanQueries.fields, instance)
            let queries = [crm == .salesforce ? MergePlanQueries.salesforceSteps : MergePlanQueries.hubspotSteps, MergePlanQueries.fieldsCSV, MergePlanQueries.movesCSV]
            for (file, sql) in zip(Self.files, queries) { try OutputContract.copy(sql, to: out.appendingPathComponent(file), on: db) }
            let summary = try summarize(sample: sample, on: db)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(summary).write(to: out.appendingPathComponent("merge_plan.json"))
            return summary
        }
    }

    /// Streams the groups' records, one golden account at a time, plans each
    /// group and loads the merge calls into `plan_merged` (spooled on disk).
    func planGroups(on db: isolated Connection) throws {
        let spool = try CopySpool()
        var group: [SurvivorCandidate] = []
        var current: String?
        var failure: (any Error)?
        let crm = self.crm
        func flush() {
            defer { group.removeAll(keepingCapacity: true) }
            guard let id = current, failure == nil, let plan = MergePlanner.plan(group, crm: crm) else { return }
            do {
                for step in plan.steps {
                    for (slot, duplicate) in step.duplicates.enumerated() {
                        try spool.add([id, String(step.number), String(slot + 1), step.master, duplicate])
                    }
                }
            } catch { failure = error }
        }
        try db.copyOut(MergePlanQueries.members) { bytes in
            guard let member = AccountMerger.member(CopyText.parseRow(bytes), sourcePriority: []) else { return }
            if member.goldenID != current {
                flush()
                current = member.goldenID
            }
            group.append(member.candidate)
        }
        flush()
        if let failure { throw failure }
        try db.copyIn(MergePlanQueries.copyMerged) { writer in try spool.replay { try writer.write($0) } }
    }

    /// Golden field → its name in the CRM: the column of the instance's
    /// export, else the CRM's usual label.
    func crmFields() -> [(String, String)] {
        let table = HeaderAliases.table(.accounts, crm.format)
        let mapping = header.flatMap { try? HeaderMapping(header: $0, kind: .accounts, format: crm.format) }
        return table.keys.sorted().compactMap { field in
            if let header, let index = mapping?.fields[field], header.indices.contains(index) { return (field, header[index]) }
            return table[field]?.first.map { (field, $0) }
        }
    }

    func summarize(sample: Int?, on db: isolated Connection) throws -> MergePlanSummary {
        var summary = MergePlanSummary(instance: instance, crm: crm, sample: sample, files: Self.files + ["merge_plan.json"])
        (summary.groups, summary.records, summary.steps, summary.merged, summary.contactsMoved, summary.opportunitiesMoved, summary.fieldChanges) =
            try db.query(MergePlanQueries.counts)[0].decode(Int.self, Int.self, Int.self, Int.self, Int.self, Int.self, Int.self)
        for size in try db.query(MergePlanQueries.groupSizes) {
            let (records, groups) = try size.decode(Int.self, Int.self)
            summary.groupsBySize[String(records)] = groups
        }
        for field in try db.query(MergePlanQueries.fieldCounts) {
            let (name, changes) = try field.decode(String.self, Int.self)
            summary.fieldChangesByField[name] = changes
        }
        return summary
    }
}

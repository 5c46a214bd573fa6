import MarketMapCore
import Testing

@Suite("Merge planner")
struct MergePlannerTests {
    /// `count` records of one instance, ids R1...; all alike, so the smallest id ranks first.
    func records(_ count: Int) -> [SurvivorCandidate] {
        (1...count).map { SurvivorCandidate(key: RecordKey(source: "sfdc", sourceID: "R\($0)"), sourcePriority: 0, updatedAt: "2026-01-01", values: ["name": "Acme"]) }
    }

    @Test("Salesforce: k records become ceil((k-1)/2) merges of a master and at most two duplicates, all into one master", arguments: [
        (2, [["R2"]]),
        (3, [["R2", "R3"]]),
        (4, [["R2", "R3"], ["R4"]]),
        (5, [["R2", "R3"], ["R4", "R5"]]),
        (7, [["R2", "R3"], ["R4", "R5"], ["R6", "R7"]]),
    ])
    func salesforce(count: Int, expected: [[String]]) throws {
        let plan = try #require(MergePlanner.plan(records(count), crm: .salesforce))
        #expect(plan.master == "R1")
        #expect(plan.steps.map(\.duplicates) == expected)
        #expect(plan.steps.count == (count - 1 + 1) / 2)
        #expect(plan.steps.map(\.number) == Array(1...plan.steps.count))
        #expect(plan.steps.allSatisfy { $0.master == "R1" && (1...2).contains($0.duplicates.count) })
        #expect(Set(plan.duplicates + [plan.master]).count == count, "every record once")
    }

    @Test("HubSpot: k records become k-1 merges of two companies, all into the primary", arguments: [2, 3, 4, 7])
    func hubspot(count: Int) throws {
        let plan = try #require(MergePlanner.plan(records(count), crm: .hubspot))
        #expect(plan.steps.count == count - 1)
        #expect(plan.steps.allSatisfy { $0.master == "R1" && $0.duplicates.count == 1 })
        #expect(plan.duplicates == (2...count).map { "R\($0)" })
    }

    @Test("the master is the record survivorship ranks first: the most recently updated, then the most complete, then the smallest id")
    func master() throws {
        func record(_ id: String, updated: String?, values: [String: String]) -> SurvivorCandidate {
            SurvivorCandidate(key: RecordKey(source: "sfdc", sourceID: id), sourcePriority: 0, updatedAt: updated, values: values)
        }
        let old = record("A", updated: "2025-01-01", values: ["name": "Acme", "industry": "Software", "city": "Berlin"])
        let recent = record("B", updated: "2026-03-01", values: ["name": "Acme"])
        let complete = record("C", updated: "2026-03-01", values: ["name": "Acme", "industry": "Software"])
        #expect(MergePlanner.plan([old, recent, complete], crm: .salesforce)?.master == "C")
        #expect(MergePlanner.plan([old, recent], crm: .hubspot)?.master == "B")
        #expect(MergePlanner.plan([old, recent, complete], crm: .hubspot)?.duplicates == ["B", "A"], "the others in rank order")
        #expect(MergePlanner.plan([record("Z", updated: nil, values: [:]), record("Y", updated: nil, values: [:])], crm: .hubspot)?.master == "Y")
        #expect(Survivorship.ranked([old, recent, complete]).first?.key.sourceID == "C", "the same ranking survivorship uses")
    }

    @Test("one record is not a group; the CRM comes from the export format, none from a generic one")
    func edges() {
        #expect(MergePlanner.plan(records(1), crm: .salesforce) == nil)
        #expect(MergePlanner.plan([], crm: .hubspot) == nil)
        #expect(MergePlanner.steps(master: "M", duplicates: [], crm: .salesforce).isEmpty)
        #expect(CRMKind(format: .salesforce) == .salesforce)
        #expect(CRMKind(format: .hubspot) == .hubspot)
        #expect(CRMKind(format: .generic) == nil)
    }
}

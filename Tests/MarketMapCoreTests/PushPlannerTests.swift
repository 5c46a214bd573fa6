import MarketMapCore
import Testing

@Suite("Push planner")
struct PushPlannerTests {
    let fields = [
        PushField(golden: "tier", crm: "Tier__c", policy: .overwrite, picklist: ["T1": "Tier 1"], evenIfPreventOverride: true),
        PushField(golden: "industry", crm: "Industry", policy: .ifBlank),
        PushField(golden: "valuation", crm: "Value__c", policy: .overwrite),
        PushField(golden: "owner", crm: "OwnerId", exportColumn: "Account Owner", policy: .never),
    ]

    @Test("overwrite writes and blanks; if_blank fills only blanks; never and prevent_override are left alone; rollback holds previous values")
    func policies() {
        let records = [
            PushRecord(goldenID: 1, crmID: "A", tier: "T1", golden: ["tier": "T1", "industry": "Software", "owner": "r1"],
                       current: ["Tier__c": "Tier 3", "Industry": "", "Value__c": "500", "Account Owner": "x"]),
            PushRecord(goldenID: 2, crmID: "B", preventOverride: true, tier: "T1", golden: ["tier": "T1", "industry": "Retail", "valuation": "9"],
                       current: ["Tier__c": "", "Industry": ""]),
            PushRecord(goldenID: 3, crmID: "C", golden: ["industry": "Retail", "valuation": "7"], current: ["Industry": "Banking", "Value__c": "7"]),
            PushRecord(goldenID: 4, crmID: nil, tier: "T1", golden: ["tier": "T1", "industry": "Retail", "owner": "r2"]),
        ]
        let plan = PushPlanner.plan(records, fields: fields)
        #expect(plan.updates.map(\.goldenID) == [1, 2])
        let blank: String? = nil
        #expect(plan.updates[0].values == ["Tier__c": "Tier 1", "Industry": "Software", "Value__c": blank], "valuation gone: blanked")
        #expect(plan.updates[0].previous == ["Tier__c": "Tier 3", "Industry": blank, "Value__c": "500"])
        #expect(plan.updates[1].values == ["Tier__c": "Tier 1"], "prevent_override: only the allowed field")
        #expect(plan.unchanged == 1, "record 3: Banking is not blank, the value is the same")
        #expect(plan.creates.map(\.values) == [["Tier__c": "Tier 1", "Industry": "Retail"]], "creates never carry a `never` field")
        #expect(plan.skipped["OwnerId"]?["never"] == 4)
        #expect(plan.skipped["Industry"]?["prevent_override"] == 1)
        #expect(plan.skipped["Industry"]?["not blank"] == 1)
        #expect(plan.changes == ["Tier__c": 2, "Industry": 1, "Value__c": 1])
    }

    @Test("a sample spreads across tiers and across updates and creates, the same every time")
    func sample() {
        let records = (1...60).map { id in
            PushRecord(goldenID: id, crmID: id % 3 == 0 ? nil : "R\(id)", tier: ["T1", "T2", "T3"][id % 4 == 0 ? 0 : id % 2 + 1],
                       golden: ["tier": "x\(id)"], current: [:])
        }
        let plan = PushPlanner.sample(PushPlanner.plan(records, fields: fields), count: 10)
        #expect(plan.updates.count + plan.creates.count == 10)
        #expect(!plan.updates.isEmpty && !plan.creates.isEmpty)
        #expect(Set((plan.updates + plan.creates).compactMap(\.tier)).count == 3)
        #expect(PushPlanner.sample(PushPlanner.plan(records, fields: fields), count: 10) == plan)
    }
}

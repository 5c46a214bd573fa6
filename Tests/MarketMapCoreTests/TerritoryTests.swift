import MarketMapCore
import Testing

@Suite("Territory assignment")
struct TerritoryTests {
    @Test("owners are kept when balance allows; stale accounts go to another eligible rep; partners only to partner reps")
    func ownersStaleAndPartners() {
        let reps = [Rep(id: "a"), Rep(id: "b"), Rep(id: "p", role: .partner)]
        let accounts = [
            TerritoryAccount(valuation: 100, owner: "a"), TerritoryAccount(valuation: 100, owner: "b"),
            TerritoryAccount(valuation: 90, owner: "a", isStale: true), TerritoryAccount(valuation: 90, owner: "b"),
            TerritoryAccount(valuation: 50, owner: "a", isPartner: true),
        ]
        let plan = TerritoryAssigner().assign(accounts, reps: reps)
        #expect(plan.rep[2] == 1, "the stale account leaves a for the other eligible rep")
        #expect(plan.rep[4] == 2, "the partner account goes to the partner rep")
        #expect(plan.rep[0] == 0, "owner kept")
        // a 100, b 280 after the stale move: one rebalancing move (b's largest that fits) evens them out.
        #expect(plan.moves.count == 3, "\(plan.moves)")
        #expect(Set(plan.moves.map(\.account)).isSuperset(of: [2, 4]))
        #expect(plan.balance.first { $0.role == "direct" }?.withinBound == true)
    }

    @Test("peers are reps covering the same regions: each team is balanced on its own; a stale account with no other eligible rep stays")
    func peerTeams() {
        let reps = [Rep(id: "na1", regions: ["US"]), Rep(id: "na2", regions: ["US"]), Rep(id: "eu1", regions: ["DE"]), Rep(id: "eu2", regions: ["DE"]), Rep(id: "au", regions: ["AU"])]
        let accounts = (0..<40).map { _ in TerritoryAccount(valuation: 10, region: "US") } + (0..<80).map { _ in TerritoryAccount(valuation: 30, region: "DE") }
            + [TerritoryAccount(valuation: 50, region: "AU", owner: "au", isStale: true)]
        let plan = TerritoryAssigner().assign(accounts, reps: reps)
        #expect(plan.balance.map(\.role) == ["direct AU", "direct DE", "direct US"])
        #expect(plan.balance.allSatisfy { $0.withinBound }, "\(plan.balance)")
        #expect(plan.rep[120] == 4, "the stale AU account stays: no other rep covers AU")
        #expect(plan.notes.contains { $0.contains("1 stale account(s) stay with their owner") })
        #expect(plan.unassigned.isEmpty)
    }

    @Test("an impossible bound ends with the best balance and says why")
    func impossible() {
        let reps = [Rep(id: "a"), Rep(id: "b"), Rep(id: "c")]
        let accounts = [TerritoryAccount(valuation: 1_000)] + (0..<10).map { _ in TerritoryAccount(valuation: 10) }
        let plan = TerritoryAssigner().assign(accounts, reps: reps)
        #expect(plan.balance.first?.withinBound == false)
        #expect(plan.notes.contains { $0.contains("bigger than a fair share") }, "\(plan.notes)")
        #expect(plan.rep.allSatisfy { $0 != nil })
        let eu = TerritoryAssigner().assign([TerritoryAccount(valuation: 5, region: "JP")], reps: [Rep(id: "x", regions: ["US"])])
        #expect(eu.unassigned.map(\.reason) == ["no rep covers its role, region and segment"])
    }

    @Test("property: every eligible account assigned once, never to an ineligible rep, capacity kept, balanced when feasible")
    func properties() {
        var generator = SeededRandom(seed: 2026)
        let regions = ["US", "CA", "GB", "DE"]
        for round in 0..<60 {
            let repCount = Int.random(in: 2...12, using: &generator)
            let constrained = round % 2 == 1
            let reps = (0..<repCount).map { index in
                Rep(
                    id: "r\(index)",
                    regions: constrained ? [regions[index % regions.count]] : [],
                    capacity: constrained && index % 3 == 0 ? 40 : nil, role: index == 0 && constrained ? .partner : .direct)
            }
            let accounts = (0..<Int.random(in: 50...600, using: &generator)).map { _ in
                TerritoryAccount(
                    valuation: Double.random(in: 1...100, using: &generator),
                    region: constrained ? regions.randomElement(using: &generator) : nil,
                    owner: Bool.random(using: &generator) ? "r\(Int.random(in: 0..<(repCount + 2), using: &generator))" : nil,
                    isPartner: constrained && Int.random(in: 0..<10, using: &generator) == 0,
                    isStale: Int.random(in: 0..<8, using: &generator) == 0)
            }
            let plan = TerritoryAssigner().assign(accounts, reps: reps)
            var counts = [Int](repeating: 0, count: reps.count)
            let unassigned = Set(plan.unassigned.map(\.account))
            for (index, account) in accounts.enumerated() {
                guard let rep = plan.rep[index] else {
                    #expect(unassigned.contains(index), "account \(index) neither assigned nor reported")
                    continue
                }
                #expect(!unassigned.contains(index))
                counts[rep] += 1
                let r = reps[rep]
                #expect((r.role == .partner) == account.isPartner, "round \(round): role")
                #expect(r.regions.isEmpty || account.region.map(r.regions.contains) ?? true, "round \(round): region")
                if account.isStale && account.owner == r.id {
                    // Only when nobody else may take it (another eligible rep without a capacity limit could).
                    let others = reps.filter { other in
                        other.id != r.id && other.capacity == nil && (other.role == .partner) == account.isPartner
                            && (other.regions.isEmpty || account.region.map(other.regions.contains) ?? true)
                    }
                    #expect(others.isEmpty, "round \(round): a stale account stays with its owner although \(others.map(\.id)) could take it")
                    #expect(plan.notes.contains { $0.contains("stay with their owner") })
                }
            }
            for (index, rep) in reps.enumerated() { #expect(rep.capacity.map { counts[index] <= $0 } ?? true) }
            if !constrained {
                // Everyone eligible for everything, no capacity, many small accounts: feasible.
                #expect(plan.balance.allSatisfy { $0.withinBound }, "round \(round): \(plan.balance) \(plan.notes)")
                #expect(plan.unassigned.isEmpty)
            }
        }
    }
}

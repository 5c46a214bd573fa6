import ArgumentParser
import Foundation
import MarketMapCore

/// Benchmarks of pure code paths that have no database part (run by `ops/bench/*`).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmarks of pure code (for ops/bench scripts).",
        shouldDisplay: false, subcommands: [Territories.self])

    struct Territories: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Assign generated accounts to generated reps and print the time and balance.")
        @Option(help: "Accounts.") var accounts = 1_000_000
        @Option(help: "Direct reps.") var reps = 200
        @Option(help: "Random seed.") var seed: UInt64 = 7

        func run() {
            var random = SeededRandom(seed: seed)
            let regions = ["US", "CA", "GB", "DE", "FR"]
            let team = (0..<reps).map { Rep(id: "r\($0)", regions: [regions[$0 % regions.count], regions[($0 + 1) % regions.count]]) }
                + [Rep(id: "partners", role: .partner)]
            let book = (0..<accounts).map { _ in
                // Heavy-tailed valuations, a third unowned, the rest owned by a rep
                // covering their region (so imbalance, not eligibility, drives moves),
                // 5 % stale, 2 % partners.
                let region = Int.random(in: 0..<regions.count, using: &random)
                let owner = (region - Int.random(in: 0...1, using: &random) + regions.count) % regions.count
                    + regions.count * Int.random(in: 0..<max(1, reps / regions.count), using: &random)
                return TerritoryAccount(
                    valuation: (10_000 * pow(Double.random(in: 0.001...1, using: &random), -0.7)).rounded(),
                    region: regions[region],
                    owner: Int.random(in: 0..<3, using: &random) == 0 || owner >= reps ? nil : "r\(owner)",
                    isPartner: Int.random(in: 0..<50, using: &random) == 0, isStale: Int.random(in: 0..<20, using: &random) == 0)
            }
            let start = Date()
            let plan = TerritoryAssigner().assign(book, reps: team)
            let seconds = Date().timeIntervalSince(start)
            let firstOwners = plan.moves.filter { $0.from == nil }.count
            let owned = book.filter { $0.owner != nil }.count
            print("accounts \(accounts), reps \(reps) + 1 partner desk: assigned in \(String(format: "%.2f", seconds)) s")
            print("  owner changed for \(plan.moves.count - firstOwners) of \(owned) owned accounts, \(firstOwners) unowned accounts placed, \(plan.unassigned.count) unassigned")
            for balance in plan.balance {
                print("  \(balance.role): mean \(Int(balance.mean)), max/min \(String(format: "%.3f", balance.maxMinRatio)), CV \(String(format: "%.4f", balance.coefficientOfVariation)), within ±20 %: \(balance.withinBound)")
            }
            for note in plan.notes { print("  note: \(note)") }
        }
    }
}

import ArgumentParser
import Foundation
import MarketMapCore
import Pipeline

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Check a configuration file.", subcommands: [Check.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a YAML configuration (see ops/examples/marketmap.yaml) and summarize it; exit 1 with the key path on an error.")
        @Argument(help: "The configuration file.") var file: String

        func run() throws {
            let config: MarketMapConfig
            do {
                config = try ConfigLoader.load(file)
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode(1)
            }
            for product in config.products {
                print("product \(product.product): \(product.criteria.count) criteria (\(Int(product.maximumPoints)) points possible), \(product.gates.count) gates, \(product.exclusions.count) exclusions, T1 ≥ \(product.tiers.t1), T2 ≥ \(product.tiers.t2)")
            }
            print("valuation: \(config.valuation.bands.count) bands on \(config.valuation.baseField), \(config.valuation.factors.count) factors, coefficient \(config.valuation.coefficient)")
            print("personas: tier 1 ≥ \(config.personas.tiers.tier1), tier 2 ≥ \(config.personas.tiers.tier2), \(config.personas.negativeTitles.count) negative titles")
            print("territories: \(config.territories.reps.count) reps, ±\(Int(config.territories.tolerance * 100)) %, stale after \(config.territories.staleMonths) months")
        }
    }
}

import Foundation
import MarketMapCore
import Pipeline
import Testing

@Suite("Configuration file")
struct ConfigTests {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("ops/examples/marketmap.yaml").path

    @Test("the commented example in ops/examples loads, with its values")
    func example() throws {
        let config = try ConfigLoader.load(Self.example)
        #expect(config.products.map(\.product) == ["platform"])
        #expect(config.products[0].criteria.count == 5)
        #expect(config.products[0].criteria[0].bands.count == 3)
        #expect(config.products[0].exclusions.first?.matcher == .oneOf(["Partner", "Channel Partner", "Competitor"]))
        #expect(config.valuation.estimate(["employees": .number(120), "industry": .text("saas")]) == 45_000)
        #expect(config.personas.points.title == [30, 15, 5])
        #expect(config.personas.seniority[0] == [.cLevel, .vp])
        #expect(config.territories.reps.count == 4)
        #expect(config.territories.reps.last?.role == .partner)
        #expect(config.alerts.minContactsT1 == 4)
    }

    func error(_ yaml: String) -> String {
        do {
            _ = try ConfigLoader.parse(yaml, file: "bad.yaml")
            return "no error"
        } catch {
            return error.description
        }
    }

    static let minimal = """
        icp:
          products:
            - name: p
              criteria:
                - {field: employees, range: [1, 10], points: 5}
                - {field: industry, equals: Software, points: 5}
                - {field: employees, range: [10], points: 5}
        valuation:
          base: {bands: [{range: [0, null], value: 1000}]}
        """

    @Test("a bad config names the file, the key path and what was expected")
    func keyPaths() {
        #expect(error(Self.minimal) == "bad.yaml: icp.products[0].criteria[2].range: expected [min, max] numbers (null for an open end)")
        #expect(error(Self.minimal.replacingOccurrences(of: "range: [10]", with: "range: [1, 2]") + "\nterritories: {tolerance: 2}")
            == "bad.yaml: territories.tolerance: expected a share between 0 and 1, e.g. 0.2")
        #expect(error(Self.minimal.replacingOccurrences(of: "range: [10]", with: "rnage: [1, 2]")).hasPrefix(
            "bad.yaml: icp.products[0].criteria[2].rnage: unknown key; expected one of"))
        #expect(error(Self.minimal.replacingOccurrences(of: "range: [10]", with: "regex: \"([\"")) == "bad.yaml: icp.products[0].criteria[2].regex: expected a valid regular expression")
        #expect(error("icp: {products: []}\n") == "bad.yaml: icp.products: expected at least one product with criteria")
        #expect(error("valuation: {}\n").contains("icp: required key is missing"))
        #expect(error(Self.minimal.replacingOccurrences(of: "range: [10]", with: "range: [1, 2]") + "\npersonas: {points: {title: [30, 15]}}")
            == "bad.yaml: personas.points.title: expected three numbers: [tier 1, tier 2, tier 3] points")
        #expect(error("icp: [\n").contains("not valid YAML"))
    }
}

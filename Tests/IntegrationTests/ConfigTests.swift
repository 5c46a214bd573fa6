import Enrichment
import Foundation
import MarketMapCore
import Pipeline
import TestSupport
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
        #expect(config.enrichment.providers.map(\.name) == ["purchased-dataset", "firmo-api", "bulk-api"])
        #expect(config.enrichment.budget == 2000)
        #expect(config.enrichment.providers[1].onlyRunIf.map(\.description) == ["industry is blank", "fit_score >= 40"])
        if case .http(let http) = config.enrichment.providers[2].source { #expect(http.batch?.size == 50 && http.method == .post) } else { Issue.record("bulk-api is http") }
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

    @Test("match: thresholds and hosting platforms from the configuration; bad values name their key")
    func match() throws {
        let good = Self.valid
        let config = try ConfigLoader.parse(
            good + "\nmatch: {name_threshold: 0.93, max_domains_per_account: 2, hosting_platforms: [mysites.example, portal.example/shops]}\n",
            file: "match.yaml")
        #expect(config.match.settings.nameThreshold == 0.93)
        #expect(config.match.settings.maxDomainsPerAccount == 2)
        #expect(config.match.settings.alternateDomainThreshold == MatchSettings().alternateDomainThreshold)
        let domains = DomainNormalizer(resolver: LibPSLResolver.shared, platforms: config.match.platforms)
        #expect(domains.normalize("https://acme.mysites.example/")?.registrable == "acme.mysites.example")
        #expect(domains.normalize("portal.example/shops/acme/home")?.registrable == "portal.example/shops/acme")
        #expect(domains.normalize("portal.example/shops/acme")?.isPlatformTenant == true)
        #expect(try ConfigLoader.parse(good, file: "default.yaml").match == MatchConfig())
        #expect(error(good + "\nmatch: {name_threshold: 2}\n") == "bad.yaml: match.name_threshold: expected a similarity above 0.5 and at most 1, e.g. 0.9")
        #expect(error(good + "\nmatch: {hosting_platforms: [nodot]}\n").hasPrefix("bad.yaml: match.hosting_platforms: expected hosts like"))
        #expect(error(good + "\nmatch: {threshold: 0.9}\n").hasPrefix("bad.yaml: match.threshold: unknown key"))
        let margins = try ConfigLoader.parse(good + "\nmatch: {phone_margin: 0.2, postcode_margin: 0}\n", file: "margins.yaml")
        #expect(margins.match.settings.phoneMargin == 0.2 && margins.match.settings.postcodeMargin == 0)
        #expect(error(good + "\nmatch: {phone_margin: 0.7}\n")
            == "bad.yaml: match.phone_margin: expected a margin from 0 (the evidence does not count) to below 0.5, e.g. 0.3")
    }

    @Test("a bad config names the file, the key path and what was expected")
    func keyPaths() {
        #expect(error(Self.minimal) == "bad.yaml: icp.products[0].criteria[2].range: expected [min, max] numbers (null for an open end)")
        #expect(error(Self.valid + "\nterritories: {tolerance: 2}")
            == "bad.yaml: territories.tolerance: expected a share between 0 and 1, e.g. 0.2")
        #expect(error(Self.minimal.replacingOccurrences(of: "range: [10]", with: "rnage: [1, 2]")).hasPrefix(
            "bad.yaml: icp.products[0].criteria[2].rnage: unknown key; expected one of"))
        #expect(error(Self.minimal.replacingOccurrences(of: "range: [10]", with: "regex: \"([\"")) == "bad.yaml: icp.products[0].criteria[2].regex: expected a valid regular expression")
        #expect(error("icp: {products: []}\n") == "bad.yaml: icp.products: expected at least one product with criteria")
        #expect(error("valuation: {}\n").contains("icp: required key is missing"))
        #expect(error(Self.valid + "\npersonas: {points: {title: [30, 15]}}")
            == "bad.yaml: personas.points.title: expected three numbers: [tier 1, tier 2, tier 3] points")
        #expect(error("icp: [\n").contains("not valid YAML"))
    }

    @Test("a YAML syntax error names the file, the line and the column, and quotes the line")
    func syntaxErrors() throws {
        let indented = Self.valid.replacingOccurrences(of: "valuation:", with: "valuation:\n   base: 1\n  oops: 2")
        #expect(error(indented).hasPrefix("bad.yaml: line 10, column 3: not valid YAML: did not find expected key"), "\(error(indented))")
        #expect(error(indented).hasSuffix(" in \"  oops: 2\""), "\(error(indented))")
        let colon = Self.valid.replacingOccurrences(of: "- name: p", with: "- name: p: q")
        #expect(error(colon) == "bad.yaml: line 3, column 14: not valid YAML: mapping values are not allowed in this context in \"    - name: p: q\"")
        let unclosed = Self.valid + "\nterritories: {tolerance: 0.2\n"
        #expect(error(unclosed).hasPrefix("bad.yaml: line 11, column 1: not valid YAML: did not find expected ',' or '}' (while parsing a flow mapping at line 10, column 14)"), "\(error(unclosed))")
        #expect(!error(unclosed).contains("The given data was not valid YAML"))
        // Manifests are read the same way.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mm-yaml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let manifest = directory.appendingPathComponent("manifest.yaml")
        try "sources:\n  - {source: a, format: salesforce, file: a.csv\nconfig: c.yaml\n".write(to: manifest, atomically: true, encoding: .utf8)
        let thrown = #expect(throws: ConfigError.self) { try RunPlan.load(manifest.path, out: nil) }
        #expect(thrown?.description.hasPrefix("\(manifest.path): line 3, column 7: not valid YAML: ") == true, "\(String(describing: thrown))")
    }
}

extension ConfigTests {
    static let valid = minimal.replacingOccurrences(of: "range: [10]", with: "range: [1, 2]")

    func enrichment(_ yaml: String) -> String { error(Self.valid + "\nenrichment:\n" + yaml) }

    @Test("enrichment: every provider mistake names its key path")
    func enrichmentKeyPaths() throws {
        let http = """
              fields: [industry]
              providers:
                - name: api
                  type: http
                  url: "${API}/companies?domain={domain}"
                  fields: {industry: /industry}

            """
        #expect(enrichment(http) == "no error")
        let config = try ConfigLoader.parse(Self.valid + "\nenrichment:\n" + http + "  budget: 50\n", file: "ok.yaml")
        #expect(config.enrichment.budget == 50 && config.enrichment.providers[0].inputFields == ["domain"])
        #expect(enrichment(http.replacingOccurrences(of: "type: http", with: "type: ftp")) == "bad.yaml: enrichment.providers[0].type: expected http or table")
        #expect(enrichment(http.replacingOccurrences(of: "/industry}", with: "industry}"))
            == "bad.yaml: enrichment.providers[0].fields.industry: expected a JSON pointer like /company/industry")
        #expect(enrichment(http.replacingOccurrences(of: "{industry: /industry}", with: "{revenue: /revenue}"))
            == "bad.yaml: enrichment.providers[0].fields.revenue: not one of enrichment.fields (industry)")
        #expect(enrichment(http + "      only_run_if: [\"fit_score about 40\"]\n").hasPrefix("bad.yaml: enrichment.providers[0].only_run_if[0]: expected `FIELD is blank`"))
        #expect(enrichment(http + "      rate_limit: {per_second: 0}\n") == "bad.yaml: enrichment.providers[0].rate_limit.per_second: expected at least 1 request per second")
        #expect(enrichment(http + "      headers: {Authorization: \"Bearer {token}\"}\n")
            == "bad.yaml: enrichment.providers[0].token_env: a header uses {token}: name the environment variable that holds it")
        #expect(enrichment(http.replacingOccurrences(of: "?domain={domain}", with: ""))
            == "bad.yaml: enrichment.providers[0].url: expected at least one {field} placeholder (or a batch section)")
        #expect(enrichment(http + "      batch: {size: 5000}\n") == "bad.yaml: enrichment.providers[0].batch.size: expected 1 to 1000 accounts per request")
        #expect(enrichment(http + "      cost: -1\n") == "bad.yaml: enrichment.providers[0].cost: expected credits >= 0")
        #expect(enrichment(http + "      csv: x.csv\n").hasPrefix("bad.yaml: enrichment.providers[0].csv: unknown key"))
        let table = """
              fields: [employees]
              providers:
                - {name: dataset, type: table, fields: {employees: headcount}}

            """
        #expect(enrichment(table) == "bad.yaml: enrichment.providers[0].csv: expected exactly one of csv (a file) or table (a PostgreSQL table)")
        #expect(enrichment(table.replacingOccurrences(of: "type: table,", with: "type: table, table: a.b.c,")) == "bad.yaml: enrichment.providers[0].table: expected TABLE or SCHEMA.TABLE")
        #expect(enrichment(table.replacingOccurrences(of: "type: table,", with: "type: table, csv: d.csv, cost: 1,"))
            == "bad.yaml: enrichment.providers[0].cost: table providers are local data and cost nothing; leave cost out")
        #expect(enrichment("  budget: -5\n") == "bad.yaml: enrichment.budget: expected credits >= 0 (leave it out for no limit)")
    }
}

import Enrichment
import Foundation
import Logging
import MarketMapCore
import Pipeline
import Postgres
import TestSupport
import Testing

@Suite("Shard-local match: each match job reads only its blocks' records")
struct ShardMatchTests {
    let importer = Importer(domains: DomainNormalizer(resolver: LibPSLResolver.shared), logger: Logger(label: "test"))
    let merger = AccountMerger(logger: Logger(label: "test"))

    /// A Salesforce export of a generated market: shared first words and
    /// typos, blank countries (some with a country-suffix domain), platform
    /// pages, one company's two domains, franchise branches.
    static func export(seed: UInt64, companies: Int) -> String {
        var random = SeededRandom(seed: seed)
        let syllables = ["ka", "lo", "vex", "tri", "mon", "sa", "der", "qui", "ban", "ro", "el", "tek", "nor", "ix"]
        let tails = ["", " Systems", " Technology", " National Bank", " Energy", " Labs", " GmbH", " Inc.", " Ltd"]
        let countries = ["United States", "Germany", "United Kingdom", "China", "", ""]
        var lines = ["Account ID,Account Name,Website,Billing Country,Billing City,Prevent Override"]
        for company in 0..<companies {
            let base = (0..<Int.random(in: 2...3, using: &random)).map { _ in syllables.randomElement(using: &random) ?? "ka" }.joined()
            let name = base.prefix(1).uppercased() + base.dropFirst() + (tails.randomElement(using: &random) ?? "")
            let country = countries.randomElement(using: &random) ?? ""
            let tld = ["United States": "com", "Germany": "de", "United Kingdom": "co.uk", "China": "cn"][country] ?? "de"
            for copy in 0..<Int.random(in: 1...3, using: &random) {
                let website = switch Int.random(in: 0..<10, using: &random) {
                case 0...3: "https://www.\(base).\(tld)"
                case 4: "\(base).com"
                case 5: "\(base).wordpress.com"
                default: ""
                }
                var spelled = name
                if copy > 0, Int.random(in: 0..<3, using: &random) == 0 { spelled.insert(spelled.last ?? "x", at: spelled.index(before: spelled.endIndex)) }
                let city = ["Berlin", "London", "Austin", ""].randomElement(using: &random) ?? ""
                let branch = Int.random(in: 0..<15, using: &random) == 0 ? "true" : ""
                let blank = Int.random(in: 0..<5, using: &random) == 0
                lines.append("\(company)-\(copy),\"\(spelled)\",\(website),\(blank ? "" : country),\(city),\(branch)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func newRun(_ db: Connection) async throws -> Int {
        try await db.query("INSERT INTO runs (pipeline) VALUES ('merge') RETURNING id")[0].decode(0)
    }

    func shardEdges(_ db: Connection, run: Int, shards: Int) async throws -> [MatchEdge] {
        var edges: [MatchEdge] = []
        for shard in 0..<shards {
            edges += try await ShardMatch.edges(runID: run, shard: shard, shards: shards, settings: MatchSettings(), platforms: HostingPlatforms(), on: db)
        }
        return edges
    }

    @Test("the union of the match jobs' edges from their own records is the edge set of all records, for 1 to 6 shards")
    func shardLocalEdges() async throws {
        try await withTestConnection { db in
            let path = try temporaryFile("shard-market.csv", Self.export(seed: 17, companies: 700))
            _ = try await importer.importFile(path, source: "sfdc", format: .salesforce, on: db)
            let records = try await merger.matchRecords(on: db)
            let expected = AccountClustering.candidates(records)
            #expect(expected.contains { $0.kind == .name } && expected.contains { $0.reason.contains("country blank") })
            #expect(try await count(db, "SELECT count(*) FROM source_accounts WHERE match_version IS NULL") == 0, "keys written at normalize")
            let run = try await newRun(db)
            let rekeyed = try await ShardMatch.prepare(runID: run, platforms: HostingPlatforms(), on: db)
            #expect(rekeyed == 0)
            for shards in 1...6 {
                let union = try await shardEdges(db, run: run, shards: shards)
                #expect(Set(union) == Set(expected), "\(shards) shards")
                #expect(union.count == expected.count, "\(shards) shards")
            }
        }
    }

    @Test("records without keys (written before the upgrade) get them when the match stage is planned; a changed record updates its keys")
    func keysFollowRecords() async throws {
        try await withTestConnection { db in
            let path = try temporaryFile("shard-market.csv", Self.export(seed: 5, companies: 300))
            _ = try await importer.importFile(path, source: "sfdc", format: .salesforce, on: db)
            let stored = try await db.query("SELECT source_id, match_buckets::text, match_pull::text FROM source_accounts ORDER BY 1").map {
                [try $0.decode(0, as: String.self), try $0.decode(1, as: String.self), try $0.decode(2, as: String.self)]
            }
            try await db.execute("""
                UPDATE source_accounts SET match_buckets = NULL, match_pull = NULL, match_blank_bucket = NULL, match_country = NULL,
                    match_version = NULL WHERE source_id LIKE '1%'
                """)
            let run = try await newRun(db)
            let rekeyed = try await ShardMatch.prepare(runID: run, platforms: HostingPlatforms(), on: db)
            #expect(rekeyed > 0)
            #expect(rekeyed == stored.filter { $0[0].hasPrefix("1") }.count)
            let again = try await db.query("SELECT source_id, match_buckets::text, match_pull::text FROM source_accounts ORDER BY 1").map {
                [try $0.decode(0, as: String.self), try $0.decode(1, as: String.self), try $0.decode(2, as: String.self)]
            }
            #expect(again == stored, "recomputed keys equal those written at normalize")

            // A changed name moves its record's keys; the edges still equal those of all records.
            let changed = try temporaryFile("shard-changed.csv", Self.export(seed: 6, companies: 300))
            _ = try await importer.importFile(changed, source: "sfdc", format: .salesforce, on: db)
            let moved = try await db.query("SELECT source_id, match_buckets::text, match_pull::text FROM source_accounts ORDER BY 1").map {
                [try $0.decode(0, as: String.self), try $0.decode(1, as: String.self), try $0.decode(2, as: String.self)]
            }
            #expect(moved != stored)
            let next = try await newRun(db)
            #expect(try await ShardMatch.prepare(runID: next, platforms: HostingPlatforms(), on: db) == 0)
            let expected = AccountClustering.candidates(try await merger.matchRecords(on: db))
            #expect(Set(try await shardEdges(db, run: next, shards: 3)) == Set(expected))
            #expect(try await count(db, "SELECT count(*) FROM match_runs WHERE run_id = $1", run) == 1, "the other run is still running")
        }
    }

    @Test("a match job of a run planned without the market's counts fails with what to do")
    func noCounts() async throws {
        try await withTestConnection { db in
            let run = try await newRun(db)
            let error = await #expect(throws: (any Error).self) {
                try await ShardMatch.edges(runID: run, shard: 0, shards: 1, settings: MatchSettings(), platforms: HostingPlatforms(), on: db)
            }
            #expect("\(error.map { "\($0)" } ?? "")".contains("start a new run"))
        }
    }
}

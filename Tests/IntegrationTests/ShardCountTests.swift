import Foundation
import Logging
import MarketMapCore
@testable import Pipeline
import Postgres
import TestSupport
import Testing

/// The manifest's `shards`: a number, or `auto` (the default), which a run
/// turns into a count by the market's size when it is created.
@Suite("Shard count: fixed or by the market's size")
struct ShardCountTests {
    static let sample = TestServer.repositoryRoot.appendingPathComponent("ops/sample/manifest.yaml").path

    func manifest(_ shards: String?) throws(ConfigError) -> Manifest {
        let text = "config: marketmap.yaml\n" + (shards.map { "shards: \($0)\n" } ?? "")
            + "sources:\n  - {source: crm, format: salesforce, kind: accounts, file: accounts.csv}\n"
        return try ConfigLoader.decode(Manifest.self, from: text, file: "manifest.yaml")
    }

    @Test("a number, auto, or nothing (auto); anything else names the key and what it expects", arguments: [
        ("16", ShardCount.fixed(16)), ("1", .fixed(1)), ("256", .fixed(256)), ("auto", .auto), (nil, .auto),
    ] as [(String?, ShardCount)])
    func decoding(_ text: String?, _ expected: ShardCount) throws {
        #expect(try manifest(text).shards == expected)
    }

    @Test("out of range or not a number: an error at `shards`", arguments: ["0", "257", "-3", "lots", "[4]", "4.5"])
    func badValues(_ text: String) throws {
        let error = #expect(throws: ConfigError.self) { try manifest(text) }
        #expect(error?.path == "shards", "\(String(describing: error))")
        #expect(error?.expected.contains("expected 1 to 256 or auto") == true, "\(String(describing: error))")
    }

    @Test("auto: a power of two, at least 8, with at most 40,000 account rows per job; a number is what it says", arguments: [
        (0, 8), (1_000, 8), (320_000, 8), (320_001, 16), (640_001, 32), (1_027_475, 32), (3_082_425, 128), (100_000_000, 256),
    ])
    func autoCount(_ accounts: Int, _ jobs: Int) {
        #expect(ShardCount.auto.jobs(accounts: accounts) == jobs)
        #expect(ShardCount.fixed(3).jobs(accounts: accounts) == 3)
    }

    @Test("auto keeps the previous run's double count near a boundary, until the market is half of what it was planned for", arguments: [
        (330_000, 16, 16), (310_000, 16, 16), (160_001, 16, 16), (160_000, 16, 8), (3_000, 16, 8),
        (310_000, 32, 8), (330_000, 8, 16), (700_000, 16, 32), (1_300_000, 64, 64), (1_200_000, 64, 64), (1_300_000, 32, 64),
    ])
    func autoKeepsPrevious(_ accounts: Int, _ previous: Int, _ jobs: Int) {
        #expect(ShardCount.auto.jobs(accounts: accounts, previous: previous) == jobs)
        #expect(ShardCount.fixed(5).jobs(accounts: accounts, previous: previous) == 5)
    }

    @Test("a run counts the market when it is created: the sample alone plans 8, with 330,001 accounts stored before 16, with 310,000 still 16, with 150,000 8")
    func runPlansByMarket() async throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("mm-shards-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let plan = try RunPlan.load(Self.sample, out: out.path)
        #expect(plan.manifest.shards == .auto, "the sample says auto")
        try await withTestDatabase { config in
            let db = try await Connection.connect(config)
            func shards(_ run: Int) async throws -> Int {
                try await db.query("SELECT (params->>'shards')::int FROM runs WHERE id = $1", run)[0].decode(0)
            }
            let small = try await plan.startOrResume(logger: Logger(label: "test"), progress: { _ in }, on: db)
            #expect(try await shards(small.run) == 8)
            try await db.query("UPDATE runs SET state = 'done' WHERE id = $1", small.run)
            try await db.query("""
                INSERT INTO source_accounts (source, source_id, content_hash)
                SELECT 'old-crm', g::text, 'x' FROM generate_series(1, 330001) g
                """)
            let large = try await plan.startOrResume(logger: Logger(label: "test"), progress: { _ in }, on: db)
            #expect(large.run != small.run && !large.resumed)
            #expect(try await shards(large.run) == 16)
            // The market shrinks a little below the boundary: the next run keeps 16; to less than half of 320,000: 8.
            try await db.query("UPDATE runs SET state = 'done' WHERE id = $1", large.run)
            try await db.query("DELETE FROM source_accounts WHERE source = 'old-crm' AND source_id::int > 310000")
            let smaller = try await plan.startOrResume(logger: Logger(label: "test"), progress: { _ in }, on: db)
            #expect(try await shards(smaller.run) == 16)
            try await db.query("UPDATE runs SET state = 'done' WHERE id = $1", smaller.run)
            try await db.query("DELETE FROM source_accounts WHERE source = 'old-crm' AND source_id::int > 150000")
            let half = try await plan.startOrResume(logger: Logger(label: "test"), progress: { _ in }, on: db)
            #expect(try await shards(half.run) == 8)
            await db.close()
        }
    }
}

import Enrichment
import Foundation
import MarketMapCore
import Postgres
import TestSupport
import Testing

/// A table provider's CSV file, loaded a chunk at a time (`CSVTable.stream`,
/// `EnrichmentStore.loadCSV`): the same rows as reading it whole, the first
/// row of a key kept, bad files named with what is wrong.
@Suite("Provider files")
struct ProviderFileTests {
    static let file = """
        Site,Headcount,Note\r
        https://www.alpha.com/,250,"first, quoted"\r
        beta.co.uk,40,"two
        lines"\r
        ALPHA.com,999,a second row of alpha: not kept\r
        ,12,no key: skipped\r
        gamma.io,7,\r

        """

    func provider(_ path: String) -> ProviderSettings {
        var table = TableProviderSettings(location: .csv(path: path))
        table.keyColumn = "Site"
        return ProviderSettings(name: "warehouse", source: .table(table), fields: ["employees": "Headcount"])
    }

    func load(_ path: String, on db: Connection) async throws {
        try await EnrichmentStore.loadCSV(
            provider: provider(path), path: path, keyColumn: "Site", domains: DomainNormalizer(resolver: LibPSLResolver.shared), on: db)
    }

    @Test("read a few bytes at a time (records split across chunks, a quoted newline, CRLF), a file gives the rows of reading it whole")
    func streamedLikeWhole() throws {
        let path = try temporaryFile("provider.csv", Self.file)
        let whole = try CSVTable.read(path)
        for chunk in [1, 3, 7, 64, 1 << 20] {
            var header: [String] = []
            var rows: [[String: String]] = []
            try CSVTable.stream(path, chunk: chunk, header: { header = $0 }, row: { rows.append($0) })
            #expect(header == whole.header)
            #expect(rows == whole.rows, "chunk \(chunk)")
        }
        #expect(whole.rows.count == 5)
        #expect(try CSVTable.fingerprint(path, chunk: 5) == CSVTable.fingerprint(path))
    }

    @Test("loaded: the first row of each normalised key, rows without a key skipped, the count recorded; the same file again loads nothing")
    func firstRowOfAKey() async throws {
        let path = try temporaryFile("provider.csv", Self.file)
        try await withTestConnection { db in
            try await load(path, on: db)
            let rows = try await db.query("SELECT key, data->>'Headcount', data->>'Note' FROM provider_rows WHERE provider = 'warehouse' ORDER BY key")
            let got = try rows.map { "\(try $0.decode(0, as: String.self)) \(try $0.decode(1, as: String.self)) \(try $0.decode(2, as: String?.self) ?? "-")" }
            #expect(got == ["alpha.com 250 first, quoted", "beta.co.uk 40 two\nlines", "gamma.io 7 -"])
            let recorded = try await db.query("SELECT rows, loaded_at::text FROM provider_files WHERE provider = 'warehouse'")
            #expect(try recorded[0].decode(0, as: Int.self) == 3)
            let loadedAt = try recorded[0].decode(1, as: String.self)
            try await db.execute("UPDATE provider_rows SET data = '{\"Headcount\": \"changed\"}' WHERE key = 'gamma.io'")
            try await load(path, on: db)
            #expect(try await db.query("SELECT loaded_at::text FROM provider_files")[0].decode(0, as: String.self) == loadedAt)
            #expect(try await db.query("SELECT data->>'Headcount' FROM provider_rows WHERE key = 'gamma.io'")[0].decode(0, as: String.self) == "changed")
        }
    }

    @Test("a file without the key column, or with a row it cannot read, fails naming the column or the line, and keeps what was loaded before")
    func badFiles() async throws {
        let good = try temporaryFile("provider.csv", Self.file)
        let noKey = try temporaryFile("nokey.csv", "Domain,Headcount\nalpha.com,1\n")
        let badRow = try temporaryFile("badrow.csv", "Site,Headcount\nalpha.com,1\nbeta.com,\"2\n")
        try await withTestConnection { db in
            try await load(good, on: db)
            await #expect {
                try await load(noKey, on: db)
            } throws: { error in
                "\(error)".contains("no Site column (key_column); columns: Domain, Headcount")
            }
            await #expect {
                try await load(badRow, on: db)
            } throws: { error in
                "\(error)".contains("badrow.csv:3: unterminated quoted field")
            }
            #expect(try await count(db, "SELECT count(*) FROM provider_rows WHERE provider = 'warehouse'") == 3)
        }
    }
}

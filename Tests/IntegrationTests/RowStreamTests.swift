import Foundation
import Postgres
import TestSupport
import Testing

@Suite("Rows streamed through a cursor")
struct RowStreamTests {
    @Test("every row, in order, with bound parameters, in batches; in the caller's transaction too; a bad query throws")
    func streamsEveryRow() async throws {
        try await withTestConnection { db in
            #expect(try await Self.numbers(upTo: 25_003, batch: 1_000, on: db) == Array(1...25_003))
            #expect(try await Self.numbers(upTo: 0, batch: 10, on: db) == [])
            // Inside a transaction of the caller's: the cursor closes, the transaction goes on.
            let inOne = try await db.transaction { db in
                try Self.numbers(upTo: 10, batch: 3, on: db) + Self.numbers(upTo: 4, batch: 10_000, on: db)
            }
            #expect(inOne == Array(1...10) + Array(1...4))
            await #expect(throws: PostgresError.self) { try await Self.rows("SELECT * FROM no_such_table", on: db) }
            // The failed statement's transaction is rolled back: the connection still answers.
            #expect(try await db.query("SELECT 7")[0].decode(0, as: Int.self) == 7)
        }
    }

    /// 1...count as rows of a number and its text (checked against each other), `batch` at a time.
    static func numbers(upTo count: Int, batch: Int, on db: isolated Connection) throws -> [Int] {
        var seen: [Int] = []
        try db.forEachRow("SELECT n::int8, $2::text || n FROM generate_series(1, $1::int) n ORDER BY n", count, "row ", batch: batch) { row in
            let n: Int = try row.decode(0)
            if try row.decode(1, as: String.self) == "row \(n)" { seen.append(n) }
        }
        return seen
    }

    static func rows(_ sql: String, on db: isolated Connection) throws -> Int {
        var count = 0
        try db.forEachRow(sql) { _ in count += 1 }
        return count
    }
}

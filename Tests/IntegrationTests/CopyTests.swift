import Foundation
import Postgres
import TestSupport
import Testing

@Suite("COPY in and out")
struct CopyTests {
    /// The text of row `n`, with every character COPY's text format escapes.
    static func name(_ n: Int) -> String { "Acme \(n)\tGmbH\\Köln\nline\r\"q\"" }

    @Test("100,000 rows stream in and back out unchanged")
    func roundTrip() async throws {
        try await withTestConnection { db in
            try await db.execute("CREATE TABLE accounts (id int8 PRIMARY KEY, name text, employees int4)")
            let loaded = try await db.copyIn("COPY accounts (id, name, employees) FROM STDIN", bufferSize: 64 * 1024) { writer in
                for n in 0..<100_000 {
                    try writer.writeRow([String(n), Self.name(n), n % 7 == 0 ? nil : String(n % 5000)])
                }
            }
            #expect(loaded == 100_000)

            let check = try await db.query("""
                SELECT count(*), count(employees), sum(id), bool_and(name = 'Acme ' || id || E'\\tGmbH\\\\Köln\\nline\\r"q"')
                FROM accounts
                """)[0]
            #expect(try check.decode(0, as: Int.self) == 100_000)
            #expect(try check.decode(1, as: Int.self) == 100_000 - (0..<100_000).filter { $0 % 7 == 0 }.count)
            #expect(try check.decode(2, as: Decimal.self) == Decimal(99_999 * 100_000 / 2))
            #expect(try check.decode(3, as: Bool.self))

            var seen = 0
            var mismatches = 0
            try await db.copyOut("COPY (SELECT id, name, employees FROM accounts ORDER BY id) TO STDOUT") { bytes in
                let fields = String(decoding: bytes, as: UTF8.self).dropLast().split(separator: "\t", omittingEmptySubsequences: false)
                let id = Int(fields[0]) ?? -1
                let name = Self.unescape(String(fields[1]))
                let employees = fields[2] == "\\N" ? nil : Int(fields[2])
                if id != seen || name != Self.name(id) || employees != (id % 7 == 0 ? nil : id % 5000) { mismatches += 1 }
                seen += 1
            }
            #expect(seen == 100_000)
            #expect(mismatches == 0)
        }
    }

    @Test("a bad row fails the COPY with its SQLSTATE, loads nothing, and the connection stays usable")
    func badRow() async throws {
        try await withTestConnection { db in
            try await db.execute("CREATE TABLE accounts (id int8 PRIMARY KEY, employees int4)")
            let error = try await #require(throws: PostgresError.self, "a non-numeric employee count must fail the COPY") {
                try await db.copyIn("COPY accounts FROM STDIN") { writer in
                    for n in 0..<1000 { try writer.writeRow([String(n), n == 500 ? "many" : "10"]) }
                }
            }
            #expect(error.sqlState == "22P02")
            #expect("\(error)".contains("many"))
            #expect(try await db.query("SELECT count(*) FROM accounts")[0].decode(0, as: Int.self) == 0)
            #expect(try await db.query("SELECT 1 + 1")[0].decode(0, as: Int.self) == 2)
        }
    }

    @Test("an error thrown while writing aborts the COPY and is rethrown")
    func writerError() async throws {
        struct SourceGone: Error {}
        try await withTestConnection { db in
            try await db.execute("CREATE TABLE t (v text)")
            await #expect(throws: SourceGone.self) {
                try await db.copyIn("COPY t FROM STDIN") { writer in
                    try writer.writeRow(["kept?"])
                    throw SourceGone()
                }
            }
            #expect(try await db.query("SELECT count(*) FROM t")[0].decode(0, as: Int.self) == 0)
            #expect(try await db.query("SELECT 'still usable'")[0].decode(0, as: String.self) == "still usable")
        }
    }

    static func unescape(_ text: String) -> String {
        var result = ""
        var iterator = text.makeIterator()
        while let character = iterator.next() {
            guard character == "\\", let next = iterator.next() else { result.append(character); continue }
            switch next {
            case "t": result.append("\t")
            case "n": result.append("\n")
            case "r": result.append("\r")
            default: result.append(next)
            }
        }
        return result
    }
}

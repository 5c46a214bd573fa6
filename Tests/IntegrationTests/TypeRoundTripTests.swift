import Foundation
import Postgres
import TestSupport
import Testing

@Suite("Parameters and typed decoding on a real PostgreSQL")
struct TypeRoundTripTests {
    @Test("every supported type round-trips through a table, NULLs included")
    func roundTrip() async throws {
        try await withTestConnection { db in
            try await db.execute("""
                CREATE TABLE types (
                    id int4 PRIMARY KEY, t text, i2 int2, i4 int4, i8 int8, f8 float8, n numeric,
                    b bool, d date, ts timestamptz, j jsonb, u uuid, by bytea, ta text[], ia int8[])
                """)
            let uuid = UUID()
            let moment = Date(timeIntervalSince1970: 1_764_000_000.123456)
            let day = try #require(PostgresDate(year: 2024, month: 2, day: 29))
            let text = "Zürich Straße — 東京 ✓ \"quoted\" \\ back\tslash"
            let json = PostgresJSON(#"{"name": "Société Générale", "tags": ["a", "ü"], "n": 1.5}"#)
            let numeric = try #require(Decimal(string: "-12345678901234.5678"))
            try await db.query(
                "INSERT INTO types VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
                Int32(1), text, Int16(-32768), Int32(2_147_483_647), Int.max, 3.141592653589793, numeric,
                true, day, moment, json, uuid, Data([0, 1, 2, 255, 0x5C]), ["α", "", "NULL", "comma, \"q\""],
                [Int.min, 0, 42])
            try await db.query(
                "INSERT INTO types VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
                Int32(2), String?.none, Int16?.none, Int32?.none, Int?.none, Double?.none, Decimal?.none,
                Bool?.none, PostgresDate?.none, Date?.none, PostgresJSON?.none, UUID?.none, Data?.none,
                [String]?.none, [Int]?.none)

            let rows = try await db.query("SELECT * FROM types ORDER BY id")
            #expect(rows.count == 2)
            let row = rows[0]
            #expect(try row.decode("t", as: String.self) == text)
            #expect(try row.decode("i2", as: Int16.self) == -32768)
            #expect(try row.decode("i4", as: Int32.self) == 2_147_483_647)
            #expect(try row.decode("i8", as: Int.self) == Int.max)
            #expect(try row.decode("f8", as: Double.self) == 3.141592653589793)
            #expect(try row.decode("n", as: Decimal.self) == numeric)
            #expect(try row.decode("n", as: String.self) == "-12345678901234.5678")
            #expect(try row.decode("b", as: Bool.self) == true)
            #expect(try row.decode("d", as: PostgresDate.self) == day)
            #expect(try row.decode("d", as: PostgresDate.self).description == "2024-02-29")
            #expect(abs(try row.decode("ts", as: Date.self).timeIntervalSince(moment)) < 0.000_001)
            let decodedJSON = try row.decode("j", as: PostgresJSON.self)
            let object = try JSONSerialization.jsonObject(with: Data(decodedJSON.text.utf8)) as? [String: Any]
            #expect(object?["name"] as? String == "Société Générale")
            #expect(try row.decode("u", as: UUID.self) == uuid)
            #expect(try row.decode("by", as: Data.self) == Data([0, 1, 2, 255, 0x5C]))
            #expect(try row.decode("ta", as: [String].self) == ["α", "", "NULL", "comma, \"q\""])
            #expect(try row.decode("ia", as: [Int].self) == [Int.min, 0, 42])

            let nulls = rows[1]
            for column in rows.columns.dropFirst() { #expect(nulls.isNull(try #require(rows.columns.firstIndex(of: column)))) }
            #expect(try nulls.decode("t", as: String?.self) == nil)
            #expect(try nulls.decode("i8", as: Int?.self) == nil)
            #expect(try nulls.decode("n", as: Decimal?.self) == nil)
            #expect(try nulls.decode("ts", as: Date?.self) == nil)
            #expect(try nulls.decode("u", as: UUID?.self) == nil)
            #expect(try nulls.decode("ta", as: [String]?.self) == nil)
        }
    }

    @Test("numeric values of every shape decode exactly", arguments: [
        "0", "1", "-1", "10000", "123456789012345678901234567890", "0.0001", "-0.00012345",
        "1.50", "99999999.99999999", "100000000", "0.1",
    ])
    func numeric(_ literal: String) async throws {
        try await withTestConnection { db in
            let text = try await db.query("SELECT $1::numeric", literal)[0].decode(0, as: String.self)
            let expected = try await db.query("SELECT ($1::numeric)::text", literal)[0].decode(0, as: String.self)
            #expect(text == expected)
        }
    }

    @Test("arrays with NULL elements decode into optionals, and empty arrays round-trip")
    func arraysWithNulls() async throws {
        try await withTestConnection { db in
            let row = try await db.query("SELECT ARRAY['a', NULL, 'c']::text[], $1::text[], $2::int8[]", [String](), [Int]())[0]
            #expect(try row.decode(0, as: [String?].self) == ["a", nil, "c"])
            #expect(throws: PostgresError.self) { try row.decode(0, as: [String].self) }
            #expect(try row.decode(1, as: [String].self) == [])
            #expect(try row.decode(2, as: [Int].self) == [])
        }
    }

    @Test("a row decodes as a tuple in column order; a count of types that is not the result's columns is an error")
    func tuples() async throws {
        try await withTestConnection { db in
            let row = try await db.query("SELECT 7::int8 AS id, 'Acme'::text AS name, NULL::text AS website, 2.5::float8 AS score")[0]
            let (id, name, website, score) = try row.decode(Int.self, String.self, String?.self, Double.self)
            #expect(id == 7 && name == "Acme" && website == nil && score == 2.5)
            let count: Int = try await db.query("SELECT count(*)::int8 FROM generate_series(1, 3)")[0].decode(Int.self)
            #expect(count == 3)
            #expect {
                _ = try row.decode(Int.self, String.self)
            } throws: { error in
                "\(error)".contains("the result has 4 columns; the decode names 2 types") && "\(error)".contains("(id, name, website, score)")
            }
            #expect(throws: PostgresError.self) { _ = try row.decode(Int.self, Int.self, String?.self, Double.self) }
        }
    }

    @Test("a decoding error names the column and its type")
    func decodingError() async throws {
        try await withTestConnection { db in
            let row = try await db.query("SELECT 'x'::text AS company_name, NULL::int8 AS employees")[0]
            let text = try #require(throws: PostgresError.self, "decoding text as Int must fail") { try row.decode("company_name", as: Int.self) }
            #expect("\(text)".contains("company_name"))
            #expect("\(text)".contains("text"))
            let null = try #require(throws: PostgresError.self, "decoding NULL as Int must fail") { try row.decode("employees", as: Int.self) }
            #expect("\(null)".contains("employees"))
            #expect("\(null)".contains("NULL"))
        }
    }

    enum Light: String, PostgresTextEnum { case red, green }

    @Test("a text enum round-trips by column name; a value it does not know is an error naming the column and the known values")
    func textEnum() async throws {
        try await withTestConnection { db in
            let row = try await db.query("SELECT $1::text AS light, 'blue'::text AS other, NULL::text AS none", Light.green)[0]
            #expect(try row.decode("light", as: Light.self) == .green)
            #expect(try row.decode("none", as: Light?.self) == nil)
            let error = try #require(throws: PostgresError.self, "blue is not a Light") { try row.decode("other", as: Light.self) }
            #expect("\(error)".contains("other") && "\(error)".contains("unknown Light \"blue\"; expected one of red, green"), "\(error)")
        }
    }
}

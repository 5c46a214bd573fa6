import Foundation
import Postgres
import TestSupport
import Testing

@Suite("Transactions, errors, notifications, connection loss")
struct SessionTests {
    struct Abort: Error {}

    @Test("a thrown error rolls the transaction back; a clean body commits")
    func transactionRollback() async throws {
        try await withTestConnection { db in
            try await db.execute("CREATE TABLE t (v int4)")
            await #expect(throws: Abort.self) {
                try await db.transaction { tx in
                    try tx.query("INSERT INTO t VALUES ($1)", Int32(1))
                    throw Abort()
                }
            }
            #expect(try await db.query("SELECT count(*) FROM t")[0].decode(0, as: Int.self) == 0)
            let inserted = try await db.transaction { tx in
                try tx.query("INSERT INTO t VALUES ($1), ($2)", Int32(1), Int32(2)).affectedRows
            }
            #expect(inserted == 2)
            #expect(try await db.query("SELECT count(*) FROM t")[0].decode(0, as: Int.self) == 2)
        }
    }

    @Test("a unique violation is reported as such, and the session goes on")
    func uniqueViolation() async throws {
        try await withTestConnection { db in
            try await db.execute("CREATE TABLE golden (domain text CONSTRAINT golden_domain_key UNIQUE)")
            try await db.query("INSERT INTO golden VALUES ($1)", "acme.com")
            let error = try await #require(throws: PostgresError.self, "a duplicate must fail") {
                try await db.query("INSERT INTO golden VALUES ($1)", "acme.com")
            }
            #expect(error.isUniqueViolation)
            #expect(error.sqlState == "23505")
            if case .server(let server) = error {
                #expect(server.constraint == "golden_domain_key")
                #expect(server.detail?.contains("acme.com") == true)
            } else {
                Issue.record("a server error, not \(error)")
            }
            #expect(try await db.query("SELECT count(*) FROM golden")[0].decode(0, as: Int.self) == 1)
        }
    }

    @Test("LISTEN/NOTIFY delivers across two connections; waiting times out without busy polling")
    func notifications() async throws {
        try await withTestDatabase { config in
            let listener = try await Connection.connect(config)
            let sender = try await Connection.connect(config)
            try await listener.listen("run_done")

            let started = ContinuousClock.now
            let nothing = try await listener.waitForNotification(timeout: .milliseconds(300))
            #expect(nothing == nil)
            #expect(started.duration(to: .now) >= .milliseconds(290))

            async let received = listener.waitForNotification(timeout: .seconds(10))
            try await Task.sleep(for: .milliseconds(100))
            try await sender.notify("run_done", payload: "run 42 — fertig")
            let notification = try await received
            #expect(notification?.channel == "run_done")
            #expect(notification?.payload == "run 42 — fertig")
            #expect(notification?.senderPID == (await sender.backendPID))

            // Two notifications sent before waiting are both kept, in order.
            try await sender.notify("run_done", payload: "a")
            try await sender.notify("run_done", payload: "b")
            let first = try await listener.waitForNotification(timeout: .seconds(5))
            let second = try await listener.waitForNotification(timeout: .seconds(5))
            #expect([first?.payload, second?.payload] == ["a", "b"])
            await listener.close()
            await sender.close()
        }
    }

    @Test("a killed backend surfaces as connectionLost, not as an SQL error")
    func connectionLost() async throws {
        try await withTestDatabase { config in
            let victim = try await Connection.connect(config)
            let admin = try await Connection.connect(config)
            let pid = await victim.backendPID
            try await admin.query("SELECT pg_terminate_backend($1)", Int32(pid))
            let error = await #expect(throws: PostgresError.self, "a query on a terminated session must fail") { try await victim.query("SELECT 1") }
            #expect(error?.isConnectionLost == true, "got \(String(describing: error))")
            #expect(await victim.isUsable == false)
            await admin.close()
        }
    }

    @Test("a bad statement reports SQLSTATE, message and hint; the connection stays usable")
    func serverErrorFields() async throws {
        try await withTestConnection { db in
            let error = try await #require(throws: PostgresError.self) { try await db.query("SELECT no_such_column FROM pg_class") }
            #expect(error.sqlState == "42703")
            #expect("\(error)".contains("no_such_column"))
            #expect("\(error)".hasSuffix("run `marketmap db migrate` (`db status` lists what is pending)"), "a missing column may be a database not migrated yet")
            #expect(try await db.query("SELECT 'ok'")[0].decode(0, as: String.self) == "ok")
        }
    }

    @Test("connection strings never show a password")
    func redaction() {
        let uri = ConnectionConfig(conninfo: "postgresql://crm:s3cr3t@db.example:5432/marketmap?sslmode=require")
        #expect(!uri.description.contains("s3cr3t"))
        #expect(uri.description.contains("db.example"))
        let keyValue = ConnectionConfig(conninfo: "host=db user=crm password='se cret' dbname=mm")
        #expect(!keyValue.description.contains("se cret"))
        let query = ConnectionConfig(conninfo: "postgresql://db/mm?user=crm&password=hunter2")
        #expect(!query.description.contains("hunter2"))
    }

    @Test("a failed connection names the target without its password")
    func connectFailure() async throws {
        let config = ConnectionConfig(conninfo: "postgresql://crm:topsecret@127.0.0.1:1/nowhere?connect_timeout=2")
        let error = try await #require(throws: (any Error).self, "port 1 must refuse") { _ = try await Connection.connect(config) }
        #expect(!"\(error)".contains("topsecret"))
        #expect("\(error)".contains("127.0.0.1"))
    }
}

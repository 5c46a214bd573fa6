import Enrichment
import Foundation
import Logging
import MarketMapCore
@testable import Pipeline
import Postgres
@testable import ReportServer
import Testing
import TestSupport

/// The reporter's HTTP server: escaping, the token, sessions and CSRF as
/// pure checks; then the pages over real HTTP on loopback against a
/// database holding a merge of the bundled sample.
@Suite("Review page: escaping, token, CSRF, HTTP")
struct ReviewWebTests {
    static let hostile = #"<script>alert('x')</script> & "quoted""#
    static let hostileEscaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;"
    static let token = "0123456789abcdef-review-token"

    // MARK: Pure checks

    @Test("one escape for text and attributes; interpolated text is escaped, HTML pieces are not")
    func escaping() {
        #expect(HTMLReport.escape(#"<script>alert("x")</script>"#) == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;")
        #expect(HTMLReport.escape("O'Brien & Sons") == "O&#39;Brien &amp; Sons")
        #expect(HTMLReport.escape("&amp;") == "&amp;amp;", "already escaped text is escaped again: it is text")
        #expect(HTMLReport.escape("Zürich 東京") == "Zürich 東京")
        let name = "<img src=x onerror=alert(1)>"
        let html: HTML = "<td title=\"\(name)\">\(name)</td>\(HTML("<br>"))\(42)\(Optional<String>.none)"
        #expect(html.text == "<td title=\"&lt;img src=x onerror=alert(1)&gt;\">&lt;img src=x onerror=alert(1)&gt;</td><br>42")
    }

    @Test("hostile names, evidence, notes and filters are printed escaped on every page")
    func hostilePages() {
        let hostile = Self.hostile
        let records = [
            ReviewRecord(key: RecordKey(source: "acme-sfdc", sourceID: hostile), name: hostile, website: hostile, country: "GB", city: hostile, owner: hostile, goldenID: 7, matchMethod: "name"),
            ReviewRecord(key: RecordKey(source: "acme-hubspot", sourceID: "9001"), name: "ACME Ltd", goldenID: 7, matchMethod: "name"),
        ]
        let decision = ReviewDecision(
            id: 3, kind: .pin, a: records[0].key, b: nil, field: "name", value: hostile, decidedBy: hostile, decidedAt: "2026-12-02", note: hostile,
            itemID: 5, undoneBy: nil, undoneAt: nil)
        let item = ReviewItem(
            id: 5, kind: .nameMatch, score: 0.91, evidence: hostile, action: hostile, goldenID: 7, records: records, country: hostile, rep: hostile,
            tier: hostile, decision: decision)
        let context = PageContext(session: Sessions.Session(id: "s", csrf: "c", steward: hostile, expires: Date()), writes: .enabled, runNow: true)
        let pages: [(String, HTML)] = [
            ("item", ReviewItemPage.render(item, context, notice: hostile)),
            ("list", ReviewListPage.render(items: [item], counts: [.nameMatch: 1], filter: ReviewFilter(country: hostile, rep: hostile), context, notice: hostile)),
            ("preview", ReviewItemPage.preview(
                item, NewDecision(kind: .pin, a: records[0].key, field: "name", value: hostile, by: hostile, note: hostile),
                DecisionEffect(summary: hostile, accounts: [7: records]), context)),
            ("decisions", DecisionsPage.render([decision], golden: [records[0].key: 7], context, notice: hostile)),
            ("sign-in", SignInPage.render(csrf: "c", next: "/review", error: hostile, context)),
            ("problem", PageLayout.problem(hostile, hostile, context)),
        ]
        for (name, page) in pages {
            #expect(!page.text.contains("<script>"), "\(name)")
            #expect(!page.text.contains("'x'"), "\(name)")
            #expect(page.text.contains(Self.hostileEscaped), "\(name)")
        }
    }

    @Test("the review token: at least 16 characters; the option's file, then the environment's file, then the variable; none: nil")
    func tokens() throws {
        #expect(throws: ReviewTokenError.tooShort(5)) { try ReviewToken("short") }
        #expect(throws: ReviewTokenError.tooShort(0)) { try ReviewToken(" \n") }
        let none = try ReviewToken.configured(environment: [:])
        #expect(none == nil)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mm-token-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let optionFile = directory.appendingPathComponent("option").path, environmentFile = directory.appendingPathComponent("env").path
        try Data("  secret-from-the-option-file\n".utf8).write(to: URL(fileURLWithPath: optionFile))
        try Data("secret-from-the-environment-file\n".utf8).write(to: URL(fileURLWithPath: environmentFile))
        let environment = ["MARKETMAP_REVIEW_TOKEN_FILE": environmentFile, "MARKETMAP_REVIEW_TOKEN": "secret-from-the-variable"]
        let fromOption = try #require(try ReviewToken.configured(file: optionFile, environment: environment))
        #expect(fromOption.matches("secret-from-the-option-file") && !fromOption.matches("secret-from-the-environment-file"))
        let fromFile = try #require(try ReviewToken.configured(environment: environment))
        #expect(fromFile.matches("secret-from-the-environment-file") && !fromFile.matches("secret-from-the-variable"))
        let fromVariable = try #require(try ReviewToken.configured(environment: ["MARKETMAP_REVIEW_TOKEN": "secret-from-the-variable"]))
        #expect(fromVariable.matches("secret-from-the-variable"))
        #expect(!fromVariable.matches("secret-from-the-variablE") && !fromVariable.matches("secret-from-the-variable2") && !fromVariable.matches(""))
        let missing = directory.appendingPathComponent("missing").path
        #expect(throws: ReviewTokenError.unreadableFile(missing)) { try ReviewToken.configured(file: missing, environment: [:]) }
    }

    @Test("constant-time comparison: equal only when every byte and the length agree")
    func constantTime() {
        #expect(ConstantTime.equal("abc", "abc"))
        #expect(!ConstantTime.equal("abc", "abd"))
        #expect(!ConstantTime.equal("abc", "abcd"), "a prefix is not equal")
        #expect(!ConstantTime.equal("", "a"))
        #expect(ConstantTime.equal("", ""))
        #expect(!ConstantTime.equal([0, 1], [0]), "trailing zero bytes still count")
    }

    @Test("every POST: no token configured → disabled; no session → 401; a session without its form token → 403; a bearer token works")
    func writeGuard() throws {
        let token = try ReviewToken(Self.token)
        let sessions = Sessions()
        let ann = sessions.start(steward: "Ann")
        let bob = sessions.start(steward: "Bob")
        func check(_ token: ReviewToken?, cookie: String? = nil, authorization: String? = nil, csrf: String? = nil) -> WriteGuard.Outcome {
            WriteGuard.check(token: token, sessions: sessions, cookie: cookie, authorization: authorization, csrf: csrf, steward: nil)
        }
        #expect(check(nil, cookie: ann.id, csrf: ann.csrf) == .disabled)
        #expect(check(token) == .unauthorized)
        #expect(check(token, csrf: ann.csrf) == .unauthorized, "the form token alone is not a session")
        // Another session id: its first character changed (never to itself, as "0" was for one id in 16).
        #expect(check(token, cookie: (ann.id.first == "0" ? "1" : "0") + ann.id.dropFirst(), csrf: ann.csrf) == .unauthorized)
        #expect(check(token, cookie: ann.id) == .forgedForm)
        #expect(check(token, cookie: ann.id, csrf: bob.csrf) == .forgedForm, "another session's form token")
        #expect(check(token, cookie: ann.id, csrf: ann.csrf + "0") == .forgedForm)
        #expect(check(token, cookie: ann.id, csrf: ann.csrf) == .allowed(steward: "Ann", session: ann))
        #expect(check(token, authorization: "Bearer \(Self.token)") == .allowed(steward: "api", session: nil))
        #expect(check(token, cookie: ann.id, authorization: "Bearer wrong-token-0123456789", csrf: ann.csrf) == .unauthorized,
                "a wrong token is refused even with a session")
        #expect(check(token, authorization: "Basic \(Self.token)") == .unauthorized)
        sessions.end(ann.id)
        #expect(check(token, cookie: ann.id, csrf: ann.csrf) == .unauthorized, "signed out")
        #expect(sessions.session(bob.id, now: Date().addingTimeInterval(Sessions.lifetime + 1)) == nil, "sessions expire")
        #expect(Sessions.randomToken() != Sessions.randomToken() && Sessions.randomToken().count == 64)
    }

    @Test("forms and query strings: + is a space, %XX a byte, the first value wins")
    func formFields() {
        let form = FormFields("a=1&b=x+y%26z&a=2&c=&=skip&d&e=%3Cscript%3E&bad=%ZZ")
        #expect(form["a"] == "1")
        #expect(form["b"] == "x y&z")
        #expect(form["c"] == "" && form.text("c") == nil)
        #expect(form["d"] == "")
        #expect(form["e"] == "<script>")
        #expect(form["bad"] == "%ZZ", "a broken escape is kept as it is")
        #expect(form.values.count == 6)
        #expect(FormFields(FormFields.encode([("q", "a b&c=d/é")]))["q"] == "a b&c=d/é")
    }

    @Test("--http: PORT (loopback), HOST:PORT, [IPv6]:PORT; anything else is refused")
    func addresses() {
        #expect(HTTPAddress(parsing: "8080") == HTTPAddress(host: "127.0.0.1", port: 8080))
        #expect(HTTPAddress(parsing: "0.0.0.0:80") == HTTPAddress(host: "0.0.0.0", port: 80))
        #expect(HTTPAddress(parsing: "[::1]:9000") == HTTPAddress(host: "::1", port: 9000))
        #expect(HTTPAddress(parsing: "[::1]:9000")?.description == "[::1]:9000")
        for bad in ["", "host:", ":80", "x", "1.2.3.4:99999", "[::1]9000", "localhost:-1"] {
            #expect(HTTPAddress(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test("after signing in, only a path on this server")
    func signInNext() {
        #expect(SignInPage.safeNext("/review/items/3") == "/review/items/3")
        for bad in [nil, "", "//evil.example/x", "https://evil.example", "/\\evil.example", "review"] {
            #expect(SignInPage.safeNext(bad) == "/review", "\(String(describing: bad))")
        }
    }

    // MARK: Over HTTP

    static let sampleDirectory = TestServer.repositoryRoot.appendingPathComponent("ops/sample")

    /// The sample's two account exports imported and merged: golden accounts and review items.
    func seedSample(_ db: Connection) async throws {
        let importer = Importer(domains: DomainNormalizer(resolver: LibPSLResolver.shared), logger: Logger(label: "test"))
        for (file, source, format) in [("salesforce_accounts.csv", "acme-sfdc", ExportFormat.salesforce), ("hubspot_accounts.csv", "acme-hubspot", .hubspot)] {
            _ = try await importer.importFile(Self.sampleDirectory.appendingPathComponent(file).path, source: source, format: format, on: db)
        }
        _ = try await AccountMerger(sourcePriority: ["acme-sfdc", "acme-hubspot"], logger: Logger(label: "test")).merge(on: db)
    }

    /// The server on a free loopback port while `body` runs.
    func withServer<T>(_ config: ConnectionConfig, token: ReviewToken?, manifest: String? = nil, _ body: (Int) async throws -> T) async throws -> T {
        var logger = Logger(label: "review-web-test")
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let server = ReportServer(
            options: .init(address: HTTPAddress(port: 0), token: token, manifest: manifest, reportsDirectory: FileManager.default.temporaryDirectory),
            database: config, logger: logger, onRunning: { continuation.yield($0) })
        let task = Task { try await server.run() }
        defer { task.cancel() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw ClusterError("the server did not start") }
        return try await body(port)
    }

    /// `review_decisions` as text, every column: "unchanged" means this is equal.
    func decisionRows(_ db: Connection) async throws -> [String] {
        try await db.query("SELECT row_to_json(d)::text FROM review_decisions d ORDER BY id").map { try $0.decode(0, as: String.self) }
    }

    /// Signs in over HTTP: the session cookie (`mm_session=...`) and its form token.
    func signIn(port: Int, steward: String) async throws -> (cookie: String, csrf: String) {
        let form = try await RawHTTP.request(port: port, "GET", "/login")
        #expect(form.status == 200)
        let signIn = try #require(form.cookie("mm_signin"))
        let csrf = try #require(form.body.firstMatch(of: /name=csrf value="([0-9a-f]{64})"/)).1
        let done = try await RawHTTP.request(
            port: port, "POST", "/login", headers: ["Cookie": "mm_signin=\(signIn)"],
            form: [("csrf", String(csrf)), ("steward", steward), ("token", Self.token), ("next", "/review")])
        #expect(done.status == 303 && done.header("location") == "/review")
        let setCookie = try #require(done.headers("set-cookie").first { $0.hasPrefix("mm_session=") })
        #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict") && setCookie.contains("Path=/"))
        let session = try #require(done.cookie("mm_session"))
        let page = try await RawHTTP.request(port: port, "GET", "/review", headers: ["Cookie": "mm_session=\(session)"])
        let sessionCSRF = try #require(page.body.firstMatch(of: /name=csrf value="([0-9a-f]{64})"/)).1
        #expect(page.body.contains("signed in as"))
        return ("mm_session=\(session)", String(sessionCSRF))
    }

    @Test("a POST without the token gets 401 and changes nothing; signed in with it, a previewed decision is saved", .timeLimit(.minutes(3)))
    func writesNeedTheToken() async throws {
        try await withTestDatabase { config in
            let db = try await Connection.connect(config)
            defer { Task { await db.close() } }
            try await seedSample(db)
            let item = try #require(
                try await db.query("SELECT min(id)::int8 FROM review_items WHERE kind = 'name_match'")[0].decode(0, as: Int?.self),
                "the sample's merge leaves name matches to review")
            let records = try await db.query("SELECT a_source, a_id, b_source, b_id FROM review_items WHERE id = $1", item)[0]
            let decideForm: [(String, String)] = [
                ("kind", "different"), ("a_source", try records.decode(0)), ("a_id", try records.decode(1)),
                ("b_source", try records.decode(2)), ("b_id", try records.decode(3)), ("note", "not the same company"),
            ]
            try await withServer(config, token: try ReviewToken(Self.token), manifest: RunCommandTests.sample) { port in
                let before = try await decisionRows(db)
                let runsBefore = try await db.query("SELECT count(*) FROM runs")[0].decode(0, as: Int.self)

                // Reading needs nothing; every page has the security headers.
                let list = try await RawHTTP.request(port: port, "GET", "/review")
                #expect(list.status == 200 && list.body.contains("/review/items/\(item)"))
                #expect(list.header("content-security-policy")?.contains("default-src 'self'") == true)
                #expect(list.header("x-frame-options") == "DENY")
                let page = try await RawHTTP.request(port: port, "GET", "/review/items/\(item)")
                #expect(page.status == 200 && page.body.contains("Sign in"))

                // Without the token: 401, whatever else the request carries.
                for (path, headers) in [
                    ("/review/items/\(item)/decide", [:]),
                    ("/review/items/\(item)/decide", ["Authorization": "Bearer not-the-token-0123456789"]),
                    ("/review/items/\(item)/decide", ["Cookie": "mm_session=forged"]),
                    ("/review/items/\(item)/preview", [:]),
                    ("/review/decisions/1/undo", [:]),
                    ("/runs", [:]),
                ] as [(String, [String: String])] {
                    let refused = try await RawHTTP.request(port: port, "POST", path, headers: headers, form: decideForm + [("csrf", "x")])
                    #expect(refused.status == 401, "\(path) \(headers): \(refused.status)")
                    #expect(refused.body.contains("Nothing was changed"))
                    #expect(refused.header("x-frame-options") == "DENY")
                }
                #expect(try await decisionRows(db) == before)
                #expect(try await db.query("SELECT count(*) FROM runs")[0].decode(0, as: Int.self) == runsBefore)

                // A wrong token at sign-in gets no session.
                let wrong = try await RawHTTP.request(port: port, "POST", "/login", form: [("steward", "Eve"), ("token", "not-the-token-0123456789")])
                #expect(wrong.status == 403 && wrong.cookie("mm_session") == nil, "no sign-in form cookie: refused before the token is looked at")
                let signInForm = try await RawHTTP.request(port: port, "GET", "/login")
                let formCSRF = try #require(signInForm.body.firstMatch(of: /name=csrf value="([0-9a-f]{64})"/)).1
                let guessed = try await RawHTTP.request(
                    port: port, "POST", "/login", headers: ["Cookie": "mm_signin=\(signInForm.cookie("mm_signin") ?? "")"],
                    form: [("csrf", String(formCSRF)), ("steward", "Eve"), ("token", "not-the-token-0123456789")])
                #expect(guessed.status == 401 && guessed.cookie("mm_session") == nil && guessed.body.contains("not the review token"))

                // Signed in, a form without its token (another site's) is refused.
                let (cookie, csrf) = try await signIn(port: port, steward: "Ann <Steward>")
                let forged = try await RawHTTP.request(port: port, "POST", "/review/items/\(item)/decide", headers: ["Cookie": cookie], form: decideForm)
                #expect(forged.status == 403)
                #expect(try await decisionRows(db) == before)

                // Preview (nothing saved), then save.
                let preview = try await RawHTTP.request(
                    port: port, "POST", "/review/items/\(item)/preview", headers: ["Cookie": cookie],
                    form: [("csrf", csrf), ("a", "0"), ("b", "1"), ("kind", "different"), ("note", "not the same company")])
                #expect(preview.status == 200, "\(preview.body)")
                #expect(preview.body.contains("Save the decision") && preview.body.contains("id=effect"))
                #expect(try await decisionRows(db) == before, "a preview saves nothing")
                let saved = try await RawHTTP.request(
                    port: port, "POST", "/review/items/\(item)/decide", headers: ["Cookie": cookie], form: decideForm + [("csrf", csrf)])
                #expect(saved.status == 303, "\(saved.body)")
                let location = try #require(saved.header("location"))
                #expect(location.hasPrefix("/review/items/\(item)?decided="))
                let rows = try await db.query("SELECT kind, decided_by, note, item_id::int8 FROM review_decisions WHERE undone_at IS NULL")
                #expect(rows.count == before.count + 1)
                #expect(try rows.last?.decode(0, as: String.self) == "different")
                #expect(try rows.last?.decode(1, as: String.self) == "Ann <Steward>")
                #expect(try rows.last?.decode(3, as: Int.self) == item)
                let after = try await RawHTTP.request(port: port, "GET", location, headers: ["Cookie": cookie])
                #expect(after.body.contains("takes effect in the next run"))
                #expect(after.body.contains("Ann &lt;Steward&gt;") && !after.body.contains("Ann <Steward>"))

                // Run now: the manifest's run is created, as `runs submit` does.
                let run = try await RawHTTP.request(port: port, "POST", "/runs", headers: ["Cookie": cookie], form: [("csrf", csrf)])
                #expect(run.status == 303)
                let runID = try #require(run.header("location")?.firstMatch(of: /\/runs\/(\d+)/)).1
                #expect(try await db.query("SELECT count(*) FROM runs WHERE id = $1 AND state = 'running'", Int(runID) ?? -1)[0].decode(0, as: Int.self) == 1)
                let status = try await RawHTTP.request(port: port, "GET", "/runs/\(runID)")
                #expect(status.status == 200 && status.body.contains("id=run-state>running"))
            }
        }
    }

    @Test("with no token configured, every write is 403 saying how to enable it, and reading works", .timeLimit(.minutes(2)))
    func writesDisabled() async throws {
        try await withTestDatabase { config in
            let db = try await Connection.connect(config)
            defer { Task { await db.close() } }
            try await withServer(config, token: nil) { port in
                let list = try await RawHTTP.request(port: port, "GET", "/review")
                #expect(list.status == 200 && list.body.contains("Writes are disabled"))
                for path in ["/review/items/1/decide", "/runs", "/login"] {
                    let refused = try await RawHTTP.request(
                        port: port, "POST", path, headers: ["Authorization": "Bearer \(Self.token)"], form: [("kind", "same")])
                    #expect(refused.status == 403, "\(path)")
                    #expect(refused.body.contains("MARKETMAP_REVIEW_TOKEN"), "\(path)")
                }
                #expect(try await decisionRows(db).isEmpty)
                let report = try await RawHTTP.request(port: port, "GET", "/")
                #expect(report.status == 404 && report.body.contains("No market run has been reported yet"))
                let missing = try await RawHTTP.request(port: port, "GET", "/review/items/424242")
                #expect(missing.status == 404)
                let badKind = try await RawHTTP.request(port: port, "GET", "/review?kind=%3Cscript%3E")
                #expect(badKind.status == 400 && badKind.body.contains("unknown kind &lt;script&gt;"))
            }
        }
    }
}

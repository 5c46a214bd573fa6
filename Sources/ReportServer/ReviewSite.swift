import Foundation
import Hummingbird
import JobQueue
import Logging
import MarketMapCore
import Pipeline
import Postgres

/// The routes of the reporter's HTTP server: the latest report at `/`, the
/// review pages under `/review`, "run now" at `/runs`, sign-in at `/login`.
/// Reads are open; every POST passes `WriteGuard` first.
final class ReviewSite: Sendable {
    static let sessionCookie = "mm_session"
    static let signInCookie = "mm_signin"
    static let maximumBody = 64 * 1024

    let database: ServerDatabase
    let sessions = Sessions()
    let token: ReviewToken?
    let manifest: String?
    let reports: URL
    let logger: Logger

    init(database: ServerDatabase, token: ReviewToken?, manifest: String?, reports: URL, logger: Logger) {
        self.database = database
        self.token = token
        self.manifest = manifest
        self.reports = reports
        self.logger = logger
    }

    var writes: WriteAccess { token == nil ? .disabled : .enabled }

    func context(_ request: Request) -> PageContext {
        PageContext(session: sessions.session(request.cookies[Self.sessionCookie]?.value), writes: writes, runNow: manifest != nil)
    }

    func register(on router: Router<BasicRequestContext>) {
        router.get("/") { request, _ in try await self.report(request) }
        router.get("/static/review.css") { _, _ in
            Self.response(PageLayout.stylesheet, contentType: "text/css; charset=utf-8", cache: "max-age=300")
        }
        router.get("/review") { request, _ in try await self.list(request) }
        router.get("/review/items/:id") { request, context in try await self.item(request, id: try context.parameters.require("id", as: Int64.self)) }
        router.post("/review/items/:id/preview") { request, context in
            try await self.preview(request, id: try context.parameters.require("id", as: Int64.self))
        }
        router.post("/review/items/:id/decide") { request, context in
            try await self.decide(request, id: try context.parameters.require("id", as: Int64.self))
        }
        router.get("/review/decisions") { request, _ in try await self.decisions(request) }
        router.post("/review/decisions/:id/undo") { request, context in
            try await self.undo(request, id: try context.parameters.require("id", as: Int64.self))
        }
        router.post("/runs") { request, _ in try await self.submitRun(request) }
        router.get("/runs/:id") { request, context in try await self.run(request, id: try context.parameters.require("id", as: Int.self)) }
        router.get("/login") { request, _ in self.signInForm(request, error: nil, status: .ok) }
        router.post("/login") { request, _ in try await self.signIn(request) }
        router.post("/logout") { request, _ in try await self.signOut(request) }
    }

    // MARK: Reading

    /// The latest reported market run's report.html, as the reporter wrote it.
    func report(_ request: Request) async throws -> Response {
        let run = try await database.transaction { db in try db.query(ReportServerQueries.latestReportedRun).first?.decode(Int.self) }
        guard let run else {
            return Self.page(PageLayout.problem("No report yet", "No market run has been reported yet: the page appears once a run ends.", context(request)), .notFound)
        }
        let file = reports.appendingPathComponent("run-\(run)/report.html")
        guard let data = FileManager.default.contents(atPath: file.path) else {
            return Self.page(PageLayout.problem("Report not found", "Run \(run) is reported, but \(file.path) is not on this host.", context(request)), .notFound)
        }
        var response = Self.response(String(decoding: data, as: UTF8.self), contentType: "text/html; charset=utf-8")
        // The report is one self-contained page with its styles inline; it has no script.
        response.headers[.contentSecurityPolicy] = SecurityHeaders.reportPolicy
        return response
    }

    func list(_ request: Request) async throws -> Response {
        let query = FormFields(request.uri.query ?? "")
        let filter = try ReviewListPage.filter(query)
        let (items, counts) = try await database.transaction { db in
            (try ReviewStore.items(filter, on: db), try ReviewStore.openCounts(on: db))
        }
        let notice = query["submitted"].map { "Run \($0) submitted." }
        return Self.page(ReviewListPage.render(items: items, counts: counts, filter: filter, context(request), notice: notice))
    }

    func item(_ request: Request, id: Int64) async throws -> Response {
        let item = try await database.transaction { db in try ReviewStore.item(id, on: db) }
        let query = FormFields(request.uri.query ?? "")
        let notice = query["decided"].map {
            "Decision #\($0) saved. It takes effect in the next run: the nightly refresh, `marketmap runs submit`, or “Run now”."
        }
        return Self.page(ReviewItemPage.render(item, context(request), notice: notice))
    }

    func decisions(_ request: Request) async throws -> Response {
        let (decisions, golden) = try await database.transaction { db in
            let decisions = try ReviewStore.decisions(includeUndone: true, on: db)
            let keys = Array(Set(decisions.flatMap { [$0.a] + ($0.b.map { [$0] } ?? []) }))
            var golden: [RecordKey: Int64] = [:]
            for row in try db.query(ReportServerQueries.goldenIDs, keys.map(\.source), keys.map(\.sourceID)) {
                let (source, sourceID, id) = try row.decode(String.self, String.self, Int?.self)
                if let id { golden[RecordKey(source: source, sourceID: sourceID)] = Int64(id) }
            }
            return (decisions, golden)
        }
        let query = FormFields(request.uri.query ?? "")
        let notice = query["undone"].map { "Decision #\($0) undone. The next run puts the records back as the rules have them." }
        return Self.page(DecisionsPage.render(decisions, golden: golden, context(request), notice: notice))
    }

    func run(_ request: Request, id: Int) async throws -> Response {
        guard let status = try await database.transaction({ db in try Runs(queue: JobQueue()).status(id, on: db) }) else {
            throw PageError(.notFound, "there is no run \(id)")
        }
        let query = FormFields(request.uri.query ?? "")
        let notice: String? = query["resumed"] != nil
            ? "Run \(id) was already under way for this manifest: it applies the decisions saved before it started staging; a later decision needs one more run."
            : query["submitted"] != nil ? "Run \(id) submitted: it applies every decision saved so far." : nil
        return Self.page(RunPage.render(status, context(request), notice: notice))
    }

    // MARK: Writing

    /// The form of a POST once `WriteGuard` let it through, or the refusal.
    func write(_ request: Request, _ body: (FormFields, String, PageContext) async throws -> Response) async throws -> Response {
        let form = try await Self.form(request)
        var context = context(request)
        switch WriteGuard.check(
            token: token, sessions: sessions, cookie: request.cookies[Self.sessionCookie]?.value,
            authorization: request.headers[.authorization], csrf: form["csrf"], steward: form["steward"])
        {
        case .disabled:
            return Self.page(PageLayout.problem("Writes are disabled", WriteAccess.howToEnable, context), .forbidden)
        case .unauthorized:
            context.session = nil
            var response = Self.page(
                PageLayout.problem(
                    "Sign in first", "Saving needs the review token: sign in with it (or send it as Authorization: Bearer). Nothing was changed.",
                    context, back: "/login"),
                .unauthorized)
            response.headers[.wwwAuthenticate] = "Bearer realm=\"marketmap review\""
            return response
        case .forgedForm:
            return Self.page(
                PageLayout.problem("Form expired", "This form is stale or came from another site; reload the page and try again. Nothing was changed.", context),
                .forbidden)
        case .allowed(let steward, _):
            return try await body(form, steward, context)
        }
    }

    func preview(_ request: Request, id: Int64) async throws -> Response {
        try await write(request) { form, steward, context in
            let item = try await database.transaction { db in try ReviewStore.item(id, on: db) }
            let decision = try ReviewItemPage.chosen(form, item: item, by: steward)
            let effect = try await database.transaction { db in try ReviewStore.preview(decision, on: db) }
            return Self.page(ReviewItemPage.preview(item, decision, effect, context))
        }
    }

    func decide(_ request: Request, id: Int64) async throws -> Response {
        try await write(request) { form, steward, _ in
            let decision = try ReviewItemPage.confirmed(form, itemID: id, by: steward)
            let saved = try await database.transaction { db in try ReviewStore.decide(decision, on: db) }
            logger.info("review decision saved", metadata: ["decision": "\(saved.id)", "kind": "\(saved.kind.rawValue)", "by": "\(steward)"])
            return Self.redirect("/review/items/\(id)?decided=\(saved.id)")
        }
    }

    func undo(_ request: Request, id: Int64) async throws -> Response {
        try await write(request) { form, steward, _ in
            let note = form.text("note") ?? ""
            let undone = try await database.transaction { db in try ReviewStore.undo(id, by: steward, note: note, on: db) }
            logger.info("review decision undone", metadata: ["decision": "\(undone.id)", "by": "\(steward)"])
            return Self.redirect("/review/decisions?undone=\(undone.id)#d\(undone.id)")
        }
    }

    /// "Run now": what `marketmap runs submit` does with the configured manifest.
    func submitRun(_ request: Request) async throws -> Response {
        try await write(request) { _, steward, _ in
            guard let manifest else {
                throw PageError(.conflict, "no manifest is configured: start the reporter with --manifest (or MARKETMAP_REFRESH_MANIFEST)")
            }
            let plan: RunPlan
            do {
                plan = try RunPlan.load(manifest, out: nil)
            } catch {
                throw PageError(.unprocessableContent, "the manifest cannot run: \(error)")
            }
            let logger = logger
            let db = try await database.connected()
            let (run, resumed) = try await plan.startOrResume(logger: logger, progress: { logger.info("run now: \($0)") }, on: db)
            logger.info("run submitted from the review page", metadata: ["run": "\(run)", "resumed": "\(resumed)", "by": "\(steward)"])
            return Self.redirect("/runs/\(run)?\(resumed ? "resumed" : "submitted")=1")
        }
    }

    // MARK: Signing in

    func signInForm(_ request: Request, error: String?, status: HTTPResponse.Status) -> Response {
        let csrf = Sessions.randomToken()
        let next = SignInPage.safeNext(FormFields(request.uri.query ?? "").text("next"))
        var context = context(request)
        context.session = nil
        let page: HTML = writes == .disabled
            ? PageLayout.problem("Writes are disabled", WriteAccess.howToEnable, context)
            : SignInPage.render(csrf: csrf, next: next, error: error, context)
        var response = Self.page(page, writes == .disabled ? .forbidden : status)
        response.setCookie(Cookie(name: Self.signInCookie, value: csrf, maxAge: 3600, path: "/login", httpOnly: true, sameSite: .strict))
        return response
    }

    func signIn(_ request: Request) async throws -> Response {
        let form = try await Self.form(request)
        guard let token else { return signInForm(request, error: nil, status: .forbidden) }
        guard let expected = request.cookies[Self.signInCookie]?.value, let sent = form["csrf"], ConstantTime.equal(expected, sent) else {
            return signInForm(request, error: "The sign-in form expired or came from another site; try again.", status: .forbidden)
        }
        guard let candidate = form["token"], token.matches(candidate) else {
            try await Task.sleep(for: .milliseconds(300))  // slows guessing
            return signInForm(request, error: "That is not the review token.", status: .unauthorized)
        }
        guard let steward = form.text("steward").map({ String($0.prefix(80)) }) else {
            return signInForm(request, error: "Give your name: it is kept with every decision.", status: .badRequest)
        }
        let session = sessions.start(steward: steward)
        logger.info("steward signed in", metadata: ["steward": "\(steward)"])
        var response = Self.redirect(SignInPage.safeNext(form["next"]))
        response.setCookie(Cookie(
            name: Self.sessionCookie, value: session.id, maxAge: Int(Sessions.lifetime), path: "/", httpOnly: true, sameSite: .strict))
        response.setCookie(Cookie(name: Self.signInCookie, value: "", maxAge: 0, path: "/login", httpOnly: true, sameSite: .strict))
        return response
    }

    func signOut(_ request: Request) async throws -> Response {
        try await write(request) { _, _, context in
            if let session = context.session { sessions.end(session.id) }
            var response = Self.redirect("/review")
            response.setCookie(Cookie(name: Self.sessionCookie, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .strict))
            return response
        }
    }

    // MARK: Responses

    static func form(_ request: Request) async throws -> FormFields {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maximumBody)
        } catch {
            throw PageError(.contentTooLarge, "the form is larger than \(maximumBody / 1024) KB")
        }
        return FormFields(String(buffer: body))
    }

    static func page(_ html: HTML, _ status: HTTPResponse.Status = .ok) -> Response {
        var response = response(html.text, contentType: "text/html; charset=utf-8")
        response.status = status
        return response
    }

    static func response(_ text: String, contentType: String, cache: String = "no-store") -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.cacheControl] = cache
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// 303: the browser follows with a GET, so a reload does not post again.
    static func redirect(_ location: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        headers[.cacheControl] = "no-store"
        return Response(status: .seeOther, headers: headers)
    }
}

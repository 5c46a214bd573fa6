import Foundation

/// What every page needs to know about the request: who is signed in (and
/// their form token), whether writes are enabled, whether "run now" is.
struct PageContext: Sendable {
    var session: Sessions.Session?
    var writes: WriteAccess
    var runNow: Bool

    /// The hidden field every form of a signed-in steward carries.
    var csrfField: HTML {
        guard let session else { return "" }
        return "<input type=hidden name=csrf value=\"\(session.csrf)\">"
    }

    /// Whether this visitor can use the decision forms.
    var canWrite: Bool { writes == .enabled && session != nil }
}

/// Whether the server accepts writes: only with a review token configured.
enum WriteAccess: Sendable, Equatable {
    case enabled
    case disabled

    static let howToEnable =
        "Writes are disabled: no review token is configured. Start the reporter with MARKETMAP_REVIEW_TOKEN set, or with "
        + "--review-token-file (or MARKETMAP_REVIEW_TOKEN_FILE) naming a file that holds the token (16 characters or more)."
}

/// The frame of every page: navigation, sign-in state, the notice line.
enum PageLayout {
    static func page(_ title: String, _ context: PageContext, notice: String? = nil, refresh: Int? = nil, _ body: HTML) -> HTML {
        let account: HTML
        if let session = context.session {
            account = """
                <form class=inline method=post action="/logout">\(context.csrfField)<span>signed in as \(session.steward)</span> \
                <button type=submit>Sign out</button></form>
                """
        } else if context.writes == .enabled {
            account = "<a href=\"/login\">Sign in to decide</a>"
        } else {
            account = "<span>read-only</span>"
        }
        let banner: HTML = context.writes == .disabled ? "<p class=warning>\(WriteAccess.howToEnable)</p>" : ""
        let noticeLine: HTML = notice.map { "<p class=notice role=status>\($0)</p>" } ?? ""
        let meta: HTML = refresh.map { "<meta http-equiv=refresh content=\"\($0)\">" } ?? ""
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>\(title) — Market Map</title>\(meta)
            <link rel=stylesheet href="/static/review.css"></head>
            <body><header><nav><a href="/">Report</a> <a href="/review">Review</a> <a href="/review/decisions">Decisions</a></nav>
            <div class=account>\(account)</div></header>
            \(banner)\(noticeLine)<main>\(body)</main>
            <footer>Decisions take effect in the next run: the nightly refresh, <code>marketmap runs submit</code>, or “Run now”.</footer>
            </body></html>
            """
    }

    /// A page that says what went wrong, and how to go on.
    static func problem(_ title: String, _ message: String, _ context: PageContext, back: String = "/review") -> HTML {
        page(title, context, """
            <h1>\(title)</h1><p class=error>\(message)</p><p><a href="\(back)">Back</a></p>
            """)
    }

    /// The "run now" button, or why it is missing.
    static func runNow(_ context: PageContext) -> HTML {
        guard context.runNow else {
            return "<p class=muted>“Run now” needs the reporter’s --manifest (or MARKETMAP_REFRESH_MANIFEST).</p>"
        }
        guard context.canWrite else { return "" }
        return """
            <form class=inline method=post action="/runs">\(context.csrfField)\
            <button type=submit class=primary>Run now</button> <span class=muted>stages the manifest’s files and starts a run that applies every decision</span></form>
            """
    }

    static let stylesheet = """
        body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:0 1.5em;color:#222}
        header{display:flex;justify-content:space-between;align-items:center;border-bottom:1px solid #ddd;padding:.6em 0}
        nav a{margin-right:1em;font-weight:600}a{color:#2d5fa8}
        h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.4em}
        table{border-collapse:collapse;margin:.6em 0}th,td{border:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}
        th{background:#f4f5f7}td.differs{background:#fff4d6}
        .notice{background:#e7f4ea;border:1px solid #b5dcbf;padding:.5em .8em}
        .warning{background:#fff4d6;border:1px solid #e0c46c;padding:.5em .8em}
        .error{color:#a4262c;font-weight:600}.muted{color:#777}
        .counts span{display:inline-block;margin-right:1em}
        form.inline{display:inline}form.filters label{margin-right:.8em}
        fieldset{border:1px solid #ddd;margin:.6em 0;padding:.6em}
        button{font:inherit;padding:.25em .8em;margin:.2em .3em .2em 0;cursor:pointer}
        button.primary{background:#2d5fa8;color:#fff;border:1px solid #2d5fa8}
        footer{border-top:1px solid #ddd;margin-top:2em;padding:.8em 0;color:#555}
        """
}

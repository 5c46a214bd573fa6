/// `/login`: the steward's name (recorded with every decision) and the review token.
enum SignInPage {
    static func render(csrf: String, next: String, error: String?, _ context: PageContext) -> HTML {
        let problem: HTML = error.map { "<p class=error>\($0)</p>" } ?? ""
        return PageLayout.page("Sign in", context, """
            <h1>Sign in to decide</h1>\(problem)
            <form method=post action="/login"><input type=hidden name=csrf value="\(csrf)"><input type=hidden name=next value="\(next)">
            <p><label>Your name (kept with every decision) <input name=steward size=24 required></label></p>
            <p><label>Review token <input type=password name=token size=40 required autocomplete=current-password></label></p>
            <button type=submit class=primary>Sign in</button></form>
            <p class=muted>The token is the reporter’s MARKETMAP_REVIEW_TOKEN (or the content of its token file).</p>
            """)
    }

    /// Where to go after signing in: a path on this server only.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return "/review" }
        return next
    }
}

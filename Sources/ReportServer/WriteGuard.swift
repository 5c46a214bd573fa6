/// The check every POST passes before it touches anything: a configured
/// token, then the steward's session cookie and the form's CSRF token (or
/// the token itself as `Authorization: Bearer`, for scripts; browsers never
/// send that header by themselves).
enum WriteGuard {
    enum Outcome: Equatable {
        case allowed(steward: String, session: Sessions.Session?)
        /// No token configured: 403, with how to enable writes.
        case disabled
        /// No valid session or token: 401.
        case unauthorized
        /// A session without the form's token: 403 (a stale form or another site's).
        case forgedForm
    }

    static func check(
        token: ReviewToken?, sessions: Sessions, cookie: String?, authorization: String?, csrf: String?, steward: String?
    ) -> Outcome {
        guard let token else { return .disabled }
        if let authorization {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer", token.matches(String(parts[1])) {
                return .allowed(steward: steward.flatMap { $0.isEmpty ? nil : $0 } ?? "api", session: nil)
            }
            return .unauthorized
        }
        guard let session = sessions.session(cookie) else { return .unauthorized }
        guard let csrf, ConstantTime.equal(csrf, session.csrf) else { return .forgedForm }
        return .allowed(steward: session.steward, session: session)
    }
}

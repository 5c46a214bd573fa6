import HTTPTypes
import Hummingbird
import Logging
import Pipeline
import Postgres

/// Every response's security headers, and every failure as a page: a
/// refused request with its reason, a review error with the store's message,
/// anything else as a 500 that is logged (the page does not show internals).
struct SecurityHeaders: RouterMiddleware {
    typealias Context = BasicRequestContext

    /// The review pages: nothing inline, nothing from elsewhere, never framed.
    static let policy = "default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    /// The report embeds its styles (and SVG charts); it has no script.
    static let reportPolicy = "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    let site: ReviewSite

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = failure(error, request: request)
        }
        if response.headers[.contentSecurityPolicy] == nil { response.headers[.contentSecurityPolicy] = Self.policy }
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "no-referrer"
        return response
    }

    func failure(_ error: any Error, request: Request) -> Response {
        let context = site.context(request)
        let (status, title, message): (HTTPResponse.Status, String, String)
        switch error {
        case let error as PageError:
            (status, title, message) = (error.status, "Cannot do that", error.message)
        case let error as ReviewError:
            switch error {
            case .noSuchItem, .noSuchDecision: (status, title, message) = (.notFound, "Not found", error.description)
            default: (status, title, message) = (.unprocessableContent, "Not saved", error.description)
            }
        case let error as HTTPError:
            (status, title, message) = (error.status, error.status.reasonPhrase, error.body ?? "\(error.status.code) \(error.status.reasonPhrase)")
        case let error as PostgresError where error.isConnectionLost:
            (status, title, message) = (.serviceUnavailable, "Database unavailable", "The database cannot be reached; try again in a moment.")
        default:
            site.logger.error("review page failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            (status, title, message) = (.internalServerError, "Something went wrong", "The server could not answer; the reporter's log has the details.")
        }
        return ReviewSite.page(PageLayout.problem(title, message, context), status)
    }
}

extension HTTPField.Name {
    // Valid field names (RFC 9110 tokens): the initialiser cannot fail on them.
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}

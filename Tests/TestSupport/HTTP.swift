import Enrichment

/// One GET (or a POST of `body`) with the product's own HTTP client, on this
/// thread: what tests use to talk to simulators and `/metrics` endpoints.
public func httpRequest(_ url: String, body: String? = nil) throws -> HTTPResponse {
    let multi = try CurlMulti()
    try multi.start(HTTPRequest(url: url, method: body == nil ? "GET" : "POST", body: body.map { Array($0.utf8) }), tag: 1)
    for _ in 0..<200 {
        if let done = try multi.poll(timeoutMilliseconds: 50).first { return done.response }
    }
    throw ClusterError("no answer from \(url)")
}

import Enrichment
import Foundation
import MarketMapCore

/// A stand-in for a paid enrichment API, for tests, demos and benchmarks: an
/// HTTP/1.1 server on loopback answering from a seeded dataset (a CSV with a
/// `domain` column), with configurable latency and injected faults.
///
/// - `GET /v1/companies?domain=D` → 200 with the row as JSON, or 404.
/// - `POST /v1/companies/batch` with `{"domains": [...]}` → `{"results": [rows found]}`.
/// - `GET /stats` → `{"calls": N, "domains": N}` (company calls, faults included).
/// - People searches and email verification from a seeded people set:
///   `ProviderSimulator+People.swift`.
///
/// Faults, drawn per request from a seeded generator: 500, 429 with
/// `Retry-After`, a hang longer than any sane client timeout, and a 200 whose
/// body is not JSON.
public final class ProviderSimulator: @unchecked Sendable {
    public struct Settings: Sendable {
        public var latencyMilliseconds = 0
        public var errorRate = 0.0
        public var tooManyRequestsRate = 0.0
        public var timeoutRate = 0.0
        /// Share of calls answered 200 with a body that is not JSON.
        public var malformedRate = 0.0
        /// How long a "timeout" request hangs before the server gives up on it.
        public var hangMilliseconds = 30_000
        public var retryAfterSeconds = 1
        /// When set, requests must carry `Authorization: Bearer <token>`.
        public var token: String?
        public var seed: UInt64 = 1
        public init() {}
    }

    private let records: [String: [String: String]]
    /// The people searches answer from (empty: none found).
    public let people: PeopleDirectory
    private let settings: Settings
    private let lock = NSLock()
    private var random: SeededRandom
    private var callCount = 0
    private var domainCount = 0
    private var server: HTTPServer?
    public private(set) var port = 0
    public init(records: [String: [String: String]], people: PeopleDirectory = PeopleDirectory(), settings: Settings = Settings()) {
        self.records = records
        self.people = people
        self.settings = settings
        random = SeededRandom(seed: settings.seed)
    }

    /// The rows of a CSV keyed by their lower-cased `domain` column.
    public static func dataset(_ path: String) throws(CSVTable.Failure) -> [String: [String: String]] {
        let table = try CSVTable.read(path)
        var records: [String: [String: String]] = [:]
        for row in table.rows { if let domain = row["domain"]?.lowercased(), !domain.isEmpty { records[domain] = row } }
        return records
    }

    /// Company calls answered so far (every attempt, faults included), and
    /// the accounts they asked for (a batch call asks for several).
    public var calls: Int { lock.withLock { callCount } }
    public var domainsAsked: Int { lock.withLock { domainCount } }

    /// Listens on 127.0.0.1:`port` (0 picks a free port) and serves on
    /// background threads; returns the port.
    @discardableResult
    public func start(port requested: Int = 0) throws(HTTPServer.Failure) -> Int {
        let server = HTTPServer { [self] request in
            let (status, body, headers) = respond(request)
            return HTTPServer.Response(status, body, headers: headers)
        }
        port = try server.start(port: requested)
        self.server = server
        return port
    }

    public func stop() { server?.stop() }

    private func respond(_ request: HTTPServer.Request) -> (Int, String, [String]) {
        if request.path == "/stats" {
            let (calls, domains) = lock.withLock { (callCount, domainCount) }
            return (200, "{\"calls\":\(calls),\"domains\":\(domains)}", [])
        }
        if let route = PeopleDirectory.Route(request) {
            people.count(route, request)
            return fault(request, draw: lock.withLock { Double.random(in: 0..<1, using: &random) }) ?? people.respond(route, request)
        }
        let batch = request.method == "POST" && request.path == "/v1/companies/batch"
        guard batch || (request.method == "GET" && request.path == "/v1/companies") else { return (404, "{\"error\":\"no such endpoint\"}", []) }
        var domains: [String] = []
        if batch {
            let document = try? JSONSerialization.jsonObject(with: Data(request.body))
            guard let list = (document as? [String: Any])?["domains"] as? [String] else { return (400, "{\"error\":\"expected {\\\"domains\\\": [...]}\"}", []) }
            domains = list
        } else {
            guard let domain = request.query["domain"], !domain.isEmpty else { return (400, "{\"error\":\"domain is required\"}", []) }
            domains = [domain]
        }
        let draw: Double = lock.withLock {
            callCount += 1
            domainCount += domains.count
            return Double.random(in: 0..<1, using: &random)
        }
        if let fault = fault(request, draw: draw) { return fault }
        let found = domains.compactMap { records[$0.lowercased()] }
        if batch { return (200, "{\"results\":[" + found.map(Self.json).joined(separator: ",") + "]}", []) }
        guard let row = found.first else { return (404, "{\"error\":\"not found\"}", []) }
        return (200, Self.json(row), [])
    }

    /// The injected fault for a request's draw in [0, 1), if any (after the
    /// token check and the latency).
    private func fault(_ request: HTTPServer.Request, draw: Double) -> (Int, String, [String])? {
        if let token = settings.token, request.headers["authorization"] != "Bearer \(token)" { return (401, "{\"error\":\"unauthorized\"}", []) }
        if draw < settings.timeoutRate {
            Thread.sleep(forTimeInterval: Double(settings.hangMilliseconds) / 1000)
            return (504, "{\"error\":\"gave up\"}", [])
        }
        if settings.latencyMilliseconds > 0 { Thread.sleep(forTimeInterval: Double(settings.latencyMilliseconds) / 1000) }
        if draw < settings.timeoutRate + settings.tooManyRequestsRate {
            return (429, "{\"error\":\"slow down\"}", ["Retry-After: \(settings.retryAfterSeconds)"])
        }
        let errors = settings.timeoutRate + settings.tooManyRequestsRate + settings.errorRate
        if draw < errors { return (500, "{\"error\":\"internal\"}", []) }
        if draw < errors + settings.malformedRate { return (200, "{\"industry\": Soft", []) }
        return nil
    }

    /// A row as a JSON object: numbers as numbers, `a; b` lists as arrays.
    static func json(_ row: [String: String]) -> String {
        var object: [String: Any] = [:]
        for (key, value) in row where !value.isEmpty {
            if let number = Double(value) {
                object[key] = number
            } else if value.contains(";") {
                object[key] = value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            } else {
                object[key] = value
            }
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

}

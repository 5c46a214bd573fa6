import Foundation
import MarketMapCore
import Postgres

/// One account's lookup at a provider: the cache key and the input fields
/// (what fills the URL template), and for a POST search its JSON body.
public struct Lookup: Sendable {
    public var golden: Int
    public var key: String
    public var input: [String: String]
    public var body: [UInt8]?
    public init(golden: Int, key: String, input: [String: String], body: [UInt8]? = nil) {
        (self.golden, self.key, self.input, self.body) = (golden, key, input, body)
    }
}

/// How a lookup ended.
public enum LookupOutcome: Sendable, Equatable {
    /// The provider's JSON document for this input.
    case answer(String)
    case notFound
    case failed(String)
    /// Not asked: the run's credit budget is spent.
    case budget

    /// Whether the provider answered (the call is paid and the answer cached).
    public var isAnswered: Bool {
        switch self {
        case .answer, .notFound: return true
        case .failed, .budget: return false
        }
    }
}

/// Calls an HTTP JSON provider for many lookups with libcurl's multi
/// interface: up to `concurrent` requests in flight, `batch.size` accounts
/// per request when the API takes batches, retries with backoff (honouring
/// `Retry-After`). Requests start only within the provider's fleet-wide rate
/// limit and after their credits are reserved (the most a call can cost, from
/// `pricing`, in the credit `pool`); each finished lookup is cached and
/// settled in the ledger at once (charged what its answer costs), so a crash
/// loses nothing paid. Runs on the connection's thread (a worker's job
/// thread), which it blocks while it waits; never inside a job's transaction
/// (see `EnrichmentStore`).
public final class HTTPProviderClient {
    public let provider: ProviderSettings
    let http: HTTPProviderSettings
    let template: URLTemplate
    let headers: [String]
    let policy: RetryPolicy
    let pricing: CallPricing
    let pool: CreditPool

    /// Resolves `${NAME}` variables and the token from `environment`; fails
    /// naming a variable that is not set (the token's value is never logged).
    /// `pricing` defaults to the provider's cost per call.
    public init(
        _ provider: ProviderSettings, environment: [String: String], pricing: CallPricing? = nil, pool: CreditPool = .accounts
    ) throws(EnrichmentError) {
        guard case .http(let http) = provider.source else { throw .badTemplate(provider: provider.name, "not an HTTP provider") }
        self.provider = provider
        self.http = http
        self.pricing = pricing ?? CallPricing(perCall: provider.cost)
        self.pool = pool
        var missing: [String] = []
        let url = URLTemplate.expandEnvironment(http.url, environment)
        missing += url.missing
        guard let template = URLTemplate(url.text) else { throw .badTemplate(provider: provider.name, http.url) }
        self.template = template
        var token = ""
        if let name = http.tokenEnv {
            if let value = environment[name], !value.isEmpty { token = value } else { missing.append(name) }
        }
        var headers: [String] = []
        for (name, value) in http.headers.sorted(by: { $0.key < $1.key }) {
            let expanded = URLTemplate.expandEnvironment(value, environment)
            missing += expanded.missing
            headers.append("\(name): " + expanded.text.replacingOccurrences(of: "{token}", with: token))
        }
        if !missing.isEmpty { throw .missingEnvironment(provider: provider.name, names: missing) }
        self.headers = headers + ["Accept: application/json"]
        policy = RetryPolicy(attempts: http.attempts, backoffSeconds: Double(http.backoffMilliseconds) / 1000)
    }

    struct Pending {
        var lookups: [Lookup]
        var attempt = 1
        var notBefore: ContinuousClock.Instant
        var ledger: [String: Int]? = nil
    }

    public func run(_ lookups: [Lookup], run: Int, on db: isolated Connection) throws -> [String: LookupOutcome] {
        let limit = max(1, Int(http.requestsPerSecond.rounded(.up)))
        let chunk = max(1, limit / 20)
        let clock = ContinuousClock()
        let size = http.batch?.size ?? 1
        // Never-started requests in order, and retries waiting for their time.
        let fresh: [Pending] = stride(from: 0, to: lookups.count, by: size).map {
            Pending(lookups: Array(lookups[$0..<min($0 + size, lookups.count)]), notBefore: clock.now)
        }
        var nextFresh = 0
        var retries: [Pending] = []
        var flying: [Int: Pending] = [:]
        var nextTag = 0
        var outcomes: [String: LookupOutcome] = [:]
        var budgetSpent = false
        let multi = try CurlMulti()
        var random = SystemRandomNumberGenerator()

        while nextFresh < fresh.count || !retries.isEmpty || !flying.isEmpty {
            var done: [(lookup: Lookup, outcome: LookupOutcome, ledger: Int?)] = []
            func finish(_ lookups: [Lookup], ledger: [String: Int]?, _ outcome: (Lookup) -> LookupOutcome) {
                for lookup in lookups {
                    let result = outcome(lookup)
                    outcomes[lookup.key] = result
                    done.append((lookup, result, ledger?[lookup.key]))
                }
            }
            // Take what is due (retries first), within concurrency and the rate limit.
            let now = clock.now
            var starting: [Pending] = []
            var throttled = false
            let room = http.concurrent - flying.count
            if room > 0 {
                let dueRetries = retries.filter { $0.notBefore <= now }.count
                let wanted = min(room, dueRetries + fresh.count - nextFresh)
                if wanted > 0 {
                    let slots = try EnrichmentStore.takeRate(provider: provider.name, wanted: min(wanted, chunk), limit: limit, on: db)
                    throttled = slots < wanted
                    var remaining = slots
                    retries.removeAll { pending in
                        guard remaining > 0, pending.notBefore <= now else { return false }
                        starting.append(pending)
                        remaining -= 1
                        return true
                    }
                    while remaining > 0, nextFresh < fresh.count {
                        starting.append(fresh[nextFresh])
                        nextFresh += 1
                        remaining -= 1
                    }
                }
            }
            // Reserve the credits of the new requests in one transaction; what the
            // budget cannot cover is not asked.
            let unreserved = starting.filter { $0.ledger == nil }.flatMap(\.lookups)
            var reserved: [String: Int] = [:]
            if pricing.reserved > 0, !unreserved.isEmpty, !budgetSpent {
                reserved = try EnrichmentStore.reserve(
                    run: run, provider: provider.name, cost: pricing.reserved, pool: pool, calls: unreserved.map { ($0.golden, $0.key) }, on: db)
                if reserved.count < unreserved.count { budgetSpent = true }
            }
            for var pending in starting {
                if pending.ledger == nil {
                    if pricing.reserved > 0 {
                        let unpaid = pending.lookups.filter { reserved[$0.key] == nil }
                        finish(unpaid, ledger: nil) { _ in .budget }
                        pending.lookups.removeAll { reserved[$0.key] == nil }
                        if pending.lookups.isEmpty { continue }
                    }
                    pending.ledger = reserved.filter { key, _ in pending.lookups.contains { $0.key == key } }
                }
                try multi.start(request(pending.lookups), tag: nextTag)
                flying[nextTag] = pending
                nextTag += 1
            }
            // Wait for answers, or until the next retry is due.
            var wait = throttled ? 10 : 100
            if let soonest = retries.map(\.notBefore).min() {
                let until = clock.now.duration(to: soonest)
                wait = min(wait, max(0, Int(until.components.seconds * 1000 + until.components.attoseconds / 1_000_000_000_000_000)))
            }
            for (tag, response) in try multi.poll(timeoutMilliseconds: wait) {
                guard var pending = flying.removeValue(forKey: tag) else { continue }
                let verdict = policy.verdict(
                    status: response.status, transportError: response.transportError, retryAfter: response.retryAfter,
                    attempt: pending.attempt, jitter: Double.random(in: 0..<1, using: &random))
                switch verdict {
                case .answer:
                    let documents = parse(response.body, for: pending.lookups)
                    finish(pending.lookups, ledger: pending.ledger) { documents[$0.key] ?? .notFound }
                case .notFound:
                    finish(pending.lookups, ledger: pending.ledger) { _ in .notFound }
                case .retry(let seconds, _):
                    pending.attempt += 1
                    pending.notBefore = clock.now.advanced(by: .milliseconds(Int(seconds * 1000)))
                    retries.append(pending)
                case .fail(let reason):
                    finish(pending.lookups, ledger: pending.ledger) { _ in .failed(reason) }
                }
            }
            if !done.isEmpty { try record(done, run: run, on: db) }
        }
        return outcomes
    }

    /// Caches the answers and settles the ledger of finished lookups (calls
    /// that got no answer are refunded).
    func record(_ done: [(lookup: Lookup, outcome: LookupOutcome, ledger: Int?)], run: Int, on db: isolated Connection) throws {
        var answers: [String: EnrichmentStore.Answer] = [:]
        var settled: [(id: Int, outcome: String, charged: Double)] = []
        for (lookup, outcome, ledger) in done {
            switch outcome {
            case .answer(let document): answers[lookup.key] = .init(found: true, document: document)
            case .notFound: answers[lookup.key] = .init(found: false, document: "{}")
            case .failed, .budget: break
            }
            if let ledger {
                switch outcome {
                case .answer(let document):
                    settled.append((ledger, "answered", pricing.charged(try? JSONSerialization.jsonObject(with: Data(document.utf8)))))
                case .notFound: settled.append((ledger, "not_found", pricing.charged(nil)))
                case .failed(let reason): settled.append((ledger, "failed: " + reason, 0))
                case .budget: settled.append((ledger, "budget", 0))
                }
            }
        }
        try EnrichmentStore.remember(answers, provider: provider, on: db)
        try EnrichmentStore.settle(run: run, cost: pricing.reserved, pool: pool, settled, on: db)
    }

    /// The request for some lookups: one GET per account (a POST when the
    /// lookup carries a body, a people search), or one POST per batch.
    func request(_ lookups: [Lookup]) -> HTTPRequest {
        guard let batch = http.batch else {
            let url = lookups.first.flatMap { template.render($0.input, optional: PeopleSearchSettings.queryPlaceholders) } ?? template.description
            let body = lookups.first?.body
            return HTTPRequest(
                url: url, method: body == nil ? http.method.rawValue : "POST", headers: headers, body: body, timeoutMilliseconds: http.timeoutMilliseconds)
        }
        let values = lookups.map { $0.input[batch.field] ?? "" }
        let body = (try? JSONSerialization.data(withJSONObject: [batch.bodyKey: values])) ?? Data()
        return HTTPRequest(
            url: template.render([:]) ?? template.description, method: "POST", headers: headers, body: Array(body),
            timeoutMilliseconds: http.timeoutMilliseconds)
    }

    /// The document of each lookup in a 2xx answer. A body that is not JSON
    /// fails the lookups with the reason (recorded, never fatal).
    func parse(_ body: [UInt8], for lookups: [Lookup]) -> [String: LookupOutcome] {
        guard let document = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) else {
            let preview = String(decoding: body.prefix(80), as: UTF8.self)
            return Dictionary(uniqueKeysWithValues: lookups.map { ($0.key, LookupOutcome.failed("malformed JSON answer: \(preview)")) })
        }
        guard let batch = http.batch else {
            guard let lookup = lookups.first else { return [:] }
            return [lookup.key: .answer(Self.text(document))]
        }
        var byValue: [String: String] = [:]
        let results = JSONPointer(batch.results)?.resolve(document) as? [Any] ?? []
        for result in results {
            if let value = JSONPointer(batch.key).flatMap({ JSONPointer.fieldValue($0.resolve(result)) }) {
                byValue[value.text.lowercased()] = Self.text(result)
            }
        }
        var outcomes: [String: LookupOutcome] = [:]
        for lookup in lookups {
            outcomes[lookup.key] = byValue[(lookup.input[batch.field] ?? "").lowercased()].map { .answer($0) } ?? .notFound
        }
        return outcomes
    }

    static func text(_ document: Any) -> String {
        guard JSONSerialization.isValidJSONObject(document), let data = try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys]) else {
            return "{}"
        }
        return String(decoding: data, as: UTF8.self)
    }
}

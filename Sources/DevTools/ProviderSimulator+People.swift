import Enrichment
import Foundation
import MarketMapCore

/// The people side of the provider simulator: a seeded set of people (a CSV
/// with a `domain` column, optionally `company`, then the person's columns,
/// e.g. first_name, last_name, title, email, linkedin, country, started_at,
/// and `email_status` for the verifier), answering
///
/// - `POST /v1/people/search` with `{"domain", "name", "titles", "seniorities",
///   "departments", "page", "per_page"}`, or `GET /v1/people/search?domain=…&titles=a,b&page=…`
///   → `{"people": [...], "page": P, "per_page": N, "total": T}`: the account's
///   people (by domain, else company name) whose title contains one of the
///   titles or whose seniority or department is asked (everyone when nothing
///   is asked), in the set's order, one page;
/// - `GET /v1/verify?email=E` → `{"email": E, "status": "valid" | "invalid" | "unknown"}`;
/// - `GET /stats/people` → `{"searches": N, "verifications": N}`.
///
/// Calls go through the simulator's faults like company calls.
public final class PeopleDirectory: @unchecked Sendable {
    public enum Route: Sendable, Equatable {
        case search, verify, stats

        init?(_ request: HTTPServer.Request) {
            switch (request.method, request.path) {
            case ("POST", "/v1/people/search"), ("GET", "/v1/people/search"): self = .search
            case ("GET", "/v1/verify"): self = .verify
            case ("GET", "/stats/people"): self = .stats
            default: return nil
            }
        }
    }

    private let byDomain: [String: [[String: String]]]
    private let byCompany: [String: [[String: String]]]
    private let statuses: [String: String]
    private let lock = NSLock()
    private var searchCount = 0, verifyCount = 0
    private var searched: [String: Int] = [:]

    public init(rows: [[String: String]] = []) {
        var byDomain: [String: [[String: String]]] = [:], byCompany: [String: [[String: String]]] = [:], statuses: [String: String] = [:]
        for row in rows {
            if let domain = row["domain"]?.lowercased(), !domain.isEmpty { byDomain[domain, default: []].append(row) }
            if let company = row["company"]?.lowercased(), !company.isEmpty { byCompany[company, default: []].append(row) }
            if let email = row["email"]?.lowercased(), !email.isEmpty { statuses[email] = row["email_status"].flatMap { $0.isEmpty ? nil : $0 } ?? "valid" }
        }
        (self.byDomain, self.byCompany, self.statuses) = (byDomain, byCompany, statuses)
    }

    /// The rows of a people CSV.
    public static func dataset(_ path: String) throws(CSVTable.Failure) -> PeopleDirectory {
        PeopleDirectory(rows: try CSVTable.read(path).rows)
    }

    public var count: Int { byDomain.values.reduce(0) { $0 + $1.count } }
    /// Searches and verifications asked so far (every attempt, faults included).
    public var searches: Int { lock.withLock { searchCount } }
    public var verifications: Int { lock.withLock { verifyCount } }
    /// Searches per domain asked (lower-cased).
    public var searchedDomains: [String: Int] { lock.withLock { searched } }

    func count(_ route: Route, _ request: HTTPServer.Request) {
        lock.withLock {
            switch route {
            case .search:
                searchCount += 1
                if let domain = Self.query(request)["domain"] as? String { searched[domain.lowercased(), default: 0] += 1 }
            case .verify: verifyCount += 1
            case .stats: break
            }
        }
    }

    func respond(_ route: Route, _ request: HTTPServer.Request) -> (Int, String, [String]) {
        switch route {
        case .stats:
            let (searches, verifications) = lock.withLock { (searchCount, verifyCount) }
            return (200, "{\"searches\":\(searches),\"verifications\":\(verifications)}", [])
        case .verify:
            guard let email = request.query["email"]?.lowercased(), !email.isEmpty else { return (400, "{\"error\":\"email is required\"}", []) }
            return (200, ProviderSimulator.json(["email": email, "status": statuses[email] ?? "unknown"]), [])
        case .search:
            let query = Self.query(request)
            let domain = (query["domain"] as? String)?.lowercased() ?? "", name = (query["name"] as? String)?.lowercased() ?? ""
            guard !domain.isEmpty || !name.isEmpty else { return (400, "{\"error\":\"domain or name is required\"}", []) }
            let titles = Self.list(query["titles"]).map { " " + TitleWords.of($0) + " " }
            let seniorities = Set(Self.list(query["seniorities"]).map { $0.lowercased() })
            let departments = Set(Self.list(query["departments"]).map { $0.lowercased() })
            let candidates = (domain.isEmpty ? nil : byDomain[domain]) ?? byCompany[name] ?? []
            let matching = candidates.filter { row in
                if titles.isEmpty && seniorities.isEmpty && departments.isEmpty { return true }
                let title = row["title"] ?? "", words = " " + TitleWords.of(title) + " "
                let classified = TitleClassifier.classify(title)
                return titles.contains { words.contains($0) } || seniorities.contains(classified?.seniority.rawValue.lowercased() ?? "-")
                    || departments.contains(classified?.department?.rawValue.lowercased() ?? "-")
            }
            let perPage = max(1, min(500, Self.number(query["per_page"]) ?? 25)), page = max(1, Self.number(query["page"]) ?? 1)
            let slice = matching.dropFirst((page - 1) * perPage).prefix(perPage)
            let people = slice.map { ProviderSimulator.json($0.filter { $0.key != "email_status" }) }
            return (200, "{\"page\":\(page),\"people\":[" + people.joined(separator: ",") + "],\"per_page\":\(perPage),\"total\":\(matching.count)}", [])
        }
    }

    /// A search's parameters: the POST body's JSON, or the GET query.
    static func query(_ request: HTTPServer.Request) -> [String: Any] {
        if request.method == "POST" { return (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] ?? [:] }
        return request.query
    }

    static func list(_ value: Any?) -> [String] {
        if let list = value as? [String] { return list.filter { !$0.isEmpty } }
        guard let text = value as? String else { return [] }
        return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static func number(_ value: Any?) -> Int? {
        if let number = value as? Int { return number }
        return (value as? String).flatMap { Int($0) }
    }
}

/// Lower-case words of a title, as the rubric matches them.
enum TitleWords {
    static func of(_ text: String) -> String {
        text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: " ")
    }
}

import Foundation

/// What a people search asks for: the persona rubric's titles, seniorities
/// and departments of the persona tiers the plan wants, for one account (its
/// domain and/or name), one page at a time.
public struct PeopleQuery: Sendable, Equatable {
    public var titles: [String]
    public var seniorities: [String]
    public var departments: [String]

    public init(rubric: PersonaRubric, levels: [PersonaTier]) {
        func pick<T>(_ lists: [[T]]) -> [T] { levels.flatMap { PersonaRubric.level(lists, $0.rawValue - 1) } }
        titles = pick(rubric.titles)
        seniorities = pick(rubric.seniority).map(\.rawValue)
        departments = pick(rubric.departments).map(\.rawValue)
    }

    /// Identifies the query in cache keys: another rubric is another search.
    public var fingerprint: String { ContentHash.of(titles + ["|"] + seniorities + ["|"] + departments) }

    /// The cache key of one page of one account's search at a provider.
    public func key(input: [String: String], fields: [String], page: Int, perPage: Int) -> String {
        Waterfall.key(input, fields) + "&page=\(page)&per_page=\(perPage)&q=\(fingerprint)"
    }

    /// The values a URL template's placeholders take (lists comma-joined).
    public func values(input: [String: String], page: Int, perPage: Int) -> [String: String] {
        var values = input
        values["titles"] = titles.joined(separator: ",")
        values["seniorities"] = seniorities.joined(separator: ",")
        values["departments"] = departments.joined(separator: ",")
        values["page"] = String(page)
        values["per_page"] = String(perPage)
        return values
    }

    /// The JSON body of a POST search, with the API's key names.
    public func body(input: [String: String], page: Int, search: PeopleSearchSettings) -> [UInt8] {
        var object: [String: Any] = [:]
        for (field, value) in input { object[search.bodyKey(field)] = value }
        object[search.bodyKey("titles")] = titles
        object[search.bodyKey("seniorities")] = seniorities
        object[search.bodyKey("departments")] = departments
        object[search.bodyKey("page")] = page
        object[search.bodyKey("per_page")] = search.perPage
        return Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8))
    }
}

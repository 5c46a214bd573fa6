import Foundation

/// The fields a people provider's mapping may fill.
public enum PersonField: String, Sendable, CaseIterable, Codable {
    case firstName = "first_name", lastName = "last_name", name, title, email, linkedin, country, state, location
    case roleStart = "role_start", seniority, department
}

/// One person a provider returned for an account, normalized like an
/// imported contact (`DOMAIN.md` §2): email and LinkedIn URL canonical,
/// title classified into seniority and department, country as an ISO code
/// (from `country`, else the last part of `location`, else the account's),
/// start date in role as `YYYY-MM-DD`.
public struct FoundPerson: Sendable, Equatable {
    public var provider: String
    public var firstName: String?
    public var lastName: String?
    public var title: String?
    public var email: String?
    public var linkedIn: String?
    public var seniority: Seniority?
    public var department: Department?
    public var country: String?
    public var state: String?
    public var roleStart: String?
    /// The values as the provider gave them (what provenance records).
    public var given: [PersonField: String]

    public init(provider: String, given: [PersonField: String], accountCountry: String?) {
        self.provider = provider
        self.given = given
        var first = ValueParsers.clean(given[.firstName]), last = ValueParsers.clean(given[.lastName])
        if first == nil, last == nil, let full = ValueParsers.clean(given[.name]) {
            let words = full.split(separator: " ").map(String.init)
            first = words.count > 1 ? words.dropLast().joined(separator: " ") : nil
            last = words.last
        }
        (firstName, lastName) = (first, last)
        title = ValueParsers.clean(given[.title])
        email = EmailNormalizer.address(given[.email])
        linkedIn = LinkedInNormalizer.normalize(given[.linkedin])
        let classified = TitleClassifier.classify(title)
        seniority = given[.seniority].flatMap(Self.seniority) ?? classified?.seniority
        department = given[.department].flatMap(Self.department) ?? classified?.department
        let location = ValueParsers.clean(given[.location])
        country = GeographyNormalizer.country(given[.country])
            ?? location.flatMap { GeographyNormalizer.country($0.split(separator: ",").last.map(String.init)) ?? GeographyNormalizer.country($0) }
            ?? accountCountry
        state = GeographyNormalizer.state(given[.state], country: country) ?? ValueParsers.clean(given[.state])
        roleStart = (try? ValueParsers.date(given[.roleStart]).get()) ?? nil
    }

    /// The person's values from one result of a provider: `fields` maps
    /// person fields to JSON pointers into `document`.
    public static func mapped(_ document: Any, fields: [String: String], provider: String, accountCountry: String?) -> FoundPerson {
        var given: [PersonField: String] = [:]
        for (name, pointer) in fields {
            guard let field = PersonField(rawValue: name), let value = JSONPointer(pointer).flatMap({ JSONPointer.fieldValue($0.resolve(document)) }) else { continue }
            given[field] = value.text
        }
        return FoundPerson(provider: provider, given: given, accountCountry: accountCountry)
    }

    /// The provider's identity of the person at an account: email, else
    /// LinkedIn URL, else name (what the found-people table is keyed by).
    public var key: String {
        if let email { return "email:" + email }
        if let linkedIn { return "linkedin:" + linkedIn }
        return "name:" + (nameKey ?? "")
    }

    /// Folded first and last name (`"ines silva"`), nil without both.
    public var nameKey: String? { KnownContact.nameKey(first: firstName, last: lastName) }

    /// What the persona rubric reads, with tenure counted to `asOf` (`YYYY-MM-DD`).
    public func rubricContact(asOf: String) -> PersonaRubric.Contact {
        PersonaRubric.Contact(
            title: title, seniority: seniority, department: department, country: country,
            monthsInRole: roleStart.flatMap { Self.wholeMonths(from: $0, to: asOf) })
    }

    /// Whole months from one day to another, as PostgreSQL's `age` counts them.
    public static func wholeMonths(from start: String, to end: String) -> Int? {
        func parts(_ day: String) -> [Int]? {
            let numbers = day.prefix(10).split(separator: "-").compactMap { Int($0) }
            return numbers.count == 3 ? numbers : nil
        }
        guard let a = parts(start), let b = parts(end) else { return nil }
        return (b[0] - a[0]) * 12 + (b[1] - a[1]) - (b[2] < a[2] ? 1 : 0)
    }

    static func seniority(_ text: String) -> Seniority? {
        Seniority.allCases.first { $0.rawValue.caseInsensitiveCompare(text.trimmedWhitespace) == .orderedSame } ?? TitleClassifier.classify(text)?.seniority
    }

    static func department(_ text: String) -> Department? {
        Department.allCases.first { $0.rawValue.caseInsensitiveCompare(text.trimmedWhitespace) == .orderedSame }
    }
}

/// A golden contact of the account as the contact waterfall sees it.
public struct KnownContact: Sendable, Equatable {
    public var id: Int
    public var email: String?
    public var linkedIn: String?
    public var nameKey: String?

    public init(id: Int, email: String?, linkedIn: String?, firstName: String?, lastName: String?) {
        (self.id, self.email, self.linkedIn) = (id, email, linkedIn)
        nameKey = Self.nameKey(first: firstName, last: lastName)
    }

    static func nameKey(first: String?, last: String?) -> String? {
        let words = TextFolding.words((first ?? "") + " " + (last ?? ""))
        guard let first, let last, !first.trimmedWhitespace.isEmpty, !last.trimmedWhitespace.isEmpty, !words.isEmpty else { return nil }
        return words.joined(separator: " ")
    }

    /// How a person matched: the contact waterfall's steps, in order.
    public enum Method: String, Sendable, Codable { case email, linkedin, name }

    /// The contact waterfall (`DOMAIN.md` §3) for a found person: the
    /// account's contact with the same normalized email, else the same
    /// LinkedIn URL, else the same first and last name.
    public static func match(_ person: FoundPerson, in contacts: [KnownContact]) -> (id: Int, method: Method)? {
        if let email = person.email, let hit = contacts.first(where: { $0.email == email }) { return (hit.id, .email) }
        if let linkedIn = person.linkedIn, let hit = contacts.first(where: { $0.linkedIn == linkedIn }) { return (hit.id, .linkedin) }
        if let name = person.nameKey, let hit = contacts.first(where: { $0.nameKey == name }) { return (hit.id, .name) }
        return nil
    }
}

import Foundation
import MarketMapCore
import Postgres

/// Writing a chunk's outcome in the job's transaction: the new golden
/// contacts (with the ids the plan gave their account, so the same run gives
/// the same ids whichever job commits first), their persona scores, the
/// provenance of each field, every person found with its outcome, and each
/// account's people status.
extension ShardPeople {
    struct Rows {
        var contacts: [[String?]] = []
        var scores: [[String?]] = []
        var provenance: [[String?]] = []
        var found: [[String?]] = []
        var statuses: [[String?]] = []
    }

    static func write(_ result: Result, on db: isolated Connection) throws {
        var rows = Rows()
        for account in result.accounts {
            rows.statuses.append(status(account, result: result))
            guard !result.planOnly, let selection = account.selection else { continue }
            var created: [Int: Int] = [:]
            for (offset, choice) in selection.chosen.enumerated() {
                created[choice] = account.firstContactID + offset
                add(contact: account.firstContactID + offset, account: account, candidate: account.candidates[choice], run: result.run, to: &rows)
            }
            var seen = Set<String>()
            for (index, candidate) in account.candidates.enumerated() where seen.insert(candidate.person.provider + "\u{1F}" + candidate.person.key).inserted {
                let outcome = selection.outcomes[index]
                rows.found.append(found(candidate, outcome: outcome, contact: contact(of: index, selection, created), account: account, run: result.run))
            }
        }
        try db.copyIn(PeopleQueries.copyContacts) { writer in for row in rows.contacts { try writer.writeRow(row) } }
        try db.copyIn(PeopleQueries.copyScores) { writer in for row in rows.scores { try writer.writeRow(row) } }
        try db.copyIn(PeopleQueries.copyProvenance) { writer in for row in rows.provenance { try writer.writeRow(row) } }
        if !result.verdicts.isEmpty {
            let verdicts = result.verdicts
            try db.query(
                PeopleQueries.rememberVerdicts, verdicts.map(\.contact), verdicts.map(\.check.status), verdicts[0].check.provider,
                verdicts.map(\.check.fetchedAt), result.run, verdicts.map { FieldValue.number($0.check.cost).text })
        }
        if !rows.found.isEmpty {
            try db.execute(PeopleQueries.stageFound)
            try db.copyIn(PeopleQueries.copyFound) { writer in for row in rows.found { try writer.writeRow(row) } }
            try db.execute(PeopleQueries.upsertFound)
        }
        try db.query(PeopleQueries.deleteStatus, result.accounts.map(\.id))
        try db.copyIn(PeopleQueries.copyStatus) { writer in for row in rows.statuses { try writer.writeRow(row) } }
    }

    /// The golden contact a found person ended as: created, the account's
    /// contact it matched, or (found twice) the first finding's contact.
    static func contact(of index: Int, _ selection: PersonaSelection, _ created: [Int: Int]) -> Int? {
        var current = index
        for _ in 0...selection.outcomes.count {
            switch selection.outcomes[current] {
            case .created: return created[current]
            case .linkedEmail, .linkedLinkedIn, .linkedName: return selection.matched[current]
            case .duplicate:
                guard let earlier = selection.matched[current], earlier != current else { return nil }
                current = earlier
            default: return nil
            }
        }
        return nil
    }

    static func add(contact id: Int, account: Account, candidate: Candidate, run: Int, to rows: inout Rows) {
        let person = candidate.person
        let email = candidate.usableEmail
        rows.contacts.append([
            String(id), String(account.id), email, person.linkedIn, person.firstName, person.lastName, person.title,
            person.seniority?.rawValue, person.department?.rawValue, person.country, person.state, person.roleStart,
        ])
        let priority = Priority.of(account: account.tier, persona: candidate.fit.tier)
        rows.scores.append([String(id), String(account.id), FieldValue.number(candidate.fit.score).text, candidate.fit.tier.map { String($0.rawValue) }, priority.rawValue])
        let fetched = candidate.fetchedAt.isEmpty ? now() : candidate.fetchedAt
        let fields: [(String, String?)] = [
            ("first_name", person.firstName), ("last_name", person.lastName), ("title", person.title), ("email", email),
            ("linkedin", person.linkedIn), ("country", person.country), ("state", person.state), ("role_start", person.roleStart),
        ]
        for case let (field, value?) in fields {
            rows.provenance.append([String(id), field, value, person.provider, fetched, FieldValue.number(candidate.cost).text, String(run)])
        }
        if let check = candidate.emailCheck {
            rows.provenance.append([String(id), "email_status", check.status, check.provider, check.fetchedAt, FieldValue.number(check.cost).text, String(run)])
        }
    }

    static func found(_ candidate: Candidate, outcome: FoundOutcome, contact: Int?, account: Account, run: Int) -> [String?] {
        let person = candidate.person
        return [
            String(account.id), person.provider, person.key, String(run), outcome.rawValue, contact.map(String.init), person.firstName,
            person.lastName, person.title, person.seniority?.rawValue, person.department?.rawValue, candidate.usableEmail, person.linkedIn,
            person.country, person.roleStart, FieldValue.number(candidate.fit.score).text, candidate.fit.tier.map { String($0.rawValue) },
            FieldValue.number(candidate.cost).text, candidate.fetchedAt.isEmpty ? nil : candidate.fetchedAt,
        ]
    }

    static func status(_ account: Account, result: Result) -> [String?] {
        let created = account.selection?.chosen.count ?? 0
        let linked = account.selection?.outcomes.filter(\.isLinked).count ?? 0
        let status: PeopleStatus = result.planOnly ? .planned : account.privacy != nil ? .privacy
            : PeopleStatus.of(lacking: account.stillLacking, created: created, searched: account.searched, budget: account.budget, failed: account.failed)
        let lacking = account.stillLacking
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let attempts = (try? encoder.encode(account.attempts)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        return [
            String(account.id), String(result.run), status.rawValue,
            "{\"tier1\":\(lacking.tier1),\"tier2\":\(lacking.tier2),\"tier3\":\(lacking.tier3)}",
            String(result.planOnly ? 0 : created), String(linked), String(account.calls), String(account.cached), FieldValue.number(account.credits).text,
            String(account.plannedCalls), FieldValue.number(account.plannedCredits).text,
            account.privacy.map { "\($0.name): \($0.policy.rawValue)" }, attempts,
        ]
    }
}

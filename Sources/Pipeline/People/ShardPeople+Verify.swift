import Enrichment
import Foundation
import MarketMapCore
import Postgres

/// Find, then verify: the emails of the people chosen are checked before a
/// contact is created; a rejected email is dropped (the person is kept when a
/// LinkedIn URL still reaches them, else the next best is chosen and checked).
/// Where a privacy rule allows only verification, the emails the account's
/// contacts already have are checked instead of searching.
extension ShardPeople {
    func verifyFound(_ verify: VerifySettings, _ accounts: inout [Account], run: Int, on db: isolated Connection) throws {
        // Each round checks the newly chosen; replacements are chosen from people already found, so it ends.
        while true {
            var lookups: [Lookup] = []
            var byKey: [String: [(account: Int, candidate: Int)]] = [:]
            for index in accounts.indices {
                guard let selection = accounts[index].selection else { continue }
                for choice in selection.chosen where accounts[index].candidates[choice].verification == .unchecked {
                    guard let email = accounts[index].candidates[choice].person.email else { continue }
                    let key = "email=" + email
                    if byKey[key] == nil { lookups.append(Lookup(golden: accounts[index].id, key: key, input: ["email": email])) }
                    byKey[key, default: []].append((index, choice))
                }
            }
            guard !lookups.isEmpty else { return }
            let checks = try check(lookups, verify, &accounts, run: run, on: db)
            for (key, pairs) in byKey {
                for (index, choice) in pairs {
                    let check = checks[key]
                    accounts[index].candidates[choice].verification = check?.accepted == true ? .accepted : .rejected
                    accounts[index].candidates[choice].emailCheck = check?.check
                }
            }
            for index in Set(byKey.values.flatMap { $0.map(\.account) }) { select(&accounts[index]) }
        }
    }

    /// The CRM's own emails at accounts where only verification is allowed.
    func verifyKnown(_ verify: VerifySettings, _ accounts: inout [Account], run: Int, on db: isolated Connection) throws -> [Verdict] {
        var lookups: [Lookup] = []
        var byKey: [String: [Int]] = [:]
        for index in accounts.indices where accounts[index].privacy?.policy == .verifyOnly {
            for contact in accounts[index].known {
                guard let email = contact.email else { continue }
                let key = "email=" + email
                if byKey[key] == nil { lookups.append(Lookup(golden: accounts[index].id, key: key, input: ["email": email])) }
                byKey[key, default: []].append(contact.id)
            }
        }
        guard !lookups.isEmpty else { return [] }
        let checks = try check(lookups, verify, &accounts, run: run, on: db)
        var verdicts: [Verdict] = []
        for (key, contacts) in byKey {
            guard let check = checks[key]?.check else { continue }
            verdicts += contacts.map { Verdict(contact: $0, check: check) }
        }
        return verdicts.sorted { $0.contact < $1.contact }
    }

    /// Asks the verifier (the cache first) and books each fresh call on the
    /// account that asked; a failed or unaffordable check is no verdict.
    func check(
        _ lookups: [Lookup], _ verify: VerifySettings, _ accounts: inout [Account], run: Int, on db: isolated Connection
    ) throws -> [String: (accepted: Bool, check: EmailCheck?)] {
        let pricing = CallPricing(perCall: verify.provider.cost)
        var outcomes: [String: (outcome: LookupOutcome, fetchedAt: String?)] = [:]
        for (key, answer) in try EnrichmentStore.cached(provider: verify.provider.name, keys: lookups.map(\.key), on: db) {
            outcomes[key] = (answer.found ? .answer(answer.document) : .notFound, answer.fetchedAt)
        }
        let misses = lookups.filter { outcomes[$0.key] == nil }
        if !misses.isEmpty {
            let client = try HTTPProviderClient(verify.provider, environment: environment, pricing: pricing, pool: .people)
            for (key, outcome) in try client.run(misses, run: run, on: db) { outcomes[key] = (outcome, nil) }
        }
        let position = Dictionary(accounts.indices.map { (accounts[$0].id, $0) }, uniquingKeysWith: { first, _ in first })
        let now = Self.now()
        var checks: [String: (accepted: Bool, check: EmailCheck?)] = [:]
        for lookup in lookups {
            guard let (outcome, fetchedAt) = outcomes[lookup.key], let index = position[lookup.golden] else { continue }
            let fresh = fetchedAt == nil
            if fresh, outcome.isAnswered {
                accounts[index].calls += 1
                accounts[index].credits += pricing.perCall
            } else if !fresh {
                accounts[index].cached += 1
            }
            let email = lookup.input["email"] ?? ""
            switch outcome {
            case .answer(let text):
                let document: Any = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) ?? [:]
                let status = JSONPointer(verify.status).flatMap { JSONPointer.fieldValue($0.resolve(document)) }?.text ?? "unknown"
                checks[lookup.key] = (verify.accepts(document), EmailCheck(
                    status: status, provider: verify.provider.name, fetchedAt: fetchedAt ?? now, cost: fresh ? pricing.perCall : 0))
            case .notFound:
                checks[lookup.key] = (false, EmailCheck(status: "not found", provider: verify.provider.name, fetchedAt: fetchedAt ?? now, cost: fresh ? pricing.perCall : 0))
            case .failed(let reason):
                checks[lookup.key] = (false, nil)
                accounts[index].note(verify.provider.name, .failed, "\(email): \(reason)")
            case .budget:
                checks[lookup.key] = (false, nil)
                accounts[index].budget = true
                accounts[index].note(verify.provider.name, .budget, "\(email): the run's credit budget is spent")
            }
            if let check = checks[lookup.key]?.check { accounts[index].note(verify.provider.name, .verified, "\(email): \(check.status)") }
        }
        return checks
    }
}

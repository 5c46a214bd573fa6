import MarketMapCore

/// Normalized records as rows of the per-kind stage tables (after the line number).
extension Importer {
    /// A normalized account as a row of `stage_accounts` after its line number.
    static func stageRow(_ account: SourceAccount) -> [String?] {
        [
            account.sourceID, account.name, account.nameNormalized, account.website,
            account.domain?.registrable, account.domain?.host, account.domain.map { $0.isIdentity ? "t" : "f" },
            account.industry, account.employees.map(String.init), account.annualRevenue.map { String($0) },
            account.country, account.countryRaw, account.state, account.city, account.owner, account.parentID, account.type,
            account.lastActivity, account.preventOverride ? "t" : "f", jsonObject(account.extra), account.contentHash,
        ]
    }

    /// An account's block keys (`MatchBlocks.stored`) as the match columns of
    /// `stage_accounts`: the keys of the record matching will read back, and
    /// its phone and postcode keys.
    static func matchKeyRow(_ account: SourceAccount, source: String, platforms: HostingPlatforms) -> [String?] {
        let keys = MatchBlocks.stored(MatchRecord(source: source, account: account, platforms: platforms))
        return [
            keys.country, arrayLiteral(keys.buckets), keys.blankBucket.map(String.init), arrayLiteral(keys.pull),
            MatchBlocks.version, account.phoneKey, account.postcodeKey,
        ]
    }

    /// A normalized opportunity as a row of `stage_opportunities` after its line number.
    static func stageRow(_ deal: SourceOpportunity) -> [String?] {
        [
            deal.sourceID, deal.accountSourceID, deal.name, deal.amount.map { String($0) }, deal.stage, deal.closeDate,
            deal.isClosed ? "t" : "f", deal.isWon ? "t" : "f", deal.owner, jsonObject(deal.extra), deal.contentHash,
        ]
    }

    /// A normalized contact as a row of `stage_contacts` after its line number.
    static func stageRow(_ contact: SourceContact) -> [String?] {
        [
            contact.sourceID, contact.accountSourceID, contact.firstName, contact.lastName, contact.email,
            contact.emailDomain, contact.linkedIn, contact.title, contact.seniority?.rawValue, contact.department?.rawValue,
            contact.country, contact.state, contact.owner, contact.roleStart, jsonObject(contact.extra), contact.contentHash,
        ]
    }
}

/// A PostgreSQL array of integers in text form (`{1,2,3}`).
func arrayLiteral(_ values: [some BinaryInteger]) -> String { "{" + values.map { String($0) }.joined(separator: ",") + "}" }

/// A JSON object of strings, keys sorted.
func jsonObject(_ values: [String: String]) -> String {
    "{" + values.keys.sorted().map { jsonString($0) + ":" + jsonString(values[$0] ?? "") }.joined(separator: ",") + "}"
}

/// A JSON string literal (RFC 8259 escaping).
func jsonString(_ text: String) -> String { JSONText.string(text) }

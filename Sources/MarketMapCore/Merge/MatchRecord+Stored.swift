extension MatchRecord {
    /// A source account as matching sees it, from its stored fields (an
    /// empty one counts as none): the one mapping of the match job's rows and
    /// of the keys stored at normalize, so both see the same record.
    /// `identityDomain` is the registrable domain when it is an identity.
    public init(
        key: RecordKey, nameNormalized: String?, identityDomain: String?, country: String?, preventOverride: Bool, city: String?,
        rawName: String?, platforms: HostingPlatforms, phone: String? = nil, postcode: String? = nil
    ) {
        func nonEmpty(_ text: String?) -> String? { text?.isEmpty == false ? text : nil }
        let domain = nonEmpty(identityDomain)
        self.init(
            key: key, name: nonEmpty(nameNormalized), domain: domain, country: nonEmpty(country), preventOverride: preventOverride,
            city: nonEmpty(city).flatMap(MatchRecord.foldedCity), platformTenant: domain.map(platforms.isTenant) ?? false,
            rawName: nonEmpty(rawName))
        self.phone = nonEmpty(phone)
        self.postcode = nonEmpty(postcode)
    }

    /// A normalized account of `source` as matching will see it once stored.
    public init(source: String, account: SourceAccount, platforms: HostingPlatforms) {
        self.init(
            key: RecordKey(source: source, sourceID: account.sourceID), nameNormalized: account.nameNormalized,
            identityDomain: account.domain.flatMap { $0.isIdentity ? $0.registrable : nil }, country: account.country,
            preventOverride: account.preventOverride, city: account.city, rawName: account.name, platforms: platforms,
            phone: account.phoneKey, postcode: account.postcodeKey)
    }
}

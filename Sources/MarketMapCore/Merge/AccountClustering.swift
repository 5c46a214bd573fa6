import Foundation

/// Dedupe of `DOMAIN.md` §3, pure and deterministic. Evidence, not one rule
/// per field:
/// 1. the same registrable domain ⇒ the same account, except that a
///    `prevent_override` record (a franchise branch) joins only records with
///    the same domain *and* the same normalized name: a branch never merges
///    into the corporate record. A hosting platform's tenant
///    (`acme.wordpress.com`) joins the same tenant, never keeps two accounts
///    apart, and joins at most one account by name;
/// 2. where either side has no domain of its own, a name match within the same
///    country: words weighted by how rare they are in this market (so a shared
///    `Shenzhen … Technology` counts for little), typos, abbreviations and
///    descriptor words allowed for; the city, where both have one, counts; a
///    name of common words only needs the city to agree. Flagged `name`;
/// 3. a blank country on one side: an identical, distinctive name, when every
///    record of that name with a country is in one country;
/// 4. two domains of one company (`siemens.de` / `siemens.com`,
///    `netscout.com` / `netscoutsystems.com`): the same country, a near
///    identical name, and domain labels that are the name (`acme.de` /
///    `acme-ag.de` stay apart: a legal form is no part of the name).
///    Flagged `alt_domain`;
/// 5. clusters are transitive (union-find) but a name match never joins two
///    accounts with different own domains, and an account holds at most
///    `maxDomainsPerAccount` domains (`ClusterResolution`).
/// Candidate name pairs come from blocks within a country (the first name
/// word; its first three and its last three letters with its length ±1, so one
/// typo does not hide a pair) and are applied best-first in a fixed order, so
/// the result does not depend on the order of the input.
public enum AccountClustering {
    public static func cluster(
        _ records: [MatchRecord], settings: MatchSettings = MatchSettings(), frequencies: TermFrequencies? = nil
    ) -> [AccountCluster] {
        resolve(records, edges: candidates(records, settings: settings, frequencies: frequencies), settings: settings)
    }

    /// How common each name word is among `records`: the weights of name matching.
    public static func termFrequencies(_ records: [MatchRecord]) -> TermFrequencies {
        TermFrequencies(records.lazy.compactMap(\.name))
    }

    /// The candidate edges of one shard: domain groups and name blocks whose
    /// owner (`MatchBlocks`) is `shard`'s (of `shards`). Every pair that can
    /// match shares a domain or a block, so the union of all shards' edges is
    /// the same whatever the shard count, and so is `resolve`'s result: the
    /// basis for matching in parallel queue jobs. `records` may be all
    /// records or only the shard's (`MatchBlocks.shardRecords`, what a match
    /// job reads), with `market` then the whole market's counts; `market`
    /// (or `frequencies`) defaults to those of `records`; every shard must use
    /// the same. `progress` hears how far it is (0 to 1) as it goes: a big
    /// market's shard takes a minute or more.
    public static func candidates(
        _ records: [MatchRecord], settings: MatchSettings = MatchSettings(), frequencies: TermFrequencies? = nil,
        market: MarketCounts? = nil, shard: Int = 0, shards: Int = 1, progress: (Double) -> Void = { _ in }
    ) -> [MatchEdge] {
        func mine(_ owner: String) -> Bool { MatchBlocks.owns(owner, shard: shard, shards: shards) }
        let sorted = records.sorted { $0.key < $1.key }.map(withDomainCountry)
        var edges = domainEdges(sorted, mine: mine)
        var pairs = PairScorer(
            sorted, settings: settings, frequencies: market?.frequencies ?? frequencies ?? termFrequencies(records), sameName: market?.sameName)
        progress(0.25)
        nameEdges(sorted, scorer: &pairs, mine: mine, into: &edges) { progress(0.25 + 0.6 * $0) }
        blankCountryEdges(sorted, scorer: &pairs, mine: mine, into: &edges)
        progress(0.95)
        alternateDomainEdges(sorted, scorer: &pairs, mine: mine, into: &edges)
        progress(1)
        return edges
    }

    /// A record without a country takes the one its own domain's country
    /// suffix names (`orange.cm` → `CM`), else the one its name's qualifier
    /// names (`Allied Telesis (Hong Kong) Ltd.` → `HK`), marked so.
    static func withDomainCountry(_ record: MatchRecord) -> MatchRecord {
        guard record.country == nil else { return record }
        var copy = record
        if let domain = record.ownDomain, let country = GeographyNormalizer.country(ofDomain: domain) {
            copy.country = country
            copy.countryFromDomain = true
        } else if let raw = record.rawName, let country = CompanyNameNormalizer.qualifierCountry(raw) {
            copy.country = country
            copy.countryFromName = true
        }
        return copy
    }

    /// The plain records of a domain join its first one; a branch joins only
    /// a record with its very name.
    static func domainEdges(_ sorted: [MatchRecord], mine: (String) -> Bool) -> [MatchEdge] {
        var edges: [MatchEdge] = []
        var byDomain: [String: [Int]] = [:]
        for (index, record) in sorted.enumerated() { if let domain = record.domain { byDomain[domain, default: []].append(index) } }
        for (domain, members) in byDomain where members.count > 1 && mine(MatchBlocks.domainOwner(domain)) {
            let reason = (sorted[members[0]].platformTenant ? "platform page " : "domain ") + domain
            let plain = members.filter { !sorted[$0].preventOverride }
            for index in plain.dropFirst() {
                edges.append(MatchEdge(sorted[plain[0]].key, sorted[index].key, score: 2, kind: .domain, reason: reason))
            }
            for branch in members where sorted[branch].preventOverride {
                guard let name = sorted[branch].name,
                    let twin = members.first(where: { $0 != branch && sorted[$0].name == name })
                else { continue }
                edges.append(MatchEdge(sorted[twin].key, sorted[branch].key, score: 2, kind: .domain, reason: reason + ", same branch name"))
            }
        }
        return edges
    }

    /// Names, where an own domain is missing on either side. Blocks: the same
    /// first word; or its first (`<`) or last (`>`) three letters with its
    /// length L (each record in blocks L and L+1: a typo changes the length
    /// by at most one). Each pair is compared in exactly one block: the word
    /// block if the words are equal, else the prefix block of the longer
    /// length if the prefixes are equal, else the suffix block, so nothing
    /// needs remembering across blocks and memory stays flat. A prefix or
    /// suffix block is there for a typo in the first word: of its pairs only
    /// those whose first words are a typo apart (`PreparedName.typoQuality`),
    /// or whose names differ only in their spaces, are weighed, known from the words alone (one in a few thousand of a
    /// big market's pairs), before anything of the records is read.
    static func nameEdges(
        _ sorted: [MatchRecord], scorer: inout PairScorer, mine: (String) -> Bool, into edges: inout [MatchEdge],
        progress: (Double) -> Void = { _ in }
    ) {
        let count = sorted.count
        var tokenID = [Int](repeating: -1, count: count), prefixID = [Int](repeating: -1, count: count)
        var tokenLength = [Int](repeating: 0, count: count)
        var tokenLetters = [PreparedName.LetterSet](repeating: PreparedName.LetterSet([]), count: count)
        var tokenScalars = [[Unicode.Scalar]](repeating: [], count: count)
        var runTogetherID = [Int](repeating: -1, count: count)
        let lacksOwnDomain = sorted.indices.map(scorer.lacksOwnDomain)
        var ids: [String: Int] = [:]
        func id(_ text: String) -> Int {
            if let known = ids[text] { return known }
            ids[text] = ids.count
            return ids.count - 1
        }
        var blocks: [String: (kind: MatchBlocks.NameBlockKind, size: Int, members: [Int])] = [:]
        for (index, record) in sorted.enumerated() {
            guard let name = record.name, let country = record.country, !record.preventOverride else { continue }
            let token = CompanyNameNormalizer.blockingToken(name)
            var member = false
            for block in MatchBlocks.nameBlocks(country: country, token: token) where mine(block.owner) {
                blocks[block.key, default: (block.kind, block.size, [])].members.append(index)
                member = true
            }
            guard member else { continue }
            (tokenID[index], tokenLength[index], prefixID[index]) = (id("=" + token), token.unicodeScalars.count, id("<" + token.prefix(3)))
            tokenScalars[index] = Array(token.unicodeScalars)
            tokenLetters[index] = PreparedName.LetterSet(tokenScalars[index])
            runTogetherID[index] = id("~" + PreparedName.runTogether(name))
        }
        // First words a typo apart, or names that differ only in their spaces (`kal vexor` / `kalv exor`).
        func typoApart(_ a: Int, _ b: Int) -> Bool {
            runTogetherID[a] == runTogetherID[b]
                || tokenLetters[a].allowsTypo(tokenLetters[b]) && PreparedName.typoQuality(tokenScalars[a], tokenScalars[b]) != nil
        }
        var seen = 0
        for (_, block) in blocks {
            seen += 1
            if seen % 4096 == 0 { progress(Double(seen) / Double(blocks.count)) }
            guard block.members.count > 1 else { continue }
            let members = block.members
            for (i, a) in members.enumerated() where lacksOwnDomain[a] {
                for (j, b) in members.enumerated() where j != i && (!lacksOwnDomain[b] || j > i) {
                    switch block.kind {
                    case .prefix:
                        guard tokenID[a] != tokenID[b], max(tokenLength[a], tokenLength[b]) == block.size, typoApart(a, b) else { continue }
                    case .suffix:
                        guard tokenID[a] != tokenID[b], prefixID[a] != prefixID[b], max(tokenLength[a], tokenLength[b]) == block.size,
                            typoApart(a, b)
                        else { continue }
                    case .word: break
                    }
                    if let edge = scorer.nameEdge(a, b) { edges.append(edge) }
                }
            }
        }
    }

    /// A blank country: blocks of the first word of the name without its
    /// descriptor words (`infineon technologies` / `infineon`), and, so that
    /// one typo in that word does not hide a pair, of its first and last three
    /// letters with its length (as `nameEdges` blocks), holding the records
    /// without a country and those with one. A record without a country joins
    /// the records its name matches when they are all in one country (platform
    /// pages aside), or, when they are in several, those whose city agrees if
    /// they are in one country; else it is ambiguous and joins none. Two
    /// records without a country need their cities not to differ, and the
    /// very same name unless their cities agree. Each record
    /// without a country is weighed, over all its blocks, by the shard that
    /// owns its first word (`MatchBlocks.blankOwner`), so the result does not
    /// depend on the shard count. A block too
    /// large to compare pair by pair (a common first word) is compared by whole
    /// names only.
    static func blankCountryEdges(_ sorted: [MatchRecord], scorer: inout PairScorer, mine: (String) -> Bool, into edges: inout [MatchEdge]) {
        let typoKeys = MatchBlocks.typoKeys
        var owned: [Int] = []
        var cores: [Int: String] = [:]
        var tokens: [Int: String] = [:]
        var wanted = Set<String>()
        for (index, record) in sorted.enumerated() where record.country == nil && !record.preventOverride {
            guard let name = record.name else { continue }
            let core = core(name), token = CompanyNameNormalizer.blockingToken(core)
            guard mine(MatchBlocks.blankOwner(token)) else { continue }
            (cores[index], tokens[index]) = (core, token)
            owned.append(index)
            wanted.formUnion(MatchBlocks.blankKeys(token))
        }
        guard !owned.isEmpty else { return }
        var blocks: [String: [Int]] = [:]
        for (index, record) in sorted.enumerated() where !record.preventOverride {
            guard let name = record.name else { continue }
            let core = cores[index] ?? core(name), token = tokens[index] ?? CompanyNameNormalizer.blockingToken(core)
            var member = false
            for key in MatchBlocks.blankKeys(token) where wanted.contains(key) {
                blocks[key, default: []].append(index)
                member = true
            }
            if member { (cores[index], tokens[index]) = (core, token) }
        }
        // A block too large to compare pair by pair: its records by whole name, built once.
        var byCore: [String: [String: [Int]]] = [:]
        for a in owned {
            guard let token = tokens[a], let whole = cores[a] else { continue }
            let letters = Array(token.unicodeScalars)
            var candidates: [Int] = []
            if let block = blocks["=" + token] {
                if block.count <= 400 {
                    candidates = block
                } else {
                    if byCore["=" + token] == nil { byCore["=" + token] = Dictionary(grouping: block) { cores[$0] ?? "" } }
                    candidates = byCore["=" + token]?[whole] ?? []
                }
            }
            // Typo blocks: only first words one edit from this one, and only
            // with a country on the other side and a clear score.
            var typos = Set<Int>()
            for key in typoKeys(token) {
                guard let block = blocks[key], block.count <= 4000 else { continue }
                typos.formUnion(block.filter { b in
                    guard let other = tokens[b], other != token, sorted[b].country != nil, !sorted[b].platformTenant else { return false }
                    return PreparedName.withinOneEdit(letters, Array(other.unicodeScalars))
                })
            }
            candidates += typos.sorted()
            var seen = Set<Int>()
            var found: [(edge: MatchEdge, country: String?, cityAgrees: Bool)] = []
            for b in candidates where b != a && seen.insert(b).inserted {
                let other = sorted[b]
                // Two records without a country: cities that do not differ, and the very name unless they agree.
                if other.country == nil {
                    if let left = sorted[a].city, let right = other.city, left != right { continue }
                    if other.name != sorted[a].name && (sorted[a].city == nil || sorted[a].city != other.city) { continue }
                }
                let edge = scorer.lacksOwnDomain(a) || scorer.lacksOwnDomain(b)
                    ? scorer.blankCountryEdge(a, b, country: other.country)
                    : (sorted[a].domain != other.domain ? scorer.alternateDomainEdge(a, b) : nil)
                guard let edge, !typos.contains(b) || edge.score >= scorer.settings.nameThreshold + 0.06 else { continue }
                found.append((edge, other.platformTenant ? nil : other.country, sorted[a].city != nil && sorted[a].city == other.city))
            }
            // Platform pages do not count: a page never changes how other records cluster.
            if Set(found.compactMap(\.country)).count <= 1 {
                edges += found.map(\.edge)
            } else {
                let near = found.filter(\.cityAgrees)
                if !near.isEmpty, Set(near.compactMap(\.country)).count == 1 { edges += near.map(\.edge) }
            }
        }
    }

    /// A name without its descriptor words, unless that leaves nothing.
    static func core(_ name: String) -> String {
        let words = name.split(separator: " ").filter { !NameWords.descriptors.contains(String($0)) }
        return words.isEmpty ? name : words.joined(separator: " ")
    }

    /// Two own domains of one company: records with an own domain and a
    /// country, blocked by country and first name word, compared when their
    /// domains differ.
    static func alternateDomainEdges(_ sorted: [MatchRecord], scorer: inout PairScorer, mine: (String) -> Bool, into edges: inout [MatchEdge]) {
        var blocks: [String: [Int]] = [:]
        for (index, record) in sorted.enumerated() {
            guard record.ownDomain != nil, let name = record.name, let country = record.country, !record.preventOverride else { continue }
            let block = MatchBlocks.alternateBlock(country: country, token: CompanyNameNormalizer.blockingToken(name))
            if mine(block.owner) { blocks[block.key, default: []].append(index) }
        }
        for (_, members) in blocks where members.count > 1 {
            for (i, a) in members.enumerated() {
                for b in members[(i + 1)...] where sorted[a].domain != sorted[b].domain {
                    if let edge = scorer.alternateDomainEdge(a, b) { edges.append(edge) }
                }
            }
        }
    }

    /// FNV-1a 64: the same in every process (Swift's `Hasher` is seeded).
    static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// Similarity of two normalized names with every word weighing the same
    /// (`PreparedName.similarity`): typos, descriptors and numbers count as
    /// in matching, word rarity does not.
    public static func nameSimilarity(_ left: String, _ right: String) -> Double {
        PreparedName.similarity(left, right)
    }
}

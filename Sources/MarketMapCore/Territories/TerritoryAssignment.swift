/// A sales rep as territory assignment sees them.
public struct Rep: Sendable, Equatable {
    public enum Role: String, Sendable, Codable { case direct, partner }
    public var id: String
    /// What people call the rep (reports show it next to the id); may be empty.
    public var name: String
    /// Regions (e.g. country codes) the rep covers; empty: every region.
    public var regions: Set<String>
    /// Segments the rep covers; empty: every segment.
    public var segments: Set<String>
    /// Most accounts the rep can hold; nil: no limit.
    public var capacity: Int?
    public var role: Role

    public init(
        id: String, name: String = "", regions: Set<String> = [], segments: Set<String> = [], capacity: Int? = nil, role: Role = .direct
    ) {
        (self.id, self.name, self.regions, self.segments, self.capacity, self.role) = (id, name, regions, segments, capacity, role)
    }
}

/// An account to place: valuation, where it is, who owns it now.
public struct TerritoryAccount: Sendable, Equatable {
    public var valuation: Double
    /// Nil matches any rep's regions (unknown is not a reason to leave an account out).
    public var region: String?
    public var segment: String?
    /// The current owner's rep id, if any.
    public var owner: String?
    /// Partner and channel accounts go to partner reps only, never to direct reps.
    public var isPartner: Bool
    /// No activity for the configured months: must go to a different eligible rep.
    public var isStale: Bool

    public init(valuation: Double, region: String? = nil, segment: String? = nil, owner: String? = nil, isPartner: Bool = false, isStale: Bool = false) {
        (self.valuation, self.region, self.segment, self.owner, self.isPartner, self.isStale) = (max(0, valuation), region, segment, owner, isPartner, isStale)
    }
}

/// Balance figures of one peer group (reps of one role covering the same regions and segments).
public struct Balance: Sendable, Equatable, Codable {
    public var role: String
    public var reps: Int
    public var mean: Double
    public var min: Double
    public var max: Double
    /// max ÷ min (infinity when a rep holds nothing).
    public var maxMinRatio: Double
    /// Coefficient of variation: standard deviation ÷ mean.
    public var coefficientOfVariation: Double
    /// Every rep within ±tolerance of the mean.
    public var withinBound: Bool
}

/// The result of `TerritoryAssigner.assign`.
public struct TerritoryPlan: Sendable {
    /// Rep index per account (into the reps given), nil when unassigned.
    public var rep: [Int?]
    public struct Move: Sendable, Equatable {
        public var account: Int
        public var from: String?
        public var to: Int
        public var reason: String
    }
    /// Accounts whose owner changed (a first owner for an unowned account is a move from nil).
    public var moves: [Move]
    /// Accounts with no eligible rep, with the reason.
    public var unassigned: [(account: Int, reason: String)]
    public var balance: [Balance]
    /// Why the bound could not be met, when it could not.
    public var notes: [String]
    /// Total valuation per rep.
    public var load: [Double]
}

/// Assigns accounts to reps (`DOMAIN.md` §6): every rep's total valuation
/// within ±`tolerance` of their peers' mean where possible; eligibility by
/// role, region and segment; capacity; current owners kept unless stale,
/// ineligible or needed for balance (fewest moves: the largest accounts that
/// fit the gap move first, so few accounts move); stale accounts go to a
/// different eligible rep. When the bound cannot be met (an account larger
/// than a fair share, too few eligible reps or capacity) it ends with the best
/// balance it reached and says why. Pure and deterministic.
public struct TerritoryAssigner: Sendable {
    public var tolerance: Double
    public var maxPasses: Int

    public init(tolerance: Double = 0.2, maxPasses: Int = 50) {
        self.tolerance = tolerance
        self.maxPasses = maxPasses
    }

    struct EligibilityKey: Hashable { var partner: Bool; var region: String?; var segment: String? }

    public func assign(_ accounts: [TerritoryAccount], reps: [Rep]) -> TerritoryPlan {
        let repIndex = Dictionary(reps.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        // Eligible reps per class of (partner, region, segment).
        var classes: [EligibilityKey: [Int]] = [:]
        var classOf = [[Int]](); classOf.reserveCapacity(accounts.count)
        for account in accounts {
            let key = EligibilityKey(partner: account.isPartner, region: account.region, segment: account.segment)
            if let eligible = classes[key] {
                classOf.append(eligible)
            } else {
                let eligible = reps.indices.filter { index in
                    let rep = reps[index]
                    return (rep.role == .partner) == account.isPartner
                        && (rep.regions.isEmpty || account.region.map(rep.regions.contains) ?? true)
                        && (rep.segments.isEmpty || account.segment.map(rep.segments.contains) ?? true)
                }
                classes[key] = eligible
                classOf.append(eligible)
            }
        }
        var owner = [Int?](repeating: nil, count: accounts.count)
        var load = [Double](repeating: 0, count: reps.count)
        var count = [Int](repeating: 0, count: reps.count)
        var moves: [TerritoryPlan.Move] = []
        var unassigned: [(account: Int, reason: String)] = []
        var pending: [(Int, String)] = []
        var staleKept = 0
        func hasRoom(_ rep: Int) -> Bool { reps[rep].capacity.map { count[rep] < $0 } ?? true }
        func place(_ account: Int, _ rep: Int) {
            owner[account] = rep
            load[rep] += accounts[account].valuation
            count[rep] += 1
        }
        func unplace(_ account: Int) {
            guard let rep = owner[account] else { return }
            load[rep] -= accounts[account].valuation
            count[rep] -= 1
            owner[account] = nil
        }

        // 1. Keep current owners where they are eligible and the account is not stale.
        for (index, account) in accounts.enumerated() {
            let current = account.owner.flatMap { repIndex[$0] }
            if let current, !account.isStale, classOf[index].contains(current), hasRoom(current) {
                place(index, current)
            } else {
                let reason = account.isStale ? "stale: no activity" : account.owner == nil ? "unowned"
                    : current == nil ? "owner is not a rep in the plan" : classOf[index].contains(current ?? -1) ? "owner at capacity" : "owner not eligible"
                pending.append((index, reason))
            }
        }
        // 2. Place the rest, largest first, on the least-loaded eligible rep with room.
        pending.sort { accounts[$0.0].valuation != accounts[$1.0].valuation ? accounts[$0.0].valuation > accounts[$1.0].valuation : $0.0 < $1.0 }
        for (index, reason) in pending {
            let avoid = accounts[index].isStale ? accounts[index].owner.flatMap { repIndex[$0] } : nil
            var best: Int?
            for rep in classOf[index] where rep != avoid && hasRoom(rep) {
                if best == nil || load[rep] < load[best ?? rep] { best = rep }
            }
            if best == nil, let avoid, classOf[index].contains(avoid), hasRoom(avoid) {
                place(index, avoid)  // stale, but nobody else may take it: it stays, and the note says so
                staleKept += 1
                continue
            }
            guard let best else {
                unassigned.append((index, classOf[index].isEmpty ? "no rep covers its role, region and segment" : "every eligible rep is at capacity"))
                continue
            }
            place(index, best)
            moves.append(.init(account: index, from: accounts[index].owner, to: best, reason: reason))
        }
        // 3. Rebalance each peer group: move accounts from reps above the band to
        //    eligible reps below the mean, largest fitting account first.
        var held = [[Int]](repeating: [], count: reps.count)
        for (index, rep) in owner.enumerated() { if let rep { held[rep].append(index) } }
        // Accounts that moved already go first (moving them again adds no move), then largest first.
        for rep in held.indices {
            let kept = { (account: Int) in accounts[account].owner == reps[rep].id }
            held[rep].sort { kept($0) != kept($1) ? !kept($0) : accounts[$0].valuation > accounts[$1].valuation }
        }
        var notes: [String] = []
        for group in Self.peerGroups(reps) {
            let role = reps[group[0]].role
            guard group.count > 1 else { continue }
            let mean = group.reduce(0) { $0 + load[$1] } / Double(group.count)
            guard mean > 0 else { continue }
            let upper = mean * (1 + tolerance), lower = mean * (1 - tolerance)
            for _ in 0..<maxPasses {
                let below = group.contains { load[$0] < lower }
                // Reps above the band give; while someone is below it, so does anyone above the mean.
                let givers = group.filter { load[$0] > upper || (below && load[$0] > mean) }.sorted { load[$0] > load[$1] }
                if givers.isEmpty { break }
                var moved = false
                for giver in givers {
                    var position = 0
                    while position < held[giver].count, load[giver] > upper || (below && load[giver] > mean) {
                        let account = held[giver][position]
                        let value = accounts[account].valuation
                        let staleOwner = accounts[account].isStale ? accounts[account].owner.flatMap { repIndex[$0] } : nil
                        var receiver: Int?
                        if load[giver] - value >= lower {
                            for rep in classOf[account] where rep != giver && rep != staleOwner && hasRoom(rep)
                                && load[rep] + value <= upper && load[rep] + value < load[giver] {
                                if receiver == nil || load[rep] < load[receiver ?? rep] { receiver = rep }
                            }
                        }
                        guard let receiver else {
                            position += 1
                            continue
                        }
                        unplace(account)
                        place(account, receiver)
                        held[giver].remove(at: position)
                        held[receiver].append(account)
                        moves.append(.init(account: account, from: reps[giver].id, to: receiver, reason: "rebalanced"))
                        moved = true
                    }
                }
                if !moved { break }
            }
            for rep in group where accounts.indices.contains(held[rep].first ?? -1) {
                let biggest = accounts[held[rep][0]].valuation
                if biggest > upper { notes.append("rep \(reps[rep].id) holds an account worth \(Int(biggest)), more than the upper bound \(Int(upper)) (mean \(Int(mean)) + \(Int(tolerance * 100)) %): one account bigger than a fair share") }
            }
            let empty = group.filter { count[$0] == 0 }
            if !empty.isEmpty { notes.append("\(empty.count) \(role.rawValue) rep(s) have no eligible accounts: \(empty.prefix(5).map { reps[$0].id }.joined(separator: ", "))") }
        }
        // A stale account placed back on its owner by no path above; moves of one
        // account collapse to its first origin and last destination.
        var lastMove: [Int: TerritoryPlan.Move] = [:]
        for move in moves {
            if var earlier = lastMove[move.account] {
                earlier.to = move.to
                lastMove[move.account] = earlier
            } else {
                lastMove[move.account] = move
            }
        }
        let finalMoves = lastMove.values.filter { $0.from != reps[$0.to].id }.sorted { $0.account < $1.account }
        let balance = Self.peerGroups(reps).map { group in
            Self.balance(role: Self.groupName(reps[group[0]]), loads: group.map { load[$0] }, tolerance: tolerance)
        }
        if staleKept > 0 {
            notes.append("\(staleKept) stale account(s) stay with their owner: no other eligible rep with room")
        }
        if balance.contains(where: { !$0.withinBound }) && notes.isEmpty {
            notes.append("eligibility (region, segment) and capacity leave no moves that bring every rep within ±\(Int(tolerance * 100)) %")
        }
        return TerritoryPlan(rep: owner, moves: finalMoves, unassigned: unassigned, balance: balance, notes: notes, load: load)
    }

    /// Peers: reps of the same role covering the same regions and segments
    /// (a territory team); balance is judged within each group.
    public static func peerGroups(_ reps: [Rep]) -> [[Int]] {
        var groups: [String: [Int]] = [:]
        for index in reps.indices { groups[groupName(reps[index]), default: []].append(index) }
        return groups.keys.sorted().compactMap { groups[$0] }
    }

    /// "direct", or "direct US+CA / Enterprise" when regions or segments narrow the team.
    public static func groupName(_ rep: Rep) -> String {
        var name = rep.role.rawValue
        if !rep.regions.isEmpty { name += " " + rep.regions.sorted().joined(separator: "+") }
        if !rep.segments.isEmpty { name += " / " + rep.segments.sorted().joined(separator: "+") }
        return name
    }

    public static func balance(role: String, loads: [Double], tolerance: Double) -> Balance {
        let mean = loads.reduce(0, +) / Double(max(1, loads.count))
        let low = loads.min() ?? 0, high = loads.max() ?? 0
        let variance = loads.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, loads.count))
        return Balance(
            role: role, reps: loads.count, mean: mean, min: low, max: high,
            maxMinRatio: low > 0 ? high / low : (high > 0 ? .infinity : 1),
            coefficientOfVariation: mean > 0 ? variance.squareRoot() / mean : 0,
            withinBound: loads.allSatisfy { abs($0 - mean) <= mean * tolerance + 1e-9 })
    }
}

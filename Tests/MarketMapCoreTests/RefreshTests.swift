import Foundation
import MarketMapCore
import Testing

@Suite("Refresh: cron schedules, score basis, tier moves")
struct RefreshTests {
    static let utc = TimeZone(identifier: "UTC")!

    static func date(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = utc
        return formatter.date(from: text)!
    }

    static func next(_ schedule: String, after: String, zone: TimeZone = utc) throws -> String? {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = zone
        return try CronSchedule(schedule).next(after: date(after), in: zone).map { formatter.string(from: $0) }
    }

    @Test("cron: the next minute after a time, strictly later, for fields, ranges, steps, lists, names and macros")
    func cronNext() throws {
        #expect(try Self.next("30 2 * * *", after: "2026-11-25T01:00:00Z") == "2026-11-25T02:30:00Z")
        #expect(try Self.next("30 2 * * *", after: "2026-11-25T02:30:00Z") == "2026-11-26T02:30:00Z", "strictly after")
        #expect(try Self.next("30 2 * * *", after: "2026-11-25T02:29:59Z") == "2026-11-25T02:30:00Z")
        #expect(try Self.next("*/15 * * * *", after: "2026-11-25T10:07:00Z") == "2026-11-25T10:15:00Z")
        #expect(try Self.next("0 9-17/4 * * *", after: "2026-11-25T10:00:00Z") == "2026-11-25T13:00:00Z")
        #expect(try Self.next("0 0 * * MON-FRI", after: "2026-11-27T12:00:00Z") == "2026-11-30T00:00:00Z", "Friday noon → Monday")
        #expect(try Self.next("0 0 * * 7", after: "2026-11-25T00:00:00Z") == "2026-11-29T00:00:00Z", "7 is Sunday")
        #expect(try Self.next("0 6 1 JAN,jul *", after: "2026-11-25T00:00:00Z") == "2027-01-01T06:00:00Z")
        #expect(try Self.next("@daily", after: "2026-12-31T23:59:00Z") == "2027-01-01T00:00:00Z")
        #expect(try Self.next("@monthly", after: "2026-11-25T00:00:00Z") == "2026-12-01T00:00:00Z")
        // Both day fields restricted: either matches (the 1st, or any Wednesday).
        #expect(try Self.next("0 0 1 * WED", after: "2026-11-25T00:00:00Z") == "2026-12-01T00:00:00Z")
        #expect(try Self.next("0 0 1 * WED", after: "2026-11-26T00:00:00Z") == "2026-12-01T00:00:00Z")
        #expect(try Self.next("0 0 1 * WED", after: "2026-12-01T00:00:00Z") == "2026-12-02T00:00:00Z")
        #expect(try Self.next("0 0 31 2 *", after: "2026-11-25T00:00:00Z") == nil, "never fires")
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        #expect(try Self.next("30 2 * * *", after: "2026-11-25T00:00:00Z", zone: berlin) == "2026-11-25T02:30:00+01:00")
    }

    @Test("cron: errors name the field and what was expected")
    func cronErrors() {
        func problem(_ text: String) -> String {
            do { _ = try CronSchedule(text); return "" } catch { return error.description }
        }
        #expect(problem("30 2 * *").contains("expected 5 fields"))
        #expect(problem("61 2 * * *").contains("minute \"61\": expected 0–59"))
        #expect(problem("0 24 * * *").contains("hour \"24\""))
        #expect(problem("0 0 * FOO *").contains("month \"FOO\": expected 1–12 or a name such as FEB"))
        #expect(problem("*/0 * * * *").contains("a step must be a positive number"))
        #expect(problem("0 5-2 * * *").contains("a range must go from low to high"))
        #expect(problem("@daily") == "")
    }

    static let matrix = ICPMatrix(
        product: "platform",
        criteria: [
            Criterion(field: "industry", .equals("Software"), points: 50),
            Criterion(field: "employees", .range(min: 200, max: nil), points: 30),
        ],
        gates: [Condition(field: "country", .oneOf(["US"]))],
        exclusions: [Condition(field: "type", .equals("Competitor")), Condition(field: "industry", .equals("Gambling"))])

    static func state(_ facts: Facts) -> TierState {
        let fit = matrix.fit(facts)
        return TierState(tier: fit.tier, score: fit.score, excludedBy: fit.excludedBy, failedGate: fit.failedGate, basis: ScoreBasis(matrix: matrix, facts: facts))
    }

    @Test("score basis: every field the matrix reads, once, with criterion points; JSON round trip")
    func basis() throws {
        let basis = ScoreBasis(matrix: Self.matrix, facts: ["industry": .text("Software"), "employees": .number(20), "country": .text("US")])
        #expect(basis.entries == [
            .init(field: "industry", value: "Software", points: 50), .init(field: "employees", value: "20", points: 0),
            .init(field: "country", value: "US", points: nil), .init(field: "type", value: nil, points: nil),
        ])
        #expect(basis.json == #"[["industry","Software",50],["employees","20",0],["country","US",null],["type",null,null]]"#)
        #expect(ScoreBasis(json: basis.json) == basis)
        #expect(ScoreBasis(json: "{}") == nil)
    }

    @Test("tier moves: up and down name the changed fields with their points; exclusions, gates, new, removed, merged; same tier is no move")
    func moves() {
        let small = Self.state(["industry": .text("Software"), "employees": .number(20), "country": .text("US")])
        let big = Self.state(["industry": .text("Software"), "employees": .number(900), "country": .text("US")])
        #expect(small.tier == .t2 && big.tier == .t1)
        #expect(TierMove.between(old: small, new: big) == TierMove(change: .up, reason: "employees 20 → 900 (+30 pts); score 62.5 → 100"))
        #expect(TierMove.between(old: big, new: small)?.change == .down)
        #expect(TierMove.between(old: big, new: big) == nil)
        let competitor = Self.state(["industry": .text("Software"), "employees": .number(900), "country": .text("US"), "type": .text("Competitor")])
        #expect(TierMove.between(old: big, new: competitor) == TierMove(change: .excluded, reason: "excluded by type (type blank → Competitor)"))
        #expect(TierMove.between(old: competitor, new: big) == TierMove(change: .included, reason: "no longer excluded by type (type Competitor → blank), score 100"))
        let abroad = Self.state(["industry": .text("Software"), "employees": .number(900), "country": .text("DE")])
        #expect(TierMove.between(old: big, new: abroad) == TierMove(change: .down, reason: "gate country fails (country US → DE); score 100 → 0"))
        #expect(TierMove.between(old: abroad, new: big) == TierMove(change: .up, reason: "gate country holds again (country DE → US); score 0 → 100"))
        #expect(TierMove.between(old: nil, new: big) == TierMove(change: .new, reason: "new account: T1, score 100"))
        #expect(TierMove.between(old: small, new: nil) == TierMove(change: .removed, reason: "no source record left in the exports (was T2)"))
        #expect(TierMove.between(old: small, new: nil, mergedInto: "#7") == TierMove(change: .merged, reason: "merged into account #7 (was T2)"))
        // Same data, different tier: the configuration changed.
        var rethresholded = small
        rethresholded.tier = .t1
        #expect(TierMove.between(old: small, new: rethresholded) == TierMove(change: .up, reason: "same data: the scoring configuration changed; score 62.5 → 62.5"))
    }
}

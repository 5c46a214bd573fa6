import Foundation

/// A cron schedule (the five fields of crontab(5): minute, hour, day of month,
/// month, day of week), with `*`, lists, ranges, steps, month and weekday
/// names, `7` for Sunday, and the macros `@hourly`, `@daily` (`@midnight`),
/// `@weekly`, `@monthly`, `@yearly` (`@annually`). When both day fields are
/// restricted, a day matching either runs (as cron does).
public struct CronSchedule: Sendable, Equatable, CustomStringConvertible {
    public let text: String
    let minutes: Set<Int>, hours: Set<Int>, days: Set<Int>, months: Set<Int>, weekdays: Set<Int>
    let daysRestricted: Bool, weekdaysRestricted: Bool

    public var description: String { text }

    public init(_ text: String) throws(CronError) {
        let trimmed = text.trimmedWhitespace
        let macros = [
            "@hourly": "0 * * * *", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@weekly": "0 0 * * 0",
            "@monthly": "0 0 1 * *", "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *",
        ]
        let expanded = macros[trimmed.lowercased()] ?? trimmed
        let fields = expanded.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw CronError(text: text, problem: "expected 5 fields (minute hour day-of-month month day-of-week) or a macro such as @daily, got \(fields.count)")
        }
        let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        let dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
        self.text = trimmed
        minutes = try Self.field(fields[0], name: "minute", range: 0...59, names: [], text: text)
        hours = try Self.field(fields[1], name: "hour", range: 0...23, names: [], text: text)
        days = try Self.field(fields[2], name: "day of month", range: 1...31, names: [], text: text)
        months = try Self.field(fields[3], name: "month", range: 1...12, names: monthNames, nameBase: 1, text: text)
        let weekdays = try Self.field(fields[4], name: "day of week", range: 0...7, names: dayNames, text: text)
        self.weekdays = Set(weekdays.map { $0 % 7 })
        daysRestricted = !fields[2].hasPrefix("*")
        weekdaysRestricted = !fields[4].hasPrefix("*")
    }

    /// The first minute strictly after `date` the schedule fires, in `zone`;
    /// nil if none within five years (e.g. `0 0 31 2 *`).
    public func next(after date: Date, in zone: TimeZone = TimeZone(identifier: "UTC") ?? .current) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        var time = Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 60).rounded(.down) * 60 + 60)
        let limit = date.addingTimeInterval(5 * 366 * 86_400)
        while time < limit {
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: time)
            guard let year = c.year, let month = c.month, let day = c.day, let hour = c.hour, let minute = c.minute, let weekday = c.weekday
            else { return nil }
            if !months.contains(month) {
                guard let start = calendar.date(from: DateComponents(year: year, month: month + 1, day: 1)) else { return nil }
                time = start
            } else if !dayMatches(day: day, weekday: weekday - 1) {
                guard let start = calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: time)) else { return nil }
                time = start
            } else if !hours.contains(hour) {
                time = time.addingTimeInterval(Double(60 - minute) * 60)
            } else if !minutes.contains(minute) {
                time = time.addingTimeInterval(60)
            } else {
                return time
            }
        }
        return nil
    }

    func dayMatches(day: Int, weekday: Int) -> Bool {
        switch (daysRestricted, weekdaysRestricted) {
        case (true, true): return days.contains(day) || weekdays.contains(weekday)
        case (true, false): return days.contains(day)
        case (false, true): return weekdays.contains(weekday)
        case (false, false): return true
        }
    }

    static func field(_ field: String, name: String, range: ClosedRange<Int>, names: [String], nameBase: Int = 0, text: String) throws(CronError) -> Set<Int> {
        func fail(_ problem: String) -> CronError { CronError(text: text, problem: "\(name) \"\(field)\": \(problem)") }
        func number(_ token: String) throws(CronError) -> Int {
            if let index = names.firstIndex(of: token.lowercased()) { return index + nameBase }
            guard let value = Int(token), range.contains(value) else {
                throw fail("expected \(range.lowerBound)–\(range.upperBound)\(names.isEmpty ? "" : " or a name such as \(names[1].uppercased())")")
            }
            return value
        }
        var values = Set<Int>()
        for part in field.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard (1...2).contains(pieces.count), !pieces[0].isEmpty else { throw fail("expected a value, a range or */step") }
            var step = 1
            if pieces.count == 2 {
                guard let parsed = Int(pieces[1]), parsed > 0 else { throw fail("a step must be a positive number") }
                step = parsed
            }
            let bounds: ClosedRange<Int>
            if pieces[0] == "*" {
                bounds = range
            } else if let dash = pieces[0].firstIndex(of: "-") {
                let low = try number(String(pieces[0][..<dash])), high = try number(String(pieces[0][pieces[0].index(after: dash)...]))
                guard low <= high else { throw fail("a range must go from low to high") }
                bounds = low...high
            } else {
                let value = try number(pieces[0])
                bounds = value...(pieces.count == 2 ? range.upperBound : value)
            }
            values.formUnion(stride(from: bounds.lowerBound, through: bounds.upperBound, by: step))
        }
        return values
    }
}

/// A schedule that cannot be read, and why.
public struct CronError: Error, Equatable, CustomStringConvertible {
    public var text: String
    public var problem: String
    public var description: String { "schedule \"\(text)\": \(problem)" }
}

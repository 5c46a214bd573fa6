import Foundation

/// Lenient parsing of the values CRM exports write.
public enum ValueParsers {
    /// `1200`, `1,200`, `1 200`, `1200.0`; `nil` for blank; throws for text.
    public static func count(_ raw: String?) -> Result<Int?, ValueError> {
        guard let text = clean(raw) else { return .success(nil) }
        let digits = text.filter { $0 != "," && $0 != " " && $0 != "\u{00A0}" }
        if let value = Int(digits), value >= 0 { return .success(value) }
        if let value = Double(digits), value >= 0, value.rounded() == value, value < 1e12 { return .success(Int(value)) }
        return .failure(ValueError(value: text))
    }

    /// `$1,200,000`, `€ 1.2M`, `1200000.50`, `3.5k`, `2B`.
    public static func money(_ raw: String?) -> Result<Double?, ValueError> {
        guard var text = clean(raw)?.lowercased() else { return .success(nil) }
        text = text.filter { !"$€£¥ ,\u{00A0}".contains($0) }
        for code in ["usd", "eur", "gbp", "cad", "aud", "chf", "jpy"] where text.hasSuffix(code) || text.hasPrefix(code) {
            text = text.replacingOccurrences(of: code, with: "")
        }
        var multiplier = 1.0
        if let last = text.last, let factor = ["k": 1e3, "m": 1e6, "b": 1e9, "bn": 1e9][String(last)] {
            multiplier = factor
            text.removeLast()
        }
        guard let value = Double(text), value.isFinite, value >= 0 else { return .failure(ValueError(value: raw ?? "")) }
        return .success(value * multiplier)
    }

    /// ISO dates and date-times (`2024-03-01`, `2024-03-01T10:00:00Z`), US
    /// `3/1/2024`, and epoch milliseconds (HubSpot). Returns `YYYY-MM-DD`.
    public static func date(_ raw: String?) -> Result<String?, ValueError> {
        guard let text = clean(raw) else { return .success(nil) }
        func iso(_ year: Int, _ month: Int, _ day: Int) -> String? {
            guard (1...9999).contains(year), (1...12).contains(month), day >= 1, day <= daysIn(month, year) else { return nil }
            return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
        }
        // ISO first, read from the bytes: only ASCII can parse, so the first ten bytes are the first ten characters.
        let prefix = Array(text.utf8.prefix(10))
        if prefix.count == 10, prefix[4] == UInt8(ascii: "-"), prefix[7] == UInt8(ascii: "-"), let y = integer(prefix[0..<4]),
            let m = integer(prefix[5..<7]), let d = integer(prefix[8..<10]), let result = iso(y, m, d)
        {
            return .success(result)
        }
        let parts = text.split(separator: " ").first?.split(separator: "/") ?? []
        if parts.count == 3, let m = Int(parts[0]), let d = Int(parts[1]), var y = Int(parts[2]) {
            if y < 100 { y += 2000 }
            if let result = iso(y, m, d) { return .success(result) }
        }
        if text.count >= 12, let millis = Int64(text) {
            let date = Date(timeIntervalSince1970: Double(millis) / 1000)
            let parts = utcCalendar.dateComponents([.year, .month, .day], from: date)
            if let y = parts.year, let m = parts.month, let d = parts.day, let result = iso(y, m, d) { return .success(result) }
        }
        return .failure(ValueError(value: text))
    }

    /// What `Int(String(bytes))` gives for ASCII bytes: an optional sign, then decimal digits.
    static func integer(_ bytes: ArraySlice<UInt8>) -> Int? {
        var digits = bytes[...]
        var sign = 1
        if let first = digits.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            sign = first == UInt8(ascii: "-") ? -1 : 1
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty else { return nil }
        var value = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return sign * value
    }

    static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    public static func flag(_ raw: String?) -> Bool {
        guard let text = clean(raw)?.lowercased() else { return false }
        return ["true", "yes", "y", "1", "x", "checked", "on"].contains(text)
    }

    /// Trimmed text, `nil` when blank or a placeholder.
    public static func clean(_ raw: String?) -> String? {
        guard let text = raw?.trimmedWhitespace, !text.isEmpty else { return nil }
        return TextFolding.isPlaceholder(text) && text != "0" ? nil : text
    }

    static let utcCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        return calendar
    }()
}

public struct ValueError: Error, Sendable, Equatable {
    public var value: String
}

/// FNV-1a 64: a stable content hash (Swift's `Hasher` is seeded per process).
public enum ContentHash {
    public static func of(_ parts: [String?]) -> String {
        var hash = offset
        for part in parts {
            mix(&hash, (part ?? "\u{0}").utf8)
            mix(&hash, CollectionOfOne(0x1F))
        }
        return hex(hash)
    }

    /// The hash of raw bytes (a file's content).
    public static func of(bytes: some Sequence<UInt8>) -> String {
        var hash = offset
        mix(&hash, bytes)
        return hex(hash)
    }

    /// `of(bytes:)` of bytes that come in pieces (a file read in chunks).
    public struct Running: Sendable {
        private var state = ContentHash.offset
        public init() {}
        public mutating func add(_ bytes: some Sequence<UInt8>) { ContentHash.mix(&state, bytes) }
        public var hex: String { ContentHash.hex(state) }
    }

    /// The hash of `seed`'s parts followed by `bytes`: a raw CSV record under
    /// its header, format and product version. Write it into `buffer` as 16
    /// hex digits (the import's hot path: no String per record).
    public static func append(seed: UInt64, bytes: UnsafeRawBufferPointer, to buffer: inout [UInt8]) {
        var hash = seed
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        for shift in stride(from: 60, through: 0, by: -4) { buffer.append(digits[Int((hash >> UInt64(shift)) & 0xF)]) }
    }

    /// The state after `parts`, to continue with `append(seed:bytes:to:)`.
    public static func seed(_ parts: [String]) -> UInt64 {
        var hash = offset
        for part in parts {
            mix(&hash, part.utf8)
            mix(&hash, CollectionOfOne(0x1F))
        }
        return hash
    }

    fileprivate static let offset: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    fileprivate static func mix(_ hash: inout UInt64, _ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
    }

    fileprivate static func hex(_ hash: UInt64) -> String {
        let text = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}

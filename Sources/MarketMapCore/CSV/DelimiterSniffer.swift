/// Recognises a CSV file's field delimiter from its header: the candidate
/// (`,` `;` tab `|`) that occurs most often outside quotes in the first
/// record. Excel writes `;` where the decimal separator is a comma, "Unicode
/// text" exports use tabs. Pure: no I/O.
public enum DelimiterSniffer {
    public static let candidates: [UInt8] = [UInt8(ascii: ","), 0x09, UInt8(ascii: ";"), UInt8(ascii: "|")]

    /// The delimiter of the first record in `text` (UTF-8, a BOM allowed);
    /// a comma when none of the candidates occurs (a one-column file).
    public static func delimiter(of text: [UInt8]) -> UInt8 {
        var counts = [Int](repeating: 0, count: candidates.count)
        var quoted = false
        for byte in text {
            if byte == 0x22 {
                quoted.toggle()
            } else if !quoted {
                if byte == 0x0A || byte == 0x0D { break }
                if let index = candidates.firstIndex(of: byte) { counts[index] += 1 }
            }
        }
        var best = 0
        for index in counts.indices where counts[index] > counts[best] { best = index }
        return candidates[best]
    }

    /// How a delimiter is written in messages: `","`, `tab`.
    public static func name(_ delimiter: UInt8) -> String {
        delimiter == 0x09 ? "tab" : "\"\(String(UnicodeScalar(delimiter)))\""
    }
}

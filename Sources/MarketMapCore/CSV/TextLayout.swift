/// How a file's bytes are to be read: its encoding (transcoded to UTF-8 on
/// the way in unless it is UTF-8) and its field delimiter, each either given
/// by the operator or detected from the file's first bytes. Pure: no I/O.
public struct TextLayout: Sendable, Equatable {
    public var encoding: TextEncoding
    /// Byte-order mark bytes the transcoder skips (UTF-16 only).
    public var bomLength: Int
    public var delimiter: UInt8
    /// What was detected and why, for the log and the report.
    public var notes: [String]

    public init(encoding: TextEncoding, bomLength: Int = 0, delimiter: UInt8, notes: [String] = []) {
        self.encoding = encoding
        self.bomLength = bomLength
        self.delimiter = delimiter
        self.notes = notes
    }

    /// The layout of the file that starts with `sample`: `encoding` and
    /// `delimiter` when given (nil: detect).
    public static func detect(_ sample: [UInt8], isWholeFile: Bool, encoding: TextEncoding?, delimiter: UInt8?) -> TextLayout {
        var notes: [String] = []
        let detected = TextEncoding.detect(sample, isWholeFile: isWholeFile)
        let chosen: TextEncoding
        var bomLength = 0
        if let encoding {
            chosen = encoding
            // A given UTF-16 still skips its own byte-order mark.
            if encoding == detected.encoding { bomLength = detected.bomLength }
        } else {
            chosen = detected.encoding
            bomLength = detected.bomLength
            if chosen != .utf8 { notes.append("read as \(chosen.name) (\(detected.evidence)) and transcoded to UTF-8") }
        }
        guard delimiter == nil else { return TextLayout(encoding: chosen, bomLength: bomLength, delimiter: delimiter ?? 0x2C, notes: notes) }
        var text: [UInt8] = []
        if chosen == .utf8 {
            text = sample
        } else {
            var transcoder = Transcoder(chosen, bomLength: bomLength)
            transcoder.feed(sample, into: &text)
        }
        let found = DelimiterSniffer.delimiter(of: text)
        if found != UInt8(ascii: ",") { notes.append("delimiter \(DelimiterSniffer.name(found)) detected from the header") }
        return TextLayout(encoding: chosen, bomLength: bomLength, delimiter: found, notes: notes)
    }
}

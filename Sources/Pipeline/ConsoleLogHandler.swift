import Foundation
import Logging

/// Logs to stderr: readable lines on a terminal, JSON lines otherwise when
/// asked (`--log-format json`), so log shippers get one object per line.
public struct ConsoleLogHandler: LogHandler {
    public enum Format: String, Sendable, CaseIterable {
        case text
        case json
    }

    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let format: Format

    public init(label: String, level: Logger.Level, format: Format) {
        self.label = label
        self.logLevel = level
        self.format = format
    }

    /// Bootstraps swift-log once per process.
    public static func bootstrap(level: Logger.Level, format: Format) {
        LoggingSystem.bootstrap { label in ConsoleLogHandler(label: label, level: level, format: format) }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        let line: String
        switch format {
        case .text: line = textLine(event.level, "\(event.message)", merged)
        case .json: line = jsonLine(event.level, "\(event.message)", merged)
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    private func textLine(_ level: Logger.Level, _ message: String, _ metadata: Logger.Metadata) -> String {
        let time = Date().formatted(.iso8601.time(includingFractionalSeconds: false))
        let fields = metadata.keys.sorted().map { "\($0)=\(metadata[$0].map { "\($0)" } ?? "")" }.joined(separator: " ")
        return "\(time) \(level.rawValue.uppercased()) \(message)" + (fields.isEmpty ? "" : "  \(fields)")
    }

    private func jsonLine(_ level: Logger.Level, _ message: String, _ metadata: Logger.Metadata) -> String {
        var object: [String: String] = [:]
        for (key, value) in metadata { object[key] = "\(value)" }
        object["ts"] = Date().formatted(.iso8601.time(includingFractionalSeconds: true).year().month().day())
        object["level"] = level.rawValue
        object["msg"] = message
        object["logger"] = label
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(object) else { return "{\"msg\":\"unencodable log line\"}" }
        return String(decoding: data, as: UTF8.self)
    }
}

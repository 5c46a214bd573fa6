import Foundation
import JobQueue
import MarketMapCore
import Yams

/// A configuration that does not parse inside a job (the run carries its
/// configuration text) parses no better on a retry: the job is a dead letter
/// at once, with the key path in its reason.
extension ConfigError: PermanentJobError {}

/// Reads the YAML configuration (`ops/examples/marketmap.yaml`) before any
/// work starts. Every failure is a `ConfigError` naming the file, the key path
/// and what was expected.
public enum ConfigLoader {
    public static func load(_ path: String) throws(ConfigError) -> MarketMapConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, path: "", expected: FileManager.default.fileExists(atPath: path) ? "cannot read the file" : "no such file")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw ConfigError(file: path, path: "", expected: "the file is not UTF-8 text") }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws(ConfigError) -> MarketMapConfig {
        try decode(MarketMapConfig.self, from: text, file: file)
    }

    /// Decodes YAML text (a configuration, a manifest) as `T`. A syntax error
    /// names the file, the line and column and what YAML expected there; a
    /// value error, the key path.
    public static func decode<T: Decodable>(_ type: T.Type, from text: String, file: String) throws(ConfigError) -> T {
        do {
            return try YAMLDecoder().decode(T.self, from: text)
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty, let yaml = context.underlyingError as? YamlError {
                throw syntaxError(yaml, text: text, file: file)
            }
            throw ConfigError.from(error, file: file)
        } catch let error as YamlError {
            throw syntaxError(error, text: text, file: file)
        } catch {
            throw ConfigError(file: file, path: "", expected: "\(error)")
        }
    }

    /// `marketmap.yaml: line 3, column 9: not valid YAML: mapping values are
    /// not allowed in this context (in "  weight: 1: 2")`.
    static func syntaxError(_ error: YamlError, text: String, file: String) -> ConfigError {
        func at(_ mark: (line: Int, column: Int), _ problem: String, _ context: YamlError.Context?) -> ConfigError {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let line = mark.line >= 1 && mark.line <= lines.count ? String(lines[mark.line - 1]).trimmingCharacters(in: ["\r"]) : ""
            var expected = "not valid YAML: " + problem
            if let context { expected += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))" }
            if !line.trimmingCharacters(in: .whitespaces).isEmpty { expected += " in \"\(line)\"" }
            return ConfigError(file: file, path: "line \(mark.line), column \(mark.column)", expected: expected)
        }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            return at((mark.line, mark.column), problem, context)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return at((context.mark.line, context.mark.column), "the key \(duplicates.sorted().joined(separator: ", ")) appears twice in one mapping", nil)
        case .reader(let problem, let offset, _, _):
            guard let offset, offset <= text.count else { return ConfigError(file: file, path: "", expected: "not valid YAML: \(problem)") }
            let before = text.prefix(offset)
            let line = before.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
            let column = before.count - (before.lastIndex(of: "\n").map { before.distance(from: before.startIndex, to: $0) + 1 } ?? 0) + 1
            return at((line, column), problem, nil)
        default:
            return ConfigError(file: file, path: "", expected: "not valid YAML: \(error)")
        }
    }
}

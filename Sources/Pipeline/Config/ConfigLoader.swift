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
        do {
            return try YAMLDecoder().decode(MarketMapConfig.self, from: text)
        } catch let error as DecodingError {
            throw ConfigError.from(error, file: file)
        } catch let error as YamlError {
            throw ConfigError(file: file, path: "", expected: "not valid YAML: \(error)")
        } catch {
            throw ConfigError(file: file, path: "", expected: "\(error)")
        }
    }
}

import Foundation
import MarketMapCore
import Yams

/// The configuration a run carries, validated once when the run is created
/// and stored as JSON in its params (`configuration`), so that no job parses
/// YAML: every job decodes the same, already validated document.
///
/// The JSON form is the YAML's tree with its scalars typed as YAML resolves
/// them. It is kept only if it decodes to exactly the configuration the YAML
/// does; otherwise (YAML that JSON cannot say the same way: an anchor, a
/// product named `2024`) the run carries the YAML text alone, as runs of
/// older binaries do, and its jobs parse that.
public enum StoredConfiguration {
    /// The JSON form of `text`, or nil when it would not decode to `config`.
    public static func json(_ text: String, config: MarketMapConfig) -> JSONValue? {
        guard let node = try? Yams.compose(yaml: text), let value = json(node),
            let decoded = try? decode(value, file: "the run's configuration"), decoded == config
        else { return nil }
        return value
    }

    /// Decodes the stored form, with the key path of what is wrong.
    public static func decode(_ value: JSONValue, file: String) throws(ConfigError) -> MarketMapConfig {
        do {
            return try JSONDecoder().decode(MarketMapConfig.self, from: JSONEncoder().encode(value))
        } catch let error as DecodingError {
            throw ConfigError.from(error, file: file)
        } catch {
            throw ConfigError(file: file, path: "", expected: "\(error)")
        }
    }

    static func json(_ node: Node) -> JSONValue? {
        switch node {
        case .scalar(let scalar):
            switch Tag.Name(rawValue: node.tag.rawValue) {
            case .null: return .null
            case .bool: return node.bool.map(JSONValue.bool)
            case .int: return node.int.map(JSONValue.int)
            case .float: return node.float.flatMap { $0.isFinite ? .number($0) : nil }
            default: return .string(scalar.string)
            }
        case .mapping(let mapping):
            var object: [String: JSONValue] = [:]
            for (key, value) in mapping {
                guard let key = key.string, object[key] == nil, let value = json(value) else { return nil }
                object[key] = value
            }
            return .object(object)
        case .sequence(let sequence):
            var array: [JSONValue] = []
            for element in sequence {
                guard let value = json(element) else { return nil }
                array.append(value)
            }
            return .array(array)
        case .alias:
            return nil
        }
    }
}

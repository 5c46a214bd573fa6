import ArgumentParser
import Foundation
import Yams

/// `marketmap cluster-plan docker/compose.yaml`: the marketmap services of a
/// compose file as JSON lines (service, replicas, command, environment with
/// `${VAR}` and `${VAR:-default}` filled from this process's environment), so
/// `ops/cluster` starts the very same roles as local processes.
struct ClusterPlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster-plan", abstract: "Print a compose file's marketmap roles as JSON lines (for ops/cluster).", shouldDisplay: false)

    @Argument(help: "The compose file.") var file: String

    struct Role: Encodable {
        var service: String, replicas: Int, oneShot: Bool, command: [String], environment: [String: String]
    }

    func run() throws {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw ValidationError("cannot read \(file)") }
        guard let compose = try Yams.load(yaml: text) as? [String: Any], let services = compose["services"] as? [String: Any] else {
            throw ValidationError("\(file): expected a services mapping")
        }
        let environment = ProcessInfo.processInfo.environment
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for name in services.keys.sorted() {
            guard let service = services[name] as? [String: Any], (service["image"] as? String)?.hasPrefix("marketmap") == true else { continue }
            let command = (service["command"] as? [Any] ?? []).map { "\($0)" }
            var variables: [String: String] = [:]
            for (key, value) in service["environment"] as? [String: Any] ?? [:] { variables[key] = Self.substitute("\(value)", environment) }
            let replicas = (service["deploy"] as? [String: Any])?["replicas"] as? Int ?? 1
            let role = Role(service: name, replicas: replicas, oneShot: "\(service["restart"] ?? "")" == "no", command: command, environment: variables)
            print(String(decoding: try encoder.encode(role), as: UTF8.self))
        }
    }

    /// Compose's interpolation: `${NAME}`, `${NAME:-default}`.
    static func substitute(_ text: String, _ environment: [String: String]) -> String {
        var out = "", rest = Substring(text)
        while let start = rest.range(of: "${"), let close = rest[start.upperBound...].firstIndex(of: "}") {
            out += rest[..<start.lowerBound]
            let body = rest[start.upperBound..<close]
            if let dash = body.range(of: ":-") {
                let value = environment[String(body[..<dash.lowerBound])] ?? ""
                out += value.isEmpty ? String(body[dash.upperBound...]) : value
            } else {
                out += environment[String(body)] ?? ""
            }
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }
}

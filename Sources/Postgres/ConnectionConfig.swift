import Foundation

/// Where to connect. libpq parses the string itself, so everything `psql`
/// understands works: URIs, `key=value` conninfo, multi-host failover lists,
/// `sslmode`, `.pgpass`, service files and the `PG*` environment variables.
public struct ConnectionConfig: Sendable, CustomStringConvertible {
    /// A `postgresql://` URI or a `key=value` conninfo string. Empty means
    /// "libpq defaults": the `PG*` environment variables.
    public var conninfo: String
    public var applicationName: String

    public init(conninfo: String, applicationName: String = "marketmap") {
        self.conninfo = conninfo
        self.applicationName = applicationName
    }

    /// The variables that make libpq connect somewhere other than its defaults.
    public static let environmentKeys = [
        "PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE",
    ]

    /// The configured external database, if any: an explicit URL, then
    /// `DATABASE_URL`, then any `PG*` variable. `nil` means "none configured",
    /// the case where marketmap starts its embedded server.
    public static func external(
        url: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> ConnectionConfig? {
        if let url, !url.isEmpty { return ConnectionConfig(conninfo: url) }
        if let url = environment["DATABASE_URL"], !url.isEmpty { return ConnectionConfig(conninfo: url) }
        if environmentKeys.contains(where: { !(environment[$0] ?? "").isEmpty }) {
            return ConnectionConfig(conninfo: "")
        }
        return nil
    }

    /// The same target with another database name (keeps host, user, TLS ...).
    public func withDatabase(_ name: String) -> ConnectionConfig {
        var copy = self
        copy.overrideDatabase = name
        return copy
    }

    /// Set by `withDatabase`; passed to libpq after the conninfo so it wins.
    public internal(set) var overrideDatabase: String?

    /// The conninfo with any password replaced by `***`: safe for logs.
    public var description: String {
        if conninfo.isEmpty { return "PG* environment" }
        return ConnectionConfig.redact(conninfo)
    }

    static func redact(_ text: String) -> String {
        var result = text
        // URI user-info: scheme://user:secret@host
        if let regex = try? NSRegularExpression(pattern: "(://[^:/@]*:)[^@/]*@") {
            result = regex.stringByReplacingMatches(
                in: result, range: NSRange(result.startIndex..., in: result), withTemplate: "$1***@")
        }
        // key=value and URI query parameters: password=secret
        if let regex = try? NSRegularExpression(
            pattern: "(password\\s*=\\s*)('(?:[^'\\\\]|\\\\.)*'|[^\\s&]*)", options: [.caseInsensitive])
        {
            result = regex.stringByReplacingMatches(
                in: result, range: NSRange(result.startIndex..., in: result), withTemplate: "$1***")
        }
        return result
    }
}

import Foundation

/// Every failure of the PostgreSQL layer. Messages never contain passwords.
public enum PostgresError: Error, CustomStringConvertible, Sendable {
    /// The server rejected a statement (or a COPY): SQLSTATE and its fields.
    case server(ServerError)
    /// The connection could not be established.
    case connectFailed(target: String, message: String)
    /// The connection broke (server restarted, network cut, backend killed).
    case connectionLost(message: String)
    /// A value could not be decoded into the requested Swift type.
    case decoding(column: String, type: String, message: String)
    /// The client library refused a request (bad state, unexpected result).
    case protocolViolation(String)

    public var description: String {
        switch self {
        case .server(let error): return error.description
        case .connectFailed(let target, let message):
            return "cannot connect to PostgreSQL at \(target): \(message)"
        case .connectionLost(let message):
            return "lost the connection to PostgreSQL: \(message)"
        case .decoding(let column, let type, let message):
            return "cannot decode column \"\(column)\" (\(type)): \(message)"
        case .protocolViolation(let message):
            return "PostgreSQL client error: \(message)"
        }
    }

    /// The SQLSTATE code when the server reported the error.
    public var sqlState: String? {
        if case .server(let error) = self { return error.sqlState }
        return nil
    }

    public var isUniqueViolation: Bool { sqlState == "23505" }
    public var isConnectionLost: Bool {
        if case .connectionLost = self { return true }
        return false
    }
}

/// The fields PostgreSQL sends with an error (see "Error Message Fields").
public struct ServerError: Sendable, CustomStringConvertible {
    public var sqlState: String
    public var severity: String
    public var message: String
    public var detail: String?
    public var hint: String?
    public var constraint: String?
    public var table: String?
    public var column: String?

    public var description: String {
        plainDescription + (Self.missingObject.contains(sqlState)
            ? "; the database may be older than this marketmap: run `marketmap db migrate` (`db status` lists what is pending)" : "")
    }

    /// The server's words only, without marketmap's advice (a migration's own failure).
    public var plainDescription: String {
        var text = "\(severity) \(sqlState): \(message)"
        if let detail { text += " (detail: \(detail))" }
        if let hint { text += " (hint: \(hint))" }
        return text
    }

    /// undefined_table, undefined_column: what a query of a newer marketmap
    /// meets on a database that was not migrated yet.
    static let missingObject: Set<String> = ["42P01", "42703"]
}

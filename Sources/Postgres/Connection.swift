import CLibPQ
import Foundation

/// One PostgreSQL session. An actor whose executor is a dedicated thread, so
/// every blocking libpq call happens off Swift's cooperative pool.
///
/// Methods are synchronous inside the actor: code that runs isolated to the
/// connection (a `transaction` body, a queue operation taking
/// `isolated Connection`) calls them without suspending; callers outside
/// `await` them.
public actor Connection {
    private let executor: ThreadExecutor
    var handle: OpaquePointer?
    /// Notifications received while doing other work, delivered in order.
    var pending: [Notification] = []
    /// `user@host:port/database`, never the password.
    public private(set) var target: String

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    private init(executor: ThreadExecutor, target: String) {
        self.executor = executor
        self.target = target
    }

    isolated deinit {
        if let handle { PQfinish(handle) }
        executor.shutdown()
    }

    /// Connects with libpq's own parsing of `config` (URI, conninfo, `PG*`).
    public static func connect(_ config: ConnectionConfig) async throws(PostgresError) -> Connection {
        let connection = Connection(executor: ThreadExecutor(name: "pg-connection"), target: config.description)
        try await connection.open(config)
        return connection
    }

    private func open(_ config: ConnectionConfig) throws(PostgresError) {
        // TCP keepalives on both ends (the conninfo may override them, it comes
        // later): a host cut off from the network is noticed within about 30 s,
        // and the server ends its sessions, releasing any lock they held,
        // instead of waiting hours for the operating system's defaults.
        var keywords = ["keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count",
                        "dbname", "fallback_application_name", "client_encoding"]
        var values = ["1", "10", "5", "3", config.conninfo, config.applicationName, "UTF8"]
        if let database = config.overrideDatabase {
            keywords.append("dbname")
            values.append(database)
        }
        let connection = withCStrings(keywords) { keywordPointers in
            withCStrings(values) { valuePointers in PQconnectdbParams(keywordPointers, valuePointers, 1) }
        }
        guard let connection, PQstatus(connection) == CONNECTION_OK else {
            let message = connection.map { Self.trimmed(PQerrorMessage($0)) } ?? "out of memory"
            if let connection { PQfinish(connection) }
            throw .connectFailed(target: config.description, message: message)
        }
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        // The server side of the keepalives (a SET, not a startup option, so
        // poolers that refuse `options` still connect; ignored on failure).
        PQclear(PQexec(connection, "SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3"))
        // No JIT compilation: a job's statement reads its shard, and on a table
        // that grew since its last ANALYZE the planner's estimate crosses
        // `jit_above_cost`, so a statement of 60 ms spent as long again or more
        // compiling its expressions (score's facts read at 200k: 50 functions,
        // inlined and optimized, for 4,757 rows). Its own statement: a server
        // that does not know the setting still gets the keepalives.
        PQclear(PQexec(connection, "SET jit = off"))
        handle = connection
        func text(_ pointer: UnsafeMutablePointer<CChar>?) -> String { pointer.map { String(cString: $0) } ?? "" }
        target = "\(text(PQuser(connection)))@\(text(PQhost(connection))):\(text(PQport(connection)))/\(text(PQdb(connection)))"
    }

    /// Closes the session. Later calls fail with `connectionLost`.
    public func close() {
        if let handle { PQfinish(handle) }
        handle = nil
    }

    /// The server's process id for this session (for `pg_terminate_backend`).
    public var backendPID: Int32 { handle.map { PQbackendPID($0) } ?? 0 }

    /// True while the socket is open and the session is usable.
    public var isUsable: Bool { handle.map { PQstatus($0) == CONNECTION_OK } ?? false }

    // MARK: statements

    /// Runs one statement with bound parameters; rows come back in binary format.
    @discardableResult
    public func query(_ sql: String, _ parameters: any PostgresEncodable...) throws(PostgresError) -> QueryResult {
        try query(sql, parameters: parameters)
    }

    @discardableResult
    public func query(_ sql: String, parameters: [any PostgresEncodable]) throws(PostgresError) -> QueryResult {
        let connection = try liveHandle()
        let binds = parameters.map(\.postgresBind)
        let types = binds.map { Oid($0.type.rawValue) }
        let formats = binds.map(\.format)
        let lengths = binds.map { Int32($0.bytes?.count ?? 0) }
        let buffers: [UnsafeMutablePointer<CChar>?] = binds.map { bind in
            guard let bytes = bind.bytes else { return nil }
            // Text-format values are read up to a NUL (libpq ignores their length).
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
            bytes.withUnsafeBytes { raw in
                if let base = raw.baseAddress { UnsafeMutableRawPointer(buffer).copyMemory(from: base, byteCount: bytes.count) }
            }
            buffer[bytes.count] = 0
            return buffer
        }
        defer { buffers.forEach { $0?.deallocate() } }
        let values = buffers.map { UnsafePointer($0) }
        let result = PQexecParams(connection, sql, Int32(binds.count), types, values, lengths, formats, 1)
        return try check(result)
    }

    /// Runs a script of one or more statements (simple protocol, no
    /// parameters): migrations and `BEGIN`/`COMMIT`.
    public func execute(_ script: String) throws(PostgresError) {
        let connection = try liveHandle()
        _ = try check(PQexec(connection, script))
        // A multi-statement script returns only its last result through PQexec.
    }

    /// Runs `body` inside `BEGIN`/`COMMIT`; any thrown error rolls back and is
    /// rethrown. Not reentrant: use savepoints for nesting.
    public func transaction<T: Sendable>(_ body: @Sendable (isolated Connection) throws -> T) throws -> T {
        try execute("BEGIN")
        do {
            let value = try body(self)
            try execute("COMMIT")
            return value
        } catch {
            if isUsable, PQtransactionStatus(handle) != PQTRANS_IDLE { try? execute("ROLLBACK") }
            throw error
        }
    }

    /// For code already isolated to this connection: runs `body` in the
    /// transaction in progress (a job handler's, so its writes commit with the
    /// job), or in a new one that commits when `body` returns and rolls back
    /// when it throws.
    public func withTransaction<T>(_ body: () throws -> T) throws -> T {
        if let handle, PQtransactionStatus(handle) != PQTRANS_IDLE { return try body() }
        try execute("BEGIN")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            if isUsable, PQtransactionStatus(handle) != PQTRANS_IDLE { try? execute("ROLLBACK") }
            throw error
        }
    }

    // MARK: helpers shared by COPY and notifications

    func liveHandle() throws(PostgresError) -> OpaquePointer {
        guard let handle else { throw .connectionLost(message: "the connection is closed") }
        if PQstatus(handle) != CONNECTION_OK {
            throw .connectionLost(message: Self.trimmed(PQerrorMessage(handle)))
        }
        return handle
    }

    /// Turns a finished result into a `QueryResult` or the right error, and
    /// collects notifications that arrived with it.
    func check(_ result: OpaquePointer?) throws(PostgresError) -> QueryResult {
        defer { drainNotifications() }
        guard let result else {
            throw lostOrProtocol("no result from the server")
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY, PGRES_COPY_IN, PGRES_COPY_OUT:
            return QueryResult(handle: result)
        default:
            let error = Self.serverError(result)
            PQclear(result)
            if let handle, PQstatus(handle) != CONNECTION_OK {
                throw .connectionLost(message: error?.message ?? Self.trimmed(PQerrorMessage(handle)))
            }
            if let error { throw .server(error) }
            throw lostOrProtocol("statement failed without an error report")
        }
    }

    func lostOrProtocol(_ fallback: String) -> PostgresError {
        guard let handle else { return .connectionLost(message: "the connection is closed") }
        let message = Self.trimmed(PQerrorMessage(handle))
        if PQstatus(handle) != CONNECTION_OK { return .connectionLost(message: message.isEmpty ? fallback : message) }
        return .protocolViolation(message.isEmpty ? fallback : message)
    }

    static func serverError(_ result: OpaquePointer) -> ServerError? {
        func field(_ code: UInt8) -> String? {
            PQresultErrorField(result, Int32(code)).map { String(cString: $0) }
        }
        guard let state = field(UInt8(ascii: "C")) else { return nil }
        return ServerError(
            sqlState: state,
            severity: field(UInt8(ascii: "V")) ?? field(UInt8(ascii: "S")) ?? "ERROR",
            message: field(UInt8(ascii: "M")) ?? "",
            detail: field(UInt8(ascii: "D")),
            hint: field(UInt8(ascii: "H")),
            constraint: field(UInt8(ascii: "n")),
            table: field(UInt8(ascii: "t")),
            column: field(UInt8(ascii: "c")))
    }

    static func trimmed(_ message: UnsafePointer<CChar>?) -> String {
        guard let message else { return "" }
        return String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Calls `body` with a C array of C strings that stays valid for the call.
func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let array = UnsafeMutablePointer<UnsafePointer<CChar>?>.allocate(capacity: strings.count + 1)
    let copies = strings.map { strdup($0) }
    for (index, copy) in copies.enumerated() { (array + index).initialize(to: copy.map { UnsafePointer($0) }) }
    (array + strings.count).initialize(to: nil)
    defer {
        copies.forEach { free($0) }
        array.deinitialize(count: strings.count + 1)
        array.deallocate()
    }
    return body(UnsafePointer(array))
}

/// Quotes an identifier (table, channel) for SQL text: the only way names,
/// never values, enter statements.
public func quoteIdentifier(_ name: String) -> String {
    "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

import CLibPQ
import Foundation

/// Streams rows into `COPY ... FROM STDIN`. Data is buffered up to
/// `bufferSize` bytes, then handed to libpq, which blocks while the server
/// catches up: memory stays bounded whatever the input size.
public final class CopyInWriter {
    private let handle: OpaquePointer
    private var buffer: [UInt8] = []
    private let bufferSize: Int
    public private(set) var bytesWritten = 0

    init(handle: OpaquePointer, bufferSize: Int) {
        self.handle = handle
        self.bufferSize = bufferSize
        buffer.reserveCapacity(bufferSize)
    }

    /// Raw COPY data (any format the statement declared).
    public func write(_ bytes: UnsafeRawBufferPointer) throws(PostgresError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= bufferSize { try flush() }
    }

    public func write(_ text: String) throws(PostgresError) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= bufferSize { try flush() }
    }

    /// One row in COPY's text format; `nil` is NULL. Escapes backslash, tab,
    /// newline and carriage return; drops NUL bytes (PostgreSQL text cannot
    /// hold them).
    public func writeRow(_ fields: [String?]) throws(PostgresError) {
        CopyText.appendRow(fields, to: &buffer)
        if buffer.count >= bufferSize { try flush() }
    }

    func flush() throws(PostgresError) {
        guard !buffer.isEmpty else { return }
        let status = buffer.withUnsafeBytes { raw in
            PQputCopyData(handle, raw.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(raw.count))
        }
        guard status == 1 else {
            throw .connectionLost(message: Connection.trimmed(PQerrorMessage(handle)))
        }
        bytesWritten += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }
}

extension Connection {
    /// Runs `COPY ... FROM STDIN` and lets `body` stream the data. If `body`
    /// throws, the COPY is aborted (nothing is loaded) and the error rethrown.
    /// Returns the number of rows the server loaded. The connection stays
    /// usable after a failed COPY.
    @discardableResult
    public func copyIn(
        _ sql: String, bufferSize: Int = 256 * 1024, _ body: sending (CopyInWriter) throws -> Void
    ) throws -> Int {
        let connection = try liveHandle()
        let start = try check(PQexec(connection, sql))
        guard PQresultStatus(start.handle) == PGRES_COPY_IN else {
            throw PostgresError.protocolViolation("\(sql.prefix(60)) is not a COPY ... FROM STDIN statement")
        }
        let writer = CopyInWriter(handle: connection, bufferSize: bufferSize)
        var bodyError: (any Error)?
        do {
            try body(writer)
            try writer.flush()
        } catch {
            bodyError = error
        }
        let reason = bodyError.map { "aborted by marketmap: \($0)" }
        guard PQputCopyEnd(connection, reason) == 1 else {
            throw PostgresError.connectionLost(message: Connection.trimmed(PQerrorMessage(connection)))
        }
        let outcome = finishCopy(connection)
        if let bodyError { throw bodyError }
        return try outcome.get().affectedRows ?? 0
    }

    /// Runs `COPY ... TO STDOUT`; `row` is called once per row with bytes that
    /// are valid only during the call. Returns the number of rows.
    @discardableResult
    public func copyOut(_ sql: String, _ row: sending (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        let connection = try liveHandle()
        let start = try check(PQexec(connection, sql))
        guard PQresultStatus(start.handle) == PGRES_COPY_OUT else {
            throw PostgresError.protocolViolation("\(sql.prefix(60)) is not a COPY ... TO STDOUT statement")
        }
        var rows = 0
        var rowError: (any Error)?
        while true {
            var data: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(connection, &data, 0)
            if length > 0, let data {
                defer { PQfreemem(data) }
                // After a consumer error keep draining so the session stays usable.
                if rowError == nil {
                    do { try row(UnsafeRawBufferPointer(start: data, count: Int(length))) } catch { rowError = error }
                }
                rows += 1
            } else if length == -1 {
                break
            } else {
                throw lostOrProtocol("COPY TO STDOUT failed")
            }
        }
        let outcome = finishCopy(connection)
        if let rowError { throw rowError }
        _ = try outcome.get()
        return rows
    }

    /// Collects the results that end a COPY; the first error wins.
    private func finishCopy(_ connection: OpaquePointer) -> Result<QueryResult, PostgresError> {
        var firstFailure: PostgresError?
        var last: QueryResult?
        while let result = PQgetResult(connection) {
            do { last = try check(result) } catch { if firstFailure == nil { firstFailure = error } }
        }
        if let firstFailure { return .failure(firstFailure) }
        if let last { return .success(last) }
        return .failure(lostOrProtocol("COPY ended without a result"))
    }
}

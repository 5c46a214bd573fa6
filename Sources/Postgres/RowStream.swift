extension Connection {
    /// Runs a query and hands its rows to `body` `batch` at a time, through a
    /// server-side cursor in the caller's transaction (or one of its own), so
    /// neither libpq nor the caller holds the whole result: what a process
    /// reading a table that grows with the market uses instead of `query`.
    /// `sql` is one `SELECT` with bound parameters; rows come back in binary
    /// format, as from `query`.
    public func forEachRow(
        _ sql: String, _ parameters: any PostgresEncodable..., batch: Int = 10_000, _ body: (Row) throws -> Void
    ) throws {
        try withTransaction {
            try query(PostgresQueries.declareRowCursor + sql, parameters: parameters)
            while true {
                let rows = try query(PostgresQueries.fetchRowCursor(max(1, batch)))
                if rows.isEmpty { break }
                for row in rows { try body(row) }
            }
            try execute(PostgresQueries.closeRowCursor)
        }
    }
}

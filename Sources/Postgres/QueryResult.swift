import CLibPQ

/// The rows of one statement, in binary format. Immutable, so it may be read
/// from any thread once returned.
public final class QueryResult: @unchecked Sendable, RandomAccessCollection {
    let handle: OpaquePointer
    public let columns: [String]
    public let columnTypes: [PostgresType]
    /// Rows inserted/updated/deleted/copied, when the command reports it.
    public let affectedRows: Int?
    private let columnIndex: [String: Int]

    init(handle: OpaquePointer) {
        self.handle = handle
        let count = Int(PQnfields(handle))
        columns = (0..<count).map { index in PQfname(handle, Int32(index)).map { String(cString: $0) } ?? "?column?" }
        columnTypes = (0..<count).map { PostgresType(rawValue: PQftype(handle, Int32($0))) }
        affectedRows = PQcmdTuples(handle).flatMap { Int(String(cString: $0)) }
        var index: [String: Int] = [:]
        for (position, name) in columns.enumerated() where index[name] == nil { index[name] = position }
        columnIndex = index
        endIndex = Int(PQntuples(handle))
    }

    deinit { PQclear(handle) }

    public let startIndex = 0
    public let endIndex: Int
    public subscript(position: Int) -> Row { Row(result: self, index: position) }

    func column(named name: String) throws(PostgresError) -> Int {
        guard let position = columnIndex[name] else {
            throw .decoding(column: name, type: "-", message: "no such column; the result has \(columns.joined(separator: ", "))")
        }
        return position
    }
}

/// One row of a `QueryResult`.
public struct Row: Sendable {
    public let result: QueryResult
    public let index: Int

    public func isNull(_ column: Int) -> Bool {
        PQgetisnull(result.handle, Int32(index), Int32(column)) != 0
    }

    /// Decodes column `column` (0-based); NULL only into an optional type.
    public func decode<T: PostgresDecodable>(_ column: Int, as type: T.Type = T.self) throws(PostgresError) -> T {
        guard column >= 0 && column < result.columns.count else {
            throw .decoding(column: "#\(column)", type: "-", message: "the result has \(result.columns.count) columns")
        }
        let name = result.columns[column]
        let pgType = result.columnTypes[column]
        if isNull(column) {
            if let null = (T.self as? any PostgresNullable.Type)?.postgresNull as? T { return null }
            throw .decoding(column: name, type: pgType.description, message: "is NULL; decode it as \(T.self)?")
        }
        let length = Int(PQgetlength(result.handle, Int32(index), Int32(column)))
        guard let pointer = PQgetvalue(result.handle, Int32(index), Int32(column)) else {
            throw .decoding(column: name, type: pgType.description, message: "no value")
        }
        do {
            return try T.decode(UnsafeRawBufferPointer(start: pointer, count: length), type: pgType)
        } catch {
            throw .decoding(column: name, type: pgType.description, message: error.message)
        }
    }

    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws(PostgresError) -> T {
        try decode(try result.column(named: column), as: type)
    }

    /// The whole row as a tuple, one type per column in the statement's order:
    /// `let (id, name) = try row.decode(Int.self, String?.self)`. A statement
    /// that gains, loses or reorders a column of another type fails here,
    /// naming the column, instead of a read by position taking its neighbour.
    public func decode<each T: PostgresDecodable>(_ types: repeat (each T).Type) throws(PostgresError) -> (repeat each T) {
        var count = 0
        for _ in repeat each types { count += 1 }
        guard count == result.columns.count else {
            throw .decoding(
                column: "(" + result.columns.joined(separator: ", ") + ")", type: "row",
                message: "the result has \(result.columns.count) columns; the decode names \(count) types")
        }
        var position = 0
        return (repeat try next(each types, at: &position))
    }

    private func next<U: PostgresDecodable>(_ type: U.Type, at position: inout Int) throws(PostgresError) -> U {
        defer { position += 1 }
        return try decode(position, as: type)
    }
}

import Foundation
import Postgres

/// A file with `text` in the temporary directory (a name no other test uses).
public func temporaryFile(_ name: String, _ text: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("mm-\(UUID().uuidString)-\(name)").path
    guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else { throw ClusterError("cannot write \(path)") }
    return path
}

/// The first column of the first row, an integer (a `count(*)`).
public func count(_ db: Connection, _ sql: String, _ parameters: any PostgresEncodable...) async throws -> Int {
    try await db.query(sql, parameters: parameters)[0].decode(0)
}

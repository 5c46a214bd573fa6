import Foundation
import Postgres

/// The files `marketmap run` leaves in its output directory (the output
/// contract, docs/output.md): the golden records with their scores and owners, the
/// lineage, contacts, rejected rows, what enrichment filled, and everything the reporter wrote for the
/// run (territories, rep distribution, every report as CSV and JSON, the HTML
/// page, the run summary).
public enum OutputContract {
    public static let exported = ["accounts.csv", "account_lineage.csv", "contacts.csv", "rejected.csv", "enrichment.csv"]

    /// Writes the exports and copies the reporter's files of `run` from `reports` into `out`.
    public static func write(run: Int, product: String, reports: URL, to out: URL, on db: isolated Connection) throws {
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try db.query(RunQueries.setProduct, product)
        for (file, sql) in zip(exported, [RunQueries.accountsCSV, RunQueries.lineageCSV, RunQueries.contactsCSV, RunQueries.rejectedCSV, RunQueries.enrichmentCSV]) {
            try copy(sql, to: out.appendingPathComponent(file), on: db)
        }
        let source = reports.appendingPathComponent("run-\(run)")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: source.path)) ?? [] {
            let target = out.appendingPathComponent(name)
            try? FileManager.default.removeItem(at: target)
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: target)
        }
    }

    /// The product the exports score by: the first of the run's configuration.
    public static func product(ofRun run: Int, on db: isolated Connection) throws -> String {
        guard let config = try? RunSettings.of(run: run, on: db).configuration() else { return "" }
        return config.products.first?.product ?? ""
    }

    /// Streams a `COPY ... TO STDOUT` into a new file at `url`, a megabyte at a time.
    static func copy(_ sql: String, to url: URL, on db: isolated Connection) throws {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var buffer = Data()
        try db.copyOut(sql) { bytes in
            buffer.append(contentsOf: bytes)
            if buffer.count >= 1 << 20 {
                try handle.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try handle.write(contentsOf: buffer)
    }

    /// Where the reporter of `marketmap run` writes (inside the output directory).
    public static func reportsDirectory(_ out: URL) -> URL { out.appendingPathComponent(".reports") }
}

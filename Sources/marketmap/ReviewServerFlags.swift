import ArgumentParser
import Foundation
import Logging
import Pipeline
import Postgres
import ReportServer

/// The reporter's HTTP server: `--http`, the review token, "run now"'s manifest.
struct ReviewServerFlags: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Serve the latest HTML report and the review page on HOST:PORT (or PORT, on loopback; 0: any free port). Default: off.",
        valueName: "host:port")) var http: String?
    @Option(help: ArgumentHelp(
        "A file holding the token that allows review decisions (default: MARKETMAP_REVIEW_TOKEN_FILE, then MARKETMAP_REVIEW_TOKEN). Without a token the pages are read-only.",
        valueName: "path")) var reviewTokenFile: String?
    @Option(help: ArgumentHelp("The manifest the page's “Run now” submits (default: MARKETMAP_REFRESH_MANIFEST).", valueName: "manifest"))
    var manifest: String?

    func validate() throws {
        if let http, HTTPAddress(parsing: http) == nil { throw ValidationError("--http \(http): expected HOST:PORT or PORT") }
    }

    /// The server's options, nil without `--http`; a bad token is an error before anything starts.
    func options(reports: URL) throws -> ReportServer.Options? {
        guard let http, let address = HTTPAddress(parsing: http) else { return nil }
        do {
            let manifest = manifest ?? ProcessInfo.processInfo.environment["MARKETMAP_REFRESH_MANIFEST"].flatMap { $0.isEmpty ? nil : $0 }
            return ReportServer.Options(
                address: address, token: try ReviewToken.configured(file: reviewTokenFile), manifest: manifest, reportsDirectory: reports)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}

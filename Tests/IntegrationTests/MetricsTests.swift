import Enrichment
import Foundation
import TestSupport
import Testing

/// Prometheus endpoints of the worker and the reporter, scraped over HTTP.
@Suite("Metrics endpoints", .tags(.process), .notFast)
struct MetricsTests {
    /// The port a role logged (`metrics on http://127.0.0.1:PORT/metrics`).
    func endpoint(_ role: RunningBinary) async throws -> String {
        #expect(try await role.waitFor("/metrics"))
        let match = try #require(role.text.firstMatch(of: /metrics on (http:\/\/127\.0\.0\.1:\d+\/metrics)/), "\(role.text)")
        return String(match.1)
    }

    func scrape(_ url: String, status: Int = 200) throws -> String {
        let response = try httpRequest(url)
        #expect(response.status == status, "\(url)")
        return String(decoding: response.body, as: UTF8.self)
    }

    @Test("a worker exports its job counters and durations; the reporter exports queue, runs and tables")
    func workerAndReporter() async throws {
        try await withTestDatabase { config in
            let cluster = Cluster(config)
            defer { cluster.stopAll() }
            try cluster.coordinator()
            let worker = try cluster.worker("w1", extra: ["--metrics-port", "0"])
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("mm-metrics-\(UUID().uuidString)")
            let reporter = try cluster.start(["reporter", "--out", out.path, "--metrics-port", "0"])
            let workerURL = try await endpoint(worker), reporterURL = try await endpoint(reporter)
            let run = try await cluster.startRun(["shards": "12"])
            #expect(try await cluster.wait(run: run).status == 0)
            let workerText = try scrape(workerURL)
            #expect(workerText.contains("marketmap_jobs_completed_total{kind=\"test.effect\"} 12"), "\(workerText)")
            #expect(workerText.contains("marketmap_job_duration_seconds_count{kind=\"test.effect\"}"), "\(workerText)")
            #expect(try await eventually(timeout: 20) { try scrape(reporterURL).contains("marketmap_runs{state=\"done\"} 1") })
            let reporterText = try scrape(reporterURL)
            #expect(reporterText.contains("marketmap_dead_letters 0"), "\(reporterText)")
            #expect(reporterText.contains("marketmap_latest_run_id \(run)"), "\(reporterText)")
            _ = try scrape(reporterURL.replacingOccurrences(of: "/metrics", with: "/other"), status: 404)
        }
    }
}

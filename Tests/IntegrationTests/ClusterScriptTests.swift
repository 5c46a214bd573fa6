import Foundation
import TestSupport
import Testing

/// `ops/cluster`: the compose roles as local processes, scaled mid-run.
@Suite("ops/cluster", .tags(.process), .notFast)
struct ClusterScriptTests {
    @Test("up with 3 workers runs the sample; scale 1 mid-run still finishes it; down leaves no process")
    func upScaleDown() async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("mm-cluster-\(UUID().uuidString)").path
        let environment = MarketMapBinary.environment(["MARKETMAP_CLUSTER_DIR": state, "MARKETMAP_BIN": MarketMapBinary.path])
        let script = TestServer.repositoryRoot.appendingPathComponent("ops/cluster").path
        func cluster(_ arguments: [String]) async throws -> (status: Int32, output: String) {
            let running = try RunningBinary([script] + arguments, environment: environment, executable: "/bin/bash")
            let status = try await running.waitForExit()
            _ = try await running.waitFor("\u{4}")
            return (status, running.text)
        }
        defer { _ = Task { _ = try? await cluster(["down"]) } }

        let up = try await cluster(["up", "3"])
        #expect(up.status == 0, "\(up.output)")
        for role in ["coordinator-1", "coordinator-2", "worker-1", "worker-2", "worker-3", "reporter-1"] {
            #expect(up.output.contains("\(role)  pid"), "\(role) runs: \(up.output)")
        }
        let submitted = try await cluster(["submit"])
        let run = try #require(submitted.output.split(separator: "\n").compactMap { Int($0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\u{4}", with: "")) }.last, "\(submitted.output)")
        let scaled = try await cluster(["scale", "1"])
        #expect(scaled.output.contains("worker-1  pid") && !scaled.output.contains("worker-2  pid") && !scaled.output.contains("worker-3  pid"), "\(scaled.output)")
        let waited = try await cluster(["wait", String(run)])
        #expect(waited.status == 0, "\(waited.output)")
        let report = URL(fileURLWithPath: state).appendingPathComponent("var/reports/run-\(run)/report.html").path
        #expect(try await eventually(timeout: 60) { FileManager.default.fileExists(atPath: report) }, "the reporter wrote the run's report")

        let down = try await cluster(["down"])
        #expect(down.status == 0 && down.output.contains("cluster stopped"), "\(down.output)")
        let left = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).filter { entry in
            guard Int32(entry) != nil, let cmdline = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return false }
            return String(decoding: cmdline, as: UTF8.self).contains(state)
        }
        #expect(left.isEmpty, "processes left: \(left)")
    }
}

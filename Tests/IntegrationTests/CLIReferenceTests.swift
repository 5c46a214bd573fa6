import Foundation
import TestSupport
import Testing

/// `docs/cli.md` is the help of the binary under test, as `ops/gen-cli-docs` writes it.
@Suite("Command reference", .tags(.process), .notFast)
struct CLIReferenceTests {
    @Test("docs/cli.md is what ops/gen-cli-docs writes from the built binary's help")
    func current() async throws {
        let root = TestServer.repositoryRoot
        let script = root.appendingPathComponent("ops/gen-cli-docs").path
        let running = try RunningBinary(
            [script, "--stdout"], environment: MarketMapBinary.environment(["MARKETMAP_BIN": MarketMapBinary.path]), executable: "/bin/bash")
        let status = try await running.waitForExit()
        _ = try await running.waitFor("\u{4}")
        let generated = running.text.replacingOccurrences(of: "\u{4}", with: "")
        #expect(status == 0, "ops/gen-cli-docs failed: \(generated)")
        #expect(generated.contains("## marketmap run\n"), "the reference lists the commands: \(generated.prefix(500))")
        let committed = try String(contentsOf: root.appendingPathComponent("docs/cli.md"), encoding: .utf8)
        let difference = Self.firstDifference(committed, generated)
        #expect(difference == nil, "docs/cli.md differs from the binary's help: run ops/gen-cli-docs and commit docs/cli.md")
    }

    /// Where two texts part, for a message a person can act on.
    static func firstDifference(_ committed: String, _ generated: String) -> String? {
        let old = committed.split(separator: "\n", omittingEmptySubsequences: false)
        let new = generated.split(separator: "\n", omittingEmptySubsequences: false)
        guard let line = (0..<max(old.count, new.count)).first(where: { $0 >= old.count || $0 >= new.count || old[$0] != new[$0] }) else {
            return nil
        }
        let was = line < old.count ? String(old[line]) : "<end of file>"
        let now = line < new.count ? String(new[line]) : "<end of file>"
        return "first difference at line \(line + 1): docs/cli.md has \"\(was)\", the binary's help \"\(now)\""
    }
}

import Foundation

/// Per-stage progress on standard error: a line when a stage starts and ends
/// (with its time), counts at most every 10 % (plain lines, so logs and pipes
/// read well), and detail lines. Silent when `quiet`.
final class StageProgress: @unchecked Sendable {
    private let quiet: Bool
    private let lock = NSLock()
    private var stage = "", number = 0, started = Date(), lastTenth = -1

    init(quiet: Bool) { self.quiet = quiet }

    func begin(_ name: String, of total: Int) {
        lock.withLock {
            number += 1
            stage = name
            started = Date()
            lastTenth = -1
            write("[\(number)/\(total)] \(name)")
        }
    }

    func count(_ done: Int, _ total: Int, unit: String) {
        lock.withLock {
            let tenth = total > 0 ? done * 10 / total : 10
            guard tenth > lastTenth else { return }
            lastTenth = tenth
            let seconds = Date().timeIntervalSince(started)
            let rate = seconds > 0 ? Int(Double(done) / seconds) : 0
            write("  \(done)/\(total) \(unit), \(rate) \(unit)/s")
        }
    }

    func line(_ text: String) { lock.withLock { write("  " + text) } }

    func end() {
        lock.withLock { write("  \(stage) done in " + String(format: "%.1f", Date().timeIntervalSince(started)) + " s") }
    }

    private func write(_ text: String) {
        guard !quiet else { return }
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

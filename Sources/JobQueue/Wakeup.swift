import Foundation
import Synchronization

/// Lets tasks wait until something happens or a timeout passes, whichever
/// comes first: workers wait here for new jobs (woken by LISTEN/NOTIFY), every
/// loop waits here for shutdown.
public final class Wakeup: Sendable {
    private let waiters = Mutex<[UInt64: CheckedContinuation<Void, Never>]>([:])
    private let counter = Atomic<UInt64>(0)

    public init() {}

    /// Wakes every task waiting now.
    public func wake() {
        let woken = waiters.withLock { waiters in
            defer { waiters.removeAll() }
            return Array(waiters.values)
        }
        woken.forEach { $0.resume() }
    }

    /// Returns at the next `wake()` or after `timeout`.
    public func wait(timeout: Duration) async {
        let id = counter.add(1, ordering: .relaxed).newValue
        await withCheckedContinuation { continuation in
            waiters.withLock { $0[id] = continuation }
            Task { [self] in
                try? await Task.sleep(for: timeout)
                waiters.withLock { $0.removeValue(forKey: id) }?.resume()
            }
        }
    }
}

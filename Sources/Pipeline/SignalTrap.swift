import Dispatch
import Foundation
import Synchronization

/// Runs cleanup (stop the embedded server, release jobs) on SIGINT/SIGTERM,
/// then exits with 128 + signal, the shell convention.
public final class SignalTrap: Sendable {
    private let sources: Mutex<[any DispatchSourceSignal]> = Mutex([])
    private let actions: Mutex<[@Sendable () -> Void]> = Mutex([])

    public static let shared = SignalTrap()

    /// Adds an action run (latest first) when a terminating signal arrives.
    public func onTerminate(_ action: @escaping @Sendable () -> Void) {
        actions.withLock { $0.append(action) }
        installIfNeeded()
    }

    /// Runs the cleanup actions now (normal exit path); each runs once.
    public func runActions() {
        let pending = actions.withLock { list in defer { list.removeAll() }; return list }
        for action in pending.reversed() { action() }
    }

    private func installIfNeeded() {
        sources.withLock { sources in
            guard sources.isEmpty else { return }
            for signalNumber in [SIGINT, SIGTERM] {
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
                source.setEventHandler { [self] in
                    runActions()
                    exit(128 + signalNumber)
                }
                source.resume()
                sources.append(source)
            }
        }
    }
}

import Dispatch
import Foundation
import Synchronization

/// Turns SIGINT/SIGTERM into a request to stop: long-running roles finish or
/// release their work, then exit 0. A second signal exits at once.
public final class GracefulShutdown: Sendable {
    private let requested = Atomic<Bool>(false)
    private let wakeup = Wakeup()
    private let sources = Mutex<[any DispatchSourceSignal]>([])

    public init() {}

    /// Installs the signal handlers.
    public func install() {
        sources.withLock { sources in
            for number in [SIGINT, SIGTERM] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { [self] in
                    if isRequested { exit(128 + number) }
                    request()
                }
                source.resume()
                sources.append(source)
            }
        }
    }

    public var isRequested: Bool { requested.load(ordering: .acquiring) }

    public func request() {
        requested.store(true, ordering: .releasing)
        wakeup.signal()
    }

    /// Sleeps up to `duration`, returning early on shutdown.
    public func sleep(_ duration: Duration) async {
        guard !isRequested else { return }
        await wakeup.wait(timeout: duration)
    }
}

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
        watchParent()
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

    /// Children of `marketmap run` get the parent's pid in
    /// `MARKETMAP_PARENT_PID`: when that process is gone (even SIGKILLed),
    /// they stop as if they had been sent SIGTERM, so nothing is left running.
    public func watchParent(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let text = environment["MARKETMAP_PARENT_PID"], let parent = pid_t(text), parent > 1 else { return }
        parentWatch.withLock { watch in
            let timer = DispatchSource.makeTimerSource(queue: .global())
            timer.schedule(deadline: .now() + 1, repeating: 1)
            timer.setEventHandler { [self] in
                if kill(parent, 0) != 0 && errno == ESRCH { request() }
            }
            timer.resume()
            watch = timer
        }
    }

    private let parentWatch = Mutex<(any DispatchSourceTimer)?>(nil)

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

import Foundation
import JobQueue
import ServiceLifecycle

/// Children of `marketmap run` get the parent's pid in `MARKETMAP_PARENT_PID`:
/// when that process is gone (even SIGKILLed), this service returns, and its
/// group (configured with `.gracefullyShutdownGroup`) shuts down as if it
/// had been sent SIGTERM, so nothing is left running.
public struct ParentWatch: Service {
    let parent: pid_t

    /// The watch of this process's parent, if it was started by `marketmap run`.
    public init?(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let text = environment["MARKETMAP_PARENT_PID"], let parent = pid_t(text), parent > 1 else { return nil }
        self.parent = parent
    }

    /// Returns when the parent is gone, or at graceful shutdown or cancellation.
    public func run() async {
        let stop = StopRequest()
        await stop.whileRunning {
            while !stop.isRequested {
                if kill(parent, 0) != 0 && errno == ESRCH { return }
                await stop.sleep(.seconds(1))
            }
        }
    }
}

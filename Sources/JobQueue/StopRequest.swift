import ServiceLifecycle
import Synchronization

/// A request to stop that a long-running loop checks between steps and
/// sleeps on. The service group sets it (graceful shutdown or cancellation,
/// through `whileRunning`); loops never see a signal themselves.
public final class StopRequest: Sendable {
    private struct State {
        var requested = false
        var handlers: [UInt64: @Sendable () -> Void] = [:]
        var next: UInt64 = 0
    }
    private let state = Mutex(State())
    private let wakeup = Wakeup()

    public init() {}

    public var isRequested: Bool { state.withLock { $0.requested } }

    /// Sets the request (once), wakes the sleepers and runs the handlers.
    public func request() {
        let handlers = state.withLock { state -> [@Sendable () -> Void] in
            guard !state.requested else { return [] }
            state.requested = true
            defer { state.handlers.removeAll() }
            return Array(state.handlers.values)
        }
        wakeup.wake()
        handlers.forEach { $0() }
    }

    /// Sleeps up to `duration`, returning early when the request is made.
    public func sleep(_ duration: Duration) async {
        guard !isRequested else { return }
        await wakeup.wait(timeout: duration)
    }

    /// Runs `operation`, requesting a stop when the service group shuts the
    /// calling service down gracefully or cancels it.
    public func whileRunning<T>(_ operation: () async throws -> T) async rethrows -> T {
        try await withTaskCancellationOrGracefulShutdownHandler(operation: operation, onCancelOrGracefulShutdown: { self.request() })
    }

    /// Runs `work` in a task of its own and returns its result, unless the
    /// request is made first: then returns nil at once and the task runs on,
    /// unwaited (its owner has released what it held). Used when a job must
    /// be given up after the grace period: a blocking database call cannot be
    /// interrupted, but it need not be waited for.
    public func unlessRequested<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async -> Result<T, any Error>? {
        let task = Task { try await work() }
        return await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, any Error>?, Never>) in
            let once = ResumeOnce(continuation)
            let id = onRequest { once.resume(nil) }
            Task {
                let result = await task.result
                if let id { self.removeHandler(id) }
                once.resume(result)
            }
        }
    }

    /// Runs `handler` when the request is made; nil (and `handler` has run) when it already was.
    private func onRequest(_ handler: @escaping @Sendable () -> Void) -> UInt64? {
        let id = state.withLock { state -> UInt64? in
            guard !state.requested else { return nil }
            state.next += 1
            state.handlers[state.next] = handler
            return state.next
        }
        if id == nil { handler() }
        return id
    }

    private func removeHandler(_ id: UInt64) {
        _ = state.withLock { $0.handlers.removeValue(forKey: id) }
    }
}

/// A continuation resumed by whichever comes first.
private final class ResumeOnce<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<T, Never>?>
    init(_ continuation: CheckedContinuation<T, Never>) { self.continuation = Mutex(continuation) }
    func resume(_ value: T) { continuation.withLock { $0.take() }?.resume(returning: value) }
}

import DevTools
import JobQueue
import Pipeline

extension Registry {
    /// Every kind and pipeline this binary's workers and coordinators run: the
    /// product's, and the test kinds that exercise the queue alone (tests,
    /// `ops/bench/queue`).
    static var binary: Registry {
        var registry = Registry.standard
        TestJobs.register(into: &registry)
        return registry
    }
}

import Foundation
import Testing

extension Tag {
    /// Starts processes (the `marketmap` binary, its roles, `ops/` scripts,
    /// simulators): seconds to minutes each.
    @Tag static var process: Self
}

extension Trait where Self == ConditionTrait {
    /// Off when `MARKETMAP_TEST_FAST` is set (`ops/test --fast`): Swift
    /// Testing filters by name only, so the `process` tag alone cannot leave
    /// these out. Every `.tags(.process)` goes with `.notFast`.
    static var notFast: Self {
        .enabled(if: ProcessInfo.processInfo.environment["MARKETMAP_TEST_FAST"] == nil, "a process test; MARKETMAP_TEST_FAST is set (ops/test --fast)")
    }
}

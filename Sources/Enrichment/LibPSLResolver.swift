import CPSL
import MarketMapCore

/// The Public Suffix List through libpsl: the system's newest list file
/// (Debian package `publicsuffix`), else the list compiled into libpsl.
/// Read-only after creation, so one instance serves every thread.
public final class LibPSLResolver: PublicSuffixResolver, @unchecked Sendable {
    private let context: OpaquePointer?
    private let owned: Bool

    public static let shared = LibPSLResolver()

    public init() {
        if let latest = psl_latest(nil) {
            context = latest
            owned = true
        } else {
            context = psl_builtin()
            owned = false
        }
    }

    deinit { if owned, let context { psl_free(context) } }

    /// False when neither a list file nor a built-in list is available.
    public var isAvailable: Bool { context != nil }

    public func registrableDomain(_ host: String) -> String? {
        guard let context else { return nil }
        return host.withCString { pointer -> String? in
            guard let found = psl_registrable_domain(context, pointer) else { return nil }
            return String(cString: found)
        }
    }
}

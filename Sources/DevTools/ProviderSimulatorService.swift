import MarketMapCore
import ServiceLifecycle

extension ProviderSimulator: Service {
    /// Serves (from `start`) until graceful shutdown or cancellation, then stops.
    public func run() async {
        try? await gracefulShutdown()
        stop()
    }

    /// The simulator a demo manifest asks for (`simulator:`), listening on a
    /// free loopback port; no retry wait in its 429s, so a demo runs fast.
    public static func forManifest(_ manifest: Manifest.Simulator) throws -> ProviderSimulator {
        var settings = Settings()
        settings.latencyMilliseconds = manifest.latencyMilliseconds
        settings.errorRate = manifest.errorRate
        settings.tooManyRequestsRate = manifest.tooManyRequestsRate
        settings.retryAfterSeconds = 0
        settings.seed = UInt64(max(0, manifest.seed))
        let people = try manifest.people.map { try PeopleDirectory.dataset($0) } ?? PeopleDirectory()
        let simulator = ProviderSimulator(records: try dataset(manifest.data), people: people, settings: settings)
        try simulator.start()
        return simulator
    }
}

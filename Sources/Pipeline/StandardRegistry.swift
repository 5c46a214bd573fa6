import JobQueue

extension Registry {
    /// The job kinds and pipelines of the product: import, merge, enrich,
    /// score, people and the whole `market` run (the binary adds its development
    /// kinds, `DevTools.TestJobs`).
    public static var standard: Registry {
        var registry = Registry()
        NormalizeJobs.register(into: &registry)
        MergeJobs.register(into: &registry)
        EnrichJobs.register(into: &registry)
        PeopleJobs.register(into: &registry)
        ScoreJobs.register(into: &registry)
        return registry
    }
}

import JobQueue

extension Registry {
    /// The job kinds of the product's stages and its pipelines (`MarketPipeline`:
    /// import, merge and the whole `market` run); the binary adds its
    /// development kinds, `DevTools.TestJobs`.
    public static var standard: Registry {
        var registry = Registry()
        NormalizeJobs.register(into: &registry)
        MergeJobs.register(into: &registry)
        EnrichJobs.register(into: &registry)
        PeopleJobs.register(into: &registry)
        ScoreJobs.register(into: &registry)
        for pipeline in MarketPipeline.allCases { registry.register(pipeline.definition) }
        return registry
    }
}

/// SQL of the Pipeline module.
enum PipelineQueries {
    static let recordTestEffect = "INSERT INTO queue_test_effects (run_id, stage, shard, worker) VALUES ($1, $2, $3, $4)"
}

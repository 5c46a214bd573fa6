/// SQL of the DevTools module.
enum DevToolsQueries {
    static let recordTestEffect = "INSERT INTO queue_test_effects (run_id, stage, shard, worker) VALUES ($1, $2, $3, $4)"
}

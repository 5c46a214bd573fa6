-- Finished jobs' timings (issue 17, "Instruments"). A job is deleted when it
-- completes (sql/0002), so its timing would be lost with it: the statement
-- that completes it (`QueueQueries.complete`, a `DELETE ... RETURNING` into an
-- INSERT) writes its row here, in the job's own transaction and without an
-- extra round trip. Per stage of a run this gives the work (the sum of job
-- seconds) and the critical path (the longest job): `summary.json`'s
-- `work_seconds` and `critical_path_seconds`, and `ops/bench/stage_report.py`.
--
--   claimed_at  when the worker claimed the job (its lease began)
--   started_at  when the worker began it: finished_at - seconds
--   finished_at when the completing statement ran (clock_timestamp())
--   seconds     the job's own time on the worker's monotonic clock (prepare,
--               handler and completion; a share of it when several cheap
--               jobs commit in one transaction)
--   attempts    the attempt that succeeded (failures before it plus one)
--
-- No foreign key (a per-row check would slow the queue's completions): the
-- rows go with their run when `queue purge` prunes runs (`QueueQueries.purgeRuns`).
CREATE TABLE job_timings (
    run_id         bigint NOT NULL,
    stage          text NOT NULL,
    kind           text NOT NULL,
    shard          int NOT NULL,
    worker         text,
    claimed_at     timestamptz NOT NULL,
    started_at     timestamptz NOT NULL,
    finished_at    timestamptz NOT NULL,
    seconds        float8 NOT NULL CHECK (seconds >= 0),
    attempts       int NOT NULL,
    lease_expiries int NOT NULL
) WITH (autovacuum_vacuum_scale_factor = 0.05);
CREATE INDEX job_timings_run ON job_timings (run_id, stage);

/// Every SQL statement of the job queue (schema: sql/0002_job_queue.sql,
/// failure policy: sql/0015_queue_failure_policy.sql).
enum QueueQueries {
    // MARK: jobs

    static let enqueue = """
        INSERT INTO jobs (kind, run_id, stage, shard, payload, priority, max_attempts, max_lease_expiries)
        SELECT k, $2, $3, s, p::jsonb, pr, ma, ml
        FROM unnest($1::text[], $4::int8[], $5::text[], $6::int8[], $7::int8[], $8::int8[]) AS t(k, s, p, pr, ma, ml)
        ON CONFLICT (run_id, stage, shard) DO NOTHING
        """
    static let wakeWorkers = "SELECT pg_notify('marketmap_jobs', $1)"

    /// A claim charges nothing: `attempts` counts failures (`recordFailure`,
    /// `failToDeadLetters`) and `lease_expiries` lost workers (`reapExpired`).
    /// The attempt handed to the handler is the failures so far plus one.
    static let claim = """
        WITH saturated AS (
            SELECT l.kind FROM job_kind_limits l
            WHERE l.max_running <= (SELECT count(*) FROM jobs r WHERE r.kind = l.kind AND r.state = 'running')
        ), picked AS (
            SELECT id FROM jobs
            WHERE state = 'queued' AND run_after <= now()
              AND ($3::text[] IS NULL OR kind = ANY($3::text[]))
              AND kind NOT IN (SELECT kind FROM saturated)
            ORDER BY priority DESC, id
            LIMIT $1
            FOR UPDATE SKIP LOCKED
        )
        UPDATE jobs j
        SET state = 'running', lease_owner = $2,
            lease_expires_at = now() + make_interval(secs => $4), claim_id = gen_random_uuid(),
            updated_at = now(), progress = NULL
        FROM picked WHERE j.id = picked.id
        RETURNING j.id, j.kind, j.run_id, j.stage, j.shard, j.payload, j.attempts + 1 AS attempt, j.max_attempts,
                  j.claim_id::text AS claim_id, j.priority, j.lease_expiries, j.max_lease_expiries
        """

    /// A running job's progress (0 to 1), while its claim is current.
    static let recordProgress = """
        UPDATE jobs SET progress = $3 WHERE id = $1 AND claim_id = $2::uuid AND state = 'running'
        """

    static let heartbeat = """
        UPDATE jobs SET lease_expires_at = now() + make_interval(secs => $3)
        WHERE id = ANY($1::int8[]) AND claim_id = ANY($2::text[]::uuid[]) AND state = 'running'
        RETURNING claim_id::text
        """

    /// Completion deletes the job: with the handler's results in the same
    /// transaction, and only while the claim is still current. The same
    /// statement keeps the job's timing (sql/0020_job_timings.sql): `$3` is
    /// each job's seconds on the worker's clock (NULL: since the claim, which
    /// `updated_at` holds while a job runs). Returns how many completed.
    static let complete = """
        WITH done AS (
            DELETE FROM jobs
            WHERE id = ANY($1::int8[]) AND claim_id = ANY($2::text[]::uuid[]) AND state = 'running'
            RETURNING run_id, stage, kind, shard, lease_owner, updated_at, attempts, lease_expiries
        ), timed AS (
            INSERT INTO job_timings (run_id, stage, kind, shard, worker, claimed_at, started_at, finished_at, seconds,
                                     attempts, lease_expiries)
            SELECT d.run_id, d.stage, d.kind, d.shard, d.lease_owner, d.updated_at, t.at - make_interval(secs => s.seconds), t.at,
                   s.seconds, d.attempts + 1, d.lease_expiries
            FROM done d
            CROSS JOIN LATERAL (SELECT clock_timestamp() AS at) t
            CROSS JOIN LATERAL (SELECT greatest(0, coalesce($3::float8, extract(epoch FROM t.at - d.updated_at)::float8)) AS seconds) s
        )
        SELECT count(*)::int8 FROM done
        """

    static let release = """
        UPDATE jobs
        SET state = 'queued', lease_owner = NULL,
            lease_expires_at = NULL, claim_id = NULL, run_after = now(), updated_at = now()
        WHERE id = ANY($1::int8[]) AND claim_id = ANY($2::text[]::uuid[]) AND state = 'running'
        """

    /// A failure that will be retried: charges the attempt, backs off.
    static let recordFailure = """
        UPDATE jobs
        SET state = 'queued', attempts = attempts + 1, lease_owner = NULL, lease_expires_at = NULL, claim_id = NULL,
            last_error = $2, run_after = now() + make_interval(secs => $3), updated_at = now(),
            history = history || jsonb_build_array(jsonb_build_object(
                'attempt', attempts + 1, 'at', now(), 'error', $2::text, 'retry_in_s', $3::float8, 'worker', lease_owner))
        WHERE id = $4 AND claim_id = $1::uuid AND state = 'running'
        RETURNING id
        """

    /// A failure that ends the job (its last attempt, or a permanent error,
    /// `$4` = the cause): charges the attempt and moves the job to the dead
    /// letters in one statement, only while the claim is current.
    static let failToDeadLetters = """
        WITH moved AS (
            DELETE FROM jobs WHERE id = $1 AND claim_id = $2::uuid AND state = 'running' RETURNING *
        )
        INSERT INTO dead_letters (id, kind, run_id, stage, shard, payload, priority, attempts, max_attempts,
                                  lease_expiries, max_lease_expiries, cause, last_error, history, created_at)
        SELECT id, kind, run_id, stage, shard, payload, priority, attempts + 1, max_attempts,
               lease_expiries, max_lease_expiries, $4, $3,
               history || jsonb_build_array(jsonb_build_object(
                   'attempt', attempts + 1, 'at', now(), 'error', $3::text, 'permanent', $4 = 'permanent', 'worker', lease_owner)),
               created_at
        FROM moved
        RETURNING id
        """

    /// Expired leases: the worker was lost. Charges a lease expiry, not an
    /// attempt; the expiry that reaches `max_lease_expiries` makes a dead
    /// letter. Returns (requeued, dead, kinds of the dead).
    static let reapExpired = """
        WITH expired AS (
            SELECT id, lease_expiries + 1 >= max_lease_expiries AS lost FROM jobs
            WHERE state = 'running' AND lease_expires_at < now()
            FOR UPDATE SKIP LOCKED
        ), requeued AS (
            UPDATE jobs j
            SET state = 'queued', run_after = now(), updated_at = now(), lease_expiries = j.lease_expiries + 1,
                last_error = 'lease expired: worker ' || coalesce(j.lease_owner, '?') || ' stopped heartbeating (killed, out of memory, hung or cut off)',
                history = j.history || jsonb_build_array(jsonb_build_object(
                    'attempt', j.attempts + 1, 'lease_expiry', j.lease_expiries + 1, 'at', now(),
                    'error', 'lease expired', 'worker', j.lease_owner)),
                lease_owner = NULL, lease_expires_at = NULL, claim_id = NULL
            FROM expired e WHERE j.id = e.id AND NOT e.lost
            RETURNING j.id
        ), lost AS (
            DELETE FROM jobs j USING expired e WHERE j.id = e.id AND e.lost
            RETURNING j.*
        ), buried AS (
            INSERT INTO dead_letters (id, kind, run_id, stage, shard, payload, priority, attempts, max_attempts,
                                      lease_expiries, max_lease_expiries, cause, last_error, history, created_at)
            SELECT id, kind, run_id, stage, shard, payload, priority, attempts, max_attempts,
                   lease_expiries + 1, max_lease_expiries, 'lease_expiries',
                   'worker lost ' || (lease_expiries + 1) || ' times: the lease expired each time (last worker '
                       || coalesce(lease_owner, '?') || '); a job that kills or hangs every worker it runs on is poison, see its history',
                   history || jsonb_build_array(jsonb_build_object(
                       'attempt', attempts + 1, 'lease_expiry', lease_expiries + 1, 'at', now(),
                       'error', 'lease expired', 'worker', lease_owner)),
                   created_at
            FROM lost
            RETURNING kind
        )
        SELECT (SELECT count(*) FROM requeued)::int8, (SELECT count(*) FROM buried)::int8,
               coalesce((SELECT array_agg(kind) FROM buried), '{}')::text[]
        """

    static let retryDeadLetters = """
        WITH revived AS (
            DELETE FROM dead_letters
            WHERE id = ANY($1::int8[]) OR run_id = ANY($2::int8[]) OR $3
            RETURNING *
        )
        INSERT INTO jobs (id, kind, run_id, stage, shard, payload, priority, max_attempts, max_lease_expiries,
                          history, created_at)
        SELECT id, kind, run_id, stage, shard, payload, priority, max_attempts, max_lease_expiries,
               history || jsonb_build_array(jsonb_build_object('at', now(), 'event', 'retried by hand', 'cause', cause)),
               created_at
        FROM revived
        RETURNING run_id, stage
        """
    static let reopenRun = """
        UPDATE runs SET state = 'running', error = NULL, finished_at = NULL, reported_at = NULL, report_lease_until = NULL,
            updated_at = now()
        WHERE id = $1 AND state IN ('failed', 'running')
        """
    static let reopenStage = """
        UPDATE run_stages SET state = 'running', finished_at = NULL
        WHERE run_id = $1 AND stage = $2 AND state IN ('failed', 'done')
        """

    static let stats = """
        SELECT kind, state, count(*)::int8 AS jobs, coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS oldest_age_s
        FROM jobs GROUP BY kind, state
        UNION ALL
        SELECT kind, 'dead', count(*)::int8, coalesce(extract(epoch FROM now() - min(died_at)), 0)::float8
        FROM dead_letters GROUP BY kind
        ORDER BY 1, 2
        """

    static let deadLetters = """
        SELECT id, kind, run_id, stage, shard, attempts, coalesce(last_error, '') AS last_error, died_at, history::text AS history,
               max_attempts, lease_expiries, max_lease_expiries, cause
        FROM dead_letters
        WHERE ($1::int8 IS NULL OR run_id = $1)
        ORDER BY died_at, id
        LIMIT $2
        """

    static let purgeDead = """
        DELETE FROM dead_letters WHERE died_at < now() - make_interval(secs => $1)
        """
    /// Prunes finished runs (their stages, jobs and dead letters cascade) and
    /// their job timings (no foreign key, see sql/0020). Returns how many runs.
    static let purgeRuns = """
        WITH pruned AS (
            DELETE FROM runs WHERE state IN ('done', 'failed', 'cancelled') AND finished_at < now() - make_interval(secs => $1)
            RETURNING id
        ), timings AS (
            DELETE FROM job_timings WHERE run_id IN (SELECT id FROM pruned)
        )
        SELECT count(*)::int8 FROM pruned
        """

    // MARK: runs and stages

    static let createRun = "INSERT INTO runs (pipeline, params) VALUES ($1, $2::jsonb) RETURNING id"
    static let createStages = """
        INSERT INTO run_stages (run_id, position, stage)
        SELECT $1, position - 1, stage FROM unnest($2::text[]) WITH ORDINALITY AS t(stage, position)
        """
    static let activeRuns = "SELECT id, pipeline, params::text FROM runs WHERE state = 'running' ORDER BY id"
    static let lockRun = "SELECT state FROM runs WHERE id = $1 FOR UPDATE"
    static let nextStage = """
        SELECT position, stage, state, jobs_total FROM run_stages
        WHERE run_id = $1 AND state <> 'done' ORDER BY position LIMIT 1
        """
    static let startStage = """
        UPDATE run_stages SET state = 'running', started_at = now(), jobs_total = $3
        WHERE run_id = $1 AND position = $2 AND state = 'pending'
        """
    static let stageProgress = """
        SELECT (SELECT CASE WHEN EXISTS (SELECT 1 FROM jobs WHERE run_id = $1 AND stage = $2) THEN 1 ELSE 0 END)::int8 AS open_jobs,
               (SELECT count(*) FROM dead_letters d WHERE d.run_id = $1 AND d.stage = $2)::int8 AS dead_letters,
               (SELECT CASE d.cause WHEN 'permanent' THEN 'permanent error, not retried: ' ELSE '' END || d.last_error
                FROM dead_letters d WHERE d.run_id = $1 AND d.stage = $2 ORDER BY died_at LIMIT 1) AS first_error
        """
    static let analyzeJobs = "ANALYZE jobs"
    static let finishStage = """
        UPDATE run_stages SET state = 'done', finished_at = now(), jobs_done = $3
        WHERE run_id = $1 AND position = $2 AND state = 'running'
        """
    static let failStage = """
        UPDATE run_stages SET state = 'failed', finished_at = now()
        WHERE run_id = $1 AND position = $2
        """
    static let finishRun = """
        UPDATE runs SET state = $2, error = $3, finished_at = now(), updated_at = now()
        WHERE id = $1 AND state = 'running'
        """
    static let notifyRunFinished = "SELECT pg_notify('marketmap_runs', $1)"
    static let markReported = "UPDATE runs SET reported_at = now(), report_lease_until = NULL WHERE id = $1"
    static let claimUnreportedRun = """
        UPDATE runs SET report_lease_until = now() + make_interval(secs => $1)
        WHERE id = (SELECT id FROM runs WHERE state IN ('done', 'failed') AND reported_at IS NULL
                        AND (report_lease_until IS NULL OR report_lease_until < now())
                    ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING id, pipeline, state, coalesce(error, '')
        """
    /// A run and its stages, one row per stage, with each stage's work (the
    /// sum of its finished jobs' seconds) and critical path (its longest job).
    static let runSummary = """
        SELECT r.id, r.pipeline, r.state AS run_state, coalesce(r.error, '') AS error, r.created_at,
               r.finished_at AS run_finished_at,
               s.position, s.stage, s.state AS stage_state, s.jobs_total, s.started_at, s.finished_at,
               (SELECT count(*) FROM jobs j WHERE j.run_id = r.id AND j.stage = s.stage)::int8 AS open_jobs,
               (SELECT count(*) FROM dead_letters d WHERE d.run_id = r.id AND d.stage = s.stage)::int8 AS dead_letters,
               (SELECT coalesce(sum(j.progress), 0) FROM jobs j
                WHERE j.run_id = r.id AND j.stage = s.stage AND j.state = 'running')::float8 AS running_progress,
               t.work_seconds, t.critical_path_seconds
        FROM runs r JOIN run_stages s ON s.run_id = r.id
        CROSS JOIN LATERAL (
            SELECT coalesce(sum(seconds), 0)::float8 AS work_seconds, coalesce(max(seconds), 0)::float8 AS critical_path_seconds
            FROM job_timings WHERE run_id = r.id AND stage = s.stage
        ) t
        WHERE r.id = $1
        ORDER BY s.position
        """
    static let recentRuns = """
        SELECT id, pipeline, state, coalesce(error, '')
        FROM runs ORDER BY id DESC LIMIT $1
        """
    static let runState = "SELECT state, coalesce(error, '') FROM runs WHERE id = $1"
    static let setKindLimit = """
        INSERT INTO job_kind_limits (kind, max_running) VALUES ($1, $2)
        ON CONFLICT (kind) DO UPDATE SET max_running = excluded.max_running
        """

    // MARK: leadership

    static let coordinatorLockKey = 7_243_106_118_201_002  // "marketmap coordinator"
    static let tryLeadership = "SELECT pg_try_advisory_lock($1)"
}

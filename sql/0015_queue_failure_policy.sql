-- The queue's failure policy (README "The job queue"):
--   attempts        counts failures only (a handler threw); a worker that was
--                   killed, ran out of memory or was cut off is not charged one.
--   lease_expiries  counts leases that expired (the worker was lost), up to
--                   max_lease_expiries; then the job is a dead letter, so a
--                   job that kills its own worker every time still ends.
--   cause           why a dead letter died: its attempts ran out, its error was
--                   permanent (a retry cannot fix it: bad configuration, a
--                   payload that does not decode), or its workers were lost.

ALTER TABLE jobs
    ADD COLUMN lease_expiries     int NOT NULL DEFAULT 0,
    ADD COLUMN max_lease_expiries int NOT NULL DEFAULT 20;

ALTER TABLE dead_letters
    ADD COLUMN lease_expiries     int NOT NULL DEFAULT 0,
    ADD COLUMN max_lease_expiries int NOT NULL DEFAULT 20,
    ADD COLUMN cause              text NOT NULL DEFAULT 'attempts'
                                  CHECK (cause IN ('attempts', 'permanent', 'lease_expiries'));

-- Until now a claim charged its attempt up front; attempts now counts failures,
-- so a job running across this migration gives its in-flight attempt back.
UPDATE jobs SET attempts = greatest(attempts - 1, 0) WHERE state = 'running';

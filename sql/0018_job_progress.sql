-- How far a running job is (0 to 1), reported from inside long jobs (the
-- match and resolve jobs of a big market run) so progress moves before a job
-- ends. Written by the worker's control connection every few seconds; reset
-- when a job is claimed again; read by `marketmap run` and `marketmap status`.
ALTER TABLE jobs ADD COLUMN progress real;

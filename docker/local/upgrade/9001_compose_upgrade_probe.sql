-- Test-only (ops/test-compose): the one migration the "next" image adds,
-- applied by `migrate` while the previous roles keep running. Harmless: a
-- table of its own that nothing else reads.
CREATE TABLE compose_upgrade_probe (
    applied_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO compose_upgrade_probe DEFAULT VALUES;

-- 0007 jobs (PostgreSQL): work done later, outside any request (feature/jobs/jobs.h).
-- In step with migrations/sqlite/0007_jobs.sql.

-- state: queued | running | done | failed. A running job's lease ends at
-- locked_until; past it, another runner may take the job again (its runner
-- died). key names a job within its kind, so queueing it again moves it
-- instead of doubling it (NULL keys never clash).
CREATE TABLE jobs (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind TEXT NOT NULL,
    key TEXT,
    payload TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued',
    run_at BIGINT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    locked_by TEXT,
    locked_until BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE UNIQUE INDEX jobs_kind_key ON jobs (kind, key);
CREATE INDEX jobs_due ON jobs (state, run_at);

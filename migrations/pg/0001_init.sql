-- 0001 init (PostgreSQL). Numbered in step with migrations/sqlite/0001_init.sql:
-- tests/unit/t_db.c checks that both give the same columns.
-- Each file runs inside a transaction opened by src/db/migrate.c: no BEGIN
-- or COMMIT here. Times are unix seconds (BIGINT) bound from C.

-- Settings an administrator changes at run time, one value per key.
CREATE TABLE instance_settings (
    key TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

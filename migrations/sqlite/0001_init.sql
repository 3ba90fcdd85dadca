-- 0001 init (SQLite). Numbered in step with migrations/pg/0001_init.sql:
-- tests/unit/t_db.c checks that both give the same columns.
-- Each file runs inside a transaction opened by src/db/migrate.c: no BEGIN
-- or COMMIT here. Times are unix seconds (BIGINT) bound from C.

-- Settings an administrator changes at run time, one value per key.
-- (NOT NULL spelled out: SQLite lets a non-integer PRIMARY KEY hold NULL.)
CREATE TABLE instance_settings (
    key TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

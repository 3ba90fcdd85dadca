-- 0004 profiles (SQLite): what members can help with, want to learn and are
-- interested in. Name, bio and time zone are columns of users (0002). In step
-- with migrations/pg/0004_profiles.sql.

-- label is as the person typed it (trimmed, runs of spaces made one);
-- label_key is its lower-cased form, so "Assessment" and "assessment" are one
-- entry, and the member directory can ask who can help with assessment.
-- position keeps the person's order within a kind.
CREATE TABLE interests (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('help', 'learn', 'interest')),
    label TEXT NOT NULL,
    label_key TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (user_id, kind, label_key)
);
CREATE INDEX interests_kind_label ON interests (kind, label_key);

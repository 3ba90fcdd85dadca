-- 0011 live (SQLite): the events of live streams, the nodes serving them
-- and who is present where (feature/live). In step with
-- migrations/pg/0011_live.sql.

-- Every event published to live streams, kept a while so a stream that
-- reconnects with Last-Event-ID gets what it missed, and so the other nodes
-- (PostgreSQL) can read an event a NOTIFY names. Routing keys are 0 for
-- none; data is the event's JSON object. Pruned by the live.prune job.
CREATE TABLE live_events (
    id INTEGER NOT NULL PRIMARY KEY,
    type TEXT NOT NULL,
    space_id BIGINT NOT NULL DEFAULT 0,
    topic_id BIGINT NOT NULL DEFAULT 0,
    channel_id BIGINT NOT NULL DEFAULT 0,
    user_id BIGINT NOT NULL DEFAULT 0,
    data TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX live_events_created ON live_events (created_at);

-- The praxis serve processes sharing this database: each beats every few
-- seconds; one that stops beating is gone, with its presence.
CREATE TABLE live_nodes (
    id TEXT NOT NULL PRIMARY KEY,
    started_at BIGINT NOT NULL,
    seen_at BIGINT NOT NULL
);

-- Who has a live page open, on which node: page is '' (online),
-- 'space:ID', 'topic:ID' or 'channel:ID'; space_id the space it is in
-- (0 for a direct conversation).
CREATE TABLE live_presence (
    node TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    page TEXT NOT NULL,
    space_id BIGINT NOT NULL DEFAULT 0,
    since BIGINT NOT NULL,
    PRIMARY KEY (node, user_id, page)
);
CREATE INDEX live_presence_space ON live_presence (space_id, page);
CREATE INDEX live_presence_user ON live_presence (user_id);

-- A member who chose to appear offline shows no presence anywhere; when
-- each was last active (shown as a day).
ALTER TABLE users ADD COLUMN appear_offline INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN last_active_at BIGINT NOT NULL DEFAULT 0;

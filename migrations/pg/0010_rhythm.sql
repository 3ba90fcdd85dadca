-- 0010 rhythm (PostgreSQL): what happens after an event (its follow-up) and
-- how a space keeps its rhythm (feature/rhythm). In step with
-- migrations/sqlite/0010_rhythm.sql.

-- A follow-up of one occurrence (its start in UTC): the hosts' summary,
-- resources (links, one per line) and next steps, published as a summary
-- topic in the event's space. One per occurrence.
CREATE TABLE event_followups (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    occurrence BIGINT NOT NULL,
    topic_id BIGINT REFERENCES topics (id) ON DELETE SET NULL,
    summary TEXT NOT NULL,
    summary_html TEXT NOT NULL,
    resources TEXT NOT NULL DEFAULT '',
    next_steps TEXT NOT NULL DEFAULT '',
    next_steps_html TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (event_id, occurrence)
);
CREATE INDEX event_followups_topic ON event_followups (topic_id);

-- What the facilitators set for a space's rhythm: the most events a week
-- before it counts as crowded, the days without an event (and with little
-- else) before it counts as quiet; and the last notice sent them, so it is
-- not sent again every day.
CREATE TABLE space_rhythm (
    space_id BIGINT NOT NULL PRIMARY KEY REFERENCES spaces (id) ON DELETE CASCADE,
    ceiling INTEGER NOT NULL DEFAULT 3,
    quiet_days INTEGER NOT NULL DEFAULT 21,
    noticed_kind TEXT NOT NULL DEFAULT '',
    noticed_at BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
);

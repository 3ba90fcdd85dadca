-- 0009 events (PostgreSQL): events in a space, their hosts, cancelled
-- occurrences, answers (RSVP) and attendance, and the key the calendar feed
-- addresses are made with. In step with migrations/sqlite/0009_events.sql.

-- An event happens at a wall-clock time in an IANA zone: starts_local and
-- ends_local ("2026-12-10T18:00:00") with tz are the truth; starts_at and
-- ends_at are the first occurrence in UTC, and last_end_at the end of the
-- last one (NULL when the rule repeats forever), kept by the code that
-- writes, so a window of time finds its events by index. rrule is
-- canonical RFC 5545 text ('' when it happens once). capacity NULL: no
-- limit. reminders: minutes before the start, comma-separated. sequence
-- goes up with every change calendars must hear of. code_key (hex) makes
-- each occurrence's check-in code and never leaves the server.
CREATE TABLE events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    space_id BIGINT NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    uid TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    description_html TEXT NOT NULL DEFAULT '',
    agenda TEXT NOT NULL DEFAULT '',
    agenda_html TEXT NOT NULL DEFAULT '',
    tz TEXT NOT NULL,
    starts_local TEXT NOT NULL,
    ends_local TEXT NOT NULL,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    last_end_at BIGINT,
    mode TEXT NOT NULL CHECK (mode IN ('in_person', 'online', 'hybrid')),
    location TEXT NOT NULL DEFAULT '',
    join_url TEXT NOT NULL DEFAULT '',
    capacity BIGINT CHECK (capacity >= 0),
    rrule TEXT NOT NULL DEFAULT '',
    reminders TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'confirmed' CHECK (status IN ('confirmed', 'cancelled')),
    sequence BIGINT NOT NULL DEFAULT 0,
    code_key TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX events_space_time ON events (space_id, starts_at);
CREATE INDEX events_space_end ON events (space_id, last_end_at);

-- Who runs an event besides the space's facilitators: its creator and
-- whoever they add.
CREATE TABLE event_hosts (
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (event_id, user_id)
);
CREATE INDEX event_hosts_user ON event_hosts (user_id);

-- Occurrences cancelled (EXDATE), named by their start in UTC.
CREATE TABLE event_exceptions (
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    occurrence BIGINT NOT NULL,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (event_id, occurrence)
);

-- Answers: occurrence 0 for the whole series, else an occurrence's UTC
-- start (that answer wins over the series' for it). status: going | maybe
-- | not_going; "waitlisted" is not stored but worked out: those going past
-- the capacity, in the order of queued_us (when they asked to go, in
-- microseconds: the line's order, finer than the seconds of other times, so
-- answers within one second keep the order they came in).
CREATE TABLE event_rsvps (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    occurrence BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL CHECK (status IN ('going', 'maybe', 'not_going')),
    queued_us BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (event_id, occurrence, user_id)
);
CREATE INDEX event_rsvps_user ON event_rsvps (user_id, status);

-- Who came to an occurrence, and how: in_person | online; via: checkin
-- (their code) | host (a host marked them).
CREATE TABLE event_attendance (
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    occurrence BIGINT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    mode TEXT NOT NULL CHECK (mode IN ('in_person', 'online')),
    via TEXT NOT NULL CHECK (via IN ('checkin', 'host')),
    marked_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (event_id, occurrence, user_id)
);
CREATE INDEX event_attendance_user ON event_attendance (user_id, created_at);

-- The instance's keys by use (one: 'calendar', for feed addresses): a feed's
-- address carries a keyed hash of its person, so no address is stored.
CREATE TABLE calendar_keys (
    name TEXT NOT NULL PRIMARY KEY,
    secret TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

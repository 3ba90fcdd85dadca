-- 0005 discussions (PostgreSQL): topics and their posts, every revision of a
-- post, tags, reactions, watching, read state and notifications. In step
-- with migrations/sqlite/0005_discussions.sql.

-- kind: discussion | question | announcement | summary. A question may have
-- one accepted answer; an announcement stays pinned until unpinned. The
-- last_* columns and posts_count are kept by the code that writes posts, so
-- a topic list is one index scan.
CREATE TABLE topics (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    space_id BIGINT NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    pinned INTEGER NOT NULL DEFAULT 0,
    accepted_post_id BIGINT,
    posts_count BIGINT NOT NULL DEFAULT 0,
    last_number BIGINT NOT NULL DEFAULT 0,
    last_post_at BIGINT NOT NULL,
    last_author_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX topics_space_latest ON topics (space_id, last_post_at, id);
CREATE INDEX topics_unanswered ON topics (space_id, created_at, id)
    WHERE kind = 'question' AND accepted_post_id IS NULL;
CREATE INDEX topics_author ON topics (author_id);

-- number is the post's place in its topic, from 1 (the opening post).
-- A deleted post keeps its row as a tombstone: who deleted it, when and why;
-- its words (body, html and revisions) are gone.
CREATE TABLE posts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic_id BIGINT NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    space_id BIGINT NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    number BIGINT NOT NULL,
    reply_to BIGINT REFERENCES posts (id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    html TEXT NOT NULL,
    revision BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    edited_at BIGINT,
    deleted_at BIGINT,
    deleted_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    delete_reason TEXT NOT NULL DEFAULT '',
    UNIQUE (topic_id, number)
);
CREATE INDEX posts_author ON posts (author_id, created_at);
CREATE INDEX posts_reply_to ON posts (reply_to);

-- The versions a post had before its current one (which is in posts).
CREATE TABLE post_revisions (
    post_id BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    revision BIGINT NOT NULL,
    body TEXT NOT NULL,
    html TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (post_id, revision)
);

-- tag is lower case: a-z, 0-9 and -, up to 30 characters.
CREATE TABLE topic_tags (
    topic_id BIGINT NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (topic_id, tag)
);
CREATE INDEX topic_tags_tag ON topic_tags (tag, topic_id);

-- kind: like | thanks | insightful | helped; one of each per person and post.
CREATE TABLE reactions (
    post_id BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (post_id, user_id, kind)
);

-- level: watching | normal | muted. No row means normal (a topic's author
-- gets a watching row when it is made).
CREATE TABLE topic_watches (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    topic_id BIGINT NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    level TEXT NOT NULL,
    PRIMARY KEY (user_id, topic_id)
);
CREATE INDEX topic_watches_topic ON topic_watches (topic_id);
CREATE TABLE space_watches (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    space_id BIGINT NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    level TEXT NOT NULL,
    PRIMARY KEY (user_id, space_id)
);
CREATE INDEX space_watches_space ON space_watches (space_id);

-- The highest post number each person has read in a topic.
CREATE TABLE topic_reads (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    topic_id BIGINT NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    last_read BIGINT NOT NULL,
    PRIMARY KEY (user_id, topic_id)
);

-- kind: mention | reply | watched | reaction | answered. Reactions on one
-- post are grouped: one unread row counts them (count, the latest actor).
CREATE TABLE notifications (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    space_id BIGINT NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    topic_id BIGINT REFERENCES topics (id) ON DELETE CASCADE,
    post_id BIGINT REFERENCES posts (id) ON DELETE CASCADE,
    actor_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    count BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    read_at BIGINT
);
CREATE INDEX notifications_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id, space_id) WHERE read_at IS NULL;
CREATE INDEX notifications_post ON notifications (post_id);

-- 0012 chat (SQLite): channels in every space and direct conversations,
-- their members, messages and each reader's place (feature/chat). In step
-- with migrations/pg/0012_chat.sql.

-- A channel: a space's general one, a public or a private one, or a direct
-- conversation (no space; dm_key names its people, so the same people find
-- the same conversation again). name_key is the name folded as
-- chat_name_key() folds it, unique in a space.
CREATE TABLE chat_channels (
    id INTEGER NOT NULL PRIMARY KEY,
    space_id BIGINT REFERENCES spaces (id) ON DELETE CASCADE,
    kind TEXT NOT NULL, -- general | public | private | direct
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    dm_key TEXT UNIQUE, -- direct: its people's ids in order, "3,7,12"; else NULL
    read_only INTEGER NOT NULL DEFAULT 0,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    last_message_at BIGINT,
    UNIQUE (space_id, name_key)
);

-- The people of a private channel or of a conversation.
CREATE TABLE chat_members (
    channel_id BIGINT NOT NULL REFERENCES chat_channels (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    added_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (channel_id, user_id)
);
CREATE INDEX chat_members_user ON chat_members (user_id);

-- A deleted message keeps its author and time (a tombstone); its words go.
CREATE TABLE chat_messages (
    id INTEGER NOT NULL PRIMARY KEY,
    channel_id BIGINT NOT NULL REFERENCES chat_channels (id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    html TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    edited_at BIGINT,
    deleted_at BIGINT,
    deleted_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    topic_id BIGINT REFERENCES topics (id) ON DELETE SET NULL
);
CREATE INDEX chat_messages_channel ON chat_messages (channel_id, id);
CREATE INDEX chat_messages_topic ON chat_messages (topic_id);

-- How far each reader has read each channel: the unread counts.
CREATE TABLE chat_reads (
    channel_id BIGINT NOT NULL REFERENCES chat_channels (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    last_read_id BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (channel_id, user_id)
);
CREATE INDEX chat_reads_user ON chat_reads (user_id);

-- Every space there is has its general channel; later ones get theirs on
-- first use (chat_general_ensure()).
INSERT INTO chat_channels (space_id, kind, name, name_key, read_only, created_at, updated_at)
SELECT id, 'general', 'general', 'general', 0, created_at, created_at FROM spaces;

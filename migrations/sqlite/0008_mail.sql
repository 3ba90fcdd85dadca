-- 0008 mail (SQLite): the outbox every message goes through, what each person
-- chooses to receive, and the single-use tokens of account mail (address
-- confirmation, password reset). In step with migrations/pg/0008_mail.sql.

-- Whether the person proved they read their address. Those who signed up
-- before mail, and people the demo makes, count as confirmed (the default);
-- sign-up writes 0 until the link in its mail is followed. Bulk mail goes
-- only to confirmed addresses.
ALTER TABLE users ADD COLUMN email_confirmed INTEGER NOT NULL DEFAULT 1;

-- One row for every message Praxis sends: the whole message as composed
-- (MIME, ASCII), and how sending it went. state: queued | sent | failed.
-- user_id is NULL for an address with no account (or a deleted one).
CREATE TABLE mail_outbox (
    id INTEGER NOT NULL PRIMARY KEY,
    user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    to_addr TEXT NOT NULL,
    category TEXT NOT NULL,
    subject TEXT NOT NULL,
    message_id TEXT NOT NULL,
    message TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX mail_outbox_user ON mail_outbox (user_id, created_at);
CREATE INDEX mail_outbox_state ON mail_outbox (state, created_at);

-- A bulk category a person turned off or on again; no row means on.
CREATE TABLE mail_prefs (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    category TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, category)
);

-- Links sent by mail: only a hash of each token is kept, so a copy of the
-- database confirms nothing and resets no password. email is the address
-- the link went to (a confirmation holds only for it).
CREATE TABLE email_tokens (
    id INTEGER NOT NULL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('confirm', 'reset')),
    token_hash TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX email_tokens_user ON email_tokens (user_id, purpose);

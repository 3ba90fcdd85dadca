-- 0003 spaces (PostgreSQL): communities and their groups, membership with roles,
-- join requests and invite links. In step with migrations/sqlite/0003_spaces.sql.

-- A community has no parent; a group's parent is its community (one level).
CREATE TABLE spaces (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parent_id BIGINT REFERENCES spaces (id) ON DELETE CASCADE,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    purpose TEXT NOT NULL,
    charter TEXT NOT NULL DEFAULT '',
    charter_html TEXT NOT NULL DEFAULT '',
    visibility TEXT NOT NULL,  -- public | private
    join_policy TEXT NOT NULL, -- open | request | invite
    members_create_groups INTEGER NOT NULL DEFAULT 1,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX spaces_parent ON spaces (parent_id);

-- role: owner | facilitator | member | guest; guests have an end date.
CREATE TABLE memberships (
    space_id BIGINT NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    guest_until BIGINT,
    joined_at BIGINT NOT NULL,
    PRIMARY KEY (space_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE join_requests (
    space_id BIGINT NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    message TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    PRIMARY KEY (space_id, user_id)
);

-- Only a hash of each invite token is kept, as for sessions.
CREATE TABLE invites (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    space_id BIGINT NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL, -- member | guest
    guest_until BIGINT,
    max_uses BIGINT NOT NULL,
    uses BIGINT NOT NULL DEFAULT 0,
    expires_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX invites_space ON invites (space_id);

-- 0013 page versions (SQLite): what a topic page shows moves a version, so a
-- node may keep a page's posts in memory (feature/discuss/cache.c) and know,
-- from the topic row it reads anyway, when they are stale. In step with
-- migrations/pg/0013_page_versions.sql.
--
-- topics.version moves with every change to the topic's posts or to their
-- reactions; content_versions 'people' with every change of anyone's name
-- or handle and every account gone (posts show their authors' names).
-- Triggers, so that no write path can forget it.
ALTER TABLE topics ADD COLUMN version BIGINT NOT NULL DEFAULT 0;

CREATE TABLE content_versions (
    name TEXT NOT NULL PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO content_versions (name, version) VALUES ('people', 0);

CREATE TRIGGER page_version_posts_ai AFTER INSERT ON posts
BEGIN
    UPDATE topics SET version = version + 1 WHERE id = NEW.topic_id;
END;
CREATE TRIGGER page_version_posts_au AFTER UPDATE ON posts
BEGIN
    UPDATE topics SET version = version + 1 WHERE id IN (OLD.topic_id, NEW.topic_id);
END;
CREATE TRIGGER page_version_posts_ad AFTER DELETE ON posts
BEGIN
    UPDATE topics SET version = version + 1 WHERE id = OLD.topic_id;
END;
CREATE TRIGGER page_version_reactions_ai AFTER INSERT ON reactions
BEGIN
    UPDATE topics SET version = version + 1
    WHERE id = (SELECT topic_id FROM posts WHERE id = NEW.post_id);
END;
CREATE TRIGGER page_version_reactions_ad AFTER DELETE ON reactions
BEGIN
    UPDATE topics SET version = version + 1
    WHERE id = (SELECT topic_id FROM posts WHERE id = OLD.post_id);
END;
CREATE TRIGGER page_version_users_au AFTER UPDATE OF handle, name ON users
WHEN OLD.handle IS NOT NEW.handle OR OLD.name IS NOT NEW.name
BEGIN
    UPDATE content_versions SET version = version + 1 WHERE name = 'people';
END;
CREATE TRIGGER page_version_users_ad AFTER DELETE ON users
BEGIN
    UPDATE content_versions SET version = version + 1 WHERE name = 'people';
END;

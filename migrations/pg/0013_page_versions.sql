-- 0013 page versions (PostgreSQL): what a topic page shows moves a version,
-- so a node may keep a page's posts in memory (feature/discuss/cache.c) and
-- know, from the topic row it reads anyway, when they are stale. In step
-- with migrations/sqlite/0013_page_versions.sql.
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

CREATE FUNCTION page_version_post() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE topics SET version = version + 1 WHERE id = OLD.topic_id;
    END IF;
    IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.topic_id <> OLD.topic_id) THEN
        UPDATE topics SET version = version + 1 WHERE id = NEW.topic_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER page_version_posts AFTER INSERT OR UPDATE OR DELETE ON posts
FOR EACH ROW EXECUTE FUNCTION page_version_post();

CREATE FUNCTION page_version_reaction() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    pid BIGINT := CASE WHEN TG_OP = 'DELETE' THEN OLD.post_id ELSE NEW.post_id END;
BEGIN
    UPDATE topics SET version = version + 1
    WHERE id = (SELECT topic_id FROM posts WHERE id = pid);
    RETURN NULL;
END $$;
CREATE TRIGGER page_version_reactions AFTER INSERT OR DELETE ON reactions
FOR EACH ROW EXECUTE FUNCTION page_version_reaction();

CREATE FUNCTION page_version_people() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE content_versions SET version = version + 1 WHERE name = 'people';
    RETURN NULL;
END $$;
CREATE TRIGGER page_version_users_au AFTER UPDATE OF handle, name ON users
FOR EACH ROW WHEN (OLD.handle IS DISTINCT FROM NEW.handle OR OLD.name IS DISTINCT FROM NEW.name)
EXECUTE FUNCTION page_version_people();
CREATE TRIGGER page_version_users_ad AFTER DELETE ON users
FOR EACH ROW EXECUTE FUNCTION page_version_people();

-- 0006 search (PostgreSQL): full-text search over discussions, tsvector
-- and a GIN index. In step with migrations/sqlite/0006_search.sql.

-- Words are folded to lower case and, when the unaccent extension can be
-- had, stripped of accents ("cafe" finds "café"), as FTS5's unicode61
-- remove_diacritics does on SQLite. Without it search still works, accents
-- and all.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS unaccent;
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'search: no unaccent extension (%), accents are not folded', SQLERRM;
END
$$;
CREATE TEXT SEARCH CONFIGURATION praxis_search (COPY = simple);
DO $$
DECLARE
    schema_name TEXT;
BEGIN
    SELECT n.nspname INTO schema_name FROM pg_extension AS e
    JOIN pg_namespace AS n ON n.oid = e.extnamespace WHERE e.extname = 'unaccent';
    IF schema_name IS NOT NULL THEN
        EXECUTE format('ALTER TEXT SEARCH CONFIGURATION praxis_search ALTER MAPPING FOR '
                       'asciiword, asciihword, hword_asciipart, word, hword, hword_part, '
                       'numword, numhword, hword_numpart WITH %I.unaccent, simple', schema_name);
    END IF;
END
$$;

-- One row per live post: the words search looks at (the topic's title and
-- tags only on the opening post, number 1, so a title word does not match
-- every reply; the post's body) and what a search filters on. Triggers keep
-- it in step with posts, topics and topic_tags. A deleted post (a tombstone:
-- body '') has no row, so its words are no longer found.
CREATE TABLE search_docs (
    post_id BIGINT NOT NULL PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
    space_id BIGINT NOT NULL,
    topic_id BIGINT NOT NULL,
    author_id BIGINT,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    tags TEXT NOT NULL
);
-- The document: title (weight A), tags (B), body (D). Queries repeat this
-- expression exactly (SEARCH_DOC_PG in src/feature/search/stmts.def), so
-- that they use the index.
CREATE INDEX search_docs_words ON search_docs USING gin ((
    setweight(to_tsvector('praxis_search', title), 'A') ||
    setweight(to_tsvector('praxis_search', tags), 'B') ||
    to_tsvector('praxis_search', body)));

-- Index post pid anew, or not at all once it is deleted.
CREATE FUNCTION search_index_post(pid BIGINT) RETURNS void LANGUAGE sql AS $$
    DELETE FROM search_docs WHERE post_id = pid;
    INSERT INTO search_docs (post_id, space_id, topic_id, author_id, title, body, tags)
    SELECT p.id, p.space_id, p.topic_id, p.author_id,
           CASE WHEN p.number = 1 THEN t.title ELSE '' END, p.body,
           CASE WHEN p.number = 1 THEN COALESCE((SELECT string_agg(g.tag, ' ' ORDER BY g.tag)
               FROM topic_tags AS g WHERE g.topic_id = t.id), '') ELSE '' END
    FROM posts AS p JOIN topics AS t ON t.id = p.topic_id
    WHERE p.id = pid AND p.deleted_at IS NULL AND p.body <> '';
$$;

CREATE FUNCTION search_post_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM search_index_post(NEW.id);
    RETURN NULL;
END
$$;
CREATE TRIGGER search_posts_ai AFTER INSERT ON posts
FOR EACH ROW EXECUTE FUNCTION search_post_changed();
-- An edit, a deletion (the tombstone empties body), a move or an author gone.
CREATE TRIGGER search_posts_au
AFTER UPDATE OF body, deleted_at, space_id, topic_id, number, author_id ON posts
FOR EACH ROW EXECUTE FUNCTION search_post_changed();

CREATE FUNCTION search_topic_retitled() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE search_docs SET title = NEW.title
    WHERE post_id IN (SELECT id FROM posts WHERE topic_id = NEW.id AND number = 1);
    RETURN NULL;
END
$$;
CREATE TRIGGER search_topics_au AFTER UPDATE OF title ON topics
FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title)
EXECUTE FUNCTION search_topic_retitled();

CREATE FUNCTION search_topic_retagged() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    tid BIGINT := CASE WHEN TG_OP = 'DELETE' THEN OLD.topic_id ELSE NEW.topic_id END;
BEGIN
    UPDATE search_docs SET tags = COALESCE((SELECT string_agg(g.tag, ' ' ORDER BY g.tag)
        FROM topic_tags AS g WHERE g.topic_id = tid), '')
    WHERE post_id IN (SELECT id FROM posts WHERE topic_id = tid AND number = 1);
    RETURN NULL;
END
$$;
CREATE TRIGGER search_tags_aid AFTER INSERT OR DELETE ON topic_tags
FOR EACH ROW EXECUTE FUNCTION search_topic_retagged();

-- The posts written before this migration.
INSERT INTO search_docs (post_id, space_id, topic_id, author_id, title, body, tags)
SELECT p.id, p.space_id, p.topic_id, p.author_id,
       CASE WHEN p.number = 1 THEN t.title ELSE '' END, p.body,
       CASE WHEN p.number = 1 THEN COALESCE((SELECT string_agg(g.tag, ' ' ORDER BY g.tag)
           FROM topic_tags AS g WHERE g.topic_id = t.id), '') ELSE '' END
FROM posts AS p JOIN topics AS t ON t.id = p.topic_id
WHERE p.deleted_at IS NULL AND p.body <> '';

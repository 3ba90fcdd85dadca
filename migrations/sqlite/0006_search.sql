-- 0006 search (SQLite): full-text search over discussions, FTS5. In step
-- with migrations/pg/0006_search.sql.
--
-- search_docs holds one row per live post: the words search looks at (the
-- topic's title and tags only on the opening post, number 1, so a title
-- word does not match every reply; the post's body) and what a search
-- filters on. Triggers on posts, topics and topic_tags keep it in step, so
-- the code that writes posts need not know; triggers on search_docs keep
-- the FTS5 index over it. A deleted post (a tombstone: body '') has no row,
-- so its words are no longer found.
CREATE TABLE search_docs (
    post_id INTEGER NOT NULL PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
    space_id BIGINT NOT NULL,
    topic_id BIGINT NOT NULL,
    author_id BIGINT,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    tags TEXT NOT NULL,
    -- The space and the author as indexed words ("s12 a7"), so that the
    -- index itself can keep to the few spaces a reader may see, or to one
    -- author. Generated, so it is not among the columns the schema dump
    -- compares (PostgreSQL filters on space_id and author_id).
    scope TEXT GENERATED ALWAYS AS ('s' || space_id || ' a' || COALESCE(author_id, 0)) VIRTUAL
);
-- A search checks each match's space, author and topic here: an index this
-- narrow stays in memory, where the table's rows (with their text) may not.
CREATE INDEX search_docs_filter ON search_docs (post_id, space_id, author_id, topic_id);

-- External content: the index keeps no second copy of the text; highlight()
-- reads it from search_docs. remove_diacritics 2: "cafe" finds "café".
-- columnsize 0: no table of each post's column lengths (bm25() would need
-- it; search ranks without), one page fewer written with every post.
CREATE VIRTUAL TABLE search_fts USING fts5 (
    title, body, tags, scope,
    content = 'search_docs', content_rowid = 'post_id', columnsize = 0,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
    INSERT INTO search_fts (rowid, title, body, tags, scope)
    VALUES (new.post_id, new.title, new.body, new.tags, new.scope);
END;
CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, title, body, tags, scope)
    VALUES ('delete', old.post_id, old.title, old.body, old.tags, old.scope);
END;
CREATE TRIGGER search_docs_au AFTER UPDATE OF title, body, tags, space_id, author_id ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, title, body, tags, scope)
    VALUES ('delete', old.post_id, old.title, old.body, old.tags, old.scope);
    INSERT INTO search_fts (rowid, title, body, tags, scope)
    VALUES (new.post_id, new.title, new.body, new.tags, new.scope);
END;

-- A post's document, from its row and its topic's.
CREATE TRIGGER search_posts_ai AFTER INSERT ON posts
WHEN new.deleted_at IS NULL AND new.body <> '' BEGIN
    INSERT INTO search_docs (post_id, space_id, topic_id, author_id, title, body, tags)
    SELECT new.id, new.space_id, new.topic_id, new.author_id,
           CASE WHEN new.number = 1 THEN t.title ELSE '' END, new.body,
           CASE WHEN new.number = 1 THEN COALESCE((SELECT group_concat(tag, ' ')
               FROM topic_tags WHERE topic_id = t.id), '') ELSE '' END
    FROM topics AS t WHERE t.id = new.topic_id;
END;
-- An edit, a deletion (the tombstone empties body), a move or an author
-- gone: index the post anew, or not at all once it is deleted.
CREATE TRIGGER search_posts_au
AFTER UPDATE OF body, deleted_at, space_id, topic_id, number, author_id ON posts BEGIN
    DELETE FROM search_docs WHERE post_id = old.id;
    INSERT INTO search_docs (post_id, space_id, topic_id, author_id, title, body, tags)
    SELECT new.id, new.space_id, new.topic_id, new.author_id,
           CASE WHEN new.number = 1 THEN t.title ELSE '' END, new.body,
           CASE WHEN new.number = 1 THEN COALESCE((SELECT group_concat(tag, ' ')
               FROM topic_tags WHERE topic_id = t.id), '') ELSE '' END
    FROM topics AS t WHERE t.id = new.topic_id AND new.deleted_at IS NULL AND new.body <> '';
END;
-- The foreign key does it too, but only where foreign keys are on.
CREATE TRIGGER search_posts_ad AFTER DELETE ON posts BEGIN
    DELETE FROM search_docs WHERE post_id = old.id;
END;
CREATE TRIGGER search_topics_au AFTER UPDATE OF title ON topics
WHEN old.title IS NOT new.title BEGIN
    UPDATE search_docs SET title = new.title
    WHERE post_id = (SELECT id FROM posts WHERE topic_id = new.id AND number = 1);
END;
CREATE TRIGGER search_tags_ai AFTER INSERT ON topic_tags BEGIN
    UPDATE search_docs SET tags = COALESCE((SELECT group_concat(tag, ' ')
        FROM topic_tags WHERE topic_id = new.topic_id), '')
    WHERE post_id = (SELECT id FROM posts WHERE topic_id = new.topic_id AND number = 1);
END;
CREATE TRIGGER search_tags_ad AFTER DELETE ON topic_tags BEGIN
    UPDATE search_docs SET tags = COALESCE((SELECT group_concat(tag, ' ')
        FROM topic_tags WHERE topic_id = old.topic_id), '')
    WHERE post_id = (SELECT id FROM posts WHERE topic_id = old.topic_id AND number = 1);
END;

-- The posts written before this migration, indexed by the triggers above,
-- then merged into one segment (which later writes split again, a little).
INSERT INTO search_docs (post_id, space_id, topic_id, author_id, title, body, tags)
SELECT p.id, p.space_id, p.topic_id, p.author_id,
       CASE WHEN p.number = 1 THEN t.title ELSE '' END, p.body,
       CASE WHEN p.number = 1 THEN COALESCE((SELECT group_concat(tag, ' ')
           FROM topic_tags WHERE topic_id = t.id), '') ELSE '' END
FROM posts AS p JOIN topics AS t ON t.id = p.topic_id
WHERE p.deleted_at IS NULL AND p.body <> '';
INSERT INTO search_fts (search_fts) VALUES ('optimize');

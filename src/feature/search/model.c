#include "feature/search/model.h"

#include "core/alloc.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "db/db.h"
#include "http/http.h"

/*
 * The FTS5 expression: the person's query over the text columns only (so
 * "s12" typed finds no space), then the scope words the index keeps to: the
 * reader's spaces when they are few and a minority of all (otherwise an OR
 * of them costs more than SEARCH_POSTS checking each match, which it does
 * in any case), and the author asked for.
 */
static void match_fts5(const struct search_query *q, const int64_t *spaces, size_t nspaces,
                       bool scoped, int64_t author, struct buf *b)
{
    BUF_LIT(b, "{title body tags} : (");
    search_query_fts5(q, b);
    buf_putc(b, ')');
    if (scoped) {
        BUF_LIT(b, " AND scope : (");
        for (size_t i = 0; i < nspaces; i++)
            buf_printf(b, "%ss%lld", i ? " OR " : "", (long long)spaces[i]);
        buf_putc(b, ')');
    }
    if (author)
        buf_printf(b, " AND scope : a%lld", (long long)author);
}

/* Whether the reader's spaces are few, and a minority of all, so as to go into the FTS5 query. */
static int few_spaces(struct db *db, size_t nspaces, bool *few)
{
    int64_t all = 0;
    int rc;

    *few = false;
    if (nspaces > SEARCH_TOKENS)
        return 0;
    rc = db_query_int(db, STMT_SEARCH_SPACES_COUNT, NULL, 0, &all);
    if (rc)
        return rc;
    *few = (int64_t)nspaces * 2 < all;
    return 0;
}

/* The ids as one parameter: JSON for SQLite's json_each(), an array literal for PostgreSQL. */
static void id_list(enum db_backend be, const int64_t *ids, size_t n, struct buf *b)
{
    buf_putc(b, be == DB_PG ? '{' : '[');
    for (size_t i = 0; i < n; i++)
        buf_printf(b, "%s%lld", i ? "," : "", (long long)ids[i]);
    buf_putc(b, be == DB_PG ? '}' : ']');
}

static struct str or_empty(struct str s)
{
    return s.ptr ? s : STR_LIT("");
}

int search_run(struct req *r, const struct search_query *q, const int64_t *spaces, size_t nspaces,
               const struct search_filter *f, int64_t offset, struct search_hit **out, size_t *n,
               bool *more)
{
    struct db *db = req_db(r);
    struct buf match, ids;
    struct db_rows rows;
    int rc;

    *out = arena_calloc(&r->arena, SEARCH_PAGE, sizeof(**out));
    *n = 0;
    *more = false;
    if (!db)
        return E_UNAVAIL;
    if (!nspaces)
        return 0;
    /* A query is at most SEARCH_Q_MAX characters, quoted: a few KB with the scope. */
    buf_init(&match, &r->arena, 16384);
    buf_init(&ids, &r->arena, nspaces * 24 + 16);
    if (db_backend(db) == DB_PG) {
        search_query_tsquery(q, &match);
    } else {
        bool few;

        rc = few_spaces(db, nspaces, &few);
        if (rc)
            return rc;
        match_fts5(q, spaces, nspaces, few, f->author_id, &match);
    }
    id_list(db_backend(db), spaces, nspaces, &ids);
    if (match.toobig || ids.toobig)
        return E_TOOBIG;
    {
        struct db_param p[] = {
            DB_TEXT(buf_str(&match)),  DB_TEXT(buf_str(&ids)),  DB_INT(SEARCH_SCANNED),
            DB_INT(SEARCH_RANKED),     DB_INT(f->author_id),    DB_TEXT(or_empty(f->kind)),
            DB_TEXT(or_empty(f->tag)), DB_INT(SEARCH_PAGE + 1), DB_INT(offset)};

        rc = db_query(db, STMT_SEARCH_POSTS, p, ARRAY_LEN(p), &rows);
    }
    if (rc)
        return rc;
    while ((rc = db_next(&rows)) > 0) {
        struct search_hit *h;

        if (*n == SEARCH_PAGE) {
            *more = true;
            continue;
        }
        h = &(*out)[(*n)++];
        h->post_id = db_col_int(&rows, 0);
        h->number = db_col_int(&rows, 1);
        h->topic_id = db_col_int(&rows, 2);
        h->title = db_col_text(&rows, 3, &r->arena);
        h->kind = db_col_text(&rows, 4, &r->arena);
        h->space_slug = db_col_text(&rows, 5, &r->arena);
        h->space_name = db_col_text(&rows, 6, &r->arena);
        h->author_handle = db_col_text(&rows, 7, &r->arena);
        h->author_name = db_col_text(&rows, 8, &r->arena);
        h->created_at = db_col_int(&rows, 9);
        h->excerpt = db_col_text(&rows, 10, &r->arena);
        h->cut_start = db_col_int(&rows, 11) != 0;
        h->cut_end = db_col_int(&rows, 12) != 0;
    }
    db_rows_done(&rows);
    return rc < 0 ? rc : 0;
}

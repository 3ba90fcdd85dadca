#include "feature/search/search.h"

#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/json.h"
#include "core/limits.h"
#include "core/utf8.h"
#include "feature/accounts/rules.h"
#include "feature/discuss/pages.h"
#include "feature/discuss/rules.h"
#include "feature/profiles/profiles.h"
#include "feature/search/model.h"
#include "feature/search/query.h"
#include "feature/search/views.h"
#include "feature/spaces/spaces.h"
#include "http/http.h"
#include "view/html.h"
#include "view/url.h"

enum { SQ_Q, SQ_SPACE, SQ_AUTHOR, SQ_KIND, SQ_TAG, SQ_CURSOR, SQ__MAX };

/* q is not required here: an empty one is the parser's to refuse, and the page's to offer. */
static const struct field search_fields[SQ__MAX] = {
    [SQ_Q] = {"q", FIELD_TEXT, false, SEARCH_Q_MAX, 0, 0},
    [SQ_SPACE] = {"space", FIELD_TEXT, false, 40, 0, 0},
    [SQ_AUTHOR] = {"author", FIELD_TEXT, false, HANDLE_MAX + 1, 0, 0},
    [SQ_KIND] = {"kind", FIELD_TEXT, false, 20, 0, 0},
    [SQ_TAG] = {"tag", FIELD_TEXT, false, (size_t)TAG_MAX * 2, 0, 0},
    [SQ_CURSOR] = {"cursor", FIELD_TEXT, false, 12, 0, 0},
};

/* A search as asked: the query, the filters, and where in the results. */
struct search_args {
    struct search_query q;
    struct space space; /* the space filter, when has_space */
    bool has_space;
    struct search_filter f;
    int64_t offset;
};

/*
 * Read and check the inputs, naming every field at fault (400). A space the
 * caller may not read is 404 "there is no such space", whatever else is
 * wrong, as if it did not exist.
 */
static int search_in(struct req *r, struct search_args *a)
{
    struct str slug = str_trim(req_in(r, SQ_SPACE)->text);
    struct str author = str_trim(req_in(r, SQ_AUTHOR)->text);
    struct str kind = str_trim(req_in(r, SQ_KIND)->text);
    struct str tag = str_trim(req_in(r, SQ_TAG)->text);
    struct str cursor = str_trim(req_in(r, SQ_CURSOR)->text);
    const char *msg;
    int rc = 0, e;

    memset(a, 0, sizeof(*a));
    if (slug.len) {
        e = spaces_open(r, slug, ACT_READ, &a->space);
        if (e == E_NOTFOUND)
            return req_fail(r, E_NOTFOUND, NULL, "there is no such space");
        if (e)
            return e;
        a->has_space = true;
    }
    if (search_query_parse(&r->arena, req_in(r, SQ_Q)->text, &a->q, &msg))
        rc = req_fail(r, E_INVAL, "q", msg);
    if (kind.len) {
        enum topic_kind k = topic_kind_parse(kind);

        if (k == TOPIC__MAX)
            rc = req_fail(r, E_INVAL, "kind",
                          "must be discussion, question, announcement or summary");
        else
            a->f.kind = str_c(topic_kind_name(k));
    }
    if (tag.len) {
        msg = rule_tag(&r->arena, tag, &a->f.tag);
        if (msg)
            rc = req_fail(r, E_INVAL, "tag", msg);
    }
    if (author.len) {
        if (author.ptr[0] == '@')
            author = str_make(author.ptr + 1, author.len - 1);
        e = user_id_of(r, author, &a->f.author_id);
        if (e == E_NOTFOUND)
            rc = req_fail(r, E_INVAL, "author", "is nobody's handle here");
        else if (e)
            return e;
    }
    if (cursor.len && (str_to_i64(cursor, &a->offset) || a->offset < 0 ||
                       a->offset >= SEARCH_RANKED || a->offset % SEARCH_PAGE))
        rc = req_fail(r, E_INVAL, "cursor", "is not one this search gave");
    return rc;
}

/*
 * Run the search over the spaces the caller may read (all is what
 * spaces_readable() gave, or NULL to ask it): the filter's one space, or
 * every one.
 */
static int run(struct req *r, const struct search_args *a, const struct space *all, size_t nall,
               struct search_hit **hits, size_t *n, bool *more)
{
    struct space *mine;
    int64_t *ids;
    int rc;

    if (a->has_space)
        return search_run(r, &a->q, &a->space.id, 1, &a->f, a->offset, hits, n, more);
    if (!all) {
        rc = spaces_readable(r, &mine, &nall);
        if (rc)
            return rc;
        all = mine;
    }
    ids = arena_calloc(&r->arena, nall ? nall : 1, sizeof(*ids));
    for (size_t i = 0; i < nall; i++)
        ids[i] = all[i].id;
    return search_run(r, &a->q, ids, nall, &a->f, a->offset, hits, n, more);
}

/* The excerpt as HTML: its text escaped by the template, the matches in <mark>. */
static struct html snippet_of(struct req *r, const struct search_hit *h)
{
    struct view_search_snippet v;
    struct search_piece *pieces;
    size_t n;
    struct buf b;

    search_excerpt(&r->arena, h->excerpt, h->cut_start, h->cut_end, SEARCH_EXCERPT, &pieces, &n);
    v = (struct view_search_snippet){pieces, n};
    buf_init(&b, &r->arena, LIMIT_TEXT_DEFAULT * 8);
    if (view_search_snippet(&b, &v))
        return HTML_EMPTY;
    return html_from_buf(&b);
}

static struct str query_text(struct req *r, const struct search_query *q)
{
    struct buf b;

    buf_init(&b, &r->arena, (size_t)SEARCH_Q_MAX * 8);
    search_query_text(q, &b);
    return buf_str(&b);
}

static struct str cursor_of(struct req *r, int64_t offset)
{
    struct buf b;

    buf_init(&b, &r->arena, 24);
    buf_put_i64(&b, offset);
    return buf_str(&b);
}

/* API ---------------------------------------------------------------------------- */

static void hit_json(struct req *r, struct json *j, const struct search_hit *h)
{
    json_obj_open(j);
    json_key(j, "post");
    json_obj_open(j);
    json_key(j, "id");
    json_i64(j, h->post_id);
    json_key(j, "number");
    json_i64(j, h->number);
    json_obj_close(j);
    json_key(j, "topic");
    json_obj_open(j);
    json_key(j, "id");
    json_i64(j, h->topic_id);
    json_key(j, "title");
    json_str(j, h->title);
    json_key(j, "kind");
    json_str(j, h->kind);
    json_obj_close(j);
    json_key(j, "space");
    json_obj_open(j);
    json_key(j, "slug");
    json_str(j, h->space_slug);
    json_key(j, "name");
    json_str(j, h->space_name);
    json_obj_close(j);
    profile_ref_json(j, "author", h->author_handle, h->author_name);
    json_key(j, "snippet_html");
    {
        struct html s = snippet_of(r, h);

        json_str(j, str_make(s.ptr, s.len));
    }
    json_key(j, "created_at");
    json_i64(j, h->created_at);
    json_obj_close(j);
}

static int search_api(struct req *r, struct resp *w)
{
    struct search_args a;
    struct search_hit *hits;
    size_t n;
    bool more;
    struct json j;
    int rc = search_in(r, &a);

    if (!rc)
        rc = run(r, &a, NULL, 0, &hits, &n, &more);
    if (rc)
        return rc;
    resp_json(w);
    json_init(&j, &w->body);
    json_obj_open(&j);
    json_key(&j, "query");
    json_str(&j, query_text(r, &a.q));
    json_key(&j, "results");
    json_arr_open(&j);
    for (size_t i = 0; i < n; i++)
        hit_json(r, &j, &hits[i]);
    json_arr_close(&j);
    json_key(&j, "next_cursor");
    if (more)
        json_str(&j, cursor_of(r, a.offset + SEARCH_PAGE));
    else
        json_null(&j);
    json_obj_close(&j);
    return 0;
}

/* Page ---------------------------------------------------------------------------- */

static const char *const months[12] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December",
};

/* "14 March 2026" for unix seconds, in UTC. */
static struct str date_of(struct req *r, int64_t t)
{
    struct tm tm;
    struct buf b;

    buf_init(&b, &r->arena, 48);
    if (clock_utc(t, &tm))
        return STR_NULL;
    buf_printf(&b, "%d %s %d", tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900);
    return buf_str(&b);
}

/* head + tail, e.g. "/spaces/" + slug, as a URL. */
static struct url link_to(struct req *r, const char *head, struct str tail)
{
    struct buf b;

    buf_init(&b, &r->arena, LIMIT_URL);
    buf_puts(&b, head);
    buf_put_str(&b, tail);
    return url_of_buf(&r->arena, &b);
}

/* &name=value, the value form-encoded, when it is not empty. */
static void param(struct buf *b, const char *name, struct str value)
{
    static const char hex[] = "0123456789ABCDEF";

    if (!value.len)
        return;
    buf_printf(b, "%s%s=", b->len > strlen("/search") ? "&" : "?", name);
    for (size_t i = 0; i < value.len; i++) {
        unsigned char c = (unsigned char)value.ptr[i];

        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            c == '-' || c == '.' || c == '_' || c == '~') {
            buf_putc(b, (char)c);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};

            buf_append(b, e, 3);
        }
    }
}

/* This search again at another offset (0: the first page, without a cursor). */
static struct url page_url(struct req *r, int64_t offset)
{
    struct buf b;

    buf_init(&b, &r->arena, LIMIT_URL);
    BUF_LIT(&b, "/search");
    param(&b, "q", req_in(r, SQ_Q)->text);
    param(&b, "space", str_trim(req_in(r, SQ_SPACE)->text));
    param(&b, "author", str_trim(req_in(r, SQ_AUTHOR)->text));
    param(&b, "kind", str_trim(req_in(r, SQ_KIND)->text));
    param(&b, "tag", str_trim(req_in(r, SQ_TAG)->text));
    if (offset)
        param(&b, "cursor", cursor_of(r, offset));
    return url_of_buf(&r->arena, &b);
}

static struct str field_error(struct req *r, const char *field)
{
    for (size_t i = 0; i < r->nerrs; i++)
        if (r->errs[i].field && strcmp(r->errs[i].field, field) == 0)
            return str_c(r->errs[i].msg);
    return STR_NULL;
}

/* The filters' choices: every space the caller may read, and the kinds of topic. */
static void choices(struct req *r, const struct space *all, size_t nall, struct view_search *vm)
{
    struct view_search_option *o = arena_calloc(&r->arena, nall + 1, sizeof(*o));
    struct view_search_option *k = arena_calloc(&r->arena, TOPIC__MAX + 1, sizeof(*k));
    static const char *const kind_labels[TOPIC__MAX] = {
        [TOPIC_DISCUSSION] = "Discussions",
        [TOPIC_QUESTION] = "Questions",
        [TOPIC_ANNOUNCEMENT] = "Announcements",
        [TOPIC_SUMMARY] = "Summaries",
    };
    struct str space = str_trim(req_in(r, SQ_SPACE)->text);
    struct str kind = str_trim(req_in(r, SQ_KIND)->text);

    o[0] = (struct view_search_option){STR_LIT(""), STR_LIT("Everywhere you can read"), false};
    for (size_t i = 0; i < nall; i++)
        o[i + 1] =
            (struct view_search_option){all[i].slug, all[i].name, str_eq(all[i].slug, space)};
    vm->spaces = o;
    vm->nspaces = nall + 1;
    k[0] = (struct view_search_option){STR_LIT(""), STR_LIT("Any kind"), false};
    for (int i = 0; i < TOPIC__MAX; i++)
        k[i + 1] = (struct view_search_option){str_c(topic_kind_name((enum topic_kind)i)),
                                               str_c(kind_labels[i]),
                                               str_eq_c(kind, topic_kind_name((enum topic_kind)i))};
    vm->kinds = k;
    vm->nkinds = TOPIC__MAX + 1;
}

static void result_of(struct req *r, const struct search_hit *h, struct view_search_result *v)
{
    static const char *const kind_badges[TOPIC__MAX] = {
        [TOPIC_DISCUSSION] = "",
        [TOPIC_QUESTION] = "Question",
        [TOPIC_ANNOUNCEMENT] = "Announcement",
        [TOPIC_SUMMARY] = "Summary",
    };
    enum topic_kind k = topic_kind_parse(h->kind);
    struct buf where;

    v->title = h->title;
    v->href = discuss_post_url(r, h->topic_id, h->number);
    buf_init(&where, &r->arena, 48);
    if (h->number == 1)
        BUF_LIT(&where, "Opening post");
    else
        buf_printf(&where, "Reply %lld", (long long)(h->number - 1));
    v->where = buf_str(&where);
    v->kind = k < TOPIC__MAX ? str_c(kind_badges[k]) : STR_NULL;
    v->space_name = h->space_name;
    v->space_href = link_to(r, "/spaces/", h->space_slug);
    v->author_name = h->author_name;
    if (h->author_handle.len)
        v->author_href = link_to(r, "/people/", h->author_handle);
    v->date = date_of(r, h->created_at);
    v->snippet = snippet_of(r, h);
}

static int search_page(struct req *r, struct resp *w)
{
    struct view_search vm = {0};
    struct view_search_result *rows;
    struct search_args a;
    struct search_hit *hits = NULL;
    struct space *all;
    size_t n = 0, nall;
    bool more = false;
    struct buf body, title;
    int rc, status = 200;

    vm.q = req_in(r, SQ_Q)->text;
    if (!utf8_valid(vm.q.ptr, vm.q.len))
        vm.q = STR_NULL;
    vm.author = str_trim(req_in(r, SQ_AUTHOR)->text);
    vm.tag = str_trim(req_in(r, SQ_TAG)->text);
    rc = spaces_readable(r, &all, &nall);
    if (rc)
        return rc;
    /* Without a query, or a page of one, the form alone. */
    memset(&a, 0, sizeof(a));
    if (r->invalid || str_trim(vm.q).len || req_in(r, SQ_CURSOR)->present) {
        rc = r->invalid;
        if (!rc)
            rc = search_in(r, &a);
        if (!rc)
            rc = run(r, &a, all, nall, &hits, &n, &more);
        if (!rc)
            vm.searched = true;
        else if (rc == E_INVAL)
            status = 400; /* the form again, with what is wrong */
        else
            return rc; /* a space the caller may not read is 404, as if it did not exist */
    }
    vm.q_error = field_error(r, "q");
    vm.author_error = field_error(r, "author");
    vm.kind_error = field_error(r, "kind");
    vm.tag_error = field_error(r, "tag");
    vm.cursor_error = field_error(r, "cursor");
    vm.filters_open = vm.author.len || vm.tag.len || req_in(r, SQ_KIND)->text.len ||
                      req_in(r, SQ_SPACE)->text.len || vm.author_error.len || vm.kind_error.len ||
                      vm.tag_error.len;
    choices(r, all, nall, &vm);
    if (vm.searched) {
        struct buf s;

        buf_init(&s, &r->arena, (size_t)SEARCH_Q_MAX * 8);
        buf_puts(&s, n ? "Results for \xe2\x80\x9c" : "Nothing matches \xe2\x80\x9c");
        buf_put_str(&s, query_text(r, &a.q));
        buf_puts(&s, "\xe2\x80\x9d");
        if (a.offset)
            buf_printf(&s, ", page %lld", (long long)a.offset / SEARCH_PAGE + 1);
        vm.summary = buf_str(&s);
        rows = arena_calloc(&r->arena, n ? n : 1, sizeof(*rows));
        for (size_t i = 0; i < n; i++)
            result_of(r, &hits[i], &rows[i]);
        vm.results = rows;
        vm.nresults = n;
        if (more)
            vm.next_url = page_url(r, a.offset + SEARCH_PAGE);
        if (a.offset)
            vm.first_url = page_url(r, 0);
    }
    resp_body_init(r, &body);
    view_search(&body, &vm);
    buf_init(&title, &r->arena, LIMIT_TEXT_DEFAULT);
    BUF_LIT(&title, "Search");
    if (vm.searched) {
        BUF_LIT(&title, ": ");
        buf_put_str(&title, query_text(r, &a.q));
    }
    rc = resp_page(r, w, buf_str(&title), STR_NULL, &body);
    w->status = status;
    return rc;
}

static const struct route routes[] = {
    {HTTP_GET, "/api/v1/search", search_api, search_fields, SQ__MAX, 0},
    {HTTP_GET, "/search", search_page, search_fields, SQ__MAX, ROUTE_OWN_ERRORS},
};

const struct feature feature_search = {
    .name = "search",
    .routes = routes,
    .nroutes = ARRAY_LEN(routes),
};

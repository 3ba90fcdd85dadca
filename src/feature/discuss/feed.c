/*
 * A space's Atom feed (RFC 4287): its newest topics, each with the opening
 * post. A feed reader has no session, so only a space anyone may read has
 * a feed: a private space (or a group in a private community) answers 404
 * to everyone, its members included.
 */
#include <string.h>

#include "app.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/err.h"
#include "feature/discuss/pages.h"
#include "feature/discuss/pages_model.h"
#include "feature/discuss/views.h"
#include "feature/spaces/spaces.h"

#define FEED_ENTRIES 20
#define FEED_TYPE    "application/atom+xml; charset=utf-8"

/* Whether a space has a feed: what anyone may read, without signing in. */
static bool has_feed(const struct space *s)
{
    return s->is_public && (!s->parent_id || s->parent_public);
}

int discuss_feed_link(struct req *r, const struct space *s, struct html *out)
{
    struct view_feed_link vm = {0};
    struct buf b;

    *out = HTML_EMPTY;
    if (!has_feed(s))
        return 0;
    buf_init(&b, &r->arena, LIMIT_TEXT_DEFAULT);
    BUF_LIT(&b, "Discussions in ");
    buf_put_str(&b, s->name);
    BUF_LIT(&b, " (Atom)");
    vm.title = buf_str(&b);
    buf_init(&b, &r->arena, LIMIT_URL);
    BUF_LIT(&b, "/spaces/");
    buf_put_str(&b, s->slug);
    BUF_LIT(&b, "/feed.atom");
    if (url_build(&r->arena, buf_str(&b), &vm.href))
        return 0;
    buf_init(&b, &r->arena, 4096);
    if (view_feed_link(&b, &vm))
        return E_TOOBIG;
    *out = html_from_buf(&b);
    return 0;
}

/* A Host header fit to build links with: a name or address, and a port. */
static bool host_ok(struct str h)
{
    if (!h.len || h.len > 255)
        return false;
    for (size_t i = 0; i < h.len; i++) {
        char c = h.ptr[i];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == ':' || c == '[' || c == ']'))
            return false;
    }
    return true;
}

/*
 * The site's address, for links that leave it: the configured public URL,
 * else the host the reader asked (a feed's links must be absolute).
 */
static struct str site_base(struct req *r)
{
    const char *pub = r->app->cfg->public_url;
    size_t n = strlen(pub);
    struct str host = req_header(r, "Host");
    struct buf b;

    while (n && pub[n - 1] == '/')
        n--;
    if (n)
        return str_make(pub, n);
    buf_init(&b, &r->arena, 300);
    BUF_LIT(&b, "http://");
    buf_put_str(&b, host_ok(host) ? host : STR_LIT("localhost"));
    return buf_str(&b);
}

/* base + path + tail, as text. */
static struct str absolute(struct req *r, struct str base, const char *path, struct str tail)
{
    struct buf b;

    buf_init(&b, &r->arena, LIMIT_URL);
    buf_put_str(&b, base);
    buf_puts(&b, path);
    buf_put_str(&b, tail);
    return buf_str(&b);
}

static struct url url_or_root(struct req *r, struct str s)
{
    struct url u;

    if (url_build(&r->arena, s, &u))
        return URL_LIT("/");
    return u;
}

/*
 * Text as XML 1.0 allows it: the C0 controls other than tab, newline and
 * carriage return, and U+FFFE and U+FFFF, are dropped (the HTML escaper
 * that the template applies leaves them as they are).
 */
static struct str xml_text(struct req *r, struct str s)
{
    char *out = arena_alloc(&r->arena, s.len + 1);
    size_t k = 0;

    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];

        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            continue;
        if (c == 0xEF && i + 2 < s.len && (unsigned char)s.ptr[i + 1] == 0xBF &&
            ((unsigned char)s.ptr[i + 2] == 0xBE || (unsigned char)s.ptr[i + 2] == 0xBF)) {
            i += 2;
            continue;
        }
        out[k++] = (char)c;
    }
    out[k] = '\0';
    return str_make(out, k);
}

static struct str rfc3339(struct req *r, int64_t t)
{
    char tmp[21];

    clock_rfc3339(t, tmp);
    return str_make(arena_strndup(&r->arena, tmp, strlen(tmp)), strlen(tmp));
}

int discuss_feed_page(struct req *r, struct resp *w)
{
    struct view_topics_atom vm = {0};
    struct view_atom_entry *entries;
    struct feed_entry *e;
    struct space s;
    struct str base, self, id;
    int64_t updated;
    size_t n;
    int rc = spaces_open(r, req_param(r, "slug"), ACT_READ, &s);

    if (!rc && !has_feed(&s))
        rc = E_NOTFOUND;
    if (rc == E_NOTFOUND || rc == E_PERM)
        return req_fail(r, E_NOTFOUND, NULL, "there is no feed here");
    if (!rc)
        rc = feed_entries(r, s.id, FEED_ENTRIES, &e, &n);
    if (rc)
        return rc;
    base = site_base(r);
    self = absolute(r, base, "/spaces/", s.slug);
    vm.self_href = url_or_root(r, absolute(r, self, "/feed.atom", STR_NULL));
    vm.alt_href = url_or_root(r, absolute(r, self, "/topics", STR_NULL));
    vm.id = str_make(vm.self_href.ptr, vm.self_href.len);
    vm.title = xml_text(r, absolute(r, STR_LIT("Discussions in "), "", s.name));
    vm.subtitle = xml_text(r, s.purpose);
    updated = s.created_at;
    entries = arena_calloc(&r->arena, n ? n : 1, sizeof(*entries));
    for (size_t i = 0; i < n; i++) {
        struct view_atom_entry *x = &entries[i];
        struct str *tags = arena_calloc(&r->arena, e[i].ntags + 1, sizeof(*tags));
        struct buf b;

        buf_init(&b, &r->arena, 64);
        buf_printf(&b, "/topics/%lld", (long long)e[i].id);
        id = absolute(r, base, buf_str(&b).ptr, STR_NULL);
        x->id = id;
        x->href = url_or_root(r, id);
        x->title = xml_text(r, e[i].title);
        x->author = e[i].author.len ? xml_text(r, e[i].author) : STR_LIT("A former member");
        x->published = rfc3339(r, e[i].published);
        x->updated = rfc3339(r, e[i].updated);
        for (size_t k = 0; k < e[i].ntags; k++)
            tags[k] = xml_text(r, e[i].tags[k]);
        x->tags = tags;
        x->ntags = e[i].ntags;
        x->content = xml_text(r, e[i].html); /* empty: deleted, said by a summary */
        if (e[i].updated > updated)
            updated = e[i].updated;
    }
    vm.entries = entries;
    vm.nentries = n;
    vm.updated = rfc3339(r, updated);
    resp_text(w, FEED_TYPE);
    return view_topics_atom(&w->body, &vm);
}

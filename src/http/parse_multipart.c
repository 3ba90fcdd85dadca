/*
 * multipart/form-data (RFC 7578 over RFC 2046 §5.1). One pass over the
 * input: the search for the next delimiter starts where the last one ended,
 * and each candidate costs at most one compare of the delimiter's length, so
 * the work is linear in the input (times at most LIMIT_BOUNDARY + 3).
 */
#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/utf8.h"
#include "http/parse.h"

/* "\n--" + boundary: the delimiter, found after LF or CRLF. */
struct delim {
    char s[LIMIT_BOUNDARY + 3];
    size_t len;
};

static int fail(struct parse_err *err, const char *field, const char *msg, int rc)
{
    if (err) {
        err->field = field;
        err->msg = msg;
    }
    return rc;
}

/* RFC 2046 bchars: DIGIT / ALPHA / ' ( ) + _ , - . / : = ? and space, not last. */
static bool valid_boundary(struct str b)
{
    size_t i;

    if (b.len == 0 || b.len > LIMIT_BOUNDARY || b.ptr[b.len - 1] == ' ')
        return false;
    for (i = 0; i < b.len; i++) {
        unsigned char c = (unsigned char)b.ptr[i];

        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c && strchr("'()+_,-./:=? ", c))))
            return false;
    }
    return true;
}

/* The first delimiter at or after from: a pointer to its '\n', or NULL. */
static const char *find_delim(const char *from, const char *end, const struct delim *d)
{
    while (from < end) {
        const char *nl = memchr(from, '\n', (size_t)(end - from));

        if (!nl)
            return NULL;
        if ((size_t)(end - nl) >= d->len && memcmp(nl, d->s, d->len) == 0)
            return nl;
        from = nl + 1;
    }
    return NULL;
}

static int content_disposition(struct str v, struct arena *a, struct part *pt, bool *has_name,
                               struct parse_err *err)
{
    struct str type, name, raw;
    bool quoted, has_file = false;

    if (parse_token(&v, &type) || !str_case_eq(type, STR_LIT("form-data")))
        return fail(err, NULL, "content-disposition is not form-data", E_INVAL);
    for (;;) {
        int rc = parse_param_next(&v, &name, &raw, &quoted);

        if (rc < 0)
            return fail(err, NULL, "bad content-disposition", E_INVAL);
        if (rc == 0)
            return 0;
        if (str_case_eq(name, STR_LIT("name"))) {
            if (*has_name)
                return fail(err, NULL, "duplicate name parameter", E_INVAL);
            *has_name = true;
            pt->name = parse_param_value(a, raw, quoted);
        } else if (str_case_eq(name, STR_LIT("filename"))) {
            if (has_file)
                return fail(err, NULL, "duplicate filename parameter", E_INVAL);
            has_file = true;
            pt->is_file = true;
            pt->filename = parse_param_value(a, raw, quoted);
        }
    }
}

/*
 * The header lines of a part, from *cur up to and past the empty line that
 * ends them.
 */
static int part_headers(const char **cur, const char *end, struct arena *a, struct part *pt,
                        struct parse_err *err)
{
    bool has_cd = false, has_name = false;
    size_t nhdrs = 0;

    for (;;) {
        const char *nl = memchr(*cur, '\n', (size_t)(end - *cur));
        struct str line, hname, rest;
        long colon;

        if (!nl)
            return fail(err, NULL, "unterminated part headers", E_INVAL);
        line = str_make(*cur, (size_t)(nl - *cur));
        *cur = nl + 1;
        if (line.len && line.ptr[line.len - 1] == '\r')
            line.len--;
        if (!line.len)
            break;
        if (++nhdrs > LIMIT_MULTIPART_HDRS)
            return fail(err, NULL, "too many part headers", E_TOOBIG);
        colon = str_index(line, ':');
        if (colon < 0)
            return fail(err, NULL, "bad part header", E_INVAL);
        rest = str_make(line.ptr, (size_t)colon);
        if (parse_token(&rest, &hname) || rest.len)
            return fail(err, NULL, "bad part header", E_INVAL);
        line = str_trim(str_make(line.ptr + colon + 1, line.len - colon - 1));
        if (str_case_eq(hname, STR_LIT("content-disposition"))) {
            int rc;

            if (has_cd)
                return fail(err, NULL, "duplicate content-disposition", E_INVAL);
            has_cd = true;
            rc = content_disposition(line, a, pt, &has_name, err);
            if (rc)
                return rc;
        } else if (str_case_eq(hname, STR_LIT("content-type"))) {
            if (!utf8_valid(line.ptr, line.len))
                return fail(err, NULL, "invalid UTF-8 in content-type", E_INVAL);
            pt->content_type = str_make(str_dup(a, line), line.len);
        }
    }
    if (!has_name || !pt->name.len)
        return fail(err, NULL, "part without a name", E_INVAL);
    if (pt->name.len > LIMIT_FIELD_NAME)
        return fail(err, NULL, "field name too long", E_INVAL);
    if (!utf8_valid(pt->name.ptr, pt->name.len))
        return fail(err, NULL, "invalid UTF-8", E_INVAL);
    if (!utf8_valid(pt->filename.ptr, pt->filename.len))
        return fail(err, pt->name.ptr, "invalid UTF-8 in filename", E_INVAL);
    return 0;
}

/*
 * One part from *cur (just past its delimiter line) to the next delimiter;
 * *cur is left just past that delimiter's boundary.
 */
static int one_part(const char **cur, const char *end, const struct delim *d, struct arena *a,
                    struct part *pt, struct parse_err *err)
{
    const char *body, *hit;
    int rc;

    pt->name = STR_LIT("");
    pt->filename = STR_LIT("");
    pt->content_type = STR_LIT("");
    pt->is_file = false;
    rc = part_headers(cur, end, a, pt, err);
    if (rc)
        return rc;
    body = *cur;
    /* The empty line's LF may double as the delimiter's: an empty part without its CRLF. */
    hit = find_delim(body - 1, end, d);
    if (!hit)
        return fail(err, NULL, "missing final boundary", E_INVAL);
    if (hit < body) {
        pt->data = str_make(body, 0);
    } else {
        pt->data = str_make(body, (size_t)(hit - body));
        if (pt->data.len && body[pt->data.len - 1] == '\r')
            pt->data.len--;
    }
    if (!pt->is_file && !utf8_valid(pt->data.ptr, pt->data.len))
        return fail(err, pt->name.ptr, "invalid UTF-8", E_INVAL);
    *cur = hit + d->len;
    return 0;
}

int parse_multipart(const char *p, size_t n, struct str boundary, struct arena *a,
                    struct part **parts, size_t *nparts, struct parse_err *err)
{
    struct delim d;
    const char *cur, *end;
    struct part *v = NULL;
    size_t count = 0, cap = 0;

    *parts = NULL;
    *nparts = 0;
    fail(err, NULL, NULL, 0);
    if (!valid_boundary(boundary))
        return fail(err, NULL, "bad boundary", E_INVAL);
    memcpy(d.s, "\n--", 3);
    memcpy(d.s + 3, boundary.ptr, boundary.len);
    d.len = boundary.len + 3;
    if (n == 0)
        return fail(err, NULL, "missing boundary", E_INVAL);
    end = p + n;
    /* The first delimiter may open the body; otherwise it follows a preamble. */
    if (n >= d.len - 1 && memcmp(p, d.s + 1, d.len - 1) == 0) {
        cur = p + d.len - 1;
    } else {
        cur = find_delim(p, end, &d);
        if (!cur)
            return fail(err, NULL, "missing boundary", E_INVAL);
        cur += d.len;
    }
    for (;;) {
        int rc;

        /* cur is just past a boundary: "--" closes, else padding and a line end */
        if (end - cur >= 2 && cur[0] == '-' && cur[1] == '-')
            break;
        while (cur < end && (*cur == ' ' || *cur == '\t'))
            cur++;
        if (cur < end && *cur == '\r')
            cur++;
        if (cur == end || *cur != '\n')
            return fail(err, NULL, "bad boundary line", E_INVAL);
        cur++;
        if (count == LIMIT_MULTIPART_PARTS)
            return fail(err, NULL, "too many parts", E_TOOBIG);
        if (count == cap) {
            size_t ncap = cap ? cap * 2 : 4;

            if (ncap > LIMIT_MULTIPART_PARTS)
                ncap = LIMIT_MULTIPART_PARTS;
            v = arena_realloc(a, v, cap * sizeof(*v), ncap * sizeof(*v));
            cap = ncap;
        }
        rc = one_part(&cur, end, &d, a, &v[count], err);
        if (rc)
            return rc;
        count++;
    }
    *parts = v;
    *nparts = count;
    return 0;
}

/*
 * The view structs of the templates in tests/tmplc/good and cbad, for
 * scripts/test-tmplc.sh, which compiles their generated C against this
 * header with -fsyntax-only.
 */
#ifndef PRAXIS_TESTS_TMPLC_VIEWS_H
#define PRAXIS_TESTS_TMPLC_VIEWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/str.h"
#include "view/html.h"
#include "view/url.h"

struct badge {
    struct str label;
};

struct author {
    struct str name;
    int64_t karma;
    const struct badge *badges;
    size_t nbadges;
};

struct item {
    int64_t id;
    struct str title;
    const char *note;
    const struct str *tags;
    size_t ntags;
};

struct view_kitchen {
    struct str title;
    size_t count;
    bool flag;
    struct str name;
    const char *cstr;
    long long big;
    unsigned u;
    size_t size;
    struct author author;
    struct url link;
    struct str body_text;
    struct html body;
    const struct item *items;
    size_t nitems;
};
int view_kitchen(struct buf *b, const struct view_kitchen *v);

struct view_empty {
    int unused;
};
int view_empty(struct buf *b, const struct view_empty *v);

struct view_onlytext {
    int unused;
};
int view_onlytext(struct buf *b, const struct view_onlytext *v);

struct view_fragment {
    bool flag;
    struct str name;
};
int view_fragment(struct buf *b, const struct view_fragment *v);

struct view_long {
    struct str name;
};
int view_long(struct buf *b, const struct view_long *v);

/* A text template (.txt) compiles to text_<name>() over the same kind of struct. */
struct view_mailtext {
    struct str name;
    size_t count;
    bool flag;
    const struct item *items;
    size_t nitems;
    struct url link;
};
int text_mailtext(struct buf *b, const struct view_mailtext *v);

/* cbad: templates tmplc accepts but the C compiler must refuse. */
#define CBAD(tmpl)                \
    struct view_##tmpl {          \
        struct str name;          \
        struct html body;         \
        struct url link;          \
        bool flag;                \
        const struct item *items; \
        size_t nitems;            \
        const struct str *list;   \
        int nlist;                \
    };                            \
    int view_##tmpl(struct buf *b, const struct view_##tmpl *v);
CBAD(bool_as_text)
CBAD(each_not_array)
CBAD(html_as_text)
CBAD(signed_count)
CBAD(str_as_html)
CBAD(str_as_url)
CBAD(unknown_asset)
CBAD(unknown_field)
CBAD(unknown_field_in_loop)
CBAD(url_as_text)
#define CBAD_TEXT(tmpl)   \
    struct view_##tmpl {  \
        struct html body; \
        struct url link;  \
    };                    \
    int text_##tmpl(struct buf *b, const struct view_##tmpl *v);
CBAD_TEXT(text_html_as_text)
CBAD_TEXT(text_url_as_text)

#endif

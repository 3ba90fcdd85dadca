/*
 * multipart/form-data bodies. Input layout: the first line (up to '\n', a
 * '\r' before it dropped) names the boundary, and the rest is the body. A
 * first line that starts with "multipart/" is a Content-Type header and its
 * boundary parameter is used (parse_media_type() is fuzzed on the way);
 * any other first line is the boundary itself. Input without a newline is a
 * body with the boundary "XyZ".
 *
 * The body is copied into a buffer of its own size so that reads past
 * either end are caught. Checks: part counts within limits, names and text
 * parts valid UTF-8, part data inside the body, in order and disjoint.
 *
 * fuzz-src: src/http/parse*.c
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/utf8.h"
#include "http/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct arena arena; /* all zero is the state arena_init() gives */

static void check_text(struct str s)
{
    ASSERT(s.ptr != NULL && s.ptr[s.len] == '\0' && utf8_valid(s.ptr, s.len));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *nl = size ? memchr(p, '\n', size) : NULL;
    struct str boundary = STR_LIT("XyZ");
    const char *prev_end;
    struct part *parts;
    struct parse_err e;
    size_t nparts, i;
    char *body;
    int rc;

    if (nl) {
        struct str line = str_make(p, (size_t)(nl - p)), type;

        if (line.len && line.ptr[line.len - 1] == '\r')
            line.len--;
        boundary = line;
        if (str_starts_with(line, STR_LIT("multipart/")) &&
            parse_media_type(line, "boundary", &arena, &type, &boundary))
            boundary = STR_LIT("");
        size -= (size_t)(nl + 1 - p);
        p = nl + 1;
    }
    body = xmalloc(size);
    if (size)
        memcpy(body, p, size);
    rc = parse_multipart(body, size, boundary, &arena, &parts, &nparts, &e);
    ASSERT(rc == 0 || rc == E_INVAL || rc == E_TOOBIG);
    if (rc) {
        ASSERT(e.msg != NULL && parts == NULL && nparts == 0);
    } else {
        ASSERT(e.msg == NULL && e.field == NULL);
        ASSERT(nparts <= LIMIT_MULTIPART_PARTS && (parts != NULL || nparts == 0));
        prev_end = body;
        for (i = 0; i < nparts; i++) {
            const struct part *pt = &parts[i];

            check_text(pt->name);
            ASSERT(pt->name.len > 0 && pt->name.len <= LIMIT_FIELD_NAME);
            check_text(pt->filename);
            check_text(pt->content_type);
            ASSERT(pt->is_file || pt->filename.len == 0);
            ASSERT(pt->data.ptr >= prev_end && pt->data.ptr <= body + size);
            ASSERT(pt->data.len <= (size_t)(body + size - pt->data.ptr));
            prev_end = pt->data.ptr + pt->data.len;
            if (!pt->is_file)
                ASSERT(utf8_valid(pt->data.ptr, pt->data.len));
        }
    }
    free(body);
    arena_reset(&arena);
    return 0;
}

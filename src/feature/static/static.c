#include "feature/static/static.h"

#include <string.h>

#include "assets.h"
#include "core/alloc.h"
#include "core/embed.h"
#include "core/err.h"

/* Whether an Accept-Encoding header allows gzip (a q of 0 refuses it). */
static bool accepts_gzip(struct str h)
{
    while (h.len) {
        long comma = str_index(h, ',');
        struct str item = str_trim(str_make(h.ptr, comma < 0 ? h.len : (size_t)comma));
        long semi = str_index(item, ';');
        struct str token = str_trim(str_make(item.ptr, semi < 0 ? item.len : (size_t)semi));

        if (str_case_eq(token, STR_LIT("gzip")) || str_eq_c(token, "*")) {
            struct str params =
                semi < 0 ? STR_NULL
                         : str_trim(str_make(item.ptr + semi + 1, item.len - (size_t)semi - 1));
            bool refused = str_eq_c(params, "q=0") || str_eq_c(params, "q=0.0") ||
                           str_eq_c(params, "q=0.00") || str_eq_c(params, "q=0.000");

            return !refused;
        }
        if (comma < 0)
            break;
        h = str_make(h.ptr + comma + 1, h.len - (size_t)comma - 1);
    }
    return false;
}

static const struct embed_file *find(struct str path)
{
    for (size_t i = 0; i < assets_count; i++)
        if (str_eq_c(path, assets[i].url))
            return &assets[i];
    return NULL;
}

static int asset(struct req *r, struct resp *w)
{
    const struct embed_file *f = find(r->path);
    struct str inm;
    char *etag;
    size_t elen;

    if (!f)
        return E_NOTFOUND;
    elen = strlen(f->hash) + 3;
    etag = arena_alloc(&r->arena, elen);
    etag[0] = '"';
    memcpy(etag + 1, f->hash, elen - 3);
    etag[elen - 2] = '"';
    etag[elen - 1] = '\0';
    resp_text(w, f->content_type);
    resp_header(w, "Cache-Control", "public, max-age=31536000, immutable");
    resp_header(w, "ETag", etag);
    resp_header(w, "Vary", "Accept-Encoding");
    inm = req_header(r, "If-None-Match");
    if (inm.len && str_eq_c(inm, etag)) {
        w->status = 304;
        return 0;
    }
    if (f->gz && accepts_gzip(req_header(r, "Accept-Encoding"))) {
        resp_header(w, "Content-Encoding", "gzip");
        w->fixed = f->gz;
        w->fixed_len = f->gzlen;
    } else {
        w->fixed = f->data;
        w->fixed_len = f->len;
    }
    return 0;
}

static const struct route routes[] = {
    {HTTP_GET, "/assets/{file}", asset, NULL, 0, ROUTE_NO_BODY | ROUTE_NO_SESSION},
};

const struct feature feature_static = {
    .name = "static",
    .routes = routes,
    .nroutes = ARRAY_LEN(routes),
};

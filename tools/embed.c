/*
 * embed: turn files into a C table of struct embed_file (core/embed.h), at
 * build time.
 *
 *     embed [--gzip] [--url-prefix /assets/] --symbol NAME -o OUT.c
 *           [--header OUT.h] FILE...
 *
 * OUT.c defines `const struct embed_file NAME[]`, sorted by name (the file's
 * base name), and `const size_t NAME_count`. Each entry holds the bytes
 * (NUL-terminated; len excludes the NUL), a content type guessed from the
 * extension and a 64-bit FNV-1a hash of the bytes as 16 hex digits.
 *
 *   --gzip        also store a gzip variant (zlib level 9) when it is smaller
 *   --url-prefix  give each file a URL: prefix + stem + "." + hash + ext, so
 *                 a changed file gets a new URL and old ones can be cached
 *                 for ever ("/assets/app.0123456789abcdef.css")
 *   --header      also write a header declaring the table, with one macro
 *                 per file naming its URL: ASSET_app_css, ASSET_htmx_min_js
 *
 * With no files the table holds one zeroed entry (C has no empty arrays) and
 * the count is 0. The output depends only on the input bytes and names, so
 * builds are reproducible. Files are written under a temporary name and
 * renamed into place.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

struct file {
    const char *path;
    const char *name; /* base name */
    unsigned char *data;
    size_t len;
    unsigned char *gz; /* NULL when not smaller */
    size_t gzlen;
    char hash[17];
    char *url;
};

__attribute__((format(printf, 1, 2))) _Noreturn static void die(const char *fmt, ...)
{
    va_list ap;

    fputs("embed: ", stderr);
    va_start(ap, fmt);
    /* clang-analyzer 14 misses the va_start above */
    vfprintf(stderr, fmt, ap); /* NOLINT(clang-analyzer-valist.Uninitialized) */
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);

    if (!q)
        die("out of memory");
    return q;
}

static unsigned char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    size_t cap = 0, n = 0, got;

    if (!f)
        die("cannot read %s: %s", path, strerror(errno));
    for (;;) {
        if (cap - n < 2) {
            cap = cap ? cap * 2 : 65536;
            buf = xrealloc(buf, cap);
        }
        got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f))
        die("cannot read %s: %s", path, strerror(errno));
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

static uint64_t fnv1a64(const unsigned char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325u;
    size_t i;

    for (i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3u;
    }
    return h;
}

/* The gzip form of f's data, kept only when smaller. */
static void compress_file(struct file *f)
{
    z_stream z;
    gz_header head;
    uLong cap;
    unsigned char *out;

    memset(&z, 0, sizeof(z));
    if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        die("deflateInit2 failed for %s", f->path);
    /* A fixed header (no time, no name, OS unknown) keeps builds reproducible. */
    memset(&head, 0, sizeof(head));
    head.os = 255;
    if (deflateSetHeader(&z, &head) != Z_OK)
        die("deflateSetHeader failed for %s", f->path);
    cap = deflateBound(&z, (uLong)f->len) + 32;
    out = xrealloc(NULL, cap);
    z.next_in = f->data;
    z.avail_in = (uInt)f->len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    if (f->len > UINT32_MAX || deflate(&z, Z_FINISH) != Z_STREAM_END)
        die("cannot compress %s", f->path);
    if (z.total_out < f->len) {
        f->gz = out;
        f->gzlen = z.total_out;
    } else {
        free(out);
    }
    deflateEnd(&z);
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);

    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static const char *content_type(const char *name)
{
    static const char *const types[][2] = {
        {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".sql", "text/plain; charset=utf-8"},
        {".txt", "text/plain; charset=utf-8"},
        {".html", "text/html; charset=utf-8"},
        {".json", "application/json"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".webp", "image/webp"},
        {".woff2", "font/woff2"},
        {".ico", "image/vnd.microsoft.icon"},
    };
    size_t i;

    for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        if (has_suffix(name, types[i][0]))
            return types[i][1];
    return "application/octet-stream";
}

/* Names that go into URLs and macros: letters, digits, '.', '-', '_'. */
static bool plain_name(const char *s)
{
    if (!*s || *s == '.')
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '.' || *s == '-' || *s == '_'))
            return false;
    return true;
}

static char *make_url(const char *prefix, const char *name, const char *hash)
{
    const char *dot = strrchr(name, '.');
    size_t stem = dot ? (size_t)(dot - name) : strlen(name);
    size_t n = strlen(prefix) + strlen(name) + 18;
    char *url = xrealloc(NULL, n);

    snprintf(url, n, "%s%.*s.%s%s", prefix, (int)stem, name, hash, dot ? dot : "");
    return url;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct file *)a)->name, ((const struct file *)b)->name);
}

/* A C string literal, or NULL. Names and URLs are plain, paths printable. */
static void put_cstr(FILE *o, const char *s)
{
    if (!s) {
        fputs("NULL", o);
        return;
    }
    fputc('"', o);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(o, "\\%c", *s);
        else if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
            fprintf(o, "\\%03o", (unsigned char)*s);
        else
            fputc(*s, o);
    }
    fputc('"', o);
}

static void put_bytes(FILE *o, const char *sym, char kind, size_t i, const unsigned char *p,
                      size_t n, bool nul)
{
    size_t k, total = n + (nul ? 1 : 0);

    fprintf(o, "static const unsigned char %s_%c%zu[%zu] = {", sym, kind, i, total);
    for (k = 0; k < total; k++) {
        if (k % 16 == 0)
            fputs("\n   ", o);
        fprintf(o, " 0x%02x,", k < n ? p[k] : 0);
    }
    fputs("\n};\n\n", o);
}

static FILE *open_tmp(const char *path, char *tmp, size_t n)
{
    FILE *f;
    int k = snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());

    if (k < 0 || (size_t)k >= n)
        die("path too long: %s", path);
    f = fopen(tmp, "w");
    if (!f)
        die("cannot write %s: %s", tmp, strerror(errno));
    return f;
}

static void close_tmp(FILE *f, const char *tmp, const char *path)
{
    if (ferror(f) || fclose(f) != 0) {
        remove(tmp);
        die("cannot write %s: %s", tmp, strerror(errno));
    }
    if (rename(tmp, path) != 0) {
        remove(tmp);
        die("cannot rename to %s: %s", path, strerror(errno));
    }
}

static bool is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Would x and y give the same ASSET_ macro? */
static bool same_macro(const char *x, const char *y)
{
    for (; *x && *y; x++, y++)
        if (*x != *y && (is_alnum(*x) || is_alnum(*y)))
            return false;
    return !*x && !*y;
}

static void macro_name(FILE *o, const char *name)
{
    fputs("ASSET_", o);
    for (; *name; name++)
        fputc(is_alnum(*name) ? *name : '_', o);
}

static void upper(FILE *o, const char *s)
{
    for (; *s; s++)
        fputc(*s >= 'a' && *s <= 'z' ? *s - 'a' + 'A' : *s, o);
}

static void write_header(const char *path, const char *sym, const struct file *files, size_t n)
{
    char tmp[4096];
    FILE *o = open_tmp(path, tmp, sizeof(tmp));
    size_t i;

    fputs("/* Generated by tools/embed; do not edit. */\n", o);
    fputs("#ifndef PRAXIS_GEN_", o);
    upper(o, sym);
    fputs("_H\n#define PRAXIS_GEN_", o);
    upper(o, sym);
    fputs("_H\n\n", o);
    fputs("#include <stddef.h>\n\n#include \"core/embed.h\"\n\n", o);
    fprintf(o, "extern const struct embed_file %s[];\nextern const size_t %s_count;\n\n", sym, sym);
    for (i = 0; i < n; i++) {
        fputs("#define ", o);
        macro_name(o, files[i].name);
        fputc(' ', o);
        put_cstr(o, files[i].url);
        fputc('\n', o);
    }
    fputs("\n#endif\n", o);
    close_tmp(o, tmp, path);
}

static void write_source(const char *path, const char *sym, const struct file *files, size_t n)
{
    char tmp[4096];
    FILE *o = open_tmp(path, tmp, sizeof(tmp));
    size_t i;

    fputs("/* Generated by tools/embed; do not edit. */\n", o);
    fputs("#include <stddef.h>\n\n#include \"core/embed.h\"\n\n", o);
    fprintf(o, "extern const struct embed_file %s[];\nextern const size_t %s_count;\n\n", sym, sym);
    for (i = 0; i < n; i++) {
        put_bytes(o, sym, 'd', i, files[i].data, files[i].len, true);
        if (files[i].gz)
            put_bytes(o, sym, 'z', i, files[i].gz, files[i].gzlen, false);
    }
    if (n == 0) {
        fprintf(o, "const struct embed_file %s[1] = {\n", sym);
        fputs("    {NULL, NULL, NULL, NULL, 0, NULL, 0, NULL},\n};\n", o);
    } else {
        fprintf(o, "const struct embed_file %s[%zu] = {\n", sym, n);
    }
    for (i = 0; i < n; i++) {
        const struct file *f = &files[i];

        fputs("    {", o);
        put_cstr(o, f->name);
        fputs(", ", o);
        put_cstr(o, f->url);
        fputs(", ", o);
        put_cstr(o, content_type(f->name));
        fprintf(o, ",\n     %s_d%zu, %zu, ", sym, i, f->len);
        if (f->gz)
            fprintf(o, "%s_z%zu, %zu, ", sym, i, f->gzlen);
        else
            fputs("NULL, 0, ", o);
        put_cstr(o, f->hash);
        fputs("},\n", o);
    }
    if (n)
        fputs("};\n", o);
    fprintf(o, "const size_t %s_count = %zu;\n", sym, n);
    close_tmp(o, tmp, path);
}

static bool is_ident(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
        return false;
    for (s++; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return false;
    return true;
}

static void usage(void)
{
    fputs("usage: embed [--gzip] [--url-prefix P] --symbol NAME -o OUT.c [--header OUT.h] "
          "FILE...\n",
          stderr);
    exit(2);
}

int main(int argc, char **argv)
{
    const char *out = NULL, *header = NULL, *sym = NULL, *prefix = NULL;
    bool gzip = false;
    struct file *files;
    size_t n = 0, i;
    int a;

    files = xrealloc(NULL, (size_t)argc * sizeof(*files));
    for (a = 1; a < argc; a++) {
        const char *s = argv[a];

        if (strcmp(s, "--gzip") == 0) {
            gzip = true;
        } else if (strcmp(s, "--url-prefix") == 0 && a + 1 < argc) {
            prefix = argv[++a];
        } else if (strcmp(s, "--symbol") == 0 && a + 1 < argc) {
            sym = argv[++a];
        } else if (strcmp(s, "-o") == 0 && a + 1 < argc) {
            out = argv[++a];
        } else if (strcmp(s, "--header") == 0 && a + 1 < argc) {
            header = argv[++a];
        } else if (s[0] == '-') {
            usage();
        } else {
            const char *slash = strrchr(s, '/');

            memset(&files[n], 0, sizeof(files[n]));
            files[n].path = s;
            files[n].name = slash ? slash + 1 : s;
            n++;
        }
    }
    if (!out || !sym)
        usage();
    if (!is_ident(sym))
        die("--symbol %s is not a C identifier", sym);
    for (i = 0; prefix && prefix[i]; i++)
        if (prefix[i] == '"' || prefix[i] == '\\' || (unsigned char)prefix[i] < 0x21 ||
            (unsigned char)prefix[i] > 0x7e)
            die("unusable --url-prefix %s", prefix);

    for (i = 0; i < n; i++) {
        struct file *f = &files[i];

        if (!plain_name(f->name))
            die("%s: file names may hold only letters, digits, '.', '-' and '_'", f->path);
        f->data = read_all(f->path, &f->len);
        snprintf(f->hash, sizeof(f->hash), "%016llx", (unsigned long long)fnv1a64(f->data, f->len));
        if (gzip)
            compress_file(f);
        if (prefix)
            f->url = make_url(prefix, f->name, f->hash);
    }
    qsort(files, n, sizeof(*files), by_name);
    for (i = 0; i < n; i++) {
        size_t j;

        if (i && strcmp(files[i - 1].name, files[i].name) == 0)
            die("two files named %s", files[i].name);
        for (j = 0; header && j < i; j++)
            if (same_macro(files[i].name, files[j].name))
                die("%s and %s give the same macro name", files[j].name, files[i].name);
    }

    write_source(out, sym, files, n);
    if (header)
        write_header(header, sym, files, n);
    for (i = 0; i < n; i++) {
        free(files[i].data);
        free(files[i].gz);
        free(files[i].url);
    }
    free(files);
    return 0;
}

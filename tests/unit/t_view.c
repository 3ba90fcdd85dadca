/*
 * The view layer: the HTML escaper, url_build(), the template runtime and
 * the compiled layout, home and error templates.
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "assets.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/embed.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/str.h"
#include "feature/home/views.h"
#include "tap.h"
#include "view/html.h"
#include "view/tmpl.h"
#include "view/url.h"
#include "view/views.h"

static struct arena arena;

static bool contains(const struct buf *b, const char *s)
{
    return strstr(b->ptr, s) != NULL;
}

static void test_escape(void)
{
    struct buf b;
    struct html h;
    static const char bin[] = {'a', '\0', '<', '\xff', 'b'};
    char big[10000];
    size_t i, amps = 0;

    buf_init(&b, &arena, 1 << 20);
    is_int(html_escape_append(&b, "a&b<c>d\"e'f", 11), 0, "escape: returns 0");
    is_str(b.ptr, "a&amp;b&lt;c&gt;d&quot;e&#39;f", "escape: the five characters");

    buf_reset(&b);
    html_escape_append(&b, "plain text, no change: /?=;:#%", 31);
    is_str(b.ptr, "plain text, no change: /?=;:#%", "escape: safe bytes pass through");

    buf_reset(&b);
    html_escape_append(&b, "", 0);
    is_int(b.len, 0, "escape: empty input appends nothing");

    buf_reset(&b);
    html_escape_append(&b, "<<>>", 4);
    is_str(b.ptr, "&lt;&lt;&gt;&gt;", "escape: runs of specials");

    buf_reset(&b);
    html_escape_append(&b, bin, sizeof(bin));
    is_int(b.len, 8, "escape: NUL and high bytes are kept, length-driven");
    ok(memcmp(b.ptr,
              "a\0&lt;\xff"
              "b",
              8) == 0,
       "escape: binary content");

    for (i = 0; i < sizeof(big); i++) {
        big[i] = i % 97 == 0 ? '&' : 'x';
        amps += big[i] == '&';
    }
    buf_reset(&b);
    html_escape_append(&b, big, sizeof(big));
    is_int(b.len, sizeof(big) + 4 * amps, "escape: long input, every & expanded");

    /* Every byte at every place of a word and the tail after it, against html_escape(). */
    {
        bool same = true;

        for (int c = 0; c < 256 && same; c++) {
            for (int k = 0; k < 19 && same; k++) {
                char s[19];

                memset(s, 'y', sizeof(s));
                s[k] = (char)c;
                buf_reset(&b);
                html_escape_append(&b, s, sizeof(s));
                h = html_escape(&arena, str_make(s, sizeof(s)));
                same = b.len == h.len && memcmp(b.ptr, h.ptr, h.len) == 0;
                if (!same)
                    printf("#   byte 0x%02x at %d\n", c, k);
            }
        }
        ok(same, "escape: each byte at each place of a word, as html_escape() has it");
    }

    buf_init(&b, &arena, 10);
    is_int(html_escape_append(&b, "<<<", 3), E_TOOBIG, "escape: past the limit is E_TOOBIG");
    ok(b.toobig, "escape: the sticky flag is set");
    ok(b.len <= 10, "escape: the limit holds");

    h = html_escape(&arena, STR_LIT("<a href='x'>&</a>"));
    is_str(h.ptr, "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;", "html_escape: into the arena");
    is_int(h.len, strlen(h.ptr), "html_escape: len matches, NUL-terminated");
    h = html_escape(&arena, STR_NULL);
    is_int(h.len, 0, "html_escape: empty view");
    ok(h.ptr && h.ptr[0] == '\0', "html_escape: empty result is a valid string");

    h = HTML_LIT("<b>x</b>");
    is_int(h.len, 8, "HTML_LIT: length without the NUL");
}

static void url_ok(const char *raw, const char *want)
{
    struct url u = {NULL, 0};
    int rc = url_build(&arena, str_c(raw), &u);

    if (!ok(rc == 0 && u.ptr && strcmp(u.ptr, want) == 0 && u.len == strlen(want), raw))
        printf("#   rc %d, got \"%s\", want \"%s\"\n", rc, u.ptr ? u.ptr : "(null)", want);
}

static void url_bad(const char *raw, size_t n, const char *what)
{
    struct url u = {NULL, 0};

    is_int(url_build(&arena, str_make(raw, n), &u), E_INVAL, what);
    ok(u.ptr == NULL, "url_build: out is untouched on failure");
}

#define URL_BAD(s, what) url_bad((s), sizeof(s) - 1, (what))

/* Every byte after "/x": kept exactly when it is in the documented set, else %XX. */
static void test_url_bytes(void)
{
    static const char kept[] = "-._~:/?#[]@!$&()*+,;=";
    bool all = true;

    for (int c = 0x20; c < 256; c++) {
        char raw[3] = {'/', (char)c, 'x'}, want[8];
        struct url u = {NULL, 0};
        bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    (c < 128 && strchr(kept, c));

        if (c == 0x7f || c == '%' || c == '/')
            continue; /* refused, an escape of its own, "//": tested elsewhere here */
        if (keep)
            snprintf(want, sizeof(want), "/%cx", c);
        else
            snprintf(want, sizeof(want), "/%%%02Xx", c);
        if (url_build(&arena, str_make(raw, 3), &u) || strcmp(u.ptr, want) != 0) {
            printf("#   byte 0x%02x: got \"%s\", want \"%s\"\n", c, u.ptr ? u.ptr : "", want);
            all = false;
        }
    }
    ok(all, "url_build: each byte kept or escaped as the set says");
}

static void test_url(void)
{
    struct buf b;
    struct url u;
    char *longurl;

    url_ok("https://example.org/a/b?c=d&e=f#g", "https://example.org/a/b?c=d&e=f#g");
    url_ok("HTTP://Example.org", "http://Example.org");
    url_ok("HtTpS://x.org/", "https://x.org/");
    url_ok("/", "/");
    url_ok("/c/teachers/topics/12", "/c/teachers/topics/12");
    url_ok("relative/path", "relative/path");
    url_ok("./a:b", "./a:b");
    url_ok("/javascript:alert(1)", "/javascript:alert(1)"); /* a path: no scheme after "/" */
    url_ok("?q=1", "?q=1");
    url_ok("#section", "#section");
    url_ok("  /trimmed  ", "/trimmed");
    url_ok("/a b", "/a%20b");
    url_ok("/caf\xc3\xa9", "/caf%C3%A9");
    url_ok("/q?x=\"'<>`", "/q?x=%22%27%3C%3E%60");
    url_ok("/a\\b", "/a%5Cb");
    url_ok("/\\evil.example", "/%5Cevil.example");
    url_ok("/{|}^", "/%7B%7C%7D%5E");
    url_ok("/already%20encoded%2F", "/already%20encoded%2F");
    url_ok("/50%", "/50%25");
    url_ok("/bad%zzescape", "/bad%25zzescape");
    url_ok("/short%4", "/short%254");
    url_ok("/a/b;c,d!e$f*g(h)i+j=k@l~m", "/a/b;c,d!e$f*g(h)i+j=k@l~m");
    /* Entity tricks stay inert: no ':' comes before the '#', and & gets escaped later. */
    url_ok("&#106;avascript:alert(1)", "&#106;avascript:alert(1)");
    url_ok("javascript&#58;alert(1)", "javascript&#58;alert(1)");

    URL_BAD("javascript:alert(1)", "url_build: javascript: rejected");
    URL_BAD("JaVaScRiPt:alert(1)", "url_build: any case of javascript: rejected");
    URL_BAD("  javascript:alert(1)", "url_build: behind leading spaces");
    URL_BAD("\x01javascript:alert(1)", "url_build: behind a control character");
    URL_BAD("java\tscript:alert(1)", "url_build: tab inside the scheme");
    URL_BAD("java\nscript:alert(1)", "url_build: newline inside the scheme");
    URL_BAD("\x00javascript:alert(1)", "url_build: behind a NUL");
    URL_BAD("data:text/html;base64,PHNjcmlwdD4=", "url_build: data: rejected");
    URL_BAD("vbscript:msgbox(1)", "url_build: vbscript: rejected");
    URL_BAD("mailto:someone@example.org", "url_build: other schemes rejected");
    URL_BAD("file:///etc/passwd", "url_build: file: rejected");
    URL_BAD("a:b", "url_build: a colon in the first segment is a scheme");
    URL_BAD("//evil.example/x", "url_build: protocol-relative rejected");
    URL_BAD("http:evil.example", "url_build: http without //");
    URL_BAD("https:/x", "url_build: https with one slash");
    URL_BAD("https://", "url_build: https without a host");
    URL_BAD("https:///x", "url_build: https with an empty host");
    URL_BAD("http:\\\\evil.example", "url_build: backslashes for slashes");
    URL_BAD("https://ok.example/\x7f", "url_build: DEL rejected");
    URL_BAD("/a\r\nb", "url_build: CR LF rejected");
    URL_BAD("", "url_build: empty rejected");
    URL_BAD("    ", "url_build: blank rejected");

    longurl = arena_alloc(&arena, LIMIT_URL + 2);
    memset(longurl, 'a', LIMIT_URL + 1);
    longurl[0] = '/';
    is_int(url_build(&arena, str_make(longurl, LIMIT_URL), &u), 0, "url_build: LIMIT_URL ok");
    is_int(url_build(&arena, str_make(longurl, LIMIT_URL + 1), &u), E_INVAL,
           "url_build: longer than LIMIT_URL rejected");

    /* {{url x}} escapes for the attribute on top of the encoding. */
    buf_init(&b, &arena, 1024);
    url_build(&arena, STR_LIT("/search?q=a&b=c"), &u);
    tmpl_url(&b, u);
    is_str(b.ptr, "/search?q=a&amp;b=c", "tmpl_url: & escaped in the attribute");
    buf_reset(&b);
    url_build(&arena, STR_LIT("&#106;avascript:alert(1)"), &u);
    tmpl_url(&b, u);
    is_str(b.ptr, "&amp;#106;avascript:alert(1)", "tmpl_url: entity trick stays text");
    u = URL_LIT("/assets/x.css");
    is_int(u.len, 13, "URL_LIT: length without the NUL");
}

static void test_runtime(void)
{
    struct buf b;
    struct str s = STR_LIT("<i>");
    const char *cs = "a&b", *nul = NULL;
    char arr[8] = "x<y";
    int i = -42;
    long long ll = 9000000000LL;
    unsigned u = 7;
    size_t z = 0;
    int64_t i64 = INT64_MIN;

    buf_init(&b, &arena, 4096);
    tmpl_text(&b, s);
    tmpl_text(&b, cs);
    tmpl_text(&b, nul);
    tmpl_text(&b, arr);
    tmpl_lit(&b, "|");
    tmpl_text(&b, i);
    tmpl_lit(&b, "|");
    tmpl_text(&b, ll);
    tmpl_lit(&b, "|");
    tmpl_text(&b, u);
    tmpl_lit(&b, "|");
    tmpl_text(&b, z);
    tmpl_lit(&b, "|");
    tmpl_text(&b, i64);
    is_str(b.ptr, "&lt;i&gt;a&amp;bx&lt;y|-42|9000000000|7|0|-9223372036854775808",
           "tmpl_text: str, C strings (NULL prints nothing), arrays, integers");
    is_int(tmpl_done(&b), 0, "tmpl_done: 0 when it fit");

    ok(tmpl_truthy(true) && !tmpl_truthy(false), "truthy: bool");
    ok(tmpl_truthy(i) && !tmpl_truthy(0), "truthy: int");
    ok(tmpl_truthy(u) && !tmpl_truthy(z), "truthy: unsigned and size_t");
    ok(tmpl_truthy(i64) && tmpl_truthy(ll), "truthy: 64-bit");
    ok(tmpl_truthy(cs) && !tmpl_truthy(nul) && !tmpl_truthy(""), "truthy: C strings");
    ok(tmpl_truthy(s) && !tmpl_truthy(STR_NULL), "truthy: struct str");
    ok(tmpl_truthy(HTML_LIT("x")) && !tmpl_truthy(HTML_EMPTY), "truthy: struct html");
    ok(tmpl_truthy(URL_LIT("/")) && !tmpl_truthy(((struct url){"", 0})), "truthy: struct url");
}

static void test_layout(void)
{
    struct buf b;
    struct view_layout v = {
        .title = STR_LIT("Tom & Jerry's <script>alert(1)</script>"),
        .instance_name = STR_LIT("Nurses \"United\""),
        .description = STR_LIT("A place for \"nurses\" & <friends>"),
        .content = HTML_LIT("<p class=\"body\">Body</p>"),
        .head_extra = HTML_LIT("<link rel=\"alternate\" href=\"/feed.atom\">"),
        .request_id = STR_LIT("req-<1>"),
    };

    buf_init(&b, &arena, (size_t)LIMIT_PAGE);
    is_int(view_layout(&b, &v), 0, "layout: renders");
    ok(strncmp(b.ptr, "<!doctype html>\n<html lang=\"en\">", 32) == 0, "layout: doctype first");
    ok(contains(&b, "<title>Tom &amp; Jerry&#39;s &lt;script&gt;alert(1)&lt;/script&gt; \xc2\xb7 "
                    "Nurses &quot;United&quot;</title>"),
       "layout: title escaped, instance name appended");
    ok(!contains(&b, "<script>alert"), "layout: no live script from the title");
    ok(contains(&b, "<meta name=\"description\" content=\"A place for &quot;nurses&quot; &amp; "
                    "&lt;friends&gt;\">"),
       "layout: description escaped in the attribute");
    ok(contains(&b, "<meta name=\"request-id\" content=\"req-&lt;1&gt;\">"), "layout: request id");
    ok(contains(&b, "<link rel=\"stylesheet\" href=\"" ASSET_app_css "\">"), "layout: stylesheet");
    ok(contains(&b, "<script src=\"" ASSET_htmx_min_js "\" defer></script>"), "layout: htmx");
    ok(contains(&b, "href=\"" ASSET_favicon_svg "\""), "layout: favicon");
    ok(contains(&b, "<link rel=\"alternate\" href=\"/feed.atom\">\n</head>"),
       "layout: head_extra raw, in head");
    ok(contains(&b,
                "<main id=\"main\" class=\"wrap\" tabindex=\"-1\">\n<p class=\"body\">Body</p>"),
       "layout: content raw, in main");
    ok(contains(&b, "<a class=\"skip-link\" href=\"#main\">"), "layout: skip link");
    ok(contains(&b, "<a class=\"brand\" href=\"/\">"), "layout: brand links home");
    ok(contains(&b, "Powered by Praxis"), "layout: footer");
    ok(!contains(&b, "<style") && !contains(&b, " style=") && !contains(&b, "<script>"),
       "layout: no inline style or script");
    ok(!contains(&b, "\n\n"), "layout: block lines leave no blank lines");
    ok(b.ptr[b.len - 1] == '\n' && contains(&b, "</body>\n</html>\n"), "layout: ends cleanly");

    v.title = STR_NULL;
    v.description = STR_NULL;
    v.request_id = STR_NULL;
    v.head_extra = HTML_EMPTY;
    buf_reset(&b);
    is_int(view_layout(&b, &v), 0, "layout: renders without the optional parts");
    ok(contains(&b, "<title>Nurses &quot;United&quot;</title>"),
       "layout: empty title gives the instance name alone");
    ok(!contains(&b, "name=\"description\"") && !contains(&b, "name=\"request-id\""),
       "layout: empty description and request id leave no meta");
    ok(!contains(&b, "\n\n"), "layout: still no blank lines");

    v.instance_name = STR_NULL;
    v.title = STR_LIT("Only");
    buf_reset(&b);
    view_layout(&b, &v);
    ok(contains(&b, "<title>Only</title>"), "layout: no separator without an instance name");

    buf_init(&b, &arena, 100);
    is_int(view_layout(&b, &v), E_TOOBIG, "layout: E_TOOBIG when the buffer is too small");
}

/* The person's communities with their groups, and public ones to discover. */
static void test_home_spaces(void)
{
    struct buf b;
    const struct view_home_group groups[] = {
        {STR_LIT("Year <7>"), URL_LIT("/spaces/year-7"), STR_LIT("facilitator")},
    };
    const struct view_home_space mine[] = {{
        .name = STR_LIT("Maths & Co"),
        .purpose = STR_LIT("Teaching <maths> well."),
        .href = URL_LIT("/spaces/maths"),
        .role = STR_LIT("owner"),
        .members = STR_LIT("12 members"),
        .groups = groups,
        .ngroups = 1,
    }};
    const struct view_home_space discover[] = {{
        .name = STR_LIT("Nurses"),
        .purpose = STR_LIT("Care."),
        .href = URL_LIT("/spaces/nurses"),
        .members = STR_LIT("1 member"),
    }};
    struct view_home v = {
        .instance_name = STR_LIT("Praxis"),
        .signed_in = true,
        .mine = mine,
        .nmine = 1,
        .discover = discover,
        .ndiscover = 1,
        .can_create = true,
    };

    buf_init(&b, &arena, (size_t)LIMIT_PAGE);
    is_int(view_home(&b, &v), 0, "home spaces: renders");
    ok(contains(&b, ">Your communities</h2>"), "home spaces: the person's communities");
    ok(contains(&b, "<a href=\"/spaces/maths\">Maths &amp; Co</a>"),
       "home spaces: name escaped, linked");
    ok(contains(&b, "Teaching &lt;maths&gt; well."), "home spaces: purpose escaped");
    ok(contains(&b, "<a href=\"/spaces/year-7\">Year &lt;7&gt;</a> <span class=\"role-badge\">"
                    "facilitator</span>"),
       "home spaces: a group under its community, with the role");
    ok(contains(&b, ">Communities to discover</h2>"), "home spaces: communities to discover");
    ok(contains(&b, "1 member"), "home spaces: a member count");
    ok(contains(&b, "href=\"/spaces/new\">Create a community"), "home spaces: create link");
    ok(!contains(&b, "No communities yet"), "home spaces: no empty state");
    ok(!contains(&b, "community of practice"), "home spaces: no introduction for a member");

    v.can_create = false;
    v.nmine = 0;
    buf_reset(&b);
    view_home(&b, &v);
    ok(!contains(&b, "/spaces/new"), "home spaces: no create link for who may not");
    ok(contains(&b, "You are not in a community yet"), "home spaces: a hint for a newcomer");

    v.signed_in = false;
    buf_reset(&b);
    view_home(&b, &v);
    ok(!contains(&b, "Your communities"), "home spaces: nothing of one's own when signed out");
    ok(contains(&b, "Nurses"), "home spaces: public communities for the anonymous");
}

static void test_home(void)
{
    struct buf b, page;
    struct view_home v = {
        .instance_name = STR_LIT("Teachers & Co"),
        .tagline = STR_LIT("Where <teachers> learn together."),
        .signed_in = false,
    };
    struct view_layout lv = {.instance_name = STR_LIT("Teachers & Co")};

    buf_init(&b, &arena, (size_t)LIMIT_PAGE);
    is_int(view_home(&b, &v), 0, "home: renders");
    ok(contains(&b, "<h1>Teachers &amp; Co</h1>"), "home: instance name as h1");
    ok(contains(&b, "<p class=\"tagline\">Where &lt;teachers&gt; learn together.</p>"),
       "home: tagline escaped");
    ok(contains(&b, "community of practice"), "home: says what Praxis is for");
    ok(contains(&b, "No communities yet"), "home: empty state");
    ok(contains(&b, "<a href=\"/signup\">Sign up</a>"),
       "home: invites an anonymous visitor to sign up");
    v.signed_in = true;
    buf_reset(&b);
    view_home(&b, &v);
    ok(!contains(&b, "/signup"), "home: no sign-up link for a signed-in person");
    v.signed_in = false;
    buf_reset(&b);
    view_home(&b, &v);
    ok(!contains(&b, "\n\n"), "home: no blank lines");

    v.tagline = STR_NULL;
    buf_reset(&b);
    view_home(&b, &v);
    ok(!contains(&b, "tagline"), "home: no tagline paragraph when empty");

    test_home_spaces();

    /* A rendered template is safe HTML for the layout's content. */
    buf_init(&page, &arena, (size_t)LIMIT_PAGE);
    lv.content = html_from_buf(&b);
    is_int(view_layout(&page, &lv), 0, "home in layout: renders");
    ok(contains(&page,
                "<main id=\"main\" class=\"wrap\" tabindex=\"-1\">\n<section class=\"hero\">"),
       "home in layout: body inside main");
    ok(contains(&page, "<title>Teachers &amp; Co</title>"), "home in layout: title");
}

static void test_error(void)
{
    struct buf b;
    const struct view_error_field fields[] = {
        {STR_LIT("title"), STR_LIT("must not be empty")},
        {STR_LIT("<name>"), STR_LIT("is \"too\" long")},
    };
    struct view_error v = {
        .status = 422,
        .title = STR_LIT("Please check the form"),
        .message = STR_LIT("Two fields need a second look."),
        .fields = fields,
        .nfields = 2,
        .request_id = STR_LIT("0123abcd"),
    };

    buf_init(&b, &arena, (size_t)LIMIT_PAGE);
    is_int(view_error(&b, &v), 0, "error: renders");
    ok(contains(&b, "Error 422"), "error: status");
    ok(contains(&b, "<h1 id=\"error-title\">Please check the form</h1>"), "error: title");
    ok(contains(&b, "Two fields need a second look."), "error: message");
    ok(contains(&b, "<ul class=\"error-fields\">\n"
                    "    <li><strong>title</strong>: must not be empty</li>\n"
                    "    <li><strong>&lt;name&gt;</strong>: is &quot;too&quot; long</li>\n"
                    "  </ul>"),
       "error: fields listed in order, escaped");
    ok(contains(&b, "<a class=\"button\" href=\"/\">"), "error: a link home");
    ok(contains(&b, "<code>0123abcd</code>"), "error: request id in small print");
    ok(!contains(&b, "\n\n"), "error: no blank lines");

    v.nfields = 0;
    v.request_id = STR_NULL;
    v.status = 404;
    buf_reset(&b);
    view_error(&b, &v);
    ok(!contains(&b, "<ul"), "error: no list without fields");
    ok(!contains(&b, "small-print"), "error: no small print without a request id");
    ok(contains(&b, "Error 404"), "error: 404");
}

static void test_assets(void)
{
    size_t i, k;
    bool sorted = true, hashes = true, urls = true, nul = true;

    is_int(assets_count, 4, "assets: four files");
    for (i = 0; i < assets_count; i++) {
        const struct embed_file *f = &assets[i];

        if (i && strcmp(assets[i - 1].name, f->name) >= 0)
            sorted = false;
        if (strlen(f->hash) != 16)
            hashes = false;
        for (k = 0; k < 16 && f->hash[k]; k++)
            if (!((f->hash[k] >= '0' && f->hash[k] <= '9') ||
                  (f->hash[k] >= 'a' && f->hash[k] <= 'f')))
                hashes = false;
        if (!f->url || strncmp(f->url, "/assets/", 8) != 0 || !strstr(f->url, f->hash))
            urls = false;
        if (f->data[f->len] != '\0')
            nul = false;
        ok(!f->gz || f->gzlen < f->len, f->name);
    }
    ok(sorted, "assets: sorted by name");
    ok(hashes, "assets: hashes are 16 lower-case hex digits");
    ok(urls, "assets: URLs carry the prefix and the hash");
    ok(nul, "assets: data NUL-terminated");
    is_str(assets[0].name, "app.css", "assets: app.css first");
    is_str(assets[0].url, ASSET_app_css, "assets: ASSET_app_css names its URL");
    is_str(assets[0].content_type, "text/css; charset=utf-8", "assets: css type");
    is_str(assets[2].content_type, "text/javascript; charset=utf-8", "assets: js type");
    is_str(assets[3].name, "live.js", "assets: live.js last");
    is_str(assets[3].content_type, "text/javascript; charset=utf-8", "assets: live.js is js");
    is_str(assets[1].content_type, "image/svg+xml", "assets: svg type");
    ok(strncmp(ASSET_htmx_min_js, "/assets/htmx.min.", 17) == 0 &&
           str_ends_with(str_c(ASSET_htmx_min_js), STR_LIT(".js")),
       "assets: htmx.min.js keeps its stem and extension");
}

int main(void)
{
    arena_init(&arena);
    test_escape();
    test_url();
    test_url_bytes();
    test_runtime();
    test_layout();
    test_home();
    test_error();
    test_assets();
    arena_release(&arena);
    return tap_done();
}

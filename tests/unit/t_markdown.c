/*
 * The Markdown renderer: what each construct renders to, that raw HTML and
 * unsafe URLs never come through, the allowlist check on its own (cmark
 * never gives it bad HTML, so it is fed some here), the cost bounds, the
 * limits, and rendering from several threads at once.
 *
 * markdown.c is included to reach its statics; the archive's copy is then
 * never linked.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/str.h"
#include "tap.h"
#include "view/html.h"
#include "view/markdown.c" /* NOLINT(bugprone-suspicious-include) */
#include "view/markdown.h"

#define MAX_SRC ((size_t)64 * 1024)

static struct arena arena;

/* The rendering of s, or "rc N" when it fails; valid until the next reset. */
static const char *md(const char *s)
{
    struct html h = {NULL, 0};
    int rc = markdown_render(&arena, str_c(s), MAX_SRC, &h);
    char *msg;

    if (rc) {
        msg = arena_alloc(&arena, 16);
        snprintf(msg, 16, "rc %d", rc);
        return msg;
    }
    if (h.ptr[h.len] != '\0' || strlen(h.ptr) != h.len)
        return "not NUL-terminated at len";
    return h.ptr;
}

static bool has(const char *hay, const char *needle)
{
    return strstr(hay, needle) != NULL;
}

/* A source of n bytes: unit repeated, in the arena. */
static struct str repeat(const char *unit, size_t n)
{
    size_t len = strlen(unit), i;
    char *p = arena_alloc(&arena, n + 1);

    for (i = 0; i < n; i++)
        p[i] = unit[i % len];
    p[n] = '\0';
    return str_make(p, n);
}

static void test_blocks(void)
{
    is_str(md(""), "", "empty source: empty html");
    is_str(md("# Title\n"), "<h1>Title</h1>\n", "atx heading");
    is_str(md("### Three ###\n"), "<h3>Three</h3>\n", "h3, closing hashes dropped");
    is_str(md("Sub\n---\n"), "<h2>Sub</h2>\n", "setext heading");
    is_str(md("one\ntwo\n\nthree\n"), "<p>one\ntwo</p>\n<p>three</p>\n",
           "paragraphs, soft break kept soft");
    is_str(md("a  \nb\n"), "<p>a<br />\nb</p>\n", "hard break");
    is_str(md("> quoted\n"), "<blockquote>\n<p>quoted</p>\n</blockquote>\n", "block quote");
    is_str(md("- a\n- b\n"), "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n", "bullet list");
    is_str(md("3. a\n4. b\n"), "<ol start=\"3\">\n<li>a</li>\n<li>b</li>\n</ol>\n",
           "ordered list keeps its start");
    is_str(md("***\n"), "<hr />\n", "thematic break");
}

static void test_inline(void)
{
    is_str(md("*a* _b_ **c** __d__\n"),
           "<p><em>a</em> <em>b</em> <strong>c</strong> <strong>d</strong></p>\n",
           "emphasis and strong");
    is_str(md("*a **b** c*\n"), "<p><em>a <strong>b</strong> c</em></p>\n", "nested emphasis");
    is_str(md("***both***\n"), "<p><em><strong>both</strong></em></p>\n", "triple emphasis");
    is_str(md("`<b>&\"x\"`\n"), "<p><code>&lt;b&gt;&amp;&quot;x&quot;</code></p>\n",
           "code span escapes < & \"");
    is_str(md("```\n<script>alert(1)</script>\n```\n"),
           "<pre><code>&lt;script&gt;alert(1)&lt;/script&gt;\n</code></pre>\n",
           "fenced code escapes a script");
    is_str(md("```c\"><x\nint a;\n```\n"),
           "<pre><code class=\"language-c&quot;&gt;&lt;x\">int a;\n</code></pre>\n",
           "info string escaped in the class");
    is_str(md("    <i>indented</i>\n"), "<pre><code>&lt;i&gt;indented&lt;/i&gt;\n</code></pre>\n",
           "indented code escapes");
    is_str(md("a < b & c > d \"e\"\n"), "<p>a &lt; b &amp; c &gt; d &quot;e&quot;</p>\n",
           "text escaped");
    is_str(md("&lt;script&gt; &amp; &#60;\n"), "<p>&lt;script&gt; &amp; &lt;</p>\n",
           "entities in the source stay text");
    is_str(md("\\<b\\>\n"), "<p>&lt;b&gt;</p>\n", "backslash escapes stay text");
    is_str(md("~~gone~~ and ~one~\n"), "<p><del>gone</del> and <del>one</del></p>\n",
           "strikethrough");
}

static void test_gfm(void)
{
    is_str(md("| a | b |\n|:--|--:|\n| 1 | 2 |\n"),
           "<table>\n<thead>\n<tr>\n<th align=\"left\">a</th>\n<th align=\"right\">b</th>\n"
           "</tr>\n</thead>\n<tbody>\n<tr>\n<td align=\"left\">1</td>\n"
           "<td align=\"right\">2</td>\n</tr>\n</tbody>\n</table>\n",
           "table with alignment");
    is_str(md("| a | b |\n|---|---|\n| <i>x</i> | `|` |\n"),
           "<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n"
           "<td>x</td>\n<td>`</td>\n</tr>\n</tbody>\n</table>\n",
           "html in a cell dropped too, '|' ends a cell even in a code span");
    is_str(md("- [ ] todo\n- [x] done\n"),
           "<ul>\n<li><input type=\"checkbox\" disabled=\"\" /> todo</li>\n"
           "<li><input type=\"checkbox\" checked=\"\" disabled=\"\" /> done</li>\n</ul>\n",
           "task list");
    is_str(md("see www.example.org.\n"),
           "<p>see <a rel=\"nofollow ugc noopener\" "
           "href=\"http://www.example.org\">www.example.org</a>.</p>\n",
           "www autolink, trailing dot left out");
    is_str(md("at https://example.org/a?b=1&c=2 now\n"),
           "<p>at <a rel=\"nofollow ugc noopener\" "
           "href=\"https://example.org/a?b=1&amp;c=2\">https://example.org/a?b=1&amp;c=2</a> "
           "now</p>\n",
           "https autolink");
    is_str(md("mail me@example.org\n"),
           "<p>mail <a rel=\"nofollow ugc noopener\" "
           "href=\"mailto:me@example.org\">me@example.org</a></p>\n",
           "email autolink");
    is_str(md("<https://example.org>\n"),
           "<p><a rel=\"nofollow ugc noopener\" "
           "href=\"https://example.org\">https://example.org</a></p>\n",
           "angle autolink");
    is_str(md("a[^1]\n"), "<p>a[^1]</p>\n", "footnotes off");
    is_str(md("\"smart\" -- quotes\n"), "<p>&quot;smart&quot; -- quotes</p>\n", "smart off");
}

static void test_raw_html(void)
{
    is_str(md("<script>alert(1)</script>\n"), "", "script block dropped");
    is_str(md("a <script>alert(1)</script> b\n"), "<p>a alert(1) b</p>\n",
           "inline script tags dropped, text stays text");
    is_str(md("a <img src=x onerror=alert(1)> b\n"), "<p>a  b</p>\n", "img onerror dropped");
    is_str(md("<a href=\"javascript:alert(1)\">x</a>\n"), "<p>x</p>\n",
           "raw javascript link dropped");
    is_str(md("<div onclick=\"alert(1)\">\nhi\n</div>\n"), "", "html block dropped");
    is_str(md("<iframe src=\"https://evil\"></iframe>\n"), "", "iframe dropped");
    is_str(md("x <!-- c --> <?php x ?> <![CDATA[y]]>\n"), "<p>x   </p>\n",
           "comment, processing instruction and cdata dropped");
    is_str(md("<style>p{}</style><form action=x>\n"), "", "style and form dropped");
    ok(!has(md("<svg><script>alert(1)</script></svg>\n"), "<s"), "svg script dropped");
}

static void test_links(void)
{
    static const char *const bad[] = {
        "[x](javascript:alert(1))",
        "[x](JAVASCRIPT:alert(1))",
        "[x](JavaScript:alert(1))",
        "[x](jav&#x61;script:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](&#x6A;&#x61;vascript:alert(1))",
        "[x](javascript&colon;alert(1))",
        "[x](java\\script:alert(1))",
        "[x](<java\tscript:alert(1)>)",
        "[x](<javascript :alert(1)>)",
        "[x](java&#9;script:alert(1))",
        "[x](java&#10;script:alert(1))",
        "[x](&#1;javascript:alert(1))",
        "[x]( javascript:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](DATA:text/html,x)",
        "[x](vbscript:msgbox(1))",
        "[x](file:///etc/passwd)",
        "[x](ftp://example.org/)",
        "[x](httpx://example.org/)",
        "[x](h:ttps://x)",
        "[x][r]\n\n[r]: javascript:alert(1)",
    };
    size_t i;

    for (i = 0; i < ARRAY_LEN(bad); i++) {
        const char *h = md(bad[i]);

        ok(!has(h, "<a") && has(h, "<p>x</p>"), bad[i]);
    }
    is_str(md("[x](https:x)\n"), "<p><a rel=\"nofollow ugc noopener\" href=\"https:x\">x</a></p>\n",
           "https: with no slashes is still https");
    is_str(md("[a *b*](javascript:x \"t\")\n"), "<p>a <em>b</em></p>\n",
           "an unsafe link keeps its formatted text");
    is_str(md("![cat *pic*](data:image/png;base64,AAAA)\n"), "<p>cat <em>pic</em></p>\n",
           "data: image becomes its alt text");
    is_str(md("![x](javascript:alert(1))\n"), "<p>x</p>\n", "javascript: image");
    is_str(md("![x](mailto:a@b.c)\n"), "<p>x</p>\n", "mailto: is no image");
    is_str(md("[![i](/i.png)](javascript:x)\n"), "<p><img src=\"/i.png\" alt=\"i\" /></p>\n",
           "image kept, its unsafe link removed");
    is_str(md("[![i](vbscript:x)](/ok)\n"),
           "<p><a rel=\"nofollow ugc noopener\" href=\"/ok\">i</a></p>\n",
           "link kept, its unsafe image removed");
    is_str(md("[a](https://example.org/x \"T\")\n"),
           "<p><a rel=\"nofollow ugc noopener\" href=\"https://example.org/x\" "
           "title=\"T\">a</a></p>\n",
           "https link with title");
    is_str(md("[a](HTTP://EXAMPLE.ORG)\n"),
           "<p><a rel=\"nofollow ugc noopener\" href=\"HTTP://EXAMPLE.ORG\">a</a></p>\n",
           "scheme in upper case");
    is_str(md("[a](mailto:me@example.org)\n"),
           "<p><a rel=\"nofollow ugc noopener\" href=\"mailto:me@example.org\">a</a></p>\n",
           "mailto link");
    is_str(md("[a](/p/q:r?s=t#u) [b](page) [c](#f) [d](?q) [e](//host/x) [f](<>)\n"),
           "<p><a rel=\"nofollow ugc noopener\" href=\"/p/q:r?s=t#u\">a</a> "
           "<a rel=\"nofollow ugc noopener\" href=\"page\">b</a> "
           "<a rel=\"nofollow ugc noopener\" href=\"#f\">c</a> "
           "<a rel=\"nofollow ugc noopener\" href=\"?q\">d</a> "
           "<a rel=\"nofollow ugc noopener\" href=\"//host/x\">e</a> "
           "<a rel=\"nofollow ugc noopener\" href=\"\">f</a></p>\n",
           "relative links");
    is_str(md("[a](/x\"onmouseover=alert(1)) [b](/'x)\n"),
           "<p><a rel=\"nofollow ugc noopener\" href=\"/x%22onmouseover=alert(1)\">a</a> "
           "<a rel=\"nofollow ugc noopener\" href=\"/&#x27;x\">b</a></p>\n",
           "quotes cannot leave the href");
    is_str(md("![a \"b\" <c>](https://example.org/i.png \"t<\")\n"),
           "<p><img src=\"https://example.org/i.png\" alt=\"a &quot;b&quot; \" "
           "title=\"t&lt;\" /></p>\n",
           "outside image kept, alt and title escaped");
}

static void test_text(void)
{
    static const char bad_utf8[] = "a\xff\xfe b\xc3";
    struct html h = HTML_EMPTY;

    is_str(md("Ünïcødé ✓ 日本語 🎉 ½\n"), "<p>Ünïcødé ✓ 日本語 🎉 ½</p>\n", "unicode round trip");
    is_int(markdown_render(&arena, str_make("a\0b", 3), MAX_SRC, &h), 0, "NUL: rendered");
    is_mem(h.ptr, h.len,
           "<p>a\xef\xbf\xbd"
           "b</p>\n",
           "NUL: becomes U+FFFD");
    is_int(markdown_render(&arena, STR_LIT(bad_utf8), MAX_SRC, &h), 0, "bad utf-8: rendered");
    is_str(h.ptr, "<p>a\xef\xbf\xbd\xef\xbf\xbd b\xef\xbf\xbd</p>\n", "bad utf-8: becomes U+FFFD");
    is_str(md("a\r\nb\rc\n"), "<p>a\nb\nc</p>\n", "CR and CRLF line ends");
    /* Found by the fuzzer: cmark writes these two as the bytes 0xFF and 0xFE. */
    is_str(md("&#xFFFF; &#65534; [&#xffff;](/x \"&#xFFFE;\")\n"),
           "<p>\xef\xbf\xbd \xef\xbf\xbd <a rel=\"nofollow ugc noopener\" href=\"/x\" "
           "title=\"\xef\xbf\xbd\">\xef\xbf\xbd</a></p>\n",
           "U+FFFE and U+FFFF references become U+FFFD");
}

static void test_errors(void)
{
    struct html h = {"unchanged", 9};
    struct str s = repeat("a", MAX_SRC + 1);

    is_int(markdown_render(&arena, str_make(s.ptr, MAX_SRC), MAX_SRC, &h), 0,
           "source of max_src bytes: rendered");
    is_int(h.len, MAX_SRC + strlen("<p></p>\n"), "...all of it");
    h = (struct html){"unchanged", 9};
    is_int(markdown_render(&arena, s, MAX_SRC, &h), E_TOOBIG, "max_src + 1: E_TOOBIG");
    is_str(h.ptr, "unchanged", "...out untouched");
    is_int(markdown_render(&arena, STR_LIT("a"), 0, &h), E_TOOBIG, "max_src 0: E_TOOBIG");
    is_int(markdown_render(&arena, STR_NULL, 0, &h), 0, "null empty source: rendered");
    is_str(h.ptr, "", "...as empty html");
    is_int(markdown_render(NULL, STR_LIT("a"), 10, &h), E_INVAL, "no arena: E_INVAL");
    is_int(markdown_render(&arena, STR_LIT("a"), 10, NULL), E_INVAL, "no out: E_INVAL");
    is_int(markdown_render(&arena, str_make(NULL, 1), 10, &h), E_INVAL, "NULL with length");

    /* '"' grows sixfold: the output limit is exact. */
    s = repeat("\"", (LIMIT_PAGE - 8) / 6);
    is_int(markdown_render(&arena, s, s.len, &h), 0, "output of LIMIT_PAGE: rendered");
    ok(h.len <= LIMIT_PAGE && h.len > LIMIT_PAGE - 8, "...just under the limit");
    s = repeat("\"", (LIMIT_PAGE - 8) / 6 + 1);
    is_int(markdown_render(&arena, s, s.len, &h), E_TOOBIG, "one '\"' more: E_TOOBIG");
    arena_reset(&arena);
}

/* The allowlist on its own, fed HTML that cmark would never write. */
static void test_check_html(void)
{
    static const char *const good[] = {
        "",
        "text only & such &gt;",
        "<p>a</p>\n<h6>b</h6><blockquote></blockquote><hr /><br />",
        "<a href=\"https://x/?a=1&amp;b=2\" title=\"t &quot;q&quot;\">x</a>",
        "<a href=\"HTTP://X\">x</a><a href=\"/p:q\">x</a><a href=\"#a:b\">x</a>",
        "<a href=\"\">x</a><a href=\"mailto:a@b\">x</a><a href=\"//h\">x</a>",
        "<a href=\"?a=javascript:x\">x</a><a href=\"a&amp;b/c:d\">x</a>",
        "<a href=\"a&#x27;b\">x</a><a href=\"a&#39;b\">x</a><a href=\"&#x2F;x:y\">x</a>",
        "<img src=\"/i.png\" alt=\"a\" title=\"t\" /><img src=\"https://x/i\" alt=\"\" />",
        "<input type=\"checkbox\" checked=\"\" disabled=\"\" />",
        "<ol start=\"2\"><li></li></ol><code class=\"language-c\"></code>",
        "<table><thead><tr><th align=\"left\"></th></tr></thead></table>",
        "<tbody><tr><td align=\"right\"></td></tr></tbody><del></del><pre></pre>",
    };
    static const char *const bad[] = {
        "<script>alert(1)</script>",
        "<SCRIPT>",
        "<iframe src=\"/x\">",
        "<object>",
        "<embed>",
        "<style>",
        "<form>",
        "<svg>",
        "<!-- raw HTML omitted -->",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
        "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
        "<a href=\"jav&#9;ascript:alert(1)\">x</a>",
        "<a href=\"jav&#x61;script:alert(1)\">x</a>",
        "<a href=\"&#106;avascript:alert(1)\">x</a>",
        "<a href=\"&#106avascript:alert(1)\">x</a>",
        "<a href=\"javascript&#58;alert(1)\">x</a>",
        "<a href=\"javascript&colon;alert(1)\">x</a>",
        "<a href=\"java&Tab;script:alert(1)\">x</a>",
        "<a href=\"&lt;:x\">x</a>",
        "<a href=\"a&amp:b\">x</a>",
        "<a href=\"&#x;javascript:x\">x</a>",
        "<a href=\" javascript:alert(1)\">x</a>",
        "<a href=\"&#1;javascript:alert(1)\">x</a>",
        "<a href=\"vbscript:x\">x</a>",
        "<a href=\"data:text/html,x\">x</a>",
        "<img src=\"data:image/png;base64,AAAA\" />",
        "<img src=\"mailto:a@b\" />",
        "<a href=\"ftp://x\">x</a>",
        "<a onclick=\"x\">x</a>",
        "<a href=\"/\" onclick=\"x\">x</a>",
        "<img src=x onerror=alert(1)>",
        "<img src=\"/\"/onerror=\"alert(1)\">",
        "<p style=\"x\">",
        "<p class=\"x\">",
        "<input type=\"image\" src=\"/x\" />",
        "<input type=\"checkbox\" onfocus=\"x\" autofocus=\"\" />",
        "<a href='javascript:x'>x</a>",
        "<a href=\"/\"",
        "<a href=\"/\" >",
        "<a  href=\"/\">",
        "<a href=\"<\">",
        "</a x>",
        "<",
        "a < b",
        "<p\n>",
    };
    size_t i, links;

    for (i = 0; i < ARRAY_LEN(good); i++)
        ok(check_html(good[i], strlen(good[i]), &links), good[i]);
    for (i = 0; i < ARRAY_LEN(bad); i++)
        ok(!check_html(bad[i], strlen(bad[i]), &links), bad[i]);
    ok(check_html(good[3], strlen(good[3]), &links) && links == 1, "one <a> counted");
}

static void test_fallback(void)
{
    static const char bad[] = "<p><script>alert(1)</script></p>\n";
    static const char two_links[] = "<a href=\"/\">a</a><a href=\"/\">b</a>";
    unsigned long before = markdown_fallback_count();
    struct html h = HTML_EMPTY;

    is_int(finish(&arena, STR_LIT("a <b> & \"c\"\nd"), bad, sizeof(bad) - 1, &h), 0,
           "fallback: returns 0");
    is_str(h.ptr, "<p>a &lt;b&gt; &amp; &quot;c&quot;\nd</p>\n", "fallback: escaped source");
    is_int(markdown_fallback_count(), before + 1, "fallback: counted");
    is_int(finish(&arena, STR_LIT("x"), "<p>x</p>\n", 9, &h), 0, "no fallback: returns 0");
    is_str(h.ptr, "<p>x</p>\n", "no fallback: html as it was");
    is_int(markdown_fallback_count(), before + 1, "no fallback: not counted");
    is_int(finish(&arena, STR_LIT("x"), two_links, strlen(two_links), &h), 0, "rel: returns 0");
    is_str(h.ptr,
           "<a rel=\"nofollow ugc noopener\" href=\"/\">a</a>"
           "<a rel=\"nofollow ugc noopener\" href=\"/\">b</a>",
           "rel: on every link");
    arena_reset(&arena);
}

/* Sources that cost cmark-gfm 0.29.0.gfm.6 quadratic time or memory. */
static void test_cost(void)
{
    struct cost c;
    struct str s;
    char *p;
    size_t i, n = 0;
    const char *h;

    /* A 300-column header, then 2000 one-cell rows padded to 300. */
    s = repeat("|a", 600);
    p = arena_alloc(&arena, (size_t)4 * 1024 * 1024);
    memcpy(p, s.ptr, s.len);
    n = s.len;
    memcpy(p + n, "\n", 1);
    n++;
    s = repeat("|-", 600);
    memcpy(p + n, s.ptr, s.len);
    n += s.len;
    for (i = 0; i < 2000; i++) {
        memcpy(p + n, "\nb", 2);
        n += 2;
    }
    measure(str_make(p, n), &c);
    ok(c.cells > MARKDOWN_MAX_TABLE_CELLS, "padded table: over the cell bound");
    p[n] = '\0';
    h = md(p);
    ok(!has(h, "<table>") && has(h, "<p>|a|a"), "padded table: rendered without tables");

    s = repeat("a|", 20000);
    measure(s, &c);
    ok(c.table > TABLE_WORK, "row of 10000 pipes: over the table budget");
    h = md(str_dup(&arena, s));
    ok(!has(h, "<table>"), "...rendered without tables");
    h = md("| a | b |\n|---|---|\n| 1 | 2 |\n\nwww.a)))))))))))))))))))))))))))))))\n");
    ok(has(h, "<table>") && has(h, "<a "), "small table and autolink: both kept");

    s = repeat(")", 20000);
    p = arena_alloc(&arena, s.len + 6);
    memcpy(p, "www.a", 5);
    memcpy(p + 5, s.ptr, s.len + 1);
    measure(str_c(p), &c);
    ok(c.autolink > AUTOLINK_WORK, "www.a))...: over the autolink budget");
    h = md(p);
    ok(!has(h, "<a "), "...rendered without autolinks");
    measure(repeat("a@", 20000), &c);
    ok(c.autolink > AUTOLINK_WORK, "a@a@...: over the autolink budget");
    measure(repeat("http://a<", 20000), &c);
    ok(c.autolink > AUTOLINK_WORK, "http://a<...: over the autolink budget");

    s = repeat("![", 8000);
    p = arena_alloc(&arena, s.len + (size_t)6 * 3000 + 1);
    memcpy(p, s.ptr, s.len);
    for (i = 0; i < 3000; i++)
        memcpy(p + s.len + 6 * i, "[a](b)", 6);
    p[s.len + (size_t)6 * 3000] = '\0';
    measure(str_c(p), &c);
    ok(c.brackets > BRACKET_WORK, "unclosed ![ then links: over the bracket budget");
    is_str(md(p), "rc -5", "...E_TOOBIG");
    is_str(md(str_dup(&arena, repeat("*a [b](c) ", 60000))), "rc -5",
           "emphasis runs then links: E_TOOBIG");

    s = repeat("x", 30000);
    p = arena_alloc(&arena, s.len + (size_t)3 * 1000 + 16);
    memcpy(p, "[a]: /", 6);
    memcpy(p + 6, s.ptr, s.len);
    memcpy(p + 6 + s.len, "\n\n", 2);
    for (i = 0; i < 1000; i++)
        memcpy(p + 8 + s.len + 3 * i, "[a]", 3);
    p[8 + s.len + (size_t)3 * 1000] = '\0';
    measure(str_c(p), &c);
    ok(c.refs > REF_BYTES, "long reference used 1000 times: over the copy budget");
    is_str(md(p), "rc -5", "...E_TOOBIG");

    /* Within the copy budget, but the links would repeat 12 MB of URL. */
    s = repeat("x", 2000);
    p = arena_alloc(&arena, s.len + (size_t)4 * 1000 + 16);
    memcpy(p, "[a]: /", 6);
    memcpy(p + 6, s.ptr, s.len);
    memcpy(p + 6 + s.len, "\n\n", 2);
    for (i = 0; i < 1000; i++)
        memcpy(p + 8 + s.len + 4 * i, "[a] ", 4);
    p[8 + s.len + (size_t)4 * 1000] = '\0';
    measure(str_c(p), &c);
    ok(c.refs <= REF_BYTES, "2 KB reference used 1000 times: within the copy budget");
    ok(strcmp(md(p), "rc -5") == 0, "...but over the output estimate: E_TOOBIG");

    /* The title starts on the line after the definition and runs 30 KB. */
    s = repeat("x\n", 30000);
    p = arena_alloc(&arena, s.len + (size_t)3 * 1000 + 16);
    memcpy(p, "[a]: /u\n\"", 9);
    memcpy(p + 9, s.ptr, s.len);
    memcpy(p + 9 + s.len, "\"\n\n", 3);
    for (i = 0; i < 1000; i++)
        memcpy(p + 12 + s.len + 3 * i, "[a]", 3);
    p[12 + s.len + (size_t)3 * 1000] = '\0';
    measure(str_c(p), &c);
    ok(c.refs > REF_BYTES, "long title on the next lines: over the copy budget");
    memcpy(p, "[a]: /u \"\\\"", 11);
    measure(str_c(p), &c);
    ok(c.refs > REF_BYTES, "...and when it starts with an escaped quote");
    h = md("[a]: /u\n\"x\nx\"\n\n[a]\n");
    is_str(h, "<p><a rel=\"nofollow ugc noopener\" href=\"/u\" title=\"x\nx\">a</a></p>\n",
           "...such a title is one");
    arena_reset(&arena);
}

/* Large ordinary documents stay far from every budget. */
static void test_cost_ordinary(void)
{
    struct buf b;
    struct cost c;
    const char *h;
    int i;

    buf_init(&b, &arena, MAX_SRC);
    BUF_LIT(&b, "| a | b | c | d | e | f | g | h |\n|---|---|---|---|---|---|---|---|\n");
    for (i = 0; b.len < MAX_SRC - 100; i++)
        buf_printf(&b, "| %d | *x* | [l](/%d) | y | z | w | v | u |\n", i, i);
    measure(buf_str(&b), &c);
    ok(c.cells <= MARKDOWN_MAX_TABLE_CELLS && c.table <= TABLE_WORK && c.brackets <= BRACKET_WORK,
       "64 KB table: within budget");
    h = md(b.ptr);
    ok(has(h, "<table>") && has(h, "<td><em>x</em></td>"), "...rendered as a table");

    buf_reset(&b);
    for (i = 0; b.len < MAX_SRC - 2000; i++) {
        buf_printf(&b,
                   "Text with [a link][%d], *emphasis*, https://example.org/%d and "
                   "me@example.org.%s\n",
                   i % 300, i, i % 4 ? "" : "\n");
    }
    for (i = 0; i < 300 && b.len < MAX_SRC - 80; i++)
        buf_printf(&b, "\n[%d]: https://example.org/ref/%d \"Title %d\"", i, i, i);
    measure(buf_str(&b), &c);
    ok(c.autolink <= AUTOLINK_WORK && c.brackets <= BRACKET_WORK && c.refs <= REF_BYTES,
       "64 KB of prose with references: within budget");
    h = md(b.ptr);
    ok(has(h, "href=\"https://example.org/ref/7\" title=\"Title 7\"") &&
           has(h, "href=\"mailto:me@example.org\""),
       "...rendered with references and autolinks");
    arena_reset(&arena);
}

static const char thread_src[] = "a ~~b~~ www.example.org c@d.org\n\n| x |\n|---|\n| ~~y~~ |\n";
static const char *thread_want;

static void *thread_run(void *arg)
{
    struct arena a;
    struct html h;
    int i, *bad = arg;

    arena_init(&a);
    for (i = 0; i < 2000; i++) {
        if (markdown_render(&a, STR_LIT(thread_src), 1000, &h) || strcmp(h.ptr, thread_want) != 0)
            (*bad)++;
        arena_reset(&a);
    }
    arena_release(&a);
    return NULL;
}

static void test_threads(void)
{
    pthread_t t[4];
    int bad[4] = {0}, i, total = 0;

    thread_want = md(thread_src);
    ok(has(thread_want, "<del>y</del>") && has(thread_want, "mailto:c@d.org"),
       "threads: the expected html has every extension");
    for (i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, thread_run, &bad[i]);
    for (i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        total += bad[i];
    }
    is_int(total, 0, "threads: 4 x 2000 renders at once all the same");
    arena_reset(&arena);
}

/* More mentions than are collected: all linked, MARKDOWN_MAX_MENTIONS kept. */
static void md_mentions_many(void)
{
    struct markdown_mentions m;
    struct html h;
    struct buf b;

    buf_init(&b, &arena, 4096);
    for (int i = 0; i < MARKDOWN_MAX_MENTIONS + 5; i++)
        buf_printf(&b, "@person%03d ", i);
    is_int(markdown_render_mentions(&arena, buf_str(&b), MAX_SRC, &h, &m), 0, "renders");
    is_int((long)m.n, MARKDOWN_MAX_MENTIONS, "collected up to the limit");
    ok(strstr(h.ptr, "href=\"/people/person024\"") != NULL, "the rest still linked");
}

/* @handle mentions: linked and collected, not in code, links or e-mail addresses. */
static void test_mentions(void)
{
    struct markdown_mentions m;
    struct html h;
    int rc;

    rc = markdown_render_mentions(&arena, str_c("Hi @amara and @kwame_2, and @amara again."),
                                  MAX_SRC, &h, &m);
    is_int(rc, 0, "renders");
    is_int((long)m.n, 2, "two people, each once");
    ok(m.n == 2 && str_eq_c(m.handles[0], "amara") && str_eq_c(m.handles[1], "kwame_2"),
       "in order");
    ok(strstr(h.ptr, "<a rel=\"nofollow ugc noopener\" href=\"/people/amara\">@amara</a>") != NULL,
       "linked to the profile");
    ok(strstr(h.ptr, "and @amara again") == NULL, "every mention linked");
    rc = markdown_render_mentions(&arena,
                                  str_c("`@code` x@mail.org [@link](https://e.org) @ab @Amara "
                                        "@amaraX **@bold**"),
                                  MAX_SRC, &h, &m);
    is_int(rc, 0, "renders");
    is_int((long)m.n, 1, "only the one in bold counts");
    ok(m.n == 1 && str_eq_c(m.handles[0], "bold"), "emphasis is text");
    rc = markdown_render_mentions(&arena, str_c("(@olivia) @oliver."), MAX_SRC, &h, &m);
    is_int((long)m.n, 2, "after punctuation, before a full stop");
    m.n = 99;
    is_int(markdown_render_mentions(&arena, str_c(""), MAX_SRC, &h, &m), 0, "empty renders");
    is_int((long)m.n, 0, "and mentions no one");
    md_mentions_many();
}

int main(void)
{
    arena_init(&arena);
    test_mentions();
    test_blocks();
    test_inline();
    test_gfm();
    test_raw_html();
    test_links();
    test_text();
    test_errors();
    test_check_html();
    test_fallback();
    test_cost();
    test_cost_ordinary();
    test_threads();
    arena_release(&arena);
    return tap_done();
}

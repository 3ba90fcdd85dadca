/* The rules of discussions: kinds, reactions, watch levels, filters, titles, tags and cursors. */
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "feature/discuss/rules.h"
#include "tap.h"

static struct arena arena;

static struct str s(const char *c)
{
    return str_c(c);
}

static void names(void)
{
    for (int k = 0; k < TOPIC__MAX; k++)
        is_int(topic_kind_parse(s(topic_kind_name((enum topic_kind)k))), k,
               "a topic kind round-trips");
    for (int k = 0; k < REACT__MAX; k++)
        is_int(reaction_kind_parse(s(reaction_kind_name((enum reaction_kind)k))), k,
               "a reaction round-trips");
    for (int k = 0; k < WATCH__MAX; k++)
        is_int(watch_level_parse(s(watch_level_name((enum watch_level)k))), k,
               "a level round-trips");
    for (int k = 0; k < FILTER__MAX; k++)
        is_int(topic_filter_parse(s(topic_filter_name((enum topic_filter)k))), k,
               "a filter round-trips");
    is_int(topic_kind_parse(s("Question")), TOPIC__MAX, "names are exact");
    is_int(topic_kind_parse(s("")), TOPIC__MAX, "empty is no kind");
    is_int(reaction_kind_parse(s("love")), REACT__MAX, "a fixed set of reactions");
    is_str(reaction_kind_label(REACT_HELPED), "This helped me", "labels for people");
    is_int(watch_level_parse(s("loud")), WATCH__MAX, "unknown level");
}

static void titles(void)
{
    char long_title[TOPIC_TITLE_MAX * 2 + 3];

    ok(!rule_title(s("How do you assess group work?")), "a plain title");
    is_str(rule_title(s("")), "is required", "empty");
    ok(rule_title(s("two\nlines")) != NULL, "one line only");
    ok(rule_title(s("tab\there")) != NULL, "no control characters");
    ok(rule_title(s("a\xe2\x80\xae"
                    "b")) != NULL,
       "no bidirectional override");
    for (int i = 0; i < TOPIC_TITLE_MAX; i++)
        memcpy(long_title + 2 * i, "\xc3\xa9", 2);
    long_title[TOPIC_TITLE_MAX * 2] = '\0';
    ok(!rule_title(s(long_title)), "200 two-byte characters");
    memcpy(long_title + TOPIC_TITLE_MAX * 2, "x", 2);
    ok(rule_title(s(long_title)) != NULL, "201 are too many");
}

static void tags(void)
{
    struct str t;

    ok(!rule_tag(&arena, s("Assessment"), &t) && str_eq_c(t, "assessment"), "lower-cased");
    ok(!rule_tag(&arena, s("  peer   review "), &t) && str_eq_c(t, "peer-review"),
       "trimmed, spaces made one -");
    ok(!rule_tag(&arena, s("Year-7"), &t) && str_eq_c(t, "year-7"), "digits and -");
    ok(!rule_tag(&arena, s("\xc3\xa9valuation"), &t) && str_eq_c(t, "\xc3\xa9valuation"),
       "letters beyond ASCII kept");
    is_str(rule_tag(&arena, s("   "), &t), "has an empty tag", "blank");
    ok(rule_tag(&arena, s("a,b"), &t) != NULL, "no commas");
    ok(rule_tag(&arena, s("c++"), &t) != NULL, "no punctuation");
    ok(rule_tag(&arena, s("<b>"), &t) != NULL, "no markup");
    ok(!rule_tag(&arena, s("abcdefghijabcdefghijabcdefghij"), &t), "30 characters");
    ok(rule_tag(&arena, s("abcdefghijabcdefghijabcdefghijk"), &t) != NULL, "31 are too many");
}

static void cursors(void)
{
    struct cursor c;
    struct str f;

    ok(cursor_parse(s("1795454663.42"), &c) && c.key == 1795454663 && c.id == 42, "parsed");
    f = cursor_format(&arena, (struct cursor){INT64_MAX, 7});
    ok(cursor_parse(f, &c) && c.key == INT64_MAX && c.id == 7, "formatted and read back");
    ok(!cursor_parse(s(""), &c), "empty");
    ok(!cursor_parse(s("12"), &c), "no dot");
    ok(!cursor_parse(s(".12"), &c), "no key");
    ok(!cursor_parse(s("12."), &c), "no id");
    ok(!cursor_parse(s("-1.2"), &c), "negative key");
    ok(!cursor_parse(s("1.-2"), &c), "negative id");
    ok(!cursor_parse(s("1.2.3"), &c), "two dots");
    ok(!cursor_parse(s("a.b"), &c), "not numbers");
    ok(!cursor_parse(s("99999999999999999999.1"), &c), "out of range");
}

int main(void)
{
    arena_init(&arena);
    names();
    titles();
    tags();
    cursors();
    arena_release(&arena);
    return tap_done();
}

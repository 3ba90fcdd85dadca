/* The rules of chat: kinds, channel names and their keys, and direct conversations' keys. */
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "feature/chat/rules.h"
#include "tap.h"

static struct arena arena;

static struct str s(const char *c)
{
    return str_c(c);
}

static const char *key(const char *name)
{
    return chat_name_key(&arena, s(name)).ptr;
}

static void kinds(void)
{
    for (int k = 0; k < CHAT_KIND__MAX; k++)
        is_int(chat_kind_parse(s(chat_kind_name((enum chat_kind)k))), k, "a kind round-trips");
    is_int(chat_kind_parse(s("Private")), CHAT_KIND__MAX, "names are exact");
    is_int(chat_kind_parse(s("")), CHAT_KIND__MAX, "empty is no kind");
}

static void names(void)
{
    char forty[CHAT_NAME_MAX + 2];

    ok(!chat_rule_name(s("general")), "a plain name");
    ok(!chat_rule_name(s("Year 7 planning")), "spaces are fine");
    ok(!chat_rule_name(s("\xc3\xa9t\xc3\xa9")), "letters beyond ASCII");
    ok(!chat_rule_name(s("2026")), "digits alone");
    is_str(chat_rule_name(s("")), "is required", "empty");
    is_str(chat_rule_name(s("!!!")), "must hold a letter or a digit", "punctuation alone");
    is_str(chat_rule_name(s("two\nlines")), "must be one line without control characters",
           "a line break");
    is_str(chat_rule_name(s("tab\there")), "must be one line without control characters", "a tab");
    is_str(chat_rule_name(s("\xe2\x80\xae"
                            "evil")),
           "must be one line without control characters", "a bidirectional override");
    is_str(chat_rule_name(str_make("a\0b", 3)), "must be UTF-8 text", "a NUL byte");
    is_str(chat_rule_name(s("\xc3\x28")), "must be UTF-8 text", "broken UTF-8");
    memset(forty, 'x', sizeof(forty));
    ok(!chat_rule_name(str_make(forty, CHAT_NAME_MAX)), "40 characters");
    is_str(chat_rule_name(str_make(forty, CHAT_NAME_MAX + 1)), "must be at most 40 characters",
           "41 characters");
    /* 40 two-byte characters are 80 bytes and still fit. */
    {
        char wide[CHAT_NAME_MAX * 2];

        for (int i = 0; i < CHAT_NAME_MAX; i++)
            memcpy(wide + 2 * i, "\xc3\xa9", 2);
        ok(!chat_rule_name(str_make(wide, sizeof(wide))), "characters, not bytes");
    }
}

static void keys(void)
{
    is_str(key("general"), "general", "as it is");
    is_str(key("Year 7 planning"), "year-7-planning", "lower case, spaces as -");
    is_str(key("year-7  PLANNING"), "year-7-planning", "the same name");
    is_str(key("#year_7__planning-"), "year-7-planning", "a leading # and trailing marks dropped");
    is_str(key("  spaced  "), "spaced", "spaces at the ends");
    is_str(key("\xc3\x89t\xc3\xa9"), "\xc3\x89t\xc3\xa9", "letters beyond ASCII kept as they are");
}

static void dm_keys(void)
{
    int64_t a[] = {12, 3, 7}, b[] = {7, 12, 3, 7, 12}, c[] = {5};
    size_t n;

    is_str(chat_dm_key(&arena, a, 3, &n).ptr, "3,7,12", "sorted");
    is_int(n, 3, "three people");
    is_str(chat_dm_key(&arena, b, 5, &n).ptr, "3,7,12", "the same people in any order, once each");
    is_int(n, 3, "duplicates count once");
    is_str(chat_dm_key(&arena, c, 1, &n).ptr, "5", "one");
    is_str(chat_dm_key(&arena, c, 0, &n).ptr, "", "none");
    is_int(n, 0, "no one");
}

int main(void)
{
    arena_init(&arena);
    kinds();
    names();
    keys();
    dm_keys();
    arena_release(&arena);
    return tap_done();
}

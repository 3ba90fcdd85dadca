/* The rules of a profile's fields: name, bio, time zone, interests and their keys. */
#include <string.h>

#include "core/arena.h"
#include "feature/profiles/rules.h"
#include "tap.h"

static struct arena arena;

static struct str s(const char *c)
{
    return str_c(c);
}

static void names(void)
{
    char long_name[2 * 81 + 1];

    ok(!rule_profile_name(s("Ada Lovelace")), "a plain name");
    ok(!rule_profile_name(s("  Zoë  ")), "trimmed, non-ASCII");
    is_str(rule_profile_name(s("   ")), "is required", "only spaces");
    is_str(rule_profile_name(s("")), "is required", "empty");
    ok(rule_profile_name(s("a\nb")) != NULL, "a line break");
    ok(rule_profile_name(s("a\xe2\x80\xae"
                           "b")) != NULL,
       "a right-to-left override");
    for (int i = 0; i < 81; i++)
        memcpy(long_name + 2 * i, "\xc3\xa9", 2);
    long_name[160] = '\0';
    ok(!rule_profile_name(s(long_name)), "80 two-byte characters");
    long_name[160] = '\xc3';
    long_name[162] = '\0';
    is_str(rule_profile_name(s(long_name)), "is longer than 80 characters", "81 characters");
    ok(rule_profile_name(s("\xff")) != NULL, "invalid UTF-8");
}

static void bios(void)
{
    char big[2 * 2001 + 1];

    ok(!rule_bio(s("")), "empty is fine");
    memset(big, 'x', 2000);
    big[2000] = '\0';
    ok(!rule_bio(s(big)), "2000 characters");
    big[2000] = 'x';
    big[2001] = '\0';
    is_str(rule_bio(s(big)), "is longer than 2000 characters", "2001 characters");
    for (int i = 0; i < 2000; i++)
        memcpy(big + 2 * i, "\xc3\xa9", 2);
    big[4000] = '\0';
    ok(!rule_bio(s(big)), "2000 characters of two bytes");
}

static void newlines(void)
{
    struct str t = newline_normal(&arena, s("a\r\nb\rc\nd\r\n"));

    is_mem(t.ptr, t.len, "a\nb\nc\nd\n", "CR LF and lone CR become LF");
    t = newline_normal(&arena, s("no returns"));
    is_mem(t.ptr, t.len, "no returns", "text without CR is kept");
    t = newline_normal(&arena, STR_NULL);
    is_int(t.len, 0, "empty");
}

static void zones(void)
{
    ok(!rule_timezone(s("Europe/Paris")), "Europe/Paris");
    ok(!rule_timezone(s("America/Argentina/Buenos_Aires")), "three segments");
    ok(!rule_timezone(s("UTC")), "UTC");
    ok(!rule_timezone(s("Etc/GMT+5")), "a plus sign");
    ok(!rule_timezone(s("America/Port-au-Prince")), "dashes");
    is_str(rule_timezone(s("")), "is required", "empty");
    ok(rule_timezone(s("Europe/Atlantis")) != NULL, "an unknown zone");
    ok(rule_timezone(s("europe/paris")) != NULL, "names are case-sensitive");
    ok(rule_timezone(s("../../etc/passwd")) != NULL, "a path upwards");
    ok(rule_timezone(s("/etc/passwd")) != NULL, "an absolute path");
    ok(rule_timezone(s("Europe//Paris")) != NULL, "an empty segment");
    ok(rule_timezone(s("Europe/")) != NULL, "a trailing slash");
    ok(rule_timezone(s("Europe")) != NULL, "a folder, not a zone");
    ok(rule_timezone(s("zone.tab")) != NULL, "a file of the database that is no zone");
    ok(rule_timezone(s("posix/Europe/Paris")) != NULL, "the posix/ copy");
    ok(rule_timezone(s("right/UTC")) != NULL, "the right/ copy");
    ok(rule_timezone(s("localtime")) != NULL, "localtime");
    ok(rule_timezone(s("Europe/Paris ")) != NULL, "a space");
    ok(rule_timezone(s("Europe/Paris\n")) != NULL, "a newline");
    ok(rule_timezone(s("Europe/Par\xc3\xafs")) != NULL, "non-ASCII");
    ok(rule_timezone(
           s("A/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")) !=
           NULL,
       "longer than 64 bytes");
}

static void keys(void)
{
    struct str k;

    k = interest_key(&arena, s("Formative ASSESSMENT"));
    is_mem(k.ptr, k.len, "formative assessment", "ASCII");
    k = interest_key(&arena, s("ÉCOLE Ñandú ÀÞ × ß"));
    is_mem(k.ptr, k.len, "école ñandú àþ × ß", "Latin-1, but not × or ß");
    k = interest_key(&arena, s("ŁÓDŹ ĀĒ Ÿ İ"));
    is_mem(k.ptr, k.len, "łódź āē ÿ i", "Latin Extended-A");
    k = interest_key(&arena, s("ΑΓΩΓΗ Άσος ΟΔΟΣ"));
    is_mem(k.ptr, k.len, "αγωγη άσοσ οδοσ", "Greek, final sigma as sigma");
    k = interest_key(&arena, s("ПЕДАГОГИКА Ёж"));
    is_mem(k.ptr, k.len, "педагогика ёж", "Cyrillic");
    k = interest_key(&arena, s("日本語 🙂"));
    is_mem(k.ptr, k.len, "日本語 🙂", "other scripts are kept");
}

static void interests(void)
{
    struct interest_list l = {0};
    char label[64];

    ok(!interest_add(&arena, &l, s("  Formative   assessment ")), "add one");
    is_int(l.n, 1, "one entry");
    is_mem(l.label[0].ptr, l.label[0].len, "Formative assessment", "trimmed, spaces collapsed");
    is_mem(l.key[0].ptr, l.key[0].len, "formative assessment", "its key");
    ok(!interest_add(&arena, &l, s("FORMATIVE ASSESSMENT")), "a duplicate in other case");
    ok(!interest_add(&arena, &l, s("formative\tassessment")), "a duplicate with a tab");
    is_int(l.n, 1, "duplicates are skipped");
    is_mem(l.label[0].ptr, l.label[0].len, "Formative assessment", "the first spelling stays");
    is_str(interest_add(&arena, &l, s("   ")), "has an empty entry", "blank");
    is_str(interest_add(&arena, &l,
                        s("a\x01"
                          "b")),
           "has an entry with control characters", "a control character");
    memset(label, 'x', 60);
    label[60] = '\0';
    ok(!interest_add(&arena, &l, s(label)), "60 characters");
    label[60] = 'y';
    label[61] = '\0';
    is_str(interest_add(&arena, &l, s(label)), "has an entry longer than 60 characters",
           "61 characters");
    is_int(l.n, 2, "errors add nothing");
    for (int i = 0; l.n < INTERESTS_MAX; i++) {
        label[0] = (char)('a' + i);
        label[1] = '\0';
        ok(!interest_add(&arena, &l, s(label)), "fill up to 20");
    }
    ok(!interest_add(&arena, &l, s("A")), "a duplicate of the 20 is still skipped");
    is_str(interest_add(&arena, &l, s("one more")), "has more than 20 entries", "the 21st");
    is_int(l.n, INTERESTS_MAX, "20 entries");
}

static void kinds(void)
{
    is_int(interest_kind_parse(s("help")), INTEREST_HELP, "help");
    is_int(interest_kind_parse(s("learn")), INTEREST_LEARN, "learn");
    is_int(interest_kind_parse(s("interest")), INTEREST_INTEREST, "interest");
    is_int(interest_kind_parse(s("Help")), -1, "case matters");
    is_int(interest_kind_parse(s("")), -1, "empty");
    is_str(interest_field_name(INTEREST_LEARN), "interests.learn", "field name");
}

int main(void)
{
    arena_init(&arena);
    names();
    bios();
    newlines();
    zones();
    keys();
    interests();
    kinds();
    arena_release(&arena);
    return tap_done();
}

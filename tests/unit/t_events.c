/*
 * Events, the pure parts: names, local times and moments, texts and links,
 * reminders, zones and daylight saving, recurrence (COUNT, UNTIL, EXDATE,
 * refused rules), the check-in code alphabet, answers under a capacity,
 * and iCalendar output (CRLF, folding at 75 octets, escaping, VTIMEZONE),
 * read back by libical's own parser.
 */
#include <libical/ical.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/utf8.h"
#include "feature/events/ical.h"
#include "feature/events/recur.h"
#include "feature/events/rules.h"
#include "feature/spaces/policy.h"
#include "tap.h"

#define DAY ((int64_t)86400)

static struct arena arena;

static struct str s(const char *c)
{
    return str_c(c);
}

static struct local_time lt(int y, int mo, int d, int h, int mi)
{
    return (struct local_time){y, mo, d, h, mi, 0};
}

static void names(void)
{
    for (int k = 0; k < MODE__MAX; k++)
        is_int(event_mode_parse(s(event_mode_name((enum event_mode)k))), k, "a mode round-trips");
    for (int k = 0; k < EVENT_STATUS__MAX; k++)
        is_int(event_status_parse(s(event_status_name((enum event_status)k))), k,
               "a status round-trips");
    for (int k = 0; k < RSVP_WAITLISTED; k++)
        is_int(rsvp_status_parse(s(rsvp_status_name((enum rsvp_status)k))), k,
               "an answer round-trips");
    is_int(rsvp_status_parse(s("waitlisted")), RSVP__MAX, "nobody answers 'waitlisted'");
    is_int(rsvp_status_parse(s("Going")), RSVP__MAX, "answers are exact");
    is_int(event_mode_parse(s("in person")), MODE__MAX, "modes are exact");
    is_int(attend_mode_parse(s("online")), ATTEND_ONLINE, "attendance online");
    is_int(attend_mode_parse(s("hybrid")), ATTEND__MAX, "nobody attends 'hybrid'");
}

static void local_times(void)
{
    struct local_time t;
    char out[20];

    ok(!rule_local_time(s("2026-12-10T18:00"), &t), "minutes are enough");
    is_int(t.year * 10000 + t.month * 100 + t.day, 20261210, "the date");
    is_int(t.hour * 100 + t.minute, 1800, "the time");
    ok(!rule_local_time(s("2026-12-10 18:00:30"), &t) && t.second == 30, "a space and seconds");
    local_time_format(t, out);
    is_str(out, "2026-12-10T18:00:30", "formatted back");
    ok(rule_local_time(s("2026-12-10T18:00Z"), &t) != NULL, "no Z");
    ok(strstr(rule_local_time(s("2026-12-10T18:00+01:00"), &t), "offset") != NULL,
       "an offset is refused, saying why");
    ok(rule_local_time(s("2026-02-29T10:00"), &t) != NULL, "2026 is not a leap year");
    ok(!rule_local_time(s("2028-02-29T10:00"), &t), "2028 is");
    ok(rule_local_time(s("2026-13-01T10:00"), &t) != NULL, "no month 13");
    ok(rule_local_time(s("2026-12-10T24:00"), &t) != NULL, "no hour 24");
    ok(rule_local_time(s("1999-12-31T10:00"), &t) != NULL, "not before 2000");
    ok(rule_local_time(s("tomorrow"), &t) != NULL, "not words");
    ok(rule_local_time(s(""), &t) != NULL, "not nothing");
    is_int(local_time_seconds(lt(1970, 1, 1, 0, 0)), 0, "the epoch");
    is_int(local_time_seconds(lt(2026, 12, 10, 17, 0)), 1796922000, "a known moment");
    t = local_time_from_seconds(1796922000);
    is_int(t.year * 1000000 + t.month * 10000 + t.day * 100 + t.hour, 2026121017, "and back again");
    t = local_time_from_seconds(951782400); /* 2000-02-29 */
    is_int(t.month * 100 + t.day, 229, "a leap day");
}

static void moments(void)
{
    int64_t t;

    ok(parse_moment(s("1796922000"), &t) && t == 1796922000, "unix seconds");
    ok(parse_moment(s("2026-12-10T17:00:00Z"), &t) && t == 1796922000, "RFC 3339 UTC");
    ok(parse_moment(s("2026-12-10T17:00Z"), &t) && t == 1796922000, "seconds optional");
    ok(parse_moment(s("2026-12-10T17:00:00.000Z"), &t) && t == 1796922000, "a fraction dropped");
    ok(!parse_moment(s("2026-12-10T17:00:00.Z"), &t), "a point needs digits");
    ok(parse_moment(s("2026-12-10T18:00:00+01:00"), &t) && t == 1796922000, "an offset");
    ok(parse_moment(s("2026-12-10T12:00:00-05:00"), &t) && t == 1796922000, "a negative offset");
    ok(!parse_moment(s("2026-12-10T17:00:00"), &t), "a moment needs its offset");
    ok(!parse_moment(s("-5"), &t), "not before 1970");
    ok(!parse_moment(s("next week"), &t), "not words");
    ok(!parse_moment(s("2026-12-10T17:00:00Zjunk"), &t), "nothing after");
}

static void texts(void)
{
    const char *field;

    ok(!rule_event_title(s("Weekly call")), "a title");
    ok(rule_event_title(s("")) != NULL, "a title is required");
    ok(rule_event_title(s("two\nlines")) != NULL, "one line");
    ok(!rule_join_url(s("https://meet.example.org/room?x=1")), "an https link");
    ok(!rule_join_url(s("HTTP://meet.example.org")), "any case of http");
    ok(rule_join_url(s("javascript:alert(1)")) != NULL, "not javascript:");
    ok(rule_join_url(s("ftp://example.org")) != NULL, "not ftp");
    ok(rule_join_url(s("https:///path")) != NULL, "a host is needed");
    ok(rule_join_url(s("https://a b")) != NULL, "no spaces");
    ok(rule_join_url(s("https://x.org/\"><script>")) != NULL, "no quotes or brackets");
    ok(!rule_join_url(s("")), "empty is no link");
    ok(rule_mode_needs(MODE_IN_PERSON, s(""), s("https://x.org"), &field) &&
           !strcmp(field, "location"),
       "in person needs a place");
    ok(rule_mode_needs(MODE_ONLINE, s("Room 4"), s(""), &field) && !strcmp(field, "join_url"),
       "online needs a link");
    ok(rule_mode_needs(MODE_HYBRID, s("Room 4"), s(""), &field) && !strcmp(field, "join_url"),
       "hybrid needs a link");
    ok(rule_mode_needs(MODE_HYBRID, s(""), s("https://x.org"), &field) &&
           !strcmp(field, "location"),
       "and a place");
    ok(!rule_mode_needs(MODE_HYBRID, s("Room 4"), s("https://x.org"), &field), "hybrid with both");
}

static void reminders(void)
{
    int out[EVENT_REMINDERS_MAX];
    size_t n;

    ok(!rule_reminders((int64_t[]){60, 1440}, 2, out, &n) && n == 2 && out[0] == 1440 &&
           out[1] == 60,
       "sorted from the earliest");
    ok(!rule_reminders((int64_t[]){60, 60, 60}, 3, out, &n) && n == 1, "duplicates dropped");
    ok(rule_reminders((int64_t[]){4}, 1, out, &n) != NULL, "at least 5 minutes");
    ok(rule_reminders((int64_t[]){43201}, 1, out, &n) != NULL, "at most 30 days");
    ok(rule_reminders((int64_t[]){5, 10, 15, 20, 25, 30}, 6, out, &n) != NULL, "at most 5");
    ok(!rule_reminders(NULL, 0, out, &n) && n == 0, "none is fine");
}

static void zones(void)
{
    struct local_time t;
    int64_t u;
    int off;

    ok(!rule_zone(s("Europe/Paris")), "Europe/Paris");
    ok(!rule_zone(s("America/Argentina/Buenos_Aires")), "three parts");
    ok(!rule_zone(s("UTC")), "UTC");
    ok(!rule_zone(s("Etc/GMT+5")), "a plus sign inside");
    ok(rule_zone(s("Mars/Olympus_Mons")) != NULL, "an unknown zone");
    ok(rule_zone(s("../../etc/passwd")) != NULL, "no paths");
    ok(rule_zone(s("/etc/passwd")) != NULL, "no absolute paths");
    ok(rule_zone(s("posixrules")) != NULL, "not a file that is no zone");
    ok(rule_zone(s("")) != NULL, "required");
    ok(!recur_to_utc(s("Europe/Paris"), lt(2026, 7, 1, 12, 0), &u) &&
           u == local_time_seconds(lt(2026, 7, 1, 10, 0)),
       "Paris in summer is UTC+2");
    ok(!recur_to_utc(s("Europe/Paris"), lt(2026, 12, 1, 12, 0), &u) &&
           u == local_time_seconds(lt(2026, 12, 1, 11, 0)),
       "and UTC+1 in winter");
    ok(!recur_to_local(s("America/New_York"), local_time_seconds(lt(2026, 7, 1, 16, 0)), &t,
                       &off) &&
           t.hour == 12 && off == -4 * 3600,
       "New York in summer");
    ok(recur_to_utc(s("Nowhere/Atall"), lt(2026, 7, 1, 12, 0), &u) != 0, "unknown zone");
    /* 2026-03-08 02:30 does not exist in New York: read with the offset before the gap. */
    ok(!recur_to_utc(s("America/New_York"), lt(2026, 3, 8, 2, 30), &u) &&
           u == local_time_seconds(lt(2026, 3, 8, 7, 30)),
       "a time in the spring gap reads with the winter offset");
    /* 2026-10-25 02:30 happens twice in Paris: the first. */
    ok(!recur_to_utc(s("Europe/Paris"), lt(2026, 10, 25, 2, 30), &u) &&
           u == local_time_seconds(lt(2026, 10, 25, 0, 30)),
       "a repeated time in autumn is the first one");
    ok(!recur_to_utc(s("Europe/Paris"), lt(2026, 10, 25, 3, 30), &u) &&
           u == local_time_seconds(lt(2026, 10, 25, 2, 30)),
       "an hour after, plain winter time");
    ok(!recur_to_utc(s("America/New_York"), lt(2045, 7, 1, 12, 0), &u) &&
           u == local_time_seconds(lt(2045, 7, 1, 16, 0)),
       "far years keep summer time");
}

static const char *rrule(const char *rule, const char *tz, struct local_time start, char *out)
{
    struct str canon;
    const char *msg = rule_rrule(&arena, s(rule), s(tz), start, &canon);

    if (out) {
        memcpy(out, canon.ptr ? canon.ptr : "", canon.len);
        out[canon.len] = '\0';
    }
    return msg;
}

static void rules(void)
{
    char canon[EVENT_RRULE_MAX + 1];
    struct local_time tue = lt(2026, 10, 13, 18, 0);

    ok(!rrule("FREQ=WEEKLY", "Europe/Paris", tue, canon), "weekly");
    is_str(canon, "FREQ=WEEKLY", "as it was");
    ok(!rrule("rrule:freq=weekly;byday=tu;count=4", "Europe/Paris", tue, canon),
       "any case, with its name");
    is_str(canon, "FREQ=WEEKLY;COUNT=4;BYDAY=TU", "made canonical");
    ok(!rrule("FREQ=WEEKLY;UNTIL=20261101", "Europe/Paris", tue, canon), "UNTIL a date");
    is_str(canon, "FREQ=WEEKLY;UNTIL=20261101T225959Z", "the end of that day there, in UTC");
    ok(!rrule("FREQ=WEEKLY;UNTIL=20261027T180000", "Europe/Paris", tue, canon),
       "UNTIL a local time");
    is_str(canon, "FREQ=WEEKLY;UNTIL=20261027T170000Z", "in UTC");
    ok(rrule("FREQ=WEEKLY;BYDAY=MO", "Europe/Paris", tue, NULL) != NULL,
       "the start must be the first occurrence");
    ok(rrule("FREQ=HOURLY", "Europe/Paris", tue, NULL) != NULL, "not hourly");
    ok(rrule("FREQ=MINUTELY", "Europe/Paris", tue, NULL) != NULL, "not minutely");
    ok(strstr(rrule("FREQ=DAILY;BYHOUR=9,10", "Europe/Paris", tue, NULL), "BYHOUR") != NULL,
       "no BYHOUR, saying so");
    ok(rrule("FREQ=WEEKLY;COUNT=6000", "Europe/Paris", tue, NULL) != NULL, "COUNT bounded");
    ok(rrule("FREQ=WEEKLY;INTERVAL=0", "Europe/Paris", tue, NULL) != NULL, "INTERVAL at least 1");
    ok(rrule("FREQ=WEEKLY;UNTIL=20260101T000000Z", "Europe/Paris", tue, NULL) != NULL,
       "UNTIL before the start");
    ok(rrule("FREQ=WEEKLY;UNTIL=20229536T180000Z", "Europe/Paris", tue, NULL) != NULL,
       "UNTIL a day that is none (found by the fuzzer)");
    ok(rrule("FREQ=WEEKLY;UNTIL=21000101", "Europe/Paris", tue, NULL) != NULL, "UNTIL by 2099");
    ok(rrule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "Europe/Paris", lt(2026, 2, 28, 10, 0), NULL) !=
           NULL,
       "a rule that never happens");
    ok(rrule("FREQ=SOMETIMES", "Europe/Paris", tue, NULL) != NULL, "not a frequency");
    ok(rrule("FREQ=WEEKLY;FOO=BAR", "Europe/Paris", tue, NULL) != NULL, "not a part");
    ok(rrule("FREQ=WEEKLY;RSCALE=HEBREW", "Europe/Paris", tue, NULL) != NULL, "no other calendars");
    ok(rrule("weekly on tuesdays", "Europe/Paris", tue, NULL) != NULL, "not words");
    ok(rrule("FREQ=WEEKLY", "Nowhere/Atall", tue, NULL) != NULL, "needs a known zone");
    ok(!rrule("", "Europe/Paris", tue, canon) && !canon[0], "no rule is fine");
}

static struct recur_spec spec(const char *tz, struct local_time start, int64_t duration,
                              const char *rule)
{
    struct recur_spec sp = {s(tz), start, duration, STR_NULL, NULL, 0};
    struct str canon;

    if (rule_rrule(&arena, s(rule), sp.tz, start, &canon))
        BUG("test rule refused");
    sp.rrule = canon;
    return sp;
}

static void expansion(void)
{
    struct occurrence o[16];
    size_t n;
    bool more;
    struct recur_spec p =
        spec("Europe/Paris", lt(2026, 10, 13, 18, 0), 5400, "FREQ=WEEKLY;COUNT=4");
    int64_t start = local_time_seconds(lt(2026, 10, 13, 16, 0));

    ok(!recur_expand(&p, 0, INT64_MAX / 2, o, 16, &n, &more) && n == 4 && !more, "four weeks");
    is_int(o[0].start, start, "the first at 16:00 UTC");
    is_int(o[1].start, start + 7 * DAY, "the second too");
    is_int(o[2].start, start + 14 * DAY + 3600, "after the change of 25 October, 17:00 UTC");
    is_int(o[3].start, start + 21 * DAY + 3600, "and the fourth");
    for (size_t i = 0; i < n; i++)
        ok(o[i].start_local.hour == 18 && o[i].start_local.minute == 0 &&
               o[i].end_local.hour == 19 && o[i].end_local.minute == 30,
           "each keeps 18:00 to 19:30 in Paris");
    is_int(o[2].end - o[2].start, 5400, "an hour and a half");

    p = spec("America/New_York", lt(2026, 3, 5, 18, 0), 3600, "FREQ=WEEKLY;BYDAY=TH;COUNT=3");
    ok(!recur_expand(&p, 0, INT64_MAX / 2, o, 16, &n, &more) && n == 3, "New York in March");
    is_int(o[0].start, local_time_seconds(lt(2026, 3, 5, 23, 0)), "23:00 UTC before 8 March");
    is_int(o[1].start, local_time_seconds(lt(2026, 3, 12, 22, 0)), "22:00 UTC after");
    ok(o[1].start_local.hour == 18, "still 18:00 there");

    p = spec("Europe/Paris", lt(2026, 10, 13, 18, 0), 3600, "FREQ=WEEKLY;UNTIL=20261027");
    ok(!recur_expand(&p, 0, INT64_MAX / 2, o, 16, &n, &more) && n == 3, "UNTIL takes its day");

    p = spec("Europe/Paris", lt(2026, 10, 13, 18, 0), 3600, "FREQ=WEEKLY");
    ok(!recur_expand(&p, start + 7 * DAY, start + 21 * DAY, o, 16, &n, &more) && n == 2,
       "a window of a forever rule");
    is_int(o[0].start, start + 7 * DAY, "from the window's start");
    ok(!recur_expand(&p, start + 1800, start + 8 * DAY, o, 16, &n, &more) && n == 2 &&
           o[0].start == start,
       "an occurrence under way at the window's start is in it");
    ok(!recur_expand(&p, start, start + 400 * DAY, o, 16, &n, &more) && n == 16 && more,
       "bounded, saying there is more");

    p.exdates = (int64_t[]){start + 7 * DAY};
    p.nexdates = 1;
    ok(!recur_expand(&p, start, start + 15 * DAY, o, 16, &n, &more) && n == 3, "EXDATE");
    ok(!o[0].cancelled && o[1].cancelled && !o[2].cancelled, "marks that one cancelled");

    ok(!recur_find(&p, start + 14 * DAY + 3600, &o[0]), "a real occurrence is found");
    ok(recur_find(&p, start + 14 * DAY, &o[0]) == E_NOTFOUND,
       "an hour off is none (the offset changed)");
    ok(recur_find(&p, start - 7 * DAY, &o[0]) == E_NOTFOUND, "none before the start");

    {
        int64_t last;
        struct recur_spec once = {s("UTC"), lt(2026, 5, 1, 9, 0), 3600, STR_NULL, NULL, 0};

        ok(!recur_last_end(&once, &last) && last == local_time_seconds(lt(2026, 5, 1, 10, 0)),
           "once: its end");
        p = spec("Europe/Paris", lt(2026, 10, 13, 18, 0), 3600, "FREQ=WEEKLY;COUNT=3");
        ok(!recur_last_end(&p, &last) && last == start + 14 * DAY + 3600 + 3600,
           "COUNT: the last one's end");
        p = spec("Europe/Paris", lt(2026, 10, 13, 18, 0), 3600, "FREQ=WEEKLY");
        ok(!recur_last_end(&p, &last) && last == 0, "forever: none");
        ok(!recur_expand(&once, 0, INT64_MAX / 2, o, 16, &n, &more) && n == 1 &&
               o[0].start == local_time_seconds(lt(2026, 5, 1, 9, 0)),
           "once, in UTC");
    }
    p = spec("Europe/Paris", lt(2026, 1, 31, 10, 0), 3600, "FREQ=MONTHLY;BYDAY=-1SA;COUNT=3");
    ok(!recur_expand(&p, 0, INT64_MAX / 2, o, 16, &n, &more) && n == 3 &&
           o[1].start_local.month == 2 && o[1].start_local.day == 28,
       "the last Saturday of each month");
}

static void codes(void)
{
    unsigned char hash[32];
    char code[CHECKIN_CODE_LEN + 1], norm[CHECKIN_CODE_LEN + 1];
    bool bad = false;

    is_int(strlen(checkin_alphabet), 31, "31 characters");
    ok(!strpbrk(checkin_alphabet, "01OILoil"), "none that look alike");
    for (int k = 0; k < 200; k++) {
        for (int i = 0; i < 32; i++)
            hash[i] = (unsigned char)(k * 31 + i * 7);
        checkin_code_from_hash(hash, code);
        bad |=
            strlen(code) != CHECKIN_CODE_LEN || strspn(code, checkin_alphabet) != CHECKIN_CODE_LEN;
    }
    ok(!bad, "codes are six characters of the alphabet");
    memset(hash, 0, sizeof(hash));
    checkin_code_from_hash(hash, code);
    is_str(code, "AAAAAA", "a hash of zeros");
    hash[7] = 1;
    checkin_code_from_hash(hash, norm);
    is_str(norm, "BAAAAA", "the low digit first");
    ok(checkin_code_normal(s(" bx7-k2q "), norm) && !strcmp(norm, "BX7K2Q"),
       "spaces, dashes and case do not matter");
    ok(!checkin_code_normal(s("BX7K2"), norm), "too short");
    ok(!checkin_code_normal(s("BX7K2QQ"), norm), "too long");
    ok(!checkin_code_normal(s("BX0K2Q"), norm), "a zero is never in a code");
    ok(!checkin_code_normal(s("BX7K2\xc3\xa9"), norm), "nor anything else");
}

static struct rsvp_row row(int64_t id, int64_t user, int64_t occurrence, enum rsvp_status st,
                           int64_t queued)
{
    struct rsvp_row r = {id,   user,     occurrence, st,       queued,
                         true, STR_NULL, STR_NULL,   STR_NULL, STR_NULL};

    return r;
}

static void answers(void)
{
    /* Sorted by occurrence (0 is the series), then user. */
    struct rsvp_row rows[] = {
        row(1, 10, 0, RSVP_GOING, 100), /* series: going from the first */
        row(2, 11, 0, RSVP_GOING, 300),        row(3, 12, 0, RSVP_MAYBE, 50),
        row(4, 11, 1000, RSVP_NOT_GOING, 400), /* not this week */
        row(5, 13, 1000, RSVP_GOING, 200),     row(6, 14, 1000, RSVP_GOING, 250),
        row(7, 15, 2000, RSVP_GOING, 10),
    };
    struct rsvp_place *p;
    const struct rsvp_place *me;
    struct rsvp_tally t;
    size_t n;

    rsvp_resolve(&arena, rows, ARRAY_LEN(rows), 1000, 2, &p, &n, &t);
    is_int(n, 5, "five people answered for week 1000");
    ok(t.going == 2 && t.waitlisted == 1 && t.maybe == 1 && t.not_going == 1, "counts");
    ok(p[0].row->user_id == 10 && p[1].row->user_id == 13, "going, in the order they asked");
    ok(p[2].row->user_id == 14 && p[2].status == RSVP_WAITLISTED && p[2].position == 1,
       "the third in line waits, first on the list");
    me = rsvp_find(p, n, 11);
    ok(me && me->status == RSVP_NOT_GOING, "the occurrence's answer wins over the series'");

    rsvp_resolve(&arena, rows, ARRAY_LEN(rows), 3000, 2, &p, &n, &t);
    ok(t.going == 2 && t.waitlisted == 0 && t.maybe == 1, "another week: the series alone");

    rsvp_resolve(&arena, rows, ARRAY_LEN(rows), 2000, 2, &p, &n, &t);
    ok(p[0].row->user_id == 15 && t.going == 2 && t.waitlisted == 1,
       "whoever asked first goes, series or not");
    ok(rsvp_find(p, n, 11)->status == RSVP_WAITLISTED, "and the series' latest waits");

    rsvp_resolve(&arena, rows, ARRAY_LEN(rows), 1000, -1, &p, &n, &t);
    ok(t.going == 3 && t.waitlisted == 0, "no capacity: everyone who asked goes");
    rsvp_resolve(&arena, rows, ARRAY_LEN(rows), 1000, 0, &p, &n, &t);
    ok(t.going == 0 && t.waitlisted == 3, "capacity 0: everyone waits");

    rows[0].counts = false; /* person 10 left the space */
    rsvp_resolve(&arena, rows, ARRAY_LEN(rows), 1000, 2, &p, &n, &t);
    ok(t.going == 2 && t.waitlisted == 0 && rsvp_find(p, n, 14)->status == RSVP_GOING,
       "someone who left counts for nothing: the first waiting moves up");
    ok(!rsvp_find(p, n, 10), "and is not listed");
    rsvp_resolve(&arena, rows, 0, 1000, 2, &p, &n, &t);
    ok(n == 0 && t.going == 0, "no answers");
}

static void policy(void)
{
    struct policy_space pub = {false, true, JOIN_OPEN, false, true};
    struct policy_actor member = {true, false, ROLE_MEMBER, ROLE_NONE, false};
    struct policy_actor fac = {true, false, ROLE_FACILITATOR, ROLE_NONE, false};
    struct policy_actor admin = {true, true, ROLE_NONE, ROLE_NONE, false};

    ok(!policy_can(&member, ACT_HOST_EVENT, &pub), "members do not create events");
    ok(policy_can(&fac, ACT_HOST_EVENT, &pub), "facilitators do");
    ok(policy_can(&admin, ACT_HOST_EVENT, &pub), "and admins");
}

/* Every physical line of a calendar: CRLF-ended, at most 75 octets, whole UTF-8. */
static void check_lines(const char *text, const char *what)
{
    const char *p = text;
    bool crlf = true, short_lines = true, whole = true;

    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len;

        if (!nl) {
            crlf = false;
            break;
        }
        len = (size_t)(nl - p);
        if (!len || p[len - 1] != '\r')
            crlf = false;
        else
            len--;
        if (len > 75)
            short_lines = false;
        if (!utf8_valid(p, len))
            whole = false;
        p = nl + 1;
    }
    ok(crlf, what);
    ok(short_lines, "no line over 75 octets");
    ok(whole, "no UTF-8 character split by a fold");
}

/* The calendar unfolded: CRLF + space removed. */
static char *unfold(const char *text)
{
    char *out = malloc(strlen(text) + 1);
    size_t n = 0;

    for (const char *p = text; *p; p++) {
        if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ') {
            p += 2;
            continue;
        }
        out[n++] = *p;
    }
    out[n] = '\0';
    return out;
}

static void calendars(void)
{
    struct buf b;
    char long_text[1200], *flat;
    int64_t start = local_time_seconds(lt(2026, 10, 13, 16, 0));
    int64_t ex[] = {start + 7 * DAY};
    struct ics_item it = {
        .uid = s("event-7@praxis.example"),
        .summary = s("Réunion, du groupe; \\ « café »"),
        .location = s("Salle 4, Lyon"),
        .url = s("https://praxis.example/events/7"),
        .tz = s("Europe/Paris"),
        .start = lt(2026, 10, 13, 18, 0),
        .end = lt(2026, 10, 13, 19, 30),
        .start_utc = start,
        .rrule = s("FREQ=WEEKLY;COUNT=4"),
        .exdates = ex,
        .nexdates = 1,
        .sequence = 3,
        .created = start - 86400,
        .modified = start - 3600,
    };
    icalcomponent *cal, *ev;
    size_t k = 0;

    for (int i = 0; i < 100; i++) {
        memcpy(long_text + k, "é日x", 6);
        k += 6;
    }
    memcpy(long_text + k, "\nline two\r\nthree\x01.", 18);
    long_text[k + 18] = '\0';
    it.description = s(long_text);
    buf_init(&b, &arena, 1 << 20);
    ok(!ics_calendar(&b, s("Teachers' circle"), &it, 1), "a calendar");
    check_lines(b.ptr, "every line ends in CRLF");
    flat = unfold(b.ptr);
    ok(strstr(flat, "SUMMARY:Réunion\\, du groupe\\; \\\\ « café »\r\n") != NULL,
       "TEXT escaped: comma, semicolon, backslash");
    ok(strstr(flat, "\\nline two\\nthree.\r\n") != NULL,
       "line breaks as \\n, control characters dropped");
    ok(strstr(flat, "DTSTART;TZID=Europe/Paris:20261013T180000\r\n") != NULL,
       "the start, local with its zone");
    ok(strstr(flat, "DTEND;TZID=Europe/Paris:20261013T193000\r\n") != NULL, "the end");
    ok(strstr(flat, "RRULE:FREQ=WEEKLY;COUNT=4\r\n") != NULL, "the rule");
    ok(strstr(flat, "EXDATE;TZID=Europe/Paris:20261020T180000\r\n") != NULL,
       "the cancelled week, local");
    ok(strstr(flat, "BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n") != NULL,
       "a VTIMEZONE with the IANA name");
    ok(strstr(flat, "TZOFFSETTO:+0100") && strstr(flat, "TZOFFSETTO:+0200"),
       "with summer and winter");
    ok(!strstr(flat, "DTSTART:1891"), "cut to the years the events need");
    ok(strstr(flat, "UID:event-7@praxis.example\r\n") && strstr(flat, "SEQUENCE:3\r\n") &&
           strstr(flat, "STATUS:CONFIRMED\r\n") && strstr(flat, "DTSTAMP:20261013T150000Z\r\n"),
       "UID, SEQUENCE, STATUS, DTSTAMP");
    ok(strstr(flat, "X-WR-CALNAME:Teachers' circle\r\n") != NULL, "the calendar's name");

    /* libical's parser reads it back without errors, and its expansion agrees with ours. */
    cal = icalparser_parse_string(flat);
    ok(cal != NULL, "libical parses it");
    ev = cal ? icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT) : NULL;
    ok(ev && icalcomponent_count_errors(cal) == 0, "without errors");
    if (ev) {
        const char *summary = icalcomponent_get_summary(ev);

        is_str(summary, "Réunion, du groupe; \\ « café »", "the summary unescaped");
        ok(strlen(icalcomponent_get_description(ev)) == 600 + 16,
           "the description whole after unfolding");
    }
    if (cal)
        icalcomponent_free(cal);
    free(flat);

    it.cancelled = true;
    it.recurrence_id = start + 14 * DAY + 3600;
    it.start = lt(2026, 10, 27, 18, 0);
    it.end = lt(2026, 10, 27, 19, 30);
    buf_reset(&b);
    ok(!ics_calendar(&b, STR_NULL, &it, 1), "one occurrence");
    flat = unfold(b.ptr);
    ok(strstr(flat, "RECURRENCE-ID;TZID=Europe/Paris:20261027T180000\r\n") != NULL,
       "named by RECURRENCE-ID");
    ok(!strstr(flat, "RRULE:FREQ=WEEKLY") && !strstr(flat, "EXDATE"), "without the rule");
    ok(strstr(flat, "STATUS:CANCELLED\r\n") != NULL, "cancelled");
    ok(!strstr(flat, "X-WR-CALNAME"), "no name asked");
    free(flat);

    it = (struct ics_item){.uid = s("u@x"),
                           .summary = s("In UTC"),
                           .tz = s("UTC"),
                           .start = lt(2026, 5, 1, 9, 0),
                           .end = lt(2026, 5, 1, 10, 0),
                           .start_utc = local_time_seconds(lt(2026, 5, 1, 9, 0))};
    buf_reset(&b);
    ok(!ics_calendar(&b, STR_NULL, &it, 1), "a UTC event");
    ok(strstr(b.ptr, "DTSTART:20260501T090000Z\r\n") && !strstr(b.ptr, "VTIMEZONE"),
       "in UTC, without a VTIMEZONE");
    it.tz = s("Nowhere/Atall");
    buf_reset(&b);
    ok(ics_calendar(&b, STR_NULL, &it, 1) == E_INVAL, "an unknown zone is an error");
}

int main(void)
{
    arena_init(&arena);
    recur_init();
    names();
    local_times();
    moments();
    texts();
    reminders();
    zones();
    rules();
    expansion();
    codes();
    answers();
    policy();
    calendars();
    arena_release(&arena);
    return tap_done();
}

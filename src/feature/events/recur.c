#include "feature/events/recur.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/utf8.h"
#include "feature/events/recur_int.h"

static pthread_mutex_t ical_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t ical_once = PTHREAD_ONCE_INIT;

static void ical_start(void)
{
    /* Errors come back as values; libical must never abort the server. */
    icalerror_set_errors_are_fatal(0);
}

void recur_init(void)
{
    pthread_once(&ical_once, ical_start);
}

void recur_lock(void)
{
    recur_init();
    pthread_mutex_lock(&ical_lock);
}

void recur_unlock(void)
{
    pthread_mutex_unlock(&ical_lock);
}

/* Zones ----------------------------------------------------------------------- */

icaltimezone *recur_zone(struct str tz)
{
    char name[EVENT_TZ_MAX + 1];

    if (!zone_name_ok(tz))
        return NULL;
    memcpy(name, tz.ptr, tz.len);
    name[tz.len] = '\0';
    if (!strcmp(name, "UTC"))
        return icaltimezone_get_utc_timezone();
    return icaltimezone_get_builtin_timezone(name);
}

bool recur_zone_known(struct str tz)
{
    bool known;

    recur_lock();
    known = recur_zone(tz) != NULL;
    recur_unlock();
    return known;
}

const char *rule_zone(struct str tz)
{
    if (!tz.len)
        return "is required";
    if (!zone_name_ok(tz))
        return "must be a zone name like Europe/Paris or America/New_York";
    if (!recur_zone_known(tz))
        return "is not a time zone we know; use a name like Europe/Paris or America/New_York";
    return NULL;
}

struct icaltimetype recur_floating(struct local_time lt)
{
    struct icaltimetype t = icaltime_null_time();

    t.year = lt.year;
    t.month = lt.month;
    t.day = lt.day;
    t.hour = lt.hour;
    t.minute = lt.minute;
    t.second = lt.second;
    t.is_date = 0;
    t.zone = NULL;
    return t;
}

static struct local_time local_of(struct icaltimetype t)
{
    return (struct local_time){t.year, t.month, t.day, t.hour, t.minute, t.second};
}

struct local_time recur_at(icaltimezone *z, int64_t t)
{
    return local_of(icaltime_from_timet_with_zone((time_t)t, 0, z));
}

/* The offset from UTC in force at UTC t, in seconds; the lock is held. */
static int64_t offset_at(icaltimezone *z, int64_t t)
{
    return local_time_seconds(recur_at(z, t)) - t;
}

/* Whether UTC t reads as local l in zone z; the lock is held. */
static bool reads_as(icaltimezone *z, int64_t t, int64_t l)
{
    return local_time_seconds(recur_at(z, t)) == l;
}

int64_t recur_utc(icaltimezone *z, struct local_time lt)
{
    int64_t l = local_time_seconds(lt);
    int64_t guess = (int64_t)icaltime_as_timet_with_zone(recur_floating(lt), z);
    int64_t before = offset_at(z, guess - 43200), after = offset_at(z, guess + 43200);

    if (before == after)
        return l - before;
    /*
     * A change of offset within half a day. Reading the time with the
     * offset before the change gives the first of two equal times in
     * autumn; if it does not read back, the time is after the change; if
     * neither does, it fell in the gap of spring, and RFC 5545 reads it
     * with the offset before the gap.
     */
    if (reads_as(z, l - before, l))
        return l - before;
    if (reads_as(z, l - after, l))
        return l - after;
    return l - before;
}

int recur_to_utc(struct str tz, struct local_time lt, int64_t *out)
{
    icaltimezone *z;

    recur_lock();
    z = recur_zone(tz);
    if (z)
        *out = recur_utc(z, lt);
    recur_unlock();
    return z ? 0 : E_INVAL;
}

int recur_to_local(struct str tz, int64_t t, struct local_time *out, int *offset)
{
    icaltimezone *z;

    recur_lock();
    z = recur_zone(tz);
    if (z) {
        *out = recur_at(z, t);
        if (offset)
            *offset = (int)(local_time_seconds(*out) - t);
    }
    recur_unlock();
    return z ? 0 : E_INVAL;
}

/* Rules ------------------------------------------------------------------------ */

#define COUNT_MAX    5000
#define INTERVAL_MAX 1000

/* The parts of an RRULE an event may use: no hours, minutes or seconds, no other calendars. */
static const char *const parts_ok[] = {"FREQ",    "UNTIL",      "COUNT",     "INTERVAL",
                                       "BYDAY",   "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO",
                                       "BYMONTH", "BYSETPOS",   "WKST"};

/* A rule's text upper-cased without "RRULE:", into buf; NULL or what is wrong. */
static const char *rule_text(struct str in, char buf[EVENT_RRULE_MAX + 1])
{
    size_t n = 0;

    in = str_trim(in);
    if (in.len >= 6 && str_case_eq(str_make(in.ptr, 6), STR_LIT("RRULE:"))) {
        in.ptr += 6;
        in.len -= 6;
    }
    if (in.len > EVENT_RRULE_MAX)
        return "is longer than 500 characters";
    for (size_t i = 0; i < in.len; i++) {
        char c = in.ptr[i];

        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '=' || c == ';' ||
              c == ',' || c == '+' || c == '-' || c == ':'))
            return "must be an RRULE like FREQ=WEEKLY;BYDAY=TU (RFC 5545)";
        buf[n++] = c;
    }
    buf[n] = '\0';
    /* Each part's name, before its '=', must be one we take. */
    for (char *p = buf; *p;) {
        char *end = strchr(p, ';'), *eq = strchr(p, '=');
        size_t len = eq && (!end || eq < end) ? (size_t)(eq - p) : 0;
        bool ok = false;

        for (size_t k = 0; len && k < sizeof(parts_ok) / sizeof(parts_ok[0]); k++)
            ok |= strlen(parts_ok[k]) == len && !strncmp(parts_ok[k], p, len);
        if (!ok) {
            if ((len == 6 && !strncmp(p, "BYHOUR", 6)) ||
                (len == 8 && !strncmp(p, "BYMINUTE", 8)) ||
                (len == 8 && !strncmp(p, "BYSECOND", 8)))
                return "may not use BYHOUR, BYMINUTE or BYSECOND: an event keeps the time of day "
                       "of its start";
            return "must be an RRULE like FREQ=WEEKLY;BYDAY=TU (RFC 5545)";
        }
        if (!end)
            break;
        p = end + 1;
    }
    return NULL;
}

bool recur_parse_rule(struct str text, struct icalrecurrencetype *out)
{
    char buf[EVENT_RRULE_MAX + 1];

    if (!text.len || text.len > EVENT_RRULE_MAX)
        return false;
    memcpy(buf, text.ptr, text.len);
    buf[text.len] = '\0';
    icalerror_clear_errno();
    *out = icalrecurrencetype_from_string(buf);
    return out->freq != ICAL_NO_RECURRENCE && icalerrno == ICAL_NO_ERROR && !out->rscale;
}

/*
 * An iterator over the local starts of a rule whose UNTIL is UTC: libical
 * compares UNTIL with the local times it makes, so it is given UNTIL as a
 * local time of the zone. NULL when the rule never happens. The lock is held.
 */
static icalrecur_iterator *iterate(icaltimezone *z, struct icalrecurrencetype rule,
                                   struct local_time start)
{
    if (!icaltime_is_null_time(rule.until)) {
        int64_t until =
            (int64_t)icaltime_as_timet_with_zone(rule.until, icaltimezone_get_utc_timezone());

        rule.until = recur_floating(recur_at(z, until));
    }
    return icalrecur_iterator_new(rule, recur_floating(start));
}

static bool same_local(struct icaltimetype t, struct local_time lt)
{
    return t.year == lt.year && t.month == lt.month && t.day == lt.day && t.hour == lt.hour &&
           t.minute == lt.minute && t.second == lt.second;
}

/* See rule_rrule(); the lock is held. */
static const char *check_rule(struct arena *a, icaltimezone *z, const char *text,
                              struct local_time start, struct str *out)
{
    struct icalrecurrencetype rule;
    icalrecur_iterator *it;
    struct icaltimetype first;
    char *canon;

    if (!recur_parse_rule(str_c(text), &rule))
        return "must be an RRULE like FREQ=WEEKLY;BYDAY=TU (RFC 5545)";
    if (rule.freq == ICAL_SECONDLY_RECURRENCE || rule.freq == ICAL_MINUTELY_RECURRENCE ||
        rule.freq == ICAL_HOURLY_RECURRENCE)
        return "may repeat at most daily (FREQ=DAILY, WEEKLY, MONTHLY or YEARLY)";
    if (rule.count > COUNT_MAX)
        return "may have a COUNT of at most 5000";
    if (rule.interval > INTERVAL_MAX || rule.interval < 1)
        return "may have an INTERVAL of 1 to 1000";
    if (!icaltime_is_null_time(rule.until)) {
        struct icaltimetype u = rule.until;
        int64_t until, first_utc = recur_utc(z, start);

        /* libical reads "20229536" as a date and rolls it on; a person meant none of it. */
        if (u.month < 1 || u.month > 12 || u.day < 1 || u.day > days_in_month(u.year, u.month) ||
            u.hour < 0 || u.hour > 23 || u.minute < 0 || u.minute > 59 || u.second < 0 ||
            u.second > 59)
            return "has an UNTIL that is not a real date";

        if (rule.until.is_date) {
            /* A date means the whole of that day, where the event is. */
            struct local_time end = {rule.until.year, rule.until.month, rule.until.day, 23, 59, 59};

            until = recur_utc(z, end);
        } else if (icaltime_is_utc(rule.until)) {
            until =
                (int64_t)icaltime_as_timet_with_zone(rule.until, icaltimezone_get_utc_timezone());
        } else {
            until = recur_utc(z, local_of(rule.until));
        }
        if (until < first_utc)
            return "ends (UNTIL) before the event starts";
        if (local_time_from_seconds(until).year > EVENT_YEAR_MAX)
            return "must end (UNTIL) by the year 2099";
        rule.until =
            icaltime_from_timet_with_zone((time_t)until, 0, icaltimezone_get_utc_timezone());
    }
    it = iterate(z, rule, start);
    if (!it)
        return "never happens; check its BY parts";
    first = icalrecur_iterator_next(it);
    icalrecur_iterator_free(it);
    if (icaltime_is_null_time(first))
        return "never happens; check its BY parts";
    if (!same_local(first, start))
        return "must have the event's start as its first occurrence (start the event on a day "
               "the rule gives)";
    canon = icalrecurrencetype_as_string_r(&rule);
    if (!canon)
        return "must be an RRULE like FREQ=WEEKLY;BYDAY=TU (RFC 5545)";
    *out = str_make(arena_strndup(a, canon, strlen(canon)), strlen(canon));
    free(canon);
    return NULL;
}

const char *rule_rrule(struct arena *a, struct str rrule, struct str tz, struct local_time start,
                       struct str *out)
{
    char text[EVENT_RRULE_MAX + 1];
    const char *msg = rule_text(rrule, text);
    icaltimezone *z;

    *out = STR_NULL;
    if (msg)
        return msg;
    if (!text[0])
        return NULL;
    recur_lock();
    z = recur_zone(tz);
    msg = z ? check_rule(a, z, text, start, out) : "cannot be checked without a known time zone";
    recur_unlock();
    return msg;
}

/* Expansion --------------------------------------------------------------------- */

/*
 * Walk the occurrences in order, calling fn for each until it returns
 * false. At most ITERATIONS_MAX are made: a rule that repeats daily from
 * 2000 reaches 2099 in about 36,500. The lock is held.
 */
#define ITERATIONS_MAX 40000

typedef bool each_fn(const struct occurrence *o, void *arg);

static bool cancelled(const struct recur_spec *spec, int64_t start)
{
    for (size_t i = 0; i < spec->nexdates; i++)
        if (spec->exdates[i] == start)
            return true;
    return false;
}

static int walk(const struct recur_spec *spec, icaltimezone *z, int64_t from, each_fn *fn,
                void *arg)
{
    struct icalrecurrencetype rule;
    icalrecur_iterator *it;
    struct occurrence o;

    if (!spec->rrule.len) {
        o.start = recur_utc(z, spec->start);
        o.end = o.start + spec->duration;
        o.start_local = spec->start;
        o.end_local = recur_at(z, o.end);
        o.cancelled = cancelled(spec, o.start);
        fn(&o, arg);
        return 0;
    }
    if (!recur_parse_rule(spec->rrule, &rule))
        return E_INVAL;
    it = iterate(z, rule, spec->start);
    if (!it)
        return 0;
    for (int i = 0; i < ITERATIONS_MAX; i++) {
        struct icaltimetype t = icalrecur_iterator_next(it);

        if (icaltime_is_null_time(t))
            break;
        o.start_local = local_of(t);
        /*
         * Occurrences that end over a day before from, whatever the zone's
         * offset, are passed without placing them in UTC.
         */
        if (local_time_seconds(o.start_local) + spec->duration + (int64_t)2 * 86400 < from)
            continue;
        o.start = recur_utc(z, o.start_local);
        o.end = o.start + spec->duration;
        o.end_local = recur_at(z, o.end);
        o.cancelled = cancelled(spec, o.start);
        if (!fn(&o, arg))
            break;
    }
    icalrecur_iterator_free(it);
    return 0;
}

struct window {
    int64_t from, to;
    struct occurrence *out;
    size_t max, n;
    bool more;
};

static bool in_window(const struct occurrence *o, void *arg)
{
    struct window *w = arg;

    if (o->start >= w->to)
        return false;
    if (o->end <= w->from)
        return true;
    if (w->n == w->max) {
        w->more = true;
        return false;
    }
    w->out[w->n++] = *o;
    return true;
}

int recur_expand(const struct recur_spec *spec, int64_t from, int64_t to, struct occurrence *out,
                 size_t max, size_t *n, bool *more)
{
    struct window w = {from, to, out, max, 0, false};
    icaltimezone *z;
    int rc = E_INVAL;

    recur_lock();
    z = recur_zone(spec->tz);
    if (z)
        rc = walk(spec, z, from, in_window, &w);
    recur_unlock();
    *n = w.n;
    *more = w.more;
    return rc;
}

struct finding {
    int64_t t;
    struct occurrence *out;
    bool found;
};

static bool is_it(const struct occurrence *o, void *arg)
{
    struct finding *f = arg;

    if (o->start == f->t) {
        *f->out = *o;
        f->found = true;
    }
    return o->start < f->t;
}

int recur_find(const struct recur_spec *spec, int64_t t, struct occurrence *out)
{
    struct finding f = {t, out, false};
    icaltimezone *z;
    int rc = E_INVAL;

    recur_lock();
    z = recur_zone(spec->tz);
    if (z)
        rc = walk(spec, z, t - spec->duration, is_it, &f);
    recur_unlock();
    if (rc)
        return rc;
    return f.found ? 0 : E_NOTFOUND;
}

struct last {
    int64_t end;
    int n;
};

static bool keep_last(const struct occurrence *o, void *arg)
{
    struct last *l = arg;

    l->end = o->end;
    l->n++;
    return true;
}

int recur_last_end(const struct recur_spec *spec, int64_t *out)
{
    struct icalrecurrencetype rule;
    struct last l = {0, 0};
    icaltimezone *z;
    int rc = E_INVAL;

    recur_lock();
    z = recur_zone(spec->tz);
    if (z && spec->rrule.len && !recur_parse_rule(spec->rrule, &rule))
        z = NULL;
    if (z && spec->rrule.len && !rule.count && icaltime_is_null_time(rule.until)) {
        *out = 0; /* forever */
        rc = 0;
    } else if (z) {
        rc = walk(spec, z, INT64_MIN / 2, keep_last, &l);
        *out = l.end;
    }
    recur_unlock();
    return rc;
}

#include "feature/events/rules.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/utf8.h"

static const char *const mode_names[MODE__MAX] = {
    [MODE_IN_PERSON] = "in_person",
    [MODE_ONLINE] = "online",
    [MODE_HYBRID] = "hybrid",
};
static const char *const status_names[EVENT_STATUS__MAX] = {
    [EVENT_CONFIRMED] = "confirmed",
    [EVENT_CANCELLED] = "cancelled",
};
static const char *const rsvp_names[RSVP__MAX] = {
    [RSVP_GOING] = "going",
    [RSVP_MAYBE] = "maybe",
    [RSVP_NOT_GOING] = "not_going",
    [RSVP_WAITLISTED] = "waitlisted",
};
static const char *const attend_names[ATTEND__MAX] = {
    [ATTEND_IN_PERSON] = "in_person",
    [ATTEND_ONLINE] = "online",
};

static int parse_name(struct str s, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (str_eq_c(s, names[i]))
            return i;
    return n;
}

const char *event_mode_name(enum event_mode m)
{
    return m < MODE__MAX ? mode_names[m] : "in_person";
}

enum event_mode event_mode_parse(struct str s)
{
    return (enum event_mode)parse_name(s, mode_names, MODE__MAX);
}

const char *event_status_name(enum event_status s)
{
    return s < EVENT_STATUS__MAX ? status_names[s] : "confirmed";
}

enum event_status event_status_parse(struct str s)
{
    return (enum event_status)parse_name(s, status_names, EVENT_STATUS__MAX);
}

const char *rsvp_status_name(enum rsvp_status s)
{
    return s < RSVP__MAX ? rsvp_names[s] : "not_going";
}

enum rsvp_status rsvp_status_parse(struct str s)
{
    enum rsvp_status st = (enum rsvp_status)parse_name(s, rsvp_names, RSVP__MAX);

    return st == RSVP_WAITLISTED ? RSVP__MAX : st;
}

const char *attend_mode_name(enum attend_mode m)
{
    return m < ATTEND__MAX ? attend_names[m] : "in_person";
}

enum attend_mode attend_mode_parse(struct str s)
{
    return (enum attend_mode)parse_name(s, attend_names, ATTEND__MAX);
}

/* Times ----------------------------------------------------------------------- */

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (month < 1 || month > 12)
        return 0;
    return days[month - 1] + (month == 2 && leap(year));
}

int64_t local_time_seconds(struct local_time t)
{
    return clock_days_from_civil(t.year, t.month, t.day) * 86400 + (int64_t)t.hour * 3600 +
           (int64_t)t.minute * 60 + t.second;
}

struct local_time local_time_from_seconds(int64_t s)
{
    struct local_time t;
    int64_t days = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
    int64_t secs = s - days * 86400, z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;

    t.day = (int)(doy - (153 * mp + 2) / 5 + 1);
    t.month = (int)(mp < 10 ? mp + 3 : mp - 9);
    t.year = (int)(yoe + era * 400 + (t.month <= 2));
    t.hour = (int)(secs / 3600);
    t.minute = (int)(secs / 60 % 60);
    t.second = (int)(secs % 60);
    return t;
}

void local_time_format(struct local_time t, char out[20])
{
    static const char digits[] = "0123456789";
    int parts[6] = {t.year, t.month, t.day, t.hour, t.minute, t.second};
    static const char seps[6] = {'-', '-', 'T', ':', ':', '\0'};
    size_t k = 0;

    for (int i = 0; i < 6; i++) {
        int v = parts[i] < 0 ? 0 : parts[i];

        if (i == 0) {
            out[k++] = digits[v / 1000 % 10];
            out[k++] = digits[v / 100 % 10];
        }
        out[k++] = digits[v / 10 % 10];
        out[k++] = digits[v % 10];
        out[k++] = seps[i];
    }
}

/* n digits at s[*i] into *v; false when there are fewer. */
static bool digits_at(struct str s, size_t *i, size_t n, int *v)
{
    *v = 0;
    if (*i + n > s.len)
        return false;
    for (size_t k = 0; k < n; k++) {
        char c = s.ptr[*i + k];

        if (c < '0' || c > '9')
            return false;
        *v = *v * 10 + (c - '0');
    }
    *i += n;
    return true;
}

static bool char_at(struct str s, size_t *i, char c)
{
    if (*i < s.len && s.ptr[*i] == c) {
        (*i)++;
        return true;
    }
    return false;
}

/*
 * "YYYY-MM-DDTHH:MM[:SS]" from s[0]; *i is left after it. false when the
 * shape is wrong; the ranges are the caller's to check.
 */
static bool date_time_at(struct str s, size_t *i, struct local_time *t)
{
    memset(t, 0, sizeof(*t));
    if (!digits_at(s, i, 4, &t->year) || !char_at(s, i, '-') || !digits_at(s, i, 2, &t->month) ||
        !char_at(s, i, '-') || !digits_at(s, i, 2, &t->day))
        return false;
    if (!char_at(s, i, 'T') && !char_at(s, i, 't') && !char_at(s, i, ' '))
        return false;
    if (!digits_at(s, i, 2, &t->hour) || !char_at(s, i, ':') || !digits_at(s, i, 2, &t->minute))
        return false;
    if (char_at(s, i, ':') && !digits_at(s, i, 2, &t->second))
        return false;
    return true;
}

static bool in_range(const struct local_time *t)
{
    return t->month >= 1 && t->month <= 12 && t->day >= 1 &&
           t->day <= days_in_month(t->year, t->month) && t->hour <= 23 && t->minute <= 59 &&
           t->second <= 59;
}

const char *rule_local_time(struct str s, struct local_time *out)
{
    size_t i = 0;

    s = str_trim(s);
    if (!s.len)
        return "is required";
    if (!date_time_at(s, &i, out))
        return "must be a local date and time like 2026-12-10T18:00";
    if (i < s.len) {
        char c = s.ptr[i];

        if (c == 'Z' || c == 'z' || c == '+' || c == '-')
            return "must be a local time without an offset, like 2026-12-10T18:00 (the zone goes "
                   "in tz)";
        return "must be a local date and time like 2026-12-10T18:00";
    }
    if (!in_range(out))
        return "is not a real date and time";
    if (out->year < EVENT_YEAR_MIN || out->year > EVENT_YEAR_MAX)
        return "must be in the years 2000 to 2099";
    return NULL;
}

bool parse_moment(struct str s, int64_t *out)
{
    struct local_time t;
    size_t i = 0;
    int oh = 0, om = 0, sign = 0;

    s = str_trim(s);
    if (!s.len || s.len > 40)
        return false;
    if (!str_to_i64(s, out))
        return *out > 0;
    if (!date_time_at(s, &i, &t) || !in_range(&t) || t.year < 1970 || t.year > 9999)
        return false;
    /* Fractions of a second (JavaScript writes ".000") add nothing to a whole second. */
    if (char_at(s, &i, '.')) {
        size_t digits = 0;

        while (i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9' && digits < 9) {
            i++;
            digits++;
        }
        if (!digits)
            return false;
    }
    if (char_at(s, &i, 'Z') || char_at(s, &i, 'z')) {
        sign = 0;
    } else if (char_at(s, &i, '+')) {
        sign = 1;
    } else if (char_at(s, &i, '-')) {
        sign = -1;
    } else {
        return false;
    }
    if (sign && (!digits_at(s, &i, 2, &oh) || !char_at(s, &i, ':') || !digits_at(s, &i, 2, &om) ||
                 oh > 23 || om > 59))
        return false;
    if (i != s.len)
        return false;
    *out = local_time_seconds(t) - (int64_t)sign * (oh * 3600 + om * 60);
    return true;
}

/* Texts ------------------------------------------------------------------------ */

static const char *one_line(struct str s, size_t max, const char *too_long)
{
    if (!utf8_valid(s.ptr, s.len))
        return "is not valid UTF-8";
    if (utf8_len(s.ptr, s.len) > max)
        return too_long;
    if (utf8_has_control(s.ptr, s.len))
        return "must be one line without control characters";
    return NULL;
}

const char *rule_event_title(struct str title)
{
    if (!title.len)
        return "is required";
    return one_line(title, EVENT_TITLE_MAX, "is longer than 200 characters");
}

const char *rule_location(struct str location)
{
    return one_line(location, EVENT_LOCATION_MAX, "is longer than 300 characters");
}

const char *rule_join_url(struct str url)
{
    size_t skip;

    if (!url.len)
        return NULL;
    if (url.len > EVENT_URL_MAX)
        return "is longer than 2000 characters";
    if (str_case_eq(str_make(url.ptr, url.len < 8 ? url.len : 8), STR_LIT("https://")))
        skip = 8;
    else if (str_case_eq(str_make(url.ptr, url.len < 7 ? url.len : 7), STR_LIT("http://")))
        skip = 7;
    else
        return "must be an http or https link";
    if (url.len == skip || url.ptr[skip] == '/')
        return "must name a host, like https://meet.example.org/room";
    for (size_t i = 0; i < url.len; i++) {
        unsigned char c = (unsigned char)url.ptr[i];

        if (c <= 0x20 || c == 0x7f || c == '"' || c == '<' || c == '>' || c == '\\')
            return "must be one link without spaces, quotes or angle brackets";
    }
    return utf8_valid(url.ptr, url.len) ? NULL : "is not valid UTF-8";
}

const char *rule_mode_needs(enum event_mode m, struct str location, struct str join_url,
                            const char **field)
{
    if ((m == MODE_IN_PERSON || m == MODE_HYBRID) && !location.len) {
        *field = "location";
        return m == MODE_HYBRID ? "is required for a hybrid event (with a join link)"
                                : "is required for an in-person event";
    }
    if ((m == MODE_ONLINE || m == MODE_HYBRID) && !join_url.len) {
        *field = "join_url";
        return m == MODE_HYBRID ? "is required for a hybrid event (with a location)"
                                : "is required for an online event";
    }
    *field = NULL;
    return NULL;
}

static bool zone_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '+' || c == '-';
}

bool zone_name_ok(struct str tz)
{
    bool seg_start = true;

    if (!tz.len || tz.len > EVENT_TZ_MAX)
        return false;
    for (size_t i = 0; i < tz.len; i++) {
        char c = tz.ptr[i];

        if (c == '/') {
            if (seg_start)
                return false;
            seg_start = true;
            continue;
        }
        /* No segment starts with '.' (no ".."), '-' or '+' (no option-like names). */
        if (!zone_char(c) || (seg_start && (c == '-' || c == '+')))
            return false;
        seg_start = false;
    }
    if (seg_start)
        return false;
    /* Files of the zoneinfo folder that are not zones people live in. */
    return !str_starts_with(tz, STR_LIT("posix/")) && !str_starts_with(tz, STR_LIT("right/")) &&
           !str_eq_c(tz, "localtime") && !str_eq_c(tz, "posixrules") && !str_eq_c(tz, "Factory");
}

static int by_offset_desc(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;

    return (x < y) - (x > y);
}

const char *rule_reminders(const int64_t *in, size_t n, int *out, size_t *nout)
{
    *nout = 0;
    for (size_t i = 0; i < n; i++) {
        bool again = false;

        if (in[i] < EVENT_REMINDER_MIN || in[i] > EVENT_REMINDER_TOP)
            return "must each be 5 to 43200 minutes (30 days) before the start";
        for (size_t k = 0; k < *nout; k++)
            again |= out[k] == (int)in[i];
        if (again)
            continue;
        if (*nout == EVENT_REMINDERS_MAX)
            return "may hold at most 5 reminders";
        out[(*nout)++] = (int)in[i];
    }
    qsort(out, *nout, sizeof(*out), by_offset_desc);
    return NULL;
}

/* Check-in codes ---------------------------------------------------------------- */

const char checkin_alphabet[] = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
#define ALPHABET_LEN (sizeof(checkin_alphabet) - 1)

void checkin_code_from_hash(const unsigned char hash[32], char out[CHECKIN_CODE_LEN + 1])
{
    uint64_t v = 0;

    /*
     * 64 bits of the hash in base 31: the bias of taking six digits of a
     * number this much larger than 31^6 is below one part in 10^10.
     */
    for (int i = 0; i < 8; i++)
        v = v << 8 | hash[i];
    for (int i = 0; i < CHECKIN_CODE_LEN; i++) {
        out[i] = checkin_alphabet[v % ALPHABET_LEN];
        v /= ALPHABET_LEN;
    }
    out[CHECKIN_CODE_LEN] = '\0';
}

bool checkin_code_normal(struct str typed, char out[CHECKIN_CODE_LEN + 1])
{
    size_t n = 0;

    if (typed.len > 32)
        return false;
    for (size_t i = 0; i < typed.len; i++) {
        char c = typed.ptr[i];

        if (c == ' ' || c == '-' || c == '\t')
            continue;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (!memchr(checkin_alphabet, c, ALPHABET_LEN) || c == '\0' || n == CHECKIN_CODE_LEN)
            return false;
        out[n++] = c;
    }
    out[n] = '\0';
    return n == CHECKIN_CODE_LEN;
}

/* Answers ---------------------------------------------------------------------- */

/* The first row at or after occurrence o (rows sorted by occurrence, then user). */
static size_t first_of(const struct rsvp_row *rows, size_t n, int64_t o)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (rows[mid].occurrence < o)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int by_queue(const void *a, const void *b)
{
    const struct rsvp_place *x = a, *y = b;

    if (x->row->queued_us != y->row->queued_us)
        return x->row->queued_us < y->row->queued_us ? -1 : 1;
    return (x->row->id > y->row->id) - (x->row->id < y->row->id);
}

static int rank_of(enum rsvp_status s)
{
    return s == RSVP_GOING ? 0 : s == RSVP_WAITLISTED ? 1 : s == RSVP_MAYBE ? 2 : 3;
}

static int by_rank(const void *a, const void *b)
{
    const struct rsvp_place *x = a, *y = b;
    int rx = rank_of(x->status), ry = rank_of(y->status);

    if (rx != ry)
        return rx - ry;
    return by_queue(a, b);
}

void rsvp_resolve(struct arena *a, const struct rsvp_row *rows, size_t n, int64_t occurrence,
                  int64_t capacity, struct rsvp_place **out, size_t *nout, struct rsvp_tally *t)
{
    size_t s = first_of(rows, n, 0), s_end = first_of(rows, n, 1);
    size_t o = occurrence > 0 ? first_of(rows, n, occurrence) : n;
    size_t o_end = occurrence > 0 ? first_of(rows, n, occurrence + 1) : n;
    size_t cap = (s_end - s) + (o_end - o), k = 0, going = 0;
    struct rsvp_place *p = arena_calloc(a, cap ? cap : 1, sizeof(*p));

    memset(t, 0, sizeof(*t));
    /* Both runs are sorted by user: walk them side by side, the occurrence's answer first. */
    while (s < s_end || o < o_end) {
        const struct rsvp_row *row;

        if (o < o_end && (s == s_end || rows[o].user_id <= rows[s].user_id)) {
            if (s < s_end && rows[s].user_id == rows[o].user_id)
                s++;
            row = &rows[o++];
        } else {
            row = &rows[s++];
        }
        if (!row->counts)
            continue;
        p[k].row = row;
        p[k].status = row->status;
        p[k].position = 0;
        k++;
    }
    qsort(p, k, sizeof(*p), by_rank);
    for (size_t i = 0; i < k; i++) {
        switch (p[i].status) {
        case RSVP_GOING:
            if (capacity >= 0 && (int64_t)going >= capacity) {
                p[i].status = RSVP_WAITLISTED;
                p[i].position = ++t->waitlisted;
            } else {
                going++;
                t->going++;
            }
            break;
        case RSVP_MAYBE:
            t->maybe++;
            break;
        case RSVP_NOT_GOING:
        case RSVP_WAITLISTED:
        case RSVP__MAX:
            t->not_going++;
            break;
        }
    }
    if (out)
        *out = p;
    if (nout)
        *nout = k;
}

const struct rsvp_place *rsvp_find(const struct rsvp_place *places, size_t n, int64_t user_id)
{
    for (size_t i = 0; i < n; i++)
        if (places[i].row->user_id == user_id)
            return &places[i];
    return NULL;
}

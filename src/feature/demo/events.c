/*
 * The demo's events: the rituals and meetings a community of practice
 * keeps. A weekly online chat held most weeks (one cancelled), a monthly
 * assessment clinic, a hybrid spring-term meet-up to come with a waiting
 * list, and a lesson study research lesson in its group; with answers,
 * attendance (checked in or marked by a host) and follow-ups published as
 * summary topics. Times are wall-clock times in the hosts' zones, placed
 * relative to now, so the calendar and the rhythm view look lived in.
 * The reminders and follow-up asks of what is to come are planned as the
 * events feature would (events_plan()).
 */
#include "feature/events/events.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"
#include "db/db.h"
#include "feature/demo/demo.h"
#include "feature/demo/demo_int.h"
#include "feature/discuss/model.h"
#include "feature/rhythm/model.h"
#include "feature/rhythm/rhythm.h"
#include "view/markdown.h"

struct event_def {
    const char *space, *title, *host, *tz;
    const char *mode, *location, *join_url;
    const char *rrule;
    const char *description;
    const char *answers; /* "handle:going;handle:maybe;..." for the series */
    const char *summary; /* the follow-up of the last past occurrence, or NULL */
    int weeks_back;      /* the first occurrence: this many weeks before this week */
    int days_ahead;      /* or, for one not yet begun, this many days from today */
    int hour, minute, minutes;
    int capacity;     /* 0: no limit */
    int held_percent; /* of past occurrences, how many had attendance recorded */
};

static const struct event_def events[] = {
    {.space = "teaching-maths",
     .title = "Monday maths chat",
     .host = "kwame",
     .tz = "Europe/London",
     .weeks_back = 10,
     .hour = 19,
     .minutes = 60,
     .mode = "online",
     .location = "",
     .join_url = "https://meet.example.org/monday-maths-chat",
     .rrule = "FREQ=WEEKLY;BYDAY=MO",
     .description = "An hour to bring a question from your week: a lesson that went sideways, a "
                    "task that worked, a student you are stuck on. No agenda beyond that; cameras "
                    "optional.",
     .answers = "kwame:going;amara:going;oliver:going;siobhan:going;mei:maybe;diego:going;"
                "fatima:maybe;priya:going;jonas:maybe",
     .held_percent = 80,
     .summary = "We talked about **retrieval practice at the start of lessons**: three quick "
                "questions from last week, last month and last term. Oliver's Year 10s moan but "
                "remember more; Mei warned against marking them, which turns them into a test."
                "\n\nPriya asked how to keep it going when the timetable is cut; the answer was: "
                "fewer questions, never none."},
    {.space = "assessment-for-learning",
     .title = "Assessment clinic",
     .host = "amara",
     .tz = "Europe/London",
     .weeks_back = 14,
     .hour = 16,
     .minute = 30,
     .minutes = 75,
     .mode = "hybrid",
     .location = "Room 2.14, Manchester Teaching Hub",
     .join_url = "https://meet.example.org/assessment-clinic",
     .rrule = "FREQ=MONTHLY",
     .description = "Bring a piece of assessment you are unsure of (a hinge question, an exit "
                    "ticket, a mock paper) and we look at it together: what it tells you, and "
                    "what it cannot.",
     .answers = "amara:going;kwame:going;oliver:maybe;samir:going;ngozi:going",
     .held_percent = 70},
    {.space = "teaching-maths",
     .title = "Spring term meet-up",
     .host = "amara",
     .tz = "Europe/London",
     .days_ahead = 12,
     .hour = 10,
     .minutes = 300,
     .mode = "hybrid",
     .location = "Manchester Central Library, Room 3",
     .join_url = "https://meet.example.org/spring-meetup",
     .capacity = 12,
     .rrule = "",
     .description = "Our face-to-face kickoff for the spring term. Morning: three short talks "
                    "from members (mastery in Year 7, questioning, and what we learnt from last "
                    "term's lesson study). Afternoon: planning the term's themes together. Lunch "
                    "is on the hub.",
     .answers = "amara:going;kwame:going;oliver:going;siobhan:going;mei:going;diego:going;"
                "fatima:going;priya:going;jonas:going;aisha:going;liam:going;yuki:going;"
                "sofia:going;chidi:going;ben:maybe;ngozi:maybe"},
    {.space = "lesson-study",
     .title = "Research lesson: fractions on a number line",
     .host = "kwame",
     .tz = "Europe/London",
     .days_ahead = 5,
     .hour = 9,
     .minute = 15,
     .minutes = 90,
     .mode = "in_person",
     .location = "Oak Hill School, Room 12",
     .join_url = "",
     .capacity = 8,
     .rrule = "",
     .description = "The research lesson of this cycle, taught by Siobhán to her Year 7 class. "
                    "Observers watch the students, not the teacher; the debrief follows straight "
                    "after.",
     .answers = "kwame:going;siobhan:going;oliver:going;mei:maybe"},
};

/*
 * The follow-up of occurrence start, by host: its summary topic (posted an
 * hour after the end) and the follow-up that links the two.
 */
static int add_followup(struct fill *f, const struct event *e, int64_t host, int64_t start,
                        int64_t end, const char *summary)
{
    struct followup fu = {0};
    struct html html, sum;
    struct buf title;
    struct str md;
    int64_t at = demo_before_now(f, end + HOUR), topic, number, post;
    int rc;

    fu.event_id = e->id;
    fu.occurrence = start;
    fu.summary = str_c(summary);
    fu.resources = STR_LIT("https://example.org/retrieval-practice-starters\n");
    fu.next_steps = STR_LIT("Try three retrieval questions at the start of two lessons this "
                            "week, and bring back what students said.");
    fu.created_by = host;
    fu.created_at = at;
    rc = markdown_render(&f->arena, fu.summary, 8192, &sum);
    if (rc)
        return rc;
    fu.summary_html = str_make(sum.ptr, sum.len);
    rc = markdown_render(&f->arena, fu.next_steps, 8192, &html);
    if (rc)
        return rc;
    fu.next_steps_html = str_make(html.ptr, html.len);
    md = rhythm_followup_markdown(&f->arena, &fu, e, STR_NULL, true);
    rc = markdown_render(&f->arena, md, md.len + 1, &html);
    if (rc)
        return rc;
    buf_init(&title, &f->arena, 256);
    buf_puts(&title, "Summary: ");
    buf_put_str(&title, e->title);
    rc = db_query_int(f->db, STMT_TOPIC_INSERT,
                      (struct db_param[]){DB_INT(e->space_id), DB_INT(host), DB_TEXTC("summary"),
                                          DB_TEXT(buf_str(&title)), DB_INT(0), DB_INT(at)},
                      6, &topic);
    if (!rc)
        rc = db_query_int(f->db, STMT_TOPIC_ADD_POST,
                          (struct db_param[]){DB_INT(topic), DB_INT(at), DB_INT(host)}, 3, &number);
    if (!rc) {
        struct db_param p[] = {DB_INT(topic),
                               DB_INT(e->space_id),
                               DB_INT(host),
                               DB_INT(number),
                               DB_NULL,
                               DB_TEXT(md),
                               DB_TEXT(str_make(html.ptr, html.len)),
                               DB_INT(at)};

        rc = db_query_int(f->db, STMT_POST_INSERT, p, ARRAY_LEN(p), &post);
    }
    if (!rc)
        rc = db_exec(f->db, STMT_WATCH_TOPIC_PUT,
                     (struct db_param[]){DB_INT(host), DB_INT(topic), DB_TEXTC("watching")}, 3,
                     NULL);
    if (!rc)
        rc = demo_act(f, host, "topic.create", "topic", topic, e->space_id, at);
    fu.topic_id = topic;
    if (!rc)
        rc = followup_insert(f->db, &fu, &fu.id);
    if (!rc)
        rc = demo_act(f, host, "event.followup", "event", e->id, e->space_id, at);
    f->out->topics++;
    f->out->posts++;
    return rc;
}

/* Read one "handle:status" of a list separated by ';'; returns where the next begins. */
static const char *next_answer(const char *a, char handle[32], char status[16])
{
    const char *colon = strchr(a, ':'), *semi = strchr(a, ';');

    if (!colon)
        BUG("a demo answer without a status");
    if (!semi)
        semi = a + strlen(a);
    snprintf(handle, 32, "%.*s", (int)(colon - a), a);
    snprintf(status, 16, "%.*s", (int)(semi - colon - 1), colon + 1);
    return *semi ? semi + 1 : semi;
}

/* The space of a slug (the demo's), or 0. */
static int64_t space_of(const struct fill *f, const char *slug)
{
    return f->space[demo_space(slug)];
}

static int64_t user_of(const struct fill *f, const char *handle)
{
    return f->user[demo_person(str_c(handle))];
}

/* Monday 00:00 UTC of this week, less n weeks, plus the days to the event's local day. */
static struct local_time local_start(const struct fill *f, const struct event_def *d)
{
    int64_t t = f->now - ((f->now - 4 * DAY) % (7 * DAY)); /* Monday of this week */
    struct local_time lt;

    if (d->weeks_back)
        t -= (int64_t)d->weeks_back * 7 * DAY;
    else
        t = f->now - f->now % DAY + (int64_t)d->days_ahead * DAY;
    lt = local_time_from_seconds(t);
    lt.hour = d->hour;
    lt.minute = d->minute;
    lt.second = 0;
    return lt;
}

static int add_event(struct fill *f, const struct event_def *d)
{
    int64_t space = space_of(f, d->space), host = user_of(f, d->host), id, start, end;
    struct local_time ls = local_start(f, d), le;
    struct str tz = str_c(d->tz), rrule = STR_NULL;
    unsigned char raw[32];
    char hex[65], uid[64], sl[20], el[20];
    struct html desc;
    struct event e;
    struct occurrence *occ, *last = NULL;
    size_t n;
    bool more;
    int rc;

    if (recur_to_utc(tz, ls, &start))
        return E_INVAL;
    end = start + (int64_t)d->minutes * 60;
    if (recur_to_local(tz, end, &le, NULL))
        return E_INVAL;
    if (*d->rrule) {
        const char *why = rule_rrule(&f->arena, str_c(d->rrule), tz, ls, &rrule);

        if (why) {
            f->why = why;
            return E_INVAL;
        }
    }
    rc = markdown_render(&f->arena, str_c(d->description), 4096, &desc);
    if (rc)
        return rc;
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(hex, sizeof(hex), raw, sizeof(raw));
    snprintf(uid, sizeof(uid), "demo-%.16s@praxis", hex + 32);
    local_time_format(ls, sl);
    local_time_format(le, el);
    {
        struct db_param p[] = {
            DB_INT(space),
            DB_TEXTC(uid),
            DB_TEXTC(d->title),
            DB_TEXTC(d->description),
            DB_TEXT(str_make(desc.ptr, desc.len)),
            DB_TEXTC(""),
            DB_TEXTC(""),
            DB_TEXT(tz),
            DB_TEXTC(sl),
            DB_TEXTC(el),
            DB_INT(start),
            DB_INT(end),
            rrule.len ? DB_NULL : DB_INT(end),
            DB_TEXTC(d->mode),
            DB_TEXTC(d->location),
            DB_TEXTC(d->join_url),
            d->capacity ? DB_INT(d->capacity) : DB_NULL,
            DB_TEXT(rrule),
            DB_TEXTC("1440,60"),
            DB_TEXTC(hex),
            DB_INT(host),
            DB_INT(demo_before_now(f, start - 14 * DAY)),
        };

        rc = db_query_int(f->db, STMT_EVENT_INSERT, p, ARRAY_LEN(p), &id);
    }
    if (!rc)
        rc = db_exec(f->db, STMT_EVENT_HOST_ADD,
                     (struct db_param[]){DB_INT(id), DB_INT(host), DB_INT(f->now)}, 3, NULL);
    if (!rc)
        rc = demo_act(f, host, "event.create", "event", id, space,
                      demo_before_now(f, start - 14 * DAY));
    if (!rc)
        rc = event_load(f->db, &f->arena, id, &e);
    if (rc)
        return rc;

    /* The answers, for the whole series, each a little after the last. */
    for (const char *a = d->answers; *a && !rc;) {
        char handle[32], status[16];
        int64_t order = a - d->answers;

        a = next_answer(a, handle, status);
        rc = db_exec(f->db, STMT_RSVP_PUT,
                     (struct db_param[]){DB_INT(id), DB_INT(user_of(f, handle)), DB_INT(0),
                                         DB_TEXTC(status),
                                         DB_INT((f->now - 10 * DAY) * 1000000 + order),
                                         DB_INT(demo_before_now(f, start - 10 * DAY))},
                     6, NULL);
    }
    if (rc)
        return rc;

    /*
     * Past occurrences: held_percent of them had someone's attendance
     * recorded (everyone going, checked in online or marked in the room),
     * one of the weekly ones was cancelled (half term).
     */
    rc = event_occurrences(&f->arena, &e, start, f->now, 200, &occ, &n, &more);
    for (size_t i = 0; i < n && !rc; i++) {
        if (occ[i].end > f->now)
            break;
        last = &occ[i];
        if (d->held_percent && i == 4 && strstr(d->rrule, "WEEKLY")) {
            rc = db_exec(f->db, STMT_EVENT_EXDATE_ADD,
                         (struct db_param[]){DB_INT(id), DB_INT(occ[i].start), DB_INT(host),
                                             DB_INT(occ[i].start - 3 * DAY)},
                         4, NULL);
            continue;
        }
        if ((int)((i * 37) % 100) >= d->held_percent)
            continue;
        for (const char *a = d->answers; *a && !rc;) {
            char handle[32], status[16];

            a = next_answer(a, handle, status);
            if (strcmp(status, "going") == 0 || (i + strlen(handle)) % 3 == 0) {
                bool online = strcmp(d->mode, "online") == 0 || (i + strlen(handle)) % 2;

                rc = db_exec(f->db, STMT_ATTEND_PUT,
                             (struct db_param[]){DB_INT(id), DB_INT(occ[i].start),
                                                 DB_INT(user_of(f, handle)),
                                                 DB_TEXTC(online ? "online" : "in_person"),
                                                 DB_TEXTC(online ? "checkin" : "host"),
                                                 online ? DB_NULL : DB_INT(host),
                                                 DB_INT(occ[i].start + 5 * MINUTE)},
                             7, NULL);
            }
        }
    }
    if (!rc && d->summary && last)
        rc = add_followup(f, &e, host, last->start, last->end, d->summary);
    if (!rc)
        rc = events_plan(f->db, &e, f->now, true);
    return rc;
}

int demo_events(struct fill *f)
{
    int rc = 0;

    for (size_t i = 0; i < ARRAY_LEN(events) && !rc; i++)
        rc = add_event(f, &events[i]);
    return rc;
}

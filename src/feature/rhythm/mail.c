/*
 * The meeting loop's mail, sent by jobs: reminders before an occurrence
 * (to those going or maybe, the .ics attached), the ask for a follow-up
 * when it ends (to its hosts), the follow-up itself (to those who came and
 * to whoever follows the space), a place off the waiting list, and the
 * notice of a space gone quiet or crowded (to its facilitators).
 *
 * Every job loads what it is about again and checks it still holds (the
 * event not cancelled or moved, the person still going): a job queued
 * yesterday acts on today's facts, and running one twice sends nothing
 * twice, because what it sends is keyed or checked.
 */
#include "feature/mail/mail.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "core/alloc.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "db/db.h"
#include "feature/events/events.h"
#include "feature/jobs/jobs.h"
#include "feature/rhythm/model.h"
#include "feature/rhythm/rhythm.h"
#include "feature/rhythm/rhythm_int.h"
#include "feature/rhythm/views.h"
#include "view/markdown.h"

static const char *const weekdays[7] = {"Thursday", "Friday",  "Saturday", "Sunday",
                                        "Monday",   "Tuesday", "Wednesday"};
static const char *const months[12] = {"January",   "February", "March",    "April",
                                       "May",       "June",     "July",     "August",
                                       "September", "October",  "November", "December"};

struct str rhythm_when(struct arena *a, struct str event_tz, struct str reader_tz, int64_t start,
                       int64_t end)
{
    struct str tz = reader_tz.len && recur_zone_known(reader_tz) ? reader_tz : event_tz;
    struct local_time s, e;
    struct buf b;
    int64_t days;

    if (recur_to_local(tz, start, &s, NULL) || recur_to_local(tz, end, &e, NULL))
        return STR_NULL;
    days = local_time_seconds(s) / 86400;
    if (local_time_seconds(s) < 0 && local_time_seconds(s) % 86400)
        days--;
    buf_init(&b, a, 96);
    buf_printf(&b, "%s %d %s %d, %02d:%02d", weekdays[((days % 7) + 7) % 7], s.day,
               months[s.month - 1], s.year, s.hour, s.minute);
    if (e.year == s.year && e.month == s.month && e.day == s.day)
        buf_printf(&b, "–%02d:%02d", e.hour, e.minute);
    else
        buf_printf(&b, " – %d %s, %02d:%02d", e.day, months[e.month - 1], e.hour, e.minute);
    buf_printf(&b, " (%.*s)", (int)tz.len, tz.ptr);
    return buf_str(&b);
}

/* base + path, as a URL for a template (the base is the configured public address). */
static struct url link_to(struct arena *a, struct str base, const char *path)
{
    struct buf b;
    struct url u;

    buf_init(&b, a, 256);
    buf_put_str(&b, base);
    buf_puts(&b, path);
    if (b.toobig || url_build(a, buf_str(&b), &u))
        return URL_LIT("/");
    return u;
}

/* Render one mail of the loop and queue it (inside the caller's transaction). */
static int send(struct job *j, const struct person *to, enum mail_category cat, struct str subject,
                const struct view_loop_mail *vm, const struct mail_attachment *att, size_t natt)
{
    struct buf text, html;
    struct mail m = {0};
    int rc;

    if (!to->email.len)
        return 0;
    buf_init(&text, j->arena, 4096);
    buf_init(&html, j->arena, 8192);
    rc = text_loop_mail(&text, vm);
    if (!rc)
        rc = view_loop_mail(&html, vm);
    if (rc)
        return rc;
    m.user_id = to->id;
    m.to_addr = to->email;
    m.to_name = to->name;
    m.category = cat;
    m.subject = subject;
    m.text = buf_str(&text);
    m.html = html_from_buf(&html);
    m.att = att;
    m.natt = natt;
    rc = mail_queue(j->app, j->db, &m, j->now, NULL);
    if (rc == E_INVAL) {
        /* One unusable address must not hold back everyone else's mail. */
        log_warn("rhythm: no mail to user %lld: the address or name is unusable",
                 (long long)to->id);
        rc = 0;
    }
    return rc;
}

static struct str subject_of(struct arena *a, const char *lead, struct str title)
{
    struct buf b;

    buf_init(&b, a, 256);
    buf_printf(&b, "%s%.*s", lead, (int)title.len, title.ptr);
    return buf_str(&b);
}

/* The payload every event job carries: {"event": id, "occurrence": t, "extra": n}. */
static int read_payload(struct job *j, int64_t *event_id, int64_t *occurrence, int64_t *extra)
{
    json_error_t jerr;
    json_t *root = json_loadb(j->payload.ptr, j->payload.len, 0, &jerr);
    int rc = 0;

    if (!root || !json_is_integer(json_object_get(root, "event"))) {
        snprintf(j->err, sizeof(j->err), "the payload names no event");
        rc = JOB_FAIL;
    } else {
        *event_id = json_integer_value(json_object_get(root, "event"));
        *occurrence = json_integer_value(json_object_get(root, "occurrence"));
        *extra = json_integer_value(json_object_get(root, "extra"));
    }
    json_decref(root);
    return rc;
}

/*
 * The event and the occurrence a job is about, as they are now: 1 when the
 * job has nothing left to do (the event deleted or cancelled, the
 * occurrence moved or cancelled), 0 to go on.
 */
static int load_live(struct job *j, int64_t id, int64_t occurrence, struct event *e,
                     struct occurrence *o)
{
    int rc = event_load(j->db, j->arena, id, e);

    if (rc == E_NOTFOUND)
        return 1;
    if (rc)
        return rc;
    if (e->status != EVENT_CONFIRMED)
        return 1;
    rc = event_occurrence(e, occurrence, o);
    if (rc == E_NOTFOUND || (!rc && o->cancelled))
        return 1;
    return rc;
}

static void event_lines(struct job *j, const struct event *e, const struct occurrence *o,
                        struct str reader_tz, struct view_loop_mail *vm)
{
    vm->title = e->title;
    vm->when = rhythm_when(j->arena, e->tz, reader_tz, o->start, o->end);
    vm->where = e->location;
    if (e->join_url.len && url_build(j->arena, e->join_url, &vm->join) == 0)
        vm->has_join = true;
}

int rhythm_remind(struct job *j)
{
    struct event e;
    struct occurrence o;
    struct rsvp_place *places;
    struct rsvp_tally tally;
    struct mail_attachment att = {"event.ics", "text/calendar; method=PUBLISH; charset=UTF-8",
                                  STR_NULL};
    struct str base = mail_base_url(j->app, j->arena);
    struct buf ics;
    int64_t id, occ, minutes;
    size_t n;
    int rc = read_payload(j, &id, &occ, &minutes);

    if (rc)
        return rc;
    rc = load_live(j, id, occ, &e, &o);
    if (rc)
        return rc == 1 ? JOB_DONE : rc;
    if (j->now >= o.start)
        return JOB_DONE; /* the worker was down past the start: too late to remind */
    rc = event_people(j->db, j->arena, &e, occ, j->now, &places, &n, &tally);
    if (rc)
        return rc;
    buf_init(&ics, j->arena, 8192);
    rc = events_ics(j->arena, &e, occ, base, true, &ics);
    if (rc)
        return rc;
    att.data = buf_str(&ics);
    rc = db_tx_begin(j->db);
    if (rc)
        return rc;
    for (size_t i = 0; i < n && !rc; i++) {
        const struct rsvp_row *row = places[i].row;
        struct person to = {row->user_id, row->handle, row->name, row->email, row->timezone};
        struct view_loop_mail vm = {0};

        if (!row->counts || (places[i].status != RSVP_GOING && places[i].status != RSVP_MAYBE))
            continue;
        vm.name = row->name;
        vm.lead = places[i].status == RSVP_GOING
                      ? STR_LIT("A reminder: you are going to this.")
                      : STR_LIT("A reminder: you said you might come to this.");
        event_lines(j, &e, &o, row->timezone, &vm);
        vm.link_label = STR_LIT("See the event");
        vm.link = link_to(j->arena, base, rhythm_path(j->arena, "/events/%lld", (long long)e.id));
        vm.footnote = STR_LIT("The attached calendar file adds it to your calendar. If you "
                              "cannot come after all, change your answer on the event's page, "
                              "so that someone on the waiting list can take your place.");
        rc =
            send(j, &to, MAIL_REMINDERS, subject_of(j->arena, "Reminder: ", e.title), &vm, &att, 1);
    }
    return db_tx_end(j->db, rc);
}

int rhythm_ask_followup(struct job *j)
{
    struct event e;
    struct occurrence o;
    struct str base = mail_base_url(j->app, j->arena);
    int64_t id, occ, unused;
    bool done = false;
    int rc = read_payload(j, &id, &occ, &unused);

    if (rc)
        return rc;
    rc = load_live(j, id, occ, &e, &o);
    if (rc)
        return rc == 1 ? JOB_DONE : rc;
    rc = followup_exists(j->db, e.id, occ, &done);
    if (rc || done)
        return rc;
    rc = db_tx_begin(j->db);
    if (rc)
        return rc;
    for (size_t i = 0; i < e.nhosts && !rc; i++) {
        struct person to;
        struct view_loop_mail vm = {0};

        rc = person_load(j->db, j->arena, e.hosts[i].user_id, &to);
        if (rc == E_NOTFOUND) {
            rc = 0;
            continue;
        }
        if (rc)
            break;
        vm.name = to.name;
        vm.lead = STR_LIT("Your event has ended. While it is fresh, share what was discussed: "
                          "a short summary, the resources that came up, and the next steps. "
                          "It goes to everyone who came and to those who follow the space, "
                          "and stays on the event's page.");
        event_lines(j, &e, &o, to.timezone, &vm);
        vm.link_label = STR_LIT("Write the follow-up");
        vm.link = link_to(j->arena, base,
                          rhythm_path(j->arena, "/events/%lld/followup?occurrence=%lld",
                                      (long long)e.id, (long long)occ));
        rc = send(j, &to, MAIL_FOLLOWUPS, subject_of(j->arena, "How did it go? ", e.title), &vm,
                  NULL, 0);
    }
    return db_tx_end(j->db, rc);
}

int rhythm_moved_up(struct job *j)
{
    struct event e;
    struct occurrence o;
    struct rsvp_place *places;
    struct rsvp_tally tally;
    const struct rsvp_place *mine;
    struct str base = mail_base_url(j->app, j->arena);
    struct view_loop_mail vm = {0};
    struct person to;
    int64_t id, occ, user;
    size_t n;
    int rc = read_payload(j, &id, &occ, &user);

    if (rc)
        return rc;
    rc = load_live(j, id, occ, &e, &o);
    if (rc)
        return rc == 1 ? JOB_DONE : rc;
    if (j->now >= o.end)
        return JOB_DONE;
    rc = event_people(j->db, j->arena, &e, occ, j->now, &places, &n, &tally);
    if (rc)
        return rc;
    mine = rsvp_find(places, n, user);
    if (!mine || mine->status != RSVP_GOING)
        return JOB_DONE; /* they left again, or lost the place: nothing to tell */
    rc = person_load(j->db, j->arena, user, &to);
    if (rc)
        return rc == E_NOTFOUND ? JOB_DONE : rc;
    vm.name = to.name;
    vm.lead = STR_LIT("Good news: a place came free, and it is yours. You are going now.");
    event_lines(j, &e, &o, to.timezone, &vm);
    vm.link_label = STR_LIT("See the event");
    vm.link = link_to(j->arena, base, rhythm_path(j->arena, "/events/%lld", (long long)e.id));
    vm.footnote = STR_LIT("If you cannot come after all, change your answer on the event's "
                          "page, so the next person in line can take it.");
    rc = db_tx_begin(j->db);
    if (!rc)
        rc = send(j, &to, MAIL_REMINDERS, subject_of(j->arena, "You have a place: ", e.title), &vm,
                  NULL, 0);
    return db_tx_end(j->db, rc);
}

/* Whether id is among the first n of xs. */
static bool seen(const int64_t *xs, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (xs[i] == id)
            return true;
    return false;
}

int rhythm_followup_mail(struct job *j)
{
    struct event e;
    struct occurrence o;
    struct followup f;
    struct attendee *came;
    struct person *followers;
    struct str base = mail_base_url(j->app, j->arena);
    struct str md;
    struct html body;
    int64_t id, occ, fid, *sent;
    size_t ncame, nfollowers, nsent = 0;
    int rc = read_payload(j, &id, &occ, &fid);

    if (rc)
        return rc;
    rc = followup_load(j->db, j->arena, fid, &f);
    if (rc == E_NOTFOUND)
        return JOB_DONE;
    if (!rc)
        rc = event_load(j->db, j->arena, f.event_id, &e);
    if (rc == E_NOTFOUND)
        return JOB_DONE;
    if (!rc)
        rc = event_occurrence(&e, f.occurrence, &o);
    if (rc == E_NOTFOUND) {
        o.start = f.occurrence;
        o.end = f.occurrence + (e.ends_at - e.starts_at);
        rc = 0;
    }
    if (!rc)
        rc = event_attendees(j->db, j->arena, e.id, f.occurrence, &came, &ncame);
    if (!rc)
        rc = space_followers(j->db, j->arena, e.space_id, j->now, &followers, &nfollowers);
    if (rc)
        return rc;
    md = rhythm_followup_markdown(j->arena, &f, &e, base, false);
    rc = markdown_render(j->arena, md, md.len + 1, &body);
    if (rc)
        return rc;
    sent = arena_calloc(j->arena, ncame + nfollowers + 1, sizeof(*sent));
    rc = db_tx_begin(j->db);
    if (rc)
        return rc;
    for (size_t i = 0; i < ncame + nfollowers && !rc; i++) {
        struct person to;
        struct view_loop_mail vm = {0};
        bool attended = i < ncame;

        if (attended) {
            to = (struct person){came[i].user_id, came[i].handle, came[i].name, came[i].email,
                                 STR_NULL};
        } else {
            to = followers[i - ncame];
        }
        if (seen(sent, nsent, to.id))
            continue;
        sent[nsent++] = to.id;
        vm.name = to.name;
        vm.lead = attended ? STR_LIT("Thank you for coming. Here is the follow-up of the event: "
                                     "what was discussed, the resources and the next steps.")
                           : STR_LIT("The follow-up of an event in a space you follow: what "
                                     "was discussed, the resources and the next steps.");
        event_lines(j, &e, &o, to.timezone, &vm);
        vm.has_join = false;
        vm.has_body = true;
        vm.body = body;
        vm.body_text = md;
        vm.link_label = STR_LIT("Discuss it");
        if (f.topic_id)
            vm.link = link_to(j->arena, base,
                              rhythm_path(j->arena, "/topics/%lld", (long long)f.topic_id));
        else
            vm.link =
                link_to(j->arena, base, rhythm_path(j->arena, "/events/%lld", (long long)e.id));
        rc = send(j, &to, MAIL_FOLLOWUPS, subject_of(j->arena, "Follow-up: ", e.title), &vm, NULL,
                  0);
    }
    return db_tx_end(j->db, rc);
}

/* Every hour: plan the reminders and follow-up asks of the coming month's occurrences. */
int rhythm_plan(struct job *j)
{
    struct db_rows rows;
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    int rc = db_query(j->db, STMT_RHYTHM_EVENTS_TO_PLAN,
                      (struct db_param[]){DB_INT(j->now), DB_INT(j->now + (int64_t)32 * 86400)}, 2,
                      &rows);

    while (!rc && (rc = db_next(&rows)) > 0) {
        if (n == cap)
            ids = arena_grow(j->arena, ids, n, &cap, sizeof(*ids));
        ids[n++] = db_col_int(&rows, 0);
        rc = 0;
    }
    db_rows_done(&rows);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < n; i++) {
        struct event e;

        rc = event_load(j->db, j->arena, ids[i], &e);
        if (rc == E_NOTFOUND)
            continue;
        if (!rc)
            rc = db_tx_begin(j->db);
        if (!rc)
            rc = db_tx_end(j->db, events_plan(j->db, &e, j->now, false));
        if (rc)
            return rc;
    }
    return 0;
}

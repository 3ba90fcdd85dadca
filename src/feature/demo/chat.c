/*
 * The demo's chat: every demo space gets its general channel, and the
 * main community a few conversations as they would have gone over the
 * last days: hellos and quick questions in general, links in a public
 * resources channel, the facilitators planning in a private channel, a
 * read-only announcements channel, and a direct conversation. Authors
 * have read what they wrote, so the others find them unread.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/err.h"
#include "db/db.h"
#include "feature/chat/rules.h"
#include "feature/demo/demo.h"
#include "feature/demo/demo_int.h"
#include "view/markdown.h"

/* One message: who wrote it and its Markdown. */
struct chat_line {
    const char *who, *text;
};

struct chat_def {
    const char *space;             /* NULL for a direct conversation */
    const char *name;              /* NULL for the space's general channel */
    const char *kind;              /* "general", "public", "private" or "direct" */
    const char *people;            /* a private channel's or a conversation's, the maker first */
    bool read_only;                /* only facilitators post */
    int hours_ago;                 /* when the first message was written */
    int minutes_between;           /* and the next ones after it */
    const struct chat_line *lines; /* ending with {NULL, NULL} */
};

static const struct chat_line general_lines[] = {
    {"amara", "Welcome to the chat! This is the place for quick questions and hellos. Longer "
              "threads belong in **Discussions**, where they are easier to find later."},
    {"kwame",
     "Morning all. Anyone else teaching on the last day before half term? I am looking for "
     "a low-prep but still-maths lesson for Year 8."},
    {"priya", "Estimation challenges! How many grains of rice in a kilo, how many breaths in a "
              "lifetime. They argue for fifty minutes."},
    {"oliver", "Seconded. I add one rule: every estimate needs a written reason, or it does not "
               "count."},
    {"fatima", "@kwame there is a set of Fermi problems in #resources."},
    {"kwame", "Perfect, thank you both."},
    {"mei", "The lesson study circle meets on Thursday. If you are curious, come and watch: "
            "observers are welcome."},
    {NULL, NULL},
};

static const struct chat_line resources_lines[] = {
    {"fatima", "The Fermi problems I use with Year 8: [ten of them, with hints]"
               "(https://example.org/fermi-year-8)."},
    {"diego", "For early career colleagues: diagnostic questions make a good start to a topic. "
              "One question, four answers, each wrong answer a known misconception."},
    {"ana", "Does anyone have **worked examples with faded steps** for solving linear equations?"},
    {"mei", "We made some for last term's research lesson. I will tidy them and post them here."},
    {NULL, NULL},
};

static const struct chat_line stewards_lines[] = {
    {"amara", "Spring term: do we keep the Monday chat weekly, or go fortnightly?"},
    {"kwame", "Weekly. Numbers dipped in December but they are back to eight or nine."},
    {"siobhan", "Agreed. Could we ask someone new to host one each half term? It spreads the load, "
                "and it is how people move from the edge to the middle."},
    {"mei", "I can ask Priya: she ran a great session at her school."},
    {"diego", "And one of the early career group, perhaps Chloe. I will ask her."},
    {NULL, NULL},
};

static const struct chat_line announcements_lines[] = {
    {"amara", "The spring meet-up is booked: **Manchester, Saturday 14 March**. Details and the "
              "waiting list are in the calendar."},
    {"siobhan", "Reminder: the charter says pupils' work is shared anonymised. Please check photos "
                "for names on exercise books before posting."},
    {NULL, NULL},
};

static const struct chat_line dm_lines[] = {
    {"oliver", "Hi Priya, could I borrow your estimation starter slides?"},
    {"priya", "Of course! I will send a link tonight."},
    {"priya", "Here they are: https://example.org/estimation-starters. Adapt them as you like."},
    {"oliver",
     "Thank you, Year 8 loved it. One pupil estimated the breaths in a lifetime to within "
     "ten per cent."},
    {NULL, NULL},
};

static const struct chat_def chats[] = {
    {"teaching-maths", NULL, "general", "amara", false, 76, 95, general_lines},
    {"teaching-maths", "resources", "public", "fatima", false, 70, 140, resources_lines},
    {"teaching-maths", "stewards", "private", "amara siobhan kwame mei diego", false, 50, 35,
     stewards_lines},
    {"teaching-maths", "announcements", "public", "amara", true, 120, 1500, announcements_lines},
    {NULL, NULL, "direct", "oliver priya", false, 30, 200, dm_lines},
};

/* The handles of a space-separated list as demo people, at most max; *n of them. */
static void people_of(const char *list, size_t *out, size_t max, size_t *n)
{
    const char *cur = list;

    *n = 0;
    while (*cur && *n < max) {
        const char *end = strchr(cur, ' ');
        size_t len = end ? (size_t)(end - cur) : strlen(cur);

        out[(*n)++] = demo_person(str_make(cur, len));
        cur += end ? len + 1 : len;
    }
}

/* The channel a conversation is written in, made now. */
static int channel_of(struct fill *f, const struct chat_def *d, int64_t at, int64_t *id)
{
    size_t who[CHAT_DM_PEOPLE], n, people;
    int64_t sid = d->space ? f->space[demo_space(d->space)] : 0, ids[CHAT_DM_PEOPLE] = {0}, maker;
    int rc;

    people_of(d->people, who, CHAT_DM_PEOPLE, &n);
    for (size_t i = 0; i < n; i++)
        ids[i] = f->user[who[i]];
    maker = ids[0];
    if (strcmp(d->kind, "general") == 0)
        return db_query_int(f->db, STMT_CHAT_GENERAL_OF_SPACE, (struct db_param[]){DB_INT(sid)}, 1,
                            id);
    if (strcmp(d->kind, "direct") == 0) {
        struct str key = chat_dm_key(&f->arena, ids, n, &people);

        rc = db_query_int(f->db, STMT_CHAT_DM_INSERT,
                          (struct db_param[]){DB_TEXT(key), DB_INT(maker), DB_INT(at)}, 3, id);
    } else {
        struct str name = str_c(d->name);

        rc = db_query_int(f->db, STMT_CHAT_CHANNEL_INSERT,
                          (struct db_param[]){DB_INT(sid), DB_TEXTC(d->kind), DB_TEXT(name),
                                              DB_TEXT(chat_name_key(&f->arena, name)),
                                              DB_INT(maker), DB_INT(at)},
                          6, id);
        if (!rc && d->read_only)
            rc = db_exec(f->db, STMT_CHAT_CHANNEL_UPDATE,
                         (struct db_param[]){DB_INT(*id), DB_TEXT(name),
                                             DB_TEXT(chat_name_key(&f->arena, name)), DB_INT(1),
                                             DB_INT(at)},
                         5, NULL);
    }
    for (size_t i = 0; !rc && strcmp(d->kind, "public") != 0 && i < n; i++)
        rc = db_exec(f->db, STMT_CHAT_MEMBER_ADD,
                     (struct db_param[]){DB_INT(*id), DB_INT(ids[i]), DB_INT(maker), DB_INT(at)}, 4,
                     NULL);
    if (!rc)
        rc = demo_act(f, maker, strcmp(d->kind, "direct") == 0 ? "dm.create" : "channel.create",
                      "channel", *id, sid, at);
    return rc;
}

static int add_chat(struct fill *f, const struct chat_def *d)
{
    int64_t sid = d->space ? f->space[demo_space(d->space)] : 0;
    int64_t at = demo_before_now(f, f->now - (int64_t)d->hours_ago * HOUR), channel;
    int rc = channel_of(f, d, at - MINUTE, &channel);

    for (size_t i = 0; !rc && d->lines[i].who; i++) {
        size_t p = demo_person(str_c(d->lines[i].who));
        struct str body = str_c(d->lines[i].text);
        struct markdown_mentions mentions;
        struct html html;
        int64_t id;

        rc = markdown_render_mentions(&f->arena, body, (size_t)CHAT_BODY_MAX * 4, &html, &mentions);
        if (rc) {
            f->why = "demo chat could not be rendered as Markdown";
            break;
        }
        rc = db_query_int(f->db, STMT_CHAT_MESSAGE_INSERT,
                          (struct db_param[]){DB_INT(channel), DB_INT(f->user[p]), DB_TEXT(body),
                                              DB_TEXT(str_make(html.ptr, html.len)), DB_INT(at)},
                          5, &id);
        if (!rc)
            rc = db_exec(f->db, STMT_CHAT_CHANNEL_TOUCH,
                         (struct db_param[]){DB_INT(channel), DB_INT(at)}, 2, NULL);
        if (!rc)
            rc = db_exec(
                f->db, STMT_CHAT_READ_MARK,
                (struct db_param[]){DB_INT(channel), DB_INT(f->user[p]), DB_INT(id), DB_INT(at)}, 4,
                NULL);
        if (!rc)
            rc = demo_act(f, f->user[p], "message.create", "message", id, sid, at);
        at = demo_before_now(f, at + (int64_t)d->minutes_between * MINUTE);
    }
    return rc;
}

int demo_chat(struct fill *f)
{
    int rc = 0;

    /* Every space its general channel, as the first look at its chat would make it. */
    for (size_t s = 0; !rc && s < DEMO_SPACES_MAX; s++)
        if (f->space[s])
            rc = db_exec(f->db, STMT_CHAT_GENERAL_INSERT,
                         (struct db_param[]){DB_INT(f->space[s]), DB_TEXTC(CHAT_GENERAL),
                                             DB_INT(f->created[s])},
                         3, NULL);
    for (size_t i = 0; !rc && i < ARRAY_LEN(chats); i++)
        rc = add_chat(f, &chats[i]);
    return rc;
}

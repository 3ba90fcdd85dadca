/*
 * praxis demo --scale N: a large made-up instance, quickly, for benchmarks
 * (bench/run.sh makes one of a million posts and searches it).
 *
 * Shape: N people in three communities and their six groups; about 10N
 * topics and 100N posts over the past year. Which space a topic is in
 * follows the spaces' sizes; who writes follows a Zipf-like law over the
 * space's members (the first people of the instance write most); replies
 * per topic follow an exponential law (mean 10, some topics of hundreds).
 * The text is sentences from templates over the vocabulary of vocab.c, each
 * list drawn Zipf-like, so a few words are everywhere and most are rare,
 * plus made-up names from syllables that are rarer still: search meets
 * something like the term distribution of a real forum.
 *
 * Speed: prepared statements (the db layer prepares each once per
 * connection), a transaction per BATCH topics, no activity rows, read state
 * or notifications (none of which a benchmark of pages and search needs),
 * and the topic's counters written once with the topic instead of once per
 * post. The HTML of every post is still rendered by markdown_render_mentions(),
 * as the discussions feature would: measured at about 13 us a post here, it
 * costs some 13 s of a million posts, a small part of the run, and keeps the
 * stored HTML exactly what the feature would have stored.
 */
#include <math.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/err.h"
#include "db/db.h"
#include "feature/accounts/rules.h"
#include "feature/demo/demo.h"
#include "feature/demo/demo_int.h"
#include "feature/discuss/rules.h"
#include "feature/spaces/policy.h"
#include "view/markdown.h"

#define SPAN      (DAY * 365) /* the history the instance has */
#define BATCH     2000        /* topics per transaction */
#define MAX_POSTS 300         /* in one topic */
#define TEXT_MAX  ((size_t)POST_BODY_MAX)

/* The spaces: three communities, then their groups. */
static const struct scale_space {
    const char *slug, *name, *purpose;
    int parent; /* the index of its community; -1 for a community */
    bool is_public;
    enum join_policy join;
    enum vocab_list nouns; /* what its people talk about, besides everything else */
    double share;          /* of everyone (a community) or of its community (a group) */
    const char *tags;      /* commonest first */
} scale_spaces[] = {
    {"maths", "Maths Teachers Exchange",
     "Maths teachers swapping tasks, questions and what worked in the classroom.", -1, true,
     JOIN_REQUEST, VOCAB_NOUN_MATHS, 0.50,
     "assessment,feedback,algebra,fractions,geometry,retrieval-practice,questioning,behaviour,"
     "planning,statistics,ratio,homework,mastery,problem-solving,exam-prep,calculus,"
     "misconceptions,number-sense,probability,trigonometry"},
    {"maths-algebra", "Algebra", "From the first unknown to quadratics and beyond.", 0, true,
     JOIN_OPEN, VOCAB_NOUN_MATHS, 0.30,
     "algebra,equations,expressions,quadratics,sequences,graphs,misconceptions,hinge-questions"},
    {"maths-assessment", "Assessment and feedback",
     "Finding out what pupils understand, and doing something about it.", 0, true, JOIN_OPEN,
     VOCAB_NOUN_MATHS, 0.35,
     "assessment,feedback,exit-tickets,marking,hinge-questions,mock-exams,moderation,data"},
    {"maths-heads", "Heads of maths", "Leading a maths department, frankly.", 0, false, JOIN_INVITE,
     VOCAB_NOUN_LEAD, 0.08,
     "leadership,curriculum,setting,recruitment,workload,data,timetabling,budget"},
    {"nursing", "Nursing Practice Network",
     "Nurses sharing what works, from the ward to the patient's home.", -1, true, JOIN_OPEN,
     VOCAB_NOUN_CARE, 0.30,
     "wound-care,pressure-injuries,infection-control,handover,dressings,medication,"
     "documentation,falls,nutrition,continence,palliative-care,students,night-shift,escalation"},
    {"nursing-wounds", "Wound care", "Dressings, compression and healing, case by case.", 4, true,
     JOIN_OPEN, VOCAB_NOUN_CARE, 0.40,
     "wound-care,dressings,leg-ulcers,compression,diabetic-foot,burns,photography,infection"},
    {"nursing-nights", "Night shift", "For those of us awake when everyone else is not.", 4, false,
     JOIN_INVITE, VOCAB_NOUN_CARE, 0.15,
     "night-shift,wellbeing,staffing,handover,sleep,rota,escalation"},
    {"leaders", "School Leaders Circle", "Heads and deputies thinking aloud, in private.", -1,
     false, JOIN_INVITE, VOCAB_NOUN_LEAD, 0.20,
     "leadership,governance,recruitment,budget,inspection,wellbeing,workload,curriculum,"
     "attendance,behaviour,inclusion,data"},
    {"leaders-wellbeing", "Staff wellbeing", "Workload, morale and keeping good people.", 7, false,
     JOIN_INVITE, VOCAB_NOUN_LEAD, 0.40,
     "wellbeing,workload,retention,flexible-working,morale,coaching"},
};

#define NSPACES ARRAY_LEN(scale_spaces)

static const char *const zones[] = {
    "Europe/London",    "Africa/Accra",        "Asia/Singapore",   "Europe/Madrid",
    "America/Toronto",  "Asia/Kolkata",        "Australia/Sydney", "America/Sao_Paulo",
    "Pacific/Auckland", "Africa/Johannesburg", "Europe/Berlin",    "Asia/Tokyo",
};

/*
 * Sentence templates: an upper-case letter is a slot (S subject, V verb,
 * T past tense, A adjective, N noun, P preposition, D determiner, R opener,
 * W question start, Q when, C conjunction, X adverb); anything else is
 * written as it is; ".", ",", "?" and ":" stick to the word before.
 */
static const char *const sentences[] = {
    "S X V D A N P D N .",
    "R , S T D N C S T D A N .",
    "D A N T D N Q .",
    "W V D A N P D N ?",
    "S T D N P D A N , C D N T X .",
    "S think D A N is A P D N .",
    "S V D N Q , C S V D A N .",
    "thanks for D A N , S will V it Q .",
    "D N P D N was A , C D A N was X A .",
    "R , D A N T X .",
    "S usually V D N P D N , C it depends on D A N .",
    "is D A N A P D N ?",
    "S V D N P N and N .",
    "the N is A , C the N is A .",
    "W V D N Q ?",
};
static const char *const titles[] = {
    "A N P N", "D A N", "N and N P D A N", "V D A N Q", "N P N", "A N P D N", "R : A N",
};
static const char *const question_titles[] = {
    "W V D A N ?",
    "W V D N P D N ?",
    "is D A N A ?",
    "A N or A N ?",
};

struct words {
    char **w;
    size_t n;
};

struct sspace {
    int64_t id;
    size_t *member; /* people, by index: the most active first */
    size_t n, cap;
    double upto; /* the running total of the spaces' weights, for picking one */
    int pinned;
};

struct gen {
    struct db *db;
    struct arena arena; /* per topic */
    struct arena post;  /* per post: staying in one small block, it costs no system calls */
    uint64_t rng;
    int64_t n, now, start, end;
    const char *hash, *why;
    struct words list[VOCAB__MAX];
    struct words tags[NSPACES];
    struct sspace space[NSPACES];
    int64_t *user; /* ids of people, by index */
    char **handle;
    /* The topic being made. */
    int64_t at[MAX_POSTS], post_id[MAX_POSTS];
    size_t author[MAX_POSTS];
    int64_t text_us;
    struct demo_scale_result *out;
};

/* splitmix64: small, fast and good enough to make up text. */
static uint64_t next(struct gen *g)
{
    uint64_t z = (g->rng += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double uniform(struct gen *g)
{
    return (double)(next(g) >> 11) * 0x1.0p-53;
}

static size_t below(struct gen *g, size_t n)
{
    return (size_t)(uniform(g) * (double)n);
}

/* An exponentially distributed value of the given mean. */
static double expo(struct gen *g, double mean)
{
    return -log(1.0 - uniform(g)) * mean;
}

/*
 * A rank in [0, n): rank r comes with probability near k / (r + k), the
 * density of a Zipf law of exponent 1 shifted by k (k = 1: the first of a
 * thousand comes one time in seven; the last, one in seven thousand).
 */
static size_t zipf(struct gen *g, size_t n, double k)
{
    double x = k * exp(uniform(g) * log(((double)n + k) / k)) - k;
    size_t r = (size_t)x;

    return r < n ? r : n - 1;
}

/* Split a list of comma-separated parts into words, on the heap. */
static void split(const char *const *parts, size_t nparts, struct words *out)
{
    size_t n = 0;

    for (size_t i = 0; i < nparts && parts[i]; i++) {
        n++;
        for (const char *p = parts[i]; *p; p++)
            n += *p == ',';
    }
    out->w = xcalloc(n ? n : 1, sizeof(*out->w));
    out->n = 0;
    for (size_t i = 0; i < nparts && parts[i]; i++) {
        const char *text = parts[i];

        while (*text) {
            const char *comma = strchr(text, ',');
            size_t len = comma ? (size_t)(comma - text) : strlen(text);
            char *w = xmalloc(len + 1);

            memcpy(w, text, len);
            w[len] = '\0';
            out->w[out->n++] = w;
            text += comma ? len + 1 : len;
        }
    }
}

static void free_words(struct words *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->w[i]);
    free(l->w);
}

static const char *pick(struct gen *g, enum vocab_list l)
{
    return g->list[l].w[zipf(g, g->list[l].n, 1.0)];
}

/* Text being written: words separated by spaces, sentences capitalised, "a" before a vowel "an". */
struct text {
    struct buf *b;
    bool fresh;   /* at the start of a line: no space before the next word */
    bool capital; /* the next word starts a sentence */
    bool was_a;   /* the last word written was "a" */
};

static void put(struct text *t, const char *w)
{
    bool punct = (w[0] == '.' || w[0] == ',' || w[0] == '?' || w[0] == ':') && !w[1];

    if (t->was_a && strchr("aeiou", w[0]) && w[0])
        buf_putc(t->b, 'n');
    if (!t->fresh && !punct)
        buf_putc(t->b, ' ');
    if (t->capital && w[0] >= 'a' && w[0] <= 'z') {
        buf_putc(t->b, (char)(w[0] - 'a' + 'A'));
        buf_puts(t->b, w + 1);
    } else {
        buf_puts(t->b, w);
    }
    t->was_a = !strcmp(w, "a");
    t->fresh = false;
    t->capital = w[0] == '.' || w[0] == '?';
}

/* A noun: mostly the general ones, often the space's own, now and then a made-up name. */
static void put_noun(struct gen *g, struct text *t, enum vocab_list own)
{
    double u = uniform(g);

    if (u < 0.02) {
        char made[32] = "";
        size_t parts = 2 + below(g, 2), len = 0;

        for (size_t i = 0; i < parts; i++) {
            const char *s = pick(g, VOCAB_SYLLABLE);
            size_t sl = strlen(s);

            if (len + sl < sizeof(made)) {
                memcpy(made + len, s, sl + 1);
                len += sl;
            }
        }
        put(t, made);
    } else if (u < 0.45) {
        put(t, pick(g, own));
    } else {
        put(t, pick(g, VOCAB_NOUN));
    }
}

static void put_template(struct gen *g, struct text *t, const char *tmpl, enum vocab_list own)
{
    static const struct {
        char slot;
        enum vocab_list list;
    } slots[] = {
        {'S', VOCAB_SUBJECT}, {'V', VOCAB_VERB}, {'T', VOCAB_PAST},   {'A', VOCAB_ADJ},
        {'P', VOCAB_PREP},    {'D', VOCAB_DET},  {'R', VOCAB_OPENER}, {'W', VOCAB_ASK},
        {'Q', VOCAB_WHEN},    {'C', VOCAB_CONJ}, {'X', VOCAB_ADV},
    };
    char word[32];

    while (*tmpl) {
        const char *sp = strchr(tmpl, ' ');
        size_t len = sp ? (size_t)(sp - tmpl) : strlen(tmpl);
        bool done = false;

        if (len == 1 && *tmpl == 'N') {
            put_noun(g, t, own);
            done = true;
        }
        for (size_t i = 0; !done && len == 1 && i < ARRAY_LEN(slots); i++) {
            if (*tmpl == slots[i].slot) {
                put(t, pick(g, slots[i].list));
                done = true;
            }
        }
        if (!done && ALWAYS(len < sizeof(word))) {
            memcpy(word, tmpl, len);
            word[len] = '\0';
            put(t, word);
        }
        tmpl += sp ? len + 1 : len;
    }
}

/*
 * A post's Markdown: paragraphs of sentences, sometimes a list, a reply
 * sometimes starting with a mention. Opening posts run longer.
 */
static void make_post(struct gen *g, struct buf *b, enum vocab_list own, bool opening,
                      const char *mention)
{
    struct text t = {b, true, true, false};
    size_t paras =
        opening ? 1 + below(g, 3) : (size_t)(1 + (uniform(g) < 0.5) + (uniform(g) < 0.2));

    if (mention) {
        buf_putc(b, '@');
        buf_puts(b, mention);
        t.fresh = false;
    }
    for (size_t p = 0; p < paras; p++) {
        size_t n = 1 + below(g, 4);

        if (p > 0) {
            BUF_LIT(b, "\n\n");
            t.fresh = true;
            t.capital = true;
        }
        if (p > 0 && uniform(g) < 0.1) {
            size_t items = 3 + below(g, 3);

            for (size_t i = 0; i < items; i++) {
                buf_puts(b, i ? "\n- " : "- ");
                t.fresh = true;
                t.capital = false;
                t.was_a = false;
                put_template(g, &t, "A N P D N", own);
            }
            continue;
        }
        for (size_t s = 0; s < n; s++)
            put_template(g, &t, sentences[below(g, ARRAY_LEN(sentences))], own);
    }
}

static struct str make_title(struct gen *g, bool question, enum vocab_list own)
{
    struct buf b;
    struct text t = {&b, true, true, false};

    buf_init(&b, &g->arena, TOPIC_TITLE_MAX);
    if (question)
        put_template(g, &t, question_titles[below(g, ARRAY_LEN(question_titles))], own);
    else
        put_template(g, &t, titles[below(g, ARRAY_LEN(titles))], own);
    return buf_str(&b);
}

/* People, spaces and who is in which: the first transaction. */
static int add_people(struct gen *g)
{
    const struct words *first = &g->list[VOCAB_FIRST], *last = &g->list[VOCAB_LAST];
    int rc = 0;

    for (int64_t i = 0; !rc && i < g->n; i++) {
        const char *f = first->w[(size_t)i % first->n];
        const char *l = last->w[((size_t)i / first->n + (size_t)i * 7) % last->n];
        char name[96], email[96], handle[32];
        int64_t signup = g->start - (40 + i % 200) * DAY - (i % 24) * HOUR;
        size_t k;

        snprintf(handle, sizeof(handle), "%s%lld", f, (long long)i + 1);
        for (k = 0; handle[k]; k++)
            if (handle[k] >= 'A' && handle[k] <= 'Z')
                handle[k] = (char)(handle[k] - 'A' + 'a');
        snprintf(name, sizeof(name), "%s %s", f, l);
        snprintf(email, sizeof(email), "%s@example.org", handle);
        g->handle[i] = xstrdup(handle);
        rc = db_query_int(g->db, STMT_USER_INSERT,
                          (struct db_param[]){
                              DB_TEXTC(handle), DB_TEXTC(name), DB_TEXTC(email), DB_TEXTC(g->hash),
                              DB_TEXTC(zones[(size_t)i % ARRAY_LEN(zones)]), DB_INT(signup)},
                          6, &g->user[i]);
        g->out->people++;
    }
    return rc;
}

static void add_to(struct sspace *s, size_t person)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->member = xrealloc(s->member, s->cap * sizeof(*s->member));
    }
    s->member[s->n++] = person;
}

/*
 * Who is in which space: everyone in one community, some in two; each
 * group takes its share of its community. Person 0 is in every space, as
 * a plain member, to sign in as.
 */
static void choose_members(struct gen *g)
{
    for (size_t p = 0; p < (size_t)g->n; p++) {
        bool in[NSPACES] = {false};
        double u = uniform(g);
        size_t home = u < 0.5 ? 0 : u < 0.8 ? 4 : 7;

        in[home] = true;
        if (uniform(g) < 0.15)
            in[home == 0 ? 4 : home == 4 ? 7 : 0] = true;
        for (size_t s = 0; s < NSPACES; s++)
            if (scale_spaces[s].parent >= 0 && in[scale_spaces[s].parent])
                in[s] = uniform(g) < scale_spaces[s].share;
        for (size_t s = 0; s < NSPACES; s++)
            if (in[s] || p == 0)
                add_to(&g->space[s], p);
    }
}

static int add_spaces(struct gen *g)
{
    double total = 0;
    int rc = 0;

    choose_members(g);
    for (size_t s = 0; !rc && s < NSPACES; s++) {
        const struct scale_space *d = &scale_spaces[s];
        struct sspace *sp = &g->space[s];
        int64_t made = g->start - 250 * DAY + (int64_t)s * HOUR;
        size_t creator = sp->member[sp->n > 1 ? 1 : 0];
        struct db_param p[] = {d->parent >= 0 ? DB_INT(g->space[d->parent].id) : DB_NULL,
                               DB_TEXTC(d->slug),
                               DB_TEXTC(d->name),
                               DB_TEXTC(d->purpose),
                               DB_TEXTC(""),
                               DB_TEXTC(""),
                               DB_TEXTC(d->is_public ? "public" : "private"),
                               DB_TEXTC(join_name(d->join)),
                               DB_INT(1),
                               DB_INT(g->user[creator]),
                               DB_INT(made)};

        rc = db_query_int(g->db, STMT_SPACE_INSERT, p, ARRAY_LEN(p), &sp->id);
        /* The owner made it; the next two facilitate; person 0 and the rest are members. */
        for (size_t i = 0; !rc && i < sp->n; i++) {
            enum role role = i == 1 || sp->n == 1 ? ROLE_OWNER
                             : i == 2 || i == 3   ? ROLE_FACILITATOR
                                                  : ROLE_MEMBER;
            int64_t joined = made + (int64_t)(1 + sp->member[i] % 200) * DAY;

            rc = db_exec(g->db, STMT_MEMBERSHIP_INSERT,
                         (struct db_param[]){DB_INT(sp->id), DB_INT(g->user[sp->member[i]]),
                                             DB_TEXTC(role_name(role)), DB_NULL, DB_INT(joined)},
                         5, NULL);
            g->out->memberships++;
        }
        total += (double)sp->n;
        sp->upto = total;
        split(&d->tags, 1, &g->tags[s]);
        g->out->spaces++;
    }
    return rc;
}

static size_t pick_space(struct gen *g)
{
    double x = uniform(g) * g->space[NSPACES - 1].upto;

    for (size_t s = 0; s < NSPACES; s++)
        if (x < g->space[s].upto)
            return s;
    return NSPACES - 1;
}

static int64_t clamp_end(const struct gen *g, int64_t t)
{
    return t < g->end ? t : g->end;
}

static int add_tags(struct gen *g, size_t s, int64_t topic_id)
{
    const struct words *l = &g->tags[s];
    double u = uniform(g);
    size_t want = u < 0.3 ? 0 : u < 0.7 ? 1 : u < 0.9 ? 2 : 3, chosen[3];
    int rc = 0;

    for (size_t i = 0; !rc && i < want; i++) {
        size_t r = zipf(g, l->n, 1.0);
        bool again = false;

        for (size_t k = 0; k < i; k++)
            again |= chosen[k] == r;
        chosen[i] = r;
        if (again)
            continue;
        rc = db_exec(g->db, STMT_TAG_INSERT,
                     (struct db_param[]){DB_INT(topic_id), DB_TEXTC(l->w[r])}, 2, NULL);
        g->out->tags++;
    }
    return rc;
}

static int add_reactions(struct gen *g, const struct sspace *sp, size_t i)
{
    static const char *const kinds[] = {"like",   "like",   "like",       "like",       "like",
                                        "thanks", "thanks", "insightful", "insightful", "helped"};
    size_t n = uniform(g) < 0.62 ? 0 : 1 + (size_t)expo(g, 1.5), who[12], what[12];
    int rc = 0;

    for (size_t r = 0; !rc && r < n && r < ARRAY_LEN(who); r++) {
        bool again = false;

        who[r] = sp->member[zipf(g, sp->n, 3.0)];
        what[r] = below(g, ARRAY_LEN(kinds));
        for (size_t k = 0; k < r; k++)
            again |= who[k] == who[r] && !strcmp(kinds[what[k]], kinds[what[r]]);
        if (again || who[r] == g->author[i])
            continue;
        rc = db_exec(g->db, STMT_REACTION_INSERT,
                     (struct db_param[]){
                         DB_INT(g->post_id[i]), DB_INT(g->user[who[r]]), DB_TEXTC(kinds[what[r]]),
                         DB_INT(clamp_end(g, g->at[i] + (int64_t)expo(g, 6 * HOUR)))},
                     4, NULL);
        g->out->reactions++;
    }
    return rc;
}

static int add_posts(struct gen *g, size_t s, int64_t topic_id, size_t k)
{
    const struct scale_space *d = &scale_spaces[s];
    struct sspace *sp = &g->space[s];
    struct buf b;
    int rc = 0;

    for (size_t i = 0; !rc && i < k; i++) {
        size_t reply = i >= 2 && uniform(g) < 0.25 ? i - 1 - below(g, i < 5 ? i : 5) : MAX_POSTS;
        const char *mention = NULL;
        int64_t t0 = clock_mono_us();
        struct markdown_mentions m;
        struct html html;

        if (i > 0 && uniform(g) < 0.04) {
            size_t other = g->author[below(g, i)];

            mention = other != g->author[i] ? g->handle[other] : NULL;
        }
        arena_reset(&g->post);
        buf_init(&b, &g->post, TEXT_MAX);
        make_post(g, &b, d->nouns, i == 0, mention);
        rc = markdown_render_mentions(&g->post, buf_str(&b), (size_t)POST_BODY_MAX * 4, &html, &m);
        g->text_us += clock_mono_us() - t0;
        if (rc) {
            g->why = "a made-up post could not be rendered as Markdown";
            break;
        }
        {
            struct db_param p[] = {DB_INT(topic_id),
                                   DB_INT(sp->id),
                                   DB_INT(g->user[g->author[i]]),
                                   DB_INT((int64_t)i + 1),
                                   reply < MAX_POSTS ? DB_INT(g->post_id[reply]) : DB_NULL,
                                   DB_TEXT(buf_str(&b)),
                                   DB_TEXT(str_make(html.ptr, html.len)),
                                   DB_INT(g->at[i])};

            rc = db_query_int(g->db, STMT_POST_INSERT, p, ARRAY_LEN(p), &g->post_id[i]);
        }
        if (!rc)
            rc = add_reactions(g, sp, i);
        g->out->posts++;
    }
    return rc;
}

/* One topic with its posts: when, where, who, how long, and what became of it. */
static int add_topic(struct gen *g, int64_t j, int64_t ntopics)
{
    size_t s = pick_space(g), k;
    struct sspace *sp = &g->space[s];
    const struct scale_space *d = &scale_spaces[s];
    int64_t slot = (SPAN - DAY) / ntopics, topic_id = 0;
    double u = uniform(g);
    bool announce = u < 0.02, question = !announce && u < 0.27, pinned = false;
    struct str title;
    int rc;

    g->at[0] = clamp_end(g, g->start + slot * j + (int64_t)below(g, (size_t)slot + 1));
    if (announce)
        g->author[0] = sp->member[sp->n > 1 ? 1 + below(g, sp->n > 3 ? 3 : sp->n - 1) : 0];
    else
        g->author[0] = sp->member[zipf(g, sp->n, 3.0)];
    k = 1 + (size_t)expo(g, 9.5);
    if (k > MAX_POSTS)
        k = MAX_POSTS;
    for (size_t i = 1; i < k; i++) {
        g->at[i] = clamp_end(g, g->at[i - 1] + (int64_t)expo(g, 2.0 * HOUR * (1 + (double)i / 4)));
        g->author[i] = uniform(g) < 0.12 ? g->author[0] : sp->member[zipf(g, sp->n, 3.0)];
    }
    if (announce && g->at[0] > g->now - 21 * DAY && sp->pinned < 3) {
        pinned = true;
        sp->pinned++;
    }
    title = make_title(g, question, d->nouns);
    {
        struct db_param p[] = {DB_INT(sp->id),
                               DB_INT(g->user[g->author[0]]),
                               DB_TEXTC(announce   ? "announcement"
                                        : question ? "question"
                                                   : "discussion"),
                               DB_TEXT(title),
                               DB_INT(pinned),
                               DB_INT((int64_t)k),
                               DB_INT(g->at[k - 1]),
                               DB_INT(g->user[g->author[k - 1]]),
                               DB_INT(g->at[0])};

        rc = db_query_int(g->db, STMT_DEMO_SCALE_TOPIC_INSERT, p, ARRAY_LEN(p), &topic_id);
    }
    if (!rc)
        rc = add_tags(g, s, topic_id);
    if (!rc)
        rc = db_exec(g->db, STMT_WATCH_TOPIC_PUT,
                     (struct db_param[]){DB_INT(g->user[g->author[0]]), DB_INT(topic_id),
                                         DB_TEXTC("watching")},
                     3, NULL);
    if (!rc)
        rc = add_posts(g, s, topic_id, k);
    if (!rc && question && k > 1 && uniform(g) < 0.6) {
        size_t a = 1 + below(g, k - 1);

        if (g->author[a] != g->author[0]) {
            rc = db_exec(g->db, STMT_TOPIC_SET_ACCEPTED,
                         (struct db_param[]){DB_INT(topic_id), DB_INT(g->post_id[a]),
                                             DB_INT(clamp_end(g, g->at[a] + 2 * HOUR))},
                         3, NULL);
            g->out->accepted++;
        }
    }
    g->out->topics++;
    return rc;
}

static double seconds_since(int64_t t0)
{
    return (double)(clock_mono_us() - t0) / 1e6;
}

static int generate(struct gen *g, FILE *progress, int64_t t0)
{
    int64_t ntopics = g->n * 10, have = 0, next_report = ntopics / 10;
    int rc = db_exec(g->db, STMT_DEMO_SCALE_TUNE_CACHE, NULL, 0, NULL);

    if (!rc)
        rc = db_exec(g->db, STMT_DEMO_SCALE_TUNE_TEMP, NULL, 0, NULL);
    if (!rc)
        rc = db_exec(g->db, STMT_DEMO_SCALE_TUNE_SYNC, NULL, 0, NULL);
    if (!rc)
        rc = db_tx_begin(g->db);
    if (rc)
        return rc;
    rc = db_query_int(g->db, STMT_DEMO_PEOPLE, NULL, 0, &have);
    if (!rc && have > 0) {
        g->why = "the database has people already; the demo fills only an empty one";
        rc = E_CONFLICT;
    }
    if (!rc)
        rc = add_people(g);
    if (!rc)
        rc = add_spaces(g);
    for (int64_t j = 0; !rc && j < ntopics; j++) {
        arena_reset(&g->arena);
        rc = add_topic(g, j, ntopics);
        if (!rc && (j + 1) % BATCH == 0) {
            rc = db_tx_commit(g->db);
            if (!rc)
                rc = db_tx_begin(g->db);
            if (rc)
                return rc; /* no transaction is open */
        }
        if (!rc && progress && j + 1 >= next_report && j + 1 < ntopics) {
            fprintf(progress, "demo: %lld of %lld topics, %lld posts, %.1f s\n", (long long)j + 1,
                    (long long)ntopics, (long long)g->out->posts, seconds_since(t0));
            fflush(progress);
            next_report += ntopics / 10;
        }
    }
    if (!rc) {
        char line[200];

        snprintf(line, sizeof(line),
                 "A generated instance (praxis demo --scale %lld): sign in as %s with the "
                 "password '%s'",
                 (long long)g->n, g->handle[0], DEMO_PASSWORD);
        rc = db_exec(g->db, STMT_SETTING_PUT,
                     (struct db_param[]){DB_TEXTC("tagline"), DB_TEXTC(line), DB_INT(g->now)}, 3,
                     NULL);
    }
    if (rc) {
        db_tx_rollback(g->db);
        return rc;
    }
    return db_tx_commit(g->db);
}

int demo_scale(struct db *db, bool cheap_passwords, int64_t n, FILE *progress,
               struct demo_scale_result *out, char *err, size_t errlen)
{
    struct gen *g;
    char hash[PASSWORD_HASH_MAX];
    int64_t t0 = clock_mono_us();
    int rc;

    memset(out, 0, sizeof(*out));
    out->n = n;
    if (n < 1 || n > DEMO_SCALE_MAX) {
        snprintf(err, errlen, "--scale takes 1 to %d people", DEMO_SCALE_MAX);
        return E_INVAL;
    }
    /* Hash first: the write lock is not held while argon2id works. */
    rc = sodium_init() < 0 ? E_IO : password_hash(STR_LIT(DEMO_PASSWORD), cheap_passwords, hash);
    if (rc) {
        snprintf(err, errlen, "cannot hash the demo password");
        return rc;
    }
    g = xcalloc(1, sizeof(*g));
    g->db = db;
    g->out = out;
    g->n = n;
    g->rng = 0x5eed0000ULL + (uint64_t)n;
    g->now = clock_unix();
    g->end = g->now - 10 * MINUTE;
    g->start = g->now - SPAN;
    g->hash = hash;
    g->user = xcalloc((size_t)n, sizeof(*g->user));
    g->handle = xcalloc((size_t)n, sizeof(*g->handle));
    arena_init(&g->arena);
    arena_init(&g->post);
    for (int l = 0; l < VOCAB__MAX; l++)
        split(vocab_text[l], 2, &g->list[l]);
    rc = generate(g, progress, t0);
    if (rc && g->why)
        snprintf(err, errlen, "%s", g->why);
    else if (rc)
        snprintf(err, errlen, "database: %s", db_errmsg(db));
    if (rc == E_CONFLICT && !g->why)
        rc = E_DB; /* E_CONFLICT means a database with people, and only that */
    if (!rc)
        snprintf(out->member, sizeof(out->member), "%s", g->handle[0]);
    out->seconds = seconds_since(t0);
    out->text_seconds = (double)g->text_us / 1e6;
    for (int l = 0; l < VOCAB__MAX; l++)
        free_words(&g->list[l]);
    for (size_t s = 0; s < NSPACES; s++) {
        free_words(&g->tags[s]);
        free(g->space[s].member);
    }
    for (int64_t i = 0; i < n; i++)
        free(g->handle[i]);
    free(g->handle);
    free(g->user);
    arena_release(&g->arena);
    arena_release(&g->post);
    free(g);
    return rc;
}

void demo_scale_report(FILE *f, const struct demo_scale_result *r, const struct config *cfg)
{
    char url[512];

    demo_site_url(cfg, url, sizeof(url));
    fprintf(f,
            "demo: scale %lld: added %lld people in %lld spaces (%lld memberships), %lld topics, "
            "%lld posts, %lld reactions, %lld tags and %lld accepted answers in %.1f s (%.0f "
            "posts/s; making up and rendering the text took %.1f s)\n",
            (long long)r->n, (long long)r->people, (long long)r->spaces, (long long)r->memberships,
            (long long)r->topics, (long long)r->posts, (long long)r->reactions, (long long)r->tags,
            (long long)r->accepted, r->seconds,
            r->seconds > 0 ? (double)r->posts / r->seconds : 0.0, r->text_seconds);
    fprintf(f, "Sign in at %s/signin as %s (a member of every space) with the password '%s'\n", url,
            r->member, DEMO_PASSWORD);
}

#include "feature/demo/demo.h"

#include <assert.h>
#include <sodium.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/err.h"
#include "db/db.h"
#include "feature/accounts/rules.h"
#include "feature/demo/demo_int.h"
#include "feature/profiles/rules.h"
#include "feature/spaces/policy.h"
#include "view/markdown.h"

/* Guests stay this long from the day the demo is made. */
#define GUEST_STAY (DAY * 6 * 7)

/* The source limit the spaces feature gives a charter. */
#define CHARTER_SRC_MAX 20000
/* markdown_render() bounds its source in bytes; a character is at most 4. */
#define BIO_SRC_MAX ((size_t)PROFILE_BIO_MAX * 4)

/* The demo's people ------------------------------------------------------ */

struct person {
    const char *handle, *name, *timezone;
    int days; /* signed up this many days ago */
    const char *bio;
    /* What they can help with, want to learn and are interested in; ';' between labels. */
    const char *help, *learn, *interest;
};

static const struct person people[] = {
    /* Keeps the server running; in no space. */
    {"rosa", "Rosa Delgado", "Europe/London", 66,
     "I look after this server. Tell me when something is broken.", "server administration", "",
     "open-source software"},

    /* Teaching Maths Together: owners, facilitators, members, guests. */
    {"amara", "Amara Okafor", "Europe/London", 64,
     "Head of maths at a comprehensive school in Leeds. Twenty years in and still learning.\n\n"
     "Ask me about **questioning** and running department CPD.",
     "formative assessment;questioning;department CPD", "lesson study;GCSE statistics",
     "research-informed teaching;history of mathematics"},
    {"siobhan", "Siobhán Murphy", "Europe/Dublin", 63,
     "Maths and applied maths in Cork, and head of department. I care about *curriculum "
     "coherence*, from primary school to the Leaving Cert.",
     "curriculum planning;timetabling;department leadership", "mastery teaching;behaviour",
     "primary to secondary transition;puzzles"},
    {"kwame", "Kwame Mensah", "Africa/Accra", 61,
     "I teach secondary maths in Accra and train teachers in *assessment for learning*. Hinge "
     "questions changed my teaching.",
     "formative assessment;hinge questions;assessment design",
     "GCSE statistics;spreadsheets for markbooks", "teacher education;football statistics"},
    {"mei", "Tan Mei Lin", "Asia/Singapore", 60,
     "Maths teacher in Singapore; I have run lesson study cycles for eight years. Currently "
     "thinking about:\n\n- bar models for ratio\n- variation theory in task design",
     "lesson study;bar modelling;variation theory", "behaviour;EAL learners",
     "Japanese lesson study;origami"},
    {"diego", "Diego Fernández", "Europe/Madrid", 59,
     "Mentor for new maths teachers in Madrid. The first two years are the hardest; nobody should "
     "do them alone.",
     "mentoring new teachers;behaviour;planning sequences", "formative assessment",
     "cognitive load theory;chess"},
    {"fatima", "Fatima Zahra Benali", "Europe/Paris", 58,
     "Collège maths teacher in Lyon. I collect *exit tickets* that actually tell you something.",
     "exit tickets;formative assessment;algebra misconceptions", "lesson study", "maths circles"},
    {"oliver", "Oliver Bennett", "Europe/London", 57, "", "A-level mechanics;retrieval practice",
     "lesson study;mixed-ability classes", "physics"},
    {"priya", "Priya Raman", "Asia/Kolkata", 56,
     "Teaching for mastery in Chennai. Mixed-ability classes are a strength, not a problem to be "
     "set away.",
     "mastery teaching;mixed-ability classes;number sense", "assessment design",
     "history of Indian mathematics;Carnatic music"},
    {"jonas", "Jonas Lindqvist", "Europe/Stockholm", 55, "", "GeoGebra;geometry",
     "lesson study;questioning", "programming in maths lessons"},
    {"aisha", "Aisha Yusuf", "Africa/Lagos", 54,
     "Maths teacher and exam marker. Happy to talk about *what examiners look for*.",
     "summative assessment;exam technique", "mastery teaching", "girls in STEM"},
    {"liam", "Liam O'Connor", "Europe/Dublin", 53,
     "Second-year teacher. Mostly here to learn, now and then to share a good task.", "rich tasks",
     "behaviour;formative assessment;planning sequences", ""},
    {"yuki", "Yuki Nakamura", "Asia/Tokyo", 52,
     "I teach in Osaka and help colleagues abroad try *jugyou kenkyuu*, lesson study.",
     "lesson study;problem-solving lessons", "EAL learners", "Japanese lesson study;calligraphy"},
    {"sofia", "Sofia Rossi", "Europe/Rome", 51, "", "maths anxiety;growth mindset research",
     "lesson study;assessment design", "history of mathematics"},
    {"chidi", "Chidi Eze", "Europe/London", 50,
     "Maths teacher in south London, and the data person: I build our department's **markbook "
     "spreadsheets**.",
     "spreadsheets for markbooks;GCSE statistics", "hinge questions", "data visualisation"},
    {"emma_w", "Emma Williams", "Australia/Sydney", 49,
     "Years 7 to 10 in Sydney. Numeracy across the curriculum is my hobby horse.",
     "numeracy across the curriculum;number sense", "mixed-ability classes;retrieval practice",
     "puzzles"},
    {"mateo", "Mateo García", "America/Mexico_City", 48, "", "bilingual maths teaching",
     "mastery teaching;formative assessment", "football statistics"},
    {"noor", "Noor Haddad", "Asia/Amman", 47,
     "I teach maths in English to learners whose first language is Arabic. Vocabulary matters.",
     "EAL learners;maths vocabulary", "assessment design;mixed-ability classes", "languages"},
    {"ben", "Ben Cohen", "Europe/London", 46, "Head of maths in Manchester. Engineer before that.",
     "department leadership;A-level further maths", "behaviour", "engineering;puzzles"},
    {"ngozi", "Ngozi Adeyemi", "Europe/London", 45,
     "Mentor for early career teachers and behaviour lead. *Routines first, then everything "
     "else.*",
     "behaviour;classroom routines;mentoring new teachers", "lesson study", "coaching"},
    {"lukas", "Lukas Weber", "Europe/Berlin", 44, "", "calculus;department leadership",
     "formative assessment", "mathematical modelling"},
    {"ana", "Ana Souza", "America/Sao_Paulo", 43, "First year teaching maths in São Paulo.", "",
     "behaviour;questioning;exit tickets", "olympiad problems"},
    {"wiremu", "Wiremu Tane", "Pacific/Auckland", 42,
     "Kaiako pāngarau (maths teacher) in Rotorua. Culturally sustaining maths, and tasks from our "
     "own places.",
     "culturally sustaining pedagogy;rich tasks", "lesson study", "ethnomathematics"},
    {"grace", "Grace Kim", "America/Toronto", 41,
     "Department head in Toronto, thinking about *grading for learning*.",
     "assessment policy;department leadership", "GCSE statistics", "standards-based grading"},
    {"samir", "Samir Khan", "Asia/Karachi", 40, "", "A-level pure maths;assessment design",
     "department leadership", "cricket statistics"},
    {"ingrid", "Ingrid Hansen", "Europe/Oslo", 39,
     "I lead maths in an upper-secondary school near Bergen. Outdoor maths when the weather lets "
     "us.",
     "outdoor maths;department leadership", "lesson study", "mathematical modelling"},
    {"zanele", "Zanele Dlamini", "Africa/Johannesburg", 38,
     "High school maths in Durban. Large classes, few textbooks, lots of ideas.",
     "large classes;low-cost resources", "mastery teaching;formative assessment", "maths clubs"},
    {"marek", "Marek Kowalski", "Europe/Warsaw", 37, "", "problem-solving lessons", "lesson study",
     "olympiad problems;chess"},
    {"leila", "Leila Ahmadi", "Europe/London", 36,
     "Ten years in accounting, now in my first year teaching maths.", "financial maths",
     "behaviour;planning sequences", ""},
    {"connor", "Connor Walsh", "Europe/London", 34, "", "", "behaviour;retrieval practice", ""},
    {"elif", "Elif Yılmaz", "Europe/Istanbul", 33,
     "Teacher and researcher on dyscalculia. Ask me anything about number sense interventions.",
     "dyscalculia;number sense;maths anxiety", "assessment design", "cognitive science"},
    {"arjun", "Arjun Patel", "Europe/London", 31,
     "Trainee, then newly qualified, now an early career teacher. Collecting good hinge "
     "questions.",
     "", "formative assessment;hinge questions", "research-informed teaching"},
    {"chloe", "Chloé Martin", "Europe/Paris", 28, "", "", "behaviour;mixed-ability classes",
     "puzzles"},
    {"helen", "Helen Achterberg", "Europe/Amsterdam", 20,
     "Education researcher at a Dutch university, studying how lesson study spreads between "
     "schools. A guest here until the end of term.",
     "educational research methods;lesson study", "", "teacher collaboration"},
    {"kofi", "Kofi Boateng", "Africa/Accra", 12,
     "Teacher educator from Kumasi, visiting for the early career term.", "teacher education",
     "mentoring new teachers", ""},
    /* Waiting to be let in. */
    {"paulo", "Paulo Silva", "Europe/Lisbon", 4, "", "proof", "lesson study", ""},
    {"anya", "Anya Petrova", "Europe/London", 3, "", "", "behaviour;planning sequences", "chess"},

    /* Wound Care Nurses Network. */
    {"margaret", "Margaret Osei", "Europe/London", 45,
     "Tissue viability nurse specialist. Twenty-five years of dressings and still surprised.",
     "tissue viability;leg ulcers;dressing selection", "telehealth wound reviews",
     "nurse education"},
    {"jin", "Park Jin-woo", "Asia/Seoul", 44,
     "ICU nurse; I lead our unit's pressure injury prevention work.",
     "pressure injury prevention;skin assessment", "leg ulcers", "quality improvement"},
    {"lucia", "Lucía Torres", "America/Bogota", 38, "", "diabetic foot care",
     "pressure injury prevention;dressing selection", "community nursing"},
    {"ravi", "Ravi Shankar", "Asia/Kolkata", 35, "District nurse in Bengaluru.",
     "community nursing", "tissue viability;wound photography", ""},
    {"bridget", "Bridget Nolan", "Europe/Dublin", 30, "", "wound photography", "skin assessment",
     "quality improvement"},
    {"tariq", "Tariq Hussain", "Europe/London", 26, "Newly qualified, on a surgical ward.", "",
     "surgical wound care;dressing selection", "nurse education"},
};

#define NPEOPLE ARRAY_LEN(people)

/* Whom to sign in as. */
#define ADMIN       "rosa"
#define OWNER       "amara"
#define FACILITATOR "kwame"
#define MEMBER      "oliver"
#define GUEST       "helen"

/* The demo's spaces ------------------------------------------------------ */

struct space_def {
    const char *slug, *name, *purpose, *charter;
    const char *parent; /* the community's slug; NULL for a community */
    bool is_public;
    enum join_policy join;
    int days; /* made this many days ago */
    /* Handles separated by spaces; the first owner made the space. */
    const char *owners, *facilitators, *members, *guests;
};

static const char maths_charter[] =
    "## Why we are here\n\n"
    "Maths teachers too often work alone: one class, one room, one pile of marking. We meet here "
    "to make our teaching visible to each other, so that what works in one classroom can be "
    "tried, questioned and improved in another.\n\n"
    "## What we agree to\n\n"
    "- **Bring real practice.** Share lessons, tasks and pupils' work (anonymised), not only "
    "opinions.\n"
    "- **Ask before you advise.** Find out the context first: the year group, the class, the time "
    "of year.\n"
    "- **Credit each other.** When you adapt someone's resource, say where it came from.\n"
    "- **Protect pupils' privacy.** No names, no faces, nothing a pupil could be known by.\n"
    "- **Disagree about ideas, not people.**\n\n"
    "## How we decide\n\n"
    "Owners and facilitators look after the space. Changes to this charter are proposed in a "
    "discussion and agreed by the members who take part in it.\n";

static const char wound_charter[] =
    "## Our purpose\n\n"
    "Wound care changes fast and is learnt mostly at the bedside. We share what works, what did "
    "not, and what the evidence says.\n\n"
    "## Ground rules\n\n"
    "1. Never post anything that could identify a patient, photographs included.\n"
    "2. Say where advice comes from: a guideline, a study or your own experience.\n"
    "3. This is not a place for urgent clinical decisions; follow your local escalation "
    "policy.\n";

static const struct space_def spaces[] = {
    {"teaching-maths", "Teaching Maths Together",
     "Maths teachers helping each other so that every pupil learns to reason, not only to recall.",
     maths_charter, NULL, true, JOIN_REQUEST, 63, "amara siobhan", "kwame mei diego",
     "fatima oliver priya jonas aisha liam yuki sofia chidi emma_w mateo noor ben ngozi lukas ana "
     "wiremu grace samir ingrid zanele marek leila connor elif arjun chloe",
     "helen kofi"},
    {"assessment-for-learning", "Assessment for learning",
     "Finding out what pupils understand during the lesson, and doing something about it.",
     "Bring a **hinge question**, an exit ticket or a piece of pupils' work, and what you did "
     "next. Every month we pick one technique and all try it.",
     "teaching-maths", true, JOIN_OPEN, 55, "kwame", "fatima",
     "amara priya oliver sofia chidi noor ben lukas grace samir zanele elif arjun", ""},
    {"early-career", "Early career teachers",
     "The first years in the classroom: planning, behaviour and staying well.",
     "A space for teachers in their first three years, and the people who mentor them. *No "
     "question is too small.*",
     "teaching-maths", true, JOIN_OPEN, 50, "diego", "ngozi",
     "chloe connor leila arjun ana mateo emma_w liam", "kofi"},
    {"department-heads", "Department heads",
     "Leading a maths department: people, timetables, data and the curriculum.",
     "Private, so we can speak frankly about our schools. What is said here stays here.",
     "teaching-maths", false, JOIN_INVITE, 47, "siobhan", "", "amara ben lukas grace ingrid samir",
     ""},
    {"lesson-study", "Lesson study circle",
     "Planning, teaching and studying research lessons together, one cycle each term.",
     "Each cycle: choose a research theme, plan a lesson together, watch it taught, talk about "
     "what the pupils did. Ask to join before a cycle starts.",
     "teaching-maths", true, JOIN_REQUEST, 42, "mei", "yuki",
     "jonas priya sofia ingrid wiremu marek", "helen"},
    {"mastery", "Mastery and mixed-ability classes",
     "Teaching the whole class together, with depth for everyone.", "", "teaching-maths", true,
     JOIN_OPEN, 30, "priya", "", "aisha noor mateo zanele elif chidi yuki fatima emma_w", ""},
    {"wound-care", "Wound Care Nurses Network",
     "Nurses sharing what works in wound care, from the ward to the patient's home.", wound_charter,
     NULL, true, JOIN_OPEN, 44, "margaret", "jin", "lucia ravi bridget tariq", ""},
    {"pressure-injuries", "Pressure injury prevention",
     "Skin checks, repositioning and equipment: stopping pressure injuries before they start.", "",
     "wound-care", true, JOIN_OPEN, 25, "jin", "", "margaret bridget tariq lucia", ""},
};

#define NSPACES ARRAY_LEN(spaces)

/* Asked to join and waiting. */
static const struct {
    const char *handle, *slug, *message;
    int hours; /* asked this many hours ago */
} requests[] = {
    {"paulo", "teaching-maths",
     "I teach maths at a sixth-form college in Lisbon and would love to learn from your lesson "
     "study work.",
     70},
    {"anya", "teaching-maths",
     "I start my first teaching post in September; a colleague told me about this community.", 20},
    {"oliver", "lesson-study",
     "Could I join the next cycle? Our department wants to try lesson study on fractions.", 30},
};

/* Filling -------------------------------------------------------------- */

static_assert(NPEOPLE <= DEMO_PEOPLE_MAX, "struct fill has room for the demo's people");
static_assert(NSPACES <= DEMO_SPACES_MAX, "struct fill has room for the demo's spaces");

size_t demo_person(struct str handle)
{
    for (size_t i = 0; i < NPEOPLE; i++)
        if (str_eq_c(handle, people[i].handle))
            return i;
    BUG("demo data names an unknown person");
}

size_t demo_space(const char *slug)
{
    for (size_t i = 0; i < NSPACES; i++)
        if (strcmp(slug, spaces[i].slug) == 0)
            return i;
    BUG("demo data names an unknown space");
}

/* The next space-separated word of *cur into *word; false at the end. */
static bool next_word(const char **cur, struct str *word)
{
    const char *p = *cur, *start;

    while (*p == ' ')
        p++;
    start = p;
    while (*p && *p != ' ')
        p++;
    *cur = p;
    *word = str_make(start, (size_t)(p - start));
    return word->len > 0;
}

const char *demo_handle(size_t p)
{
    return people[p].handle;
}

size_t demo_npeople(void)
{
    return NPEOPLE;
}

/* Whether the space-separated handles hold person p. */
static bool names(const char *handles, size_t p)
{
    const char *cur = handles;
    struct str h;

    while (next_word(&cur, &h))
        if (str_eq_c(h, people[p].handle))
            return true;
    return false;
}

bool demo_moderates(size_t s, size_t p)
{
    return names(spaces[s].owners, p) || names(spaces[s].facilitators, p);
}

bool demo_in_space(size_t s, size_t p)
{
    return demo_moderates(s, p) || names(spaces[s].members, p) || names(spaces[s].guests, p);
}

/* Times never come closer to now than ten minutes. */
int64_t demo_before_now(const struct fill *f, int64_t t)
{
    return t < f->now - 10 * MINUTE ? t : f->now - 10 * MINUTE;
}

static int64_t max64(int64_t a, int64_t b)
{
    return a > b ? a : b;
}

/* When person p joined space s: some hours after they and the space were both there. */
int64_t demo_join_at(const struct fill *f, size_t p, size_t s)
{
    int64_t t;

    if (p == f->creator[s])
        return f->created[s];
    t = max64(f->signup[p], f->created[s]);
    if (spaces[s].parent)
        t = max64(t, demo_join_at(f, p, demo_space(spaces[s].parent)));
    return demo_before_now(f, t + (int64_t)(2 + (p * 13 + s * 7) % 46) * HOUR);
}

int demo_act(struct fill *f, int64_t actor, const char *verb, const char *type, int64_t object,
             int64_t space_id, int64_t at)
{
    struct db_param p[] = {
        actor ? DB_INT(actor) : DB_NULL,       DB_TEXTC(verb), DB_TEXTC(type), DB_INT(object),
        space_id ? DB_INT(space_id) : DB_NULL, DB_INT(at)};

    f->out->activities++;
    return db_exec(f->db, STMT_ACTIVITY_INSERT, p, ARRAY_LEN(p), NULL);
}

static int render(struct fill *f, const char *src, size_t max, struct str *html)
{
    struct html h;
    int rc = markdown_render(&f->arena, str_c(src), max, &h);

    if (rc) {
        f->why = "demo text could not be rendered as Markdown";
        return rc;
    }
    *html = str_make(h.ptr, h.len);
    return 0;
}

static int add_interests(struct fill *f, size_t p, enum interest_kind k, const char *labels)
{
    struct interest_list l = {0};
    const char *cur = labels;
    int rc = 0;

    while (*cur) {
        const char *end = strchr(cur, ';');
        size_t n = end ? (size_t)(end - cur) : strlen(cur);

        if (interest_add(&f->arena, &l, str_make(cur, n))) {
            f->why = "demo data has a bad interest";
            return E_INVAL;
        }
        cur += end ? n + 1 : n;
    }
    for (size_t i = 0; !rc && i < l.n; i++) {
        rc = db_exec(f->db, STMT_INTEREST_INSERT,
                     (struct db_param[]){DB_INT(f->user[p]), DB_TEXTC(interest_kind_name(k)),
                                         DB_TEXT(l.label[i]), DB_TEXT(l.key[i]), DB_INT(i)},
                     5, NULL);
        f->out->interests++;
    }
    return rc;
}

/* A person, their profile and their sign-up; the admin is made one too. */
static int add_person(struct fill *f, size_t p)
{
    const struct person *who = &people[p];
    const char *kinds[INTEREST__MAX] = {who->help, who->learn, who->interest};
    size_t elen = strlen(who->handle) + sizeof("@example.org");
    char *email = arena_alloc(&f->arena, elen);
    int64_t edited = f->signup[p] + 20 * MINUTE;
    struct str bio_html = STR_NULL;
    int rc;

    snprintf(email, elen, "%s@example.org", who->handle);
    rc = db_query_int(f->db, STMT_USER_INSERT,
                      (struct db_param[]){DB_TEXTC(who->handle), DB_TEXTC(who->name),
                                          DB_TEXTC(email), DB_TEXTC(f->hash),
                                          DB_TEXTC(who->timezone), DB_INT(f->signup[p])},
                      6, &f->user[p]);
    if (!rc)
        rc = demo_act(f, f->user[p], "signup", "user", f->user[p], 0, f->signup[p]);
    if (!rc && *who->bio)
        rc = render(f, who->bio, BIO_SRC_MAX, &bio_html);
    if (!rc && *who->bio)
        rc = db_exec(f->db, STMT_PROFILE_UPDATE,
                     (struct db_param[]){DB_INT(f->user[p]), DB_NULL, DB_TEXTC(who->bio),
                                         DB_TEXT(bio_html), DB_NULL, DB_INT(edited)},
                     6, NULL);
    for (int k = 0; !rc && k < INTEREST__MAX; k++)
        rc = add_interests(f, p, (enum interest_kind)k, kinds[k]);
    if (!rc && (*who->bio || *who->help || *who->learn || *who->interest))
        rc = demo_act(f, f->user[p], "profile-update", "user", f->user[p], 0, edited);
    if (!rc && strcmp(who->handle, ADMIN) == 0) {
        rc = db_exec(f->db, STMT_USER_SET_ADMIN,
                     (struct db_param[]){DB_TEXTC(ADMIN), DB_INT(1), DB_INT(edited)}, 3, NULL);
        if (!rc)
            rc = demo_act(f, 0, "admin-add", "user", f->user[p], 0, edited);
    }
    f->out->people++;
    return rc;
}

/* Person p into space s with a role, logged as they would have come in. */
static int add_member(struct fill *f, size_t s, size_t p, enum role role)
{
    const struct space_def *d = &spaces[s];
    int64_t at = demo_join_at(f, p, s), creator = f->user[f->creator[s]];
    int64_t sid = f->space[s], uid = f->user[p];
    int rc;

    rc = db_exec(f->db, STMT_MEMBERSHIP_INSERT,
                 (struct db_param[]){DB_INT(sid), DB_INT(uid), DB_TEXTC(role_name(role)),
                                     role == ROLE_GUEST ? DB_INT(f->now + GUEST_STAY) : DB_NULL,
                                     DB_INT(at)},
                 5, NULL);
    f->out->memberships++;
    if (rc || p == f->creator[s])
        return rc;
    if (role == ROLE_GUEST || d->join == JOIN_INVITE) {
        rc = demo_act(f, uid, "accept-invite", "membership", uid, sid, at);
    } else if (d->join == JOIN_REQUEST) {
        rc = demo_act(f, uid, "request", "membership", uid, sid, at - HOUR);
        if (!rc)
            rc = demo_act(f, creator, "approve", "membership", uid, sid, at);
    } else {
        rc = demo_act(f, uid, "join", "membership", uid, sid, at);
    }
    if (!rc && role > ROLE_MEMBER) {
        int64_t later = at + DAY < f->now ? at + DAY : at + MINUTE;

        rc = demo_act(f, creator, "role", "membership", uid, sid, later);
    }
    return rc;
}

static int add_members(struct fill *f, size_t s, const char *handles, enum role role)
{
    const char *cur = handles;
    struct str h;
    int rc = 0;

    while (!rc && next_word(&cur, &h))
        rc = add_member(f, s, demo_person(h), role);
    return rc;
}

static int add_space(struct fill *f, size_t s)
{
    const struct space_def *d = &spaces[s];
    const char *cur = d->owners;
    size_t parent = d->parent ? demo_space(d->parent) : 0;
    struct str first, html = STR_NULL;
    int rc;

    if (!ALWAYS(next_word(&cur, &first)))
        return E_INVAL;
    f->creator[s] = demo_person(first);
    f->created[s] = max64(f->now - d->days * DAY, f->signup[f->creator[s]] + HOUR);
    if (d->parent)
        f->created[s] = max64(f->created[s], demo_join_at(f, f->creator[s], parent) + HOUR);
    f->created[s] = demo_before_now(f, f->created[s]);
    rc = render(f, d->charter, CHARTER_SRC_MAX, &html);
    if (!rc) {
        struct db_param p[] = {d->parent ? DB_INT(f->space[parent]) : DB_NULL,
                               DB_TEXTC(d->slug),
                               DB_TEXTC(d->name),
                               DB_TEXTC(d->purpose),
                               DB_TEXTC(d->charter),
                               DB_TEXT(html),
                               DB_TEXTC(d->is_public ? "public" : "private"),
                               DB_TEXTC(join_name(d->join)),
                               DB_INT(1),
                               DB_INT(f->user[f->creator[s]]),
                               DB_INT(f->created[s])};

        rc = db_query_int(f->db, STMT_SPACE_INSERT, p, ARRAY_LEN(p), &f->space[s]);
    }
    if (!rc)
        rc = demo_act(f, f->user[f->creator[s]], "create", "space", f->space[s], f->space[s],
                      f->created[s]);
    if (!rc)
        rc = add_members(f, s, d->owners, ROLE_OWNER);
    if (!rc)
        rc = add_members(f, s, d->facilitators, ROLE_FACILITATOR);
    if (!rc)
        rc = add_members(f, s, d->members, ROLE_MEMBER);
    if (!rc)
        rc = add_members(f, s, d->guests, ROLE_GUEST);
    if (d->parent)
        f->out->groups++;
    else
        f->out->communities++;
    return rc;
}

static int add_requests(struct fill *f)
{
    int rc = 0;

    for (size_t i = 0; !rc && i < ARRAY_LEN(requests); i++) {
        size_t p = demo_person(str_c(requests[i].handle)), s = demo_space(requests[i].slug);
        int64_t at = demo_before_now(f, f->now - requests[i].hours * HOUR);

        rc = db_exec(f->db, STMT_REQUEST_INSERT,
                     (struct db_param[]){DB_INT(f->space[s]), DB_INT(f->user[p]),
                                         DB_TEXTC(requests[i].message), DB_INT(at)},
                     4, NULL);
        if (!rc)
            rc = demo_act(f, f->user[p], "request", "membership", f->user[p], f->space[s], at);
        f->out->requests++;
    }
    return rc;
}

/* Everything, inside the caller's transaction. */
static int fill_all(struct fill *f)
{
    int64_t have = 0;
    int rc;

    rc = db_query_int(f->db, STMT_DEMO_PEOPLE, NULL, 0, &have);
    if (!rc && have > 0) {
        f->why = "the database has people already; the demo fills only an empty one";
        return E_CONFLICT;
    }
    for (size_t p = 0; !rc && p < NPEOPLE; p++) {
        f->signup[p] = f->now - people[p].days * DAY - (int64_t)((p * 7) % 11) * HOUR;
        rc = add_person(f, p);
    }
    for (size_t s = 0; !rc && s < NSPACES; s++)
        rc = add_space(f, s);
    if (!rc)
        rc = add_requests(f);
    if (!rc)
        rc = demo_discussions(f);
    if (!rc)
        rc = demo_events(f);
    if (!rc)
        rc = demo_chat(f);
    if (!rc) {
        struct db_param p[] = {DB_TEXTC("tagline"),
                               DB_TEXTC("A demo: sign in as " OWNER ", " FACILITATOR ", " MEMBER
                                        ", " GUEST " or " ADMIN " with the password '" DEMO_PASSWORD
                                        "'"),
                               DB_INT(f->now)};

        rc = db_exec(f->db, STMT_SETTING_PUT, p, ARRAY_LEN(p), NULL);
    }
    return rc;
}

/* One line on what went wrong, before a rollback resets the database's message. */
static void explain(const struct fill *f, char *err, size_t errlen)
{
    if (f->why)
        snprintf(err, errlen, "%s", f->why);
    else
        snprintf(err, errlen, "database: %s", db_errmsg(f->db));
}

int demo_fill(struct db *db, bool cheap_passwords, struct demo_result *out, char *err,
              size_t errlen)
{
    struct fill *f = xcalloc(1, sizeof(*f));
    char hash[PASSWORD_HASH_MAX];
    int rc;

    *out = (struct demo_result){
        .community = spaces[0].slug,
        .community_name = spaces[0].name,
        .owner = OWNER,
        .facilitator = FACILITATOR,
        .member = MEMBER,
        .guest = GUEST,
        .admin = ADMIN,
    };
    f->db = db;
    f->now = clock_unix();
    f->hash = hash;
    f->out = out;
    arena_init(&f->arena);
    /* Hash first: the write lock is not held while argon2id works. */
    rc = sodium_init() < 0 ? E_IO : password_hash(STR_LIT(DEMO_PASSWORD), cheap_passwords, hash);
    if (rc) {
        snprintf(err, errlen, "cannot hash the demo password");
        goto out;
    }
    rc = db_tx_begin(db);
    if (rc) {
        snprintf(err, errlen, "database: %s", db_errmsg(db));
        goto out;
    }
    rc = fill_all(f);
    if (rc) {
        explain(f, err, errlen);
        db_tx_rollback(db);
    } else {
        rc = db_tx_commit(db);
        if (rc)
            explain(f, err, errlen);
    }
    if (rc == E_CONFLICT && !f->why)
        rc = E_DB; /* E_CONFLICT means a database with people, and only that */
out:
    arena_release(&f->arena);
    free(f);
    return rc;
}

void demo_site_url(const struct config *cfg, char *out, size_t n)
{
    const char *host = cfg->listen_host;
    size_t len = strlen(cfg->public_url);

    if (len) {
        while (len > 0 && cfg->public_url[len - 1] == '/')
            len--;
        snprintf(out, n, "%.*s", (int)len, cfg->public_url);
        return;
    }
    if (strcmp(host, "0.0.0.0") == 0)
        host = "127.0.0.1";
    else if (strcmp(host, "::") == 0)
        host = "::1";
    if (strchr(host, ':'))
        snprintf(out, n, "http://[%s]:%u", host, cfg->listen_port);
    else
        snprintf(out, n, "http://%s:%u", host, cfg->listen_port);
}

void demo_report(FILE *f, const struct demo_result *r, const struct config *cfg)
{
    char url[512];

    demo_site_url(cfg, url, sizeof(url));
    fprintf(f,
            "demo: added %d people, %d communities and %d groups (%d memberships, %d interests, "
            "%d join requests waiting), %d topics with %d posts and %d reactions, %d "
            "notifications (%d unread) and %d activity rows; the roles below are in \"%s\" "
            "(%s)\n",
            r->people, r->communities, r->groups, r->memberships, r->interests, r->requests,
            r->topics, r->posts, r->reactions, r->notifications, r->unread, r->activities,
            r->community_name, r->community);
    fprintf(f,
            "Sign in at %s/signin as %s (owner), %s (facilitator), %s (member), %s (guest) or %s "
            "(admin) with the password '%s'\n",
            url, r->owner, r->facilitator, r->member, r->guest, r->admin, DEMO_PASSWORD);
}

/*
 * The demo's discussions: what its people have been talking about over the
 * past weeks, written into the tables the way the discussions feature would
 * have written them (feature/discuss/model.c), at the times it happened,
 * with the notifications that would have been sent and what each person has
 * read since.
 *
 * How reading is modelled: a person has read a topic up to the posts there
 * when they last took part in it (posted, reacted, accepted an answer) or
 * opened one of its notices; a notice is opened the next time they take
 * part in its topic, or three days after it came, whichever is first. So
 * what came in the last three days and was not followed by a visit is
 * unread, which leaves the member (MEMBER in demo.c) a few notices and
 * topics with news.
 */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/err.h"
#include "db/db.h"
#include "feature/demo/demo.h"
#include "feature/demo/demo_int.h"
#include "feature/discuss/rules.h"
#include "feature/notify/notify.h"
#include "view/markdown.h"

/* Notices are opened at the latest this long after they came. */
#define READ_WITHIN (DAY * 3)

struct post_def {
    const char *author;
    int hours;    /* after the topic began */
    int reply_to; /* the number of the post it answers; 0 for none */
    const char *body;
    const char *reactions;           /* "like:amara kwame;thanks:liam" */
    const char *first;               /* its first version, when the author edited it */
    const char *deleted_by, *reason; /* a facilitator took it down */
};

struct topic_def {
    const char *space, *kind, *title;
    const char *tags; /* separated by spaces */
    int days;         /* began this many days ago */
    int accepted;     /* the number of the accepted answer; 0 for none */
    int accepted_hours;
    const struct post_def *posts; /* the opening post first; ends with a NULL author */
};

#define MAX_POSTS 8

static const struct topic_def topics[] = {
    /* Teaching Maths Together ----------------------------------------------- */
    {"teaching-maths", "announcement", "Welcome: how we use discussions here", "welcome", 40, 0, 0,
     (const struct post_def[]){
         {"amara", 0, 0,
          "Welcome to **Teaching Maths Together**. A few habits make discussions here work "
          "well:\n\n"
          "- **One topic per question.** A clear title helps the next person find it.\n"
          "- **Say your context:** the year group, the class, the time of year.\n"
          "- **Mark the answer that helped** on your question, so it shows first.\n"
          "- **React** when a post helped you. A thank-you costs nothing.\n\n"
          "The owners and facilitators (@siobhan, @kwame, @mei and @diego) pin what matters and "
          "look after the charter. Introduce yourself below!",
          "like:kwame mei fatima priya liam;thanks:diego ngozi", NULL, NULL, NULL},
         {"mateo", 5, 0,
          "¡Hola a todos! Mateo, maths in Mexico City, teaching in Spanish and English. I am here "
          "to learn about mastery and to borrow good tasks (with credit, as the charter says).",
          "like:priya amara", NULL, NULL, NULL},
         {"liam", 20, 0,
          "Liam, second year teaching in Dublin. Mostly reading for now, but I'll share the odd "
          "rich task. Thanks for setting this up.",
          "like:amara", NULL, NULL, NULL},
         {"oliver", 30, 0,
          "Oliver, A-level mechanics and Year 9 in Bristol. Looking forward to the retrieval "
          "practice threads.",
          "like:amara", NULL, NULL, NULL},
         {"wiremu", 50, 0,
          "Kia ora koutou. Wiremu, from Rotorua. I'll post some of our place-based tasks soon: "
          "measuring the geysers is a favourite.",
          "like:amara mei;insightful:jonas", NULL, NULL, NULL},
         {NULL, 0, 0, NULL, NULL, NULL, NULL, NULL},
     }},
    {"teaching-maths", "discussion", "Retrieval starters: how long do yours take?",
     "retrieval-practice planning", 21, 0, 0,
     (const struct post_def[]){
         {"oliver", 0, 0,
          "I run a five-question retrieval starter every lesson: two questions from last lesson, "
          "two from last month, one from last term. It is meant to take **eight minutes** and it "
          "regularly takes fifteen, mostly going through the answers.\n\n"
          "How long do yours take, and what do you cut when they overrun?",
          "like:ben chidi", NULL, NULL, NULL},
         {"ben", 3, 1,
          "Ours are strictly timed: five minutes answering, three minutes of self-marking from the "
          "board. I only go through the question most people got wrong. If that is more than a "
          "third of the class, it becomes the lesson.",
          "like:oliver chidi;insightful:oliver", NULL, NULL, NULL},
         {"chidi", 6, 2,
          "> I only go through the question most people got wrong.\n\n"
          "Same here. I log the scores in a spreadsheet so I can see which topics keep coming "
          "back wrong. After a half term it is a surprisingly good map of what did not stick.",
          "like:ben oliver grace", NULL, NULL, NULL},
         {"oliver", 26, 2,
          "Thanks @ben, the *only the one most got wrong* rule is what I was missing. Trying it "
          "with Year 9 this week.",
          "like:ben", NULL, NULL, NULL},
         {"ngozi", 464, 1,
          "Coming late to this. With early career teachers I suggest writing the questions the "
          "day before and timing yourself answering them: if it takes you more than a minute a "
          "question, it takes the class five.",
          NULL, NULL, NULL, NULL},
         {NULL, 0, 0, NULL, NULL, NULL, NULL, NULL},
     }},
    {"teaching-maths", "question", "How do you get a quiet class to talk about maths?",
     "questioning discussion", 12, 3, 52,
     (const struct post_def[]){
         {"liam", 0, 0,
          "My Year 8 class is lovely but silent. When I ask \"what do you notice?\" I get nothing, "
          "and pair talk turns into copying.\n\n"
          "What has worked for you to get *mathematical* talk going, not just any talk?",
          "like:ngozi", NULL, NULL, NULL},
         {"ngozi", 4, 0,
          "Routines first. Put a sentence stem on the board (\"I noticed that... because...\") "
          "and give thirty seconds of silent thinking before anyone talks. Silence feels long to "
          "us and short to them.",
          "like:liam diego;helped:liam", NULL, NULL, NULL},
         {"kwame", 9, 0,
          "Three things that worked in my classes:\n\n"
          "1. **Always, sometimes, never** statements: pairs must agree before they answer, and "
          "the disagreement is the talk.\n"
          "2. **Think, pair, share** before any hands go up, so nobody is put on the spot cold.\n"
          "3. Cold call *after* the pairs, and accept \"we weren't sure, but...\" as a good "
          "answer.\n\n"
          "The statements do most of the work: there is something to argue about.",
          "like:liam amara fatima oliver;helped:liam;insightful:ngozi arjun", NULL, NULL, NULL},
         {"arjun", 28, 3,
          "Saving this. @kwame, do you have a set of always-sometimes-never statements for "
          "algebra you could share?",
          "like:kwame", NULL, NULL, NULL},
         {"kwame", 31, 4,
          "Here's a start:\n\n"
          "- *2n is bigger than n*\n"
          "- *a square number is even*\n"
          "- *x + 3 = 3 + x*\n\n"
          "The first is my favourite: it is *sometimes*, and the argument about negative numbers "
          "is exactly the talk you want.",
          "thanks:arjun liam;like:fatima", NULL, NULL, NULL},
         {"liam", 50, 0,
          "Tried the statements and the sentence stems today. Half the class argued about whether "
          "2n is bigger than n for five minutes. Best lesson this term. Thank you both!",
          "like:kwame ngozi amara", NULL, NULL, NULL},
         {NULL, 0, 0, NULL, NULL, NULL, NULL, NULL},
     }},
    {"teaching-maths", "question", "Hinge questions for simultaneous equations?",
     "algebra hinge-questions", 3, 0, 0,
     (const struct post_def[]){
         {"arjun", 0, 0,
          "I'm teaching simultaneous equations to Year 10 next week. Before they move from "
          "elimination to substitution I'd like one hinge question: multiple choice, where each "
          "wrong answer points at a different misconception.\n\n"
          "Has anyone got one that worked?",
          NULL, NULL, NULL, NULL},
         {"fatima", 5, 0,
          "Not a full answer, but the misconception I see most is subtracting the equations and "
          "getting the sign of the constant wrong, so at least one distractor should come from "
          "that. @kwame is the hinge question person here.",
          "like:arjun", NULL, NULL, NULL},
         {"samir", 20, 0,
          "One I have used: *2x + y = 7 and x + y = 4. What is x?*\n\n"
          "A) 3, B) 11, C) −3, D) 1.5\n\n"
          "B comes from adding instead of subtracting, C from a sign slip, D from dividing too "
          "early.",
          "like:arjun fatima;thanks:arjun", NULL, NULL, NULL},
         {NULL, 0, 0, NULL, NULL, NULL, NULL, NULL},
     }},

    /* Assessment for learning ------------------------------------------------ */
    {"assessment-for-learning", "announcement", "This month's technique: exit tickets",
     "assessment exit-tickets", 28, 0, 0,
     (const struct post_def[]){
         {"kwame", 0, 0,
          "Each month we all try one technique and report back. This month: **exit tickets**.\n\n"
          "1. One or two questions, answered on paper in the last three minutes.\n"
          "2. Sort the answers into three piles: *got it*, *nearly*, *not yet*.\n"
          "3. Start the next lesson from the piles, not from the plan.\n\n"
          "Post what you asked and what the piles told you. @fatima has a collection to start "
          "from.",
          "like:amara priya sofia grace;thanks:oliver", NULL, NULL, NULL},
         {"fatima", 6, 0,
          "My collection, by topic: [exit tickets](https://example.org/exit-tickets). The best "
          "ones ask *why*, not only *what*: \"Which is bigger, 3/4 or 4/5? How do you know?\"",
          "thanks:kwame oliver noor;insightful:elif", NULL, NULL, NULL},
         {"oliver", 60, 0,
          "Week one, Year 9, solving linear equations: 14 got it, 9 nearly (all sign errors with "
          "negatives), 4 not yet. The next lesson started with the nine. It felt slower, but the "
          "following exit ticket was much better.",
          "like:kwame fatima;insightful:kwame", NULL, NULL, NULL},
         {"priya", 96, 0,
          "A mixed-attainment version: everyone gets the same question, with a *challenge* line "
          "at the bottom. The piles are the same size as before, but the *nearly* pile is far "
          "more interesting.",
          "like:zanele;insightful:fatima", NULL, NULL, NULL},
         {NULL, 0, 0, NULL, NULL, NULL, NULL, NULL},
     }},
    {"assessment-for-learning", "question", "Written feedback that pupils actually read?",
     "feedback assessment", 10, 3, 31,
     (const struct post_def[]){
         {"oliver", 0, 0,
          "I spend hours writing comments in Year 9 books, and I'm fairly sure most of them are "
          "never read. The few pupils who read them don't act on them.\n\n"
          "What does feedback look like in your department, and how do you know it worked?",
          "like:sofia", NULL, NULL, NULL},
         {"sofia", 5, 0,
          "Whole-class feedback changed this for us. I read the books, note the three commonest "
          "errors on one sheet, and the next lesson starts with pupils fixing them in green "
          "pen.\n\n"
          "**Edit:** I forgot the most important part: we keep ten minutes of that lesson for "
          "the fixing, otherwise it never happens.",
          "like:oliver chidi;insightful:amara",
          "Whole-class feedback changed this for us. I read the books, note the three commonest "
          "errors on one sheet, and the next lesson starts with pupils fixing them in green "
          "pen.",
          NULL, NULL},
         {"chidi", 9, 0,
          "We switched to whole-class feedback sheets two years ago, and I'll post our template "
          "in its own topic. The short version: one sheet per class with two pieces of work to "
          "praise, the three commonest misconceptions, one presentation point, and a short task "
          "to fix each error.\n\n"
          "Marking went from four hours a week to about one, and the fixing happens in the "
          "lesson where I can see it.",
          "like:oliver sofia grace;helped:oliver;thanks:noor", NULL, NULL, NULL},
         {"oliver", 30, 3,
          "This is exactly the change I needed. Trying the sheet with Year 9 on Thursday; I'll "
          "report back in the exit tickets topic.",
          "like:chidi", NULL, NULL, NULL},
         {"amara", 192, 0,
          "Late to this, but @oliver: when you try it, keep one book a week where you *do* write "
          "individual comments, and check whether they are acted on. It tells you what the sheet "
          "is missing.",
          NULL, NULL, NULL, NULL},
         {NULL, 0, 0, NULL, NULL, NULL, NULL, NULL},
     }},
    {"assessment-for-learning", "discussion", "Whole-class feedback sheet: our template",
     "feedback spreadsheets", 5, 0, 0,
     (const struct post_def[]){
         {"chidi", 0, 0,
          "As promised in the feedback question, our template. We print one per class, A4 "
          "landscape:\n\n"
          "| Section | What goes in it |\n"
          "| --- | --- |\n"
          "| Praise | two pieces of work to show the class |\n"
          "| Misconceptions | the three commonest errors, with an example of each |\n"
          "| Presentation | one thing for everyone |\n"
          "| Next steps | a short task to fix each misconception |\n\n"
          "Filling it in takes me about fifteen minutes per class set.",
          "like:oliver noor grace sofia;thanks:oliver amara;insightful:kwame", NULL, NULL, NULL},
         {"noor", 8, 0,
          "For my EAL learners I add a *key words* box: the three words they needed and misused. "
          "It makes the misconceptions section much clearer for them.",
          "insightful:chidi elif;like:sofia", NULL, NULL, NULL},
         {"grace", 30, 2,
          "> I add a *key words* box\n\n"
          "Borrowing this, with credit. @noor, do you give the words with a picture or in a "
          "sentence?",
          "like:noor", NULL, NULL, NULL},
         {"noor", 34, 3,
          "In a sentence, always: a word on its own is easy to copy and hard to use.",
          "like:grace chidi;insightful:amara", NULL, NULL, NULL},
         {NULL, 0, 0, NULL, NULL, NULL, NULL, NULL},
     }},

    /* Early career teachers -------------------------------------------------- */
    {"early-career", "question", "Behaviour: the first five minutes of the lesson",
     "behaviour routines", 16, 2, 200,
     (const struct post_def[]){
         {"ana", 0, 0,
          "My Year 7 class arrive loud, and it takes me ten minutes to settle them, by which time "
          "half the plan is gone. I have tried waiting in silence and it doesn't work.\n\n"
          "What do your first five minutes look like?",
          NULL, NULL, NULL, NULL},
         {"ngozi", 3, 0,
          "Meet them at the door, every lesson, and have a task on the desks before they arrive: "
          "something they can do without you, in silence, that takes four minutes. Name and "
          "praise the first three who start.\n\n"
          "It takes about three weeks to stick, so don't give up after one.",
          "helped:ana;like:diego chloe connor;thanks:ana", NULL, NULL, NULL},
         {"diego", 7, 2,
          "Agree with all of this. I'd add: the same routine every lesson, even when it feels "
          "boring. **Boring is the point.**",
          "like:ngozi ana leila", NULL, NULL, NULL},
         {"connor", 26, 0,
          "Do you let them talk while they do the starter? Mine say they work better with a bit "
          "of chat.",
          NULL, NULL, NULL, NULL},
         {"ngozi", 28, 4,
          "Not for the first four minutes. Once the routine is solid you can relax it, and they "
          "will notice the difference, which is a reward in itself.",
          "like:connor;thanks:connor", NULL, NULL, NULL},
         {"ana", 192, 0,
          "Update after two weeks: the door, a task on the desk, praise for the first three. We "
          "are settled in four minutes most days now. Thank you @ngozi and @diego!",
          "like:ngozi diego kofi", NULL, NULL, NULL},
         {NULL, 0, 0, NULL, NULL, NULL, NULL, NULL},
     }},
    {"early-career", "discussion", "Marking load in my first term", "workload marking", 2, 0, 0,
     (const struct post_def[]){
         {"leila", 0, 0,
          "Ten years in accounting and I thought I knew long hours. Marking five classes' books "
          "every fortnight is taking my whole weekend. How do you keep it under control in your "
          "first year?",
          "like:arjun", NULL, NULL, NULL},
         {"connor", 2, 0,
          "Honestly, just skim them. Last year one of mine at St Anne's didn't write anything "
          "for a month and nobody noticed.",
          NULL, NULL, "ngozi",
          "Removed: it could identify a pupil and their school. Please keep pupils anonymous, as "
          "the charter asks."},
         {"diego", 5, 0,
          "Three things that saved my first year:\n\n"
          "- mark **one question** per piece of work in depth, and skim the rest\n"
          "- whole-class feedback instead of individual comments (the [assessment "
          "group](/spaces/assessment-for-learning) has a template)\n"
          "- stop at a fixed time on Sunday, whatever is left\n\n"
          "And ask your head of department what the policy actually requires; it is often less "
          "than you think.",
          "like:leila arjun chloe;helped:leila;thanks:leila", NULL, NULL, NULL},
         {"arjun", 20, 3,
          "The fixed stopping time is the one I needed to hear. I stop at nine on Sundays now.",
          "like:diego leila", NULL, NULL, NULL},
         {NULL, 0, 0, NULL, NULL, NULL, NULL, NULL},
     }},

    /* Department heads (private) ---------------------------------------------- */
    {"department-heads", "discussion", "Setting or mixed attainment in Year 7?",
     "setting curriculum", 14, 0, 0,
     (const struct post_def[]){
         {"siobhan", 0, 0,
          "We are reviewing how we group Year 7 next year. At the moment we set from October on "
          "the basis of a baseline test, and some of the team want to keep classes mixed until "
          "Year 9.\n\n"
          "What do you do, and what evidence persuaded you?",
          NULL, NULL, NULL, NULL},
         {"ben", 4, 0,
          "We went mixed in Years 7 and 8 three years ago. Results at the end of Year 8 are no "
          "worse, and the behaviour problems of the old bottom sets mostly disappeared. It only "
          "worked because we rewrote the schemes of work first.",
          "like:siobhan grace;insightful:amara", NULL, NULL, NULL},
         {"grace", 9, 2,
          "Same experience in Toronto. The hard part was the parents of pupils who used to be in "
          "top sets, not the teaching.",
          "like:ben ingrid", NULL, NULL, NULL},
         {"amara", 30, 0,
          "We kept sets but made them fluid: every half term we look at the data and move anyone "
          "who is clearly in the wrong group. @lukas did something similar, I think?",
          "like:siobhan", NULL, NULL, NULL},
         {"lukas", 52, 4,
          "Yes, though in practice pupils rarely moved up: the gap widens too fast. We are now "
          "mixed until Year 8, like Ben.",
          "like:amara;insightful:siobhan ben", NULL, NULL, NULL},
         {NULL, 0, 0, NULL, NULL, NULL, NULL, NULL},
     }},

    /* Lesson study circle ---------------------------------------------------- */
    {"lesson-study", "announcement", "Cycle 3 research theme: ratio with bar models",
     "lesson-study ratio", 30, 0, 0,
     (const struct post_def[]){
         {"mei", 0, 0,
          "Our research theme for this cycle: **how do bar models help pupils move from additive "
          "to multiplicative thinking about ratio?**\n\n"
          "1. Weeks 1 and 2: read the two papers in the group folder, and study the task "
          "together (*kyouzai kenkyuu*).\n"
          "2. Week 3: plan the research lesson. @yuki will teach it in Osaka, streamed for those "
          "abroad.\n"
          "3. Week 4: the post-lesson discussion, then we write up what we learnt.\n\n"
          "@helen joins us as a guest researcher this cycle. Welcome, Helen!",
          "like:yuki jonas priya sofia;thanks:helen", NULL, NULL, NULL},
         {"helen", 20, 0,
          "Thank you, I'm delighted to be here. I'll mostly watch and take notes, and share a "
          "summary of what I see across the three schools at the end of the cycle.",
          "like:mei yuki", NULL, NULL, NULL},
         {"jonas", 30, 0,
          "Could we include a GeoGebra version of the bar model in the task study? I have one "
          "where pupils drag the bars.",
          "insightful:mei;like:priya", NULL, NULL, NULL},
         {"yuki", 36, 3,
          "Yes please. In Japan we would usually keep the first encounter on paper, but "
          "comparing the two in the post-lesson discussion would be very interesting.",
          "like:jonas mei", NULL, NULL, NULL},
         {NULL, 0, 0, NULL, NULL, NULL, NULL, NULL},
     }},

    /* Mastery and mixed-ability classes -------------------------------------- */
    {"mastery", "question", "Mixed attainment with 45 in a class and few textbooks?",
     "mixed-attainment large-classes", 7, 0, 0,
     (const struct post_def[]){
         {"zanele", 0, 0,
          "Most mastery advice assumes 30 pupils and a textbook each. I have 45, and one "
          "textbook between three. Has anyone made *same task for everyone* lessons work in a "
          "class this size?",
          "like:priya", NULL, NULL, NULL},
         {"priya", 6, 0,
          "Yes: one rich task on the board and mini whiteboards. The trick is a *low floor, high "
          "ceiling* task, so nobody needs a different worksheet. I'll post three of mine this "
          "week.",
          "like:zanele elif;thanks:zanele", NULL, NULL, NULL},
         {"elif", 25, 0,
          "For the pupils who struggle most, I keep a small set of concrete materials (bead "
          "strings, cut-out bars) on one table, rather than giving them different work. They "
          "choose when to use them.",
          "like:priya zanele;insightful:fatima", NULL, NULL, NULL},
         {"zanele", 50, 2,
          "Thank you both. @priya, I'll wait for the tasks before I mark this answered.",
          "like:priya", NULL, NULL, NULL},
         {NULL, 0, 0, NULL, NULL, NULL, NULL, NULL},
     }},

    /* Wound Care Nurses Network ------------------------------------------------ */
    {"wound-care", "announcement", "Photographs of wounds: what we can and cannot post",
     "photography consent", 33, 0, 0,
     (const struct post_def[]){
         {"margaret", 0, 0,
          "A reminder, because it came up this week: **never post a photograph that could "
          "identify a patient**. That includes tattoos, jewellery, backgrounds and anything in "
          "the corner of the frame.\n\n"
          "If you want advice on a wound:\n\n"
          "- describe it: site, size, depth, exudate, edges, surrounding skin\n"
          "- say what you have tried, and for how long\n"
          "- post an image only when it is cropped to the wound and the patient consented under "
          "your local policy\n\n"
          "@bridget has written up our unit's photography checklist and will share it below.",
          "like:jin lucia ravi tariq;thanks:bridget", NULL, NULL, NULL},
         {"bridget", 5, 0,
          "The checklist:\n\n"
          "1. Consent recorded in the notes.\n"
          "2. Plain background, a ruler in the frame, no identifying features.\n"
          "3. The same distance and lighting each time, so changes are real.\n"
          "4. Stored only on the trust's system, never on a personal phone.",
          "thanks:margaret tariq ravi;insightful:jin", NULL, NULL, NULL},
         {"ravi", 30, 2,
          "Useful for community visits too, where the lighting is never the same twice. We "
          "carry a small white card for the background.",
          "like:bridget margaret;insightful:lucia", NULL, NULL, NULL},
         {NULL, 0, 0, NULL, NULL, NULL, NULL, NULL},
     }},
    {"wound-care", "question", "Dressing choice for a heavily exuding leg ulcer?",
     "wound-care dressings leg-ulcers", 9, 2, 29,
     (const struct post_def[]){
         {"tariq", 0, 0,
          "Newly qualified on a surgical ward, and we have a patient with a venous leg ulcer "
          "that soaks through a foam dressing within a day. The tissue viability team can't see "
          "him until next week.\n\n"
          "What would you try in the meantime, and what should make me escalate sooner?",
          NULL, NULL, NULL, NULL},
         {"margaret", 3, 0,
          "For heavy exudate, a **superabsorbent** dressing over a non-adherent contact layer, "
          "changed when it is about three-quarters saturated rather than on a fixed schedule. "
          "Protect the surrounding skin with a barrier film: maceration is the usual "
          "problem.\n\n"
          "But the real treatment for a venous ulcer is **compression**, which needs a Doppler "
          "assessment first. Ask for one, and escalate sooner if you see spreading redness, "
          "more pain, a smell or a fever: those suggest infection.",
          "helped:tariq;like:jin lucia;insightful:ravi;thanks:tariq", NULL, NULL, NULL},
         {"lucia", 8, 2,
          "Agree. I'd add: measure and photograph the wound at the first change (see the pinned "
          "checklist), so the team can see the trend next week.",
          "like:margaret tariq", NULL, NULL, NULL},
         {"tariq", 28, 0,
          "Thank you both. Superabsorbent on, barrier film on, and the Doppler is booked for "
          "Thursday.",
          "like:margaret lucia", NULL, NULL, NULL},
         {NULL, 0, 0, NULL, NULL, NULL, NULL, NULL},
     }},

    /* Pressure injury prevention ---------------------------------------------- */
    {"pressure-injuries", "discussion", "Repositioning every two hours: what's the evidence?",
     "pressure-injuries repositioning", 6, 0, 0,
     (const struct post_def[]){
         {"jin", 0, 0,
          "Our unit repositions ICU patients every two hours by default. A colleague asked where "
          "the two hours comes from, and I couldn't point to a trial. Does anyone use a "
          "different interval, based on risk?",
          "like:bridget", NULL, NULL, NULL},
         {"bridget", 6, 0,
          "The guidelines I know recommend an interval based on the person's risk and the "
          "surface they are on, rather than one fixed number. On a high-specification mattress "
          "some units turn lower-risk patients every four hours, with a skin check at each "
          "turn.",
          "like:jin margaret;insightful:tariq", NULL, NULL, NULL},
         {"margaret", 10, 2,
          "And write down *why* the interval was chosen. When a pressure injury happens, the "
          "question is always whether the plan fitted the risk.",
          "like:jin bridget", NULL, NULL, NULL},
         {"tariq", 54, 0,
          "We've started a turning chart with the reason written at the top. A small thing, but "
          "the night staff say it helps.",
          "like:jin", NULL, NULL, NULL},
         {NULL, 0, 0, NULL, NULL, NULL, NULL, NULL},
     }},
};

#define NTOPICS ARRAY_LEN(topics)

/* Who watches a whole space, and so hears of every new post in it. */
static const struct {
    const char *handle, *slug;
} space_watchers[] = {
    {"kwame", "assessment-for-learning"},
    {"mei", "lesson-study"},
    {"margaret", "wound-care"},
};

/* A notice as it would have been sent; grouped and given a read time at the end. */
struct notice_row {
    size_t user, actor, topic; /* topic: an index into topics */
    enum notice_kind kind;
    int64_t post_id, at, read_at; /* read_at 0: unread */
    int64_t count;
    bool gone; /* folded into an earlier reaction notice */
};

/* Someone took part in a topic at a time, and so read it then. */
struct visit {
    size_t user, topic;
    int64_t at;
};

struct talk {
    struct fill *f;
    int64_t topic_id[NTOPICS];
    int64_t post_at[NTOPICS][MAX_POSTS]; /* when each post was made, by number - 1 */
    int nposts[NTOPICS];
    struct notice_row *notices;
    size_t nnotices, cap_notices;
    struct visit *visits;
    size_t nvisits, cap_visits;
};

static int64_t max64(int64_t a, int64_t b)
{
    return a > b ? a : b;
}

/* At or after t, once person p is in space s, and in the past. */
static int64_t when(const struct fill *f, int64_t t, size_t p, size_t s)
{
    return demo_before_now(f, max64(t, demo_join_at(f, p, s) + HOUR));
}

static void visit(struct talk *k, size_t user, size_t topic, int64_t at)
{
    if (k->nvisits == k->cap_visits)
        k->visits =
            arena_grow(&k->f->arena, k->visits, k->nvisits, &k->cap_visits, sizeof(*k->visits));
    k->visits[k->nvisits++] = (struct visit){user, topic, at};
}

/* Tell user of something in a topic, unless they did it or may not read the space. */
static void tell(struct talk *k, size_t user, size_t actor, size_t topic, enum notice_kind kind,
                 int64_t post_id, int64_t at)
{
    size_t s = demo_space(topics[topic].space);

    if (user == actor || !demo_in_space(s, user))
        return;
    if (k->nnotices == k->cap_notices)
        k->notices =
            arena_grow(&k->f->arena, k->notices, k->nnotices, &k->cap_notices, sizeof(*k->notices));
    k->notices[k->nnotices++] = (struct notice_row){.user = user,
                                                    .actor = actor,
                                                    .topic = topic,
                                                    .kind = kind,
                                                    .post_id = post_id,
                                                    .at = at,
                                                    .count = 1};
}

static bool watches_space(size_t p, size_t s)
{
    for (size_t i = 0; i < ARRAY_LEN(space_watchers); i++)
        if (strcmp(space_watchers[i].handle, demo_handle(p)) == 0 &&
            demo_space(space_watchers[i].slug) == s)
            return true;
    return false;
}

/*
 * The notices of a new post, as notify_new_post() chooses them: each person
 * once, with the strongest reason (enum notice_kind is in that order).
 */
static void tell_new_post(struct talk *k, size_t ti, size_t writer, int64_t post_id, int64_t at,
                          size_t reply_author, const struct markdown_mentions *m)
{
    enum notice_kind why[DEMO_PEOPLE_MAX];
    size_t s = demo_space(topics[ti].space), asker = demo_person(str_c(topics[ti].posts[0].author));

    for (size_t p = 0; p < DEMO_PEOPLE_MAX; p++)
        why[p] = NOTICE__MAX;
    for (size_t p = 0; p < demo_npeople(); p++)
        if (p == asker || watches_space(p, s))
            why[p] = NOTICE_WATCHED;
    if (strcmp(topics[ti].kind, "question") == 0)
        why[asker] = NOTICE_ANSWERED;
    if (reply_author < demo_npeople())
        why[reply_author] = NOTICE_REPLY;
    for (size_t i = 0; i < m->n; i++)
        why[demo_person(m->handles[i])] = NOTICE_MENTION;
    for (size_t p = 0; p < demo_npeople(); p++)
        if (why[p] != NOTICE__MAX)
            tell(k, p, writer, ti, why[p], post_id, at);
}

/* Render a post's Markdown as the discussions feature does, with its mentions. */
static int render(struct fill *f, const char *src, struct html *html, struct markdown_mentions *m)
{
    int rc = markdown_render_mentions(&f->arena, str_c(src), (size_t)POST_BODY_MAX * 4, html, m);

    if (rc)
        f->why = "a demo post could not be rendered as Markdown";
    return rc;
}

/* The reactions of post_def: "like:amara kwame;thanks:liam", each a little after the post. */
static int react(struct talk *k, size_t ti, const struct post_def *d, int64_t post_id, int64_t at)
{
    struct fill *f = k->f;
    size_t s = demo_space(topics[ti].space), author = demo_person(str_c(d->author));
    const char *cur = d->reactions;
    int n = 0, rc = 0;

    while (!rc && cur && *cur) {
        const char *colon = strchr(cur, ':'), *end = strchr(cur, ';'), *who, *stop;
        size_t len = end ? (size_t)(end - cur) : strlen(cur);
        struct str kind;

        stop = cur + len;
        who = colon && colon < stop ? colon + 1 : stop;
        kind = str_make(cur, (size_t)(who - cur) - 1);
        if (who == stop || reaction_kind_parse(kind) == REACT__MAX)
            BUG("demo data has a bad reaction");
        while (!rc && who < stop) {
            const char *sp = memchr(who, ' ', (size_t)(stop - who));
            size_t wl = sp ? (size_t)(sp - who) : (size_t)(stop - who);
            size_t p = demo_person(str_make(who, wl));
            int64_t t = when(f, at + (int64_t)(++n) * 97 * MINUTE, p, s);

            if (p == author || !demo_in_space(s, p))
                BUG("demo data has a reaction nobody could make");
            rc = db_exec(
                f->db, STMT_REACTION_INSERT,
                (struct db_param[]){DB_INT(post_id), DB_INT(f->user[p]), DB_TEXT(kind), DB_INT(t)},
                4, NULL);
            if (!rc)
                rc = demo_act(f, f->user[p], "reaction.add", "post", post_id, f->space[s], t);
            visit(k, p, ti, t);
            tell(k, author, p, ti, NOTICE_REACTION, post_id, t);
            f->out->reactions++;
            who += wl + (sp ? 1 : 0);
        }
        cur = end ? end + 1 : NULL;
    }
    return rc;
}

/* A post's later life: an edit by its author, or a facilitator taking it down. */
static int amend(struct talk *k, size_t ti, const struct post_def *d, int64_t post_id, int64_t at)
{
    struct fill *f = k->f;
    size_t s = demo_space(topics[ti].space), author = demo_person(str_c(d->author));
    struct markdown_mentions m;
    struct html html;
    int rc = 0;

    if (d->first) {
        int64_t t = demo_before_now(f, at + 2 * HOUR);

        rc = render(f, d->body, &html, &m);
        if (!rc)
            rc = db_exec(f->db, STMT_POST_KEEP_REVISION, (struct db_param[]){DB_INT(post_id)}, 1,
                         NULL);
        if (!rc)
            rc = db_exec(f->db, STMT_POST_UPDATE,
                         (struct db_param[]){DB_INT(post_id), DB_TEXTC(d->body),
                                             DB_TEXT(str_make(html.ptr, html.len)), DB_INT(t)},
                         4, NULL);
        if (!rc)
            rc = demo_act(f, f->user[author], "post.edit", "post", post_id, f->space[s], t);
        visit(k, author, ti, t);
    }
    if (!rc && d->deleted_by) {
        size_t by = demo_person(str_c(d->deleted_by));
        int64_t t = demo_before_now(f, at + 3 * HOUR);

        if (!demo_moderates(s, by) || !d->reason)
            BUG("demo data has a deletion nobody could make");
        rc = db_exec(f->db, STMT_POST_TOMBSTONE,
                     (struct db_param[]){DB_INT(post_id), DB_INT(t), DB_INT(f->user[by]),
                                         DB_TEXTC(d->reason)},
                     4, NULL);
        if (!rc)
            rc = demo_act(f, f->user[by], "post.delete", "post", post_id, f->space[s], t);
        visit(k, by, ti, t);
    }
    return rc;
}

/* Post number i + 1 of topic ti, at the time the data gives, or as soon after as it could be. */
static int add_post(struct talk *k, size_t ti, int i, int64_t begun, int64_t *post_ids)
{
    struct fill *f = k->f;
    const struct topic_def *t = &topics[ti];
    const struct post_def *d = &t->posts[i];
    size_t s = demo_space(t->space), author = demo_person(str_c(d->author));
    const char *src = d->first ? d->first : d->body;
    int64_t at = begun + d->hours * HOUR, number = 0, id = 0;
    struct markdown_mentions m;
    struct html html;
    int rc;

    if (!demo_in_space(s, author) || d->reply_to < 0 || d->reply_to > i ||
        (d->deleted_by && d->reactions))
        BUG("demo data has a post nobody could make");
    if (i > 0)
        at = max64(at, k->post_at[ti][i - 1] + MINUTE);
    at = when(f, at, author, s);
    rc = render(f, src, &html, &m);
    if (!rc)
        rc = db_query_int(
            f->db, STMT_TOPIC_ADD_POST,
            (struct db_param[]){DB_INT(k->topic_id[ti]), DB_INT(at), DB_INT(f->user[author])}, 3,
            &number);
    if (!rc) {
        struct db_param p[] = {DB_INT(k->topic_id[ti]),
                               DB_INT(f->space[s]),
                               DB_INT(f->user[author]),
                               DB_INT(number),
                               d->reply_to ? DB_INT(post_ids[d->reply_to - 1]) : DB_NULL,
                               DB_TEXTC(src),
                               DB_TEXT(str_make(html.ptr, html.len)),
                               DB_INT(at)};

        rc = db_query_int(f->db, STMT_POST_INSERT, p, ARRAY_LEN(p), &id);
    }
    if (!rc && i > 0)
        rc = demo_act(f, f->user[author], "post.create", "post", id, f->space[s], at);
    post_ids[i] = id;
    k->post_at[ti][i] = at;
    k->nposts[ti] = i + 1;
    visit(k, author, ti, at);
    if (!d->deleted_by) /* taking a post down takes its notices with it */
        tell_new_post(
            k, ti, author, id, at,
            d->reply_to ? demo_person(str_c(t->posts[d->reply_to - 1].author)) : (size_t)-1, &m);
    if (!rc)
        rc = react(k, ti, d, id, at);
    if (!rc)
        rc = amend(k, ti, d, id, at);
    f->out->posts++;
    return rc;
}

static int add_tags(struct fill *f, int64_t topic_id, const char *tags)
{
    const char *cur = tags;
    int rc = 0;

    while (!rc && *cur) {
        const char *sp = strchr(cur, ' ');
        size_t n = sp ? (size_t)(sp - cur) : strlen(cur);
        struct str tag;

        if (rule_tag(&f->arena, str_make(cur, n), &tag) || !str_eq(tag, str_make(cur, n)))
            BUG("demo data has a bad tag");
        rc = db_exec(f->db, STMT_TAG_INSERT, (struct db_param[]){DB_INT(topic_id), DB_TEXT(tag)}, 2,
                     NULL);
        cur += sp ? n + 1 : n;
    }
    return rc;
}

/* The accepted answer, chosen by the asker some hours after the topic began. */
static int accept(struct talk *k, size_t ti, int64_t begun, const int64_t *post_ids)
{
    struct fill *f = k->f;
    const struct topic_def *t = &topics[ti];
    size_t s = demo_space(t->space), asker = demo_person(str_c(t->posts[0].author));
    int a = t->accepted - 1;
    size_t writer;
    int64_t at;
    int rc;

    if (strcmp(t->kind, "question") != 0 || a < 1 || a >= k->nposts[ti] || t->posts[a].deleted_by)
        BUG("demo data accepts an answer that cannot be accepted");
    writer = demo_person(str_c(t->posts[a].author));
    at = demo_before_now(f, max64(begun + t->accepted_hours * HOUR, k->post_at[ti][a] + HOUR));
    rc = db_exec(f->db, STMT_TOPIC_SET_ACCEPTED,
                 (struct db_param[]){DB_INT(k->topic_id[ti]), DB_INT(post_ids[a]), DB_INT(at)}, 3,
                 NULL);
    if (!rc)
        rc = demo_act(f, f->user[asker], "topic.accept", "post", post_ids[a], f->space[s], at);
    visit(k, asker, ti, at);
    tell(k, writer, asker, ti, NOTICE_ACCEPTED, post_ids[a], at);
    return rc;
}

static int add_topic(struct talk *k, size_t ti)
{
    struct fill *f = k->f;
    const struct topic_def *t = &topics[ti];
    size_t s = demo_space(t->space), author = demo_person(str_c(t->posts[0].author));
    enum topic_kind kind = topic_kind_parse(str_c(t->kind));
    int64_t begun = f->now - t->days * DAY + (int64_t)((ti * 5) % 9) * HOUR, at;
    int64_t post_ids[MAX_POSTS];
    int rc;

    if (kind == TOPIC__MAX || rule_title(str_c(t->title)) ||
        (kind == TOPIC_ANNOUNCEMENT && !demo_moderates(s, author)))
        BUG("demo data has a topic nobody could make");
    at = when(f, begun, author, s);
    rc = db_query_int(f->db, STMT_TOPIC_INSERT,
                      (struct db_param[]){DB_INT(f->space[s]), DB_INT(f->user[author]),
                                          DB_TEXTC(t->kind), DB_TEXTC(t->title),
                                          DB_INT(kind == TOPIC_ANNOUNCEMENT), DB_INT(at)},
                      6, &k->topic_id[ti]);
    if (!rc)
        rc = add_tags(f, k->topic_id[ti], t->tags);
    if (!rc)
        rc = db_exec(f->db, STMT_WATCH_TOPIC_PUT,
                     (struct db_param[]){DB_INT(f->user[author]), DB_INT(k->topic_id[ti]),
                                         DB_TEXTC("watching")},
                     3, NULL);
    if (!rc)
        rc =
            demo_act(f, f->user[author], "topic.create", "topic", k->topic_id[ti], f->space[s], at);
    for (int i = 0; !rc && t->posts[i].author; i++) {
        if (i == MAX_POSTS)
            BUG("a demo topic has too many posts");
        rc = add_post(k, ti, i, i ? begun : at, post_ids);
    }
    if (!rc && t->accepted)
        rc = accept(k, ti, begun, post_ids);
    f->out->topics++;
    return rc;
}

/* When user opens a notice of topic ti that came at t: their next visit, or READ_WITHIN later. */
static int64_t read_time(const struct talk *k, size_t user, size_t ti, int64_t t)
{
    int64_t at = t + READ_WITHIN;

    for (size_t i = 0; i < k->nvisits; i++) {
        const struct visit *v = &k->visits[i];

        if (v->user == user && v->topic == ti && v->at >= t && v->at < at)
            at = v->at;
    }
    return at < k->f->now ? at : 0;
}

static int by_time(const void *a, const void *b)
{
    const struct notice_row *x = a, *y = b;

    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    return x->post_id < y->post_id ? -1 : x->post_id > y->post_id;
}

/*
 * Write the notices in the order they came. Reactions on one post are
 * grouped while their notice is unread, as notice_insert() does.
 */
static int write_notices(struct talk *k)
{
    struct fill *f = k->f;
    int rc = 0;

    qsort(k->notices, k->nnotices, sizeof(*k->notices), by_time);
    for (size_t i = 0; i < k->nnotices; i++) {
        struct notice_row *n = &k->notices[i];

        n->read_at = read_time(k, n->user, n->topic, n->at);
        if (n->kind != NOTICE_REACTION)
            continue;
        for (size_t j = 0; j < i; j++) {
            struct notice_row *g = &k->notices[j];

            if (g->gone || g->kind != NOTICE_REACTION || g->user != n->user ||
                g->post_id != n->post_id || (g->read_at && g->read_at <= n->at))
                continue;
            g->count++;
            g->actor = n->actor;
            g->at = n->at;
            g->read_at = n->read_at;
            n->gone = true;
            break;
        }
    }
    for (size_t i = 0; !rc && i < k->nnotices; i++) {
        const struct notice_row *n = &k->notices[i];
        struct db_param p[] = {DB_INT(f->user[n->user]),
                               DB_TEXTC(notice_kind_name(n->kind)),
                               DB_INT(f->space[demo_space(topics[n->topic].space)]),
                               DB_INT(k->topic_id[n->topic]),
                               DB_INT(n->post_id),
                               DB_INT(f->user[n->actor]),
                               DB_INT(n->count),
                               DB_INT(n->at),
                               n->read_at ? DB_INT(n->read_at) : DB_NULL};

        if (n->gone)
            continue;
        rc = db_exec(f->db, STMT_DEMO_NOTIFICATION_INSERT, p, ARRAY_LEN(p), NULL);
        f->out->notifications++;
        if (!n->read_at)
            f->out->unread++;
    }
    return rc;
}

/* What each person has read of each topic: up to its posts when they last visited it. */
static int write_reads(struct talk *k)
{
    struct fill *f = k->f;
    int rc = 0;

    for (size_t p = 0; !rc && p < demo_npeople(); p++) {
        for (size_t ti = 0; !rc && ti < NTOPICS; ti++) {
            int64_t last = 0, number = 0;

            for (size_t i = 0; i < k->nvisits; i++)
                if (k->visits[i].user == p && k->visits[i].topic == ti)
                    last = max64(last, k->visits[i].at);
            for (size_t i = 0; i < k->nnotices; i++)
                if (k->notices[i].user == p && k->notices[i].topic == ti && !k->notices[i].gone)
                    last = max64(last, k->notices[i].read_at);
            while (number < k->nposts[ti] && k->post_at[ti][number] <= last)
                number++;
            if (number)
                rc = db_exec(f->db, STMT_READ_MARK,
                             (struct db_param[]){DB_INT(f->user[p]), DB_INT(k->topic_id[ti]),
                                                 DB_INT(number)},
                             3, NULL);
        }
    }
    return rc;
}

/* Those who watch a space said so a day after they joined it. */
static int add_space_watches(struct fill *f)
{
    int rc = 0;

    for (size_t i = 0; !rc && i < ARRAY_LEN(space_watchers); i++) {
        size_t p = demo_person(str_c(space_watchers[i].handle)),
               s = demo_space(space_watchers[i].slug);
        int64_t at = demo_before_now(f, demo_join_at(f, p, s) + DAY);

        rc = db_exec(
            f->db, STMT_WATCH_SPACE_PUT,
            (struct db_param[]){DB_INT(f->user[p]), DB_INT(f->space[s]), DB_TEXTC("watching")}, 3,
            NULL);
        if (!rc)
            rc = demo_act(f, f->user[p], "watch.set", "space", f->space[s], f->space[s], at);
    }
    return rc;
}

int demo_discussions(struct fill *f)
{
    struct talk *k = arena_calloc(&f->arena, 1, sizeof(*k));
    int rc;

    k->f = f;
    rc = add_space_watches(f);
    for (size_t ti = 0; !rc && ti < NTOPICS; ti++)
        rc = add_topic(k, ti);
    if (!rc)
        rc = write_notices(k);
    if (!rc)
        rc = write_reads(k);
    return rc;
}

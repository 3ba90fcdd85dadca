/* The categories of mail: their names, and the words pages and footers use for them. */
#include "core/str.h"
#include "feature/mail/mail_int.h"

static const struct mail_category_info categories[MAIL_CATEGORY__MAX] = {
    [MAIL_ACCOUNT] = {"account",
                      "Account mail",
                      "mail about your account",
                      "Address confirmation and password resets: always sent.",
                      {"This mail is about your account at ",
                       "; it is sent whatever your mail settings say."}},
    [MAIL_REMINDERS] = {"reminders",
                        "Reminders of events",
                        "reminders of events",
                        "Before an event you said you would come to, or might: when and where, "
                        "with a calendar file.",
                        {"You get reminders because you said you would come to an event at ",
                         ", or might."}},
    [MAIL_FOLLOWUPS] = {"followups",
                        "Follow-ups of events",
                        "follow-ups of events",
                        "After an event you took part in, or in a space you follow: the summary "
                        "its hosts wrote, resources and next steps.",
                        {"You get follow-ups because you took part in an event at ",
                         ", or follow its space."}},
    [MAIL_NOTICES] = {"notices",
                      "Notices of activity",
                      "notices of activity",
                      "Mentions, replies and new posts in what you watch.",
                      {"You get notices of the activity you follow at ", "."}},
};

const struct mail_category_info *mail_category_info(enum mail_category c)
{
    return &categories[c >= 0 && c < MAIL_CATEGORY__MAX ? c : MAIL_ACCOUNT];
}

const char *mail_category_name(enum mail_category c)
{
    return c >= 0 && c < MAIL_CATEGORY__MAX ? categories[c].name : "unknown";
}

int mail_category_of(struct str name)
{
    for (int c = 0; c < MAIL_CATEGORY__MAX; c++)
        if (str_eq_c(name, categories[c].name))
            return c;
    return -1;
}

#include "feature/discuss/rules.h"

#include <stdio.h>

#include "core/arena.h"
#include "core/utf8.h"

static const char *const kind_names[TOPIC__MAX] = {
    [TOPIC_DISCUSSION] = "discussion",
    [TOPIC_QUESTION] = "question",
    [TOPIC_ANNOUNCEMENT] = "announcement",
    [TOPIC_SUMMARY] = "summary",
};
static const char *const reaction_names[REACT__MAX] = {
    [REACT_LIKE] = "like",
    [REACT_THANKS] = "thanks",
    [REACT_INSIGHTFUL] = "insightful",
    [REACT_HELPED] = "helped",
};
static const char *const reaction_labels[REACT__MAX] = {
    [REACT_LIKE] = "Like",
    [REACT_THANKS] = "Thanks",
    [REACT_INSIGHTFUL] = "Insightful",
    [REACT_HELPED] = "This helped me",
};
static const char *const watch_names[WATCH__MAX] = {
    [WATCH_NORMAL] = "normal",
    [WATCH_WATCHING] = "watching",
    [WATCH_MUTED] = "muted",
};
static const char *const filter_names[FILTER__MAX] = {
    [FILTER_LATEST] = "latest",
    [FILTER_UNANSWERED] = "unanswered",
    [FILTER_TAG] = "tag",
};

static int find(struct str s, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (str_eq_c(s, names[i]))
            return i;
    return n;
}

const char *topic_kind_name(enum topic_kind k)
{
    return k < TOPIC__MAX ? kind_names[k] : "discussion";
}

enum topic_kind topic_kind_parse(struct str s)
{
    return (enum topic_kind)find(s, kind_names, TOPIC__MAX);
}

const char *reaction_kind_name(enum reaction_kind k)
{
    return k < REACT__MAX ? reaction_names[k] : "like";
}

const char *reaction_kind_label(enum reaction_kind k)
{
    return k < REACT__MAX ? reaction_labels[k] : "Like";
}

enum reaction_kind reaction_kind_parse(struct str s)
{
    return (enum reaction_kind)find(s, reaction_names, REACT__MAX);
}

const char *watch_level_name(enum watch_level l)
{
    return l < WATCH__MAX ? watch_names[l] : "normal";
}

enum watch_level watch_level_parse(struct str s)
{
    return (enum watch_level)find(s, watch_names, WATCH__MAX);
}

const char *topic_filter_name(enum topic_filter f)
{
    return f < FILTER__MAX ? filter_names[f] : "latest";
}

enum topic_filter topic_filter_parse(struct str s)
{
    return (enum topic_filter)find(s, filter_names, FILTER__MAX);
}

const char *rule_title(struct str t)
{
    if (!t.len)
        return "is required";
    if (utf8_len(t.ptr, t.len) > TOPIC_TITLE_MAX)
        return "is longer than 200 characters";
    if (utf8_has_control(t.ptr, t.len))
        return "must be one line without control characters";
    return NULL;
}

const char *rule_tag(struct arena *a, struct str tag, struct str *out)
{
    struct str t = str_trim(tag);
    char *p;
    size_t k = 0;

    if (!t.len)
        return "has an empty tag";
    p = arena_alloc(a, t.len + 1);
    for (size_t i = 0; i < t.len; i++) {
        unsigned char c = (unsigned char)t.ptr[i];

        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if (c == ' ' || c == '\t') {
            if (k && p[k - 1] != '-')
                p[k++] = '-';
            continue;
        }
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c >= 0x80))
            return "may hold only letters, digits, spaces and -";
        p[k++] = (char)c;
    }
    p[k] = '\0';
    if (utf8_len(p, k) > TAG_MAX)
        return "has a tag longer than 30 characters";
    *out = str_make(p, k);
    return NULL;
}

bool cursor_parse(struct str s, struct cursor *out)
{
    long dot = str_index(s, '.');

    if (dot <= 0 || (size_t)dot + 1 >= s.len)
        return false;
    if (str_to_i64(str_make(s.ptr, (size_t)dot), &out->key) ||
        str_to_i64(str_make(s.ptr + dot + 1, s.len - (size_t)dot - 1), &out->id))
        return false;
    return out->key >= 0 && out->id >= 0;
}

struct str cursor_format(struct arena *a, struct cursor c)
{
    char tmp[48];
    int n = snprintf(tmp, sizeof(tmp), "%lld.%lld", (long long)c.key, (long long)c.id);

    return str_make(arena_strndup(a, tmp, (size_t)n), (size_t)n);
}

#include "feature/profiles/rules.h"

#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/utf8.h"

static const char *const kind_names[INTEREST__MAX] = {
    [INTEREST_HELP] = "help",
    [INTEREST_LEARN] = "learn",
    [INTEREST_INTEREST] = "interest",
};
static const char *const field_names[INTEREST__MAX] = {
    [INTEREST_HELP] = "interests.help",
    [INTEREST_LEARN] = "interests.learn",
    [INTEREST_INTEREST] = "interests.interest",
};
_Static_assert(sizeof(kind_names) / sizeof(kind_names[0]) == INTEREST__MAX, "a name per kind");

const char *interest_kind_name(enum interest_kind k)
{
    return kind_names[k];
}

const char *interest_field_name(enum interest_kind k)
{
    return field_names[k];
}

int interest_kind_parse(struct str name)
{
    for (int k = 0; k < INTEREST__MAX; k++)
        if (str_eq_c(name, kind_names[k]))
            return k;
    return -1;
}

/* UTF-8 -------------------------------------------------------------------- */

/* The code point at s[0] of valid UTF-8, and its length in *len. */
static uint32_t decode(const unsigned char *s, size_t *len)
{
    return utf8_decode((const char *)s, len);
}

static size_t encode(uint32_t c, char *out)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | c >> 6);
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | c >> 12);
        out[1] = (char)(0x80 | (c >> 6 & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | c >> 18);
    out[1] = (char)(0x80 | (c >> 12 & 0x3F));
    out[2] = (char)(0x80 | (c >> 6 & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/*
 * Simple lower-case mapping for the scripts most members will type. Every
 * mapping keeps or shortens the UTF-8 length, so a key never outgrows its
 * label.
 */
static uint32_t lower(uint32_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c + 32;
    if (c < 0xC0)
        return c;
    if (c <= 0xDE)
        return c == 0xD7 ? c : c + 32; /* Latin-1, but not the multiplication sign */
    if (c == 0x130)
        return 'i'; /* dotted capital I */
    if (c >= 0x100 && c <= 0x137)
        return c | 1; /* pairs: capital even, small odd */
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
        return (c & 1) ? c + 1 : c; /* pairs: capital odd, small even */
    if (c >= 0x14A && c <= 0x177)
        return c | 1;
    if (c == 0x178)
        return 0xFF;
    if (c == 0x386)
        return 0x3AC;
    if (c >= 0x388 && c <= 0x38A)
        return c + 37;
    if (c == 0x38C)
        return 0x3CC;
    if (c == 0x38E || c == 0x38F)
        return c + 63;
    if (c >= 0x391 && c <= 0x3AB && c != 0x3A2)
        return c + 32;
    if (c == 0x3C2)
        return 0x3C3; /* final sigma compares as sigma */
    if (c >= 0x400 && c <= 0x40F)
        return c + 80;
    if (c >= 0x410 && c <= 0x42F)
        return c + 32;
    return c;
}

static bool is_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == 0xA0;
}

struct str interest_key(struct arena *a, struct str s)
{
    const unsigned char *p = (const unsigned char *)s.ptr;
    char *out = arena_alloc(a, s.len + 1);
    size_t i = 0, n = 0;

    while (i < s.len) {
        size_t len;
        uint32_t c = decode(p + i, &len);

        n += encode(lower(c), out + n);
        i += len;
    }
    out[n] = '\0';
    return str_make(out, n);
}

/* Rules -------------------------------------------------------------------- */

static bool has_control(struct str s)
{
    return utf8_has_control(s.ptr, s.len);
}

const char *rule_profile_name(struct str name)
{
    if (!utf8_valid(name.ptr, name.len))
        return "is not valid UTF-8";
    name = str_trim(name);
    if (name.len == 0)
        return "is required";
    if (utf8_len(name.ptr, name.len) > PROFILE_NAME_MAX)
        return "is longer than 80 characters";
    if (has_control(name))
        return "must not hold line breaks or control characters";
    return NULL;
}

const char *rule_bio(struct str bio)
{
    if (!utf8_valid(bio.ptr, bio.len))
        return "is not valid UTF-8";
    if (utf8_len(bio.ptr, bio.len) > PROFILE_BIO_MAX)
        return "is longer than 2000 characters";
    return NULL;
}

static bool zone_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '+' || c == '-';
}

/* Segments of zone_char joined by single slashes: so no "..", no absolute path. */
static bool zone_syntax(struct str tz)
{
    if (tz.len == 0 || tz.len > TIMEZONE_MAX || tz.ptr[0] == '/' || tz.ptr[tz.len - 1] == '/')
        return false;
    for (size_t i = 0; i < tz.len; i++) {
        if (tz.ptr[i] == '/') {
            if (tz.ptr[i - 1] == '/')
                return false;
        } else if (!zone_char(tz.ptr[i])) {
            return false;
        }
    }
    return !str_starts_with(tz, STR_LIT("posix/")) && !str_starts_with(tz, STR_LIT("right/")) &&
           !str_eq_c(tz, "localtime") && !str_eq_c(tz, "posixrules");
}

/* Whether path is a regular file that starts like a compiled zone ("TZif"). */
static bool is_tzif(const char *path)
{
    char magic[4];
    struct stat st;
    bool yes = false;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

    if (fd < 0)
        return false;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
        yes = read(fd, magic, sizeof(magic)) == (ssize_t)sizeof(magic) &&
              memcmp(magic, "TZif", sizeof(magic)) == 0;
    close(fd);
    return yes;
}

const char *rule_timezone(struct str tz)
{
    char path[sizeof(ZONEINFO_DIR) + 1 + TIMEZONE_MAX + 1];

    if (tz.len == 0)
        return "is required";
    if (!zone_syntax(tz))
        return "must be a name like Europe/Paris or America/New_York";
    memcpy(path, ZONEINFO_DIR "/", sizeof(ZONEINFO_DIR));
    memcpy(path + sizeof(ZONEINFO_DIR), tz.ptr, tz.len);
    path[sizeof(ZONEINFO_DIR) + tz.len] = '\0';
    if (!is_tzif(path))
        return "is not one we know; use a name like Europe/Paris or America/New_York";
    return NULL;
}

struct str newline_normal(struct arena *a, struct str text)
{
    char *out;
    size_t n = 0;

    if (!text.ptr || !memchr(text.ptr, '\r', text.len))
        return text;
    out = arena_alloc(a, text.len + 1);
    for (size_t i = 0; i < text.len; i++) {
        if (text.ptr[i] == '\r') {
            out[n++] = '\n';
            if (i + 1 < text.len && text.ptr[i + 1] == '\n')
                i++;
        } else {
            out[n++] = text.ptr[i];
        }
    }
    out[n] = '\0';
    return str_make(out, n);
}

/* Interests ---------------------------------------------------------------- */

/*
 * raw with runs of white space made one space and the ends trimmed, in the
 * arena; NULL or what is wrong.
 */
static const char *label_normal(struct arena *a, struct str raw, struct str *out)
{
    const unsigned char *p = (const unsigned char *)raw.ptr;
    char *label;
    size_t i = 0, n = 0, chars = 0;
    bool gap = false;

    if (!utf8_valid(raw.ptr, raw.len))
        return "has an entry that is not valid UTF-8";
    label = arena_alloc(a, raw.len + 1);
    while (i < raw.len) {
        size_t len;
        uint32_t c = decode(p + i, &len);

        if (is_space(c)) {
            gap = n > 0;
        } else if (utf8_is_control(c)) {
            return "has an entry with control characters";
        } else {
            if (gap) {
                label[n++] = ' ';
                chars++;
            }
            gap = false;
            memcpy(label + n, p + i, len);
            n += len;
            chars++;
        }
        i += len;
    }
    label[n] = '\0';
    if (n == 0)
        return "has an empty entry";
    if (chars > INTEREST_LABEL_MAX)
        return "has an entry longer than 60 characters";
    *out = str_make(label, n);
    return NULL;
}

const char *interest_add(struct arena *a, struct interest_list *l, struct str raw)
{
    struct str label, key;
    const char *msg = label_normal(a, raw, &label);

    if (msg)
        return msg;
    key = interest_key(a, label);
    for (size_t i = 0; i < l->n; i++)
        if (str_eq(l->key[i], key))
            return NULL;
    if (l->n == INTERESTS_MAX)
        return "has more than 20 entries";
    l->label[l->n] = label;
    l->key[l->n] = key;
    l->n++;
    return NULL;
}

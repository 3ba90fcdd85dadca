#include "feature/accounts/rules.h"

#include <sodium.h>
#include <string.h>

#include "core/arena.h"
#include "core/embed.h"
#include "core/err.h"
#include "core/utf8.h"

/* src/feature/accounts/common-passwords.txt, embedded by tools/embed: sorted, one per line. */
extern const struct embed_file wordlists[];
extern const size_t wordlists_count;

const char *rule_handle(struct str h)
{
    if (h.len < HANDLE_MIN || h.len > HANDLE_MAX)
        return "must be 3 to 30 characters";
    for (size_t i = 0; i < h.len; i++) {
        char c = h.ptr[i];

        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return "may hold only lower-case letters a-z, digits, _ and -";
    }
    return NULL;
}

const char *rule_email(struct str e)
{
    long at = -1;
    size_t dot = 0;

    if (e.len < 3 || e.len > EMAIL_MAX)
        return "is not an email address";
    for (size_t i = 0; i < e.len; i++) {
        unsigned char c = (unsigned char)e.ptr[i];

        if (c <= ' ' || c == 0x7f || c == ',' || c == ';' || c == '<' || c == '>' || c == '"' ||
            c == '(' || c == ')' || c == '[' || c == ']' || c == '\\' || c == ':')
            return "is not an email address";
        /* Mail goes out without SMTPUTF8, so an address must be ASCII to be mailed at all. */
        if (c > 0x7f)
            return "may hold only ASCII letters, digits and punctuation";
        if (c == '@') {
            if (at >= 0)
                return "is not an email address";
            at = (long)i;
        } else if (c == '.' && at >= 0) {
            dot = i;
        }
    }
    /* local@domain.tld: something before '@', a dot in the domain, not at its ends */
    if (at < 1 || at > 64 || dot == 0 || dot == (size_t)at + 1 || dot == e.len - 1 ||
        e.ptr[at + 1] == '.' || e.ptr[e.len - 1] == '.')
        return "is not an email address";
    return NULL;
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Compare p (any case) with the list line (lower case). */
static int cmp_line(struct str p, const char *line, size_t n)
{
    size_t i;

    for (i = 0; i < p.len && i < n; i++) {
        int a = lower((unsigned char)p.ptr[i]), b = (unsigned char)line[i];

        if (a != b)
            return a - b;
    }
    return p.len == n ? 0 : (p.len < n ? -1 : 1);
}

bool password_is_common(struct str p)
{
    const char *data, *lines[1024];
    size_t lens[1024], n = 0, lo = 0, hi;

    if (!wordlists_count)
        return false;
    /* The list is small; index its lines, then search them in order. */
    data = (const char *)wordlists[0].data;
    for (size_t i = 0, start = 0; i <= wordlists[0].len && n < 1024; i++) {
        if (i == wordlists[0].len || data[i] == '\n') {
            if (i > start) {
                lines[n] = data + start;
                lens[n++] = i - start;
            }
            start = i + 1;
        }
    }
    hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_line(p, lines[mid], lens[mid]);

        if (c == 0)
            return true;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return false;
}

const char *rule_password(struct str pw, struct str handle, struct str email)
{
    size_t chars = utf8_len(pw.ptr, pw.len);

    if (chars < PASSWORD_MIN)
        return "must be at least 10 characters";
    if (chars > PASSWORD_MAX)
        return "is too long";
    if (password_is_common(pw))
        return "is one of the most common passwords; choose another";
    if (str_case_eq(pw, handle) || str_case_eq(pw, email))
        return "must not be your handle or email";
    return NULL;
}

struct str email_normal(struct arena *a, struct str email)
{
    char *p = arena_strndup(a, email.ptr, email.len);

    for (size_t i = 0; i < email.len; i++)
        p[i] = (char)lower((unsigned char)p[i]);
    return str_make(p, email.len);
}

static void limits(bool cheap, unsigned long long *ops, size_t *mem)
{
    *ops = cheap ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
    *mem = cheap ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;
}

int password_hash(struct str password, bool cheap, char out[PASSWORD_HASH_MAX])
{
    unsigned long long ops;
    size_t mem;

    _Static_assert(crypto_pwhash_STRBYTES <= PASSWORD_HASH_MAX, "hash buffer too small");
    limits(cheap, &ops, &mem);
    if (crypto_pwhash_str_alg(out, password.ptr, password.len, ops, mem,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return E_IO;
    return 0;
}

bool password_verify(struct str password, const char *hash)
{
    return crypto_pwhash_str_verify(hash, password.ptr, password.len) == 0;
}

bool password_needs_rehash(const char *hash, bool cheap)
{
    unsigned long long ops;
    size_t mem;

    limits(cheap, &ops, &mem);
    return crypto_pwhash_str_needs_rehash(hash, ops, mem) != 0;
}

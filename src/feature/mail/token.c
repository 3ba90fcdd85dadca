/*
 * Unsubscribe tokens: what a one-click link carries instead of a session.
 * Pure (libsodium's HMAC, no database), so tests/unit/t_mail.c checks it.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "feature/mail/mail_int.h"

#define MAC_BYTES 16 /* of the 32 HMAC-SHA-512-256 gives: 128 bits cannot be guessed */
#define MAC_TEXT  22 /* their unpadded base64url */

/* The MAC of "unsubscribe <user id> <category>" under key, as text. */
static void mac_text(const unsigned char key[MAIL_KEY_BYTES], int64_t user_id, enum mail_category c,
                     char out[MAC_TEXT + 1])
{
    unsigned char mac[crypto_auth_BYTES];
    char msg[80];
    int n = snprintf(msg, sizeof(msg), "unsubscribe %lld %s", (long long)user_id,
                     mail_category_name(c));

    crypto_auth(mac, (const unsigned char *)msg, (unsigned long long)n, key);
    sodium_bin2base64(out, MAC_TEXT + 1, mac, MAC_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void mail_token_make(const unsigned char key[MAIL_KEY_BYTES], int64_t user_id, enum mail_category c,
                     char out[MAIL_TOKEN_MAX])
{
    char mac[MAC_TEXT + 1];

    mac_text(key, user_id, c, mac);
    snprintf(out, MAIL_TOKEN_MAX, "%lld.%s.%s", (long long)user_id, mail_category_name(c), mac);
}

int mail_token_check(const unsigned char key[MAIL_KEY_BYTES], struct str token, int64_t *user_id,
                     enum mail_category *c)
{
    long dot1 = str_index(token, '.'), dot2;
    struct str rest, id, cat, mac;
    char want[MAC_TEXT + 1];
    int k;

    if (dot1 <= 0 || token.len > MAIL_TOKEN_MAX)
        return E_NOTFOUND;
    id = str_make(token.ptr, (size_t)dot1);
    rest = str_make(token.ptr + dot1 + 1, token.len - (size_t)dot1 - 1);
    dot2 = str_index(rest, '.');
    if (dot2 <= 0)
        return E_NOTFOUND;
    cat = str_make(rest.ptr, (size_t)dot2);
    mac = str_make(rest.ptr + dot2 + 1, rest.len - (size_t)dot2 - 1);
    /* Only the form mail_token_make() writes: digits without a leading zero. */
    if (id.len > 18 || id.ptr[0] == '0')
        return E_NOTFOUND;
    for (size_t i = 0; i < id.len; i++)
        if (id.ptr[i] < '0' || id.ptr[i] > '9')
            return E_NOTFOUND;
    k = mail_category_of(cat);
    if (k <= MAIL_ACCOUNT || str_to_i64(id, user_id) || *user_id <= 0 || mac.len != MAC_TEXT)
        return E_NOTFOUND;
    mac_text(key, *user_id, (enum mail_category)k, want);
    if (sodium_memcmp(want, mac.ptr, MAC_TEXT) != 0)
        return E_NOTFOUND;
    *c = (enum mail_category)k;
    return 0;
}

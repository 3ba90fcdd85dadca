/* The rules of an account's fields, the common-password list and argon2id. */
#include <sodium.h>

#include "feature/accounts/rules.h"
#include "tap.h"

static struct str s(const char *c)
{
    return str_c(c);
}

static void handles(void)
{
    ok(!rule_handle(s("ada")), "3 characters is enough");
    ok(!rule_handle(s("a_b-c_0123456789_abcdefghijklm")), "30 characters of the allowed set");
    ok(rule_handle(s("ab")) != NULL, "2 characters is too short");
    ok(rule_handle(s("abcdefghijabcdefghijabcdefghijk")) != NULL, "31 characters is too long");
    ok(rule_handle(s("Ada")) != NULL, "upper case is refused");
    ok(rule_handle(s("ad a")) != NULL, "a space is refused");
    ok(rule_handle(s("adé")) != NULL, "non-ASCII is refused");
    ok(rule_handle(s("a.b")) != NULL, "a dot is refused");
}

static void emails(void)
{
    ok(!rule_email(s("a@b.co")), "short but plausible");
    ok(!rule_email(s("first.last+tag@sub.example.org")), "dots and plus");
    ok(rule_email(s("plainaddress")) != NULL, "no @");
    ok(rule_email(s("@example.org")) != NULL, "nothing before @");
    ok(rule_email(s("a@example")) != NULL, "no dot in the domain");
    ok(rule_email(s("a@.example.org")) != NULL, "domain starts with a dot");
    ok(rule_email(s("a@example.org.")) != NULL, "domain ends with a dot");
    ok(rule_email(s("a@b@example.org")) != NULL, "two @");
    ok(rule_email(s("a b@example.org")) != NULL, "a space");
    ok(rule_email(s("a<b>@example.org")) != NULL, "angle brackets");
    ok(rule_email(s("zoë@example.org")) != NULL, "non-ASCII: mail could not reach it");
    ok(rule_email(s("a:b@example.org")) != NULL, "a colon");
}

static void passwords(void)
{
    ok(password_is_common(s("qwertyuiop")), "a common one");
    ok(password_is_common(s("QwertyUIOP")), "in any case");
    ok(password_is_common(s("!qaz2wsx3edc")), "the list's first line");
    ok(password_is_common(s("zxcvbnmasdf")), "the list's last line");
    ok(!password_is_common(s("qwertyuiopx")), "a longer one is not on the list");
    ok(!password_is_common(s("")), "empty is not on the list");
    ok(rule_password(s("123456789"), s("h"), s("e")) != NULL, "9 characters is too short");
    ok(!rule_password(s("ten chars!"), s("h"), s("e")), "10 characters is enough");
    ok(rule_password(s("ééééééééé"), s("h"), s("e")) != NULL, "9 characters of 2 bytes is still 9");
    ok(rule_password(s("Password123"), s("h"), s("e")) != NULL, "common is refused");
    ok(rule_password(s("myhandle12"), s("MyHandle12"), s("e")) != NULL, "the handle is refused");
}

static void hashing(void)
{
    char h[PASSWORD_HASH_MAX];

    is_int(password_hash(s("correct horse"), true, h), 0, "hash");
    ok(strncmp(h, "$argon2id$", 10) == 0, "argon2id");
    ok(password_verify(s("correct horse"), h), "verifies");
    ok(!password_verify(s("correct horsf"), h), "a wrong password does not");
    ok(password_needs_rehash(h, false), "a cheap hash needs rehashing at full cost");
    ok(!password_needs_rehash(h, true), "not at the cost it was made with");
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    handles();
    emails();
    passwords();
    hashing();
    return tap_done();
}

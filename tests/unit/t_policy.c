/*
 * The one policy as a table: readers, joiners and stewards of communities and
 * groups. The HTTP matrix (tests/http/policy.test.mjs) walks the routes; this
 * walks the rules themselves, groups and guests included.
 */
#include "feature/spaces/policy.h"
#include "tap.h"

static struct policy_actor who(bool signed_in, enum role role, enum role parent_role)
{
    return (struct policy_actor){signed_in, false, role, parent_role, false};
}

static void communities(void)
{
    struct policy_space pub = {false, true, JOIN_OPEN, false, true};
    struct policy_space priv = {false, false, JOIN_REQUEST, false, false};
    struct policy_actor anon = who(false, ROLE_NONE, ROLE_NONE);
    struct policy_actor out = who(true, ROLE_NONE, ROLE_NONE);
    struct policy_actor guest = who(true, ROLE_GUEST, ROLE_NONE);
    struct policy_actor member = who(true, ROLE_MEMBER, ROLE_NONE);
    struct policy_actor fac = who(true, ROLE_FACILITATOR, ROLE_NONE);
    struct policy_actor owner = who(true, ROLE_OWNER, ROLE_NONE);
    struct policy_actor admin = {true, true, ROLE_NONE, ROLE_NONE, false};
    struct policy_actor pending = {true, false, ROLE_NONE, ROLE_NONE, true};

    ok(policy_can(&anon, ACT_READ, &pub), "anyone reads a public community");
    ok(!policy_can(&anon, ACT_READ, &priv), "nobody outside reads a private one");
    ok(!policy_can(&out, ACT_READ, &priv), "not even signed in");
    ok(policy_can(&guest, ACT_READ, &priv), "a guest reads where invited");
    ok(policy_can(&admin, ACT_READ, &priv), "an instance admin reads everything");
    ok(!policy_can(&anon, ACT_JOIN, &pub), "joining needs a person");
    ok(policy_can(&out, ACT_JOIN, &pub), "an outsider joins an open community");
    ok(!policy_can(&pending, ACT_JOIN, &pub), "a pending request does not ask twice");
    ok(!policy_can(&member, ACT_JOIN, &pub), "a member does not join again");
    pub.join = JOIN_INVITE;
    ok(!policy_can(&out, ACT_JOIN, &pub), "an invite-only community takes invites only");
    ok(policy_can(&member, ACT_CREATE_GROUP, &priv) == false,
       "members create groups only if allowed");
    ok(policy_can(&member, ACT_CREATE_GROUP, &pub), "and here they are");
    ok(!policy_can(&guest, ACT_CREATE_GROUP, &pub), "guests never");
    ok(policy_can(&fac, ACT_CREATE_GROUP, &priv), "facilitators always");
    ok(!policy_can(&member, ACT_EDIT, &pub), "members do not edit");
    ok(policy_can(&fac, ACT_EDIT, &pub), "facilitators edit");
    ok(!policy_can(&fac, ACT_CONFIGURE, &pub), "but do not configure");
    ok(policy_can(&owner, ACT_CONFIGURE, &pub), "owners configure");
    ok(!policy_can(&fac, ACT_GRANT_OWNER, &pub), "facilitators do not make owners");
    ok(policy_can(&admin, ACT_GRANT_OWNER, &priv), "admins may, for moderation");
    ok(policy_can(&guest, ACT_LEAVE, &priv), "leaving is always possible");
    ok(!policy_can(&out, ACT_LEAVE, &pub), "but only for those inside");
    ok(!policy_can(&anon, ACT_LIST_MEMBERS, &pub), "the directory is for people signed in");
    ok(!policy_can(&out, ACT_POST, &pub), "reading a public space is not posting in it");
    ok(policy_can(&guest, ACT_POST, &priv), "a guest takes part where invited");
    ok(policy_can(&member, ACT_POST, &pub), "members post");
    ok(!policy_can(&out, ACT_POST, &priv), "nobody posts where they cannot read");
    ok(!policy_can(&member, ACT_MODERATE, &pub), "members do not moderate");
    ok(policy_can(&fac, ACT_MODERATE, &pub), "facilitators moderate");
    ok(policy_can(&admin, ACT_MODERATE, &priv), "and admins");
    ok(policy_can(&out, ACT_WATCH, &pub), "a reader may watch a public space");
    ok(!policy_can(&anon, ACT_WATCH, &pub), "but not anonymously");
    ok(!policy_can(&out, ACT_WATCH, &priv), "nor what they cannot read");
}

static void groups(void)
{
    /* public group in a private community; private group in a public community */
    struct policy_space open_in_priv = {true, true, JOIN_OPEN, false, true};
    struct policy_space closed_in_pub = {true, false, JOIN_OPEN, true, true};
    struct policy_space open_in_pub = {true, true, JOIN_OPEN, true, true};
    struct policy_actor anon = who(false, ROLE_NONE, ROLE_NONE);
    struct policy_actor cmember = who(true, ROLE_NONE, ROLE_MEMBER);
    struct policy_actor cguest = who(true, ROLE_NONE, ROLE_GUEST);
    struct policy_actor cowner = who(true, ROLE_NONE, ROLE_OWNER);
    struct policy_actor gmember = who(true, ROLE_MEMBER, ROLE_MEMBER);

    ok(policy_can(&cmember, ACT_READ, &open_in_priv), "a public group: the community reads it");
    ok(!policy_can(&cguest, ACT_READ, &open_in_priv), "a community guest sees nothing else");
    ok(!policy_can(&anon, ACT_READ, &open_in_priv), "outsiders of a private community see none");
    ok(policy_can(&anon, ACT_READ, &open_in_pub), "a public group of a public community is public");
    ok(!policy_can(&cowner, ACT_READ, &closed_in_pub), "a private group is private to its own");
    ok(policy_can(&gmember, ACT_READ, &closed_in_pub), "its members read it");
    ok(policy_can(&cmember, ACT_JOIN, &open_in_priv), "community members join an open group");
    ok(!policy_can(&cguest, ACT_JOIN, &open_in_pub), "a community guest does not");
    ok(!policy_can(&gmember, ACT_CREATE_GROUP, &open_in_pub), "groups hold no groups");
}

int main(void)
{
    communities();
    groups();
    return tap_done();
}

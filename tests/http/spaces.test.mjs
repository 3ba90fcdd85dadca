// Spaces over HTTP: communities and groups, visibility, joining by each door,
// roles, the owner rule, requests, invites, and private staying private.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signup, run, sql, BACKEND } from './harness.mjs';

const call = (s, who, method, path, body) =>
  s.fetch(path, {
    method,
    headers: { ...(who ? { authorization: who.auth } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });

describe(`spaces on ${BACKEND}`, () => {
  let s, ana, ben, cai, dee;
  before(async () => {
    s = await startServer();
    [ana, ben, cai, dee] = await Promise.all([signup(s), signup(s), signup(s), signup(s)]);
  });
  after(async () => {
    if (!s.exited) await s.stop();
  });

  test('create a community: 201, the creator owns it, an activity row', async () => {
    const res = await call(s, ana, 'POST', '/api/v1/spaces', {
      slug: 'maths-teachers', name: 'Maths Teachers', purpose: 'Teaching maths well, together.',
      visibility: 'public', join: 'open', charter: '# Our charter\n\nBe *kind*. <script>x</script>',
    });
    assert.equal(res.status, 201);
    const j = await res.json();
    assert.equal(j.space.slug, 'maths-teachers');
    assert.equal(j.space.kind, 'community');
    assert.equal(j.space.role, 'owner');
    assert.equal(j.space.members, 1);
    assert.match(j.space.charter_html, /<h1>Our charter<\/h1>/);
    assert.match(j.space.charter_html, /<em>kind<\/em>/);
    assert.doesNotMatch(j.space.charter_html, /<script/);
    assert.equal(await sql(s, "SELECT count(*) FROM activity WHERE verb = 'create' AND object_type = 'space'"), '1');
  });

  test('bad input names the field; a taken slug is 409', async () => {
    const base = { slug: 'ok-slug', name: 'N', purpose: 'P', visibility: 'public', join: 'open' };
    for (const [patch, field] of [
      [{ slug: 'A' }, 'slug'], [{ slug: '-x-' }, 'slug'], [{ slug: 'has space' }, 'slug'],
      [{ visibility: 'secret' }, 'visibility'], [{ join: 'whenever' }, 'join'],
      [{ name: ' ' }, 'name'], [{ parent: 'nowhere' }, 'parent'],
    ]) {
      const res = await call(s, ana, 'POST', '/api/v1/spaces', { ...base, ...patch });
      assert.ok([400, 404].includes(res.status), JSON.stringify(patch));
      assert.ok((await res.json()).error.fields?.[field], JSON.stringify(patch));
    }
    const res = await call(s, ben, 'POST', '/api/v1/spaces', { ...base, slug: 'maths-teachers' });
    assert.equal(res.status, 409);
    assert.equal((await res.json()).error.fields.slug, 'is taken');
    assert.equal((await call(s, null, 'POST', '/api/v1/spaces', base)).status, 401);
  });

  test('open join, then leave; the last owner cannot leave', async () => {
    let res = await call(s, ben, 'POST', '/api/v1/spaces/maths-teachers/join');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'joined', role: 'member' });
    assert.equal((await call(s, ben, 'POST', '/api/v1/spaces/maths-teachers/join')).status, 409);
    assert.equal((await call(s, ben, 'POST', '/api/v1/spaces/maths-teachers/leave')).status, 204);
    assert.equal((await call(s, ben, 'POST', '/api/v1/spaces/maths-teachers/leave')).status, 409);
    // Leaving is always possible: the last owner's ownership passes on.
    await call(s, cai, 'POST', '/api/v1/spaces/maths-teachers/join');
    assert.equal((await call(s, ana, 'POST', '/api/v1/spaces/maths-teachers/leave')).status, 204);
    const after = await (await call(s, cai, 'GET', '/api/v1/spaces/maths-teachers')).json();
    assert.equal(after.space.role, 'owner', 'the remaining member owns it now');
    assert.equal((await call(s, null, 'POST', '/api/v1/spaces/maths-teachers/join')).status, 401);
  });

  test('request to join: 202, facilitators approve or decline', async () => {
    await call(s, ana, 'POST', '/api/v1/spaces', { slug: 'nurses', name: 'Ward Nurses', purpose: 'Night shifts.', visibility: 'public', join: 'request' });
    let res = await call(s, ben, 'POST', '/api/v1/spaces/nurses/join');
    assert.equal(res.status, 202);
    assert.deepEqual(await res.json(), { status: 'requested', role: null });
    assert.equal((await call(s, ben, 'POST', '/api/v1/spaces/nurses/join')).status, 409, 'already waiting');
    await call(s, cai, 'POST', '/api/v1/spaces/nurses/join');
    assert.equal((await call(s, dee, 'GET', '/api/v1/spaces/nurses/requests')).status, 403);
    res = await call(s, ana, 'GET', '/api/v1/spaces/nurses/requests');
    assert.deepEqual((await res.json()).requests.map((r) => r.handle).sort(), [ben.user.handle, cai.user.handle].sort());
    assert.equal((await call(s, dee, 'POST', `/api/v1/spaces/nurses/requests/${ben.user.handle}/approve`)).status, 403);
    assert.equal((await call(s, ana, 'POST', `/api/v1/spaces/nurses/requests/${ben.user.handle}/approve`)).status, 204);
    assert.equal((await call(s, ana, 'POST', `/api/v1/spaces/nurses/requests/${cai.user.handle}/decline`)).status, 204);
    assert.equal((await call(s, ana, 'POST', `/api/v1/spaces/nurses/requests/${cai.user.handle}/decline`)).status, 404);
    const members = (await (await call(s, ana, 'GET', '/api/v1/spaces/nurses/members')).json()).members;
    assert.deepEqual(members.map((m) => m.handle).sort(), [ana.user.handle, ben.user.handle].sort());
  });

  test('roles: facilitators manage, only owners make owners, a space keeps one owner', async () => {
    assert.equal((await call(s, ben, 'PATCH', `/api/v1/spaces/nurses/members/${ben.user.handle}`, { role: 'owner' })).status, 403);
    assert.equal((await call(s, ana, 'PATCH', `/api/v1/spaces/nurses/members/${ben.user.handle}`, { role: 'facilitator' })).status, 204);
    assert.equal((await call(s, ben, 'PATCH', `/api/v1/spaces/nurses/members/${ana.user.handle}`, { role: 'member' })).status, 403, 'a facilitator cannot unmake an owner');
    let res = await call(s, ana, 'PATCH', `/api/v1/spaces/nurses/members/${ana.user.handle}`, { role: 'member' });
    assert.equal(res.status, 409, 'the last owner');
    assert.equal((await call(s, ben, 'DELETE', `/api/v1/spaces/nurses/members/${ana.user.handle}`)).status, 403, 'a facilitator cannot remove an owner');
    assert.equal((await call(s, ana, 'PATCH', `/api/v1/spaces/nurses/members/${ben.user.handle}`, { role: 'wizard' })).status, 400);
    assert.equal((await call(s, ana, 'PATCH', `/api/v1/spaces/nurses/members/${dee.user.handle}`, { role: 'member' })).status, 404);
    assert.equal((await call(s, ana, 'PATCH', `/api/v1/spaces/nurses/members/${ben.user.handle}`, { role: 'owner' })).status, 204);
    assert.equal((await call(s, ana, 'POST', '/api/v1/spaces/nurses/leave')).status, 204, 'now another owner stays');
    res = await call(s, ben, 'GET', '/api/v1/spaces/nurses');
    assert.equal((await res.json()).space.role, 'owner');
  });

  test('a private community does not exist for outsiders: 404 everywhere, absent from lists', async () => {
    let res = await call(s, ana, 'POST', '/api/v1/spaces', { slug: 'hidden-circle', name: 'Hidden Circle', purpose: 'Quiet things.', visibility: 'private', join: 'invite' });
    assert.equal(res.status, 201);
    for (const who of [null, ben]) {
      for (const [m, p] of [['GET', ''], ['POST', '/join'], ['GET', '/members'], ['PATCH', ''], ['POST', '/invites'], ['GET', '/requests']]) {
        res = await call(s, who, m, `/api/v1/spaces/hidden-circle${p}`, m === 'PATCH' ? { name: 'x' } : undefined);
        assert.ok([404, 401].includes(res.status), `${m} ${p}`);
        if (who) assert.equal(res.status, 404, `${m} ${p} for a signed-in outsider`);
      }
      const list = await (await call(s, who, 'GET', '/api/v1/spaces')).json();
      assert.ok(!list.spaces.some((x) => x.slug === 'hidden-circle'));
    }
    res = await call(s, ana, 'POST', '/api/v1/spaces', { slug: 'hidden-circle', name: 'x', purpose: 'y', visibility: 'public', join: 'open' });
    assert.equal(res.status, 409, 'the slug is taken even if hidden: a conflict says only that');
  });

  test('invites: a link joins a private space; expiry and use limits hold', async () => {
    let res = await call(s, ana, 'POST', '/api/v1/spaces/hidden-circle/invites', { expires_in_days: 3, max_uses: 1 });
    assert.equal(res.status, 201);
    const inv = await res.json();
    assert.match(inv.url, new RegExp(`/invites/${inv.token}$`));
    assert.equal((await call(s, null, 'POST', `/api/v1/invites/${inv.token}/accept`)).status, 401);
    res = await call(s, ben, 'POST', `/api/v1/invites/${inv.token}/accept`);
    assert.equal(res.status, 200);
    assert.equal((await res.json()).space.role, 'member');
    assert.equal((await call(s, ben, 'GET', '/api/v1/spaces/hidden-circle')).status, 200);
    res = await call(s, cai, 'POST', `/api/v1/invites/${inv.token}/accept`);
    assert.equal(res.status, 404, 'used up');
    assert.equal((await call(s, cai, 'POST', '/api/v1/invites/not-a-real-token/accept')).status, 404);
    assert.equal((await call(s, ana, 'POST', '/api/v1/spaces/hidden-circle/invites', { max_uses: 0 })).status, 400);
    // An expired invite: push its date into the past.
    res = await call(s, ana, 'POST', '/api/v1/spaces/hidden-circle/invites', {});
    const old = await res.json();
    await sql(s, `UPDATE invites SET expires_at = 1 WHERE expires_at = ${old.expires_at}`);
    assert.equal((await call(s, cai, 'POST', `/api/v1/invites/${old.token}/accept`)).status, 404);
  });

  test('guests see only the space they were invited into, until their date', async () => {
    await call(s, ana, 'POST', '/api/v1/spaces', { slug: 'circle-group', name: 'Circle Group', purpose: 'A group.', visibility: 'public', join: 'open', parent: 'hidden-circle' });
    const inv = await (await call(s, ana, 'POST', '/api/v1/spaces/hidden-circle/invites', { role: 'guest', guest_days: 10 })).json();
    assert.equal(inv.role, 'guest');
    assert.equal((await call(s, dee, 'POST', `/api/v1/invites/${inv.token}/accept`)).status, 200);
    assert.equal((await call(s, dee, 'GET', '/api/v1/spaces/hidden-circle')).status, 200);
    assert.equal((await call(s, dee, 'GET', '/api/v1/spaces/circle-group')).status, 404, 'a guest does not see the groups');
    assert.equal((await call(s, ben, 'GET', '/api/v1/spaces/circle-group')).status, 200, 'a member does');
    const before = (await (await call(s, ana, 'GET', '/api/v1/spaces/hidden-circle')).json()).space.members;
    await sql(s, "UPDATE memberships SET guest_until = 1 WHERE role = 'guest'");
    assert.equal((await call(s, dee, 'GET', '/api/v1/spaces/hidden-circle')).status, 404, 'after the date, gone');
    const after = (await (await call(s, ana, 'GET', '/api/v1/spaces/hidden-circle')).json()).space.members;
    assert.equal(after, before - 1, 'and no longer counted');
  });

  test('groups: inside a community, one level, public to its readers or private to its own', async () => {
    let res = await call(s, ben, 'POST', '/api/v1/spaces', { slug: 'ben-group', name: 'Ben Group', purpose: 'Members may create groups.', visibility: 'private', join: 'invite', parent: 'hidden-circle' });
    assert.equal(res.status, 201, 'any member may create a group');
    assert.equal((await res.json()).space.kind, 'group');
    assert.equal((await call(s, ana, 'GET', '/api/v1/spaces/ben-group')).status, 404, 'a private group is private even to the community owner');
    res = await call(s, ben, 'POST', '/api/v1/spaces', { slug: 'nested', name: 'N', purpose: 'P', visibility: 'public', join: 'open', parent: 'ben-group' });
    assert.equal(res.status, 403, 'one level only');
    // circle-group is public: readable by the community's members, joinable by them only.
    assert.equal((await call(s, ben, 'POST', '/api/v1/spaces/circle-group/join')).status, 200);
    assert.equal((await call(s, cai, 'POST', '/api/v1/spaces/circle-group/join')).status, 404, 'not in the community: no such group');
    // The owner turns group creation off for members.
    assert.equal((await call(s, ben, 'PATCH', '/api/v1/spaces/hidden-circle', { members_create_groups: false })).status, 403);
    assert.equal((await call(s, ana, 'PATCH', '/api/v1/spaces/hidden-circle', { members_create_groups: false })).status, 200);
    res = await call(s, ben, 'POST', '/api/v1/spaces', { slug: 'another', name: 'A', purpose: 'P', visibility: 'public', join: 'open', parent: 'hidden-circle' });
    assert.equal(res.status, 403);
    // Leaving the community leaves its groups too, and nobody stays without an owner.
    const eve = await signup(s);
    const inv = await (await call(s, ana, 'POST', '/api/v1/spaces/hidden-circle/invites', {})).json();
    await call(s, eve, 'POST', `/api/v1/invites/${inv.token}/accept`);
    await call(s, ana, 'PATCH', '/api/v1/spaces/hidden-circle', { members_create_groups: true });
    const ginv = await (await call(s, ben, 'POST', '/api/v1/spaces/ben-group/invites', {})).json();
    assert.equal((await call(s, eve, 'POST', `/api/v1/invites/${ginv.token}/accept`)).status, 200);
    assert.equal((await call(s, ben, 'POST', '/api/v1/spaces/hidden-circle/leave')).status, 204);
    assert.equal((await call(s, ben, 'GET', '/api/v1/spaces/ben-group')).status, 404, 'ben left the group too');
    assert.equal((await (await call(s, eve, 'GET', '/api/v1/spaces/ben-group')).json()).space.role, 'owner');
  });

  test('the member directory lists interests and answers "who can help with assessment?"', async () => {
    await call(s, ana, 'POST', '/api/v1/spaces', { slug: 'dir-test', name: 'Directory', purpose: 'Finding each other.', visibility: 'public', join: 'open' });
    await call(s, ben, 'POST', '/api/v1/spaces/dir-test/join');
    await call(s, cai, 'POST', '/api/v1/spaces/dir-test/join');
    await call(s, ben, 'PATCH', `/api/v1/users/${ben.user.handle}`, { interests: { help: ['Formative Assessment'], learn: ['Lesson study'] } });
    await call(s, cai, 'PATCH', `/api/v1/users/${cai.user.handle}`, { interests: { learn: ['Assessment design'] } });
    const dir = async (q) => (await (await call(s, ana, 'GET', `/api/v1/spaces/dir-test/members${q}`)).json()).members.map((m) => m.handle).sort();
    let all = (await (await call(s, ana, 'GET', '/api/v1/spaces/dir-test/members')).json()).members;
    assert.equal(all.length, 3);
    assert.deepEqual(all.find((m) => m.handle === ben.user.handle).interests, { help: ['Formative Assessment'], learn: ['Lesson study'], interest: [] });
    assert.deepEqual(await dir('?q=ASSESSMENT'), [ben.user.handle, cai.user.handle].sort(), 'any kind, any case');
    assert.deepEqual(await dir('?q=assessment&kind=help'), [ben.user.handle], 'who can help with assessment?');
    assert.deepEqual(await dir('?q=assessment&kind=learn'), [cai.user.handle]);
    assert.deepEqual(await dir(`?q=${encodeURIComponent(ana.user.name)}`), [ana.user.handle], 'by name');
    assert.deepEqual(await dir('?q=100%25'), [], 'LIKE characters are literal');
    assert.equal((await call(s, ana, 'GET', '/api/v1/spaces/dir-test/members?kind=wizard')).status, 400);
  });

  test('stops cleanly', async () => {
    assert.deepEqual(await s.stop(), { code: 0, signal: null });
  });
});

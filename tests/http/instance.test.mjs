// The instance's settings: who may create communities, and sign-up by
// invitation only (an invite to any space is the ticket in).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signup, run, sql, BACKEND } from './harness.mjs';

const call = (s, who, method, path, body) =>
  s.fetch(path, {
    method,
    headers: { ...(who ? { authorization: who.auth } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });

describe(`instance settings on ${BACKEND}`, () => {
  let s, admin, ann;
  before(async () => {
    s = await startServer({ args: ['--name', 'Settings Test'] });
    admin = await signup(s);
    ann = await signup(s);
    assert.equal((await run(['admin', 'add', admin.user.handle, '--db', s.db])).code, 0);
  });
  after(async () => {
    if (!s.exited) await s.stop();
  });

  test('anyone reads them; the defaults are open', async () => {
    const res = await call(s, null, 'GET', '/api/v1/instance');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { instance: { name: 'Settings Test', signup: 'open', community_creators: 'anyone' } });
  });

  test('only instance admins change them, and bad values name the field', async () => {
    assert.equal((await call(s, null, 'PATCH', '/api/v1/instance', { signup: 'invite' })).status, 401);
    assert.equal((await call(s, ann, 'PATCH', '/api/v1/instance', { signup: 'invite' })).status, 403);
    let res = await call(s, admin, 'PATCH', '/api/v1/instance', { signup: 'sometimes', community_creators: 'nobody' });
    assert.equal(res.status, 400);
    assert.deepEqual(Object.keys((await res.json()).error.fields).sort(), ['community_creators', 'signup']);
    res = await call(s, admin, 'PATCH', '/api/v1/instance', { community_creators: 'admins' });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).instance.community_creators, 'admins');
    assert.equal(await sql(s, "SELECT count(*) FROM activity WHERE verb = 'setting'"), '1');
  });

  test('a new name shows on the front page soon (each thread keeps a copy for a second)', async () => {
    assert.match(await (await s.fetch('/')).text(), /<h1>Settings Test<\/h1>/);
    assert.equal((await call(s, admin, 'PATCH', '/api/v1/instance', { name: 'Renamed Circle' })).status, 200);
    const t0 = Date.now();
    let html = '';
    while (Date.now() - t0 < 3000 && !/<h1>Renamed Circle<\/h1>/.test(html)) {
      html = await (await s.fetch('/')).text();
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(html, /<h1>Renamed Circle<\/h1>/);
  });

  test('admins only: others may not create communities, but groups still', async () => {
    let res = await call(s, ann, 'POST', '/api/v1/spaces', { slug: 'anns', name: 'A', purpose: 'P', visibility: 'public', join: 'open' });
    assert.equal(res.status, 403);
    res = await call(s, admin, 'POST', '/api/v1/spaces', { slug: 'admins-own', name: 'A', purpose: 'P', visibility: 'public', join: 'open' });
    assert.equal(res.status, 201);
    await call(s, ann, 'POST', '/api/v1/spaces/admins-own/join');
    res = await call(s, ann, 'POST', '/api/v1/spaces', { slug: 'anns-group', name: 'G', purpose: 'P', visibility: 'public', join: 'open', parent: 'admins-own' });
    assert.equal(res.status, 201);
  });

  test('sign-up by invitation: refused without an invite, welcomed with one, into its space', async () => {
    assert.equal((await call(s, admin, 'PATCH', '/api/v1/instance', { signup: 'invite' })).status, 200);
    const body = { handle: 'newcomer', name: 'New Comer', email: 'new@example.org', password: 'glad to be here at last' };
    let res = await call(s, null, 'POST', '/api/v1/signup', body);
    assert.equal(res.status, 403);
    assert.match((await res.json()).error.fields.invite, /by invitation/);
    res = await call(s, null, 'POST', '/api/v1/signup', { ...body, invite: 'x'.repeat(43) });
    assert.equal(res.status, 403);
    const inv = await (await call(s, admin, 'POST', '/api/v1/spaces/admins-own/invites', { max_uses: 1 })).json();
    res = await call(s, null, 'POST', '/api/v1/signup', { ...body, invite: inv.token });
    assert.equal(res.status, 201);
    const newcomer = { auth: `Bearer ${(await res.json()).token}` };
    assert.equal((await (await call(s, newcomer, 'GET', '/api/v1/spaces/admins-own')).json()).space.role, 'member');
    res = await call(s, null, 'POST', '/api/v1/signup', { ...body, handle: 'second', email: 'second@example.org', invite: inv.token });
    assert.equal(res.status, 403, 'the invite is used up');
    // The page says so too, and carries an invite through the form.
    res = await s.fetch('/signup', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ ...body, handle: 'third', email: 't@example.org' }).toString() });
    assert.equal(res.status, 403);
    assert.match(await res.text(), /The invite is needed: sign-up here is by invitation/);
    res = await s.fetch('/signup?invite=abc');
    assert.match(await res.text(), /<input type="hidden" name="invite" value="abc">/);
  });

  test('stops cleanly', async () => {
    assert.deepEqual(await s.stop(), { code: 0, signal: null });
  });
});

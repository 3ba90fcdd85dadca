// `praxis demo`: fills an empty database with a believable community, prints
// how to sign in, refuses a database with people (or, with --if-empty, quietly
// adds nothing), and what it made is there when a server opens the database.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, startServer, freshDatabase, sql, BACKEND } from './harness.mjs';

// Cheap password hashes, as the harness's servers use.
const CHEAP = ['--test-mode', 'on', '--password-cost', 'minimum'];
const SIGNIN = /^Sign in at (\S+)\/signin as (.+) with the password '([^']+)'$/m;

// "amara (owner), kwame (facilitator) … or rosa (admin)" → [[handle, role], …]
const pairs = (list) => [...list.matchAll(/([a-z0-9_-]+) \(([a-z]+)\)/g)].map((m) => [m[1], m[2]]);

describe(`praxis demo on ${BACKEND}`, () => {
  let dir, db, out, s;
  const count = async (q) => Number(await sql({ db }, q));

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'praxis-demo-'));
    db = freshDatabase(dir);
    out = await run(['demo', '--db', db, ...CHEAP]);
  });
  after(async () => {
    if (s && !s.exited) await s.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('fills an empty database and prints how to sign in', () => {
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /^demo: added \d+ people, 2 communities and \d+ groups/m);
    const m = out.stdout.match(SIGNIN);
    assert.ok(m, out.stdout);
    assert.equal(m[1], 'http://127.0.0.1:8080', 'the default listen address');
    assert.ok(m[3].length >= 10, 'the password is long enough to be accepted at sign-up');
    const roles = pairs(m[2]).map(([, r]) => r);
    for (const r of ['owner', 'facilitator', 'member', 'guest', 'admin']) assert.ok(roles.includes(r), r);
  });

  test('a second run refuses with one line; if-empty adds nothing and exits 0', async () => {
    const people = await count('SELECT count(*) FROM users');
    const rows = await count('SELECT count(*) FROM activity');
    let r = await run(['demo', '--db', db, ...CHEAP]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^praxis: demo: the database has people already/);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    r = await run(['demo', '--if-empty', '--db', db, ...CHEAP]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'demo: the database has people already; nothing added\n');
    assert.equal(await count('SELECT count(*) FROM users'), people);
    assert.equal(await count('SELECT count(*) FROM activity'), rows);
  });

  test('--if-empty fills an empty database; the public URL is where to sign in', async () => {
    const d = mkdtempSync(join(tmpdir(), 'praxis-demo-'));
    try {
      const other = freshDatabase(d);
      const r = await run(['demo', '--if-empty', '--db', other, '--public-url', 'https://praxis.example.org/', ...CHEAP]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.match(SIGNIN)?.[1], 'https://praxis.example.org');
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  test('help explains it; a stray argument is a usage error', async () => {
    const h = await run(['help', 'demo']);
    assert.equal(h.code, 0);
    assert.match(h.stdout, /^usage: praxis demo \[--if-empty\]/);
    assert.match(h.stdout, /practice makes progress/);
    const r = await run(['demo', 'now', '--db', db]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /usage: praxis demo/);
  });

  describe('served', () => {
    let community, password, who;
    const as = (token) => (token ? { headers: { authorization: `Bearer ${token}` } } : {});
    const tokens = {};

    before(async () => {
      s = await startServer({ db });
      const m = out.stdout.match(SIGNIN);
      who = pairs(m[2]);
      password = m[3];
      community = out.stdout.match(/the roles below are in "[^"]+" \(([a-z0-9-]+)\)/)[1];
    });

    test('anonymous visitors see both communities and the public groups, not the private one', async () => {
      const { spaces } = await (await s.fetch('/api/v1/spaces')).json();
      const communities = spaces.filter((x) => x.kind === 'community');
      assert.deepEqual(communities.map((x) => x.name).sort(), ['Teaching Maths Together', 'Wound Care Nurses Network']);
      const groups = spaces.filter((x) => x.parent === community);
      assert.ok(groups.length >= 3, 'public groups are listed');
      assert.ok(groups.every((g) => g.visibility === 'public'));
      assert.ok(groups.some((g) => g.join === 'open') && groups.some((g) => g.join === 'request'));
      assert.ok(!spaces.some((x) => x.slug === 'department-heads'), 'the private group is not listed');
      assert.equal((await s.fetch('/api/v1/spaces/department-heads')).status, 404);
      const main = communities.find((x) => x.slug === community);
      assert.equal(main.join, 'request');
      assert.ok(main.members >= 30, `${main.members} members`);
      const full = (await (await s.fetch(`/api/v1/spaces/${community}`)).json()).space;
      assert.match(full.charter_html, /<h2>/);
      assert.match(full.charter_html, /<li>/);
      assert.ok(full.purpose.length > 20);
    });

    test('each printed person signs in with the printed password and has the printed role', async () => {
      for (const [handle, role] of who) {
        const res = await s.fetch('/api/v1/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ login: handle, password }),
        });
        assert.equal(res.status, 200, `${handle}: ${await res.clone().text()}`);
        const j = await res.json();
        tokens[role] = j.token;
        const me = (await (await s.fetch('/api/v1/me', as(j.token))).json()).user;
        assert.equal(me.is_admin, role === 'admin', handle);
        const sp = (await (await s.fetch(`/api/v1/spaces/${community}`, as(j.token))).json()).space;
        assert.equal(sp.role, role === 'admin' ? null : role, handle);
      }
      const bad = await s.fetch('/api/v1/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: who[0][0], password: 'not the password' }),
      });
      assert.equal(bad.status, 401);
    });

    test('the owner sees the private group, pending requests and guests with an end date', async () => {
      const owner = tokens.owner;
      const { spaces } = await (await s.fetch('/api/v1/spaces', as(owner))).json();
      assert.ok(spaces.some((x) => x.slug === 'department-heads' && x.visibility === 'private'));
      const reqs = await (await s.fetch(`/api/v1/spaces/${community}/requests`, as(owner))).json();
      assert.ok(reqs.requests.length >= 1, JSON.stringify(reqs));
      assert.ok(reqs.requests.every((q) => q.message.length > 0));
      const { members } = await (await s.fetch(`/api/v1/spaces/${community}/members`, as(owner))).json();
      assert.ok(members.length >= 30, `${members.length} members`);
      const count = (r) => members.filter((x) => x.role === r).length;
      assert.equal(count('owner'), 2);
      assert.equal(count('facilitator'), 3);
      assert.ok(count('member') >= 20);
      assert.equal(count('guest'), 2);
      const now = Date.now() / 1000;
      for (const g of members.filter((x) => x.role === 'guest')) assert.ok(g.guest_until > now, g.handle);
    });

    test('people have bios, time zones and interests of every kind; "who can help with assessment?" finds some', async () => {
      let full = 0;
      for (const [handle] of who) {
        const { user } = await (await s.fetch(`/api/v1/users/${handle}`)).json();
        assert.doesNotThrow(() => new Intl.DateTimeFormat('en', { timeZone: user.timezone }), user.timezone);
        if (['help', 'learn', 'interest'].every((k) => user.interests[k].length > 0)) full++;
        if (user.bio) assert.ok(user.bio_html.startsWith('<p>'), handle);
      }
      assert.ok(full >= 2, 'some show interests of each kind');
      const zones = (await sql(s, 'SELECT DISTINCT timezone FROM users')).split('\n');
      assert.ok(zones.length >= 5, zones.join(' '));
      for (const z of zones) assert.doesNotThrow(() => new Intl.DateTimeFormat('en', { timeZone: z }), z);
      assert.ok((await count("SELECT count(*) FROM users WHERE bio = ''")) > 0, 'some bios are empty');
      assert.match(await sql(s, "SELECT bio_html FROM users WHERE bio LIKE '%**%' LIMIT 1"), /<strong>/);
      const res = await s.fetch(`/api/v1/spaces/${community}/members?q=assessment&kind=help`, as(tokens.member));
      assert.equal(res.status, 200);
      const helpers = (await res.json()).members;
      assert.ok(helpers.length >= 3, JSON.stringify(helpers.map((x) => x.handle)));
      for (const h of helpers) assert.ok(h.interests.help.some((l) => /assessment/i.test(l)), h.handle);
    });

    test('activity rows tell the story over past weeks', async () => {
      const now = Math.floor(Date.now() / 1000);
      for (const verb of ['signup', 'create', 'join', 'request', 'approve', 'role', 'accept-invite']) {
        assert.ok((await count(`SELECT count(*) FROM activity WHERE verb = '${verb}'`)) > 0, verb);
      }
      assert.ok((await count('SELECT count(*) FROM activity')) >= 100);
      assert.ok((await count('SELECT min(created_at) FROM activity')) < now - 28 * 86400, 'weeks of history');
      assert.ok((await count('SELECT max(created_at) FROM activity')) <= now);
      assert.equal(
        await count('SELECT count(*) FROM memberships AS m JOIN users AS u ON u.id = m.user_id WHERE m.joined_at < u.created_at'),
        0, 'nobody joined before signing up');
      assert.equal(await count('SELECT count(*) FROM users WHERE is_admin = 1'), 1);
    });
  });
});

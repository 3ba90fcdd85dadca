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

    test('discussions: topics in the spaces, pinned announcements first, private ones hidden', async () => {
      const { topics } = await (await s.fetch(`/api/v1/spaces/${community}/topics`)).json();
      assert.ok(topics.length >= 3, `${topics.length} topics`);
      assert.equal(topics[0].kind, 'announcement');
      assert.ok(topics[0].pinned);
      for (const kind of ['question', 'discussion']) assert.ok(topics.some((t) => t.kind === kind), kind);
      assert.ok(topics.every((t) => t.author && t.posts_count >= 1 && t.last_number === t.posts_count));
      assert.equal((await s.fetch('/api/v1/spaces/department-heads/topics')).status, 404);
      const heads = await s.fetch('/api/v1/spaces/department-heads/topics', as(tokens.owner));
      assert.equal(heads.status, 200);
      assert.ok((await heads.json()).topics.length >= 1, 'the private group talks too');
      const nursing = (await (await s.fetch('/api/v1/spaces/wound-care/topics')).json()).topics;
      assert.ok(nursing.length >= 2, 'the nursing community talks too');
      const now = Date.now() / 1000;
      const times = (await count('SELECT max(created_at) - min(created_at) FROM topics'));
      assert.ok(times > 21 * 86400, 'topics spread over weeks');
      assert.ok((await count('SELECT max(created_at) FROM posts')) <= now);
    });

    test('discussions: answered and unanswered questions, tags, reactions of every kind', async () => {
      const spaces = ['teaching-maths', 'assessment-for-learning', 'early-career', 'lesson-study', 'mastery',
        'wound-care', 'pressure-injuries'];
      const all = [];
      for (const slug of spaces) {
        const { topics } = await (await s.fetch(`/api/v1/spaces/${slug}/topics`)).json();
        all.push(...topics);
      }
      const answered = all.filter((t) => t.kind === 'question' && t.accepted_post_id);
      assert.ok(answered.length >= 2, 'questions with an accepted answer');
      const unanswered = (await (await s.fetch(`/api/v1/spaces/${community}/topics?filter=unanswered`)).json()).topics;
      assert.ok(unanswered.length >= 1, 'and one still open');
      assert.ok(unanswered.every((t) => t.kind === 'question' && !t.accepted_post_id));
      const tags = new Set(all.flatMap((t) => t.tags));
      for (const tag of ['assessment', 'feedback', 'algebra', 'wound-care']) assert.ok(tags.has(tag), tag);
      const tagged = (await (await s.fetch('/api/v1/spaces/assessment-for-learning/topics?tag=feedback')).json()).topics;
      assert.ok(tagged.length >= 1 && tagged.every((t) => t.tags.includes('feedback')));

      const kinds = new Set();
      let replies = 0, quotes = 0, mentions = 0, edited = null, deleted = null, accepted = 0;
      for (const t of all) {
        const page = await (await s.fetch(`/api/v1/topics/${t.id}`)).json();
        assert.equal(page.posts.length, t.posts_count);
        for (const p of page.posts) {
          for (const [k, r] of Object.entries(p.reactions)) if (r.count > 0) kinds.add(k);
          if (p.reply_to) replies++;
          if (p.html.includes('<blockquote>')) quotes++;
          if (p.html.includes('href="/people/')) mentions++;
          if (p.revision > 1) edited = p;
          if (p.deleted) deleted = p;
          if (p.accepted) accepted++;
          if (!p.deleted) assert.match(p.html, /^<(p|ol|ul|table|blockquote)>/, `post ${p.id} is rendered`);
        }
      }
      assert.deepEqual([...kinds].sort(), ['helped', 'insightful', 'like', 'thanks']);
      assert.equal(accepted, answered.length);
      assert.ok(replies >= 5 && quotes >= 2 && mentions >= 5, `${replies} replies, ${quotes} quotes, ${mentions} mentions`);
      assert.ok(edited, 'a post was edited');
      const { revisions } = await (await s.fetch(`/api/v1/posts/${edited.id}/revisions`)).json();
      assert.equal(revisions.length, 2);
      assert.ok(revisions[1].body.startsWith(revisions[0].body), 'the edit added to the first version');
      assert.ok(deleted, 'a post was taken down');
      assert.equal(deleted.body, '');
      assert.ok(deleted.deleted.by && deleted.deleted.reason.length > 10, JSON.stringify(deleted.deleted));
    });

    test('discussions: the member has unread notices and topics with news; notices match what happened', async () => {
      const member = tokens.member;
      const n = await (await s.fetch('/api/v1/notifications', as(member))).json();
      assert.ok(n.unread >= 1, JSON.stringify(n));
      assert.ok(n.notifications.some((x) => !x.read && ['mention', 'reply'].includes(x.kind)));
      assert.ok(n.notifications.some((x) => x.read), 'and older ones already read');
      const { topics } = await (await s.fetch(`/api/v1/spaces/${community}/topics`, as(member))).json();
      assert.ok(topics.some((t) => t.unread > 0 && t.last_read > 0), 'a topic read in part');
      assert.ok(topics.some((t) => t.last_read === 0), 'a topic never opened');
      assert.ok(topics.some((t) => t.unread === 0), 'a topic read to the end');
      // Nobody is told of their own post, nor of a space they may not read.
      assert.equal(await count('SELECT count(*) FROM notifications AS n JOIN posts AS p ON p.id = n.post_id '
        + "WHERE n.kind <> 'accepted' AND n.kind <> 'reaction' AND p.author_id = n.user_id"), 0);
      assert.equal(await count('SELECT count(*) FROM notifications AS n JOIN spaces AS s ON s.id = n.space_id '
        + "WHERE s.visibility = 'private' AND NOT EXISTS (SELECT 1 FROM memberships AS m "
        + 'WHERE m.space_id = n.space_id AND m.user_id = n.user_id)'), 0);
      assert.equal(await count('SELECT count(*) FROM notifications WHERE read_at IS NOT NULL AND read_at < created_at'), 0);
    });

    test('activity rows tell the story over past weeks', async () => {
      const now = Math.floor(Date.now() / 1000);
      for (const verb of ['signup', 'create', 'join', 'request', 'approve', 'role', 'accept-invite',
        'topic.create', 'post.create', 'reaction.add', 'topic.accept', 'post.edit', 'post.delete']) {
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

// `praxis demo --scale N`: a large made-up instance for benchmarks, here small.
describe(`praxis demo --scale on ${BACKEND}`, () => {
  const N = 20;
  let dir, db, out, s;
  const count = async (q) => Number(await sql({ db }, q));

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'praxis-scale-'));
    db = freshDatabase(dir);
    out = await run(['demo', '--scale', String(N), '--db', db, ...CHEAP]);
  });
  after(async () => {
    if (s && !s.exited) await s.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('makes N people, about 10N topics and 100N posts, with progress and a summary', async () => {
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, new RegExp(`^demo: scale ${N}: added ${N} people in 9 spaces \\(\\d+ memberships\\), ${10 * N} topics, \\d+ posts`, 'm'));
    assert.match(out.stdout, /^Sign in at \S+\/signin as [a-z]+1 \(a member of every space\) with the password '[^']+'$/m);
    assert.match(out.stderr, new RegExp(`^demo: \\d+ of ${10 * N} topics, \\d+ posts, [\\d.]+ s$`, 'm'));
    assert.equal(await count('SELECT count(*) FROM users'), N);
    assert.equal(await count('SELECT count(*) FROM topics'), 10 * N);
    const posts = await count('SELECT count(*) FROM posts');
    assert.ok(posts > 60 * N && posts < 150 * N, `${posts} posts`);
    assert.ok((await count('SELECT count(*) FROM reactions')) > 10 * N);
    assert.ok((await count('SELECT count(*) FROM topic_tags')) > 2 * N);
    assert.ok((await count("SELECT count(*) FROM topics WHERE kind = 'question' AND accepted_post_id IS NOT NULL")) > 0);
    assert.ok((await count('SELECT count(*) FROM posts WHERE reply_to IS NOT NULL')) > 0);
    assert.equal(await count("SELECT count(*) FROM spaces WHERE visibility = 'private'"), 4);
    // No activity rows or notifications: the benchmark needs none, and they would slow it.
    assert.equal(await count('SELECT count(*) FROM activity'), 0);
    assert.equal(await count('SELECT count(*) FROM notifications'), 0);
  });

  test("topics' counters agree with their posts; posts follow their topic in time", async () => {
    assert.equal(await count('SELECT count(*) FROM topics AS t WHERE t.posts_count <> (SELECT count(*) FROM posts '
      + 'WHERE topic_id = t.id) OR t.last_number <> (SELECT max(number) FROM posts WHERE topic_id = t.id) '
      + 'OR t.last_post_at <> (SELECT max(created_at) FROM posts WHERE topic_id = t.id) '
      + 'OR t.created_at <> (SELECT created_at FROM posts WHERE topic_id = t.id AND number = 1)'), 0);
    assert.equal(await count('SELECT count(*) FROM posts AS p JOIN posts AS q ON q.topic_id = p.topic_id '
      + 'AND q.number = p.number + 1 WHERE q.created_at < p.created_at'), 0);
    assert.equal(await count('SELECT count(*) FROM posts AS p JOIN topics AS t ON t.id = p.topic_id '
      + 'WHERE p.space_id <> t.space_id'), 0);
    assert.equal(await count('SELECT count(*) FROM posts AS p WHERE NOT EXISTS (SELECT 1 FROM memberships AS m '
      + 'WHERE m.space_id = p.space_id AND m.user_id = p.author_id)'), 0, 'authors are members');
    const now = Date.now() / 1000;
    assert.ok((await count('SELECT max(created_at) FROM posts')) <= now);
    assert.ok((await count('SELECT max(created_at) - min(created_at) FROM topics')) > 200 * 86400, 'months of history');
  });

  test('the same N makes the same text', async () => {
    const d = mkdtempSync(join(tmpdir(), 'praxis-scale-'));
    try {
      const other = freshDatabase(d);
      const r = await run(['demo', '--scale', String(N), '--db', other, ...CHEAP]);
      assert.equal(r.code, 0, r.stderr);
      const q = 'SELECT title FROM topics ORDER BY id LIMIT 20';
      assert.equal(await sql({ db: other }, q), await sql({ db }, q));
      const b = 'SELECT body FROM posts ORDER BY id LIMIT 30';
      assert.equal(await sql({ db: other }, b), await sql({ db }, b));
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  test('refuses a database with people; bad N is a usage error', async () => {
    let r = await run(['demo', '--scale', String(N), '--db', db, ...CHEAP]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^praxis: demo: the database has people already/);
    r = await run(['demo', '--scale', String(N), '--if-empty', '--db', db, ...CHEAP]);
    assert.equal(r.code, 0, r.stderr);
    for (const bad of [['--scale'], ['--scale', '0'], ['--scale', 'many'], ['--scale', '100001'], ['--scale', '2', '--scale', '3']]) {
      r = await run(['demo', ...bad, '--db', db]);
      assert.equal(r.code, 2, bad.join(' '));
      assert.match(r.stderr, /usage: praxis demo/);
    }
  });

  test('served: the printed member signs in and reads a topic; posts are rendered as stored', async () => {
    s = await startServer({ db });
    const [, handle, password] = out.stdout.match(/as (\S+) \(a member of every space\) with the password '([^']+)'/);
    const res = await s.fetch('/api/v1/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: handle, password }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    const auth = { headers: { authorization: `Bearer ${(await res.json()).token}` } };
    const { topics } = await (await s.fetch('/api/v1/spaces/maths-heads/topics', auth)).json();
    assert.ok(topics.length > 0, 'a private group the member is in');
    const big = await count('SELECT id FROM topics ORDER BY posts_count DESC LIMIT 1');
    const page = await (await s.fetch(`/api/v1/topics/${big}`, auth)).json();
    assert.ok(page.posts.length >= 10, `${page.posts.length} posts`);
    for (const p of page.posts) {
      assert.match(p.html, /^<(p|ul)>/);
      assert.ok(!p.html.includes('&amp;') && !p.body.includes('<'), 'plain words: nothing to escape');
    }
    assert.ok(page.posts.some((p) => p.body.split(/\s+/).length > 20), 'posts of some length');
  });
});

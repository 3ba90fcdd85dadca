// The live stream on both backends: delivery of posts and notification
// counts to the people who may see them (never an outsider), replay after a
// reconnect (from memory, then from the database after a restart), the
// keep-alive, a slow reader cut off without holding anyone up, presence and
// appearing offline, and bad inputs. Streams are read over raw sockets
// (tests/http/sse.mjs); waiting is for an event with a deadline, never a sleep.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, signup, sessionCookie, sql, freshDatabase, BACKEND } from './harness.mjs';
import { openStream } from './sse.mjs';

const json = { 'content-type': 'application/json' };
const call = (s, who, method, path, body) =>
  s.fetch(path, {
    method,
    headers: { ...json, ...(who ? { authorization: who.auth } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function ok(res, status = 200) {
  const text = await res.text();
  assert.equal(res.status, status, text);
  return text ? JSON.parse(text) : null;
}

async function fieldError(res, status, field) {
  const text = await res.text();
  assert.equal(res.status, status, text);
  const body = JSON.parse(text);
  assert.ok(body.error.fields && body.error.fields[field], `names ${field}: ${text}`);
}

// Poll a condition the server reaches on its own clock (presence is written
// once a second); resolves to its value or fails after ms.
async function eventually(fn, ms = 6000) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > end) assert.fail(`not reached in ${ms} ms: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe(`live stream on ${BACKEND}`, () => {
  let s, owner, ana, ben, out, room, inner;
  // The database outlives a server (one test restarts it).
  const keep = mkdtempSync(join(tmpdir(), 'praxis-live-'));
  const db = BACKEND === 'sqlite' ? `sqlite:${join(keep, 'praxis.db')}` : freshDatabase(keep);
  const args = ['--live-ping', '1', '--live-queue', '16'];
  const streams = [];
  const stream = (who, opts = {}) => {
    const st = openStream(s.url + '/api/v1/stream', { auth: who.auth, ...opts });
    streams.push(st);
    return st;
  };

  before(async () => {
    s = await startServer({ db, args });
    [owner, ana, ben, out] = await Promise.all([signup(s), signup(s), signup(s), signup(s)]);
    for (const [slug, vis] of [['staff-room', 'public'], ['inner', 'private']]) {
      await ok(await call(s, owner, 'POST', '/api/v1/spaces', { slug, name: slug, purpose: 'p', visibility: vis, join: 'open' }), 201);
      for (const who of [ana, ben]) {
        const inv = await ok(await call(s, owner, 'POST', `/api/v1/spaces/${slug}/invites`, {}), 201);
        await ok(await call(s, who, 'POST', `/api/v1/invites/${inv.token}/accept`));
      }
    }
    room = (await ok(await call(s, ana, 'POST', '/api/v1/spaces/staff-room/topics', { title: 'Live marking', body: 'How do you mark live?' }), 201)).topic;
    inner = (await ok(await call(s, ana, 'POST', '/api/v1/spaces/inner/topics', { title: 'Private matters', body: 'Only for us.' }), 201)).topic;
  });
  after(async () => {
    for (const st of streams) st.close();
    if (!s.exited) await s.stop();
    rmSync(keep, { recursive: true, force: true });
  });

  test('a stream needs someone signed in, and names each bad input', async () => {
    assert.equal((await s.fetch('/api/v1/stream')).status, 401);
    await fieldError(await call(s, out, 'GET', '/api/v1/stream?spaces=inner'), 404, 'spaces');
    await fieldError(await call(s, out, 'GET', `/api/v1/stream?topics=${inner.id}`), 404, 'topics');
    await fieldError(await call(s, out, 'GET', '/api/v1/stream?spaces=no-such-space'), 404, 'spaces');
    await fieldError(await call(s, ana, 'GET', '/api/v1/stream?topics=12x'), 400, 'topics');
    await fieldError(await call(s, ana, 'GET', '/api/v1/stream?channels=-1'), 400, 'channels');
    await fieldError(await call(s, ana, 'GET', '/api/v1/stream?here=kitchen'), 400, 'here');
    await fieldError(await call(s, out, 'GET', `/api/v1/stream?here=topic:${inner.id}`), 404, 'here');
    const many = Array.from({ length: 17 }, (_, i) => `s${i}`).join(',');
    await fieldError(await call(s, ana, 'GET', `/api/v1/stream?spaces=${many}`), 400, 'spaces');
    await fieldError(await s.fetch('/api/v1/stream', { headers: { authorization: ana.auth, 'last-event-id': 'yesterday' } }), 400, 'Last-Event-ID');
  });

  test('a new post reaches the topic and space streams of those who may read it, and only them', async () => {
    const onTopic = stream(ben, { query: `topics=${room.id}` });
    const onSpace = stream(out, { query: 'spaces=staff-room' });
    await Promise.all([onTopic.opened(), onSpace.opened()]);
    assert.match(onTopic.headers, /content-type: text\/event-stream/i);
    assert.match(onTopic.headers, /cache-control: no-store/i);
    // A post in the private space first: the outsider's stream must never carry it.
    await ok(await call(s, ana, 'POST', `/api/v1/topics/${inner.id}/posts`, { body: 'The secret word is **marmalade**.' }), 201);
    const p = await ok(await call(s, ana, 'POST', `/api/v1/topics/${room.id}/posts`, { body: 'Try a *rubric* first.' }), 201);
    for (const st of [onTopic, onSpace]) {
      const ev = await st.event((e) => e.event === 'post' && e.json.post === p.post.id, 5000, 'the post');
      assert.equal(ev.json.type, 'post');
      assert.equal(ev.json.topic, room.id);
      assert.equal(ev.json.author.handle, ana.user.handle);
      assert.match(ev.json.html, /<em>rubric<\/em>/);
      assert.ok(ev.id > 0);
    }
    assert.ok(!onSpace.events.some((e) => e.data.includes('marmalade')), 'no private words');
    assert.ok(!onSpace.events.some((e) => e.json && e.json.topic === inner.id), 'no private topic');
    onTopic.close();
    onSpace.close();
  });

  test('a mention moves the notification count on the mentioned person\'s stream only', async () => {
    const bens = stream(ben);
    const outs = stream(out);
    await Promise.all([bens.opened(), outs.opened()]);
    await ok(await call(s, ana, 'POST', `/api/v1/topics/${room.id}/posts`, { body: `@${ben.user.handle} what do you think?` }), 201);
    const ev = await bens.event((e) => e.event === 'notification', 5000, 'a notification');
    assert.ok(ev.json.unread >= 1, ev.data);
    // Reading them all sends the new count (0) to every page of theirs.
    await ok(await call(s, ben, 'POST', '/api/v1/notifications/read', { all: true }));
    await bens.event((e) => e.event === 'notification' && e.json.unread === 0, 5000, 'the count back to 0');
    assert.ok(!outs.events.some((e) => e.event === 'notification'));
    bens.close();
    outs.close();
  });

  test('the count a stream carries stops at 100; the page shows 99+ and the number', async () => {
    const bens = stream(ben);
    await bens.opened();
    // Many unread already, as after a long holiday (written straight to the table).
    const uid = await sql(s, `SELECT id FROM users WHERE handle = '${ben.user.handle}'`);
    const sid = await sql(s, `SELECT space_id FROM topics WHERE id = ${room.id}`);
    await sql(s, `INSERT INTO notifications (user_id, kind, space_id, topic_id, created_at) SELECT ${uid}, 'watched', ${sid}, ${room.id}, 1 FROM (SELECT 1 FROM users LIMIT 1) AS one CROSS JOIN (${Array.from({ length: 120 }, (_, i) => `SELECT ${i} AS k`).join(' UNION ALL ')}) AS many`);
    await ok(await call(s, ana, 'POST', `/api/v1/topics/${room.id}/posts`, { body: `@${ben.user.handle} and one more` }), 201);
    const ev = await bens.event((e) => e.event === 'notification', 5000, 'a notification');
    assert.equal(ev.json.unread, 100);
    const page = await (await s.fetch('/notifications', { headers: { authorization: ben.auth } })).text();
    assert.match(page, /data-unread="121"><span class="count-n">99\+<\/span>/);
    await ok(await call(s, ben, 'POST', '/api/v1/notifications/read', { all: true }));
    await bens.event((e) => e.event === 'notification' && e.json.unread === 0, 5000, 'the count back to 0');
    bens.close();
  });

  test('Last-Event-ID replays what was missed; a keep-alive comes while idle', async () => {
    const first = stream(ben, { query: `topics=${room.id}` });
    await first.opened();
    const a = await ok(await call(s, ana, 'POST', `/api/v1/topics/${room.id}/posts`, { body: 'first' }), 201);
    const seen = await first.event((e) => e.json && e.json.post === a.post.id);
    first.close();
    const b = await ok(await call(s, ana, 'POST', `/api/v1/topics/${room.id}/posts`, { body: 'second' }), 201);
    const c = await ok(await call(s, ana, 'POST', `/api/v1/topics/${room.id}/posts`, { body: 'third' }), 201);
    const again = stream(ben, { query: `topics=${room.id}`, lastEventId: seen.id });
    await again.event((e) => e.json && e.json.post === c.post.id);
    const posts = again.events.filter((e) => e.event === 'post').map((e) => e.json.post);
    assert.deepEqual(posts, [b.post.id, c.post.id]);
    // The server pings every second here (--live-ping 1): a comment line arrives.
    const before = again.comments;
    await again.until((x) => x.comments > before, 4000, 'a keep-alive');
    again.close();
  });

  test('a slow reader is cut off when its queue overflows, and others are not held up', async () => {
    const slow = stream(ben);
    const quick = stream(ana, { query: `topics=${room.id}` });
    await Promise.all([slow.opened(), quick.opened()]);
    slow.sock.pause();
    // 16 MB of events for ben's own streams, far past the socket buffers and a queue of 16.
    await ok(await call(s, ben, 'POST', '/api/v1/_test/live', { count: 4000, size: 4096 }), 204);
    const p = await ok(await call(s, owner, 'POST', `/api/v1/topics/${room.id}/posts`, { body: 'still quick' }), 201);
    await quick.event((e) => e.json && e.json.post === p.post.id, 10000, 'the post on the quick stream');
    const metrics = await (await s.fetch('/metrics')).text();
    assert.match(metrics, /praxis_live_dropped_total [1-9]/);
    slow.sock.resume();
    await slow.until((x) => x.ended, 20000, 'the slow stream to end');
    const got = slow.events.filter((e) => e.event === 'test').length;
    assert.ok(got < 4000, `the slow reader got ${got} of 4000`);
    assert.equal(slow.events.at(-1).event, 'reset', 'told why it ends');
    quick.close();
  });

  test('presence: online in the space and here on a page; appearing offline hides it everywhere', async () => {
    const watcher = stream(ana, { query: 'spaces=staff-room' });
    await watcher.opened();
    const bens = stream(ben, { query: `spaces=staff-room&topics=${room.id}&here=topic:${room.id}` });
    await bens.opened();
    const p = await eventually(async () => {
      const j = await ok(await call(s, ana, 'GET', '/api/v1/spaces/staff-room/presence'));
      return j.online.some((x) => x.handle === ben.user.handle) && j.here.some((x) => x.handle === ben.user.handle) && j;
    });
    assert.deepEqual(p.here.find((x) => x.handle === ben.user.handle), { handle: ben.user.handle, name: ben.user.name, page: `topic:${room.id}` });
    const here = await watcher.event((e) => e.event === 'presence' && e.json.user.handle === ben.user.handle && e.json.state === 'here');
    assert.equal(here.json.page, `topic:${room.id}`);
    // Last active is kept, and shown as a day, never a time.
    assert.ok(Number(await sql(s, `SELECT last_active_at FROM users WHERE handle = '${ben.user.handle}'`)) > 0);
    const today = new Date().toISOString().slice(0, 10);
    assert.equal((await ok(await call(s, ana, 'GET', `/api/v1/users/${ben.user.handle}`))).user.last_active, today);
    assert.match(await (await s.fetch(`/people/${ben.user.handle}`)).text(), /<dt>Last active<\/dt>\s*<dd>today<\/dd>/);
    // Outsiders of a private space see nothing of who is there.
    assert.equal((await call(s, out, 'GET', '/api/v1/spaces/inner/presence')).status, 404);
    await fieldError(await call(s, ben, 'PATCH', '/api/v1/me', { appear_offline: 'maybe' }), 400, 'appear_offline');
    await fieldError(await call(s, ben, 'PATCH', '/api/v1/me', {}), 400, 'appear_offline');
    assert.deepEqual(await ok(await call(s, ben, 'PATCH', '/api/v1/me', { appear_offline: true })), { appear_offline: true });
    await watcher.event((e) => e.event === 'presence' && e.json.user.handle === ben.user.handle && e.json.state === 'gone', 5000, 'ben gone');
    assert.equal((await ok(await call(s, ana, 'GET', `/api/v1/users/${ben.user.handle}`))).user.last_active, null, 'no last active either');
    assert.doesNotMatch(await (await s.fetch(`/people/${ben.user.handle}`)).text(), /Last active/);
    const hidden = await ok(await call(s, ana, 'GET', '/api/v1/spaces/staff-room/presence'));
    assert.ok(!hidden.online.some((x) => x.handle === ben.user.handle));
    assert.ok(!hidden.here.some((x) => x.handle === ben.user.handle));
    // A new page of theirs, hidden, says nothing either.
    const count = watcher.events.length;
    const again = stream(ben, { query: `spaces=staff-room&here=space:staff-room` });
    await again.opened();
    await ok(await call(s, ana, 'POST', `/api/v1/topics/${room.id}/posts`, { body: 'a marker' }), 201);
    await watcher.event((e) => e.event === 'post' && e.json.html.includes('a marker'));
    assert.ok(!watcher.events.slice(count).some((e) => e.event === 'presence' && e.json.user.handle === ben.user.handle));
    await ok(await call(s, ben, 'PATCH', '/api/v1/me', { appear_offline: false }));
    await watcher.event((e) => e.event === 'presence' && e.json.user.handle === ben.user.handle && e.json.state === 'here' && watcher.events.indexOf(e) >= count, 5000, 'ben back');
    for (const st of [watcher, bens, again]) st.close();
  });

  test('the presence settings page: a form that works without JavaScript', async () => {
    const login = await s.fetch('/signin', {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ login: ben.user.handle, password: ben.password }).toString(),
    });
    assert.equal(login.status, 303);
    const cookie = sessionCookie(login);
    const page = await (await s.fetch('/settings/presence', { headers: { cookie } })).text();
    assert.match(page, /<input id="appear-offline" name="appear_offline" type="checkbox" value="on" aria-/, 'not ticked');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)[1];
    const post = (form) => s.fetch('/settings/presence', {
      method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString(),
    });
    let res = await post({ _csrf: csrf, appear_offline: 'on' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/settings/presence?saved=1');
    assert.equal((await ok(await call(s, ana, 'GET', `/api/v1/users/${ben.user.handle}`))).user.last_active, null);
    assert.match(await (await s.fetch('/settings/presence?saved=1', { headers: { cookie } })).text(), /you appear offline[\s\S]*checked/);
    res = await post({ _csrf: csrf });
    assert.equal(res.status, 303, 'an unticked box: seen again');
    assert.notEqual((await ok(await call(s, ana, 'GET', `/api/v1/users/${ben.user.handle}`))).user.last_active, null);
    assert.equal((await post({ appear_offline: 'on' })).status, 403, 'no CSRF token, no change');
  });

  test('after a restart, a reconnect is replayed from the database', async () => {
    const st = stream(ben, { query: `topics=${room.id}` });
    await st.opened();
    const a = await ok(await call(s, ana, 'POST', `/api/v1/topics/${room.id}/posts`, { body: 'before the restart' }), 201);
    const seen = await st.event((e) => e.json && e.json.post === a.post.id);
    const b = await ok(await call(s, ana, 'POST', `/api/v1/topics/${room.id}/posts`, { body: 'missed one' }), 201);
    await ok(await call(s, ana, 'POST', `/api/v1/topics/${inner.id}/posts`, { body: 'private, not for this stream' }), 201);
    st.close();
    await s.stop();
    s = await startServer({ db, args });
    const again = stream(ben, { query: `topics=${room.id}`, lastEventId: seen.id });
    await again.event((e) => e.json && e.json.post === b.post.id, 5000, 'the missed post');
    assert.deepEqual(again.events.filter((e) => e.event === 'post').map((e) => e.json.post), [b.post.id]);
    again.close();
    // Far behind (the thousands of test events above are in between): told to reload, and the stream ends.
    const far = stream(ben, { query: `topics=${room.id}`, lastEventId: 1 });
    await far.until((x) => x.ended, 5000, 'the far-behind stream to end');
    assert.equal(far.events.at(-1).event, 'reload');
    assert.ok(!far.events.some((e) => e.event === 'post'), 'nothing replayed halfway');
  });

  if (BACKEND === 'sqlite') {
    test('a second node on the same SQLite file is refused at start, saying why', async () => {
      await assert.rejects(startServer({ db: s.db }), /SQLite serves one node/);
    });
  }
});

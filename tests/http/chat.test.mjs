// Chat over HTTP: every space's general channel, public and private
// channels, privacy (404 to whoever may not see a channel, in pages, API
// and lists), messages with edits, tombstones and paged history, unread
// counts, direct conversations, read-only channels, a message made a
// topic, the pages as a browser without JavaScript uses them, and bad
// input named by its field.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signup, sessionCookie, sql, BACKEND } from './harness.mjs';

const call = (s, who, method, path, body) =>
  s.fetch(path, {
    method,
    headers: { ...(who ? { authorization: who.auth } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });

async function ok(res, status = 200) {
  const text = await res.text();
  assert.equal(res.status, status, text);
  return text ? JSON.parse(text) : null;
}

// The field an error names, and its message.
async function fieldError(res, status, field) {
  const j = await res.json();
  assert.equal(res.status, status, JSON.stringify(j));
  assert.ok(j.error.fields?.[field], `${field} named in ${JSON.stringify(j)}`);
  return j.error.fields[field];
}

async function status(res, expected) {
  const text = await res.text();
  assert.equal(res.status, expected, text.slice(0, 2000));
  return text;
}

const formBody = (fields) => new URLSearchParams(fields).toString();

// A person with an API token and a browser session with its CSRF token.
async function person(s) {
  const u = await signup(s);
  const res = await s.fetch('/signin', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: formBody({ login: u.user.handle, password: u.password }),
  });
  assert.equal(res.status, 303);
  const cookie = sessionCookie(res);
  const me = await (await s.fetch('/api/v1/me', { headers: { cookie } })).json();
  return { ...u, handle: u.user.handle, name: u.user.name, cookie, csrf: me.csrf_token };
}

const get = (s, who, path) => s.fetch(path, { headers: who ? { cookie: who.cookie } : {} });

function post(s, who, path, fields = {}) {
  return s.fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(who ? { cookie: who.cookie } : {}) },
    body: formBody({ ...(who ? { _csrf: who.csrf } : {}), ...fields }),
  });
}

async function page(res, expected = 200) {
  const text = await res.text();
  assert.equal(res.status, expected, text.slice(0, 3000));
  assert.match(res.headers.get('content-type'), /text\/html/);
  return text;
}

describe(`chat on ${BACKEND}`, () => {
  let s, owner, fac, ana, ben, out, general;
  const channels = async (who, slug) => ok(await call(s, who, 'GET', `/api/v1/spaces/${slug}/channels`));
  const say = (who, id, body) => call(s, who, 'POST', `/api/v1/channels/${id}/messages`, { body });
  const open = (who, slug, body) => call(s, who, 'POST', `/api/v1/spaces/${slug}/channels`, body);

  before(async () => {
    s = await startServer();
    [owner, fac, ana, ben, out] = await Promise.all([person(s), person(s), person(s), person(s), person(s)]);
    for (const [slug, vis] of [['staff-room', 'public'], ['inner', 'private']]) {
      await ok(await call(s, owner, 'POST', '/api/v1/spaces', { slug, name: `The ${slug}`, purpose: 'p', visibility: vis, join: 'open' }), 201);
      for (const who of [fac, ana, ben]) {
        const inv = await ok(await call(s, owner, 'POST', `/api/v1/spaces/${slug}/invites`, {}), 201);
        await ok(await call(s, who, 'POST', `/api/v1/invites/${inv.token}/accept`));
      }
      await ok(await call(s, owner, 'PATCH', `/api/v1/spaces/${slug}/members/${fac.handle}`, { role: 'facilitator' }), 204);
    }
  });
  after(async () => {
    if (!s.exited) await s.stop();
  });

  test('every space has its general channel, made once', async () => {
    const list = await channels(ana, 'staff-room');
    assert.equal(list.space, 'staff-room');
    assert.equal(list.channels.length, 1);
    general = list.channels[0];
    assert.equal(general.kind, 'general');
    assert.equal(general.name, 'general');
    assert.equal(general.private, false);
    assert.equal(general.can_post, true);
    // Asked again, and at once from many callers: still one.
    await Promise.all([1, 2, 3, 4].map(() => channels(ben, 'staff-room')));
    assert.equal(await sql(s, `SELECT count(*) FROM chat_channels WHERE kind = 'general' AND space_id = (SELECT id FROM spaces WHERE slug = 'staff-room')`), '1');
    // Anonymous readers of a public space see it, and cannot post.
    const anon = await channels(null, 'staff-room');
    assert.equal(anon.channels[0].id, general.id);
    assert.equal(anon.channels[0].can_post, false);
    assert.equal((await say(null, general.id, 'hi')).status, 401);
    // Another name folding to "general" is the general channel's.
    await fieldError(await open(ana, 'staff-room', { name: 'General' }), 409, 'name');
  });

  test('public and private channels; names unique per space', async () => {
    const pub = await ok(await open(ana, 'staff-room', { name: '#Year 7 planning' }), 201);
    assert.equal(pub.channel.name, 'Year 7 planning');
    assert.equal(pub.channel.kind, 'public');
    assert.equal(pub.channel.private, false);
    assert.equal(pub.channel.created_by.handle, ana.handle);
    assert.equal(await sql(s, `SELECT count(*) FROM activity WHERE verb = 'channel.create' AND object_id = ${pub.channel.id}`), '1');
    await fieldError(await open(ben, 'staff-room', { name: 'year-7 PLANNING' }), 409, 'name');
    // The same name in another space is fine.
    await ok(await open(ana, 'inner', { name: 'Year 7 planning' }), 201);
    const priv = await ok(await open(ana, 'staff-room', { name: 'Mentors', private: true, members: [`@${ben.handle}`] }), 201);
    assert.equal(priv.channel.kind, 'private');
    assert.equal(priv.channel.private, true);
    assert.deepEqual(priv.channel.members.map((m) => m.handle).sort(), [ana.handle, ben.handle].sort());
    const list = await channels(ana, 'staff-room');
    assert.deepEqual(list.channels.map((c) => c.name), ['general', 'Mentors', 'Year 7 planning']);
  });

  test('a private channel is 404 to everyone not in it, facilitators and outsiders alike', async () => {
    const priv = await ok(await open(ben, 'staff-room', { name: 'Secret garden', private: true }), 201);
    const id = priv.channel.id;
    await ok(await say(ben, id, 'only for me'), 201);
    for (const who of [fac, ana, owner, out, null]) {
      assert.equal((await call(s, who, 'GET', `/api/v1/channels/${id}`)).status, 404);
      assert.equal((await call(s, who, 'GET', `/api/v1/channels/${id}/messages`)).status, 404);
      if (who) {
        assert.equal((await say(who, id, 'let me in')).status, 404);
        assert.equal((await call(s, who, 'POST', `/api/v1/channels/${id}/read`, {})).status, 404);
        assert.equal((await call(s, who, 'PATCH', `/api/v1/channels/${id}`, { read_only: true })).status, 404);
        assert.equal((await call(s, who, 'POST', `/api/v1/channels/${id}/members`, { handles: [who.handle] })).status, 404);
      }
      const list = await channels(who, 'staff-room');
      assert.ok(!list.channels.some((c) => c.id === id), 'not listed');
      assert.equal((await get(s, who, `/channels/${id}`)).status, 404);
    }
    // Its messages are 404 too, by id.
    const m = await ok(await call(s, ben, 'GET', `/api/v1/channels/${id}/messages`));
    const mid = m.messages[0].id;
    for (const who of [fac, out]) {
      assert.equal((await call(s, who, 'PATCH', `/api/v1/messages/${mid}`, { body: 'x' })).status, 404);
      assert.equal((await call(s, who, 'DELETE', `/api/v1/messages/${mid}`)).status, 404);
      assert.equal((await call(s, who, 'POST', `/api/v1/messages/${mid}/topic`, { title: 'Leak' })).status, 404);
    }
    // Its maker adds someone, who then sees it; people who may not read the space cannot be added.
    await fieldError(await call(s, ben, 'POST', `/api/v1/channels/${id}/members`, { handles: ['nobody-here'] }), 400, 'handles');
    const added = await ok(await call(s, ben, 'POST', `/api/v1/channels/${id}/members`, { handles: [ana.handle] }));
    assert.ok(added.channel.members.some((p) => p.handle === ana.handle));
    await ok(await call(s, ana, 'GET', `/api/v1/channels/${id}`));
    // A member who did not open it may not add people; a public channel has no members to add.
    assert.equal((await call(s, ana, 'POST', `/api/v1/channels/${id}/members`, { handles: [fac.handle] })).status, 403);
    const pub = (await channels(ana, 'staff-room')).channels.find((c) => c.kind === 'public');
    await fieldError(await call(s, ana, 'POST', `/api/v1/channels/${pub.id}/members`, { handles: [ben.handle] }), 400, 'handles');
  });

  test('a private space\'s channels are 404 to outsiders, in lists and by id', async () => {
    const list = await channels(ana, 'inner');
    const g = list.channels.find((c) => c.kind === 'general');
    await ok(await say(ana, g.id, 'inside words'), 201);
    assert.equal((await call(s, out, 'GET', '/api/v1/spaces/inner/channels')).status, 404);
    assert.equal((await call(s, null, 'GET', '/api/v1/spaces/inner/channels')).status, 404);
    assert.equal((await call(s, out, 'GET', `/api/v1/channels/${g.id}`)).status, 404);
    assert.equal((await call(s, out, 'GET', `/api/v1/channels/${g.id}/messages`)).status, 404);
    assert.equal((await say(out, g.id, 'hello?')).status, 404);
    assert.equal((await get(s, out, '/spaces/inner/chat')).status, 404);
    assert.equal((await get(s, null, `/channels/${g.id}`)).status, 404);
    // The instance admin reaches the space as the policy says; a private channel stays its members'.
  });

  test('messages: post, edit by the author only, delete leaving a tombstone', async () => {
    const res = await say(ana, general.id, 'Has anyone tried **mini whiteboards** in Year 9?\n\n<script>alert(1)</script>');
    const m = (await ok(res, 201)).message;
    assert.equal(m.channel, general.id);
    assert.equal(m.space, 'staff-room');
    assert.equal(m.author.handle, ana.handle);
    assert.match(m.html, /<strong>mini whiteboards<\/strong>/);
    assert.doesNotMatch(m.html, /<script/);
    assert.equal(m.edited_at, null);
    assert.equal(m.deleted, null);
    assert.equal(m.mine, true);
    assert.equal(typeof m.created_at, 'number');
    assert.equal(await sql(s, `SELECT count(*) FROM activity WHERE verb = 'message.create' AND object_id = ${m.id}`), '1');
    // Someone else may neither edit nor delete it; the author edits.
    assert.equal((await call(s, ben, 'PATCH', `/api/v1/messages/${m.id}`, { body: 'mine now' })).status, 403);
    assert.equal((await call(s, ben, 'DELETE', `/api/v1/messages/${m.id}`)).status, 403);
    assert.equal((await call(s, null, 'PATCH', `/api/v1/messages/${m.id}`, { body: 'anon' })).status, 401);
    const e = (await ok(await call(s, ana, 'PATCH', `/api/v1/messages/${m.id}`, { body: 'Has anyone tried mini whiteboards in Year 10?' }))).message;
    assert.match(e.body, /Year 10/);
    assert.equal(typeof e.edited_at, 'number');
    await fieldError(await call(s, ana, 'PATCH', `/api/v1/messages/${m.id}`, { body: '  ' }), 400, 'body');
    // Deleted: the words go, who and when stay.
    const d = (await ok(await call(s, ana, 'DELETE', `/api/v1/messages/${m.id}`))).message;
    assert.equal(d.body, '');
    assert.equal(d.html, '');
    assert.equal(d.author.handle, ana.handle);
    assert.equal(d.deleted.by, ana.handle);
    assert.equal(typeof d.deleted.at, 'number');
    assert.equal((await call(s, ana, 'DELETE', `/api/v1/messages/${m.id}`)).status, 409);
    assert.equal((await call(s, ana, 'PATCH', `/api/v1/messages/${m.id}`, { body: 'back' })).status, 409);
    const page1 = await ok(await call(s, ben, 'GET', `/api/v1/channels/${general.id}/messages`));
    const t = page1.messages.find((x) => x.id === m.id);
    assert.ok(t.deleted);
    assert.equal(await sql(s, `SELECT count(*) FROM activity WHERE verb IN ('message.edit', 'message.delete') AND object_id = ${m.id}`), '2');
    // A facilitator removes someone else's message.
    const b = (await ok(await say(ben, general.id, 'off-topic advert'), 201)).message;
    const fd = (await ok(await call(s, fac, 'DELETE', `/api/v1/messages/${b.id}`))).message;
    assert.equal(fd.deleted.by, fac.handle);
    assert.equal((await call(s, fac, 'PATCH', '/api/v1/messages/999999', { body: 'x' })).status, 404);
  });

  test('history pages backwards with before and next', async () => {
    const c = (await ok(await open(ben, 'staff-room', { name: 'busy' }), 201)).channel;
    const ids = [];
    for (let i = 0; i < 120; i++) ids.push((await ok(await say(ben, c.id, `message ${i}`), 201)).message.id);
    const p1 = await ok(await call(s, ana, 'GET', `/api/v1/channels/${c.id}/messages`));
    assert.equal(p1.messages.length, 50);
    assert.deepEqual(p1.messages.map((m) => m.id), ids.slice(70), 'the newest 50, oldest first');
    assert.equal(p1.next, ids[70]);
    const p2 = await ok(await call(s, ana, 'GET', `/api/v1/channels/${c.id}/messages?before=${p1.next}`));
    assert.deepEqual(p2.messages.map((m) => m.id), ids.slice(20, 70));
    const p3 = await ok(await call(s, ana, 'GET', `/api/v1/channels/${c.id}/messages?before=${p2.next}`));
    assert.deepEqual(p3.messages.map((m) => m.id), ids.slice(0, 20));
    assert.equal(p3.next, null);
    await fieldError(await call(s, ana, 'GET', `/api/v1/channels/${c.id}/messages?before=abc`), 400, 'before');
    await fieldError(await call(s, ana, 'GET', `/api/v1/channels/${c.id}/messages?before=0`), 400, 'before');
    // The page shows the latest page and links to the older one.
    const html = await page(await get(s, ana, `/channels/${c.id}`));
    assert.ok(html.includes('message 119') && html.includes('message 70') && !html.includes('message 69<'));
    assert.ok(html.includes(`?before=${ids[70]}`), 'older messages link');
    const older = await page(await get(s, ana, `/channels/${c.id}?before=${ids[70]}`));
    assert.ok(older.includes('message 69') && older.includes('message 20') && !older.includes('message 70<'));
  });

  test('unread counts move as people write and read', async () => {
    const c = (await ok(await open(ana, 'staff-room', { name: 'unread test' }), 201)).channel;
    const first = (await ok(await say(ana, c.id, 'one'), 201)).message;
    await ok(await say(ana, c.id, 'two'), 201);
    const third = (await ok(await say(ana, c.id, 'three'), 201)).message;
    const of = async (who) => (await channels(who, 'staff-room')).channels.find((x) => x.id === c.id);
    assert.equal((await of(ana)).unread, 0, 'one\'s own messages are read');
    assert.equal((await of(ben)).unread, 3);
    assert.equal((await of(null)).unread, 0, 'anonymous readers have no count');
    let r = await ok(await call(s, ben, 'POST', `/api/v1/channels/${c.id}/read`, { message_id: first.id }));
    assert.equal(r.channel.unread, 2);
    assert.equal(r.channel.last_read, first.id);
    // Never backwards.
    r = await ok(await call(s, ben, 'POST', `/api/v1/channels/${c.id}/read`, {}));
    assert.equal(r.channel.unread, 0);
    assert.equal(r.channel.last_read, third.id);
    r = await ok(await call(s, ben, 'POST', `/api/v1/channels/${c.id}/read`, { message_id: first.id }));
    assert.equal(r.channel.last_read, third.id);
    await fieldError(await call(s, ben, 'POST', `/api/v1/channels/${c.id}/read`, { message_id: general.id + 999999 }), 400, 'message_id');
    // A deleted message is not unread; opening the page reads the channel.
    const four = (await ok(await say(ana, c.id, 'four'), 201)).message;
    await ok(await say(ana, c.id, 'five'), 201);
    await ok(await call(s, ana, 'DELETE', `/api/v1/messages/${four.id}`));
    assert.equal((await of(fac)).unread, 4);
    assert.equal((await of(ben)).unread, 1);
    const list = await page(await get(s, ben, '/spaces/staff-room/chat'));
    assert.match(list, /unread test<\/span> <span class="count" data-unread="1">/);
    await page(await get(s, ben, `/channels/${c.id}`));
    assert.equal((await of(ben)).unread, 0);
  });

  test('direct conversations: the same one again for the same people, in any order', async () => {
    const a = await ok(await call(s, ana, 'POST', '/api/v1/dm', { handles: [ben.handle, fac.handle] }), 201);
    assert.equal(a.channel.kind, 'direct');
    assert.equal(a.channel.space, null);
    assert.deepEqual(a.channel.members.map((m) => m.handle).sort(), [ana.handle, ben.handle, fac.handle].sort());
    const b = await ok(await call(s, fac, 'POST', '/api/v1/dm', { handles: [`@${ana.handle}`, ben.handle.toUpperCase(), fac.handle] }), 200);
    assert.equal(b.channel.id, a.channel.id);
    const pair = await ok(await call(s, ana, 'POST', '/api/v1/dm', { handles: [ben.handle] }), 201);
    assert.notEqual(pair.channel.id, a.channel.id);
    const m = (await ok(await say(ana, a.channel.id, 'Shall we plan the meet-up here?'), 201)).message;
    assert.equal(m.space, null);
    // Only its people see it.
    for (const who of [out, owner, null]) {
      assert.equal((await call(s, who, 'GET', `/api/v1/channels/${a.channel.id}`)).status, 404);
      assert.equal((await call(s, who, 'GET', `/api/v1/channels/${a.channel.id}/messages`)).status, 404);
      assert.equal((await get(s, who, `/channels/${a.channel.id}`)).status, 404);
    }
    assert.equal((await say(out, a.channel.id, 'hi')).status, 404);
    const mine = await ok(await call(s, ben, 'GET', '/api/v1/dm'));
    const conv = mine.conversations.find((c) => c.id === a.channel.id);
    assert.equal(conv.unread, 1);
    assert.ok(mine.conversations.some((c) => c.id === pair.channel.id));
    assert.ok(!(await ok(await call(s, out, 'GET', '/api/v1/dm'))).conversations.some((c) => c.id === a.channel.id));
    assert.equal((await call(s, null, 'GET', '/api/v1/dm')).status, 401);
    // Not a space: no topic, no settings, no new members.
    await status(await call(s, ana, 'POST', `/api/v1/messages/${m.id}/topic`, { title: 'Meet-up' }), 400);
    assert.equal((await call(s, ana, 'PATCH', `/api/v1/channels/${a.channel.id}`, { read_only: true })).status, 400);
    await fieldError(await call(s, ana, 'POST', `/api/v1/channels/${a.channel.id}/members`, { handles: [out.handle] }), 400, 'handles');
  });

  test('direct conversations: limits and bad handles', async () => {
    const crowd = await Promise.all(Array.from({ length: 9 }, () => signup(s)));
    const handles = crowd.map((p) => p.user.handle);
    const nine = await ok(await call(s, ana, 'POST', '/api/v1/dm', { handles: handles.slice(0, 8) }), 201);
    assert.equal(nine.channel.members.length, 9);
    // The caller named among the others does not count twice.
    await ok(await call(s, ana, 'POST', '/api/v1/dm', { handles: [...handles.slice(0, 8), ana.handle] }), 200);
    await fieldError(await call(s, ana, 'POST', '/api/v1/dm', { handles }), 400, 'handles');
    await fieldError(await call(s, ana, 'POST', '/api/v1/dm', { handles: ['no-such-person'] }), 400, 'handles');
    await fieldError(await call(s, ana, 'POST', '/api/v1/dm', { handles: [ana.handle] }), 400, 'handles');
    await fieldError(await call(s, ana, 'POST', '/api/v1/dm', { handles: [] }), 400, 'handles');
    await fieldError(await call(s, ana, 'POST', '/api/v1/dm', { handles: 'x'.repeat(80) }), 400, 'handles');
    await fieldError(await call(s, ana, 'POST', '/api/v1/dm', {}), 400, 'handles');
    await fieldError(await call(s, ana, 'POST', '/api/v1/dm', { handles: Array(30).fill(ben.handle) }), 400, 'handles');
  });

  test('read-only: facilitators only post, and only they set it', async () => {
    const c = (await ok(await open(ana, 'staff-room', { name: 'notices' }), 201)).channel;
    await fieldError(await call(s, ana, 'PATCH', `/api/v1/channels/${c.id}`, { read_only: true }), 403, 'read_only');
    const r = await ok(await call(s, fac, 'PATCH', `/api/v1/channels/${c.id}`, { read_only: true }));
    assert.equal(r.channel.read_only, true);
    assert.equal(await sql(s, `SELECT count(*) FROM activity WHERE verb = 'channel.read_only' AND object_id = ${c.id}`), '1');
    const refused = await call(s, ana, 'POST', `/api/v1/channels/${c.id}/messages`, { body: 'can I?' });
    const j = await refused.json();
    assert.equal(refused.status, 403);
    assert.match(j.error.message, /read-only/);
    await ok(await say(fac, c.id, 'Meeting moved to Thursday.'), 201);
    const list = (await channels(ana, 'staff-room')).channels.find((x) => x.id === c.id);
    assert.equal(list.read_only, true);
    assert.equal(list.can_post, false);
    // The page says so and offers no form.
    const html = await page(await get(s, ana, `/channels/${c.id}`));
    assert.match(html, /read-only: only facilitators post here/);
    assert.ok(!html.includes('id="chat-form"'));
    assert.equal((await post(s, ana, `/channels/${c.id}/messages`, { body: 'through the form' })).status, 403);
    // Renaming: its maker or a facilitator; the general channel keeps its name.
    const renamed = await ok(await call(s, ana, 'PATCH', `/api/v1/channels/${c.id}`, { name: 'Notices board' }));
    assert.equal(renamed.channel.name, 'Notices board');
    assert.equal((await call(s, ben, 'PATCH', `/api/v1/channels/${c.id}`, { name: 'Mine' })).status, 403);
    await fieldError(await call(s, fac, 'PATCH', `/api/v1/channels/${general.id}`, { name: 'lobby' }), 400, 'name');
    await fieldError(await call(s, fac, 'PATCH', `/api/v1/channels/${c.id}`, { name: 'busy' }), 409, 'name');
    await fieldError(await call(s, fac, 'PATCH', `/api/v1/channels/${c.id}`, {}), 400, 'read_only');
    await ok(await call(s, fac, 'PATCH', `/api/v1/channels/${c.id}`, { read_only: false }));
    await ok(await say(ana, c.id, 'open again'), 201);
  });

  test('a message becomes a topic that quotes it and links back', async () => {
    const m = (await ok(await say(ben, general.id, 'We should collect **exit tickets** that worked.'), 201)).message;
    const res = await call(s, ana, 'POST', `/api/v1/messages/${m.id}/topic`, { title: '  Exit tickets that worked  ' });
    const j = await ok(res, 201);
    assert.equal(j.topic.title, 'Exit tickets that worked');
    assert.equal(j.topic.space, 'staff-room');
    assert.equal(j.post.number, 1);
    assert.equal(j.post.author.handle, ana.handle);
    assert.match(j.post.body, /> We should collect \*\*exit tickets\*\* that worked\./);
    assert.ok(j.post.body.includes(`/channels/${general.id}?before=${m.id + 1}#m-${m.id}`), j.post.body);
    assert.ok(j.post.body.includes(ben.name), 'names its author');
    assert.match(j.post.html, /<blockquote>/);
    const again = await ok(await call(s, ana, 'GET', `/api/v1/channels/${general.id}/messages`));
    const linked = again.messages.find((x) => x.id === m.id);
    assert.deepEqual(linked.topic, { id: j.topic.id, title: 'Exit tickets that worked' });
    assert.equal((await call(s, ana, 'POST', `/api/v1/messages/${m.id}/topic`, { title: 'Twice' })).status, 409);
    await fieldError(await call(s, ana, 'POST', `/api/v1/messages/${m.id}/topic`, {}), 400, 'title');
    const m2 = (await ok(await say(ben, general.id, 'another idea'), 201)).message;
    await fieldError(await call(s, ana, 'POST', `/api/v1/messages/${m2.id}/topic`, { title: 'x'.repeat(201) }), 400, 'title');
    // An outsider may read a public space's chat but not start topics in it.
    assert.equal((await call(s, out, 'POST', `/api/v1/messages/${m2.id}/topic`, { title: 'Mine' })).status, 403);
    // The page shows where it continues.
    const html = await page(await get(s, ben, '/spaces/staff-room/chat'));
    assert.ok(html.includes(`href="/topics/${j.topic.id}"`));
    assert.match(html, /Continued in the topic/);
  });

  test('bad input names its field and saves nothing', async () => {
    const before = await sql(s, 'SELECT count(*) FROM chat_messages');
    await fieldError(await say(ana, general.id, ''), 400, 'body');
    await fieldError(await say(ana, general.id, '   \n '), 400, 'body');
    await fieldError(await say(ana, general.id, 'x'.repeat(4001)), 400, 'body');
    await fieldError(await call(s, ana, 'POST', `/api/v1/channels/${general.id}/messages`, {}), 400, 'body');
    await fieldError(await call(s, ana, 'POST', `/api/v1/channels/${general.id}/messages`, { body: 5 }), 400, 'body');
    const bad = await s.fetch(`/api/v1/channels/${general.id}/messages`, {
      method: 'POST',
      headers: { authorization: ana.auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'body=%C3%28',
    });
    await fieldError(bad, 400, 'body');
    assert.equal(await sql(s, 'SELECT count(*) FROM chat_messages'), before);
    // 4000 characters (not bytes) fit.
    await ok(await say(ana, general.id, 'é'.repeat(4000)), 201);
    assert.equal((await say(ana, 999999, 'hello')).status, 404);
    assert.equal((await say(ana, 'abc', 'hello')).status, 404);
    assert.equal((await call(s, ana, 'GET', '/api/v1/channels/999999')).status, 404);
    assert.equal((await call(s, ana, 'GET', '/api/v1/spaces/nowhere/channels')).status, 404);
    // Channel names.
    for (const [name, field] of [['', 'name'], ['   ', 'name'], ['x'.repeat(41), 'name'], ['x'.repeat(60), 'name'], ['two\nlines', 'name'], ['!!!', 'name'], [5, 'name']]) {
      await fieldError(await open(ana, 'staff-room', { name }), 400, field);
    }
    await ok(await open(ana, 'staff-room', { name: 'é'.repeat(40) }), 201);
    await fieldError(await open(ana, 'staff-room', { name: 'x', members: [ben.handle] }), 400, 'members');
    await fieldError(await open(ana, 'staff-room', { name: 'y', private: true, members: ['ghost-person'] }), 400, 'members');
    await fieldError(await open(ana, 'staff-room', { name: 'y', private: true, members: [out.handle + 'x'] }), 400, 'members');
    // Outsiders may read the public space but not open channels in it.
    assert.equal((await open(out, 'staff-room', { name: 'outside' })).status, 403);
    assert.equal((await open(null, 'staff-room', { name: 'anon' })).status, 401);
  });

  test('every write records its live event, routed to the channel', async () => {
    const events = async (where) => (await sql(s, `SELECT type || '|' || space_id || '|' || channel_id || '|' || data FROM live_events WHERE ${where} ORDER BY id`))
      .split('\n').filter(Boolean).map((l) => { const [type, space, channel, ...data] = l.split('|'); return { type, space: Number(space), channel: Number(channel), data: JSON.parse(data.join('|')) }; });
    const spaceId = Number(await sql(s, `SELECT id FROM spaces WHERE slug = 'staff-room'`));
    const pub = (await ok(await open(ana, 'staff-room', { name: 'live public' }), 201)).channel;
    let ev = await events(`type = 'channel' AND data LIKE '%live public%'`);
    assert.equal(ev.length, 1);
    assert.deepEqual(ev[0].data, { id: pub.id, space: 'staff-room', name: 'live public', private: false, read_only: false });
    assert.equal(ev[0].space, spaceId);
    assert.equal(ev[0].channel, 0, 'a public channel is news to its space');
    const priv = (await ok(await open(ana, 'staff-room', { name: 'live private', private: true }), 201)).channel;
    ev = await events(`type = 'channel' AND channel_id = ${priv.id}`);
    assert.equal(ev.length, 1, 'a private channel only to its own streams');
    const m = (await ok(await say(ana, priv.id, 'live *words*'), 201)).message;
    await ok(await call(s, ana, 'PATCH', `/api/v1/messages/${m.id}`, { body: 'live words, edited' }));
    await ok(await call(s, ana, 'DELETE', `/api/v1/messages/${m.id}`));
    ev = await events(`channel_id = ${priv.id} AND type LIKE 'message%'`);
    assert.deepEqual(ev.map((e) => e.type), ['message', 'message.edited', 'message.deleted']);
    const d = ev[0].data;
    assert.deepEqual(Object.keys(d).sort(), ['author', 'body', 'channel', 'created_at', 'edited_at', 'html', 'id', 'space', 'topic'].sort());
    assert.equal(d.id, m.id);
    assert.equal(d.channel, priv.id);
    assert.equal(d.space, 'staff-room');
    assert.deepEqual(d.author, { handle: ana.handle, name: ana.name });
    assert.equal(d.html, '<p>live <em>words</em></p>\n');
    assert.equal(d.edited_at, null);
    assert.equal(typeof ev[1].data.edited_at, 'number');
    assert.deepEqual(ev[2].data, { id: m.id, channel: priv.id });
    // A write refused records nothing.
    const before = await sql(s, 'SELECT count(*) FROM live_events');
    await fieldError(await open(ana, 'staff-room', { name: 'live public' }), 409, 'name');
    assert.equal((await say(out, priv.id, 'no')).status, 404);
    assert.equal(await sql(s, 'SELECT count(*) FROM live_events'), before);
    // A direct conversation's messages have no space.
    const dm = (await ok(await call(s, ana, 'POST', '/api/v1/dm', { handles: [out.handle] }), 201)).channel;
    await ok(await say(out, dm.id, 'psst'), 201);
    ev = await events(`channel_id = ${dm.id} AND type = 'message'`);
    assert.equal(ev[0].space, 0);
    assert.equal(ev[0].data.space, null);
  });

  test('pages: the space chat, a channel, conversations, and the forms', async () => {
    let html = await page(await get(s, ana, '/spaces/staff-room/chat'));
    assert.match(html, /<a href="\/spaces\/staff-room\/chat" aria-current="page">Chat<\/a>/);
    assert.match(html, new RegExp(`<ol class="chat-messages" id="messages" data-channel="${general.id}"`));
    assert.match(html, /<form class="chat-form" id="chat-form"[^>]*>/);
    assert.match(html, /<textarea id="body" name="body"/);
    assert.ok(html.includes(`name="_csrf" value="${ana.csrf}"`));
    // The tab is on the space's other pages too.
    assert.match(await page(await get(s, null, '/spaces/staff-room/topics')), /href="\/spaces\/staff-room\/chat"/);
    // Posting through the form: back to the message.
    let res = await post(s, ana, `/channels/${general.id}/messages`, { body: 'Written in the **page** form' });
    assert.equal(res.status, 303);
    const loc = res.headers.get('location');
    const mid = Number(/#m-(\d+)$/.exec(loc)[1]);
    html = await page(await get(s, ben, '/spaces/staff-room/chat'));
    assert.ok(html.includes(`<li class="chat-message" id="m-${mid}" data-id="${mid}">`));
    assert.ok(html.includes('Written in the <strong>page</strong> form'));
    assert.match(html, /<time datetime="\d{4}-\d\d-\d\dT/);
    // A bad message keeps what was typed, with the error by the field.
    res = await post(s, ana, `/channels/${general.id}/messages`, { body: 'x'.repeat(4001) });
    html = await page(res, 400);
    assert.match(html, /Your message is too long/);
    assert.ok(html.includes('x'.repeat(4001)));
    res = await post(s, ana, `/channels/${general.id}/messages`, { body: 'no csrf' }).then(() =>
      s.fetch(`/channels/${general.id}/messages`, { method: 'POST', headers: { cookie: ana.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: 'body=hi' }));
    assert.equal(res.status, 403);
    // Editing and deleting one's own, through the forms.
    html = await page(await get(s, ana, `/messages/${mid}/edit`));
    assert.ok(html.includes('Written in the **page** form'));
    assert.equal((await get(s, ben, `/messages/${mid}/edit`)).status, 403);
    res = await post(s, ana, `/messages/${mid}/edit`, { body: 'Edited in the page' });
    assert.equal(res.status, 303);
    html = await page(await get(s, ana, res.headers.get('location')));
    assert.ok(html.includes('Edited in the page'));
    assert.match(html, /\(edited\)/);
    assert.equal((await post(s, ben, `/messages/${mid}/delete`)).status, 403);
    assert.equal((await post(s, ana, `/messages/${mid}/delete`)).status, 303);
    html = await page(await get(s, ana, `/channels/${general.id}?before=${mid + 1}`));
    assert.match(html, /Message deleted by its author/);
    // Opening a channel from the page, with an error first.
    html = await page(await post(s, ana, '/spaces/staff-room/chat', { name: 'general' }), 409);
    assert.match(html, /is taken by another channel/);
    res = await post(s, ana, '/spaces/staff-room/chat', { name: 'From the page', private: 'on', members: ben.handle });
    assert.equal(res.status, 303);
    const cid = Number(/\/channels\/(\d+)/.exec(res.headers.get('location'))[1]);
    html = await page(await get(s, ben, `/channels/${cid}`));
    assert.match(html, /#From the page/);
    assert.match(html, /Private channel/);
    assert.equal((await get(s, fac, `/channels/${cid}`)).status, 404);
    // Adding people through the page.
    html = await page(await post(s, ana, `/channels/${cid}/members`, { handles: 'ghost-person' }), 400);
    assert.match(html, /ghost-person/);
    assert.equal((await post(s, ana, `/channels/${cid}/members`, { handles: fac.handle })).status, 303);
    await page(await get(s, fac, `/channels/${cid}`));
    // A message made a topic through the page.
    res = await post(s, ana, `/channels/${cid}/messages`, { body: 'Worth a topic' });
    const tm = Number(/#m-(\d+)$/.exec(res.headers.get('location'))[1]);
    html = await page(await get(s, ana, `/messages/${tm}/topic`));
    assert.ok(html.includes('Worth a topic'));
    html = await page(await post(s, ana, `/messages/${tm}/topic`, { title: '' }), 400);
    res = await post(s, ana, `/messages/${tm}/topic`, { title: 'From the chat' });
    assert.equal(res.status, 303);
    assert.match(res.headers.get('location'), /^\/topics\/\d+$/);
    // Anonymous readers see the public chat with a way in, never a form.
    html = await page(await get(s, null, '/spaces/staff-room/chat'));
    assert.ok(!html.includes('id="chat-form"'));
    assert.match(html, /Sign in<\/a> to take part/);
    assert.equal((await post(s, null, `/channels/${general.id}/messages`, { body: 'anon' })).status, 401);
    // Settings through the page: a facilitator makes it read-only.
    assert.equal((await post(s, fac, `/channels/${cid}/settings`, { read_only: 'true' })).status, 303);
    html = await page(await get(s, ben, `/channels/${cid}`));
    assert.match(html, /read-only/);
  });

  test('pages: direct conversations', async () => {
    let html = await page(await get(s, ana, '/messages'));
    assert.match(html, /<h1 id="page-title">Messages<\/h1>/);
    let res = await post(s, ana, '/messages', { handles: `${out.handle}, ${ben.handle}` });
    assert.equal(res.status, 303);
    const id = Number(/\/channels\/(\d+)/.exec(res.headers.get('location'))[1]);
    res = await post(s, ana, `/channels/${id}/messages`, { body: 'Hello from the conversation page' });
    assert.equal(res.status, 303);
    html = await page(await get(s, out, `/channels/${id}`));
    assert.ok(html.includes('Hello from the conversation page'));
    assert.ok(html.includes(ana.name));
    html = await page(await get(s, ben, '/messages'));
    assert.ok(html.includes(`href="/channels/${id}"`));
    assert.match(html, /data-unread="1"/);
    html = await page(await post(s, ana, '/messages', { handles: 'nobody-at-all' }), 400);
    assert.match(html, /nobody-at-all/);
    assert.equal((await get(s, null, '/messages')).status, 303);
    assert.equal((await get(s, fac, `/channels/${id}`)).status, 404);
  });
});

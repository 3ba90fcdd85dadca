// Discussions over the API: topics and posts, kinds, tags, lists and cursors,
// replies, revisions, tombstones, reactions, accepted answers, watching,
// mentions, notifications, read state, and private staying private.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signup, sql, rawRequest, BACKEND } from './harness.mjs';

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

describe(`discussions on ${BACKEND}`, () => {
  let s, owner, fac, ana, ben, out;
  const topic = (who, slug, body) => call(s, who, 'POST', `/api/v1/spaces/${slug}/topics`, body);
  const reply = (who, id, body) => call(s, who, 'POST', `/api/v1/topics/${id}/posts`, body);
  const notices = async (who) => ok(await call(s, who, 'GET', '/api/v1/notifications'));

  before(async () => {
    s = await startServer();
    [owner, fac, ana, ben, out] = await Promise.all([signup(s), signup(s), signup(s), signup(s), signup(s)]);
    for (const [slug, vis] of [['staff-room', 'public'], ['inner', 'private']]) {
      await ok(await call(s, owner, 'POST', '/api/v1/spaces', { slug, name: slug, purpose: 'p', visibility: vis, join: 'open' }), 201);
      for (const who of [fac, ana, ben]) {
        const inv = await ok(await call(s, owner, 'POST', `/api/v1/spaces/${slug}/invites`, {}), 201);
        await ok(await call(s, who, 'POST', `/api/v1/invites/${inv.token}/accept`));
      }
      await ok(await call(s, owner, 'PATCH', `/api/v1/spaces/${slug}/members/${fac.user.handle}`, { role: "facilitator" }), 204);
    }
  });
  after(async () => {
    if (!s.exited) await s.stop();
  });

  test('a topic: 201 with its first post, canonical tags, its author watching, an activity row', async () => {
    const j = await ok(await topic(ana, 'staff-room', {
      title: '  How do you mark group work fairly?  ', body: 'We tried **peer grading**.\n\n<script>alert(1)</script>',
      kind: 'question', tags: ['Assessment', 'peer review', 'assessment'],
    }), 201);
    assert.equal(j.topic.title, 'How do you mark group work fairly?');
    assert.equal(j.topic.kind, 'question');
    assert.deepEqual(j.topic.tags, ['assessment', 'peer-review']);
    assert.equal(j.topic.watch, 'watching');
    assert.equal(j.topic.posts_count, 1);
    assert.equal(j.post.number, 1);
    assert.match(j.post.html, /<strong>peer grading<\/strong>/);
    assert.doesNotMatch(j.post.html, /<script/);
    assert.equal(j.post.body, 'We tried **peer grading**.\n\n<script>alert(1)</script>');
    assert.equal(await sql(s, `SELECT count(*) FROM activity WHERE verb = 'topic.create' AND object_id = ${j.topic.id}`), '1');
    // Tags come as a comma list in a form too.
    const f = await s.fetch('/api/v1/spaces/staff-room/topics', {
      method: 'POST', headers: { authorization: ana.auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ title: 'Form topic', body: 'From a form', tags: 'algebra, Year 7 ,' }).toString(),
    });
    assert.deepEqual((await ok(f, 201)).topic.tags, ['algebra', 'year-7']);
  });

  test('bad topics name their field and save nothing', async () => {
    const before = await sql(s, 'SELECT count(*) FROM topics');
    const base = { title: 'T', body: 'B' };
    for (const [patch, field, status = 400] of [
      [{ title: '' }, 'title'], [{ title: '   ' }, 'title'], [{ title: 'x'.repeat(201) }, 'title'],
      [{ title: 'two\nlines' }, 'title'], [{ body: '' }, 'body'], [{ body: '  \n ' }, 'body'],
      [{ body: 'x'.repeat(20001) }, 'body'], [{ kind: 'poll' }, 'kind'], [{ kind: 'summary' }, 'kind'],
      [{ kind: 'announcement' }, 'kind', 403], [{ tags: ['ok', 'not ok!'] }, 'tags'],
      [{ tags: ['a', 'b', 'c', 'd', 'e', 'f'] }, 'tags'], [{ tags: 'x'.repeat(61) }, 'tags'], [{ tags: [1, 2] }, 'tags'],
      [{ tags: { a: 1 } }, 'tags'], [{ title: 5 }, 'title'],
    ]) {
      const res = await topic(ana, 'staff-room', { ...base, ...patch });
      assert.equal(res.status, status, JSON.stringify(patch).slice(0, 80));
      await fieldError(res, status, field);
    }
    // A body over the server's limit is refused from its declared length.
    const big = await rawRequest(s.port, 'POST /api/v1/spaces/staff-room/topics HTTP/1.1\r\nHost: x\r\n' +
      `Authorization: ${ana.auth}\r\nContent-Type: application/json\r\nContent-Length: 3000000\r\n\r\n{"title":`);
    assert.match(big, /^HTTP\/1\.1 413/);
    const notJson = await s.fetch('/api/v1/spaces/staff-room/topics', {
      method: 'POST', headers: { authorization: ana.auth, 'content-type': 'application/json' }, body: '{"title": "T",',
    });
    assert.equal(notJson.status, 400);
    assert.equal(await sql(s, 'SELECT count(*) FROM topics'), before);
  });

  test('announcements are facilitators\', pinned until unpinned; only they pin', async () => {
    const a = await ok(await topic(fac, 'staff-room', { title: 'Meeting moved to Thursday', body: 'Room 4.', kind: 'announcement' }), 201);
    assert.equal(a.topic.pinned, true);
    const t = await ok(await topic(ana, 'staff-room', { title: 'Later topic', body: 'After the announcement' }), 201);
    let list = await ok(await call(s, ana, 'GET', '/api/v1/spaces/staff-room/topics'));
    assert.equal(list.topics[0].id, a.topic.id, 'pinned first');
    await fieldError(await call(s, ana, 'PATCH', `/api/v1/topics/${t.topic.id}`, { pinned: true }), 403, 'pinned');
    await ok(await call(s, fac, 'PATCH', `/api/v1/topics/${a.topic.id}`, { pinned: false }));
    list = await ok(await call(s, ana, 'GET', '/api/v1/spaces/staff-room/topics'));
    assert.equal(list.topics[0].id, t.topic.id, 'unpinned: by latest activity');
    assert.equal(await sql(s, `SELECT count(*) FROM activity WHERE verb = 'topic.unpin'`), '1');
    // The author edits the title and tags; another member may not.
    const e = await ok(await call(s, ana, 'PATCH', `/api/v1/topics/${t.topic.id}`, { title: 'Renamed', tags: ['renamed'] }));
    assert.equal(e.topic.title, 'Renamed');
    assert.deepEqual(e.topic.tags, ['renamed']);
    assert.equal((await call(s, ben, 'PATCH', `/api/v1/topics/${t.topic.id}`, { title: 'Mine now' })).status, 403);
    await fieldError(await call(s, ana, 'PATCH', `/api/v1/topics/${t.topic.id}`, { title: ' ' }), 400, 'title');
  });

  test('lists: latest, unanswered, by tag, with cursors', async () => {
    await ok(await call(s, owner, 'POST', '/api/v1/spaces', { slug: 'busy', name: 'Busy', purpose: 'p', visibility: 'public', join: 'open' }), 201);
    const ids = [];
    for (let i = 0; i < 30; i++) {
      const j = await ok(await topic(owner, 'busy', { title: `Topic ${i}`, body: `Body ${i}`, kind: i % 3 ? 'discussion' : 'question', tags: i % 2 ? ['odd'] : [] }), 201);
      ids.push(j.topic.id);
    }
    const first = await ok(await call(s, null, 'GET', '/api/v1/spaces/busy/topics'));
    assert.equal(first.topics.length, 25);
    assert.equal(first.topics[0].id, ids[29], 'newest first');
    assert.ok(first.next_cursor);
    const second = await ok(await call(s, null, 'GET', `/api/v1/spaces/busy/topics?cursor=${encodeURIComponent(first.next_cursor)}`));
    assert.equal(second.topics.length, 5);
    assert.equal(second.next_cursor, null);
    assert.deepEqual([...first.topics, ...second.topics].map((t) => t.id), [...ids].reverse());
    const unanswered = await ok(await call(s, null, 'GET', '/api/v1/spaces/busy/topics?filter=unanswered'));
    assert.equal(unanswered.topics.length, 10);
    assert.ok(unanswered.topics.every((t) => t.kind === 'question'));
    const odd = await ok(await call(s, null, 'GET', '/api/v1/spaces/busy/topics?tag=Odd'));
    assert.equal(odd.filter, 'tag');
    assert.equal(odd.topics.length, 15);
    for (const [q, field] of [['filter=hot', 'filter'], ['cursor=abc', 'cursor'], ['cursor=1.-2', 'cursor'], ['filter=tag', 'tag'], ['tag=a%20b!', 'tag']]) {
      await fieldError(await call(s, null, 'GET', `/api/v1/spaces/busy/topics?${q}`), 400, field);
    }
  });

  test('a topic page: posts in order with body and html, paginated by cursor, read state per person', async () => {
    const t = (await ok(await topic(ana, 'staff-room', { title: 'Long thread', body: 'Start' }), 201)).topic;
    for (let i = 2; i <= 55; i++) await ok(await reply(i % 2 ? ana : ben, t.id, { body: `Reply *${i}*` }), 201);
    const p1 = await ok(await call(s, fac, 'GET', `/api/v1/topics/${t.id}`));
    assert.equal(p1.posts.length, 50);
    assert.deepEqual(p1.posts.map((p) => p.number), Array.from({ length: 50 }, (_, i) => i + 1));
    assert.equal(p1.posts[1].body, 'Reply *2*');
    assert.match(p1.posts[1].html, /<em>2<\/em>/);
    assert.equal(p1.topic.unread, 55, 'never opened before this page');
    const p2 = await ok(await call(s, fac, 'GET', `/api/v1/topics/${t.id}?cursor=${encodeURIComponent(p1.next_cursor)}`));
    assert.deepEqual(p2.posts.map((p) => p.number), [51, 52, 53, 54, 55]);
    assert.equal(p2.next_cursor, null);
    const again = await ok(await call(s, fac, 'GET', `/api/v1/topics/${t.id}`));
    assert.equal(again.topic.unread, 0, 'read to the end');
    await ok(await reply(ana, t.id, { body: 'One more' }), 201);
    const list = await ok(await call(s, fac, 'GET', '/api/v1/spaces/staff-room/topics'));
    assert.equal(list.topics.find((x) => x.id === t.id).unread, 1);
    assert.equal((await call(s, fac, 'GET', `/api/v1/topics/${t.id}?cursor=zz`)).status, 400);
    // Anyone may read a public space's topic; nobody finds one that is not there.
    assert.equal((await call(s, null, 'GET', `/api/v1/topics/${t.id}`)).status, 200);
    for (const id of ['999999', '0', '-1', 'abc']) assert.equal((await call(s, ana, 'GET', `/api/v1/topics/${id}`)).status, 404);
  });

  test('a page read again shows each change at once, though its posts are kept in memory', async () => {
    const metric = async (name) =>
      Number((await (await s.fetch('/metrics')).text()).match(new RegExp(`^${name} (\\d+)$`, 'm'))[1]);
    const t = (await ok(await topic(ana, 'staff-room', { title: 'Kept in memory', body: 'First words' }), 201)).topic;
    const second = (await ok(await reply(ben, t.id, { body: 'Second words' }), 201)).post;
    const page = async (who = fac) => ok(await call(s, who, 'GET', `/api/v1/topics/${t.id}`));
    const html = async (who = fac) => (await call(s, who, 'GET', `/topics/${t.id}`)).text();
    assert.deepEqual((await page()).posts.map((p) => p.body), ['First words', 'Second words']);
    const hits = await metric('praxis_page_cache_hits_total');
    assert.deepEqual((await page()).posts.map((p) => p.body), ['First words', 'Second words']);
    assert.equal(await metric('praxis_page_cache_hits_total'), hits + 1, 'the second read came from memory');
    // A reply, an edit, a reaction, a deletion: each seen by the very next read.
    await ok(await reply(ana, t.id, { body: 'Third words' }), 201);
    assert.deepEqual((await page()).posts.map((p) => p.body), ['First words', 'Second words', 'Third words']);
    await ok(await call(s, ben, 'PATCH', `/api/v1/posts/${second.id}`, { body: 'Second, *edited*' }));
    let p2 = (await page()).posts[1];
    assert.equal(p2.body, 'Second, *edited*');
    assert.match(p2.html, /<em>edited<\/em>/);
    const given = await ok(await call(s, fac, 'POST', `/api/v1/posts/${second.id}/reactions`, { kind: 'thanks' }));
    // The kept page is shared; whose reaction is "mine" is each reader's own.
    assert.deepEqual((await page(fac)).posts[1].reactions.thanks, { count: 1, mine: true, who: [{ handle: fac.user.handle, name: fac.user.name }] });
    // A kept post's JSON is kept in parts around what is the reader's: joined, it
    // reads as the post written whole (the reaction's answer), key for key in order.
    await page(fac);
    assert.equal(JSON.stringify((await page(fac)).posts[1]), JSON.stringify(given.post));
    assert.equal(JSON.stringify((await page(ben)).posts[1]), JSON.stringify({ ...given.post, reactions: { ...given.post.reactions, thanks: { ...given.post.reactions.thanks, mine: false } } }));
    assert.equal((await page(ana)).posts[1].reactions.thanks.mine, false);
    assert.match(await html(fac), /value="thanks" aria-pressed="true"/);
    assert.doesNotMatch(await html(ana), /value="thanks" aria-pressed="true"/);
    // Names come from people: a new name shows on their posts at once, in JSON and in the page.
    await ok(await call(s, ben, 'PATCH', `/api/v1/users/${ben.user.handle}`, { name: 'Benedict Renamed' }));
    assert.equal((await page()).posts[1].author.name, 'Benedict Renamed');
    assert.match(await html(), /Benedict Renamed/);
    await ok(await call(s, ben, 'DELETE', `/api/v1/posts/${second.id}`, {}));
    p2 = (await page()).posts[1];
    assert.equal(p2.body, '');
    assert.ok(p2.deleted);
    assert.ok(await metric('praxis_page_cache_pages') >= 1);
  });

  test('replies: to a post of the same topic only', async () => {
    const a = await ok(await topic(ana, 'staff-room', { title: 'Thread A', body: 'A1' }), 201);
    const b = await ok(await topic(ana, 'staff-room', { title: 'Thread B', body: 'B1' }), 201);
    const r = await ok(await reply(ben, a.topic.id, { body: '> A1\n\nQuoting you', reply_to: a.post.id }), 201);
    assert.deepEqual(r.post.reply_to, { id: a.post.id, number: 1 });
    assert.match(r.post.html, /<blockquote>/);
    await fieldError(await reply(ben, a.topic.id, { body: 'x', reply_to: b.post.id }), 400, 'reply_to');
    await fieldError(await reply(ben, a.topic.id, { body: 'x', reply_to: 99999999 }), 400, 'reply_to');
    await fieldError(await reply(ben, a.topic.id, { body: 'x', reply_to: 'first' }), 400, 'reply_to');
    await fieldError(await reply(ben, a.topic.id, { body: '' }), 400, 'body');
    // A reader of a public space who has not joined may not post.
    assert.equal((await reply(out, a.topic.id, { body: 'drive-by' })).status, 403);
    assert.equal((await reply(null, a.topic.id, { body: 'anon' })).status, 401);
  });

  test('editing keeps every revision; only the author edits', async () => {
    const t = await ok(await topic(ana, 'staff-room', { title: 'Draft thoughts', body: 'Version one' }), 201);
    const pid = t.post.id;
    await ok(await call(s, ana, 'PATCH', `/api/v1/posts/${pid}`, { body: 'Version two' }));
    const e = await ok(await call(s, ana, 'PATCH', `/api/v1/posts/${pid}`, { body: 'Version *three*' }));
    assert.equal(e.post.revision, 3);
    assert.ok(e.post.edited_at);
    const same = await ok(await call(s, ana, 'PATCH', `/api/v1/posts/${pid}`, { body: 'Version *three*' }));
    assert.equal(same.post.revision, 3, 'no change, no revision');
    const v = await ok(await call(s, ben, 'GET', `/api/v1/posts/${pid}/revisions`));
    assert.deepEqual(v.revisions.map((x) => [x.revision, x.body, x.current]), [
      [1, 'Version one', false], [2, 'Version two', false], [3, 'Version *three*', true],
    ]);
    assert.match(v.revisions[2].html, /<em>three<\/em>/);
    assert.equal((await call(s, ben, 'PATCH', `/api/v1/posts/${pid}`, { body: 'Hijack' })).status, 403);
    assert.equal((await call(s, fac, 'PATCH', `/api/v1/posts/${pid}`, { body: 'Moderated' })).status, 403);
    await fieldError(await call(s, ana, 'PATCH', `/api/v1/posts/${pid}`, { body: ' ' }), 400, 'body');
    await fieldError(await call(s, ana, 'PATCH', `/api/v1/posts/${pid}`, {}), 400, 'body');
    assert.equal(await sql(s, `SELECT count(*) FROM activity WHERE verb = 'post.edit' AND object_id = ${pid}`), '2');
  });

  test('deleting leaves a tombstone: by the author, or a facilitator with a reason', async () => {
    const t = await ok(await topic(ana, 'staff-room', { title: 'To be tidied', body: 'Opening' }), 201);
    const mine = await ok(await reply(ben, t.topic.id, { body: 'Oops, wrong thread' }), 201);
    await ok(await call(s, ben, 'PATCH', `/api/v1/posts/${mine.post.id}`, { body: 'Still wrong' }));
    const d = await ok(await call(s, ben, 'DELETE', `/api/v1/posts/${mine.post.id}`));
    assert.ok(d.post.deleted);
    assert.equal(d.post.deleted.by, ben.user.handle);
    assert.equal(d.post.body, '');
    assert.equal(d.post.html, '');
    assert.deepEqual((await ok(await call(s, ana, 'GET', `/api/v1/posts/${mine.post.id}/revisions`))).revisions, []);
    assert.equal((await call(s, ben, 'DELETE', `/api/v1/posts/${mine.post.id}`)).status, 409);
    assert.equal((await call(s, ben, 'PATCH', `/api/v1/posts/${mine.post.id}`, { body: 'back' })).status, 409);
    const other = await ok(await reply(ben, t.topic.id, { body: 'Something unkind' }), 201);
    assert.equal((await call(s, ana, 'DELETE', `/api/v1/posts/${other.post.id}`)).status, 403);
    await fieldError(await call(s, fac, 'DELETE', `/api/v1/posts/${other.post.id}`, { reason: ' ' }), 400, 'reason');
    const m = await ok(await call(s, fac, 'DELETE', `/api/v1/posts/${other.post.id}`, { reason: 'Not in the spirit of our charter' }));
    assert.equal(m.post.deleted.reason, 'Not in the spirit of our charter');
    const page = await ok(await call(s, ana, 'GET', `/api/v1/topics/${t.topic.id}`));
    assert.equal(page.posts.length, 3, 'tombstones keep their place');
    assert.equal(await sql(s, `SELECT count(*) FROM activity WHERE verb = 'post.delete' AND object_id IN (${mine.post.id}, ${other.post.id})`), '2');
  });

  test('reactions: four kinds, toggled, one each per person, counted with who; grouped notice', async () => {
    const t = await ok(await topic(ana, 'staff-room', { title: 'Exit tickets', body: 'A one-question exit ticket changed my lessons.' }), 201);
    const pid = t.post.id;
    let j = await ok(await call(s, ben, 'POST', `/api/v1/posts/${pid}/reactions`, { kind: 'helped' }));
    assert.equal(j.post.reactions.helped.count, 1);
    assert.deepEqual(j.post.reactions.helped.who.map((w) => w.handle), [ben.user.handle]);
    await ok(await call(s, fac, 'POST', `/api/v1/posts/${pid}/reactions`, { kind: 'helped' }));
    j = await ok(await call(s, ben, 'POST', `/api/v1/posts/${pid}/reactions`, { kind: 'thanks' }));
    assert.equal(j.post.reactions.helped.count, 2);
    assert.equal(j.post.reactions.thanks.count, 1);
    j = await ok(await call(s, ben, 'POST', `/api/v1/posts/${pid}/reactions`, { kind: 'helped' }));
    assert.equal(j.post.reactions.helped.count, 1, 'toggled off');
    assert.equal(j.post.reactions.helped.mine, false);
    await fieldError(await call(s, ben, 'POST', `/api/v1/posts/${pid}/reactions`, { kind: 'love' }), 400, 'kind');
    await fieldError(await call(s, ben, 'POST', `/api/v1/posts/${pid}/reactions`, {}), 400, 'kind');
    assert.equal((await call(s, ana, 'POST', `/api/v1/posts/${pid}/reactions`, { kind: 'like' })).status, 403, 'not on your own');
    assert.equal((await call(s, out, 'POST', `/api/v1/posts/${pid}/reactions`, { kind: 'like' })).status, 403, 'join first');
    const n = (await notices(ana)).notifications.filter((x) => x.kind === 'reaction' && x.post.id === pid);
    assert.equal(n.length, 1, 'reactions on one post make one notice');
    assert.equal(n[0].count, 3);
  });

  test('accepting an answer: the asker or a facilitator, on a question, a reply of it', async () => {
    const q = await ok(await topic(ana, 'staff-room', { title: 'Best way to introduce fractions?', body: 'Ideas?', kind: 'question' }), 201);
    const d = await ok(await topic(ana, 'staff-room', { title: 'Just chatting', body: 'Hello' }), 201);
    const other = await ok(await reply(ben, d.topic.id, { body: 'Hi' }), 201);
    const answer = await ok(await reply(ben, q.topic.id, { body: 'Pizza slices, then number lines.' }), 201);
    const accept = (who, id, post_id) => call(s, who, 'POST', `/api/v1/topics/${id}/accept`, { post_id });
    assert.equal((await accept(out, q.topic.id, answer.post.id)).status, 403);
    assert.equal((await accept(ben, q.topic.id, answer.post.id)).status, 403, 'not the asker');
    await fieldError(await accept(ana, d.topic.id, other.post.id), 400, 'post_id');
    await fieldError(await accept(ana, q.topic.id, other.post.id), 400, 'post_id');
    await fieldError(await accept(ana, q.topic.id, q.post.id), 400, 'post_id');
    await fieldError(await accept(ana, q.topic.id, 'yes'), 400, 'post_id');
    const before = (await notices(ben)).unread;
    const j = await ok(await accept(ana, q.topic.id, answer.post.id));
    assert.equal(j.topic.accepted_post_id, answer.post.id);
    const page = await ok(await call(s, null, 'GET', `/api/v1/topics/${q.topic.id}`));
    assert.equal(page.posts.find((p) => p.id === answer.post.id).accepted, true);
    const after = await notices(ben);
    assert.equal(after.unread, before + 1);
    assert.equal(after.notifications[0].kind, 'accepted');
    const unanswered = await ok(await call(s, null, 'GET', '/api/v1/spaces/staff-room/topics?filter=unanswered'));
    assert.ok(!unanswered.topics.some((t) => t.id === q.topic.id));
    // A facilitator may accept too, or take it back (post_id 0).
    await ok(await accept(fac, q.topic.id, 0));
    assert.equal((await ok(await call(s, null, 'GET', `/api/v1/topics/${q.topic.id}`))).topic.accepted_post_id, null);
    assert.equal(await sql(s, `SELECT count(*) FROM activity WHERE verb = 'topic.accept'`), '1');
  });

  test('mentions notify those who may see the post; not in code; not outsiders of a private space', async () => {
    const t = await ok(await topic(ana, 'inner', {
      title: 'Planning', body: `@${ben.user.handle} and @${out.user.handle}, see \`@${fac.user.handle}\` and mail x@${fac.user.handle}.org`,
    }), 201);
    assert.match(t.post.html, new RegExp(`<a [^>]*href="/people/${ben.user.handle}"[^>]*>@${ben.user.handle}</a>`));
    const b = (await notices(ben)).notifications.find((x) => x.topic?.id === t.topic.id);
    assert.equal(b.kind, 'mention');
    assert.equal(b.actor.handle, ana.user.handle);
    assert.ok(!(await notices(out)).notifications.some((x) => x.topic?.id === t.topic.id), 'an outsider hears nothing of it');
    assert.ok(!(await notices(fac)).notifications.some((x) => x.topic?.id === t.topic.id), 'code and mail are not mentions');
  });

  test('watching: a space or a topic; muting silences; the author watches their topic', async () => {
    await fieldError(await call(s, ben, 'POST', '/api/v1/spaces/staff-room/watch', { level: 'loud' }), 400, 'level');
    await ok(await call(s, ben, 'POST', '/api/v1/spaces/staff-room/watch', { level: 'watching' }));
    const t = await ok(await topic(ana, 'staff-room', { title: 'New idea', body: 'Let us try it' }), 201);
    let n = (await notices(ben)).notifications.filter((x) => x.topic?.id === t.topic.id);
    assert.deepEqual(n.map((x) => x.kind), ['watched'], 'a new topic in a watched space');
    await ok(await reply(fac, t.topic.id, { body: 'Sounds good' }), 201);
    n = (await notices(ana)).notifications.filter((x) => x.topic?.id === t.topic.id);
    assert.deepEqual(n.map((x) => x.kind), ['watched'], 'the author hears of replies');
    // Muting the topic silences even a mention.
    const heard = (await notices(ben)).notifications.filter((x) => x.topic?.id === t.topic.id).length;
    const w = await ok(await call(s, ben, 'POST', `/api/v1/topics/${t.topic.id}/watch`, { level: 'muted' }));
    assert.equal(w.topic.watch, 'muted');
    await ok(await reply(fac, t.topic.id, { body: `@${ben.user.handle} what do you think?` }), 201);
    n = (await notices(ben)).notifications.filter((x) => x.topic?.id === t.topic.id);
    assert.equal(n.length, heard, 'nothing new while muted');
    await ok(await call(s, ben, 'POST', '/api/v1/spaces/staff-room/watch', { level: 'normal' }));
    assert.equal((await call(s, null, 'POST', `/api/v1/topics/${t.topic.id}/watch`, { level: 'muted' })).status, 401);
  });

  test('replies to my post, and answers to my question, are told', async () => {
    const q = await ok(await topic(ben, 'staff-room', { title: 'Homework policy?', body: 'How much?', kind: 'question' }), 201);
    await ok(await call(s, ben, 'POST', `/api/v1/topics/${q.topic.id}/watch`, { level: 'normal' }));
    const a = await ok(await reply(ana, q.topic.id, { body: 'Little and often.' }), 201);
    let n = (await notices(ben)).notifications.filter((x) => x.topic?.id === q.topic.id);
    assert.deepEqual(n.map((x) => x.kind), ['answered']);
    await ok(await reply(fac, q.topic.id, { body: 'Agreed', reply_to: a.post.id }), 201);
    n = (await notices(ana)).notifications.filter((x) => x.topic?.id === q.topic.id);
    assert.equal(n[0].kind, 'reply');
  });

  test('notifications: read one, read all; reading the topic reads its notices', async () => {
    let j = await notices(ben);
    assert.ok(j.unread > 0);
    const first = j.notifications.find((x) => !x.read);
    const r = await ok(await call(s, ben, 'POST', '/api/v1/notifications/read', { id: first.id }));
    assert.equal(r.unread, j.unread - 1);
    assert.equal((await call(s, ben, 'POST', '/api/v1/notifications/read', { id: first.id })).status, 404);
    await fieldError(await call(s, ben, 'POST', '/api/v1/notifications/read', {}), 400, 'id');
    await ok(await call(s, ben, 'POST', '/api/v1/notifications/read', { all: true }));
    j = await notices(ben);
    assert.equal(j.unread, 0);
    assert.ok(j.notifications.every((x) => x.read));
    // A mention, then reading the topic: the notice is read.
    const t = await ok(await topic(ana, 'staff-room', { title: 'Ping', body: `@${ben.user.handle} look` }), 201);
    assert.equal((await notices(ben)).unread, 1);
    await ok(await call(s, ben, 'GET', `/api/v1/topics/${t.topic.id}`));
    assert.equal((await notices(ben)).unread, 0);
    assert.equal((await call(s, null, 'GET', '/api/v1/notifications')).status, 401);
    // The page shell shows the count.
    await ok(await topic(ana, 'staff-room', { title: 'Ping again', body: `@${ben.user.handle} and again` }), 201);
    const login = await s.fetch('/signin', {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ login: ben.user.handle, password: ben.password }).toString(),
    });
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith('praxis_session=')).split(';')[0];
    const home = await (await s.fetch('/', { headers: { cookie } })).text();
    assert.match(home, /data-unread="1"/);
  });

  test('private stays private: topics, posts, revisions, reactions, lists and notices', async () => {
    const t = await ok(await topic(ana, 'inner', { title: 'Inner circle only', body: `Secret plan @${ben.user.handle}` }), 201);
    const id = t.topic.id, pid = t.post.id;
    for (const who of [null, out]) {
      for (const [m, path, body] of [
        ['GET', `/api/v1/topics/${id}`], ['GET', `/api/v1/posts/${pid}/revisions`],
        ['GET', '/api/v1/spaces/inner/topics'], ['POST', `/api/v1/topics/${id}/posts`, { body: 'x' }],
        ['POST', `/api/v1/posts/${pid}/reactions`, { kind: 'like' }], ['POST', `/api/v1/topics/${id}/accept`, { post_id: 0 }],
        ['PATCH', `/api/v1/posts/${pid}`, { body: 'x' }], ['DELETE', `/api/v1/posts/${pid}`],
        ['POST', `/api/v1/topics/${id}/watch`, { level: 'watching' }], ['PATCH', `/api/v1/topics/${id}`, { title: 'x' }],
        ['POST', '/api/v1/spaces/inner/topics', { title: 'x', body: 'y' }], ['POST', '/api/v1/spaces/inner/watch', { level: 'watching' }],
      ]) {
        const res = await call(s, who, m, path, body);
        const want = who || m === 'GET' ? 404 : 401;
        assert.equal(res.status, want, `${who ? 'outsider' : 'anonymous'} ${m} ${path}`);
        if (want === 404) assert.doesNotMatch(await res.text(), /Inner circle|Secret/);
      }
    }
    // A member who leaves loses the notices of the space, in the list and the count.
    const bn = await notices(ben);
    assert.ok(bn.notifications.some((x) => x.topic?.id === id));
    const unreadBefore = bn.unread;
    await ok(await call(s, ben, 'POST', '/api/v1/spaces/inner/leave'), 204);
    const gone = await notices(ben);
    assert.ok(!gone.notifications.some((x) => x.space.slug === 'inner'));
    assert.ok(gone.unread < unreadBefore);
    assert.equal((await call(s, ben, 'GET', `/api/v1/topics/${id}`)).status, 404);
  });

  test('stops cleanly', async () => {
    assert.deepEqual(await s.stop(), { code: 0, signal: null });
  });
});

describe(`discussions with page-cache 0 on ${BACKEND}`, () => {
  let s;
  before(async () => {
    s = await startServer({ args: ['--page-cache', '0'] });
  });
  after(async () => s && (await s.stop()));

  test('nothing is kept, and pages read as ever', async () => {
    const who = await signup(s);
    await ok(await call(s, who, 'POST', '/api/v1/spaces', { slug: 'plain', name: 'Plain', purpose: 'p', visibility: 'public', join: 'open' }), 201);
    const t = (await ok(await call(s, who, 'POST', '/api/v1/spaces/plain/topics', { title: 'Uncached', body: 'Words' }), 201)).topic;
    for (let i = 0; i < 2; i++) assert.equal((await ok(await call(s, who, 'GET', `/api/v1/topics/${t.id}`))).posts[0].body, 'Words');
    const metrics = await (await s.fetch('/metrics')).text();
    assert.match(metrics, /^praxis_page_cache_hits_total 0$/m);
    assert.match(metrics, /^praxis_page_cache_pages 0$/m);
  });
});

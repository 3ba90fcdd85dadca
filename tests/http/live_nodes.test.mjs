// Two praxis serve nodes on one throwaway PostgreSQL: what is written on
// one reaches the streams held by the other (through LISTEN/NOTIFY),
// presence is the union of both, a reconnect to the other node replays what
// was missed, and a node killed with SIGKILL drops out of presence within
// its timeout (here 3 s) while the other carries on; a topic page one node
// keeps in memory shows what the other wrote at once. SQLite serves one node
// (live.test.mjs proves a second is refused), so this runs on PostgreSQL.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, signup, freshDatabase, psql, BACKEND } from './harness.mjs';
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

async function eventually(fn, ms) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > end) assert.fail(`not reached in ${ms} ms: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('two nodes on one PostgreSQL', { skip: BACKEND !== 'pg' && 'PostgreSQL only' }, () => {
  let a, b, owner, ana, ben, room;
  const keep = mkdtempSync(join(tmpdir(), 'praxis-nodes-'));
  const streams = [];
  const stream = (node, who, opts) => {
    const st = openStream(node.url + '/api/v1/stream', { auth: who.auth, ...opts });
    streams.push(st);
    return st;
  };
  const presence = async (node) => ok(await call(node, ana, 'GET', '/api/v1/spaces/staff-room/presence'));

  before(async () => {
    const db = freshDatabase(keep);
    // Pings every second find closed streams soon; a node silent for 3 s is gone.
    const args = ['--live-node-timeout', '3', '--live-ping', '1'];
    a = await startServer({ db, args });
    b = await startServer({ db, args });
    [owner, ana, ben] = await Promise.all([signup(a), signup(a), signup(b)]);
    await ok(await call(a, owner, 'POST', '/api/v1/spaces', { slug: 'staff-room', name: 'Staff room', purpose: 'p', visibility: 'private', join: 'open' }), 201);
    for (const who of [ana, ben]) {
      const inv = await ok(await call(a, owner, 'POST', '/api/v1/spaces/staff-room/invites', {}), 201);
      await ok(await call(b, who, 'POST', `/api/v1/invites/${inv.token}/accept`));
    }
    room = (await ok(await call(a, ana, 'POST', '/api/v1/spaces/staff-room/topics', { title: 'Across nodes', body: 'Hello.' }), 201)).topic;
  });
  after(async () => {
    for (const st of streams) st.close();
    for (const n of [a, b]) if (n && !n.exited) await n.stop();
    rmSync(keep, { recursive: true, force: true });
  });

  test('a post on node A reaches a stream on node B, and a mention its count', async () => {
    const onB = stream(b, ben, { query: `topics=${room.id}` });
    await onB.opened();
    const p = await ok(await call(a, ana, 'POST', `/api/v1/topics/${room.id}/posts`, { body: `Over to you, @${ben.user.handle}.` }), 201);
    const ev = await onB.event((e) => e.event === 'post' && e.json.post === p.post.id, 5000, 'the post from A');
    assert.equal(ev.json.author.handle, ana.user.handle);
    await onB.event((e) => e.event === 'notification' && e.json.unread >= 1, 5000, 'the count from A');
    // And back: a post on B reaches a stream on A.
    const onA = stream(a, ana, { query: `topics=${room.id}` });
    await onA.opened();
    const q = await ok(await call(b, ben, 'POST', `/api/v1/topics/${room.id}/posts`, { body: 'Back from B.' }), 201);
    await onA.event((e) => e.event === 'post' && e.json.post === q.post.id, 5000, 'the post from B');
    // A reader that moves from B to A gets what it missed in between.
    const last = onB.events.filter((e) => e.id).at(-1).id;
    onB.close();
    const r = await ok(await call(a, ana, 'POST', `/api/v1/topics/${room.id}/posts`, { body: 'While ben moved.' }), 201);
    const moved = stream(a, ben, { query: `topics=${room.id}`, lastEventId: last });
    await moved.event((e) => e.event === 'post' && e.json.post === r.post.id, 5000, 'the missed post on A');
    onA.close();
    moved.close();
  });

  test('a topic page one node keeps in memory shows what was written through the other at once', async () => {
    const read = async (node) => (await ok(await call(node, ana, 'GET', `/api/v1/topics/${room.id}`))).posts;
    const before = await read(a);
    await read(a); // kept by node A now
    const p = await ok(await call(b, ben, 'POST', `/api/v1/topics/${room.id}/posts`, { body: 'Written on B.' }), 201);
    let after = await read(a);
    assert.equal(after.length, before.length + 1);
    assert.equal(after.at(-1).body, 'Written on B.');
    await ok(await call(b, ben, 'PATCH', `/api/v1/posts/${p.post.id}`, { body: 'Edited on B.' }));
    await ok(await call(b, ben, 'POST', `/api/v1/posts/${after[0].id}/reactions`, { kind: 'insightful' }));
    after = await read(a);
    assert.equal(after.at(-1).body, 'Edited on B.');
    assert.equal(after[0].reactions.insightful.count, 1);
  });

  test('a node whose LISTEN connection is cut catches up on what went by meanwhile', async () => {
    const onB = stream(b, ben, { query: `topics=${room.id}` });
    await onB.opened();
    // Cut both nodes' listening connections (named praxis-live in pg_stat_activity; only
    // this test's database: other tests' servers share the cluster).
    const cut = psql(a.db, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'praxis-live' AND datname = current_database()");
    assert.equal(cut, '2', 'one listener per node');
    // Written while node B does not listen (it waits a second before connecting again).
    const p = await ok(await call(a, ana, 'POST', `/api/v1/topics/${room.id}/posts`, { body: 'Said while B was deaf.' }), 201);
    await onB.event((e) => e.event === 'post' && e.json.post === p.post.id, 8000, 'the post written during the cut');
    // Both listen again (each says so), and the next post arrives as usual.
    const again = /listening to other nodes again \(\d+ events? caught up\)/;
    await eventually(() => again.test(a.stderr) && again.test(b.stderr), 8000);
    const q = await ok(await call(a, ana, 'POST', `/api/v1/topics/${room.id}/posts`, { body: 'And after.' }), 201);
    await onB.event((e) => e.event === 'post' && e.json.post === q.post.id, 5000, 'the post after the cut');
    assert.equal(onB.events.filter((e) => e.event === 'post' && e.json.post === p.post.id).length, 1, 'once');
    onB.close();
  });

  test('presence is the union of the nodes, and a killed node drops out of it', async () => {
    const onB = stream(b, ben, { query: `spaces=staff-room&here=space:staff-room` });
    const onA = stream(a, ana, { query: 'spaces=staff-room&here=space:staff-room' });
    await Promise.all([onA.opened(), onB.opened()]);
    for (const node of [a, b]) {
      await eventually(async () => {
        const p = await presence(node);
        const online = p.online.map((x) => x.handle);
        return online.includes(ben.user.handle) && online.includes(ana.user.handle) &&
          p.here.some((x) => x.handle === ben.user.handle && x.page === 'space');
      }, 6000);
    }
    // ana's stream on A hears that ben (on B) is here.
    await onA.event((e) => e.event === 'presence' && e.json.user.handle === ben.user.handle && e.json.state === 'here', 5000, 'ben here, from B');
    await b.stop('SIGKILL', { expectClean: false });
    await eventually(async () => {
      const p = await presence(a);
      return !p.online.some((x) => x.handle === ben.user.handle) && p.online.some((x) => x.handle === ana.user.handle) && p;
    }, 10000);
    // A carries on: its streams still get posts.
    const p = await ok(await call(a, owner, 'POST', `/api/v1/topics/${room.id}/posts`, { body: 'Still here on A.' }), 201);
    const onA2 = stream(a, ana, { query: `topics=${room.id}` });
    await onA2.opened();
    const q = await ok(await call(a, owner, 'POST', `/api/v1/topics/${room.id}/posts`, { body: 'And again.' }), 201);
    await onA2.event((e) => e.event === 'post' && e.json.post === q.post.id, 5000, 'a post after the kill');
    assert.ok(p.post.id < q.post.id);
    onA.close();
    onA2.close();
  });
});

// Search over HTTP: ranking, excerpts with <mark> and escaped text, accents,
// every filter, operators and quotes as text, edits, deletions, titles and
// tags followed by the index, paging, the page itself, and private staying
// private: no result and nothing in any count for whoever may not read it.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signup, freshDatabase, BACKEND } from './harness.mjs';

// On PostgreSQL without PRAXIS_TEST_PG_URL the harness starts a cluster on
// first use and stops it in an after() hook; first used inside before(),
// that hook runs as soon as before() ends (node 20). Made here, at the top,
// the database and the cluster last the whole file.
const database = BACKEND === 'pg' ? freshDatabase('') : null;

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

async function fieldError(res, status, field) {
  const j = await res.json();
  assert.equal(res.status, status, JSON.stringify(j));
  assert.ok(j.error.fields?.[field], `${field} named in ${JSON.stringify(j)}`);
  return j.error.fields[field];
}

const qs = (params) => new URLSearchParams(params).toString();

describe(`search on ${BACKEND}`, () => {
  let s, ana, ben, cai, dee;
  const ids = {};
  const search = async (who, params, status = 200) =>
    ok(await call(s, who, 'GET', `/api/v1/search?${qs(params)}`), status);
  const postIds = (j) => j.results.map((r) => r.post.id);
  const topic = async (who, slug, body) => ok(await call(s, who, 'POST', `/api/v1/spaces/${slug}/topics`, body), 201);
  const reply = async (who, id, body) => (await ok(await call(s, who, 'POST', `/api/v1/topics/${id}/posts`, { body }), 201)).post;

  before(async () => {
    s = await startServer({ db: database });
    [ana, ben, cai, dee] = await Promise.all([signup(s), signup(s), signup(s), signup(s)]);
    await ok(await call(s, ana, 'POST', '/api/v1/spaces', { slug: 'staff', name: 'Staff Room', purpose: 'p', visibility: 'public', join: 'open' }), 201);
    await ok(await call(s, ana, 'POST', '/api/v1/spaces', { slug: 'inner', name: 'Inner Circle', purpose: 'p', visibility: 'private', join: 'invite' }), 201);
    // Two more private spaces: an outsider then sees one space of four, and the
    // SQLite index itself keeps to it (scope words); a member of two does not.
    for (const slug of ['quiet-one', 'quiet-two'])
      await ok(await call(s, ana, 'POST', '/api/v1/spaces', { slug, name: slug, purpose: 'p', visibility: 'private', join: 'invite' }), 201);
    await ok(await call(s, ben, 'POST', '/api/v1/spaces/staff/join'));
    for (const who of [ben, dee]) {
      const inv = await ok(await call(s, ana, 'POST', '/api/v1/spaces/inner/invites', {}), 201);
      await ok(await call(s, who, 'POST', `/api/v1/invites/${inv.token}/accept`));
    }
    const a = await topic(ana, 'staff', {
      title: 'Marking group projects fairly', body: 'We tried rubrics for group projects.',
      kind: 'question', tags: ['assessment', 'peer-review'],
    });
    ids.a = a.topic.id;
    ids.aOpening = a.post.id;
    ids.aReply = (await reply(ben, ids.a, 'Rubrics help, and peer grading too.')).id;
    const b = await topic(ben, 'staff', { title: 'Lunch plans', body: 'Group projects are hard to mark; a rubric helps.' });
    ids.b = b.topic.id;
    ids.bOpening = b.post.id;
    ids.cafe = (await reply(ana, ids.b, 'Our café trial: <script>alert("x")</script> & "quotes" went well.')).id;
    const secret = await topic(ana, 'inner', { title: 'Zanzibar budget', body: 'The zanzibar figures, confidential.' });
    ids.secret = secret.topic.id;
    await reply(ben, ids.secret, 'More zanzibar numbers.');
  });
  after(async () => {
    if (!s.exited) await s.stop();
  });

  test('a title match of the opening post ranks above body matches', async () => {
    const j = await search(null, { q: 'projects' });
    assert.equal(j.query, 'projects');
    assert.deepEqual(postIds(j).sort(), [ids.aOpening, ids.bOpening].sort());
    assert.equal(j.results[0].post.id, ids.aOpening, 'the title match first');
    const r = j.results[0];
    assert.deepEqual(r.post, { id: ids.aOpening, number: 1 });
    assert.deepEqual(r.topic, { id: ids.a, title: 'Marking group projects fairly', kind: 'question' });
    assert.deepEqual(r.space, { slug: 'staff', name: 'Staff Room' });
    assert.equal(r.author.handle, ana.user.handle);
    assert.equal(typeof r.created_at, 'number');
    assert.equal(j.next_cursor, null);
    // A reply does not carry its topic's title.
    assert.deepEqual(postIds(await search(null, { q: 'marking' })), [ids.aOpening]);
  });

  test('ranking and marks: title, then more mentions, then fewer; only the words marked', async () => {
    // Made oldest first, so that newer-first (the tie-break) would give the opposite order.
    const t = await topic(ana, 'staff', { title: 'Xylophone repairs', body: 'Bring your own tools and a soft cloth, please.' });
    const many = await reply(ben, t.topic.id, 'Xylophone practice: the xylophone sat by the window and the xylophone stayed in tune.');
    const once = await reply(ana, t.topic.id, 'Drum practice: the drum sat by the window, and the xylophone stayed in tune too.');
    // Anonymous callers see one space of four: on SQLite the index keeps to it (scope
    // words in the query, which must never count or be marked); ana sees all four.
    for (const who of [null, ana]) {
      const j = await search(who, { q: 'xylophone' });
      assert.deepEqual(postIds(j), [t.post.id, many.id, once.id], 'the title, three mentions, one');
      const snippet = Object.fromEntries(j.results.map((r) => [r.post.id, r.snippet_html]));
      assert.equal(snippet[t.post.id], 'Bring your own tools and a soft cloth, please.', 'a body without the word: no mark');
      assert.equal(snippet[once.id], 'Drum practice: the drum sat by the window, and the <mark>xylophone</mark> stayed in tune too.');
      assert.equal(snippet[many.id].match(/<mark>xylophone<\/mark>/gi).length, 3);
      assert.equal(snippet[many.id].match(/<mark>/g).length, 3);
    }
    // A phrase, and a word of it asked for again: each place marked once.
    const j = await search(null, { q: '"xylophone stayed" xylophone', author: ana.user.handle });
    assert.deepEqual(postIds(j), [once.id]);
    assert.match(j.results[0].snippet_html, /the <mark>xylophone(<\/mark> <mark>| )stayed<\/mark> in tune/);
    assert.equal(j.results[0].snippet_html.match(/<mark>/g).length, j.results[0].snippet_html.includes('</mark> <mark>') ? 2 : 1);
    // A word hundreds of times over: every one shown is marked. One far in: the excerpt begins near it.
    const yaks = await reply(ben, t.topic.id, `${'yak '.repeat(600)}and the end.`);
    const far = await reply(ben, t.topic.id, `${'filler '.repeat(100)}a narwhal at last.`);
    const y = await search(null, { q: 'yak' });
    assert.deepEqual(postIds(y), [yaks.id]);
    assert.match(y.results[0].snippet_html, /^<mark>yak<\/mark> <mark>yak<\/mark>/);
    assert.equal(y.results[0].snippet_html.replace(/<mark>yak<\/mark>|[ …]/g, ''), '', 'no yak left unmarked');
    const n = await search(null, { q: 'narwhal' });
    assert.deepEqual(postIds(n), [far.id]);
    assert.match(n.results[0].snippet_html, /^….* a <mark>narwhal<\/mark> at last\.$/);
  });

  test('excerpts mark the match and escape the text', async () => {
    const j = await search(null, { q: 'cafe' });
    assert.deepEqual(postIds(j), [ids.cafe], 'cafe finds café');
    const html = j.results[0].snippet_html;
    assert.match(html, /<mark>café<\/mark>/);
    assert.match(html, /&lt;script&gt;/);
    assert.doesNotMatch(html, /<script/i);
    assert.match(html, /&amp; &quot;quotes&quot;/);
    assert.doesNotMatch(html.replace(/<\/?mark>/g, ''), /[<>]/, 'no tag but <mark>');
    assert.deepEqual(postIds(await search(null, { q: 'CAFÉ' })), [ids.cafe]);
    assert.deepEqual(postIds(await search(null, { q: 'Café trial' })), [ids.cafe]);
  });

  test('words, phrases, exclusions, OR and prefixes', async () => {
    assert.deepEqual(postIds(await search(null, { q: '"group projects"' })).sort(), [ids.aOpening, ids.bOpening].sort());
    assert.deepEqual(postIds(await search(null, { q: '"projects group"' })), []);
    assert.deepEqual(postIds(await search(null, { q: 'projects -lunch' })), [ids.aOpening]);
    assert.deepEqual(postIds(await search(null, { q: 'projects -"hard to mark"' })), [ids.aOpening]);
    assert.deepEqual(postIds(await search(null, { q: 'peer OR trial' })).sort(), [ids.aOpening, ids.aReply, ids.cafe].sort());
    assert.deepEqual(postIds(await search(null, { q: 'rubri*' })).sort(), [ids.aOpening, ids.aReply, ids.bOpening].sort());
    const j = await search(null, { q: '  peer   "group  projects" -lunch trial OR x rubri* OR ' });
    assert.equal(j.query, 'peer "group projects" -lunch trial OR x rubri*', 'the query as understood');
  });

  test('operators and quotes of either backend are text: never a 500', async () => {
    for (const q of ['title:projects', 'NEAR(group projects)', '^group', 'group + projects', '(group', 'group)',
      '"unbalanced', 'a"b"c', 'projects AND NOT', '{title}: x', "it's", 'a\\b', 'x & y | !z <-> w:*', 'x:A',
      'rubric*:', '* rubric', '"', '***', '日本語', 'naïve', '\u202egroup', 'group\u0001projects']) {
      const res = await call(s, null, 'GET', `/api/v1/search?${qs({ q })}`);
      assert.ok([200, 400].includes(res.status), `${q}: ${res.status}`);
      const j = await res.json();
      if (res.status === 400) assert.ok(j.error.fields.q, q);
      else assert.ok(Array.isArray(j.results), q);
    }
    assert.deepEqual(postIds(await search(null, { q: 'group)' })).sort(), [ids.aOpening, ids.bOpening].sort());
    assert.deepEqual(postIds(await search(null, { q: '"unbalanced group projects' })), []);
    assert.deepEqual(postIds(await search(null, { q: 'NEAR(group projects)' })), [], 'near is a word here');
  });

  test('bad input names its field', async () => {
    await fieldError(await call(s, null, 'GET', '/api/v1/search'), 400, 'q');
    await fieldError(await call(s, null, 'GET', '/api/v1/search?q='), 400, 'q');
    await fieldError(await call(s, null, 'GET', '/api/v1/search?q=%20%20'), 400, 'q');
    await fieldError(await call(s, null, 'GET', '/api/v1/search?q=!!!'), 400, 'q');
    await fieldError(await call(s, null, 'GET', '/api/v1/search?q=-draft'), 400, 'q');
    await fieldError(await call(s, null, 'GET', `/api/v1/search?${qs({ q: 'x'.repeat(201) })}`), 400, 'q');
    await fieldError(await call(s, null, 'GET', `/api/v1/search?${qs({ q: 'w '.repeat(17) })}`), 400, 'q');
    assert.equal((await call(s, null, 'GET', `/api/v1/search?${qs({ q: 'é'.repeat(200) })}`)).status, 200);
    assert.equal((await call(s, null, 'GET', '/api/v1/search?q=%FF')).status, 400);
    await fieldError(await call(s, null, 'GET', '/api/v1/search?q=x&kind=poll'), 400, 'kind');
    await fieldError(await call(s, null, 'GET', '/api/v1/search?q=x&tag=not%20ok!'), 400, 'tag');
    await fieldError(await call(s, null, 'GET', '/api/v1/search?q=x&author=nobody-here'), 400, 'author');
    for (const c of ['x', '-20', '7', '200', '99999999'])
      await fieldError(await call(s, null, 'GET', `/api/v1/search?q=x&cursor=${c}`), 400, 'cursor');
  });

  test('filters: space, author, kind, tag', async () => {
    assert.deepEqual(postIds(await search(null, { q: 'rubric*', space: 'staff' })).sort(), [ids.aOpening, ids.aReply, ids.bOpening].sort());
    assert.deepEqual(postIds(await search(null, { q: 'rubric*', author: ben.user.handle })).sort(), [ids.aReply, ids.bOpening].sort());
    assert.deepEqual(postIds(await search(null, { q: 'rubric*', author: `@${ana.user.handle}` })), [ids.aOpening]);
    assert.deepEqual(postIds(await search(null, { q: 'rubric*', kind: 'question' })).sort(), [ids.aOpening, ids.aReply].sort());
    assert.deepEqual(postIds(await search(null, { q: 'rubric*', kind: 'announcement' })), []);
    assert.deepEqual(postIds(await search(null, { q: 'rubric*', tag: 'Peer Review' })).sort(), [ids.aOpening, ids.aReply].sort(), 'a tag as typed, made canonical');
    assert.deepEqual(postIds(await search(null, { q: 'rubric*', tag: 'assessment', author: ben.user.handle, kind: 'question', space: 'staff' })), [ids.aReply]);
    assert.deepEqual(postIds(await search(ben, { q: 'zanzibar', space: 'inner', author: ben.user.handle })).length, 1);
    assert.equal((await call(s, null, 'GET', '/api/v1/search?q=x&space=no-such-space')).status, 404);
  });

  test('tags are found, on the opening post only', async () => {
    assert.deepEqual(postIds(await search(null, { q: 'assessment' })), [ids.aOpening]);
    assert.deepEqual(postIds(await search(null, { q: '"peer review"' })), [ids.aOpening]);
  });

  test('edits, deletions, new titles and tags are followed', async () => {
    const p = await reply(ben, ids.b, 'A quokka visited the staff room.');
    assert.deepEqual(postIds(await search(null, { q: 'quokka' })), [p.id]);
    await ok(await call(s, ben, 'PATCH', `/api/v1/posts/${p.id}`, { body: 'A wombat visited the staff room.' }));
    assert.deepEqual(postIds(await search(null, { q: 'quokka' })), [], 'the old words are gone');
    assert.deepEqual(postIds(await search(null, { q: 'wombat' })), [p.id]);
    await ok(await call(s, ben, 'DELETE', `/api/v1/posts/${p.id}`, { reason: '' }));
    assert.deepEqual(postIds(await search(null, { q: 'wombat' })), [], 'a deleted post is not found');
    assert.deepEqual(postIds(await search(null, { q: 'staff room' })), []);

    await ok(await call(s, ben, 'PATCH', `/api/v1/topics/${ids.b}`, { title: 'Picnic arrangements', tags: ['outdoors', 'food'] }));
    assert.deepEqual(postIds(await search(null, { q: 'lunch' })), [], 'the old title is gone');
    assert.deepEqual(postIds(await search(null, { q: 'picnic' })), [ids.bOpening]);
    assert.deepEqual(postIds(await search(null, { q: 'outdoors' })), [ids.bOpening]);
    assert.deepEqual(postIds(await search(null, { q: 'cafe', tag: 'food' })), [ids.cafe], 'the tag filter covers replies');
    await ok(await call(s, ben, 'PATCH', `/api/v1/topics/${ids.b}`, { tags: [] }));
    assert.deepEqual(postIds(await search(null, { q: 'outdoors' })), []);
    assert.deepEqual(postIds(await search(null, { q: 'cafe', tag: 'food' })), []);
  });

  test('private stays private: outsiders, anonymous callers and leavers see nothing', async () => {
    const member = await search(ben, { q: 'zanzibar' });
    assert.equal(member.results.length, 2);
    assert.ok(member.results.every((r) => r.space.slug === 'inner'));
    assert.deepEqual(postIds(await search(ana, { q: 'zanzibar', space: 'inner' })).length, 2);
    for (const who of [null, cai]) {
      const j = await search(who, { q: 'zanzibar' });
      assert.deepEqual(j, { query: 'zanzibar', results: [], next_cursor: null });
      for (const q of ['zanzibar OR budget', 'zanz*', 'confidential', '"zanzibar figures"', 'budget -projects'])
        assert.deepEqual((await search(who, { q })).results, [], q);
      for (const extra of [{ space: 'inner' }, { space: 'inner', author: ana.user.handle }]) {
        const res = await call(s, who, 'GET', `/api/v1/search?${qs({ q: 'zanzibar', ...extra })}`);
        assert.equal(res.status, 404);
        const body = await res.text();
        assert.match(body, /there is no such space/);
        assert.doesNotMatch(body, /Inner|zanzibar/i);
      }
      const page = await call(s, who, 'GET', '/search?q=zanzibar');
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.doesNotMatch(html, /Zanzibar budget|Inner Circle|confidential/);
      assert.equal((await call(s, who, 'GET', '/search?q=zanzibar&space=inner')).status, 404);
    }
    // A member who leaves sees it no more.
    assert.equal((await search(dee, { q: 'zanzibar' })).results.length, 2);
    await ok(await call(s, dee, 'POST', '/api/v1/spaces/inner/leave'), 204);
    assert.deepEqual(await search(dee, { q: 'zanzibar' }), { query: 'zanzibar', results: [], next_cursor: null });
    assert.equal((await call(s, dee, 'GET', '/api/v1/search?q=zanzibar&space=inner')).status, 404);
  });

  test('pages of results, by cursor, each post once', async () => {
    const t = await topic(ana, 'staff', { title: 'Hedgehog census', body: 'A first hedgehog.' });
    for (let i = 0; i < 24; i++) await reply(ben, t.topic.id, `Hedgehog number ${i}.`);
    const first = await search(null, { q: 'hedgehog' });
    assert.equal(first.results.length, 20);
    assert.equal(first.next_cursor, '20');
    const second = await search(null, { q: 'hedgehog', cursor: first.next_cursor });
    assert.equal(second.results.length, 5);
    assert.equal(second.next_cursor, null);
    const all = [...postIds(first), ...postIds(second)];
    assert.equal(new Set(all).size, 25);
    assert.equal(all[0], t.post.id, 'the title match first');
  });

  test('the page: a form, results with marks, errors on the form, 404 for a hidden space', async () => {
    let res = await call(s, null, 'GET', '/search');
    assert.equal(res.status, 200);
    let html = await res.text();
    assert.match(html, /<form class="search" method="get" action="\/search" role="search"/);
    assert.match(html, /<label for="q">/);
    assert.doesNotMatch(html, /search-results/);
    res = await call(s, null, 'GET', `/search?${qs({ q: 'cafe' })}`);
    assert.equal(res.status, 200);
    html = await res.text();
    assert.match(html, /<mark>café<\/mark>/);
    assert.match(html, /&lt;script&gt;/);
    assert.doesNotMatch(html, /<script>alert/);
    assert.match(html, new RegExp(`href="/topics/${ids.b}\\?cursor=0\\.0#post-2"`));
    res = await call(s, null, 'GET', `/search?${qs({ q: 'nothing-like-this-anywhere' })}`);
    assert.match(await res.text(), /No posts you can read match that/);
    res = await call(s, null, 'GET', `/search?${qs({ q: '!!!', kind: 'poll' })}`);
    assert.equal(res.status, 400);
    html = await res.text();
    assert.match(html, /Your search has no words to look for/);
    assert.match(html, /Kind must be/);
    res = await call(s, null, 'GET', `/search?${qs({ q: 'x'.repeat(201) })}`);
    assert.equal(res.status, 400);
    // Many results: a link to the next page that keeps the query.
    res = await call(s, null, 'GET', `/search?${qs({ q: 'hedgehog "many" OR a&b' })}`);
    html = await res.text();
    assert.equal(res.status, 200);
    res = await call(s, null, 'GET', `/search?${qs({ q: 'hedgehog' })}`);
    html = await res.text();
    const next = html.match(/<a href="([^"]+)" rel="next">/);
    assert.ok(next, 'a next link');
    assert.equal(next[1].replace(/&amp;/g, '&'), '/search?q=hedgehog&cursor=20');
    // The header carries a search box on every page.
    html = await (await call(s, null, 'GET', '/')).text();
    assert.match(html, /<form class="site-search" method="get" action="\/search" role="search"/);
    assert.match(html, /<label class="visually-hidden" for="site-search-q">Search discussions<\/label>/);
  });
});

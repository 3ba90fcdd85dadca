// The pages of discussions over HTTP, as a browser without JavaScript uses
// them: the topic list with its filters, unread marks and watch control;
// starting a topic with field errors; a topic's page with replies, quotes,
// edits and their versions, deletions and tombstones, reactions, accepted
// answers and watching; opening at the first unread post; the
// notifications page; a space's Atom feed; and private spaces staying
// private (404) on every page and in the feed.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signup, sessionCookie, sql, BACKEND } from './harness.mjs';

const formBody = (fields) => new URLSearchParams(fields).toString();

// A person with an API token (for quick set-up) and a browser session with its CSRF token.
async function person(s, fields = {}) {
  const u = await signup(s, fields);
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

// POST a form as who would from a page: with the session cookie and, unless told not to, _csrf.
function post(s, who, path, fields = {}, { csrf = true } = {}) {
  const body = { ...(who && csrf ? { _csrf: who.csrf } : {}), ...fields };
  return s.fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(who ? { cookie: who.cookie } : {}) },
    body: formBody(body),
  });
}

// Set-up through the API, with the person's token.
async function api(s, who, method, path, body) {
  const res = await s.fetch(path, {
    method,
    headers: { authorization: who.auth, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}

async function page(res, status = 200) {
  const text = await res.text();
  assert.equal(res.status, status, text.slice(0, 3000));
  assert.match(res.headers.get('content-type'), /text\/html/);
  return text;
}

const main = (html) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));

// The hidden CSRF field on every form of a page carries the session's token.
function assertFormsCarryCsrf(html, who) {
  const forms = html.match(/<form[^>]*method="post"[\s\S]*?<\/form>/g) || [];
  assert.ok(forms.length > 0, 'the page has forms');
  for (const f of forms) assert.ok(f.includes(`name="_csrf" value="${who.csrf}"`), f.slice(0, 300));
}

// One post's <li>, by number.
function postOf(html, n) {
  const start = html.indexOf(`id="post-${n}"`);
  assert.ok(start >= 0, `post ${n} is on the page`);
  const end = html.indexOf('<li class="post', start + 10);
  return html.slice(start, end < 0 ? html.indexOf('</ol>', start) : end);
}

// The header's unread count (0 when the badge is absent).
function unreadOf(html) {
  const m = /data-unread="(\d+)"/.exec(html);
  return m ? Number(m[1]) : 0;
}

// A strict enough XML check for the feed: one root, balanced tags, quoted
// attributes, only the five named entities and character references, no
// stray '<' or '&' in text, and only characters XML 1.0 allows.
function assertWellFormedXml(xml) {
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>'), 'starts with the XML declaration');
  assert.doesNotMatch(xml, /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/, 'only XML characters');
  const body = xml.slice(xml.indexOf('?>') + 2);
  const stack = [];
  let roots = 0;
  let i = 0;
  const checkText = (t) => {
    assert.doesNotMatch(t, /</, 'no raw < in text');
    for (const m of t.matchAll(/&([^;\s]*);?/g)) {
      assert.match(m[0], /^&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);$/, `bad entity ${m[0]}`);
    }
  };
  while (i < body.length) {
    const lt = body.indexOf('<', i);
    if (lt < 0) {
      assert.match(body.slice(i), /^\s*$/, 'nothing after the root');
      break;
    }
    const text = body.slice(i, lt);
    if (!stack.length) assert.match(text, /^\s*$/, 'nothing but space outside the root');
    checkText(text);
    const gt = body.indexOf('>', lt);
    assert.ok(gt > lt, 'every tag closes');
    const tag = body.slice(lt + 1, gt);
    if (tag.startsWith('/')) {
      assert.equal(tag.slice(1).trim(), stack.pop(), 'tags balance');
    } else {
      const m = /^([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*="[^"<]*")*)\s*(\/?)$/.exec(tag);
      assert.ok(m, `a well-formed tag: <${tag}>`);
      for (const a of m[2].matchAll(/="([^"]*)"/g)) checkText(a[1]);
      if (!stack.length) roots++;
      if (!m[3]) stack.push(m[1]);
    }
    i = gt + 1;
  }
  assert.equal(stack.length, 0, 'every element closes');
  assert.equal(roots, 1, 'one root element');
}

describe(`discussion pages on ${BACKEND}`, () => {
  let s, ana, ben, cai, dee, eve;
  const slug = 'maths';
  const created = async (res) => {
    assert.equal(res.status, 303, await res.clone().text());
    const m = /^\/topics\/(\d+)$/.exec(res.headers.get('location'));
    assert.ok(m, res.headers.get('location'));
    return Number(m[1]);
  };
  const newTopic = (who, fields, space = slug) =>
    post(s, who, `/spaces/${space}/topics/new`, { kind: 'discussion', ...fields });
  const postId = async (topicId, number) =>
    Number(await sql(s, `SELECT id FROM posts WHERE topic_id = ${topicId} AND number = ${number}`));

  before(async () => {
    s = await startServer();
    [ana, ben, cai, dee, eve] = await Promise.all([
      person(s, { name: 'Ana Owner' }),
      person(s, { name: 'Ben Member' }),
      person(s, { name: 'Cai Outsider' }),
      person(s, { name: 'Dee Facilitator' }),
      person(s, { name: 'Eve <b>Bold</b>' }),
    ]);
    for (const [sl, vis] of [[slug, 'public'], ['inner', 'private']]) {
      await api(s, ana, 'POST', '/api/v1/spaces', { slug: sl, name: sl === slug ? 'Maths Teachers' : 'Inner Circle', purpose: 'Teaching maths & more.', visibility: vis, join: 'open' });
      for (const who of [ben, dee, eve]) {
        const inv = await api(s, ana, 'POST', `/api/v1/spaces/${sl}/invites`, {});
        await api(s, who, 'POST', `/api/v1/invites/${inv.token}/accept`);
      }
      await api(s, ana, 'PATCH', `/api/v1/spaces/${sl}/members/${dee.handle}`, { role: 'facilitator' });
    }
  });
  after(async () => {
    if (!s.exited) await s.stop();
  });

  test('the topic list: the Discussions tab, an empty list, and who may start a topic', async () => {
    let html = await page(await get(s, ben, `/spaces/${slug}`));
    assert.match(html, /<a href="\/spaces\/maths\/topics">Discussions<\/a>/);
    assert.match(html, /<link rel="alternate" type="application\/atom\+xml" title="Discussions in Maths Teachers \(Atom\)" href="\/spaces\/maths\/feed.atom">/);
    assert.match(main(html), /No topics yet/);
    html = await page(await get(s, ben, `/spaces/${slug}/topics`));
    assert.match(html, /<h1 id="page-title">Discussions<\/h1>/);
    assert.match(html, /aria-current="page">Discussions/);
    assert.match(html, /href="\/spaces\/maths\/topics\/new">New topic<\/a>/);
    assert.match(html, /No topics yet/);
    assert.match(html, /Notifications from this space/);
    assert.match(html, /application\/atom\+xml/);
    assertFormsCarryCsrf(html, ben);
    // An outsider reads, and is told how to take part; the anonymous are asked to sign in.
    html = await page(await get(s, cai, `/spaces/${slug}/topics`));
    assert.doesNotMatch(html, /New topic/);
    assert.match(html, /Join to take part/);
    html = await page(await get(s, null, `/spaces/${slug}/topics`));
    assert.match(html, /href="\/signin\?next=\/spaces\/maths\/topics">Sign in<\/a> to take part/);
    assert.doesNotMatch(html, /Notifications from this space/);
    // The form: members see it; an outsider hears why not; the anonymous go to sign in.
    html = await page(await get(s, ben, `/spaces/${slug}/topics/new`));
    assertFormsCarryCsrf(html, ben);
    assert.doesNotMatch(html, /value="announcement"/, 'announcements are for facilitators');
    assert.match(await page(await get(s, dee, `/spaces/${slug}/topics/new`)), /value="announcement"/);
    assert.match(await page(await get(s, cai, `/spaces/${slug}/topics/new`), 403), /join this space/);
    const res = await get(s, null, `/spaces/${slug}/topics/new`);
    assert.equal(res.status, 303);
    assert.match(res.headers.get('location'), /^\/signin\?next=/);
    // A private space has no feed link.
    assert.doesNotMatch(await page(await get(s, ben, '/spaces/inner')), /application\/atom\+xml/);
  });

  test('starting a topic: field errors with what was typed, then 303 to the topic', async () => {
    let html = await page(await newTopic(ben, { title: '', body: '  ', tags: 'algebra, Year 7' }), 400);
    assert.match(html, /id="title-error">Title is required\./);
    assert.match(html, /id="body-error">Your post is required\./);
    assert.match(html, /<a href="#title">Title is required\.<\/a>/);
    assert.match(html, /<a href="#body">Your post is required\.<\/a>/);
    assert.match(html, /value="algebra, Year 7"/, 'the tags typed stay');
    assert.match(html, /aria-invalid="true"/);
    assertFormsCarryCsrf(html, ben);
    // Too long, and escaped when shown again.
    html = await page(await newTopic(ben, { title: 'Fractions <i>first</i>', body: 'x'.repeat(20001) }), 400);
    assert.match(html, /id="body-error">Your post is too long\./);
    assert.match(html, /value="Fractions &lt;i&gt;first&lt;\/i&gt;"/);
    html = await page(await newTopic(ben, { title: 'T', body: 'B', tags: 'a,b,c,d,e,f' }), 400);
    assert.match(html, /id="tags-error">Tags may hold at most 5 tags\./);
    html = await page(await newTopic(ben, { title: 'T', body: 'B', kind: 'announcement' }), 403);
    assert.match(html, /id="kind-error">Kind only facilitators make announcements\./);
    assert.equal(await sql(s, 'SELECT count(*) FROM topics'), '0', 'nothing saved');
    // Without the CSRF token: refused before anything happens.
    let res = await post(s, ben, `/spaces/${slug}/topics/new`, { title: 'T', body: 'B' }, { csrf: false });
    assert.equal(res.status, 403);
    // Made.
    const id = await created(await newTopic(ben, {
      title: 'How do you introduce fractions?', body: 'I start with **pizza**.\n\n<script>alert(1)</script>',
      kind: 'question', tags: 'Fractions, year 7',
    }));
    html = await page(await get(s, ben, `/topics/${id}`));
    assert.match(html, /<h1 id="page-title">How do you introduce fractions\?<\/h1>/);
    assert.match(html, /<span class="badge badge-question">Question<\/span>/);
    assert.match(html, /badge-unanswered/);
    assert.match(html, /href="\/spaces\/maths\/topics\?tag=fractions"><span class="visually-hidden">Tag: <\/span>fractions<\/a>/);
    assert.match(html, /href="\/spaces\/maths\/topics\?tag=year-7"/);
    assert.match(html, /<strong>pizza<\/strong>/);
    assert.doesNotMatch(main(html), /<script/);
    assert.match(html, /<nav class="crumbs"[\s\S]*Maths Teachers[\s\S]*Discussions/);
    assert.match(postOf(html, 1), /href="\/people\/[^"]+">Ben Member<\/a>/);
    assertFormsCarryCsrf(html, ben);
    // It shows in the list, and in the tag's list, and on the space's page.
    html = await page(await get(s, ana, `/spaces/${slug}/topics`));
    assert.match(html, /How do you introduce fractions\?<\/a> <span class="unread-badge">New<\/span>/);
    assert.match(html, /No replies yet/);
    assert.match(html, /by <a href="\/people\/[^"]+">Ben Member<\/a>/);
    assert.match(await page(await get(s, ana, `/spaces/${slug}/topics?tag=fractions`)), /How do you introduce fractions/);
    assert.doesNotMatch(await page(await get(s, ana, `/spaces/${slug}/topics?tag=algebra`)), /How do you introduce fractions/);
    assert.match(await page(await get(s, ana, `/spaces/${slug}/topics?filter=unanswered`)), /How do you introduce fractions/);
    assert.match(main(await page(await get(s, null, `/spaces/${slug}`))), /How do you introduce fractions/);
    // A tag typed wrong comes back with its error; a bad cursor is a bad link.
    assert.match(await page(await get(s, ana, `/spaces/${slug}/topics?tag=${encodeURIComponent('no!')}`), 400), /id="tag-error">Tag /);
    assert.equal((await get(s, ana, `/spaces/${slug}/topics?cursor=nope`)).status, 400);
    // Announcements are pinned first.
    await created(await newTopic(dee, { title: 'Meeting on Friday', body: 'In room 4.', kind: 'announcement' }));
    html = await page(await get(s, ben, `/spaces/${slug}/topics`));
    assert.ok(html.indexOf('Meeting on Friday') < html.indexOf('How do you introduce fractions'), 'pinned first');
    assert.match(html, /badge-pinned">Pinned<\/span> <span class="badge badge-announcement">Announcement/);
  });

  test('replies, quotes, edits with their versions, deletions as tombstones', async () => {
    const id = await created(await newTopic(ana, { title: 'Homework: how much?', body: 'Line one\nline two' }));
    // Empty and too long: the form comes back under the posts, typed text kept.
    let html = await page(await post(s, ben, `/topics/${id}/reply`, { body: '' }), 400);
    assert.match(html, /id="body-error">Your reply is required\./);
    assert.match(html, /<a href="#body">Your reply is required\.<\/a>/);
    html = await page(await post(s, ben, `/topics/${id}/reply`, { body: 'y'.repeat(20001) }), 400);
    assert.match(html, /id="body-error">Your reply is too long\./);
    // A reply: 303 to the post, on its page.
    let res = await post(s, ben, `/topics/${id}/reply`, { body: 'Twenty minutes, @' + ana.handle + '.' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/topics/${id}?cursor=0.0#post-2`);
    // Reply to a post, and quote one: the form knows which, and the quote is prefilled.
    const p1 = await postId(id, 1);
    html = await page(await get(s, ben, `/topics/${id}?cursor=0.0&reply_to=${p1}`));
    assert.match(html, new RegExp(`name="reply_to" value="${p1}"`));
    assert.match(html, /Replying to <a href="[^"]*#post-1">#1 by Ana Owner<\/a>/);
    html = await page(await get(s, ben, `/topics/${id}?cursor=0.0&quote=${p1}`));
    assert.match(html, />\n&gt; Line one\n&gt; line two\n\n<\/textarea>/);
    assert.match(html, new RegExp(`name="reply_to" value="${p1}"`));
    assert.match(postOf(html, 1), new RegExp(`href="/topics/${id}\\?cursor=0.0&amp;quote=${p1}#reply">Quote`));
    res = await post(s, ben, `/topics/${id}/reply`, { body: '> Line one\n\nAgreed.', reply_to: String(p1) });
    assert.equal(res.headers.get('location'), `/topics/${id}?cursor=0.0#post-3`);
    html = await page(await get(s, ben, `/topics/${id}?cursor=0.0`));
    assert.match(postOf(html, 3), /<a href="#post-1">in reply to #1<\/a>/);
    assert.match(postOf(html, 3), /<blockquote>/);
    // Edit: only its author; the versions page shows both.
    const p3 = await postId(id, 3);
    assert.equal((await get(s, ana, `/posts/${p3}/edit`)).status, 403);
    html = await page(await get(s, ben, `/posts/${p3}/edit`));
    assert.match(html, />\n&gt; Line one\n\nAgreed\.<\/textarea>/);
    assertFormsCarryCsrf(html, ben);
    html = await page(await post(s, ben, `/posts/${p3}/edit`, { body: ' ' }), 400);
    assert.match(html, /id="body-error">Your post is required\./);
    res = await post(s, ben, `/posts/${p3}/edit`, { body: 'Agreed, **mostly**.' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/topics/${id}?cursor=0.0#post-3`);
    html = await page(await get(s, ben, `/topics/${id}?cursor=0.0`));
    assert.match(postOf(html, 3), new RegExp(`<a href="/posts/${p3}/revisions">edited</a>`));
    html = await page(await get(s, null, `/posts/${p3}/revisions`));
    assert.match(html, /Version 1/);
    assert.match(html, /Current version/);
    assert.ok(html.indexOf('Agreed.</p>') < html.indexOf('<strong>mostly</strong>'), 'oldest first');
    // Delete one's own: a tombstone, no reason needed.
    const p2 = await postId(id, 2);
    html = await page(await get(s, ben, `/posts/${p2}/delete`));
    assert.doesNotMatch(html, /id="reason"/);
    res = await post(s, ben, `/posts/${p2}/delete`);
    assert.equal(res.status, 303);
    html = await page(await get(s, ben, `/topics/${id}?cursor=0.0`));
    assert.match(postOf(html, 2), /<p class="tombstone">Deleted by its author\.<\/p>/);
    assert.doesNotMatch(postOf(html, 2), /Twenty minutes/);
    assert.equal((await get(s, ben, `/posts/${p2}/delete`)).status, 409);
    // A facilitator deletes someone else's post: a reason first.
    assert.equal((await get(s, eve, `/posts/${p3}/delete`)).status, 403, 'a member may not');
    html = await page(await get(s, dee, `/posts/${p3}/delete`));
    assert.match(html, /id="reason"/);
    html = await page(await post(s, dee, `/posts/${p3}/delete`, { reason: ' ' }), 400);
    assert.match(html, /id="reason-error">Reason is required when deleting someone else&#39;s post\./);
    res = await post(s, dee, `/posts/${p3}/delete`, { reason: 'a pupil\'s name' });
    assert.equal(res.status, 303);
    html = await page(await get(s, ben, `/topics/${id}?cursor=0.0`));
    assert.match(postOf(html, 3), new RegExp(`Deleted by @${dee.handle}: a pupil&#39;s name`));
    assert.match(await page(await get(s, ben, `/posts/${p3}/revisions`)), /was deleted/);
  });

  test('reactions toggle, say who, and are not for one\'s own posts', async () => {
    const id = await created(await newTopic(ana, { title: 'Share a good starter', body: 'Mine: estimate the room.' }));
    const p1 = await postId(id, 1);
    let html = await page(await get(s, ben, `/topics/${id}`));
    assert.match(postOf(html, 1), /<button class="reaction" type="submit" name="kind" value="thanks" aria-pressed="false">Thanks<\/button>/);
    assert.doesNotMatch(postOf(await page(await get(s, ana, `/topics/${id}`)), 1), /class="reactions"/, 'no buttons on one\'s own post');
    let res = await post(s, ben, `/posts/${p1}/react`, { kind: 'thanks' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/topics/${id}?cursor=0.0#post-1`);
    await post(s, eve, `/posts/${p1}/react`, { kind: 'thanks' });
    html = await page(await get(s, ben, `/topics/${id}?cursor=0.0`));
    // Who, in the order they reacted (the same second here, so either), names escaped.
    const both = '(Ben Member, Eve &lt;b&gt;Bold&lt;/b&gt;|Eve &lt;b&gt;Bold&lt;/b&gt;, Ben Member)';
    assert.match(postOf(html, 1), new RegExp(`value="thanks" aria-pressed="true" title="${both}">Thanks <span class="reaction-count">2</span>`));
    // The same page for a member who gave none (the page's posts are kept, rendered once): not pressed.
    assert.match(postOf(await page(await get(s, dee, `/topics/${id}?cursor=0.0`)), 1),
      new RegExp(`value="thanks" aria-pressed="false" title="${both}">Thanks <span class="reaction-count">2</span>`));
    // The author sees the count and who, without buttons.
    html = await page(await get(s, ana, `/topics/${id}?cursor=0.0`));
    assert.match(postOf(html, 1), new RegExp(`<li class="reaction" title="${both}">Thanks <span class="reaction-count">2</span>`));
    // Again: taken back.
    await post(s, ben, `/posts/${p1}/react`, { kind: 'thanks' });
    html = await page(await get(s, ben, `/topics/${id}?cursor=0.0`));
    assert.match(postOf(html, 1), /value="thanks" aria-pressed="false" title="Eve &lt;b&gt;Bold&lt;\/b&gt;">Thanks <span class="reaction-count">1<\/span>/);
    assert.equal((await post(s, ana, `/posts/${p1}/react`, { kind: 'thanks' })).status, 403, 'not one\'s own');
    assert.equal((await post(s, cai, `/posts/${p1}/react`, { kind: 'thanks' })).status, 403, 'outsiders join first');
    assert.equal((await post(s, ben, `/posts/${p1}/react`, { kind: 'love' })).status, 400);
  });

  test('accepting an answer: marked on the post, shown under the question, answered in the list', async () => {
    const id = await created(await newTopic(ben, { title: 'Times tables: drill or not?', body: 'Opinions?', kind: 'question' }));
    await post(s, ana, `/topics/${id}/reply`, { body: 'A little, daily.' });
    await post(s, eve, `/topics/${id}/reply`, { body: 'Games work better.' });
    const p2 = await postId(id, 2);
    let html = await page(await get(s, ben, `/topics/${id}?cursor=0.0`));
    assert.match(postOf(html, 2), /Accept this answer/);
    assert.doesNotMatch(postOf(html, 1), /Accept this answer/, 'not the question itself');
    assert.doesNotMatch(postOf(await page(await get(s, eve, `/topics/${id}?cursor=0.0`)), 2), /Accept this answer/, 'only the asker or a facilitator');
    assert.equal((await post(s, eve, `/topics/${id}/accept`, { post_id: String(p2) })).status, 403);
    const res = await post(s, ben, `/topics/${id}/accept`, { post_id: String(p2) });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/topics/${id}?cursor=0.0#post-2`);
    html = await page(await get(s, eve, `/topics/${id}?cursor=0.0`));
    assert.match(postOf(html, 2), /class="post is-accepted"|<p class="accepted-mark">Accepted answer<\/p>/);
    assert.match(postOf(html, 2), /<p class="accepted-mark">Accepted answer<\/p>/);
    assert.match(postOf(html, 1), /<aside class="accepted-summary"[\s\S]*By Ana Owner[\s\S]*A little, daily\./);
    assert.match(html, /badge-answered">Answered/);
    html = await page(await get(s, ben, `/spaces/${slug}/topics?filter=unanswered`));
    assert.doesNotMatch(html, /Times tables/);
    assert.match(await page(await get(s, ben, `/spaces/${slug}/topics`)), /Times tables[\s\S]*?badge-answered/);
    // Taken back.
    html = await page(await get(s, ben, `/topics/${id}?cursor=0.0`));
    assert.match(postOf(html, 2), /Take back the acceptance/);
    await post(s, ben, `/topics/${id}/accept`, { post_id: '0' });
    assert.doesNotMatch(await page(await get(s, ben, `/topics/${id}?cursor=0.0`)), /accepted-summary/);
    assert.equal((await post(s, ben, `/topics/${id}/accept`, {})).status, 400);
  });

  test('watching: the space and a topic, each level pressed and said', async () => {
    let res = await post(s, eve, `/spaces/${slug}/watch`, { level: 'watching' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/spaces/${slug}/topics?notice=watching`);
    let html = await page(await get(s, eve, res.headers.get('location')));
    assert.match(html, /role="status">You are watching this space now/);
    assert.match(html, /value="watching" aria-pressed="true"/);
    const id = await created(await newTopic(ana, { title: 'Watched topic', body: 'First.' }));
    html = await page(await get(s, eve, `/topics/${id}`));
    assert.match(html, /value="watching" aria-pressed="true"/);
    assert.match(html, /As for the whole space/);
    res = await post(s, eve, `/topics/${id}/watch`, { level: 'muted' });
    assert.equal(res.headers.get('location'), `/topics/${id}?notice=muted`);
    html = await page(await get(s, eve, `/topics/${id}?notice=muted`));
    assert.match(html, /role="status">You muted this topic/);
    assert.match(html, /value="muted" aria-pressed="true"/);
    assert.equal(await sql(s, `SELECT level FROM topic_watches WHERE topic_id = ${id} AND user_id = ${eve.user.id}`), 'muted');
    assert.equal((await post(s, eve, `/topics/${id}/watch`, { level: 'loud' })).status, 400);
    assert.equal((await post(s, eve, `/spaces/${slug}/watch`, {})).status, 400);
    // An outsider of a public space may watch it too; the anonymous sign in first.
    assert.equal((await post(s, cai, `/spaces/${slug}/watch`, { level: 'watching' })).status, 303);
    assert.equal((await post(s, null, `/spaces/${slug}/watch`, { level: 'watching' })).status, 401);
    await post(s, eve, `/spaces/${slug}/watch`, { level: 'normal' });
    await post(s, cai, `/spaces/${slug}/watch`, { level: 'normal' });
  });

  test('a topic opens at the first unread post, on its page; the list says how many are new', async () => {
    const id = await created(await newTopic(ana, { title: 'A long conversation', body: 'Post 1' }));
    for (let i = 2; i <= 60; i++) await api(s, ana, 'POST', `/api/v1/topics/${id}/posts`, { body: `Post ${i}` });
    // Never opened: the first page, no redirect; it is marked read up to post 50.
    let html = await page(await get(s, ben, `/topics/${id}`));
    assert.match(html, /Posts 1 to 50 of 60/);
    assert.match(html, new RegExp(`href="/topics/${id}\\?cursor=50.0" rel="next">Later posts`));
    assert.doesNotMatch(html, /New since your last visit/);
    assert.match(await page(await get(s, ben, `/spaces/${slug}/topics`)), /A long conversation<\/a> <span class="unread-badge">10 new<\/span>/);
    // Opened again: 303 to the page that holds post 51.
    let res = await get(s, ben, `/topics/${id}`);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/topics/${id}?cursor=50.0#post-51`);
    html = await page(await get(s, ben, res.headers.get('location')));
    assert.match(html, /Posts 51 to 60 of 60/);
    assert.match(postOf(html, 51), /New since your last visit/);
    assert.match(html, new RegExp(`href="/topics/${id}\\?cursor=0.0" rel="prev">Earlier posts`));
    // All read: no redirect, nothing new.
    assert.equal((await get(s, ben, `/topics/${id}`)).status, 200);
    assert.doesNotMatch(await page(await get(s, ben, `/spaces/${slug}/topics`)), /A long conversation<\/a> <span class="unread-badge">/);
    // One more: straight to it, on the page of posts 51 to 100; in a short topic, the first page.
    await api(s, ana, 'POST', `/api/v1/topics/${id}/posts`, { body: 'Post 61' });
    res = await get(s, ben, `/topics/${id}`);
    assert.equal(res.headers.get('location'), `/topics/${id}?cursor=50.0#post-61`);
    const short = await created(await newTopic(ana, { title: 'Short one', body: 'One' }));
    await get(s, ben, `/topics/${short}`);
    await api(s, ana, 'POST', `/api/v1/topics/${short}/posts`, { body: 'Two' });
    res = await get(s, ben, `/topics/${short}`);
    assert.equal(res.headers.get('location'), `/topics/${short}?cursor=0.0#post-2`);
    // The anonymous read without a redirect.
    assert.equal((await get(s, null, `/topics/${short}`)).status, 200);
  });

  test('notifications: in words, linking to the post, marked read one by one or all at once', async () => {
    const id = await created(await newTopic(ben, { title: 'Exit tickets', body: 'Do they work?', kind: 'question' }));
    await post(s, eve, `/topics/${id}/reply`, { body: `Yes, @${ben.handle}, every day.` });
    await post(s, ana, `/topics/${id}/reply`, { body: 'Sometimes.' });
    const p2 = await postId(id, 2);
    await post(s, ben, `/topics/${id}/accept`, { post_id: String(p2) });
    await post(s, ben, `/posts/${p2}/react`, { kind: 'helped' });
    await post(s, ana, `/posts/${p2}/react`, { kind: 'like' });
    let html = await page(await get(s, ben, '/notifications'));
    const before = unreadOf(html);
    assert.ok(before >= 2, `ben has unread notifications (${before})`);
    assert.match(html, /Eve &lt;b&gt;Bold&lt;\/b&gt; mentioned you in <a href="\/topics\/\d+\?cursor=0.0#post-2">Exit tickets<\/a>/);
    assert.match(html, /Your question <a href="\/topics\/\d+\?cursor=0.0#post-3">Exit tickets<\/a> got an answer from Ana Owner/);
    assertFormsCarryCsrf(html, ben);
    html = await page(await get(s, eve, '/notifications'));
    assert.match(html, /Your answer was accepted in <a href="[^"]*#post-2">Exit tickets<\/a> by Ben Member/);
    assert.match(html, /2 people reacted to your post in <a href="[^"]*#post-2">Exit tickets<\/a>/);
    assert.match(html, /class="notice-item is-unread"/);
    // Mark one read: the count goes down.
    html = await page(await get(s, ben, '/notifications'));
    const one = /action="\/notifications\/(\d+)\/read"/.exec(html)[1];
    let res = await post(s, ben, `/notifications/${one}/read`);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/notifications');
    html = await page(await get(s, ben, '/notifications'));
    assert.equal(unreadOf(html), before - 1);
    assert.equal((await post(s, ben, `/notifications/${one}/read`)).status, 303, 'again: nothing to do');
    assert.equal((await post(s, ben, '/notifications/abc/read')).status, 404);
    // All of them.
    res = await post(s, ben, '/notifications/read');
    assert.equal(res.headers.get('location'), '/notifications?notice=all-read');
    html = await page(await get(s, ben, '/notifications?notice=all-read'));
    assert.equal(unreadOf(html), 0);
    assert.match(html, /All read\./);
    assert.doesNotMatch(html, /is-unread/);
    // Signed in only.
    res = await get(s, null, '/notifications');
    assert.equal(res.status, 303);
    assert.equal((await post(s, null, '/notifications/read')).status, 401);
  });

  test('the Atom feed: well-formed, the newest topics, the opening post as escaped HTML', async () => {
    await created(await newTopic(ana, { title: 'Feeds & "quotes" <here>', body: 'A *fine* post with <b>tags</b> & an ampersand.', tags: 'rss' }));
    let res = await s.fetch(`/spaces/${slug}/feed.atom`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/atom+xml; charset=utf-8');
    const xml = await res.text();
    assertWellFormedXml(xml);
    assert.match(xml, /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/);
    assert.match(xml, /<title>Discussions in Maths Teachers<\/title>/);
    assert.match(xml, /<subtitle>Teaching maths &amp; more\.<\/subtitle>/);
    assert.match(xml, /<link rel="self" type="application\/atom\+xml" href="http:\/\/127\.0\.0\.1:\d+\/spaces\/maths\/feed\.atom"\/>/);
    assert.match(xml, /<updated>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/updated>/);
    const entries = xml.match(/<entry>[\s\S]*?<\/entry>/g);
    assert.ok(entries.length >= 5, 'the space\'s topics');
    const first = entries[0];
    assert.match(first, /<title>Feeds &amp; &quot;quotes&quot; &lt;here&gt;<\/title>/);
    assert.match(first, /<id>http:\/\/127\.0\.0\.1:\d+\/topics\/\d+<\/id>/);
    assert.match(first, /<link rel="alternate" type="text\/html" href="http:\/\/127\.0\.0\.1:\d+\/topics\/\d+"\/>/);
    assert.match(first, /<author><name>Ana Owner<\/name><\/author>/);
    assert.match(first, /<category term="rss"\/>/);
    assert.match(first, /<content type="html">&lt;p&gt;A &lt;em&gt;fine&lt;\/em&gt; post with tags &amp;amp; an ampersand\.&lt;\/p&gt;\n?<\/content>/);
    assert.doesNotMatch(xml, /<b>/);
    // A configured public address is what the links use.
    const s2 = await startServer({ args: ['--public-url', 'https://praxis.example.org/'] });
    try {
      const u = await signup(s2);
      await api(s2, u, 'POST', '/api/v1/spaces', { slug: 'open', name: 'Open', purpose: 'p', visibility: 'public', join: 'open' });
      await api(s2, u, 'POST', '/api/v1/spaces/open/topics', { title: 'Hello', body: 'World' });
      const x2 = await (await s2.fetch('/spaces/open/feed.atom')).text();
      assertWellFormedXml(x2);
      assert.match(x2, /<id>https:\/\/praxis\.example\.org\/spaces\/open\/feed\.atom<\/id>/);
      assert.match(x2, /<link rel="alternate" type="text\/html" href="https:\/\/praxis\.example\.org\/topics\/1"\/>/);
    } finally {
      await s2.stop();
    }
  });

  test('a private space: 404 on every page to outsiders and the anonymous, and no feed for anyone', async () => {
    const id = await created(await newTopic(ben, { title: 'Secret plans', body: 'Hush.' }, 'inner'));
    const p1 = await postId(id, 1);
    assert.match(await page(await get(s, ben, '/spaces/inner/topics')), /Secret plans/);
    assert.match(await page(await get(s, eve, `/topics/${id}`)), /Hush\./);
    for (const who of [cai, null]) {
      for (const path of ['/spaces/inner/topics', `/topics/${id}`, `/posts/${p1}/revisions`]) {
        const html = await page(await get(s, who, path), 404);
        assert.doesNotMatch(html, /Secret plans|Hush/, path);
      }
    }
    assert.equal((await get(s, cai, '/spaces/inner/topics/new')).status, 404);
    assert.equal((await get(s, cai, `/posts/${p1}/edit`)).status, 404);
    assert.equal((await get(s, cai, `/posts/${p1}/delete`)).status, 404);
    for (const [path, fields] of [
      ['/spaces/inner/topics/new', { title: 'x', body: 'y' }], [`/topics/${id}/reply`, {}], [`/topics/${id}/accept`, {}],
      [`/topics/${id}/watch`, {}], ['/spaces/inner/watch', {}], [`/posts/${p1}/react`, {}],
      [`/posts/${p1}/edit`, {}], [`/posts/${p1}/delete`, {}],
    ]) {
      assert.equal((await post(s, cai, path, fields)).status, 404, path);
      assert.equal((await post(s, null, path, fields)).status, 401, path);
    }
    for (const who of [null, cai, ben, ana]) {
      const res = await get(s, who, '/spaces/inner/feed.atom');
      assert.equal(res.status, 404, `feed for ${who ? who.name : 'anonymous'}`);
    }
    assert.equal((await s.fetch('/spaces/nowhere/feed.atom')).status, 404);
    assert.equal((await s.fetch('/topics/999999')).status, 404);
    assert.equal((await s.fetch('/topics/abc')).status, 404);
    // A member's notifications about a space they left go with it.
    assert.doesNotMatch(await page(await get(s, cai, '/notifications')), /Secret plans/);
  });

  test('stops cleanly', async () => {
    assert.deepEqual(await s.stop(), { code: 0, signal: null });
  });
});

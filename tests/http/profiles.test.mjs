// Profiles over HTTP: the API (GET and PATCH /api/v1/users/{handle}), the
// profile page, and the edit form with its CSRF token; each rule of each field.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signup, sessionCookie, sql, run, BACKEND } from './harness.mjs';

const patch = (auth, body, headers = {}) => ({
  method: 'PATCH',
  headers: { 'content-type': 'application/json', authorization: auth, ...headers },
  body: JSON.stringify(body),
});
const form = (fields, headers = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  body: new URLSearchParams(fields).toString(),
});

async function getUser(s, handle) {
  const res = await s.fetch(`/api/v1/users/${handle}`);
  assert.equal(res.status, 200);
  return (await res.json()).user;
}

// PATCH and expect 400; resolves to the error's fields.
async function refused(s, u, body) {
  const res = await s.fetch(`/api/v1/users/${u.user.handle}`, patch(u.auth, body));
  const j = await res.json();
  assert.equal(res.status, 400, JSON.stringify(j));
  assert.equal(j.error.code, 'invalid');
  return j.error.fields || {};
}

const countActivity = (s, id) =>
  sql(s, `SELECT count(*) FROM activity WHERE verb = 'profile-update' AND object_id = ${id}`);

describe(`profiles API on ${BACKEND}`, () => {
  let s;
  before(async () => {
    s = await startServer();
  });
  after(async () => {
    if (!s.exited) await s.stop();
  });

  test('a new profile: name and handle, UTC, no bio, empty lists, never the email', async () => {
    const u = await signup(s, { name: 'Ada Lovelace' });
    const res = await s.fetch(`/api/v1/users/${u.user.handle}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /application\/json/);
    const j = await res.json();
    assert.deepEqual(Object.keys(j.user).sort(),
      ['bio', 'bio_html', 'created_at', 'handle', 'id', 'interests', 'last_active', 'name', 'timezone']);
    assert.equal(j.user.id, u.user.id);
    assert.equal(j.user.handle, u.user.handle);
    assert.equal(j.user.name, 'Ada Lovelace');
    assert.equal(j.user.bio, '');
    assert.equal(j.user.bio_html, '');
    assert.equal(j.user.timezone, 'UTC');
    assert.equal(typeof j.user.created_at, 'number');
    assert.equal(j.user.last_active, null, 'never on a live page yet');
    assert.deepEqual(j.user.interests, { help: [], learn: [], interest: [] });
    // Not even for the person themselves.
    const own = await s.fetch(`/api/v1/users/${u.user.handle}`, { headers: { authorization: u.auth } });
    assert.doesNotMatch(await own.text(), /@example\.org/);
  });

  test('an unknown handle: 404 to GET and to PATCH, whatever the body', async () => {
    const u = await signup(s);
    let res = await s.fetch('/api/v1/users/nobody_here');
    assert.equal(res.status, 404);
    assert.equal((await res.json()).error.code, 'not_found');
    res = await s.fetch('/api/v1/users/nobody_here', patch(u.auth, { name: 7 }));
    assert.equal(res.status, 404);
    assert.equal((await res.json()).error.fields, undefined);
  });

  test('PATCH each field alone; the others stay as they were', async () => {
    const u = await signup(s, { name: 'Before' });
    const h = u.user.handle;
    let res = await s.fetch(`/api/v1/users/${h}`, patch(u.auth, { name: '  Grace Hopper  ' }));
    assert.equal(res.status, 200);
    let j = (await res.json()).user;
    assert.equal(j.name, 'Grace Hopper', 'trimmed');
    assert.equal(j.timezone, 'UTC');

    res = await s.fetch(`/api/v1/users/${h}`, patch(u.auth, { timezone: 'America/New_York' }));
    assert.equal(res.status, 200);
    j = (await res.json()).user;
    assert.equal(j.timezone, 'America/New_York');
    assert.equal(j.name, 'Grace Hopper');

    res = await s.fetch(`/api/v1/users/${h}`, patch(u.auth, { bio: 'I teach *physics*.' }));
    assert.equal(res.status, 200);
    j = (await res.json()).user;
    assert.equal(j.bio, 'I teach *physics*.');
    assert.equal(j.bio_html, '<p>I teach <em>physics</em>.</p>\n');

    res = await s.fetch(`/api/v1/users/${h}`, patch(u.auth, { interests: { learn: ['Rubrics'] } }));
    assert.equal(res.status, 200);
    j = (await res.json()).user;
    assert.deepEqual(j.interests, { help: [], learn: ['Rubrics'], interest: [] });

    const stored = await getUser(s, h);
    assert.equal(stored.name, 'Grace Hopper');
    assert.equal(stored.timezone, 'America/New_York');
    assert.equal(stored.bio, 'I teach *physics*.');
    assert.deepEqual(stored.interests.learn, ['Rubrics']);

    res = await s.fetch(`/api/v1/users/${h}`, patch(u.auth, { bio: '' }));
    j = (await res.json()).user;
    assert.equal(j.bio, '', 'a bio can be cleared');
    assert.equal(j.bio_html, '');
  });

  test('every save appends one profile-update to the activity log, in its transaction', async () => {
    const u = await signup(s);
    const h = u.user.handle;
    assert.equal(await countActivity(s, u.user.id), '0');
    await s.fetch(`/api/v1/users/${h}`, patch(u.auth, { name: 'One' }));
    await s.fetch(`/api/v1/users/${h}`, patch(u.auth, { interests: { help: ['x'] } }));
    assert.equal(await countActivity(s, u.user.id), '2');
    assert.equal(await sql(s, `SELECT actor_id || ' ' || object_type FROM activity WHERE verb = 'profile-update' AND object_id = ${u.user.id} ORDER BY id LIMIT 1`),
      `${u.user.id} user`);
    // Nothing to change: no write, no row.
    let res = await s.fetch(`/api/v1/users/${h}`, patch(u.auth, {}));
    assert.equal(res.status, 200);
    // Refused: no row either, and nothing changed (the good field is not half-saved).
    res = await s.fetch(`/api/v1/users/${h}`, patch(u.auth, { name: 'Two', timezone: 'Nowhere/Land' }));
    assert.equal(res.status, 400);
    assert.equal(await countActivity(s, u.user.id), '2');
    assert.equal((await getUser(s, h)).name, 'One');
  });

  test("someone else's profile: 403, and nothing changes", async () => {
    const u = await signup(s, { name: 'Owner' });
    const other = await signup(s);
    const res = await s.fetch(`/api/v1/users/${u.user.handle}`, patch(other.auth, { name: 'Intruder', bio: 12 }));
    assert.equal(res.status, 403);
    const j = await res.json();
    assert.equal(j.error.code, 'forbidden');
    assert.equal(j.error.fields, undefined, 'a 403 does not review the input');
    assert.equal((await getUser(s, u.user.handle)).name, 'Owner');
  });

  test('an instance admin may edit anyone, and the log names the admin', async () => {
    const u = await signup(s, { name: 'Member' });
    const admin = await signup(s);
    const r = await run(['admin', 'add', admin.user.handle, '--db', s.db]);
    assert.equal(r.code, 0, r.stderr);
    const res = await s.fetch(`/api/v1/users/${u.user.handle}`, patch(admin.auth, { name: 'Member (edited)' }));
    assert.equal(res.status, 200);
    assert.equal((await getUser(s, u.user.handle)).name, 'Member (edited)');
    assert.equal(await sql(s, `SELECT actor_id FROM activity WHERE verb = 'profile-update' AND object_id = ${u.user.id}`),
      String(admin.user.id));
  });

  test('anonymous PATCH: 401', async () => {
    const u = await signup(s);
    const res = await s.fetch(`/api/v1/users/${u.user.handle}`, {
      method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"name":"Anon"}',
    });
    assert.equal(res.status, 401);
    assert.equal((await res.json()).error.code, 'unauthenticated');
  });

  test('PATCH with a session cookie needs the CSRF header', async () => {
    const u = await signup(s);
    const cookie = sessionCookie(await s.fetch('/signin', form({ login: u.user.handle, password: u.password })));
    const body = JSON.stringify({ name: 'By cookie' });
    let res = await s.fetch(`/api/v1/users/${u.user.handle}`, {
      method: 'PATCH', headers: { 'content-type': 'application/json', cookie }, body,
    });
    assert.equal(res.status, 403);
    const { csrf_token: csrf } = await (await s.fetch('/api/v1/me', { headers: { cookie } })).json();
    res = await s.fetch(`/api/v1/users/${u.user.handle}`, {
      method: 'PATCH', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf }, body,
    });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).user.name, 'By cookie');
  });

  test('time zones: IANA names from the tz database only', async () => {
    const u = await signup(s);
    for (const tz of ['Europe/Paris', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5', 'UTC', 'Asia/Kolkata']) {
      const res = await s.fetch(`/api/v1/users/${u.user.handle}`, patch(u.auth, { timezone: tz }));
      assert.equal(res.status, 200, tz);
      assert.equal((await res.json()).user.timezone, tz);
    }
    for (const tz of ['Mars/Olympus_Mons', 'europe/paris', '../../../etc/passwd', '/etc/passwd', 'Europe',
      'zone.tab', 'posix/Europe/Paris', 'Europe/Paris/', 'Europe//Paris', 'Europe/Paris;rm', '', ' ',
      'A'.repeat(65)]) {
      const fields = await refused(s, u, { timezone: tz });
      assert.match(fields.timezone || '', /like Europe\/Paris|required/, `${JSON.stringify(tz)}: ${JSON.stringify(fields)}`);
    }
    assert.equal((await getUser(s, u.user.handle)).timezone, 'Asia/Kolkata');
  });

  test('name: required, at most 80 characters, one line', async () => {
    const u = await signup(s);
    assert.match((await refused(s, u, { name: '   ' })).name, /required/);
    assert.match((await refused(s, u, { name: 'é'.repeat(81) })).name, /longer than 80/);
    assert.match((await refused(s, u, { name: 'two\nlines' })).name, /line breaks/);
    assert.match((await refused(s, u, { name: 42 })).name, /string/);
    const res = await s.fetch(`/api/v1/users/${u.user.handle}`, patch(u.auth, { name: 'é'.repeat(80) }));
    assert.equal(res.status, 200);
  });

  test('bio: at most 2000 characters', async () => {
    const u = await signup(s);
    assert.match((await refused(s, u, { bio: 'x'.repeat(2001) })).bio, /longer than 2000/);
    assert.match((await refused(s, u, { bio: 'x'.repeat(5000) })).bio, /too long/);
    assert.match((await refused(s, u, { bio: ['a list'] })).bio, /string/);
    let res = await s.fetch(`/api/v1/users/${u.user.handle}`, patch(u.auth, { bio: 'é'.repeat(2000) }));
    assert.equal(res.status, 200, '2000 characters of two bytes');
    // Line breaks count once, however they were sent.
    res = await s.fetch(`/api/v1/users/${u.user.handle}`, patch(u.auth, { bio: 'ab\r\n'.repeat(500) }));
    assert.equal(res.status, 200);
    assert.equal((await res.json()).user.bio, 'ab\n'.repeat(500));
  });

  test('bio Markdown is rendered; raw HTML and javascript: links are removed', async () => {
    const u = await signup(s);
    const bio = [
      '# Hello', '', 'I am **bold** and _calm_. [My site](https://example.org/me)',
      '', '<script>alert(1)</script>', '', '<img src=x onerror="alert(2)">',
      '', '[click](javascript:alert(3)) and [also](JaVaScRiPt:alert(4))',
      '', '- one', '- two', '', '<a href="javascript:alert(5)">raw</a>',
    ].join('\n');
    const res = await s.fetch(`/api/v1/users/${u.user.handle}`, patch(u.auth, { bio }));
    assert.equal(res.status, 200);
    const { user } = await res.json();
    assert.equal(user.bio, bio, 'the source is kept as written');
    assert.match(user.bio_html, /<strong>bold<\/strong>/);
    assert.match(user.bio_html, /<em>calm<\/em>/);
    assert.match(user.bio_html, /<a [^>]*href="https:\/\/example\.org\/me"[^>]*>My site<\/a>/);
    assert.match(user.bio_html, /rel="nofollow ugc noopener"/);
    assert.match(user.bio_html, /<li>one<\/li>/);
    assert.doesNotMatch(user.bio_html, /<script|onerror|javascript:|<img/i);
    const page = await (await s.fetch(`/people/${u.user.handle}`)).text();
    assert.match(page, /<strong>bold<\/strong>/);
    assert.doesNotMatch(page, /<script>alert|onerror|javascript:/i);
  });

  test('interests: each given list is replaced whole, trimmed, de-duplicated in any case', async () => {
    const u = await signup(s);
    const h = u.user.handle;
    let res = await s.fetch(`/api/v1/users/${h}`, patch(u.auth, {
      interests: {
        help: ['Assessment', '  assessment ', 'ASSESSMENT', 'Formative   feedback', 'Ünterricht', 'ünterricht'],
        learn: ['Rubrics'],
        interest: ['Peer review'],
      },
    }));
    assert.equal(res.status, 200);
    assert.deepEqual((await res.json()).user.interests, {
      help: ['Assessment', 'Formative feedback', 'Ünterricht'],
      learn: ['Rubrics'],
      interest: ['Peer review'],
    });
    // Only help is given: learn and interest stay; help is replaced, in the order given.
    res = await s.fetch(`/api/v1/users/${h}`, patch(u.auth, { interests: { help: ['Zebra crossings', 'Algebra'] } }));
    assert.deepEqual((await res.json()).user.interests, {
      help: ['Zebra crossings', 'Algebra'], learn: ['Rubrics'], interest: ['Peer review'],
    });
    // An empty list clears; null leaves as is.
    res = await s.fetch(`/api/v1/users/${h}`, patch(u.auth, { interests: { learn: [], interest: null } }));
    assert.deepEqual((await res.json()).user.interests, {
      help: ['Zebra crossings', 'Algebra'], learn: [], interest: ['Peer review'],
    });
    // Stored with a lower-cased key, for the directory's search.
    assert.equal(await sql(s, `SELECT label_key FROM interests WHERE user_id = ${u.user.id} AND kind = 'help' ORDER BY position`),
      'zebra crossings\nalgebra');
  });

  test('interests: too many, too long, empty or not strings are named by list', async () => {
    const u = await signup(s);
    const many = Array.from({ length: 21 }, (_, i) => `topic ${i}`);
    let f = await refused(s, u, { interests: { help: many } });
    assert.equal(f['interests.help'], 'has more than 20 entries');
    f = await refused(s, u, { interests: { learn: ['ok', 'x'.repeat(61)] } });
    assert.equal(f['interests.learn'], 'has an entry longer than 60 characters');
    f = await refused(s, u, { interests: { interest: ['fine', '   '] } });
    assert.equal(f['interests.interest'], 'has an empty entry');
    f = await refused(s, u, { interests: { help: ['a\u0007b'] } });
    assert.match(f['interests.help'], /control characters/);
    f = await refused(s, u, { interests: { help: 'assessment' } });
    assert.equal(f['interests.help'], 'must be a list of strings');
    f = await refused(s, u, { interests: { help: ['ok', 3] } });
    assert.equal(f['interests.help'], 'must be a list of strings');
    f = await refused(s, u, { interests: { help: [{ label: 'x' }] } });
    assert.equal(f['interests.help'], 'must be a list of strings');
    f = await refused(s, u, { interests: ['help'] });
    assert.match(f.interests, /must be an object/);
    f = await refused(s, u, { interests: 'help' });
    assert.match(f.interests, /must be an object/);
    f = await refused(s, u, { interests: { teach: ['x'] } });
    assert.match(f.interests, /only the lists help, learn and interest/);
    // Several problems at once, each named.
    f = await refused(s, u, { name: '', timezone: 'Nowhere', interests: { help: 1, learn: many } });
    assert.deepEqual(Object.keys(f).sort(), ['interests.help', 'interests.learn', 'name', 'timezone']);
    // 25 entries that are 20 once duplicates go are fine; 60 characters are fine.
    const dupes = [...Array.from({ length: 20 }, (_, i) => `Topic ${i}`), 'TOPIC 1', 'topic 2', 'Topic 3', 'topic 4', 'TOPIC 5'];
    const res = await s.fetch(`/api/v1/users/${u.user.handle}`, patch(u.auth, { interests: { help: dupes, learn: ['y'.repeat(60)] } }));
    assert.equal(res.status, 200);
    const j = (await res.json()).user;
    assert.equal(j.interests.help.length, 20);
    assert.equal(j.interests.learn[0].length, 60);
  });

  test('a body that is not a JSON object: 400', async () => {
    const u = await signup(s);
    const res = await s.fetch(`/api/v1/users/${u.user.handle}`, {
      method: 'PATCH', headers: { 'content-type': 'application/json', authorization: u.auth }, body: '["name"]',
    });
    assert.equal(res.status, 400);
  });

  test('stops cleanly', async () => {
    assert.deepEqual(await s.stop(), { code: 0, signal: null });
  });
});

describe(`profile pages on ${BACKEND}`, () => {
  let s;
  before(async () => {
    s = await startServer();
  });
  after(async () => {
    if (!s.exited) await s.stop();
  });

  // Sign in on the page: the session cookie and the form's CSRF token.
  async function signIn(u) {
    const res = await s.fetch('/signin', form({ login: u.user.handle, password: u.password }));
    assert.equal(res.status, 303);
    return sessionCookie(res);
  }
  async function csrfOf(cookie) {
    const res = await s.fetch('/settings/profile', { headers: { cookie } });
    assert.equal(res.status, 200);
    const html = await res.text();
    const m = /<input type="hidden" name="_csrf" value="([^"]+)">/.exec(html);
    assert.ok(m, 'the form carries a CSRF token');
    return { csrf: m[1], html };
  }

  test('the profile page shows it all, escaped', async () => {
    const u = await signup(s, { name: 'Amy <b>"Bold"</b> & Co' });
    const res = await s.fetch(`/api/v1/users/${u.user.handle}`, patch(u.auth, {
      bio: 'Teaching **maths** in Leeds.',
      timezone: 'America/New_York',
      interests: {
        help: ['Lesson study', '<script>alert(1)</script>'],
        learn: ['Feedback that "lands"'],
        interest: ["O'Reilly & sons"],
      },
    }));
    assert.equal(res.status, 200);
    const page = await s.fetch(`/people/${u.user.handle}`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<title>Amy &lt;b&gt;&quot;Bold&quot;&lt;\/b&gt; &amp; Co · /);
    assert.match(html, /<h1 id="profile-name">Amy &lt;b&gt;&quot;Bold&quot;&lt;\/b&gt; &amp; Co<\/h1>/);
    assert.match(html, new RegExp(`@${u.user.handle}`));
    assert.match(html, /<p>Teaching <strong>maths<\/strong> in Leeds\.<\/p>/);
    assert.match(html, /America\/New York/, 'the zone, readable');
    assert.match(html, /<h2 id="help-title">Can help with<\/h2>/);
    assert.match(html, /<h2 id="learn-title">Wants to learn<\/h2>/);
    assert.match(html, /<h2 id="interest-title">Interested in<\/h2>/);
    assert.match(html, /<li>Lesson study<\/li>/);
    assert.match(html, /<li>&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/li>/);
    assert.match(html, /<li>Feedback that &quot;lands&quot;<\/li>/);
    assert.match(html, /<li>O&#39;Reilly &amp; sons<\/li>/);
    assert.doesNotMatch(html, /<script>alert/);
    assert.doesNotMatch(html, /<b>"Bold"/);
    assert.doesNotMatch(html, /@example\.org/, 'never the email');
    assert.doesNotMatch(html, /Edit profile/, 'no edit link for a visitor');
    assert.doesNotMatch(html, /id="spaces-title"/, 'no spaces section while there are none');
  });

  test('an empty profile says so; lists that are empty are left out', async () => {
    const u = await signup(s, { name: 'Quiet Person' });
    let html = await (await s.fetch(`/people/${u.user.handle}`)).text();
    assert.match(html, /Quiet Person has not written anything here yet/);
    assert.doesNotMatch(html, /Can help with/);
    await s.fetch(`/api/v1/users/${u.user.handle}`, patch(u.auth, { interests: { learn: ['Knitting'] } }));
    html = await (await s.fetch(`/people/${u.user.handle}`)).text();
    assert.match(html, /Wants to learn/);
    assert.doesNotMatch(html, /Can help with|Interested in|has not written/);
    const cookie = await signIn(u);
    html = await (await s.fetch(`/people/${u.user.handle}`, { headers: { cookie } })).text();
    assert.match(html, /href="\/settings\/profile">Edit profile</, 'the person sees an edit link');
  });

  test('an unknown person: 404 page', async () => {
    const res = await s.fetch('/people/nobody_at_all');
    assert.equal(res.status, 404);
    assert.match(res.headers.get('content-type'), /text\/html/);
  });

  test('the edit form needs a signed-in person', async () => {
    let res = await s.fetch('/settings/profile');
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/signin?next=/settings/profile');
    res = await s.fetch('/settings/profile', form({ name: 'x' }));
    assert.equal(res.status, 401);
  });

  test('edit form round trip: CSRF required, then saved, then shown', async () => {
    const u = await signup(s, { name: 'Form Person' });
    const cookie = await signIn(u);
    await s.fetch(`/api/v1/users/${u.user.handle}`, patch(u.auth, { interests: { help: ['Old one'] } }));
    const { csrf, html } = await csrfOf(cookie);
    // The form shows what is stored, one interest per line.
    assert.match(html, /<input id="name" name="name" value="Form Person"/);
    assert.match(html, /<textarea id="help" name="interests.help"[^>]*>\nOld one\n<\/textarea>/);
    assert.match(html, /value="UTC"/);
    assert.match(html, /<label for="help">I can help with<\/label>/);
    assert.match(html, /One per line|one per line/);

    const fields = {
      name: 'Form Person Renamed',
      bio: 'Nurse on a *night* ward.\r\n\r\n<script>alert(1)</script>',
      timezone: 'Europe/Dublin',
      'interests.help': 'Wound care\r\n\r\n  wound CARE \r\nNight shifts\r\n',
      'interests.learn': 'Sign language',
      'interests.interest': '',
    };
    let res = await s.fetch('/settings/profile', form(fields, { cookie }));
    assert.equal(res.status, 403, 'no token');
    res = await s.fetch('/settings/profile', form({ ...fields, _csrf: 'x'.repeat(32) }, { cookie }));
    assert.equal(res.status, 403, 'a wrong token');
    assert.equal((await getUser(s, u.user.handle)).name, 'Form Person', 'nothing changed');

    res = await s.fetch('/settings/profile', form({ ...fields, _csrf: csrf }, { cookie }));
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/people/${u.user.handle}`);
    const user = await getUser(s, u.user.handle);
    assert.equal(user.name, 'Form Person Renamed');
    assert.equal(user.bio, 'Nurse on a *night* ward.\n\n<script>alert(1)</script>');
    assert.equal(user.timezone, 'Europe/Dublin');
    assert.deepEqual(user.interests, { help: ['Wound care', 'Night shifts'], learn: ['Sign language'], interest: [] });

    const page = await (await s.fetch(`/people/${u.user.handle}`, { headers: { cookie } })).text();
    assert.match(page, /Form Person Renamed/);
    assert.match(page, /<em>night<\/em>/);
    assert.doesNotMatch(page, /<script>alert/);
    assert.match(page, /<li>Wound care<\/li>/);
    assert.match(page, /Europe\/Dublin/);
    assert.equal(await countActivity(s, u.user.id), '2');
  });

  test('a form that names no field changes nothing and logs nothing', async () => {
    const u = await signup(s, { name: 'Still Me' });
    const cookie = await signIn(u);
    const { csrf } = await csrfOf(cookie);
    const res = await s.fetch('/settings/profile', form({ _csrf: csrf }, { cookie }));
    assert.equal(res.status, 303);
    assert.equal((await getUser(s, u.user.handle)).name, 'Still Me');
    assert.equal(await countActivity(s, u.user.id), '0');
  });

  test('edit form errors: 400, each by its field, what was typed kept', async () => {
    const u = await signup(s, { name: 'Err Person' });
    const cookie = await signIn(u);
    const { csrf } = await csrfOf(cookie);
    const many = Array.from({ length: 21 }, (_, i) => `topic ${i}`).join('\n');
    const res = await s.fetch('/settings/profile', form({
      _csrf: csrf,
      name: '<i>typed</i>',
      bio: 'b'.repeat(2001),
      timezone: 'Atlantis/Capital',
      'interests.help': many,
      'interests.learn': 'fine',
      'interests.interest': 'z'.repeat(61),
    }, { cookie }));
    assert.equal(res.status, 400);
    const html = await res.text();
    assert.match(html, /role="alert"/);
    assert.match(html, /<a href="#bio">About you is longer than 2000 characters\.<\/a>/);
    assert.match(html, /<a href="#help">The list “I can help with” has more than 20 entries\.<\/a>/);
    assert.match(html, /<p class="error" id="timezone-error">Time zone is not one we know; use a name like Europe\/Paris/);
    assert.match(html, /<p class="error" id="interest-error">/);
    assert.match(html, /aria-describedby="timezone-hint timezone-error" aria-invalid="true"/);
    assert.match(html, /value="&lt;i&gt;typed&lt;\/i&gt;"/, 'typed values come back, escaped');
    assert.match(html, /value="Atlantis\/Capital"/);
    assert.match(html, /topic 20\n?<\/textarea>/);
    assert.doesNotMatch(html, /id="learn-error"/);
    assert.equal((await getUser(s, u.user.handle)).name, 'Err Person', 'nothing saved');
    assert.equal(await countActivity(s, u.user.id), '0');
  });

  test('stops cleanly', async () => {
    assert.deepEqual(await s.stop(), { code: 0, signal: null });
  });
});

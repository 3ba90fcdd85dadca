// Accounts over HTTP: sign-up, sign-in, sign-out on pages and in the API,
// sessions, CSRF, API tokens, rate limits, and the rules of each field.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signup, sessionCookie, sql, BACKEND } from './harness.mjs';

const json = (body, headers = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});
const form = (fields, headers = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  body: new URLSearchParams(fields).toString(),
});

describe(`accounts API on ${BACKEND}`, () => {
  let s;
  before(async () => {
    s = await startServer();
  });
  after(async () => {
    if (!s.exited) await s.stop();
  });

  test('sign up: 201 with the user and a token that works', async () => {
    const res = await s.fetch('/api/v1/signup', json({
      handle: 'ada_l', name: 'Ada Lovelace', email: 'Ada@Example.org', password: 'analytical engine notes',
    }));
    assert.equal(res.status, 201);
    const j = await res.json();
    assert.equal(j.user.handle, 'ada_l');
    assert.equal(j.user.name, 'Ada Lovelace');
    assert.equal(j.user.email, 'ada@example.org', 'stored lower-cased');
    assert.match(j.token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(j.user.password, undefined);
    const me = await s.fetch('/api/v1/me', { headers: { authorization: `Bearer ${j.token}` } });
    assert.equal(me.status, 200);
    assert.equal((await me.json()).user.handle, 'ada_l');
    // Only hashes are stored: argon2id for the password, a digest for the token.
    assert.match(await sql(s, "SELECT password_hash FROM users WHERE handle = 'ada_l'"), /^\$argon2id\$/);
    const hashes = await sql(s, 'SELECT token_hash FROM api_tokens');
    assert.ok(!hashes.includes(j.token));
    assert.equal(await sql(s, "SELECT count(*) FROM activity WHERE verb = 'signup'"), '1');
  });

  test('without credentials: 401', async () => {
    const res = await s.fetch('/api/v1/me');
    assert.equal(res.status, 401);
    assert.equal((await res.json()).error.code, 'unauthenticated');
    assert.equal((await s.fetch('/api/v1/me', { headers: { authorization: 'Bearer nope' } })).status, 401);
  });

  const bad = [
    [{ handle: 'ab' }, 'handle', /3 to 30/],
    [{ handle: 'a'.repeat(31) }, 'handle', /too long|3 to 30/],
    [{ handle: 'Ada' }, 'handle', /lower-case/],
    [{ handle: 'ada lovelace' }, 'handle', /lower-case/],
    [{ handle: 'ada!' }, 'handle', /lower-case/],
    [{ email: 'not-an-email' }, 'email', /email/],
    [{ email: 'a@b' }, 'email', /email/],
    [{ email: 'a b@example.org' }, 'email', /email/],
    [{ email: 'a@@example.org' }, 'email', /email/],
    [{ password: 'short' }, 'password', /at least 10/],
    [{ password: 'qwertyuiop' }, 'password', /common/],
    [{ password: 'Password123' }, 'password', /common/],
    [{ name: '' }, 'name', /required/],
    [{ name: '   ' }, 'name', /required/],
  ];
  for (const [fields, field, re] of bad) {
    test(`sign up refuses ${JSON.stringify(fields)} naming ${field}`, async () => {
      const body = { handle: 'valid_one', name: 'Valid', email: 'valid@example.org', password: 'perfectly fine words', ...fields };
      const res = await s.fetch('/api/v1/signup', json(body));
      assert.equal(res.status, 400);
      const j = await res.json();
      assert.match(j.error.fields[field] || '', re, JSON.stringify(j));
    });
  }

  test('a password equal to the handle is refused', async () => {
    const res = await s.fetch('/api/v1/signup', json({ handle: 'samepassword', name: 'S', email: 's@example.org', password: 'samepassword' }));
    assert.equal(res.status, 400);
    assert.match((await res.json()).error.fields.password, /handle or email/);
  });

  test('every missing field is named at once', async () => {
    const res = await s.fetch('/api/v1/signup', json({}));
    assert.equal(res.status, 400);
    assert.deepEqual(Object.keys((await res.json()).error.fields).sort(), ['email', 'handle', 'name', 'password']);
  });

  test('duplicates: 409 naming the field', async () => {
    await signup(s, { handle: 'grace_h', email: 'grace@example.org' });
    let res = await s.fetch('/api/v1/signup', json({ handle: 'grace_h', name: 'G', email: 'other@example.org', password: 'another fine sentence' }));
    assert.equal(res.status, 409);
    assert.deepEqual(Object.keys((await res.json()).error.fields), ['handle']);
    res = await s.fetch('/api/v1/signup', json({ handle: 'grace_2', name: 'G', email: 'GRACE@example.org', password: 'another fine sentence' }));
    assert.equal(res.status, 409);
    assert.match((await res.json()).error.fields.email, /already has an account/);
  });

  test('sign in by handle or email; wrong password or unknown person: the same 401', async () => {
    const u = await signup(s, { handle: 'katherine', email: 'kj@example.org' });
    for (const login of ['katherine', 'kj@example.org', 'KJ@Example.org']) {
      const res = await s.fetch('/api/v1/login', json({ login, password: u.password }));
      assert.equal(res.status, 200, login);
      const j = await res.json();
      assert.equal(j.user.handle, 'katherine');
      assert.match(j.token, /^[A-Za-z0-9_-]{43}$/);
    }
    const uid = (await (await s.fetch('/api/v1/me', { headers: { authorization: u.auth } })).json()).user.id;
    assert.equal(await sql(s, `SELECT count(*) FROM activity WHERE verb = 'token' AND actor_id = ${uid}`), '4', 'each token is logged');
    const wrong = await s.fetch('/api/v1/login', json({ login: 'katherine', password: 'not the password at all' }));
    const nobody = await s.fetch('/api/v1/login', json({ login: 'nobody_here', password: 'not the password at all' }));
    assert.equal(wrong.status, 401);
    assert.equal(nobody.status, 401);
    assert.equal((await wrong.json()).error.message, (await nobody.json()).error.message);
  });

  test('log out with a token revokes exactly that token', async () => {
    const u = await signup(s);
    const again = await (await s.fetch('/api/v1/login', json({ login: u.user.handle, password: u.password }))).json();
    const res = await s.fetch('/api/v1/logout', { method: 'POST', headers: { authorization: u.auth } });
    assert.equal(res.status, 204);
    assert.equal((await s.fetch('/api/v1/me', { headers: { authorization: u.auth } })).status, 401);
    assert.equal((await s.fetch('/api/v1/me', { headers: { authorization: `Bearer ${again.token}` } })).status, 200);
  });

  test('tokens are listed and revocable, only by their owner', async () => {
    const u = await signup(s);
    const other = await signup(s);
    let list = await (await s.fetch('/api/v1/me/tokens', { headers: { authorization: u.auth } })).json();
    assert.equal(list.tokens.length, 1);
    assert.equal(list.tokens[0].current, true);
    const id = list.tokens[0].id;
    let res = await s.fetch(`/api/v1/me/tokens/${id}`, { method: 'DELETE', headers: { authorization: other.auth } });
    assert.equal(res.status, 404, "another person's token is not found");
    res = await s.fetch(`/api/v1/me/tokens/${id}`, { method: 'DELETE', headers: { authorization: u.auth } });
    assert.equal(res.status, 204);
    assert.equal((await s.fetch('/api/v1/me', { headers: { authorization: u.auth } })).status, 401);
    res = await s.fetch('/api/v1/me/tokens/abc', { method: 'DELETE', headers: { authorization: other.auth } });
    assert.equal(res.status, 404);
  });

  test('stops cleanly', async () => {
    assert.deepEqual(await s.stop(), { code: 0, signal: null });
  });
});

describe(`sessions and CSRF on ${BACKEND}`, () => {
  let s;
  before(async () => {
    s = await startServer();
  });
  after(async () => {
    if (!s.exited) await s.stop();
  });

  test('sign up on the page: a session cookie with safe attributes, then the menu', async () => {
    let res = await s.fetch('/signup');
    assert.equal(res.status, 200);
    assert.match(await res.text(), /<form method="post" action="\/signup"/);
    res = await s.fetch('/signup', form({ handle: 'mary_s', name: 'Mary Seacole', email: 'mary@example.org', password: 'kingston and crimea' }));
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/');
    const raw = res.headers.get('set-cookie');
    assert.match(raw, /^praxis_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/);
    const cookie = sessionCookie(res);
    res = await s.fetch('/', { headers: { cookie } });
    const html = await res.text();
    assert.match(html, /Mary Seacole/);
    assert.match(html, /action="\/signout"/);
    assert.doesNotMatch(html, /href="\/signup"/, 'no sign-up link for a signed-in person');
  });

  test('form errors come back on the page, with what was typed but never the password', async () => {
    const res = await s.fetch('/signup', form({ handle: 'X', name: 'Someone', email: 'bad', password: 'short-pw' }));
    assert.equal(res.status, 400);
    const html = await res.text();
    assert.match(html, /Handle must be 3 to 30 characters/);
    assert.match(html, /Email is not an email address/);
    assert.match(html, /Password must be at least 10 characters/);
    assert.match(html, /value="Someone"/);
    assert.doesNotMatch(html, /short-pw/);
    assert.match(html, /aria-invalid="true"/);
  });

  test('a duplicate on the page: 409 with the message by the field', async () => {
    await signup(s, { handle: 'taken_one', email: 'taken@example.org' });
    const res = await s.fetch('/signup', form({ handle: 'taken_one', name: 'T', email: 'fresh@example.org', password: 'a different sentence' }));
    assert.equal(res.status, 409);
    assert.match(await res.text(), /Handle is taken/);
  });

  test('sign in on the page goes to a local next, never elsewhere', async () => {
    const u = await signup(s);
    let res = await s.fetch('/signin', form({ login: u.user.handle, password: u.password, next: '/metrics' }));
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/metrics');
    for (const next of ['//evil.example', 'https://evil.example', '/\\evil.example', 'javascript:alert(1)']) {
      res = await s.fetch('/signin', form({ login: u.user.handle, password: u.password, next }));
      assert.equal(res.headers.get('location'), '/', next);
    }
    res = await s.fetch('/signin', form({ login: u.user.handle, password: 'wrong password here' }));
    assert.equal(res.status, 401);
    assert.match(await res.text(), /do not match/);
  });

  test('an unsafe request with a cookie needs the CSRF token, and changes nothing without it', async () => {
    const u = await signup(s);
    const res = await s.fetch('/signin', form({ login: u.user.handle, password: u.password }));
    const cookie = sessionCookie(res);
    let r = await s.fetch('/api/v1/logout', { method: 'POST', headers: { cookie } });
    assert.equal(r.status, 403);
    r = await s.fetch('/api/v1/logout', { method: 'POST', headers: { cookie, 'x-csrf-token': 'A'.repeat(32) } });
    assert.equal(r.status, 403);
    r = await s.fetch('/signout', form({}, { cookie }));
    assert.equal(r.status, 403);
    const me = await s.fetch('/api/v1/me', { headers: { cookie } });
    assert.equal(me.status, 200, 'still signed in');
    const { csrf_token: csrf } = await me.json();
    assert.match(csrf, /^[A-Za-z0-9_-]{32}$/);
    r = await s.fetch('/signout', form({ _csrf: csrf }, { cookie }));
    assert.equal(r.status, 303);
    assert.match(r.headers.get('set-cookie'), /^praxis_session=gone; .*Max-Age=0/);
    assert.equal((await s.fetch('/api/v1/me', { headers: { cookie } })).status, 401, 'the session is gone');
  });

  test('the X-CSRF-Token header works for the API with a cookie', async () => {
    const u = await signup(s);
    const cookie = sessionCookie(await s.fetch('/signin', form({ login: u.user.handle, password: u.password })));
    const { csrf_token: csrf } = await (await s.fetch('/api/v1/me', { headers: { cookie } })).json();
    const r = await s.fetch('/api/v1/logout', { method: 'POST', headers: { cookie, 'x-csrf-token': csrf } });
    assert.equal(r.status, 204);
    assert.equal((await s.fetch('/api/v1/me', { headers: { cookie } })).status, 401);
  });

  test('a session expires, and is renewed on use', async () => {
    const u = await signup(s);
    const cookie = sessionCookie(await s.fetch('/signin', form({ login: u.user.handle, password: u.password })));
    // Renewal: a session last renewed long ago is renewed (and its cookie re-sent) on use.
    await sql(s, `UPDATE sessions SET renewed_at = 1, expires_at = expires_at - 1000 WHERE user_id = ${u.user.id}`);
    const before = Number(await sql(s, `SELECT expires_at FROM sessions WHERE user_id = ${u.user.id}`));
    let r = await s.fetch('/api/v1/me', { headers: { cookie } });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('set-cookie') || '', /^praxis_session=[A-Za-z0-9_-]{43}; .*Max-Age=2592000/);
    const after = Number(await sql(s, `SELECT expires_at FROM sessions WHERE user_id = ${u.user.id}`));
    assert.ok(after > before, 'the expiry moved forward');
    r = await s.fetch('/api/v1/me', { headers: { cookie } });
    assert.equal(r.headers.get('set-cookie'), null, 'not renewed again at once');
    // Expiry: past its time the session is nobody, and the cookie is cleared.
    await sql(s, `UPDATE sessions SET expires_at = 1 WHERE user_id = ${u.user.id}`);
    r = await s.fetch('/api/v1/me', { headers: { cookie } });
    assert.equal(r.status, 401);
    assert.match(r.headers.get('set-cookie') || '', /Max-Age=0/);
  });

  test('the API tokens page: make one (shown once), revoke it, only one\'s own', async () => {
    const u = await signup(s);
    const other = await signup(s);
    const cookie = sessionCookie(await s.fetch('/signin', form({ login: u.user.handle, password: u.password })));
    const { csrf_token: csrf } = await (await s.fetch('/api/v1/me', { headers: { cookie } })).json();
    assert.equal((await s.fetch('/settings/tokens')).status, 303, 'anonymous: to sign in first');
    let res = await s.fetch('/settings/tokens', form({ label: 'my <script>', _csrf: csrf }, { cookie }));
    assert.equal(res.status, 200);
    let html = await res.text();
    const token = html.match(/<code class="token">([A-Za-z0-9_-]{43})<\/code>/)[1];
    assert.match(html, /my &lt;script&gt;/);
    assert.equal((await s.fetch('/api/v1/me', { headers: { authorization: `Bearer ${token}` } })).status, 200);
    html = await (await s.fetch('/settings/tokens', { headers: { cookie } })).text();
    assert.doesNotMatch(html, new RegExp(token), 'never shown again');
    const id = html.match(/action="\/settings\/tokens\/(\d+)\/revoke"/g).map((m) => m.match(/(\d+)/)[1]).pop();
    const theirs = (await (await s.fetch('/api/v1/me/tokens', { headers: { authorization: other.auth } })).json()).tokens[0].id;
    res = await s.fetch(`/settings/tokens/${theirs}/revoke`, form({ _csrf: csrf }, { cookie }));
    assert.equal(res.status, 404, "another person's token");
    res = await s.fetch(`/settings/tokens/${id}/revoke`, form({}, { cookie }));
    assert.equal(res.status, 403, 'no CSRF token, no change');
    res = await s.fetch(`/settings/tokens/${id}/revoke`, form({ _csrf: csrf }, { cookie }));
    assert.equal(res.status, 303);
    assert.equal((await s.fetch('/api/v1/me', { headers: { authorization: `Bearer ${token}` } })).status, 401);
    res = await s.fetch('/settings/tokens', form({ label: '', _csrf: csrf }, { cookie }));
    assert.equal(res.status, 400);
  });

  test('a forged or unknown cookie is anonymous and cleared', async () => {
    const r = await s.fetch('/api/v1/me', { headers: { cookie: 'praxis_session=' + 'x'.repeat(43) } });
    assert.equal(r.status, 401);
    assert.match(r.headers.get('set-cookie') || '', /Max-Age=0/);
  });

  test('pages that need a person send others to sign in first', async () => {
    const res = await s.fetch('/api/v1/me/tokens');
    assert.equal(res.status, 401);
  });

  test('stops cleanly', async () => {
    assert.deepEqual(await s.stop(), { code: 0, signal: null });
  });
});

describe(`rate limits on ${BACKEND}`, () => {
  test('failed sign-ins per account: 429 with Retry-After, even with the right password', async () => {
    const s = await startServer({ args: ['--signin-failures', '3'] });
    try {
      const u = await signup(s);
      for (let i = 0; i < 3; i++) {
        const r = await s.fetch('/api/v1/login', json({ login: u.user.handle, password: 'wrong guess number ' + i }));
        assert.equal(r.status, 401);
      }
      const r = await s.fetch('/api/v1/login', json({ login: u.user.handle, password: u.password }));
      assert.equal(r.status, 429);
      assert.match(r.headers.get('retry-after'), /^\d+$/);
      assert.ok(Number(r.headers.get('retry-after')) > 0 && Number(r.headers.get('retry-after')) <= 900);
      assert.equal((await r.json()).error.code, 'rate_limited');
      // Another account from the same address is not locked by it.
      const v = await signup(s);
      assert.equal((await s.fetch('/api/v1/login', json({ login: v.user.handle, password: v.password }))).status, 200);
    } finally {
      await s.stop();
    }
  });

  test('failed sign-ins per address', async () => {
    const s = await startServer({ args: ['--signin-failures-addr', '2'] });
    try {
      const u = await signup(s);
      for (const login of ['nobody_1', 'nobody_2']) {
        assert.equal((await s.fetch('/api/v1/login', json({ login, password: 'whatever it may be' }))).status, 401);
      }
      const r = await s.fetch('/api/v1/login', json({ login: u.user.handle, password: u.password }));
      assert.equal(r.status, 429);
      assert.ok(r.headers.get('retry-after'));
    } finally {
      await s.stop();
    }
  });

  test('sign-ups per address', async () => {
    const s = await startServer({ args: ['--signups-per-hour', '2'] });
    try {
      await signup(s);
      await signup(s);
      const r = await s.fetch('/api/v1/signup', json({ handle: 'third_one', name: 'T', email: 't3@example.org', password: 'one more sentence here' }));
      assert.equal(r.status, 429);
      assert.ok(Number(r.headers.get('retry-after')) > 0);
    } finally {
      await s.stop();
    }
  });
});

describe(`cookies behind https on ${BACKEND}`, () => {
  test('carry Secure', async () => {
    const s = await startServer({ args: ['--public-url', 'https://cop.example.org'] });
    try {
      const r = await s.fetch('/signup', form({ handle: 'secure_one', name: 'S', email: 'sec@example.org', password: 'secure enough sentence' }));
      assert.match(r.headers.get('set-cookie'), /; Secure$/);
      assert.match(r.headers.get('strict-transport-security'), /max-age=/);
    } finally {
      await s.stop();
    }
  });
});

// Mail: the outbox and its transports (.eml files, and SMTP with STARTTLS and a
// login, against a real server on loopback: tests/http/smtpd.py), the messages
// as a mail reader parses them (tests/http/mailparse.py), lasting and passing
// SMTP failures, the mail settings, one-click unsubscribe without a session,
// and the account mail: address confirmation and password reset.
//
// Servers run with --jobs off: the test runs due jobs itself (runJobs), with
// as_of to move time forward for retries.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startServer, startSmtp, signup, sql, run, freshDatabase, runJobs, mailFiles, parseMail, sessionCookie,
  BACKEND,
} from './harness.mjs';

const now = () => Math.floor(Date.now() / 1000);

const json = (auth, body, method = 'POST') => ({
  method,
  headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
  body: JSON.stringify(body),
});

const form = (fields, cookie) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
  body: new URLSearchParams(fields).toString(),
});

// The first link in a message's text part to the given path, and its token.
function linkIn(msg, path) {
  const m = msg.text.match(new RegExp(`(https?://[^\\s/]+${path}/([A-Za-z0-9_.-]+))`));
  assert.ok(m, `no ${path} link in:\n${msg.text}`);
  return { url: m[1], token: m[2], path: new URL(m[1]).pathname };
}

// The SMTP messages sent to addr, parsed, oldest first.
function mailTo(smtp, addr) {
  return smtp.messages().map((m, i) => ({ ...m, i }))
    .filter((m) => m.envelope.rcpt_tos.includes(addr))
    .map((m) => smtp.message(m.i));
}

const rows = async (s, q) => (await sql(s, q)).split('\n').filter((l) => l).map((l) => l.split('|'));

// The server's mail.send jobs: [state, attempts] each, oldest first. (Other
// kinds of job, periodic ones among them, may run in the same passes.)
const mailJobs = (s) => rows(s, "SELECT state, attempts FROM jobs WHERE kind = 'mail.send' ORDER BY id");

// Sign in on the pages: the session cookie and its CSRF token.
async function pageSession(s, login, password) {
  const res = await s.fetch('/signin', form({ login, password }));
  assert.equal(res.status, 303);
  const cookie = sessionCookie(res);
  const me = await (await s.fetch('/api/v1/me', { headers: { cookie } })).json();
  return { cookie, csrf: me.csrf_token };
}

describe(`mail on ${BACKEND}`, () => {
  let smtp, s;

  before(async () => {
    smtp = await startSmtp({ reject: ['bounce@example.org'], tempfail: ['later@example.org'] });
    s = await startServer({ smtp, args: ['--jobs', 'off'] });
  });
  after(async () => {
    if (s && !s.exited) await s.stop();
    if (smtp) await smtp.stop();
  });

  // Sign up, deliver the confirmation mail and follow its link.
  async function confirmedPerson(fields) {
    const p = await signup(s, fields);
    await runJobs(s);
    const [mail] = mailTo(smtp, p.user.email).slice(-1);
    const link = linkIn(mail, '/confirm-email');
    assert.equal((await s.fetch(link.path)).status, 200);
    return p;
  }

  async function queue(body) {
    const res = await s.fetch('/api/v1/_test/mail', json(null, body));
    assert.equal(res.status, 201, await res.clone().text());
    return (await res.json()).outbox;
  }

  test('SMTP over STARTTLS with a login delivers the sign-up mail, both parts, right headers', async () => {
    const p = await signup(s, { name: 'Zoë Ångström', email: 'zoe@example.org' });
    assert.deepEqual(await mailJobs(s), [['queued', '0']], 'sign-up queued one mail.send job');
    await runJobs(s);
    assert.deepEqual(await mailJobs(s), [['done', '1']]);
    const [got] = await smtp.waitFor(1);
    assert.deepEqual(got.envelope.rcpt_tos, ['zoe@example.org']);
    assert.equal(got.envelope.login, smtp.user, 'logged in as the configured user');
    assert.equal(got.envelope.tls, true, 'over TLS');
    const m = smtp.message(0);
    assert.deepEqual(m.defects, []);
    assert.equal(got.envelope.mail_from, m.from.addr, 'the envelope sender is the From address');
    assert.equal(m.from.name, 'Praxis', "the instance's name is the sender's");
    assert.deepEqual(m.to, { name: 'Zoë Ångström', addr: 'zoe@example.org' });
    assert.match(m.raw_headers.To, /^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?= <zoe@example\.org>$/, 'the name as an encoded-word');
    assert.equal(m.headers.Subject, 'Confirm your address for Praxis');
    assert.match(m.headers['Message-ID'], /^<[0-9a-f]{32}@[A-Za-z0-9.-]+>$/);
    assert.match(m.headers.Date, /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
    assert.ok(Math.abs(Date.parse(m.headers.Date) / 1000 - now()) < 600, 'dated now');
    assert.equal(m.headers['MIME-Version'], '1.0');
    assert.equal(m.content_type, 'multipart/alternative');
    assert.deepEqual(m.parts.map((x) => x.type), ['text/plain', 'text/html']);
    assert.ok(m.parts.every((x) => x.charset === 'utf-8' && x.transfer_encoding === 'quoted-printable'));
    assert.match(m.text, /Hello Zoë Ångström,/);
    assert.match(m.html, /<p[^>]*>Hello Zoë Ångström,<\/p>/);
    assert.equal(m.headers['List-Unsubscribe'], undefined, 'account mail has no unsubscribe');
    assert.equal(m.lines.crlf, true, 'every line ends in CRLF');
    assert.ok(m.lines.longest <= 78, `lines are short (${m.lines.longest})`);
    const [row] = await rows(s, `SELECT state, attempts, to_addr, category, last_error FROM mail_outbox WHERE user_id = ${p.user.id}`);
    assert.deepEqual(row, ['sent', '1', 'zoe@example.org', 'account', '']);
    // The job and the outbox agree, and a later pass sends nothing again.
    await runJobs(s, now() + 86400);
    assert.deepEqual(await mailJobs(s), [['done', '1']]);
    assert.equal(smtp.messages().length, 1);
  });

  test('a 550 is recorded as failed with the reply and not tried again', async () => {
    const before = smtp.messages().length;
    const p = await signup(s, { email: 'bounce@example.org' });
    assert.equal((await runJobs(s)).failed, 1);
    const [row] = await rows(s, `SELECT state, attempts, last_error FROM mail_outbox WHERE user_id = ${p.user.id}`);
    assert.equal(row[0], 'failed');
    assert.equal(row[1], '1');
    assert.match(row[2], /^550 5\.1\.1 <bounce@example\.org>: no such mailbox here$/, 'the server\'s reply is kept');
    const [job] = await rows(s, "SELECT state, last_error, attempts FROM jobs WHERE kind = 'mail.send' AND state = 'failed'");
    assert.match(job[1], /^550 /);
    await runJobs(s, now() + 7 * 86400);
    const [again] = await rows(s, `SELECT state, attempts FROM mail_outbox WHERE user_id = ${p.user.id}`);
    assert.deepEqual(again, ['failed', '1'], 'never retried');
    assert.deepEqual(await rows(s, "SELECT attempts FROM jobs WHERE kind = 'mail.send' AND state = 'failed'"), [['1']]);
    assert.equal(smtp.messages().length, before);
  });

  test('a 451 is tried again after the backoff, then sent', async () => {
    const p = await signup(s, { email: 'later@example.org' });
    assert.equal((await runJobs(s)).retried, 1);
    let [row] = await rows(s, `SELECT state, attempts, last_error FROM mail_outbox WHERE user_id = ${p.user.id}`);
    assert.deepEqual(row.slice(0, 2), ['queued', '1']);
    assert.match(row[2], /^451 4\.3\.2 /);
    await runJobs(s);
    [row] = await rows(s, `SELECT state, attempts FROM mail_outbox WHERE user_id = ${p.user.id}`);
    assert.deepEqual(row, ['queued', '1'], 'not before its time');
    await runJobs(s, now() + 3600);
    [row] = await rows(s, `SELECT state, attempts, last_error FROM mail_outbox WHERE user_id = ${p.user.id}`);
    assert.deepEqual(row, ['sent', '2', '']);
    assert.equal(mailTo(smtp, 'later@example.org').length, 1);
  });

  test('a bulk mail: non-ASCII subject and names, both parts, the .ics, one-click unsubscribe', async () => {
    const p = await confirmedPerson({ name: 'Émile Dupré', email: 'emile@example.org' });
    const ics = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n';
    const id = await queue({
      handle: p.user.handle, category: 'reminders', subject: 'Rappel : réunion « été » demain — 18 h',
      text: 'Demain à 18 h.\nÀ bientôt.', html: 'Demain à 18 h <b>vraiment</b>.', ics,
    });
    assert.ok(id > 0);
    await runJobs(s);
    const [m] = mailTo(smtp, 'emile@example.org').slice(-1);
    assert.deepEqual(m.defects, []);
    assert.equal(m.headers.Subject, 'Rappel : réunion « été » demain — 18 h');
    assert.match(m.raw_headers.Subject, /^=\?UTF-8\?B\?/);
    assert.equal(m.to.name, 'Émile Dupré');
    assert.equal(m.content_type, 'multipart/mixed');
    assert.deepEqual(m.parts.map((x) => x.type), ['text/plain', 'text/html', 'text/calendar']);
    assert.match(m.text, /^Demain à 18 h\.\nÀ bientôt\.\n\n-- \n/);
    assert.match(m.html, /Demain à 18 h &lt;b&gt;vraiment&lt;\/b&gt;\./);
    const [att] = m.attachments;
    assert.equal(att.filename, 'event.ics');
    assert.match(att.content_type, /^text\/calendar; method="?REQUEST"?; charset="?UTF-8"?; name="event\.ics"$/);
    assert.equal(att.text.replace(/\n/g, '\r\n'), ics);
    assert.equal(m.lines.crlf, true);
    // Short lines, but for List-Unsubscribe, which is never folded.
    const long = readFileSync(m.file, 'latin1').split('\r\n').filter((l) => l.length > 78);
    assert.deepEqual(long.map((l) => l.split(':')[0]), ['List-Unsubscribe']);
    assert.ok(m.lines.longest <= 998);
    // RFC 8058: the link in angle brackets, and the one-click POST header.
    assert.equal(m.headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');
    const u = m.headers['List-Unsubscribe'].match(/^<(http:\/\/127\.0\.0\.1:\d+\/unsubscribe\/[^>]+)>$/);
    assert.ok(u, m.headers['List-Unsubscribe']);
    const link = new URL(u[1]);
    assert.equal(link.port, String(s.port), 'the link leads to this server');
    assert.ok(m.text.includes(u[1]), 'the text footer has the link too');
    assert.ok(m.html.includes(`href="${u[1]}"`), 'and the HTML footer');
    // The page asks; the POST, with no session and no CSRF token, does it.
    let res = await s.fetch(link.pathname);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /Stop getting reminders of events/);
    res = await s.fetch(link.pathname, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: 'praxis_session=not-a-session' },
      body: 'List-Unsubscribe=One-Click',
    });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /no more reminders of events/);
    const prefs = await (await s.fetch('/api/v1/me/mail', { headers: { authorization: p.auth } })).json();
    assert.equal(prefs.mail.reminders, false);
    assert.equal(prefs.mail.notices, true, 'only that category');
    // The next reminder is skipped; other bulk mail still goes.
    assert.equal(await queue({ handle: p.user.handle, category: 'reminders', subject: 'Again', text: 'x' }), 0);
    assert.ok(await queue({ handle: p.user.handle, category: 'notices', subject: 'A notice', text: 'y' }) > 0);
    assert.ok(await queue({ handle: p.user.handle, category: 'account', subject: 'Account', text: 'z' }) > 0);
    await runJobs(s);
    const after = mailTo(smtp, 'emile@example.org').map((x) => x.headers.Subject);
    assert.deepEqual(after.slice(-2), ['A notice', 'Account']);
    // Posting again changes nothing and still answers 200.
    assert.equal((await s.fetch(link.pathname, { method: 'POST' })).status, 200);
    const [log] = await rows(s, `SELECT count(*) FROM activity WHERE verb = 'mail_prefs' AND object_id = ${p.user.id}`);
    assert.equal(log[0], '2');
  });

  test('unsubscribe links the instance did not make are 404', async () => {
    const p = await confirmedPerson({});
    await queue({ handle: p.user.handle, category: 'followups', subject: 'Follow-up', text: 'x' });
    await runJobs(s);
    const [m] = mailTo(smtp, p.user.email).slice(-1);
    const token = m.headers['List-Unsubscribe'].match(/\/unsubscribe\/([^>]+)>/)[1];
    const [uid, cat, mac] = token.split('.');
    assert.equal(uid, String(p.user.id));
    assert.equal(cat, 'followups');
    const flip = mac.slice(0, -1) + (mac.endsWith('A') ? 'B' : 'A');
    for (const bad of ['nonsense', `${uid}.followups.${flip}`, `${Number(uid) + 1}.followups.${mac}`,
      `${uid}.notices.${mac}`, `${uid}.account.${mac}`, `0${uid}.followups.${mac}`, `${uid}.followups`]) {
      assert.equal((await s.fetch(`/unsubscribe/${bad}`)).status, 404, bad);
      assert.equal((await s.fetch(`/unsubscribe/${bad}`, { method: 'POST' })).status, 404, bad);
    }
    const prefs = await (await s.fetch('/api/v1/me/mail', { headers: { authorization: p.auth } })).json();
    assert.equal(prefs.mail.followups, true, 'nothing changed');
    assert.equal((await s.fetch(`/unsubscribe/${token}`, form({ 'List-Unsubscribe': 'Two-Clicks' }))).status, 400);
  });

  test('mail settings: the API with its bad input, and the page', async () => {
    const p = await signup(s, {});
    const get = async () => (await (await s.fetch('/api/v1/me/mail', { headers: { authorization: p.auth } })).json()).mail;
    assert.deepEqual(await get(), {
      email: p.user.email, email_confirmed: false, account: true, reminders: true, followups: true, notices: true,
    });
    let res = await s.fetch('/api/v1/me/mail', json(p.auth, { followups: false }, 'PATCH'));
    assert.equal(res.status, 200);
    assert.equal((await res.json()).mail.followups, false);
    for (const [body, field, msg] of [
      [{ bogus: true }, 'bogus', /not a mail category/],
      [{ account: false }, 'account', /always sent/],
      [{ notices: 'no' }, 'notices', /true or false/],
      [{ reminders: 1 }, 'reminders', /true or false/],
      [{ reminders: false, digest: false }, 'digest', /not a mail category/],
    ]) {
      res = await s.fetch('/api/v1/me/mail', json(p.auth, body, 'PATCH'));
      assert.equal(res.status, 400, JSON.stringify(body));
      const e = await res.json();
      assert.match(e.error.fields[field], msg, JSON.stringify(e));
    }
    assert.equal((await get()).reminders, true, 'a refused change changes nothing');
    assert.equal((await s.fetch('/api/v1/me/mail')).status, 401);
    assert.equal((await s.fetch('/api/v1/me/mail', json(null, { reminders: false }, 'PATCH'))).status, 401);
    // The page: every box, and saving the form (unticked means off).
    const { cookie, csrf } = await pageSession(s, p.user.handle, p.password);
    res = await s.fetch('/settings/mail', { headers: { cookie } });
    assert.equal(res.status, 200);
    const page = await res.text();
    for (const c of ['reminders', 'followups', 'notices']) assert.match(page, new RegExp(`name="${c}" type="checkbox"`));
    assert.match(page, /not confirmed yet/);
    res = await s.fetch('/settings/mail', form({ _csrf: csrf, followups: 'on' }, cookie));
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/settings/mail?saved=1');
    const after = await get();
    assert.deepEqual([after.reminders, after.followups, after.notices], [false, true, false]);
    assert.equal((await s.fetch('/settings/mail', form({ followups: 'on' }, cookie))).status, 403, 'the form needs its CSRF token');
    assert.equal((await s.fetch('/settings/mail')).status, 303, 'the page needs a person');
  });

  test('an unconfirmed address gets account mail only, and a notice on every page', async () => {
    const p = await signup(s, {});
    assert.equal(p.user.email_confirmed, false);
    assert.equal(await queue({ handle: p.user.handle, category: 'notices', subject: 'n', text: 'n' }), 0);
    assert.equal(await queue({ handle: p.user.handle, category: 'reminders', subject: 'r', text: 'r' }), 0);
    const { cookie } = await pageSession(s, p.user.handle, p.password);
    let home = await (await s.fetch('/', { headers: { cookie } })).text();
    assert.match(home, /Please confirm your email address/);
    assert.match(home, /action="\/confirm-email\/resend"/);
    await runJobs(s);
    const [mail] = mailTo(smtp, p.user.email);
    // Followed signed in: the page that says it is confirmed no longer asks for it.
    const done = await s.fetch(linkIn(mail, '/confirm-email').path, { headers: { cookie } });
    assert.equal(done.status, 200);
    const said = await done.text();
    assert.match(said, /Address confirmed/);
    assert.doesNotMatch(said, /Please confirm your email address/);
    home = await (await s.fetch('/', { headers: { cookie } })).text();
    assert.doesNotMatch(home, /Please confirm your email address/);
    assert.ok(await queue({ handle: p.user.handle, category: 'notices', subject: 'n', text: 'n' }) > 0);
  });

  test('sign-up confirmation: the link works once; used, expired and made-up links do not', async () => {
    const p = await signup(s, {});
    await runJobs(s);
    const [mail] = mailTo(smtp, p.user.email);
    assert.equal(mail.headers.Subject, 'Confirm your address for Praxis');
    const link = linkIn(mail, '/confirm-email');
    assert.match(link.token, /^[A-Za-z0-9_-]{43}$/);
    const stored = await sql(s, `SELECT token_hash FROM email_tokens WHERE user_id = ${p.user.id}`);
    assert.ok(!stored.includes(link.token), 'only a hash of the token is kept');
    let res = await s.fetch(link.path);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /Address confirmed/);
    const me = await (await s.fetch('/api/v1/me', { headers: { authorization: p.auth } })).json();
    assert.equal(me.user.email_confirmed, true);
    res = await s.fetch(link.path);
    assert.equal(res.status, 404, 'a second use is refused');
    assert.match(await res.text(), /This link does not work/);
    assert.equal((await s.fetch('/confirm-email/made-up')).status, 404);
    // Already confirmed: nothing to send again.
    assert.equal((await s.fetch('/api/v1/me/email/resend', json(p.auth, {}))).status, 409);

    // An expired link (its 48 hours moved into the past) is refused; a new one works.
    const q = await signup(s, {});
    await runJobs(s);
    const old = linkIn(mailTo(smtp, q.user.email)[0], '/confirm-email');
    await sql(s, `UPDATE email_tokens SET expires_at = ${now() - 1} WHERE user_id = ${q.user.id}`);
    assert.equal((await s.fetch(old.path)).status, 404, 'expired');
    res = await s.fetch('/api/v1/email/confirm', json(null, { token: old.token }));
    assert.equal(res.status, 400);
    assert.match((await res.json()).error.fields.token, /unknown, used or expired/);
    res = await s.fetch('/api/v1/me/email/resend', json(q.auth, {}));
    assert.equal(res.status, 202);
    await runJobs(s);
    const fresh = linkIn(mailTo(smtp, q.user.email)[1], '/confirm-email');
    assert.notEqual(fresh.token, old.token);
    res = await s.fetch('/api/v1/email/confirm', json(null, { token: fresh.token }));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { email_confirmed: true });
    const verbs = await rows(s, `SELECT verb FROM activity WHERE object_id = ${q.user.id} AND object_type = 'user' ORDER BY id`);
    assert.deepEqual(verbs.map((v) => v[0]), ['signup', 'resend_confirmation', 'confirm_email']);

    // Asking again is limited per person.
    const r = await signup(s, {});
    const codes = [];
    for (let i = 0; i < 6; i++) codes.push((await s.fetch('/api/v1/me/email/resend', json(r.auth, {}))).status);
    assert.deepEqual(codes, [202, 202, 202, 202, 202, 429]);
  });

  test('a forgotten password: the same answer for any address, a single-use link, old sessions ended', async () => {
    const p = await confirmedPerson({});
    const before = smtp.messages().length;
    const known = await s.fetch('/api/v1/password/forgot', json(null, { email: p.user.email.toUpperCase() }));
    const unknown = await s.fetch('/api/v1/password/forgot', json(null, { email: 'nobody-here@example.org' }));
    assert.equal(known.status, 202);
    assert.equal(unknown.status, known.status, 'the same status');
    assert.deepEqual(await unknown.json(), await known.json(), 'and the same answer');
    let res = await s.fetch('/api/v1/password/forgot', json(null, { email: 'not an address' }));
    assert.equal(res.status, 400);
    assert.ok((await res.json()).error.fields.email);
    await runJobs(s);
    assert.equal(smtp.messages().length, before + 1, 'one mail, to the known address');
    const [mail] = mailTo(smtp, p.user.email).slice(-1);
    assert.equal(mail.headers.Subject, 'Choose a new password for Praxis');
    assert.equal(mail.headers['List-Unsubscribe'], undefined);
    const link = linkIn(mail, '/reset-password');
    res = await s.fetch(link.path);
    assert.equal(res.status, 200);
    assert.match(await res.text(), new RegExp(`For @${p.user.handle}`));
    assert.equal((await s.fetch('/reset-password/made-up')).status, 404);

    // Sessions the old password opened: an API token and a page session.
    const page = await pageSession(s, p.user.handle, p.password);
    assert.equal((await s.fetch('/api/v1/me', { headers: { cookie: page.cookie } })).status, 200);
    // The new password follows the rules of sign-up.
    for (const [password, why] of [['short', /at least 10/], ['qwertyuiop', /common/]]) {
      res = await s.fetch('/api/v1/password/reset', json(null, { token: link.token, password }));
      assert.equal(res.status, 400, password);
      assert.match((await res.json()).error.fields.password, why);
    }
    res = await s.fetch('/api/v1/password/reset', json(null, { token: link.token, password: 'a brand new passphrase' }));
    assert.equal(res.status, 204);
    assert.equal((await s.fetch('/api/v1/me', { headers: { authorization: p.auth } })).status, 401, 'the API token ended');
    assert.equal((await s.fetch('/api/v1/me', { headers: { cookie: page.cookie } })).status, 401, 'the session ended');
    res = await s.fetch('/api/v1/login', json(null, { login: p.user.handle, password: p.password }));
    assert.equal(res.status, 401, 'the old password is gone');
    res = await s.fetch('/api/v1/login', json(null, { login: p.user.handle, password: 'a brand new passphrase' }));
    assert.equal(res.status, 200);
    // Single use.
    res = await s.fetch('/api/v1/password/reset', json(null, { token: link.token, password: 'yet another passphrase' }));
    assert.equal(res.status, 400);
    assert.match((await res.json()).error.fields.token, /unknown, used or expired/);
    assert.equal((await s.fetch(link.path)).status, 404);
    const verbs = await rows(s, `SELECT verb FROM activity WHERE object_id = ${p.user.id} AND verb IN ('request_reset', 'reset_password') ORDER BY id`);
    assert.deepEqual(verbs.map((v) => v[0]), ['request_reset', 'reset_password']);
  });

  test('a forgotten password on the pages, an expired link, and the limits', async () => {
    const p = await confirmedPerson({});
    let res = await s.fetch('/forgot-password');
    assert.equal(res.status, 200);
    // The page says the same for an address with an account and one without.
    const page = async (email) => {
      const r = await s.fetch('/forgot-password', form({ email }));
      assert.equal(r.status, 200);
      return (await r.text()).replace(/<meta name="request-id"[^>]*>/, '');
    };
    const sent = await page(p.user.email);
    assert.match(sent, /If an account uses that address/);
    assert.equal(await page('nobody-else@example.org'), sent);
    res = await s.fetch('/forgot-password', form({ email: '' }));
    assert.equal(res.status, 400);
    await runJobs(s);
    const link = linkIn(mailTo(smtp, p.user.email).slice(-1)[0], '/reset-password');
    res = await s.fetch(link.path, form({ password: 'short' }));
    assert.equal(res.status, 400);
    assert.match(await res.text(), /Password must be at least 10/i);
    res = await s.fetch(link.path, form({ password: 'a fine new passphrase' }));
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/');
    const cookie = sessionCookie(res);
    const me = await (await s.fetch('/api/v1/me', { headers: { cookie } })).json();
    assert.equal(me.user.id, p.user.id, 'signed in with the new password');

    // An expired link: its hour moved into the past.
    await s.fetch('/api/v1/password/forgot', json(null, { email: p.user.email }));
    await runJobs(s);
    const late = linkIn(mailTo(smtp, p.user.email).slice(-1)[0], '/reset-password');
    await sql(s, `UPDATE email_tokens SET expires_at = ${now() - 1} WHERE purpose = 'reset' AND used_at IS NULL`);
    assert.equal((await s.fetch(late.path)).status, 404);
    res = await s.fetch('/api/v1/password/reset', json(null, { token: late.token, password: 'one more passphrase' }));
    assert.equal(res.status, 400);

    // Three asks an hour per address typed, whether it has an account or not
    // (the one above asked twice already).
    for (const [email, want] of [[p.user.email, [202, 429, 429]], ['ghost@example.org', [202, 202, 202, 429]]]) {
      const codes = [];
      for (let i = 0; i < want.length; i++) {
        res = await s.fetch('/api/v1/password/forgot', json(null, { email }));
        codes.push(res.status);
      }
      assert.deepEqual(codes, want, email);
      assert.ok(Number(res.headers.get('retry-after')) > 0);
    }
  });

  test('a name with a line break cannot add a header', async () => {
    const p = await signup(s, { name: 'Eve\r\nBcc: victim@example.org', email: 'eve@example.org' });
    await runJobs(s);
    const [m] = mailTo(smtp, 'eve@example.org');
    assert.equal(m.headers.Bcc, undefined);
    assert.deepEqual(m.envelope.rcpt_tos, ['eve@example.org']);
    assert.equal(m.to.addr, 'eve@example.org');
    assert.ok(!m.raw_headers.To.includes('\n'));
    assert.equal(mailTo(smtp, 'victim@example.org').length, 0);
    assert.ok(p.user.id > 0);
  });
});

describe(`mail by file and by smtps on ${BACKEND}`, () => {
  test('the file transport writes one whole .eml per message under the data folder', async () => {
    const f = await startServer({ args: ['--jobs', 'off'] });
    try {
      const p = await signup(f, { name: 'Ana Lúcia', email: 'ana@example.org' });
      assert.equal(mailFiles(f).length, 0, 'nothing before the job runs');
      await runJobs(f);
      const files = mailFiles(f);
      assert.equal(files.length, 1);
      const names = readdirSync(join(f.data, 'mail'));
      assert.deepEqual(names, [files[0].split('/').pop()], 'no temporary file is left');
      const m = parseMail(files[0]);
      assert.deepEqual(m.defects, []);
      assert.deepEqual(m.to, { name: 'Ana Lúcia', addr: 'ana@example.org' });
      assert.equal(m.headers.Subject, 'Confirm your address for Praxis');
      assert.deepEqual(m.parts.map((x) => x.type), ['text/plain', 'text/html']);
      assert.equal(m.lines.crlf, true);
      assert.ok(m.lines.longest <= 78);
      const link = linkIn(m, '/confirm-email');
      assert.equal((await f.fetch(link.path)).status, 200);
      const [row] = await rows(f, `SELECT state, message_id FROM mail_outbox WHERE user_id = ${p.user.id}`);
      assert.equal(row[0], 'sent');
      assert.equal(`<${row[1]}>`, m.headers['Message-ID']);
      // Running the job again (as after a crash) writes nothing new.
      await sql(f, "UPDATE jobs SET state = 'queued', run_at = 0 WHERE kind = 'mail.send'");
      await runJobs(f);
      assert.deepEqual(await mailJobs(f), [['done', '2']], 'the job ran a second time');
      assert.equal(mailFiles(f).length, 1);
    } finally {
      await f.stop();
    }
  });

  test('people the demo makes count as confirmed; sign-ups do not until they confirm', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'praxis-mail-demo-'));
    try {
      const db = freshDatabase(dir);
      const r = await run(['demo', '--db', db, '--test-mode', 'on', '--password-cost', 'minimum']);
      assert.equal(r.code, 0, r.stderr);
      const [[people, unconfirmed]] = await rows({ db }, 'SELECT count(*), sum(CASE WHEN email_confirmed = 0 THEN 1 ELSE 0 END) FROM users');
      assert.ok(Number(people) > 10);
      assert.equal(unconfirmed, '0');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('smtps:// speaks TLS from the start; a refused login fails for good', async () => {
    const smtp = await startSmtp({ implicitTls: true });
    const ok = await startServer({ smtp, args: ['--jobs', 'off'] });
    const bad = await startServer({ smtp, args: ['--jobs', 'off', '--smtp-password', 'not the password'] });
    try {
      await signup(ok, { email: 'tls@example.org' });
      await runJobs(ok);
      const [m] = await smtp.waitFor(1);
      assert.equal(m.envelope.tls, true);
      assert.equal(m.envelope.login, smtp.user);
      const p = await signup(bad, { email: 'nologin@example.org' });
      await runJobs(bad);
      assert.deepEqual(await mailJobs(bad), [['failed', '1']], 'a refused login is not tried again');
      const [row] = await rows(bad, `SELECT state, last_error FROM mail_outbox WHERE user_id = ${p.user.id}`);
      assert.equal(row[0], 'failed');
      assert.match(row[1], /^535 /);
      assert.equal(smtp.messages().length, 1);
    } finally {
      await ok.stop();
      await bad.stop();
      await smtp.stop();
    }
  });
});

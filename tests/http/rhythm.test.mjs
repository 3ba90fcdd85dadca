// The meeting loop on both backends: reminders before an occurrence (with
// the .ics attached), the ask for a follow-up when it ends, the follow-up
// published as a summary topic and mailed to those who came and those who
// follow the space, a place off the waiting list, and a space's rhythm with
// its notices. Mail goes to a real SMTP server on loopback (STARTTLS and a
// login); each message it takes is parsed by Python's email package. Time
// moves with the jobs' as_of (test mode).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startSmtp, signup, runJobs, parseMail, sql, BACKEND } from './harness.mjs';

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
  return body.error.fields[field];
}

const MIN = 60;
const HOUR = 3600;
const DAY = 86400;
const now = () => Math.floor(Date.now() / 1000);
// "2026-12-10T18:00" in UTC, from unix seconds.
const utcLocal = (t) => new Date(t * 1000).toISOString().slice(0, 16);

describe(`the meeting loop on ${BACKEND}`, () => {
  let s, smtp, owner, fac, ana, ben, cat, fan, out;
  const seen = new Set(); // messages looked at so far

  // The messages the SMTP server took since the last look, parsed.
  const newMail = () => {
    const fresh = smtp.messages().filter((m) => !seen.has(m.file));
    for (const m of fresh) seen.add(m.file);
    return fresh.map((m) => parseMail(m.file));
  };
  const to = (msgs, who) => msgs.filter((m) => m.to.addr === who.user.email);

  // Confirm an address through the link its confirmation mail carries.
  async function confirm(who) {
    await runJobs(s);
    const mail = smtp.messages().map((m) => parseMail(m.file))
      .find((m) => m.to.addr === who.user.email && /\/confirm-email\//.test(m.text));
    assert.ok(mail, `a confirmation mail to ${who.user.email}`);
    const token = /\/confirm-email\/([A-Za-z0-9_-]+)/.exec(mail.text)[1];
    await ok(await call(s, null, 'POST', '/api/v1/email/confirm', { token }));
  }

  const create = async (body, who = fac, slug = 'circle') =>
    (await ok(await call(s, who, 'POST', `/api/v1/spaces/${slug}/events`, body), 201)).event;

  before(async () => {
    smtp = await startSmtp();
    s = await startServer({ smtp, args: ['--jobs', 'off'] });
    [owner, fac, ana, ben, cat, fan, out] = await Promise.all(
      [signup(s), signup(s), signup(s), signup(s), signup(s), signup(s), signup(s)]);
    for (const who of [owner, fac, ana, ben, cat, fan, out]) await confirm(who);
    for (const [slug, vis] of [['circle', 'public'], ['inner', 'private'], ['beat', 'public']]) {
      await ok(await call(s, owner, 'POST', '/api/v1/spaces', { slug, name: `The ${slug}`, purpose: 'p', visibility: vis, join: 'invite' }), 201);
      for (const who of [fac, ana, ben, cat, fan]) {
        const inv = await ok(await call(s, owner, 'POST', `/api/v1/spaces/${slug}/invites`, {}), 201);
        await ok(await call(s, who, 'POST', `/api/v1/invites/${inv.token}/accept`));
      }
      await ok(await call(s, owner, 'PATCH', `/api/v1/spaces/${slug}/members/${fac.user.handle}`, { role: 'facilitator' }), 204);
    }
    await ok(await call(s, fan, 'POST', '/api/v1/spaces/circle/watch', { level: 'watching' }));
    await runJobs(s);
    newMail();
  });
  after(async () => {
    if (!s.exited) await s.stop();
    await smtp.stop();
  });

  test('reminders go at each offset to those going or maybe, with the .ics, once', async () => {
    const wall = Math.floor(now() / HOUR) * HOUR + 2 * DAY;
    const e = await create({
      title: 'Tea and lesson plans', starts_at: utcLocal(wall), ends_at: utcLocal(wall + HOUR), tz: 'Europe/Paris',
      mode: 'hybrid', location: 'Staff room', join_url: 'https://meet.example.org/tea', reminders: [1440, 60],
    });
    for (const [who, status] of [[ana, 'going'], [ben, 'maybe'], [cat, 'not_going']])
      await ok(await call(s, who, 'POST', `/api/v1/events/${e.id}/rsvp`, { status }));
    // The wall time is Paris's: the start in UTC is what the API says.
    const start = Date.parse(e.start) / 1000;
    const keys = (await sql(s, `SELECT key FROM jobs WHERE kind = 'event.remind' AND key LIKE 'event:${e.id}:%' ORDER BY run_at`)).split('\n');
    assert.deepEqual(keys, [`event:${e.id}:${start}:remind:1440`, `event:${e.id}:${start}:remind:60`]);

    await runJobs(s, start - DAY - 1);
    assert.equal(newMail().length, 0, 'not before its time');
    await runJobs(s, start - DAY);
    let msgs = newMail();
    assert.deepEqual(msgs.map((m) => m.to.addr).sort(), [ana.user.email, ben.user.email].sort());
    const m = to(msgs, ana)[0];
    assert.equal(m.headers.Subject, 'Reminder: Tea and lesson plans');
    assert.match(m.text, /you are going to this/);
    assert.match(m.text, /Staff room/);
    assert.match(m.text, /Join online: https:\/\/meet\.example\.org\/tea/);
    assert.match(m.html, /Tea and lesson plans/);
    assert.ok(m.headers['List-Unsubscribe'], 'bulk mail can be stopped in one click');
    assert.equal(m.attachments.length, 1);
    assert.equal(m.attachments[0].filename, 'event.ics');
    assert.match(m.attachments[0].content_type, /^text\/calendar/);
    assert.match(m.attachments[0].text, /BEGIN:VEVENT[\s\S]*SUMMARY:Tea and lesson plans/);
    assert.match(to(msgs, ben)[0].text, /might come/);
    // The time is told in the reader's own zone (UTC for these accounts).
    const hh = new Date(start * 1000).toISOString().slice(11, 16);
    assert.match(m.text, new RegExp(`${hh}.*\\(UTC\\)`));

    await runJobs(s, start - DAY);
    assert.equal(newMail().length, 0, 'a reminder is sent once');

    // Ben stops reminders in one click, without signing in (RFC 8058).
    const link = /^<(https?:\/\/[^>]+)>$/.exec(to(msgs, ben)[0].headers['List-Unsubscribe'])[1];
    assert.equal(to(msgs, ben)[0].headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');
    const res = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    assert.equal(res.status, 200);
    assert.equal((await ok(await call(s, ben, 'GET', '/api/v1/me/mail'))).mail.reminders, false);
    await runJobs(s, start - HOUR);
    msgs = newMail();
    assert.deepEqual(msgs.map((m) => m.to.addr), [ana.user.email], 'and again an hour before, to those who still want it');
    await runJobs(s, start + 10 * MIN);
    assert.equal(newMail().length, 0);
  });

  test('a moved event moves its reminders; a cancelled one sends none', async () => {
    const start = Math.floor(now() / HOUR) * HOUR + 3 * DAY;
    const e = await create({
      title: 'Moved', starts_at: utcLocal(start), ends_at: utcLocal(start + HOUR), tz: 'UTC',
      mode: 'online', join_url: 'https://meet.example.org/m', reminders: [60],
    });
    await ok(await call(s, ana, 'POST', `/api/v1/events/${e.id}/rsvp`, { status: 'going' }));
    const later = start + DAY;
    await ok(await call(s, fac, 'PATCH', `/api/v1/events/${e.id}`, { starts_at: utcLocal(later), ends_at: utcLocal(later + HOUR), tz: 'UTC' }));
    await runJobs(s, start - HOUR);
    assert.equal(newMail().filter((m) => m.headers.Subject === 'Reminder: Moved').length, 0, 'not at the old time');
    await runJobs(s, later - HOUR);
    assert.equal(newMail().filter((m) => m.headers.Subject === 'Reminder: Moved').length, 1, 'at the new one');

    const gone = await create({
      title: 'Called off', starts_at: utcLocal(start), ends_at: utcLocal(start + HOUR), tz: 'UTC',
      mode: 'online', join_url: 'https://meet.example.org/c', reminders: [30],
    });
    await ok(await call(s, ana, 'POST', `/api/v1/events/${gone.id}/rsvp`, { status: 'going' }));
    await ok(await call(s, fac, 'DELETE', `/api/v1/events/${gone.id}`), 204);
    assert.equal(await sql(s, `SELECT count(*) FROM jobs WHERE key LIKE 'event:${gone.id}:%' AND state = 'queued'`), '0');
    await runJobs(s, start - 30 * MIN);
    assert.equal(newMail().filter((m) => /Called off/.test(m.headers.Subject)).length, 0);
  });

  test('a place off the waiting list is told by mail', async () => {
    const start = Math.floor(now() / HOUR) * HOUR + 5 * DAY;
    const e = await create({
      title: 'Small room', starts_at: utcLocal(start), ends_at: utcLocal(start + HOUR), tz: 'UTC',
      mode: 'in_person', location: 'Room 2', capacity: 1,
    });
    await ok(await call(s, ana, 'POST', `/api/v1/events/${e.id}/rsvp`, { status: 'going' }));
    const waiting = await ok(await call(s, cat, 'POST', `/api/v1/events/${e.id}/rsvp`, { status: 'going' }));
    assert.equal(waiting.occurrence.my_rsvp.status, 'waitlisted');
    await ok(await call(s, ana, 'POST', `/api/v1/events/${e.id}/rsvp`, { status: 'not_going' }));
    await runJobs(s);
    const msgs = newMail().filter((m) => /Small room/.test(m.headers.Subject));
    assert.equal(msgs.length, 1);
    assert.equal(msgs[0].to.addr, cat.user.email, 'cat, who waited (ben turned reminders off)');
    assert.equal(msgs[0].headers.Subject, 'You have a place: Small room');
    assert.match(msgs[0].text, /it is yours/);
  });

  test('when it ends the hosts are asked; the follow-up is a summary topic, mailed to who came and who follows', async () => {
    // An occurrence that began two hours ago and ended one hour ago.
    const start = Math.floor(now() / MIN) * MIN - 2 * HOUR;
    const e = await create({
      title: 'Reading group', starts_at: utcLocal(start), ends_at: utcLocal(start + HOUR), tz: 'UTC',
      mode: 'in_person', location: 'Library', hosts: [ana.user.handle],
    });
    const occ = Date.parse(e.start) / 1000;
    // Planned at creation: the end is past, so the ask is due at once.
    await runJobs(s);
    let msgs = newMail().filter((m) => /Reading group/.test(m.headers.Subject));
    assert.deepEqual(msgs.map((m) => m.to.addr).sort(), [fac.user.email, ana.user.email].sort());
    assert.equal(msgs[0].headers.Subject, 'How did it go? Reading group');
    assert.match(msgs[0].text, new RegExp(`/events/${e.id}/followup\\?occurrence=${occ}`));

    // Its hosts see, on its page, a prompt to write the follow-up; others do not.
    let page = await (await s.fetch(`/events/${e.id}`, { headers: { authorization: fac.auth } })).text();
    assert.match(page, new RegExp(`href="/events/${e.id}/followup\\?occurrence=${occ}"`));
    page = await (await s.fetch(`/events/${e.id}`, { headers: { authorization: cat.auth } })).text();
    assert.doesNotMatch(page, /Write the follow-up/);
    const form = await s.fetch(`/events/${e.id}/followup?occurrence=${occ}`, { headers: { authorization: ana.auth } });
    assert.equal(form.status, 200);
    assert.match(await form.text(), /name="summary"/);

    // ben came (a host marks him); cat did not.
    await ok(await call(s, fac, 'POST', `/api/v1/events/${e.id}/attendance`, { occurrence: occ, handle: ben.user.handle, mode: 'in_person', present: true }));

    // Who may publish, and bad input.
    assert.equal((await call(s, out, 'POST', `/api/v1/events/${e.id}/followup`, { summary: 'x' })).status, 403);
    assert.equal((await call(s, cat, 'POST', `/api/v1/events/${e.id}/followup`, { summary: 'x' })).status, 403);
    assert.equal((await call(s, null, 'POST', `/api/v1/events/${e.id}/followup`, { summary: 'x' })).status, 401);
    await fieldError(await call(s, fac, 'POST', `/api/v1/events/${e.id}/followup`, {}), 400, 'summary');
    await fieldError(await call(s, fac, 'POST', `/api/v1/events/${e.id}/followup`, { summary: '   ' }), 400, 'summary');
    await fieldError(await call(s, fac, 'POST', `/api/v1/events/${e.id}/followup`, { summary: 'x'.repeat(20001) }), 400, 'summary');
    await fieldError(await call(s, fac, 'POST', `/api/v1/events/${e.id}/followup`, { summary: 'ok', resources: ['javascript:alert(1)'] }), 400, 'resources');
    await fieldError(await call(s, fac, 'POST', `/api/v1/events/${e.id}/followup`, { summary: 'ok', occurrence: String(occ + 60) }), 400, 'occurrence');
    await fieldError(await call(s, fac, 'POST', `/api/v1/events/${e.id}/followup`, { summary: 'ok', occurrence: 'yesterday' }), 400, 'occurrence');
    assert.equal(await sql(s, `SELECT count(*) FROM event_followups WHERE event_id = ${e.id}`), '0', 'nothing saved');

    const res = await ok(await call(s, ana, 'POST', `/api/v1/events/${e.id}/followup`, {
      summary: 'We read **chapter 3** and argued about homework.',
      resources: ['https://example.org/chapter-3.pdf', 'https://example.org/notes'],
      next_steps: 'Everyone tries one idea in class.',
    }), 201);
    assert.equal(res.followup.occurrence, new Date(occ * 1000).toISOString().replace('.000', ''));
    assert.match(res.followup.summary_html, /<strong>chapter 3<\/strong>/);
    assert.deepEqual(res.followup.resources, ['https://example.org/chapter-3.pdf', 'https://example.org/notes']);
    assert.equal(res.followup.author.handle, ana.user.handle);
    // The summary topic, in the space, linking back to the event.
    const topic = await ok(await call(s, fan, 'GET', `/api/v1/topics/${res.topic.id}`));
    assert.equal(topic.topic.kind, 'summary');
    assert.equal(topic.topic.title, 'Summary: Reading group');
    assert.match(topic.posts[0].html, new RegExp(`href="[^"]*/events/${e.id}"`));
    assert.match(topic.posts[0].html, /chapter-3\.pdf/);
    // Listed with the event.
    const list = await ok(await call(s, null, 'GET', `/api/v1/events/${e.id}/followups`));
    assert.equal(list.followups.length, 1);
    assert.equal(list.followups[0].topic_id, res.topic.id);
    // On the event: in its answer and on its page, for any reader; the hosts' prompt is gone.
    const shown = await ok(await call(s, null, 'GET', `/api/v1/events/${e.id}`));
    assert.equal(shown.event.followups.length, 1);
    assert.match(shown.event.followups[0].summary_html, /chapter 3/);
    page = await (await s.fetch(`/events/${e.id}`)).text();
    assert.match(page, /<h2 id="followups-title">Follow-up<\/h2>/);
    assert.match(page, /<strong>chapter 3<\/strong>/);
    assert.match(page, /href="https:\/\/example\.org\/notes"/);
    assert.match(page, new RegExp(`href="/topics/${res.topic.id}"`));
    page = await (await s.fetch(`/events/${e.id}`, { headers: { authorization: fac.auth } })).text();
    assert.doesNotMatch(page, /Write the follow-up/);
    // Once per occurrence.
    await fieldError(await call(s, fac, 'POST', `/api/v1/events/${e.id}/followup`, { summary: 'again' }), 409, 'occurrence');

    await runJobs(s);
    msgs = newMail().filter((m) => m.headers.Subject === 'Follow-up: Reading group');
    assert.deepEqual(msgs.map((m) => m.to.addr).sort(), [ben.user.email, fan.user.email].sort(), 'who came and who follows; nobody else');
    assert.match(to(msgs, ben)[0].text, /Thank you for coming/);
    assert.match(to(msgs, ben)[0].text, /chapter 3/);
    assert.match(to(msgs, ben)[0].html, /<strong>chapter 3<\/strong>/);
    assert.match(to(msgs, fan)[0].text, /a space you follow/);
    await runJobs(s);
    assert.equal(newMail().length, 0, 'sent once');
  });

  test('a private space keeps its follow-ups and rhythm from outsiders', async () => {
    const start = Math.floor(now() / MIN) * MIN - 3 * HOUR;
    const e = await create({
      title: 'Inner circle', starts_at: utcLocal(start), ends_at: utcLocal(start + HOUR), tz: 'UTC',
      mode: 'in_person', location: 'Back room',
    }, fac, 'inner');
    assert.equal((await call(s, out, 'GET', `/api/v1/events/${e.id}/followups`)).status, 404);
    assert.equal((await call(s, null, 'GET', `/api/v1/events/${e.id}/followups`)).status, 404);
    assert.equal((await call(s, out, 'POST', `/api/v1/events/${e.id}/followup`, { summary: 'x' })).status, 404);
    assert.equal((await call(s, out, 'GET', '/api/v1/spaces/inner/rhythm')).status, 404);
    assert.equal((await s.fetch('/spaces/inner/rhythm')).status, 404);
    assert.equal((await call(s, ana, 'GET', '/api/v1/spaces/inner/rhythm')).status, 200);
    await ok(await call(s, fac, 'POST', `/api/v1/events/${e.id}/followup`, { summary: 'Private words' }), 201);
    await runJobs(s);
    const msgs = newMail().filter((m) => /Inner circle/.test(m.headers.Subject));
    assert.ok(msgs.every((m) => m.to.addr !== out.user.email && m.to.addr !== fan.user.email),
      'a follower of the public space hears nothing of the private one');
  });

  test('the rhythm: rituals and how they are kept, weeks, the ceiling, and notices', async () => {
    // A weekly call that began five weeks ago, at this minute of the week.
    const first = Math.floor(now() / MIN) * MIN - 5 * 7 * DAY + HOUR;
    const e = await create({
      title: 'Weekly call', starts_at: utcLocal(first), ends_at: utcLocal(first + HOUR), tz: 'UTC',
      mode: 'online', join_url: 'https://meet.example.org/weekly', rrule: 'FREQ=WEEKLY',
    }, fac, 'beat');
    // Held (attendance recorded) in three of the five weeks that have begun.
    for (const k of [0, 1, 3])
      await ok(await call(s, fac, 'POST', `/api/v1/events/${e.id}/attendance`, { occurrence: first + k * 7 * DAY, handle: ana.user.handle, mode: 'online', present: true }));
    let r = await ok(await call(s, ana, 'GET', '/api/v1/spaces/beat/rhythm'));
    const ritual = r.rituals.find((x) => x.event_id === e.id);
    assert.equal(ritual.of, 5);
    assert.equal(ritual.held, 3);
    assert.equal(ritual.kept, 'held 3 of the last 5');
    assert.ok(ritual.next);
    assert.equal(r.weeks.length, 16);
    assert.deepEqual(r.settings, { ceiling: 3, quiet_days: 21 });
    assert.ok(r.weeks.slice(7).reduce((n, w) => n + w.events, 0) >= 5, 'a call each week since');
    assert.equal(r.status, 'steady');

    // The ceiling: facilitators set it; members may not; bad values name the field.
    assert.equal((await call(s, ana, 'PATCH', '/api/v1/spaces/beat/rhythm', { ceiling: 1 })).status, 403);
    assert.equal((await call(s, null, 'PATCH', '/api/v1/spaces/beat/rhythm', { ceiling: 1 })).status, 401);
    await fieldError(await call(s, fac, 'PATCH', '/api/v1/spaces/beat/rhythm', { ceiling: 0 }), 400, 'ceiling');
    await fieldError(await call(s, fac, 'PATCH', '/api/v1/spaces/beat/rhythm', { ceiling: 'many' }), 400, 'ceiling');
    await fieldError(await call(s, fac, 'PATCH', '/api/v1/spaces/beat/rhythm', { quiet_days: 1 }), 400, 'quiet_days');
    await fieldError(await call(s, fac, 'PATCH', '/api/v1/spaces/beat/rhythm', {}), 400, 'ceiling');
    r = await ok(await call(s, fac, 'PATCH', '/api/v1/spaces/beat/rhythm', { ceiling: 1 }));
    assert.equal(r.settings.ceiling, 1);
    assert.equal(r.settings.quiet_days, 21, 'kept');

    // Two more events in the coming week: crowded, and its facilitators are told once.
    for (const d of [5.5, 6.5]) {
      const t = Math.floor(now() / HOUR) * HOUR + d * DAY;
      await create({ title: `Extra ${d}`, starts_at: utcLocal(t), ends_at: utcLocal(t + HOUR), tz: 'UTC', mode: 'in_person', location: 'Hall' }, fac, 'beat');
    }
    r = await ok(await call(s, ana, 'GET', '/api/v1/spaces/beat/rhythm'));
    assert.equal(r.status, 'crowded');
    // The daily look (earlier tests moved the clock up to four days ahead).
    await runJobs(s, now() + 5 * DAY + HOUR);
    const notices = newMail().filter((m) => m.headers.Subject === 'The beat is crowded');
    assert.deepEqual(notices.map((m) => m.to.addr).sort(), [owner.user.email, fac.user.email].sort());
    assert.match(notices[0].text, /more than the 1 a week you set/);
    assert.match(notices[0].text, /\/spaces\/beat\/rhythm/);

    // The page shows the same, with the settings form for facilitators only.
    let page = await s.fetch('/spaces/beat/rhythm', { headers: { authorization: fac.auth } });
    assert.equal(page.status, 200);
    let html = await page.text();
    assert.match(html, /Crowded\./);
    assert.match(html, /Weekly call<\/a>: <span class="slipping">held 3 of the last 5<\/span>/);
    assert.match(html, /name="ceiling"/);
    page = await s.fetch('/spaces/beat/rhythm', { headers: { authorization: ana.auth } });
    html = await page.text();
    assert.doesNotMatch(html, /name="ceiling"/);
  });

  test('a space with no events and little else is quiet once it is old enough', async () => {
    await ok(await call(s, owner, 'POST', '/api/v1/spaces', { slug: 'sleepy', name: 'Sleepy hollow', purpose: 'p', visibility: 'public', join: 'open' }), 201);
    let r = await ok(await call(s, owner, 'GET', '/api/v1/spaces/sleepy/rhythm'));
    assert.equal(r.status, 'steady', 'too young to be quiet');
    await runJobs(s, now() + 30 * DAY);
    const msgs = newMail().filter((m) => m.headers.Subject === 'Sleepy hollow is quiet');
    assert.deepEqual(msgs.map((m) => m.to.addr), [owner.user.email]);
    assert.match(msgs[0].text, /no event in the last 21 days/);
  });
});

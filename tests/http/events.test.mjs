// Events over the API and as calendars: creating and changing them, time
// zones and recurrence across daylight-saving changes, exceptions, answers
// under a capacity with a waiting list that moves up, check-in codes and
// their window, attendance, .ics files read by an independent parser
// (Debian's python3-icalendar), the space feeds and each member's feeds,
// every bad input named by its field, and private staying private.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, signup, sessionCookie, sql, ROOT, BACKEND } from './harness.mjs';

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

// An .ics read by python3-icalendar (the system's python: another one first
// on PATH may lack the module).
function parseIcs(text, max = 60) {
  const out = execFileSync('/usr/bin/python3', [join(ROOT, 'tests/http/icsparse.py'), '-', String(max)], {
    input: text,
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

// RFC 5545's shape of the raw text: CRLF after every line, none over 75 octets.
function assertWellFormed(text) {
  assert.ok(text.startsWith('BEGIN:VCALENDAR\r\n'), 'starts with BEGIN:VCALENDAR');
  assert.ok(text.endsWith('END:VCALENDAR\r\n'), 'ends with END:VCALENDAR and CRLF');
  const lines = text.split('\r\n').slice(0, -1);
  for (const line of lines) {
    assert.ok(!line.includes('\n') && !line.includes('\r'), `a bare line break in ${JSON.stringify(line)}`);
    assert.ok(Buffer.byteLength(line, 'utf8') <= 75, `over 75 octets: ${line}`);
  }
}

// A minute as a local time in UTC ("2026-12-10T18:00"), from milliseconds.
const utcLocal = (ms) => new Date(ms).toISOString().slice(0, 16);
const MIN = 60 * 1000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe(`events on ${BACKEND}`, () => {
  let s, owner, fac, ana, ben, cat, dan, out;
  const create = (who, slug, body) => call(s, who, 'POST', `/api/v1/spaces/${slug}/events`, body);
  const rsvp = (who, id, body) => call(s, who, 'POST', `/api/v1/events/${id}/rsvp`, body);
  const ics = async (path, who) => {
    const res = await s.fetch(path, { headers: who ? { authorization: who.auth } : {} });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };
  // A one-time event starting in `inDays` days (UTC), by the facilitator.
  const soon = async (slug, extra = {}, inDays = 3) => {
    const start = Math.floor(Date.now() / HOUR) * HOUR + inDays * DAY;
    return (await ok(await create(fac, slug, {
      title: 'Soon', starts_at: utcLocal(start), ends_at: utcLocal(start + HOUR), tz: 'UTC',
      mode: 'in_person', location: 'Room 4', ...extra,
    }), 201)).event;
  };

  before(async () => {
    s = await startServer();
    [owner, fac, ana, ben, cat, dan, out] = await Promise.all(
      [signup(s), signup(s), signup(s), signup(s), signup(s), signup(s), signup(s)]);
    for (const [slug, vis] of [['circle', 'public'], ['inner', 'private']]) {
      await ok(await call(s, owner, 'POST', '/api/v1/spaces', { slug, name: `The ${slug}`, purpose: 'p', visibility: vis, join: 'invite' }), 201);
      for (const who of [fac, ana, ben, cat, dan]) {
        const inv = await ok(await call(s, owner, 'POST', `/api/v1/spaces/${slug}/invites`, {}), 201);
        await ok(await call(s, who, 'POST', `/api/v1/invites/${inv.token}/accept`));
      }
      await ok(await call(s, owner, 'PATCH', `/api/v1/spaces/${slug}/members/${fac.user.handle}`, { role: 'facilitator' }), 204);
    }
  });
  after(async () => {
    if (!s.exited) await s.stop();
  });

  test('a facilitator creates an event: 201, its fields as given, defaults, hosts, an activity row', async () => {
    const res = await create(fac, 'circle', {
      title: '  Kickoff: meet the circle  ', description: 'Bring **one** question.\n\n<script>x</script>',
      agenda: '1. Intros\n2. Goals', starts_at: '2027-01-14T18:30', ends_at: '2027-01-14T20:00',
      tz: 'Europe/Paris', mode: 'hybrid', location: 'Café Lumière, Lyon',
      join_url: 'https://meet.example.org/kickoff', capacity: 12, hosts: [ana.user.handle, `@${ben.user.handle}`, ana.user.handle],
    });
    const { event: e } = await ok(res, 201);
    assert.equal(e.title, 'Kickoff: meet the circle');
    assert.equal(e.space, 'circle');
    assert.equal(e.starts_at, '2027-01-14T18:30:00');
    assert.equal(e.ends_at, '2027-01-14T20:00:00');
    assert.equal(e.tz, 'Europe/Paris');
    assert.equal(e.start, '2027-01-14T17:30:00Z', 'Paris is UTC+1 in January');
    assert.equal(e.end, '2027-01-14T19:00:00Z');
    assert.equal(e.mode, 'hybrid');
    assert.equal(e.capacity, 12);
    assert.equal(e.rrule, null);
    assert.deepEqual(e.reminders, [1440, 60], 'a day and an hour before, by default');
    assert.match(e.description_html, /<strong>one<\/strong>/);
    assert.doesNotMatch(e.description_html, /<script/);
    assert.match(e.agenda_html, /<ol>/);
    assert.deepEqual(e.hosts.map((h) => h.handle), [fac.user.handle, ana.user.handle, ben.user.handle]);
    assert.equal(e.created_by.handle, fac.user.handle);
    assert.equal(e.status, 'confirmed');
    assert.equal(e.sequence, 0);
    assert.match(e.uid, /^[0-9a-f]{32}@/);
    assert.equal(e.ics_url, `/events/${e.id}.ics`);
    assert.equal(e.next.occurrence, Date.parse('2027-01-14T17:30:00Z') / 1000);
    assert.equal(await sql(s, `SELECT count(*) FROM activity WHERE verb = 'event.create' AND object_id = ${e.id}`), '1');
    // Stored: local times with their zone, and the first occurrence in UTC for the index.
    assert.equal(await sql(s, `SELECT starts_local || ' ' || tz || ' ' || starts_at FROM events WHERE id = ${e.id}`),
      `2027-01-14T18:30:00 Europe/Paris ${Date.parse('2027-01-14T17:30:00Z') / 1000}`);
    // Only facilitators (and admins) create; members may not; outsiders of a private space see nothing.
    const base = { title: 'T', starts_at: '2027-01-14T18:30', ends_at: '2027-01-14T19:30', tz: 'UTC', mode: 'online', join_url: 'https://x.org' };
    assert.equal((await create(ana, 'circle', base)).status, 403);
    assert.equal((await create(out, 'inner', base)).status, 404);
    assert.equal((await create(null, 'circle', base)).status, 401);
    // A form works too, with reminders as a comma list.
    const f = await s.fetch('/api/v1/spaces/circle/events', {
      method: 'POST', headers: { authorization: fac.auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...base, reminders: '60, 10080', capacity: '3' }).toString(),
    });
    const fe = (await ok(f, 201)).event;
    assert.deepEqual(fe.reminders, [10080, 60]);
    assert.equal(fe.capacity, 3);
  });

  test('bad input names its field, and nothing is saved', async () => {
    const before = await sql(s, 'SELECT count(*) FROM events');
    const acts = await sql(s, "SELECT count(*) FROM activity WHERE verb LIKE 'event.%'");
    const base = {
      title: 'Call', starts_at: '2027-03-02T18:00', ends_at: '2027-03-02T19:00', tz: 'Europe/Paris',
      mode: 'in_person', location: 'Room 4',
    };
    for (const [patch, field] of [
      [{ rrule: 'FREQ=SOMETIMES' }, 'rrule'], [{ rrule: 'weekly please' }, 'rrule'],
      [{ rrule: 'FREQ=HOURLY' }, 'rrule'], [{ rrule: 'FREQ=MINUTELY;COUNT=3' }, 'rrule'],
      [{ rrule: 'FREQ=DAILY;BYHOUR=9,17' }, 'rrule'], [{ rrule: 'FREQ=WEEKLY;BYDAY=WE' }, 'rrule'],
      [{ rrule: 'FREQ=WEEKLY;COUNT=99999' }, 'rrule'], [{ rrule: 'FREQ=WEEKLY;UNTIL=20260101T000000Z' }, 'rrule'],
      [{ rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30' }, 'rrule'],
      [{ tz: 'Mars/Olympus_Mons' }, 'tz'], [{ tz: '../../etc/passwd' }, 'tz'], [{ tz: '' }, 'tz'],
      [{ ends_at: '2027-03-02T17:00' }, 'ends_at'], [{ ends_at: '2027-03-02T18:00' }, 'ends_at'],
      [{ ends_at: '2027-05-02T18:00' }, 'ends_at'],
      [{ starts_at: '2027-03-02 6pm' }, 'starts_at'], [{ starts_at: '2027-02-30T18:00' }, 'starts_at'],
      [{ starts_at: '2027-03-02T18:00:00Z' }, 'starts_at'], [{ starts_at: '2027-03-02T18:00+01:00' }, 'starts_at'],
      [{ ends_at: 'tomorrow' }, 'ends_at'], [{ starts_at: '' }, 'starts_at'],
      [{ capacity: -1 }, 'capacity'], [{ capacity: 'many' }, 'capacity'],
      [{ mode: 'online', join_url: 'ftp://files.example.org' }, 'join_url'],
      [{ mode: 'online', join_url: 'javascript:alert(1)' }, 'join_url'],
      [{ mode: 'online', location: '' }, 'join_url'], [{ location: '' }, 'location'],
      [{ mode: 'hybrid' }, 'join_url'], [{ mode: 'hybrid', location: '', join_url: 'https://x.org' }, 'location'],
      [{ mode: 'carrier pigeon' }, 'mode'],
      [{ reminders: [10, 20, 30, 40, 50, 60] }, 'reminders'], [{ reminders: [1] }, 'reminders'],
      [{ reminders: [60 * 24 * 31] }, 'reminders'], [{ reminders: ['soon'] }, 'reminders'], [{ reminders: 60 }, 'reminders'],
      [{ title: '' }, 'title'], [{ title: 'two\nlines' }, 'title'], [{ title: 'x'.repeat(201) }, 'title'],
      [{ hosts: [out.user.handle] }, 'hosts'], [{ hosts: ['nobody-at-all'] }, 'hosts'],
      [{ status: 'cancelled' }, 'status'],
    ]) {
      await fieldError(await create(fac, 'circle', { ...base, ...patch }), 400, field);
    }
    // Several at once are all named.
    const j = await (await create(fac, 'circle', { title: '', starts_at: 'x', tz: 'Nowhere/Atall', mode: 'online', capacity: -2 })).json();
    for (const f of ['title', 'starts_at', 'ends_at', 'tz', 'capacity']) assert.ok(j.error.fields[f], f);
    assert.equal(await sql(s, 'SELECT count(*) FROM events'), before);
    assert.equal(await sql(s, "SELECT count(*) FROM activity WHERE verb LIKE 'event.%'"), acts);
  });

  test('a weekly event across the end of summer time in Paris keeps 18:00 there, in the API and in its .ics', async () => {
    const { event: e } = await ok(await create(fac, 'circle', {
      title: 'Weekly call, Paris', starts_at: '2027-10-19T18:00', ends_at: '2027-10-19T19:30', tz: 'Europe/Paris',
      mode: 'online', join_url: 'https://meet.example.org/weekly', rrule: 'rrule:freq=weekly;count=4',
    }), 201);
    assert.equal(e.rrule, 'FREQ=WEEKLY;COUNT=4', 'canonical');
    const list = await ok(await call(s, ana, 'GET', `/api/v1/spaces/circle/events?from=2027-10-01T00:00:00Z&to=2027-12-01T00:00:00Z`));
    const occ = list.occurrences.filter((o) => o.event_id === e.id);
    assert.deepEqual(occ.map((o) => o.start), ['2027-10-19T16:00:00Z', '2027-10-26T16:00:00Z', '2027-11-02T17:00:00Z', '2027-11-09T17:00:00Z']);
    assert.deepEqual(occ.map((o) => o.start_local.slice(11)), ['18:00:00', '18:00:00', '18:00:00', '18:00:00']);
    assert.deepEqual(occ.map((o) => o.end_local.slice(11)), ['19:30:00', '19:30:00', '19:30:00', '19:30:00']);
    assert.ok(occ.every((o) => o.tz === 'Europe/Paris'));
    // The .ics, read by python3-icalendar with the offsets of its own VTIMEZONE.
    const f = await ics(`/events/${e.id}.ics`, ana);
    assert.equal(f.status, 200);
    assert.match(f.type, /^text\/calendar/);
    assertWellFormed(f.text);
    const cal = parseIcs(f.text);
    assert.equal(cal.version, '2.0');
    assert.deepEqual(cal.timezones, ['Europe/Paris']);
    const ev = cal.events[0];
    assert.equal(ev.uid, e.uid);
    assert.equal(ev.tzid, 'Europe/Paris');
    assert.equal(ev.rrule, 'FREQ=WEEKLY;COUNT=4');
    assert.equal(ev.summary, 'Weekly call, Paris');
    assert.equal(ev.status, 'CONFIRMED');
    assert.equal(ev.sequence, 0);
    assert.deepEqual(ev.occurrences.map((o) => o.local), occ.map((o) => o.start_local));
    assert.deepEqual(ev.occurrences.map((o) => o.utc), occ.map((o) => o.start));
    assert.deepEqual(ev.occurrences.map((o) => o.offset), [7200, 7200, 3600, 3600]);
    assert.deepEqual(ev.occurrences.map((o) => o.end.utc), occ.map((o) => o.end));
    assert.match(ev.description, /Join: https:\/\/meet\.example\.org\/weekly/, 'a member is given the join link');
    assert.equal(ev.url, `${s.url}/events/${e.id}`);
  });

  test('New York in March, a rule with UNTIL, and a day that is not the rule\'s', async () => {
    const { event: e } = await ok(await create(fac, 'circle', {
      title: 'Thursday review', starts_at: '2027-03-04T18:00', ends_at: '2027-03-04T19:00', tz: 'America/New_York',
      mode: 'in_person', location: 'Room 12', rrule: 'FREQ=WEEKLY;BYDAY=TH;UNTIL=20270325',
    }), 201);
    assert.equal(e.rrule, 'FREQ=WEEKLY;UNTIL=20270326T035959Z;BYDAY=TH', 'UNTIL: the end of that day in New York, in UTC');
    assert.equal(e.repeats_until, '2027-03-25T23:00:00Z');
    const list = await ok(await call(s, null, 'GET', `/api/v1/spaces/circle/events?from=${Date.parse('2027-03-01T00:00:00Z') / 1000}&to=2027-04-30T00:00:00Z`));
    const occ = list.occurrences.filter((o) => o.event_id === e.id);
    assert.deepEqual(occ.map((o) => o.start), ['2027-03-04T23:00:00Z', '2027-03-11T23:00:00Z', '2027-03-18T22:00:00Z', '2027-03-25T22:00:00Z']);
    const cal = parseIcs((await ics(`/events/${e.id}.ics`)).text);
    assert.deepEqual(cal.events[0].occurrences.map((o) => o.utc), occ.map((o) => o.start));
    assert.deepEqual(cal.events[0].occurrences.map((o) => o.local.slice(11)), ['18:00:00', '18:00:00', '18:00:00', '18:00:00']);
    assert.equal(cal.events[0].location, 'Room 12');
    // The list's window is checked.
    await fieldError(await call(s, ana, 'GET', '/api/v1/spaces/circle/events?from=2027-01-01T00:00:00Z&to=2028-06-01T00:00:00Z'), 400, 'to');
    await fieldError(await call(s, ana, 'GET', '/api/v1/spaces/circle/events?from=2027-02-01T00:00:00Z&to=2027-01-01T00:00:00Z'), 400, 'to');
    await fieldError(await call(s, ana, 'GET', '/api/v1/spaces/circle/events?from=last+week'), 400, 'from');
  });

  test('changes: hosts and facilitators only; SEQUENCE goes up when calendars must hear; cancel, exceptions, delete', async () => {
    const { event: e } = await ok(await create(fac, 'circle', {
      title: 'Reading group', starts_at: '2027-06-01T17:00', ends_at: '2027-06-01T18:00', tz: 'Europe/London',
      mode: 'in_person', location: 'Library', rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=5', hosts: [ana.user.handle],
    }), 201);
    const path = `/api/v1/events/${e.id}`;
    assert.equal((await call(s, ben, 'PATCH', path, { title: 'Mine' })).status, 403, 'a member who is no host');
    assert.equal((await call(s, null, 'PATCH', path, { title: 'Mine' })).status, 401);
    let j = await ok(await call(s, ana, 'PATCH', path, { capacity: 10, reminders: [60] }));
    assert.equal(j.event.sequence, 0, 'capacity and reminders are not calendar changes');
    assert.equal(j.event.capacity, 10);
    assert.deepEqual(j.event.reminders, [60]);
    j = await ok(await call(s, ana, 'PATCH', path, { title: 'Reading circle', capacity: null }));
    assert.equal(j.event.sequence, 1);
    assert.equal(j.event.capacity, null, 'null: no limit');
    j = await ok(await call(s, ana, 'PATCH', path, { starts_at: '2027-06-01T17:30', ends_at: '2027-06-01T18:30' }));
    assert.equal(j.event.sequence, 2);
    assert.equal(j.event.start, '2027-06-01T16:30:00Z');
    await fieldError(await call(s, ana, 'PATCH', path, { starts_at: '2027-06-02T17:30', ends_at: '2027-06-02T18:30' }), 400, 'starts_at');
    await fieldError(await call(s, ana, 'PATCH', path, { ends_at: '2027-06-01T17:00' }), 400, 'ends_at');
    await fieldError(await call(s, ana, 'PATCH', path, { status: 'postponed' }), 400, 'status');
    await fieldError(await call(s, ana, 'PATCH', path, { location: '' }), 400, 'location');
    // Cancel the second week: EXDATE in the .ics, "cancelled" in the list, SEQUENCE up.
    const second = Date.parse('2027-06-08T16:30:00Z') / 1000;
    await fieldError(await call(s, ana, 'POST', `${path}/exceptions`, { occurrence: second + 60 }), 400, 'occurrence');
    assert.equal((await call(s, ben, 'POST', `${path}/exceptions`, { occurrence: second })).status, 403);
    j = await ok(await call(s, ana, 'POST', `${path}/exceptions`, { occurrence: '2027-06-08T16:30:00Z' }));
    assert.deepEqual(j.event.exceptions.map((x) => x.occurrence), [second]);
    assert.equal(j.event.sequence, 3);
    const list = await ok(await call(s, ben, 'GET', '/api/v1/spaces/circle/events?from=2027-06-01T00:00:00Z&to=2027-07-15T00:00:00Z'));
    const mine = list.occurrences.filter((o) => o.event_id === e.id);
    assert.deepEqual(mine.map((o) => o.status), ['confirmed', 'cancelled', 'confirmed', 'confirmed', 'confirmed']);
    let f = await ics(`/events/${e.id}.ics`);
    assert.match(f.text, /\r\nEXDATE;TZID=Europe\/London:20270608T173000\r\n/);
    let cal = parseIcs(f.text);
    assert.equal(cal.events[0].sequence, 3);
    assert.deepEqual(cal.events[0].occurrences.map((o) => o.local.slice(0, 10)), ['2027-06-01', '2027-06-15', '2027-06-22', '2027-06-29']);
    await fieldError(await rsvp(ben, e.id, { status: 'going', occurrence: second }), 400, 'occurrence');
    // Restored, then the whole event cancelled: STATUS:CANCELLED.
    j = await ok(await call(s, ana, 'POST', `${path}/exceptions`, { occurrence: second, cancelled: false }));
    assert.deepEqual(j.event.exceptions, []);
    j = await ok(await call(s, fac, 'PATCH', path, { status: 'cancelled' }));
    assert.equal(j.event.status, 'cancelled');
    f = await ics(`/events/${e.id}.ics`);
    cal = parseIcs(f.text);
    assert.equal(cal.events[0].status, 'CANCELLED');
    assert.equal(cal.events[0].sequence, 5);
    assert.equal((await rsvp(ben, e.id, { status: 'going' })).status, 409, 'no answers to a cancelled event');
    assert.equal(await sql(s, `SELECT count(*) FROM activity WHERE verb = 'event.cancel' AND object_id = ${e.id}`), '1');
    // A one-time event has no exceptions: it is cancelled whole.
    const once = await soon('circle');
    await fieldError(await call(s, fac, 'POST', `/api/v1/events/${once.id}/exceptions`, { occurrence: once.next.occurrence }), 400, 'occurrence');
    // Deleted: gone for everyone.
    assert.equal((await call(s, ben, 'DELETE', path)).status, 403);
    assert.equal((await call(s, ana, 'DELETE', path)).status, 204);
    assert.equal((await call(s, ana, 'GET', path)).status, 404);
    assert.equal((await ics(`/events/${e.id}.ics`)).status, 404);
    assert.equal(await sql(s, `SELECT count(*) FROM event_hosts WHERE event_id = ${e.id}`), '0');
  });

  test('answers under a capacity: the waiting list, and moving up when someone leaves it', async () => {
    const e = await soon('circle', { capacity: 2 });
    const mineOf = async (who) => (await ok(await call(s, who, 'GET', `/api/v1/events/${e.id}`))).event.next.my_rsvp;
    let j = await ok(await rsvp(ana, e.id, { status: 'going' }));
    assert.equal(j.occurrence.my_rsvp.status, 'going');
    await ok(await rsvp(ben, e.id, { status: 'going', occurrence: e.next.occurrence }));
    j = await ok(await rsvp(cat, e.id, { status: 'going', occurrence: new Date(e.next.occurrence * 1000).toISOString() }));
    assert.equal(j.occurrence.my_rsvp.status, 'waitlisted', 'full: the third waits');
    assert.equal(j.occurrence.my_rsvp.waitlist_position, 1);
    j = await ok(await rsvp(dan, e.id, { status: 'going' }));
    assert.equal(j.occurrence.my_rsvp.waitlist_position, 2);
    assert.deepEqual(j.occurrence.counts, { going: 2, waitlisted: 2, maybe: 0, not_going: 0 });
    // Saying "going" again keeps one's place.
    j = await ok(await rsvp(cat, e.id, { status: 'going' }));
    assert.equal(j.occurrence.my_rsvp.waitlist_position, 1);
    // Ana steps back: Cat moves up, in the same answer, and Dan is first in line.
    j = await ok(await rsvp(ana, e.id, { status: 'maybe' }));
    assert.equal(j.moved_up, 1);
    assert.deepEqual(j.occurrence.counts, { going: 2, waitlisted: 1, maybe: 1, not_going: 0 });
    assert.equal((await mineOf(cat)).status, 'going');
    assert.deepEqual(await mineOf(dan), { status: 'waitlisted', series: true, waitlist_position: 1 });
    // Ben leaves the space: his place goes to Dan.
    await ok(await call(s, ben, 'POST', '/api/v1/spaces/circle/leave'), 204);
    assert.equal((await mineOf(dan)).status, 'going');
    assert.equal(await sql(s, `SELECT count(*) FROM event_rsvps WHERE event_id = ${e.id} AND user_id = ${ben.user.id}`), '0');
    const inv = await ok(await call(s, owner, 'POST', '/api/v1/spaces/circle/invites', {}), 201);
    await ok(await call(s, ben, 'POST', `/api/v1/invites/${inv.token}/accept`));
    // The host sees who is going, and in what order.
    const att = await ok(await call(s, fac, 'GET', `/api/v1/events/${e.id}/attendance`));
    assert.deepEqual(att.people.map((p) => [p.handle, p.status]),
      [[cat.user.handle, 'going'], [dan.user.handle, 'going'], [ana.user.handle, 'maybe']]);
    // Raising the capacity lets the next one in.
    await ok(await rsvp(ben, e.id, { status: 'going' }));
    assert.equal((await mineOf(ben)).status, 'waitlisted');
    await ok(await call(s, fac, 'PATCH', `/api/v1/events/${e.id}`, { capacity: 3 }));
    assert.equal((await mineOf(ben)).status, 'going');
    assert.ok(Number(await sql(s, `SELECT count(*) FROM activity WHERE verb = 'event.rsvp' AND object_id = ${e.id}`)) >= 6);
    // Bad answers.
    await fieldError(await rsvp(ana, e.id, { status: 'attending' }), 400, 'status');
    await fieldError(await rsvp(ana, e.id, { status: 'waitlisted' }), 400, 'status');
    await fieldError(await rsvp(ana, e.id, {}), 400, 'status');
    await fieldError(await rsvp(ana, e.id, { status: 'going', occurrence: e.next.occurrence + 3600 }), 400, 'occurrence');
    await fieldError(await rsvp(ana, e.id, { status: 'going', occurrence: 'next tuesday' }), 400, 'occurrence');
    assert.equal((await rsvp(out, e.id, { status: 'going' })).status, 403, 'a reader who is not in the space');
    assert.equal((await rsvp(null, e.id, { status: 'going' })).status, 401);
  });

  test('a series answer counts in every occurrence; an occurrence\'s answer wins for it', async () => {
    const start = Math.floor(Date.now() / HOUR) * HOUR + 2 * DAY;
    const { event: e } = await ok(await create(fac, 'circle', {
      title: 'Daily stand-up', starts_at: utcLocal(start), ends_at: utcLocal(start + 30 * MIN), tz: 'UTC',
      mode: 'online', join_url: 'https://meet.example.org/daily', rrule: 'FREQ=DAILY;COUNT=5', capacity: 1,
    }), 201);
    const occ = (await ok(await call(s, ana, 'GET', `/api/v1/spaces/circle/events?from=${start / 1000 - 60}&to=${start / 1000 + 6 * 86400}`)))
      .occurrences.filter((o) => o.event_id === e.id).map((o) => o.occurrence);
    assert.equal(occ.length, 5);
    await ok(await rsvp(ana, e.id, { status: 'going' }));
    let j = await ok(await rsvp(ben, e.id, { status: 'going', occurrence: occ[1] }));
    assert.equal(j.occurrence.my_rsvp.status, 'waitlisted', 'Ana holds the only seat every day');
    j = await ok(await rsvp(ana, e.id, { status: 'not_going', occurrence: occ[1] }));
    assert.equal(j.moved_up, 1, 'Ana skips day two: Ben goes');
    const list = (await ok(await call(s, ben, 'GET', `/api/v1/spaces/circle/events?from=${occ[0] - 60}&to=${occ[4] + 60}`)))
      .occurrences.filter((o) => o.event_id === e.id);
    assert.deepEqual(list.map((o) => o.my_rsvp?.status ?? null), [null, 'going', null, null, null]);
    const anas = (await ok(await call(s, ana, 'GET', `/api/v1/spaces/circle/events?from=${occ[0] - 60}&to=${occ[4] + 60}`)))
      .occurrences.filter((o) => o.event_id === e.id);
    assert.deepEqual(anas.map((o) => o.my_rsvp.status), ['going', 'not_going', 'going', 'going', 'going']);
    assert.deepEqual(anas.map((o) => o.my_rsvp.series), [true, false, true, true, true]);
    // Answering for the series again replaces the answers for the days to come.
    await ok(await rsvp(ana, e.id, { status: 'going' }));
    assert.equal(await sql(s, `SELECT count(*) FROM event_rsvps WHERE event_id = ${e.id} AND user_id = ${ana.user.id}`), '1');
  });

  test('check-in: the code in its window, the mode, a host\'s marks; wrong codes save nothing', async () => {
    const now = Date.now();
    const startNow = Math.floor(now / MIN) * MIN - 10 * MIN;
    const running = (await ok(await create(fac, 'circle', {
      title: 'Running now', starts_at: utcLocal(startNow), ends_at: utcLocal(startNow + HOUR), tz: 'UTC',
      mode: 'in_person', location: 'Room 4',
    }), 201)).event;
    const later = await soon('circle', { mode: 'hybrid', join_url: 'https://meet.example.org/later' });
    const hybridNow = (await ok(await create(fac, 'circle', {
      title: 'Hybrid now', starts_at: utcLocal(startNow), ends_at: utcLocal(startNow + HOUR), tz: 'UTC',
      mode: 'hybrid', location: 'Room 5', join_url: 'https://meet.example.org/now',
    }), 201)).event;
    const checkin = (who, e, body) => call(s, who, 'POST', `/api/v1/events/${e.id}/checkin`, body);
    const att = await ok(await call(s, fac, 'GET', `/api/v1/events/${running.id}/attendance`));
    assert.match(att.code, /^[A-HJKMNP-Z2-9]{6}$/, 'six characters without look-alikes');
    assert.equal(att.occurrence.occurrence, running.next.occurrence);
    assert.equal((await call(s, ana, 'GET', `/api/v1/events/${running.id}/attendance`)).status, 403, 'the code is the hosts\'');
    const wrong = att.code === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA';
    assert.match(await fieldError(await checkin(ana, running, { code: wrong }), 400, 'code'), /not the code/);
    await fieldError(await checkin(ana, running, { code: 'O0O0O0' }), 400, 'code');
    assert.equal(await sql(s, `SELECT count(*) FROM event_attendance WHERE event_id = ${running.id}`), '0');
    await fieldError(await checkin(ana, running, { code: att.code, mode: 'online' }), 400, 'mode');
    // Lower case and a dash are fine.
    const code = `${att.code.slice(0, 3).toLowerCase()}-${att.code.slice(3)}`;
    let j = await ok(await checkin(ana, running, { code }));
    assert.deepEqual(j.attendance, { occurrence: running.next.occurrence, mode: 'in_person', via: 'checkin' });
    // Another occurrence's code does not open this one; the future one's window is not open yet.
    const latt = await ok(await call(s, fac, 'GET', `/api/v1/events/${later.id}/attendance?occurrence=${later.next.occurrence}`));
    assert.notEqual(latt.code, att.code);
    assert.match(await fieldError(await checkin(ben, later, { code: latt.code, mode: 'in_person' }), 400, 'code'), /30 minutes before/);
    assert.match(await fieldError(await checkin(ben, later, { code: latt.code, mode: 'in_person', occurrence: later.next.occurrence }), 400, 'code'), /30 minutes before/);
    assert.equal(await sql(s, `SELECT count(*) FROM event_attendance WHERE event_id = ${later.id}`), '0');
    // Hybrid: say how.
    const hatt = await ok(await call(s, fac, 'GET', `/api/v1/events/${hybridNow.id}/attendance`));
    await fieldError(await checkin(ben, hybridNow, { code: hatt.code }), 400, 'mode');
    await fieldError(await checkin(ben, hybridNow, { code: hatt.code, mode: 'telepathy' }), 400, 'mode');
    await ok(await checkin(ben, hybridNow, { code: hatt.code, mode: 'online' }));
    // A host marks Cat as there in person, and Dan, then takes Dan back.
    const mark = (body) => call(s, fac, 'POST', `/api/v1/events/${hybridNow.id}/attendance`, { occurrence: hybridNow.next.occurrence, ...body });
    await ok(await mark({ handle: cat.user.handle, mode: 'in_person' }));
    await ok(await mark({ handle: dan.user.handle, mode: 'online' }));
    j = await ok(await mark({ handle: dan.user.handle, present: false }));
    assert.deepEqual(j.attendees.map((a) => [a.handle, a.mode, a.via]).sort(),
      [[ben.user.handle, 'online', 'checkin'], [cat.user.handle, 'in_person', 'host']].sort());
    assert.deepEqual(j.attended, { in_person: 1, online: 1 });
    await fieldError(await mark({ handle: out.user.handle, mode: 'online' }), 400, 'handle');
    await fieldError(await mark({ handle: cat.user.handle }), 400, 'mode');
    await fieldError(await call(s, fac, 'POST', `/api/v1/events/${later.id}/attendance`, { occurrence: later.next.occurrence, handle: cat.user.handle, mode: 'online' }), 400, 'occurrence');
    await fieldError(await call(s, fac, 'POST', `/api/v1/events/${later.id}/attendance`, { handle: cat.user.handle, mode: 'online' }), 400, 'occurrence');
    assert.equal((await call(s, ana, 'POST', `/api/v1/events/${hybridNow.id}/attendance`, { occurrence: hybridNow.next.occurrence, handle: cat.user.handle })).status, 403);
    assert.equal(await sql(s, `SELECT count(*) FROM activity WHERE verb = 'event.checkin'`), '2');
    // Guessing is bounded: ten wrong codes, then 429.
    const statuses = [];
    for (let i = 0; i < 11; i++) statuses.push((await checkin(cat, running, { code: wrong })).status);
    assert.deepEqual(statuses, [...Array(10).fill(400), 429]);
  });

  test('private stays private: the event, its .ics, the space feed; the member\'s own feed ends when they leave', async () => {
    const e = await soon('inner', { title: 'Inner circle supper' });
    await ok(await rsvp(dan, e.id, { status: 'going' }));
    const pub = await soon('circle', { title: 'Open supper' });
    await ok(await rsvp(dan, pub.id, { status: 'maybe' }));
    const no = await soon('circle', { title: 'Not for Dan' });
    await ok(await rsvp(dan, no.id, { status: 'not_going' }));
    for (const who of [out, null]) {
      for (const path of [`/api/v1/events/${e.id}`, `/events/${e.id}.ics`, '/spaces/inner/events.ics',
        `/api/v1/events/${e.id}/attendance`, '/api/v1/spaces/inner/events']) {
        const res = await s.fetch(path, { headers: who ? { authorization: who.auth } : {} });
        assert.equal(res.status, who || !path.endsWith('/attendance') ? 404 : 401, `${path} as ${who ? 'outsider' : 'anonymous'}`);
        assert.doesNotMatch(await res.text(), /Inner circle/);
      }
      assert.equal((await rsvp(who, e.id, { status: 'going' })).status, who ? 404 : 401);
    }
    // Not at the plain address even for a member: a feed reader sends no session.
    assert.equal((await ics('/spaces/inner/events.ics', dan)).status, 404);
    assert.equal((await ics(`/events/${e.id}.ics`, dan)).status, 200, 'the event\'s own file, with the member\'s session');
    // The public space's feed is plain, without join links; the private one's is the member's own.
    const plain = (await ok(await call(s, dan, 'GET', '/api/v1/spaces/circle/events'))).feed_url;
    assert.equal(plain, `${s.url}/spaces/circle/events.ics`);
    const pf = await ics('/spaces/circle/events.ics');
    assert.equal(pf.status, 200);
    assertWellFormed(pf.text);
    const pcal = parseIcs(pf.text);
    assert.equal(pcal.name, `The circle (Praxis)`);
    assert.ok(pcal.events.some((x) => x.summary === 'Open supper'));
    assert.ok(pcal.events.every((x) => !/Join:/.test(x.description)), 'no join links for anyone');
    const own = (await ok(await call(s, dan, 'GET', '/api/v1/spaces/inner/events'))).feed_url;
    assert.match(own, /\/calendar\/\d+-[0-9a-f]{32}\/spaces\/inner\.ics$/);
    const ownPath = new URL(own).pathname;
    let f = await ics(ownPath);
    assert.equal(f.status, 200);
    assert.ok(parseIcs(f.text).events.some((x) => x.summary === 'Inner circle supper'));
    assert.equal((await ok(await call(s, out, 'GET', '/api/v1/spaces/circle/events'))).feed_url, plain);
    // The personal feed: what Dan answered going or maybe to, nothing else; its address is in /api/v1/me.
    const token = ownPath.split('/')[2];
    const me = await ok(await call(s, dan, 'GET', '/api/v1/me'));
    assert.equal(new URL(me.calendar_url).pathname, `/calendar/${token}.ics`);
    const titles = async () => parseIcs((await ics(`/calendar/${token}.ics`)).text).events.map((x) => x.summary);
    let mine = parseIcs((await ics(`/calendar/${token}.ics`)).text);
    assert.ok(mine.events.some((x) => x.summary === 'Inner circle supper'));
    assert.ok(mine.events.some((x) => x.summary === 'Open supper'), 'maybe counts');
    assert.ok(!mine.events.some((x) => x.summary === 'Not for Dan'), 'not going does not');
    assert.match(mine.name, /^My events/);
    // A forged or altered token is no calendar.
    const [id, mac] = token.split('-');
    for (const bad of [`${id}-${'0'.repeat(32)}`, `${Number(id) + 1}-${mac}`, `${id}-${mac.slice(0, 31)}`, 'nothing', `${id}`]) {
      assert.equal((await ics(`/calendar/${bad}.ics`)).status, 404, bad);
      assert.equal((await ics(`/calendar/${bad}/spaces/inner.ics`)).status, 404, bad);
    }
    assert.equal((await ics(`/calendar/${token}`)).status, 404, 'only .ics');
    // Dan leaves the private space: its feed stops, its events leave the personal one.
    await ok(await call(s, dan, 'POST', '/api/v1/spaces/inner/leave'), 204);
    assert.equal((await ics(ownPath)).status, 404);
    const left = await titles();
    assert.ok(left.includes('Open supper') && !left.includes('Inner circle supper'), left.join());
  });

  test('the .ics of a cancelled occurrence, text escaped and folded, one occurrence alone', async () => {
    const title = 'Ateliers, jeux; café « ☕ » \\ ' + 'très long '.repeat(12);
    const start = Math.floor(Date.now() / HOUR) * HOUR + 5 * DAY;
    const { event: e } = await ok(await create(fac, 'circle', {
      title: title.trim(), description: 'Line one\nLine two, with a comma', starts_at: utcLocal(start),
      ends_at: utcLocal(start + HOUR), tz: 'UTC', mode: 'online', join_url: 'https://meet.example.org/x', rrule: 'FREQ=WEEKLY;COUNT=3',
    }), 201);
    const f = await ics(`/events/${e.id}.ics`, ana);
    assertWellFormed(f.text);
    assert.match(f.text, /\r\nDTSTART:\d{8}T\d{6}Z\r\n/, 'UTC times in UTC, without a VTIMEZONE');
    assert.doesNotMatch(f.text, /VTIMEZONE/);
    const cal = parseIcs(f.text);
    assert.equal(cal.events[0].summary, title.trim());
    assert.match(cal.events[0].description, /^Line one\nLine two, with a comma\n\nJoin: https:\/\/meet\.example\.org\/x\n\n/);
    assert.equal(cal.events[0].location, 'https://meet.example.org/x', 'an online event\'s place is its link');
    assert.equal(cal.events[0].occurrences.length, 3);
  });
});

// The pages, as a browser without JavaScript uses them: forms with the session
// cookie and its CSRF token.
const formBody = (fields) => new URLSearchParams(fields).toString();

describe(`event pages on ${BACKEND}`, () => {
  let s, owner, fac, ana, out;

  // A person with an API token and a browser session.
  async function person() {
    const u = await signup(s);
    const res = await s.fetch('/signin', {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: formBody({ login: u.user.handle, password: u.password }),
    });
    assert.equal(res.status, 303);
    const cookie = sessionCookie(res);
    const me = await (await s.fetch('/api/v1/me', { headers: { cookie } })).json();
    return { ...u, cookie, csrf: me.csrf_token };
  }
  const get = (who, path) => s.fetch(path, { headers: who ? { cookie: who.cookie } : {} });
  const post = (who, path, fields, { csrf = true } = {}) => s.fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(who ? { cookie: who.cookie } : {}) },
    body: formBody({ ...(who && csrf ? { _csrf: who.csrf } : {}), ...fields }),
  });
  async function html(res, status = 200) {
    const text = await res.text();
    assert.equal(res.status, status, text.slice(0, 2000));
    assert.match(res.headers.get('content-type'), /text\/html/);
    return text.slice(text.indexOf('<main'), text.indexOf('</main>'));
  }
  const api = async (who, method, path, body) => ok(await call(s, who, method, path, body), method === 'POST' && path.endsWith('/events') ? 201 : 200);

  before(async () => {
    s = await startServer();
    [owner, fac, ana, out] = await Promise.all([person(), person(), person(), person()]);
    for (const [slug, vis] of [['garden', 'public'], ['cellar', 'private']]) {
      await ok(await call(s, owner, 'POST', '/api/v1/spaces', { slug, name: `The ${slug}`, purpose: 'p', visibility: vis, join: 'invite' }), 201);
      for (const who of [fac, ana]) {
        const inv = await ok(await call(s, owner, 'POST', `/api/v1/spaces/${slug}/invites`, {}), 201);
        await ok(await call(s, who, 'POST', `/api/v1/invites/${inv.token}/accept`));
      }
      await ok(await call(s, owner, 'PATCH', `/api/v1/spaces/${slug}/members/${fac.user.handle}`, { role: 'facilitator' }), 204);
    }
  });
  after(async () => {
    if (!s.exited) await s.stop();
  });

  test('the calendar: a month as a grid or a list, in the reader\'s zone, naming the event\'s own', async () => {
    await api(fac, 'POST', '/api/v1/spaces/garden/events', {
      title: 'Pruning workshop', starts_at: '2027-06-08T18:00', ends_at: '2027-06-08T19:30', tz: 'Europe/Paris',
      mode: 'in_person', location: 'The orchard', rrule: 'FREQ=WEEKLY;COUNT=2',
    });
    await ok(await call(s, ana, 'PATCH', `/api/v1/users/${ana.user.handle}`, { timezone: 'America/New_York' }));
    let m = await html(await get(null, '/spaces/garden/calendar?month=2027-06'));
    assert.match(m, /June 2027/);
    assert.match(m, /Times are in UTC/);
    assert.match(m, /<time datetime="2027-06-08T16:00:00Z">16:00–17:30<\/time> Pruning workshop/);
    assert.match(m, /Tuesday 15 June 2027/);
    m = await html(await get(ana, '/spaces/garden/calendar?month=2027-06&view=list'));
    assert.match(m, /Times are in America\/New_York/);
    assert.match(m, /12:00–13:30<\/time> <span class="muted">\(18:00 in Europe\/Paris\)<\/span> · The orchard/);
    assert.match(m, /aria-current="page">List/);
    assert.doesNotMatch(m, /New event/, 'members do not create events');
    assert.match(await html(await get(fac, '/spaces/garden/calendar?month=2027-06')), /New event/);
    assert.match(m, /href="\/spaces\/garden\/calendar\?month=2027-07&amp;view=list" rel="next"/);
    assert.match(m, /<a href="[^"]*\/spaces\/garden\/events\.ics">Subscribe/);
    // A private space's calendar is nobody else's business; its member's feed address is their own.
    for (const who of [null, out]) assert.equal((await get(who, '/spaces/cellar/calendar')).status, 404);
    assert.match(await html(await get(ana, '/spaces/cellar/calendar')), /\/calendar\/\d+-[0-9a-f]{32}\/spaces\/cellar\.ics/);
    // The space's tabs link the calendar.
    assert.match(await html(await get(null, '/spaces/garden')), /<a href="\/spaces\/garden\/calendar">Calendar<\/a>/);
  });

  test('new and edit forms: facilitators only, errors named by field, nothing lost, then saved', async () => {
    assert.equal((await get(ana, '/spaces/garden/events/new')).status, 403);
    assert.equal((await get(null, '/spaces/garden/events/new')).status, 303);
    assert.equal((await get(out, '/spaces/cellar/events/new')).status, 404);
    let m = await html(await get(fac, '/spaces/garden/events/new'));
    assert.match(m, /name="reminders" value="1440, 60"/);
    const before = await sql(s, 'SELECT count(*) FROM events');
    const bad = { title: 'Seed swap', starts_at: '2027-07-01T18:00', ends_at: '2027-07-01T17:00', tz: 'Nowhere/Atall',
      mode: 'hybrid', location: '', join_url: 'ftp://x', capacity: '-2', rrule: 'FREQ=HOURLY', reminders: '1', hosts: '' };
    m = await html(await post(fac, '/spaces/garden/events/new', bad), 400);
    for (const id of ['tz', 'join_url', 'capacity', 'reminders']) {
      assert.match(m, new RegExp(`<p class="error" id="${id}-error">`), id);
      assert.match(m, new RegExp(`href="#${id}"`), `${id} in the summary`);
    }
    assert.match(m, /value="Seed swap"/, 'nothing typed is lost');
    assert.equal(await sql(s, 'SELECT count(*) FROM events'), before);
    assert.equal((await post(fac, '/spaces/garden/events/new', { ...bad, tz: 'UTC' }, { csrf: false })).status, 403, 'no CSRF token');
    const good = { ...bad, ends_at: '2027-07-01T20:00', tz: 'Europe/Berlin', location: 'Greenhouse', join_url: 'https://meet.example.org/seeds',
      capacity: '', rrule: '', reminders: '60', hosts: ana.user.handle, description: 'Bring *seeds*.' };
    let res = await post(fac, '/spaces/garden/events/new', good);
    assert.equal(res.status, 303);
    const loc = res.headers.get('location');
    assert.match(loc, /^\/events\/\d+\?notice=created$/);
    const id = Number(loc.match(/\d+/)[0]);
    const e = (await ok(await call(s, ana, 'GET', `/api/v1/events/${id}`))).event;
    assert.equal(e.capacity, null, 'empty: no limit');
    assert.deepEqual(e.reminders, [60]);
    assert.deepEqual(e.hosts.map((h) => h.handle), [fac.user.handle, ana.user.handle]);
    assert.equal(e.start, '2027-07-01T16:00:00Z');
    // Ana hosts it: she edits it in its form, which starts filled in.
    m = await html(await get(ana, `/events/${id}/edit`));
    assert.match(m, /name="starts_at" type="datetime-local" value="2027-07-01T18:00"/);
    assert.match(m, /value="Greenhouse"/);
    assert.match(m, /id="mode-hybrid" name="mode" value="hybrid" checked/);
    m = await html(await post(ana, `/events/${id}/edit`, { ...good, hosts: ana.user.handle, title: '' }), 400);
    assert.match(m, /id="title-error">Title is required/);
    res = await post(ana, `/events/${id}/edit`, { ...good, hosts: ana.user.handle, title: 'Seed swap (moved)', starts_at: '2027-07-02T18:00', ends_at: '2027-07-02T20:00', status: 'confirmed' });
    assert.equal(res.status, 303);
    const after = (await ok(await call(s, ana, 'GET', `/api/v1/events/${id}`))).event;
    assert.equal(after.title, 'Seed swap (moved)');
    assert.equal(after.start, '2027-07-02T16:00:00Z');
    assert.equal(after.sequence, 1);
    assert.equal((await get(out, `/events/${id}/edit`)).status, 403);
  });

  test('an event\'s page: answers per date and for the series, the join link for members, check-in, the hosts\' panel', async () => {
    const start = Math.floor(Date.now() / MIN) * MIN - 5 * MIN;
    const now = (await ok(await call(s, fac, 'POST', '/api/v1/spaces/garden/events', {
      title: 'Compost chat', description: 'About **worms**.', agenda: '- Bins', starts_at: utcLocal(start), ends_at: utcLocal(start + HOUR),
      tz: 'UTC', mode: 'hybrid', location: 'Shed', join_url: 'https://meet.example.org/compost', capacity: 1, rrule: 'FREQ=DAILY;COUNT=3',
    }), 201)).event;
    const path = `/events/${now.id}`;
    let m = await html(await get(null, path));
    assert.match(m, /<strong>worms<\/strong>/);
    assert.doesNotMatch(m, /meet\.example\.org/, 'no join link for the anonymous');
    assert.match(m, /The link to join is for the people of this space/);
    assert.match(m, /<a href="\/signin">Sign in<\/a> to say whether you are coming/);
    assert.doesNotMatch(m, /event-code|id="checkin"/);
    m = await html(await get(ana, path));
    assert.match(m, /href="https:\/\/meet\.example\.org\/compost"/);
    assert.match(m, /Every day, 3 times/);
    assert.doesNotMatch(m, /class="event-code"/, 'the code is the hosts\'');
    assert.match(m, /id="checkin"/, 'the check-in form while the window is open');
    // Answers: the series, then one date.
    let res = await post(ana, `${path}/rsvp`, { status: 'going' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `${path}?notice=answered`);
    m = await html(await get(ana, `${path}?notice=answered`));
    assert.match(m, /Your answer is saved/);
    assert.match(m, /value="going" aria-pressed="true">Going/);
    assert.match(m, /You are going\./);
    const second = now.next.occurrence + 86400;
    res = await post(fac, `${path}/rsvp`, { status: 'going', occurrence: String(second) });
    assert.equal(res.headers.get('location'), `${path}?notice=answered#o-${second}`);
    m = await html(await get(fac, path));
    assert.match(m, /It is full: you are number 1 on the waiting list\./);
    m = await html(await post(ana, `${path}/rsvp`, { status: 'perhaps' }), 400);
    assert.match(m, /status must be going, maybe or not_going/);
    assert.equal((await post(out, `${path}/rsvp`, { status: 'going' })).status, 403);
    // Check-in: a wrong code shows the form again with the error; the right one checks in.
    const code = (await ok(await call(s, fac, 'GET', `/api/v1/events/${now.id}/attendance`))).code;
    m = await html(await get(fac, path));
    assert.match(m, new RegExp(`<strong class="event-code">${code}</strong>`));
    m = await html(await post(ana, `${path}/checkin`, { code: 'ZZZZZZ' === code ? 'YYYYYY' : 'ZZZZZZ', mode: 'online', occurrence: String(now.next.occurrence) }), 400);
    assert.match(m, /id="code-error">The code is not the code of this occurrence/);
    m = await html(await post(ana, `${path}/checkin`, { code, occurrence: String(now.next.occurrence) }), 400);
    assert.match(m, /id="mode-error">How you are here is required for a hybrid event/);
    res = await post(ana, `${path}/checkin`, { code, mode: 'online', occurrence: String(now.next.occurrence) });
    assert.equal(res.status, 303);
    m = await html(await get(ana, path));
    assert.match(m, /You are here, online\. Welcome!/);
    // The host marks Fac there in person; the panel lists both.
    res = await post(fac, `${path}/attendance`, { occurrence: String(now.next.occurrence), handle: fac.user.handle, mode: 'in_person' });
    assert.equal(res.status, 303);
    m = await html(await get(fac, path));
    assert.match(m, /online, checked in/);
    assert.match(m, new RegExp(`in person, marked by ${fac.user.handle}`));
    m = await html(await post(fac, `${path}/attendance`, { occurrence: String(now.next.occurrence), handle: 'no-such-person' }), 400);
    assert.match(m, /id="handle-error">The handle must name a member of the space/);
    // A host cancels the third date, then restores it.
    const third = now.next.occurrence + 2 * 86400;
    res = await post(fac, `${path}/exceptions`, { occurrence: String(third), cancelled: 'true' });
    assert.equal(res.headers.get('location'), `${path}?notice=date-cancelled`);
    m = await html(await get(ana, path));
    assert.match(m, new RegExp(`id="o-${third}"[^>]*>\\s*<p class="event-occurrence-when">[^]*?Cancelled`));
    assert.equal((await post(ana, `${path}/exceptions`, { occurrence: String(third), cancelled: 'false' })).status, 403);
    // The .ics is at the same address with its extension; a private event's page is 404 to others.
    const f = await get(null, `${path}.ics`);
    assert.equal(f.status, 200);
    assert.match(f.headers.get('content-type'), /^text\/calendar/);
    const priv = (await ok(await call(s, fac, 'POST', '/api/v1/spaces/cellar/events', {
      title: 'Cellar tasting', starts_at: '2027-08-01T19:00', ends_at: '2027-08-01T21:00', tz: 'UTC', mode: 'in_person', location: 'Cellar',
    }), 201)).event;
    for (const who of [null, out]) {
      const r = await get(who, `/events/${priv.id}`);
      assert.equal(r.status, 404);
      assert.doesNotMatch(await r.text(), /Cellar tasting/);
    }
    assert.equal((await get(ana, `/events/${priv.id}`)).status, 200);
    for (const bad of ['0', 'x', '12abc', '999999', 'x.ics']) assert.equal((await get(ana, `/events/${bad}`)).status, 404, bad);
  });
});

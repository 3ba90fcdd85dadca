// Jobs: the queue, the worker of `praxis serve`, retries with backoff,
// failures kept, keys that move a job instead of doubling it, due jobs that
// survive a restart, several runners that never take the same job, the
// admin's view, and the CLI. The probe job (feature/testing) ends as its
// payload says: done, retry or fail.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, signup, run, sql, freshDatabase } from './harness.mjs';

const json = { 'content-type': 'application/json' };

async function call(s, who, method, path, body) {
  const headers = { ...json };
  if (who) headers.authorization = who.auth;
  return s.fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

async function enqueue(s, payload, extra = {}) {
  const res = await call(s, null, 'POST', '/api/v1/_test/jobs', { payload: JSON.stringify(payload), ...extra });
  assert.equal(res.status, 201, await res.text());
}

async function runDue(s, asOf) {
  const res = await call(s, null, 'POST', '/api/v1/_test/jobs/run', asOf === undefined ? {} : { as_of: asOf });
  const text = await res.text();
  assert.equal(res.status, 200, text);
  return JSON.parse(text);
}

async function jobs(s, admin, query = '') {
  const res = await call(s, admin, 'GET', `/api/v1/admin/jobs${query}`);
  const text = await res.text();
  assert.equal(res.status, 200, text);
  return JSON.parse(text);
}

async function until(what, check, ms = 10000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`waited in vain for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const now = () => Math.floor(Date.now() / 1000);

describe('jobs', () => {
  let s, admin, member;

  before(async () => {
    s = await startServer();
    admin = await signup(s);
    member = await signup(s);
    assert.equal((await run(['admin', 'add', admin.user.handle, '--db', s.db])).code, 0);
  });
  after(async () => {
    await s.stop();
  });

  test('the worker of serve runs a due job by itself', async () => {
    await enqueue(s, { outcome: 'done' }, { key: 'by-itself' });
    const job = await until('the job to be done', async () => {
      const j = (await jobs(s, admin)).jobs.find((x) => x.key === 'by-itself');
      return j && j.state === 'done' ? j : null;
    });
    assert.equal(job.kind, 'testing.probe');
    assert.equal(job.attempts, 1);
    assert.equal(job.last_error, '');
    assert.match(job.finished_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  test('a job waits for its time; as_of runs it early in test mode', async () => {
    const at = now() + 86400;
    await enqueue(s, { outcome: 'done' }, { key: 'tomorrow', run_at: at });
    let j = (await jobs(s, admin)).jobs.find((x) => x.key === 'tomorrow');
    assert.equal(j.state, 'queued');
    assert.equal(j.run_at, new Date(at * 1000).toISOString().replace('.000', ''));
    await runDue(s);
    j = (await jobs(s, admin)).jobs.find((x) => x.key === 'tomorrow');
    assert.equal(j.state, 'queued', 'not due yet');
    const pass = await runDue(s, at);
    assert.ok(pass.done >= 1);
    j = (await jobs(s, admin)).jobs.find((x) => x.key === 'tomorrow');
    assert.equal(j.state, 'done');
  });

  test('a passing failure is tried again after a growing wait, then kept as failed', async () => {
    const t0 = now() + 10 * 86400;
    await enqueue(s, { outcome: 'retry' }, { key: 'flaky', run_at: t0 });
    let pass = await runDue(s, t0);
    assert.ok(pass.retried >= 1);
    let j = (await jobs(s, admin)).jobs.find((x) => x.key === 'flaky');
    assert.equal(j.state, 'queued');
    assert.equal(j.attempts, 1);
    assert.match(j.last_error, /fail for now \(attempt 1\)/);
    // 30 s after the first failure, not before.
    await runDue(s, t0 + 29);
    assert.equal((await jobs(s, admin)).jobs.find((x) => x.key === 'flaky').attempts, 1);
    await runDue(s, t0 + 30);
    j = (await jobs(s, admin)).jobs.find((x) => x.key === 'flaky');
    assert.equal(j.attempts, 2);
    assert.equal(j.run_at, new Date((t0 + 30 + 60) * 1000).toISOString().replace('.000', ''), 'then 60 s');
    // The probe kind allows three attempts: the third failure is the last.
    pass = await runDue(s, t0 + 90);
    assert.ok(pass.failed >= 1);
    j = (await jobs(s, admin)).jobs.find((x) => x.key === 'flaky');
    assert.equal(j.state, 'failed');
    assert.equal(j.attempts, 3);
    await runDue(s, t0 + 100000);
    j = (await jobs(s, admin)).jobs.find((x) => x.key === 'flaky');
    assert.equal(j.attempts, 3, 'a failed job is not run again');
  });

  test('a lasting failure is kept at once, and an admin can queue it again', async () => {
    await enqueue(s, { outcome: 'fail' }, { key: 'broken', run_at: now() + 20 * 86400 });
    assert.ok((await runDue(s, now() + 20 * 86400)).failed >= 1);
    let j = (await jobs(s, admin, '?state=failed')).jobs.find((x) => x.key === 'broken');
    assert.equal(j.attempts, 1);
    assert.equal(j.last_error, 'asked to fail for good');
    assert.ok((await jobs(s, admin, '?state=failed')).jobs.every((x) => x.state === 'failed'));
    // Only a failed job can be queued again, and only by an admin.
    assert.equal((await call(s, member, 'POST', `/api/v1/admin/jobs/${j.id}/retry`)).status, 404);
    assert.equal((await call(s, admin, 'POST', `/api/v1/admin/jobs/${j.id}/retry`)).status, 200);
    const done = (await jobs(s, admin, '?state=done')).jobs[0];
    assert.equal((await call(s, admin, 'POST', `/api/v1/admin/jobs/${done.id}/retry`)).status, 404, 'a done job is not failed');
    assert.equal((await call(s, admin, 'POST', '/api/v1/admin/jobs/999999/retry')).status, 404);
    await until('the worker to run it again', async () => {
      const x = (await jobs(s, admin)).jobs.find((y) => y.key === 'broken');
      return x.state === 'failed' && x.attempts === 1 ? x : null;
    });
  });

  test('queueing the same key again moves the job; a job that ran is not queued again', async () => {
    const far = now() + 30 * 86400;
    await enqueue(s, { outcome: 'done', v: 1 }, { key: 'moved', run_at: far });
    await enqueue(s, { outcome: 'done', v: 2 }, { key: 'moved', run_at: far + 3600 });
    let list = (await jobs(s, admin)).jobs.filter((x) => x.key === 'moved');
    assert.equal(list.length, 1);
    assert.equal(list[0].run_at, new Date((far + 3600) * 1000).toISOString().replace('.000', ''));
    assert.equal(await sql(s, "SELECT payload FROM jobs WHERE key = 'moved'"), '{"outcome":"done","v":2}');
    await runDue(s, far);
    assert.equal((await jobs(s, admin)).jobs.find((x) => x.key === 'moved').state, 'queued', 'moved later');
    await runDue(s, far + 3600);
    assert.equal((await jobs(s, admin)).jobs.find((x) => x.key === 'moved').state, 'done');
    await enqueue(s, { outcome: 'done', v: 3 }, { key: 'moved', run_at: far + 7200 });
    list = (await jobs(s, admin)).jobs.filter((x) => x.key === 'moved');
    assert.equal(list.length, 1);
    assert.equal(list[0].state, 'done', 'ran once; not again');
  });

  test('bad input: payload and key sizes, run_at, state filter', async () => {
    let res = await call(s, null, 'POST', '/api/v1/_test/jobs', { payload: 'x'.repeat(5000) });
    assert.equal(res.status, 400);
    assert.ok((await res.json()).error.fields.payload);
    res = await call(s, null, 'POST', '/api/v1/_test/jobs', { payload: '{}', key: 'k'.repeat(201) });
    assert.equal(res.status, 400);
    res = await call(s, null, 'POST', '/api/v1/_test/jobs/run', { as_of: 'tomorrow' });
    assert.equal(res.status, 400);
    assert.ok((await res.json()).error.fields.as_of);
    res = await call(s, admin, 'GET', '/api/v1/admin/jobs?state=lost');
    assert.equal(res.status, 400);
    assert.match((await res.json()).error.fields.state, /queued, running, done or failed/);
  });

  test('the queue is for admins: 401 without a session, 404 for members, a page for admins', async () => {
    assert.equal((await call(s, null, 'GET', '/api/v1/admin/jobs')).status, 401);
    assert.equal((await call(s, member, 'GET', '/api/v1/admin/jobs')).status, 404);
    assert.equal((await call(s, member, 'GET', '/admin/jobs')).status, 404);
    const page = await s.fetch('/admin/jobs?state=failed', { headers: { authorization: admin.auth } });
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<h1 id="page-title">Jobs<\/h1>/);
    assert.match(html, /asked to fail for good/);
    assert.match(html, /Try again/);
    assert.doesNotMatch(html, /tomorrow/, 'the filter holds only failed jobs');
  });

  test('the list pages backwards with a cursor', async () => {
    for (let i = 0; i < 55; i++) await enqueue(s, { outcome: 'done' }, { key: `page-${i}`, run_at: now() + 400 * 86400 });
    const first = await jobs(s, admin, '?state=queued');
    assert.equal(first.jobs.length, 50);
    assert.ok(first.next_cursor);
    const second = await jobs(s, admin, `?state=queued&cursor=${first.next_cursor}`);
    assert.ok(second.jobs.length >= 5);
    assert.ok(second.jobs[0].id < first.jobs[49].id);
    assert.equal(first.counts.queued, first.jobs.length + second.jobs.length);
  });
});

describe('jobs across restarts and runners', () => {
  test('due jobs survive a restart; several runners take each job once', async () => {
    // The database outlives each server (a stopped server removes its data folder).
    const db = freshDatabase(mkdtempSync(join(tmpdir(), 'praxis-jobs-')));
    let s = await startServer({ db, args: ['--jobs', 'off'] });
    const t = now() + 3600;
    for (let i = 0; i < 24; i++) await enqueue(s, { outcome: 'done', sleep_ms: 20 }, { key: `many-${i}`, run_at: t });
    await s.stop();
    assert.equal(await sql({ db }, "SELECT count(*) FROM jobs WHERE state = 'queued'"), '24');

    s = await startServer({ db, args: ['--jobs', 'off'] });
    // Three runners at once: two CLI passes and the server's own route.
    const cli = (extra = []) => run(['jobs', 'run', '--as-of', String(t), '--test-mode', 'on', '--db', db, ...extra]);
    const [a, b, c] = await Promise.all([cli(), cli(), runDue(s, t)]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const ranA = Number(/ran (\d+)/.exec(a.stdout)[1]);
    const ranB = Number(/ran (\d+)/.exec(b.stdout)[1]);
    assert.ok(ranA + ranB + c.ran >= 24, `${ranA} + ${ranB} + ${c.ran}`);
    // Each claimed once: a second claim would have counted a second attempt.
    assert.equal(await sql({ db }, "SELECT count(*) FROM jobs WHERE key LIKE 'many-%' AND state = 'done' AND attempts = 1"), '24');
    await s.stop();
  });

  test('the CLI lists jobs and refuses --as-of outside test mode', async () => {
    const s = await startServer({ args: ['--jobs', 'off'] });
    await enqueue(s, { outcome: 'fail' });
    await runDue(s);
    let r = await run(['jobs', 'list', '--db', s.db]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\d+ queued, 0 running, \d+ done, 1 failed$/m);
    assert.match(r.stdout, /failed +testing\.probe .* attempts 1 +asked to fail for good/);
    r = await run(['jobs', 'list', 'failed', '--db', s.db]);
    assert.equal(r.code, 0);
    r = await run(['jobs', 'list', 'lost', '--db', s.db]);
    assert.equal(r.code, 2);
    r = await run(['jobs', 'run', '--as-of', '2030-01-01T00:00:00Z', '--db', s.db]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /needs --test-mode on/);
    r = await run(['jobs', 'run', '--as-of', 'soon', '--test-mode', 'on', '--db', s.db]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /expected unix seconds or a UTC time/);
    r = await run(['jobs', 'run', '--db', s.db]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^jobs: ran \d+: \d+ done, 0 to try again, 0 failed$/m);
    await s.stop();
  });

  test('without test mode there is no route to move time', async () => {
    const s = await startServer({ testMode: false });
    assert.equal((await call(s, null, 'POST', '/api/v1/_test/jobs/run', { as_of: 1 })).status, 404);
    await s.stop();
  });
});

// Operations: graceful stop with requests in flight, and health when the
// database goes away and comes back.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, psql, withDatabase, databaseOf, BACKEND } from './harness.mjs';

function connects(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

describe(`stopping on ${BACKEND}`, () => {
  for (const sig of ['SIGTERM', 'SIGINT']) {
    test(`${sig}: stop accepting, finish in flight, exit 0 within 5 s`, async () => {
      const s = await startServer();
      const slow = s.fetch('/api/v1/_test/sleep?ms=1500');
      await new Promise((r) => setTimeout(r, 300));
      const t0 = Date.now();
      s.proc.kill(sig);
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(await connects(s.port), false, 'no longer accepting');
      const res = await slow;
      assert.equal(res.status, 200, 'the request in flight was answered');
      assert.deepEqual(await res.json(), { slept_ms: 1500 });
      while (!s.exited && Date.now() - t0 < 6000) await new Promise((r) => setTimeout(r, 20));
      assert.ok(Date.now() - t0 < 5000, 'exited within 5 seconds');
      assert.deepEqual(s.exited, { code: 0, signal: null }, s.stderr);
      await s.stop();
    });
  }

  test('an idle keep-alive connection does not hold the stop back', async () => {
    const s = await startServer();
    const sock = net.connect(s.port, '127.0.0.1');
    await new Promise((r) => sock.on('connect', r));
    sock.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((r) => sock.once('data', r));
    const t0 = Date.now();
    s.proc.kill('SIGTERM');
    while (!s.exited && Date.now() - t0 < 6000) await new Promise((r) => setTimeout(r, 20));
    assert.ok(Date.now() - t0 < 5000);
    assert.deepEqual(s.exited, { code: 0, signal: null });
    sock.destroy();
    await s.stop();
  });
});

describe('health when the database goes away', { skip: BACKEND !== 'pg' && 'PostgreSQL only' }, () => {
  test('503 while unreachable, 200 again after it returns', async () => {
    // One worker, so the connection that is cut is the one that must come back.
    const s = await startServer({ args: ['--threads', '1'] });
    try {
      assert.equal((await s.fetch('/healthz')).status, 200);
      const name = databaseOf(s.db);
      const admin = withDatabase(s.db, 'postgres');
      psql(admin, `ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      psql(admin, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`);
      let res = await s.fetch('/healthz');
      assert.equal(res.status, 503);
      assert.deepEqual(await res.json(), { status: 'unavailable', db: 'postgres' });
      res = await s.fetch('/');
      assert.equal(res.status, 503, 'pages say unavailable too');
      // Reconnecting waits a moment after a failed attempt, so poll.
      const t0 = Date.now();
      res = await s.fetch('/healthz');
      assert.equal(res.status, 503, 'still unavailable right after the failure');
      psql(admin, `ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      while (res.status !== 200 && Date.now() - t0 < 5000) {
        await new Promise((r) => setTimeout(r, 100));
        res = await s.fetch('/healthz');
      }
      assert.equal(res.status, 200, 'reconnected');
      const m = await (await s.fetch('/metrics')).text();
      assert.match(m, /^praxis_db_reconnects_total [1-9]/m);
    } finally {
      await s.stop();
    }
  });
});

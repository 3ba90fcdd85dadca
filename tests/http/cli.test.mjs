// The command line and settings: commands, --help, precedence of config
// file < environment < flags, and one clear line for a bad setting.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, startServer, freshDatabase, psql, signup, BACKEND } from './harness.mjs';

describe('commands', () => {
  test('version prints the version', async () => {
    const r = await run(['version']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^praxis \S+\n$/);
  });

  test('help lists commands and settings; --help works on each command', async () => {
    const r = await run(['help']);
    assert.equal(r.code, 0);
    for (const c of ['serve', 'migrate', 'version', 'help']) assert.match(r.stdout, new RegExp(`^  ${c} `, 'm'));
    for (const k of ['--listen', '--data', '--db', '--config', '--body-limit']) assert.match(r.stdout, new RegExp(k));
    for (const c of ['serve', 'migrate', 'version', 'help']) {
      const h = await run([c, '--help']);
      assert.equal(h.code, 0, c);
      assert.match(h.stdout, new RegExp(`^usage: praxis ${c}`), c);
    }
  });

  test('an unknown command fails with a pointer to help', async () => {
    const r = await run(['frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command 'frobnicate'/);
  });
});

describe('settings', () => {
  const cases = [
    [['--listen', 'nonsense'], /^praxis: bad setting listen = 'nonsense' \(from command line\): expected HOST:PORT/],
    [['--listen', '127.0.0.1:99999'], /bad setting listen/],
    [['--db', 'mysql://x'], /^praxis: bad setting db = 'mysql:\/\/x'/],
    [['--body-limit', '12abc'], /bad setting body-limit/],
    [['--threads', '-1'], /bad setting threads/],
    [['--page-cache', '70000'], /bad setting page-cache = '70000'.*megabytes from 0 to 65536/],
    [['--log-level', 'loud'], /bad setting log-level = 'loud'.*debug, info, warn or error/],
    [['--frobs', '3'], /unknown flag --frobs/],
    [['--listen'], /bad setting listen: flag --listen needs a value/],
  ];
  for (const [args, re] of cases) {
    test(`bad: ${args.join(' ')}`, async () => {
      const r = await run(['serve', ...args]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, re);
      assert.equal(r.stderr.trim().split('\n').length, 1, 'one line: ' + r.stderr);
    });
  }

  test('a bad value in the environment names the variable source', async () => {
    const r = await run(['serve'], { env: { PRAXIS_LISTEN: 'x:y' } });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad setting listen = 'x:y' \(from environment\)/);
  });

  test('a bad line in the config file names file and line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'praxis-conf-'));
    const conf = join(dir, 'praxis.conf');
    writeFileSync(conf, '# comment\n\nlisten = 127.0.0.1:8080\nbody_limit = lots\n');
    const r = await run(['serve', '--config', conf]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`bad setting body-limit = 'lots' \\(from ${conf}:4\\)`));
    writeFileSync(conf, 'colour = blue\n');
    const r2 = await run(['serve'], { env: { PRAXIS_CONFIG: conf } });
    assert.equal(r2.code, 2);
    assert.match(r2.stderr, /unknown setting 'colour'/);
    const r3 = await run(['serve', '--config', join(dir, 'missing.conf')]);
    assert.equal(r3.code, 2);
    assert.match(r3.stderr, /bad setting config = '.*missing\.conf': No such file/);
    rmSync(dir, { recursive: true });
  });

  test('file < environment < flags', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'praxis-conf-'));
    const conf = join(dir, 'praxis.conf');
    writeFileSync(conf, 'name = From the file\nbody-limit = 2048\n');
    // The file alone.
    let s = await startServer({ args: ['--config', conf] });
    try {
      assert.match(await (await s.fetch('/')).text(), /From the file/);
      const res = await s.fetch('/api/v1/_test/echo', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'a', note: 'x'.repeat(3000) }),
      });
      assert.equal(res.status, 413, 'body-limit from the file applies');
    } finally {
      await s.stop();
    }
    // The environment over the file, the flag over both.
    s = await startServer({ args: ['--config', conf], env: { PRAXIS_NAME: 'From the environment' } });
    try {
      assert.match(await (await s.fetch('/')).text(), /From the environment/);
    } finally {
      await s.stop();
    }
    s = await startServer({
      args: ['--config', conf, '--name', 'From the flag'],
      env: { PRAXIS_NAME: 'From the environment' },
    });
    try {
      assert.match(await (await s.fetch('/')).text(), /From the flag/);
    } finally {
      await s.stop();
    }
    rmSync(dir, { recursive: true });
  });
});

describe(`migrate on ${BACKEND}`, () => {
  test('applies once, then nothing; the schema is printed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'praxis-mig-'));
    const db = freshDatabase(dir);
    let r = await run(['migrate', '--db', db]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^migrate: applied [1-9]\d*, database at version (\d+)/);
    r = await run(['migrate', '--db', db]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^migrate: applied 0,/);
    r = await run(['schema', '--db', db]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^instance_settings\.key text/m);
    rmSync(dir, { recursive: true });
  });

  test('refuses a database newer than the binary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'praxis-mig-'));
    const db = freshDatabase(dir);
    assert.equal((await run(['migrate', '--db', db])).code, 0);
    const sql = 'INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, \'future\', 0)';
    if (BACKEND === 'pg') psql(db, sql);
    else {
      const { execFileSync } = await import('node:child_process');
      execFileSync('sqlite3', [db.slice('sqlite:'.length), sql]);
    }
    let r = await run(['migrate', '--db', db]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /9999/);
    r = await run(['serve', '--listen', '127.0.0.1:0', '--db', db]);
    assert.equal(r.code, 1, 'serve refuses too');
    assert.match(r.stderr, /9999/);
    rmSync(dir, { recursive: true });
  });
});

describe(`praxis admin on ${BACKEND}`, () => {
  test('add and remove an instance admin; an unknown handle fails', async () => {
    const s = await startServer();
    try {
      const u = await signup(s);
      const me = async () => (await (await s.fetch('/api/v1/me', { headers: { authorization: u.auth } })).json()).user;
      assert.equal((await me()).is_admin, false);
      let r = await run(['admin', 'add', u.user.handle, '--db', s.db]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /is now an instance admin/);
      assert.equal((await me()).is_admin, true);
      r = await run(['admin', 'remove', u.user.handle, '--db', s.db]);
      assert.equal(r.code, 0);
      assert.equal((await me()).is_admin, false);
      r = await run(['admin', 'add', 'no_such_person', '--db', s.db]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /nobody has the handle 'no_such_person'/);
      r = await run(['admin', 'promote', 'x', '--db', s.db]);
      assert.equal(r.code, 2);
    } finally {
      await s.stop();
    }
  });
});

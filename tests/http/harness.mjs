// The HTTP test harness: starts the real `praxis serve` on a free port with a
// fresh database and hands the test a client. PRAXIS_TEST_BACKEND picks the
// backend (sqlite, the default, or pg). For pg the harness uses the cluster
// named by PRAXIS_TEST_PG_URL (scripts/test-all.sh starts one for the whole
// run) or else starts a throwaway cluster of its own for this process, and in
// either case gives each server its own new database.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import net from 'node:net';

export const ROOT = resolve(new URL('../..', import.meta.url).pathname);
export const BIN = resolve(ROOT, process.env.PRAXIS_BIN || 'build/praxis');
export const BACKEND = process.env.PRAXIS_TEST_BACKEND === 'pg' ? 'pg' : 'sqlite';

let ownCluster = null;
let dbCounter = 0;

function pgBaseUrl() {
  if (process.env.PRAXIS_TEST_PG_URL) return process.env.PRAXIS_TEST_PG_URL;
  if (!ownCluster) {
    const dir = mkdtempSync(join(tmpdir(), 'praxis-pg-'));
    const url = execFileSync(join(ROOT, 'scripts/pg-cluster.sh'), ['start', dir], {
      encoding: 'utf8',
    }).trim();
    ownCluster = { dir, url };
    // At the process's exit: an after() hook registered from inside a before()
    // would run when that before() ends, and stop the cluster under the tests.
    process.on('exit', () => {
      execFileSync(join(ROOT, 'scripts/pg-cluster.sh'), ['stop', dir]);
    });
  }
  return ownCluster.url;
}

// Run SQL on the test cluster (administrative: create and drop databases).
export function psql(url, sql) {
  return execFileSync('psql', ['-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql], {
    encoding: 'utf8',
  }).trim();
}

// A database URL of the same cluster with another database name.
// (libpq URLs may have an empty host with ?host=/socket/dir, which URL() refuses.)
export function withDatabase(url, name) {
  return url.replace(/^(postgres(?:ql)?:\/\/[^/]*\/)([^?]*)/, `$1${name}`);
}

// The database name in a PostgreSQL URL.
export function databaseOf(url) {
  return url.match(/^postgres(?:ql)?:\/\/[^/]*\/([^?]*)/)[1];
}

// A fresh database for one server: a new file, or a new PostgreSQL database.
export function freshDatabase(dataDir) {
  if (BACKEND === 'sqlite') return `sqlite:${join(dataDir, 'praxis.db')}`;
  const base = pgBaseUrl();
  const name = `t_${process.pid}_${++dbCounter}_${Date.now() % 100000}`;
  psql(base, `CREATE DATABASE ${name}`);
  return withDatabase(base, name);
}

// Run the binary to completion: {code, stdout, stderr}.
export function run(args, { env = {}, cwd = ROOT } = {}) {
  return new Promise((resolvePromise) => {
    const p = spawn(BIN, args, { cwd, env: { ...cleanEnv(), ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
  });
}

// The environment without the caller's PRAXIS_* settings (the harness's own stay).
function cleanEnv() {
  const env = { ...process.env };
  for (const k of Object.keys(env)) {
    if (k.startsWith('PRAXIS_') && !k.startsWith('PRAXIS_TEST_') && k !== 'PRAXIS_BIN') delete env[k];
  }
  return env;
}

// Start a server. Options: args (extra flags), env, db (a URL to reuse), testMode,
// smtp (what startSmtp() gave: mail then goes to that server, over STARTTLS with
// its login and certificate).
export async function startServer({ args = [], env = {}, db = null, testMode = true, smtp = null } = {}) {
  const data = mkdtempSync(join(tmpdir(), 'praxis-data-'));
  const dbUrl = db || freshDatabase(data);
  const argv = ['serve', '--listen', '127.0.0.1:0', '--data', data, '--db', dbUrl, ...(smtp ? smtp.serverArgs() : []), ...args];
  // Test mode: test-only routes, cheap password hashes, room for many sign-ups
  // from 127.0.0.1 (a test that wants the real limits passes its own flags after).
  if (testMode) argv.splice(1, 0, '--test-mode', 'on', '--password-cost', 'minimum', '--signups-per-hour', '10000');
  const proc = spawn(BIN, argv, { cwd: data, env: { ...cleanEnv(), ...env } });
  const server = {
    proc,
    data,
    db: dbUrl,
    stdout: '',
    stderr: '',
    exited: null,
    url: null,
    port: null,
  };
  proc.stdout.on('data', (d) => (server.stdout += d));
  proc.stderr.on('data', (d) => (server.stderr += d));
  proc.on('exit', (code, signal) => (server.exited = { code, signal }));
  const deadline = Date.now() + 20000;
  while (!server.url) {
    const m = server.stderr.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
    if (m) {
      server.port = Number(m[1]);
      server.url = `http://127.0.0.1:${m[1]}`;
      break;
    }
    if (server.exited) throw new Error(`praxis exited at start: ${server.stderr}`);
    if (Date.now() > deadline) throw new Error(`praxis did not start: ${server.stderr}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  server.fetch = (path, init = {}) => fetch(server.url + path, { redirect: 'manual', ...init });
  // Stop with a signal and wait; resolves to {code, signal}. A server must
  // stop cleanly: exit 0, which under the sanitizers also means no leak.
  server.stop = async (sig = 'SIGTERM', { expectClean = true } = {}) => {
    if (!server.exited) {
      proc.kill(sig);
      await once(proc, 'exit');
    }
    rmSync(data, { recursive: true, force: true });
    if (expectClean && (server.exited.code !== 0 || server.exited.signal !== null)) {
      throw new Error(`praxis did not stop cleanly: ${JSON.stringify(server.exited)}\n` +
        server.stderr.slice(-3000));
    }
    return server.exited;
  };
  return server;
}

// Send raw bytes over one TCP connection; resolves to the whole reply as a string.
export function rawRequest(port, bytes, { timeoutMs = 5000 } = {}) {
  return new Promise((resolvePromise, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let reply = '';
    const timer = setTimeout(() => {
      sock.destroy();
      resolvePromise(reply);
    }, timeoutMs);
    sock.on('connect', () => sock.write(bytes));
    sock.on('data', (d) => (reply += d.toString('latin1')));
    sock.on('error', (e) => {
      clearTimeout(timer);
      if (reply) resolvePromise(reply);
      else reject(e);
    });
    sock.on('close', () => {
      clearTimeout(timer);
      resolvePromise(reply);
    });
  });
}

// The headers every response must carry (DESIGN.md §3).
export const SECURITY_HEADERS = {
  'content-security-policy': /default-src 'self'/,
  'x-content-type-options': /^nosniff$/,
  'x-frame-options': /^DENY$/,
  'referrer-policy': /^same-origin$/,
};

// Query the server's database directly (tests read what the server stored).
export async function sql(server, query) {
  if (BACKEND === 'pg') return psql(server.db, query);
  // Wait for the server's writer (its jobs worker writes on its own) rather than fail at once.
  return execFileSync('sqlite3', ['-cmd', '.timeout 10000', server.db.slice('sqlite:'.length), query], { encoding: 'utf8' }).trim();
}

// Sign up through the API; resolves to {user, token, auth} where auth is the
// Authorization header value.
let people = 0;
export async function signup(server, fields = {}) {
  const n = ++people;
  const body = {
    handle: `person${process.pid % 1000}x${n}`,
    name: `Person ${n}`,
    email: `person${n}.${process.pid}@example.org`,
    password: 'a long enough passphrase',
    ...fields,
  };
  const res = await server.fetch('/api/v1/signup', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`signup: ${res.status} ${await res.text()}`);
  const j = await res.json();
  return { ...j, auth: `Bearer ${j.token}`, password: body.password };
}

// The session cookie from a response's Set-Cookie, as "name=value".
export function sessionCookie(res) {
  const all = res.headers.getSetCookie ? res.headers.getSetCookie() : [res.headers.get('set-cookie')];
  for (const c of all) {
    const m = /^(praxis_session=[^;]*)/.exec(c || '');
    if (m) return m[1];
  }
  return null;
}

// Run every job due by asOf (unix seconds; default now) on the server, as the
// worker would, and wait for them: resolves to {ran, done, retried, failed}.
// Test mode only; a server started with --jobs off runs nothing by itself.
export async function runJobs(server, asOf) {
  const res = await server.fetch('/api/v1/_test/jobs/run', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(asOf === undefined ? {} : { as_of: asOf }),
  });
  if (res.status !== 200) throw new Error(`jobs run: ${res.status} ${await res.text()}`);
  return res.json();
}

// The .eml files the file transport wrote under the server's data folder, oldest first.
export function mailFiles(server) {
  const dir = join(server.data, 'mail');
  let names = [];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.eml'));
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
  }
  // Named <queued at>-<outbox id>.eml: sort by both numbers.
  const key = (n) => n.split(/[-.]/).slice(0, 2).map(Number);
  names.sort((a, b) => key(a)[0] - key(b)[0] || key(a)[1] - key(b)[1]);
  return names.map((n) => join(dir, n));
}

// A message (.eml) parsed by Python's email package (tests/http/mailparse.py):
// decoded headers, from/to, each part, text, html, attachments, line facts.
export function parseMail(file) {
  const out = execFileSync('/usr/bin/python3', [join(ROOT, 'tests/http/mailparse.py'), file], { encoding: 'utf8' });
  return JSON.parse(out);
}

// A real SMTP server on loopback (tests/http/smtpd.py, Debian's aiosmtpd) with a
// throwaway self-signed certificate made here with openssl. It takes mail only
// over TLS (STARTTLS, or implicitTls for smtps://) and only from user/password.
// reject: addresses answered 550; tempfail: addresses answered 451 once (or
// {address: times}). Resolves to {port, url, dir, cert, user, password,
// serverArgs(), messages(), waitFor(n), message(i), stop()}.
export async function startSmtp({ user = 'praxis-test', password = 'smtp secret 1', reject = [], tempfail = [], implicitTls = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'praxis-smtp-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const mailDir = join(dir, 'mail');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
  const argv = [join(ROOT, 'tests/http/smtpd.py'), '--dir', mailDir, '--cert', cert, '--key', key];
  if (user) argv.push('--user', user, '--password', password);
  for (const a of reject) argv.push('--reject', a);
  const temps = Array.isArray(tempfail) ? Object.fromEntries(tempfail.map((a) => [a, 1])) : tempfail;
  for (const [a, n] of Object.entries(temps)) argv.push('--tempfail', `${a}=${n}`);
  if (implicitTls) argv.push('--implicit-tls');
  const proc = spawn('/usr/bin/python3', argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let exited = null;
  proc.stdout.on('data', (d) => (stdout += d));
  proc.stderr.on('data', (d) => (stderr += d));
  proc.on('exit', (code, signal) => (exited = { code, signal }));
  const deadline = Date.now() + 20000;
  let port = null;
  while (!port) {
    const m = stdout.match(/\{"port": (\d+)\}/);
    if (m) port = Number(m[1]);
    else if (exited) throw new Error(`smtpd exited at start: ${stderr}`);
    else if (Date.now() > deadline) throw new Error(`smtpd did not start: ${stderr}`);
    else await new Promise((r) => setTimeout(r, 20));
  }
  const smtp = {
    port,
    dir,
    mailDir,
    cert,
    user,
    password,
    url: `${implicitTls ? 'smtps' : 'smtp'}://127.0.0.1:${port}`,
    get stderr() {
      return stderr;
    },
    // The flags that send a server's mail here.
    serverArgs: () => ['--mail-transport', 'smtp', '--smtp-url', smtp.url, '--smtp-ca-file', cert,
      '--smtp-starttls', 'required', ...(user ? ['--smtp-user', user, '--smtp-password', password] : [])],
    // The messages taken so far, in order: [{file, envelope}].
    messages: () => {
      let names = [];
      try {
        names = readdirSync(mailDir).filter((n) => n.endsWith('.eml'));
      } catch (e) {
        if (e.code !== 'ENOENT') throw e;
      }
      names.sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
      return names.map((n) => ({
        file: join(mailDir, n),
        envelope: JSON.parse(readFileSync(join(mailDir, n.replace(/\.eml$/, '.json')), 'utf8')),
      }));
    },
    // Wait until n messages were taken (they usually are already, after runJobs()).
    waitFor: async (n, timeoutMs = 10000) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const got = smtp.messages();
        if (got.length >= n) return got;
        if (Date.now() > until) throw new Error(`smtpd: ${got.length} messages, waited for ${n}\n${stderr}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    // Message i (from 0), parsed, with its envelope.
    message: (i) => {
      const m = smtp.messages()[i];
      return { ...parseMail(m.file), envelope: m.envelope, file: m.file };
    },
    stop: async () => {
      if (!exited) {
        proc.kill('SIGTERM');
        await once(proc, 'exit');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return smtp;
}

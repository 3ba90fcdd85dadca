// The foundation over real HTTP: pages, errors, limits, parsers, assets,
// operations. Runs once per backend (PRAXIS_TEST_BACKEND).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { startServer, rawRequest, SECURITY_HEADERS, BACKEND } from './harness.mjs';

function assertSecurityHeaders(res, what) {
  for (const [name, re] of Object.entries(SECURITY_HEADERS)) {
    assert.match(res.headers.get(name) || '', re, `${what}: header ${name}`);
  }
}

describe(`foundation on ${BACKEND}`, () => {
  let s;
  before(async () => {
    s = await startServer({ args: ['--name', 'Ward Nurses Circle'] });
  });
  after(async () => {
    if (!s.exited) await s.stop();
  });

  test('home page renders the instance name through the layout', async () => {
    const res = await s.fetch('/');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/html; charset=utf-8/);
    const html = await res.text();
    assert.match(html, /^<!doctype html>/i);
    assert.match(html, /<h1[^>]*>Ward Nurses Circle<\/h1>/);
    assert.match(html, /<title>[^<]*Ward Nurses Circle<\/title>/);
    assert.match(html, /<link rel="stylesheet" href="\/assets\/app\.[0-9a-f]{16}\.css">/);
    assert.match(html, /<script src="\/assets\/htmx\.min\.[0-9a-f]{16}\.js"/);
    assert.doesNotMatch(html, /<script>|<style>| style="| on[a-z]+="/i, 'no inline script or style');
    assertSecurityHeaders(res, '/');
    assert.match(res.headers.get('x-request-id'), /^[0-9a-f]{16}$/);
  });

  test('HEAD answers like GET without a body', async () => {
    const res = await s.fetch('/', { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '');
  });

  test('keep-alive is kept: two requests on one connection', async () => {
    const reply = await rawRequest(
      s.port,
      'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    const statuses = reply.match(/HTTP\/1\.1 200/g) || [];
    assert.equal(statuses.length, 2, reply);
    const first = reply.split('HTTP/1.1 200')[1];
    assert.doesNotMatch(first, /Connection: close/i, 'the first response keeps the connection');
  });

  test('healthz reports ok and the backend', async () => {
    const res = await s.fetch('/healthz');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok', db: BACKEND === 'pg' ? 'postgres' : 'sqlite' });
    assertSecurityHeaders(res, '/healthz');
  });

  test('unknown route: 404 page, and JSON under /api/', async () => {
    let res = await s.fetch('/no/such/page');
    assert.equal(res.status, 404);
    assert.match(res.headers.get('content-type'), /text\/html/);
    const html = await res.text();
    assert.match(html, /Page not found/);
    assert.match(html, new RegExp(res.headers.get('x-request-id')), 'the page shows the request id');
    assertSecurityHeaders(res, '404');
    res = await s.fetch('/api/v1/nothing');
    assert.equal(res.status, 404);
    assert.match(res.headers.get('content-type'), /application\/json/);
    const body = await res.json();
    assert.equal(body.error.code, 'not_found');
    assert.equal(typeof body.error.message, 'string');
  });

  test('trailing slash and odd paths do not match', async () => {
    assert.equal((await s.fetch('/healthz/')).status, 404);
    assert.equal((await s.fetch('//healthz')).status, 404);
  });

  test('wrong method: 405 with Allow', async () => {
    let res = await s.fetch('/healthz', { method: 'POST' });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'GET, HEAD');
    res = await s.fetch('/api/v1/_test/echo', { method: 'DELETE' });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'GET, HEAD, POST');
    assert.equal((await res.json()).error.code, 'method_not_allowed');
  });

  test('an unknown method is refused with 405', async () => {
    const reply = await rawRequest(s.port, 'BREW /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.match(reply, /^HTTP\/1\.1 405/);
  });

  test('JSON body: typed and validated inputs', async () => {
    const res = await s.fetch('/api/v1/_test/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Zoë ✓', count: 7, flag: true, note: 'a\nb' }),
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { name: 'Zoë ✓', count: 7, flag: true, note: 'a\nb' });
  });

  test('form body: decoded and validated', async () => {
    const res = await s.fetch('/api/v1/_test/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=Ana+Mar%C3%ADa&count=12&flag=on',
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { name: 'Ana María', count: 12, flag: true, note: '' });
  });

  test('query string feeds GET inputs', async () => {
    const res = await s.fetch('/api/v1/_test/echo?name=x%20y&count=3');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { name: 'x y', count: 3, flag: false, note: '' });
  });

  test('multipart body: text fields and a file', async () => {
    const fd = new FormData();
    fd.append('name', 'Kofi');
    fd.append('count', '2');
    fd.append('file', new Blob([new Uint8Array([0, 1, 2, 255, 254])]), 'notes.bin');
    const res = await s.fetch('/api/v1/_test/echo', { method: 'POST', body: fd });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      name: 'Kofi',
      count: 2,
      flag: false,
      note: '',
      file: { filename: 'notes.bin', bytes: 5 },
    });
  });

  test('field errors name each field', async () => {
    const res = await s.fetch('/api/v1/_test/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ count: 'many', flag: 3 }),
    });
    assert.equal(res.status, 400);
    const body = await res.json();
    assert.equal(body.error.code, 'invalid');
    assert.deepEqual(Object.keys(body.error.fields).sort(), ['count', 'flag', 'name']);
    assert.match(body.error.fields.name, /required/);
  });

  test('out of range and too long are refused', async () => {
    let res = await s.fetch('/api/v1/_test/echo?name=a&count=1001');
    assert.equal(res.status, 400);
    assert.match((await res.json()).error.fields.count, /range/);
    res = await s.fetch('/api/v1/_test/echo?name=' + 'é'.repeat(41));
    assert.equal(res.status, 400);
    assert.match((await res.json()).error.fields.name, /too long/);
    res = await s.fetch('/api/v1/_test/echo?name=' + 'é'.repeat(40));
    assert.equal(res.status, 200, '40 characters is the limit, not 40 bytes');
  });

  test('malformed JSON: 400 with a JSON error', async () => {
    for (const body of ['{"name": ', '{"name":"a","name":"b"}', '[1,2', '{"name":"a"} trailing', '']) {
      const res = await s.fetch('/api/v1/_test/echo', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      assert.equal(res.status, 400, `body ${JSON.stringify(body)}`);
      const j = await res.json();
      assert.equal(j.error.code, 'invalid');
    }
  });

  test('deeply nested JSON is refused, not recursed into', async () => {
    const body = '{"name":"a","note":' + '['.repeat(5000) + ']'.repeat(5000) + '}';
    const res = await s.fetch('/api/v1/_test/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    assert.equal(res.status, 400);
  });

  test('malformed form outside /api/: 400 HTML page', async () => {
    const res = await s.fetch('/_test/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=%zz',
    });
    assert.equal(res.status, 400);
    assert.match(res.headers.get('content-type'), /text\/html/);
    assert.match(await res.text(), /percent/i);
  });

  test('form errors outside /api/ list the fields on the page', async () => {
    const res = await s.fetch('/_test/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'count=x',
    });
    assert.equal(res.status, 400);
    const html = await res.text();
    assert.match(html, /name/);
    assert.match(html, /is required/);
    assert.match(html, /whole number/);
  });

  test('invalid UTF-8 in any text input: 400', async () => {
    const bad = Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3d, 0xc3, 0x28]); // name=\xC3(
    let res = await s.fetch('/api/v1/_test/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: bad,
    });
    assert.equal(res.status, 400, 'raw bytes in a form');
    res = await s.fetch('/api/v1/_test/echo?name=%C0%AF');
    assert.equal(res.status, 400, 'overlong encoding in a query');
    res = await s.fetch('/api/v1/_test/echo?name=%ED%A0%80');
    assert.equal(res.status, 400, 'a surrogate in a query');
    res = await s.fetch('/api/v1/_test/echo?name=a%00b');
    assert.equal(res.status, 400, 'NUL in a query');
    res = await s.fetch('/api/v1/_test/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]),
    });
    assert.equal(res.status, 400, 'raw bytes in JSON');
    res = await s.fetch('/api/v1/_test/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"\\ud800"}',
    });
    assert.equal(res.status, 400, 'a lone surrogate escape in JSON');
    const fd = new FormData();
    fd.append('name', new Blob([Buffer.from([0xe2, 0x82])]));
    res = await s.fetch('/api/v1/_test/echo', { method: 'POST', body: fd });
    assert.equal(res.status, 400, 'a truncated sequence in a multipart text field');
    // The query string is text input for every route, even one without fields.
    res = await s.fetch('/?q=%FF');
    assert.equal(res.status, 400, 'bad query on a page');
  });

  test('unsupported body type: 415', async () => {
    const res = await s.fetch('/api/v1/_test/echo', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'name=a',
    });
    assert.equal(res.status, 415);
    assert.equal((await res.json()).error.code, 'unsupported_media_type');
  });

  test('a body over the limit: 413 before it is read', async () => {
    // Declared length over 1 MiB: answered from the headers alone.
    const reply = await rawRequest(
      s.port,
      'POST /api/v1/_test/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
        'Content-Length: 2000000\r\n\r\n{"name":',
    );
    assert.match(reply, /^HTTP\/1\.1 413/);
    assert.match(reply, /"too_large"/);
    assert.match(reply, /Content-Security-Policy/i);
    // A real oversized upload through fetch.
    const res = await s.fetch('/api/v1/_test/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'a', note: 'x'.repeat(1100000) }),
    }).catch((e) => e);
    if (res instanceof Error) {
      // The server may close while the client still sends; it must not hang.
      assert.ok(true);
    } else {
      assert.equal(res.status, 413);
    }
  });

  test('a chunked body over the limit: 413', async () => {
    const chunk = 'x'.repeat(65536);
    let req = 'POST /api/v1/_test/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
      'Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n';
    for (let i = 0; i < 20; i++) req += '10000\r\n' + chunk + '\r\n';
    req += '0\r\n\r\n';
    const reply = await rawRequest(s.port, req);
    assert.match(reply, /^HTTP\/1\.1 413/);
  });

  test('a body just under the limit is accepted', async () => {
    const note = 'x'.repeat(1024 * 1024 - 100);
    const res = await s.fetch('/api/v1/_test/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'a', note: note.slice(0, 60000) }) ,
    });
    assert.equal(res.status, 200);
  });

  test('assets: hashed name, immutable cache, gzip when accepted, 304', async () => {
    const html = await (await s.fetch('/')).text();
    const css = html.match(/href="(\/assets\/app\.[0-9a-f]{16}\.css)"/)[1];
    let res = await s.fetch(css, { headers: { 'accept-encoding': 'identity' } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/css/);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(res.headers.get('content-encoding'), null);
    const plain = Buffer.from(await res.arrayBuffer());
    assert.ok(plain.length > 500);
    const etag = res.headers.get('etag');
    assert.match(etag, /^"[0-9a-f]{16}"$/);
    assertSecurityHeaders(res, 'asset');
    // fetch() decompresses transparently; ask over a raw socket to see the bytes.
    const reply = await rawRequest(
      s.port,
      `GET ${css} HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n`,
    );
    assert.match(reply, /Content-Encoding: gzip/i);
    const body = Buffer.from(reply.slice(reply.indexOf('\r\n\r\n') + 4), 'latin1');
    assert.ok(body.length < plain.length, 'the gzip variant is smaller');
    assert.deepEqual(gunzipSync(body), plain);
    res = await s.fetch(css, { headers: { 'if-none-match': etag } });
    assert.equal(res.status, 304);
    res = await s.fetch(css.replace(/\.[0-9a-f]{16}\./, '.0000000000000000.'));
    assert.equal(res.status, 404, 'a stale hash is not served');
    const js = html.match(/src="(\/assets\/htmx\.min\.[0-9a-f]{16}\.js)"/)[1];
    res = await s.fetch(js);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /htmx/);
  });

  test('metrics in Prometheus text format', async () => {
    await s.fetch('/healthz');
    await s.fetch('/no-such-thing');
    const res = await s.fetch('/metrics');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    assert.match(text, /^praxis_http_requests_total\{route="\/healthz",status="200"\} [1-9]\d*$/m);
    assert.match(text, /^praxis_http_requests_total\{route="none",status="404"\} [1-9]\d*$/m);
    assert.match(text, /^# TYPE praxis_http_request_duration_seconds histogram$/m);
    assert.match(text, /^praxis_http_request_duration_seconds_bucket\{route="\/healthz",le="\+Inf"\} \d+$/m);
    assert.match(text, /^praxis_http_request_duration_seconds_count\{route="\/healthz"\} \d+$/m);
    assert.match(text, /^praxis_http_connections_open \d+$/m);
    assert.match(text, /^praxis_live_connections_open \d+$/m);
    assert.match(text, new RegExp(`^praxis_db_pool_connections\\{backend="${BACKEND === 'pg' ? 'postgres' : 'sqlite'}"\\} [1-9]`, 'm'));
    assert.match(text, /^praxis_db_queries_total [1-9]\d*$/m);
    // Counts move: one more request to /healthz is one more in the counter.
    const before = Number(text.match(/route="\/healthz",status="200"\} (\d+)/)[1]);
    await s.fetch('/healthz');
    const again = await (await s.fetch('/metrics')).text();
    assert.equal(Number(again.match(/route="\/healthz",status="200"\} (\d+)/)[1]), before + 1);
  });

  test('cookies: set with safe attributes, read back, malformed ones ignored', async () => {
    let res = await s.fetch('/api/v1/_test/cookie', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ value: 'abc-123' }),
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('set-cookie'), 'probe=abc-123; Path=/; HttpOnly; SameSite=Lax; Max-Age=3600');
    const reply = await rawRequest(
      s.port,
      'GET /api/v1/_test/cookie HTTP/1.1\r\nHost: x\r\nConnection: close\r\n' +
        'Cookie: junk; =nameless; probe="abc-123"; other=x=y;  bad\u0001=1\r\n\r\n',
    );
    assert.match(reply, /^HTTP\/1\.1 200/);
    assert.deepEqual(JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4)), { probe: 'abc-123', other: 'x=y' });
    res = await s.fetch('/api/v1/_test/cookie');
    assert.deepEqual(await res.json(), { probe: '', other: '' });
    res = await s.fetch('/api/v1/_test/cookie', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ value: 'a;b' }),
    });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('set-cookie'), null);
  });

  test('one access-log line per request', async () => {
    const res = await s.fetch('/healthz?probe=1');
    const id = res.headers.get('x-request-id');
    await new Promise((r) => setTimeout(r, 50));
    const lines = s.stdout.split('\n').filter((l) => l.includes(`id=${id}`));
    assert.equal(lines.length, 1, s.stdout.slice(-500));
    assert.match(lines[0], /^access method=GET route=\/healthz path="\/healthz" status=200 bytes=\d+ us=\d+ id=[0-9a-f]{16}$/);
  });

  test('requests the HTTP library refuses itself are logged and counted too', async () => {
    const reply = await rawRequest(
      s.port,
      'GET /?huge HTTP/1.1\r\nHost: x\r\nX-Big: ' + 'a'.repeat(40000) + '\r\n\r\n',
    );
    assert.match(reply, /^HTTP\/1\.1 431/);
    await new Promise((r) => setTimeout(r, 100));
    assert.match(s.stdout, /^access method=- route=none path="\/" status=400 bytes=0 us=\d+ id=[0-9a-f]{16}$/m);
    const m = await (await s.fetch('/metrics')).text();
    assert.match(m, /^praxis_http_requests_in_flight 1$/m, 'only the scrape itself is in flight');
  });

  test('control characters and quotes in a path cannot forge log lines', async () => {
    await rawRequest(s.port, 'GET /a"b\u0001c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    await new Promise((r) => setTimeout(r, 100));
    assert.match(s.stdout, /path="\/a\?b\?c" status=404/);
  });

  // Last, after every bad input above: the server is still whole and stops
  // cleanly (exit 0; under the sanitizers that also means nothing leaked).
  test('survives all of the above and stops cleanly', async () => {
    assert.equal((await s.fetch('/healthz')).status, 200);
    assert.deepEqual(await s.stop(), { code: 0, signal: null });
  });
});

describe(`test-only routes on ${BACKEND}`, () => {
  test('are absent unless test mode is on', async () => {
    const s = await startServer({ testMode: false });
    try {
      assert.equal((await s.fetch('/api/v1/_test/echo?name=a')).status, 404);
    } finally {
      await s.stop();
    }
  });
});

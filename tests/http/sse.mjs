// A Server-Sent Events client for tests: one raw HTTP/1.1 connection,
// chunked decoding, events parsed as they come. Waiting is for something to
// arrive (with a deadline), never a sleep.
import net from 'node:net';

export function openStream(url, { auth, cookie, lastEventId, query = '' } = {}) {
  const u = new URL(url);
  const sock = net.connect(Number(u.port), u.hostname);
  const st = {
    sock, status: 0, headers: '', events: [], comments: 0, ended: false, raw: '',
    waiters: [],
  };
  let head = '', body = Buffer.alloc(0), chunked = false, inHead = true, text = '';
  const wake = () => {
    for (const w of st.waiters.slice()) if (w.check()) st.waiters.splice(st.waiters.indexOf(w), 1);
  };
  const parseText = () => {
    let i;
    while ((i = text.indexOf('\n\n')) >= 0) {
      const block = text.slice(0, i);
      text = text.slice(i + 2);
      const ev = { id: null, event: 'message', data: '' };
      let isComment = true;
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        isComment = false;
        const c = line.indexOf(':');
        const k = c < 0 ? line : line.slice(0, c);
        const v = c < 0 ? '' : line.slice(c + 1).replace(/^ /, '');
        if (k === 'id') ev.id = Number(v);
        else if (k === 'event') ev.event = v;
        else if (k === 'data') ev.data += v;
      }
      if (isComment || (!ev.data && ev.event === 'message')) st.comments++;
      else {
        try { ev.json = JSON.parse(ev.data); } catch { ev.json = null; }
        st.events.push(ev);
      }
    }
  };
  const feed = () => {
    if (!chunked) { text += body.toString('utf8'); body = Buffer.alloc(0); parseText(); return; }
    for (;;) {
      const crlf = body.indexOf('\r\n');
      if (crlf < 0) return;
      const size = parseInt(body.slice(0, crlf).toString(), 16);
      if (size === 0) { st.ended = true; return; }
      if (body.length < crlf + 2 + size + 2) return;
      text += body.slice(crlf + 2, crlf + 2 + size).toString('utf8');
      body = body.slice(crlf + 2 + size + 2);
      parseText();
    }
  };
  sock.on('data', (d) => {
    if (inHead) {
      head += d.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      st.headers = head.slice(0, end);
      st.status = Number(/^HTTP\/1\.1 (\d+)/.exec(st.headers)[1]);
      chunked = /transfer-encoding: chunked/i.test(st.headers);
      body = Buffer.from(head.slice(end + 4), 'latin1');
      inHead = false;
    } else {
      body = Buffer.concat([body, d]);
    }
    if (st.status !== 200) { st.raw += body.toString(); body = Buffer.alloc(0); }
    else feed();
    wake();
  });
  sock.on('close', () => { st.ended = true; wake(); });
  sock.on('error', () => { st.ended = true; wake(); });
  const headers = [`GET ${u.pathname}${query ? '?' + query : ''} HTTP/1.1`, `Host: ${u.host}`, 'Accept: text/event-stream'];
  if (auth) headers.push(`Authorization: ${auth}`);
  if (cookie) headers.push(`Cookie: ${cookie}`);
  if (lastEventId !== undefined) headers.push(`Last-Event-ID: ${lastEventId}`);
  sock.write(headers.join('\r\n') + '\r\n\r\n');

  // Resolve when check() holds (checked on every arrival), or reject after ms.
  st.until = (check, ms = 5000, what = 'the stream') => new Promise((resolve, reject) => {
    const w = { check: () => { const v = check(st); if (v) { clearTimeout(w.timer); resolve(v); return true; } return false; } };
    if (w.check()) return;
    w.timer = setTimeout(() => {
      st.waiters.splice(st.waiters.indexOf(w), 1);
      reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(st.events.map((e) => [e.id, e.event, e.data.slice(0, 80)]))} status ${st.status} ${st.raw}`));
    }, ms);
    st.waiters.push(w);
  });
  st.opened = () => st.until((x) => x.status === 200 && (x.comments > 0 || x.events.length > 0), 5000, 'the stream to open');
  st.responded = () => st.until((x) => x.status !== 0, 5000, 'a response');
  st.event = (pred, ms, what) => st.until((x) => x.events.find(pred), ms, what);
  st.close = () => { sock.destroy(); };
  return st;
}

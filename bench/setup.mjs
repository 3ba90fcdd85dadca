// Prepare the discussion benchmarks (bench/run.sh) against a running praxis
// that holds a `praxis demo --scale` instance:
//
//     node bench/setup.mjs URL HANDLE PASSWORD OUTDIR
//
// Signs in as HANDLE twice (an API token, and a session cookie as a browser
// has), picks a topic of exactly 20 posts and twenty others to post into,
// and fetches the topic's page as HTML and as JSON (each twice: the first
// visit marks the topic read, and the reference must answer with what every
// later visit gets). Writes into OUTDIR: token, cookie, topic (its id),
// post_topics (ids, comma-separated), topic.html, topic.json, and the HTTP
// status of each route it tried (status.html, status.json, status.search),
// so run.sh can leave out a route that is not served yet.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [base, handle, password, out] = process.argv.slice(2);
if (!out) {
  console.error('usage: node bench/setup.mjs URL HANDLE PASSWORD OUTDIR');
  process.exit(2);
}
const put = (name, data) => writeFileSync(join(out, name), data);

async function must(res, what) {
  if (!res.ok) throw new Error(`${what}: ${res.status} ${await res.text()}`);
  return res;
}

const login = await must(await fetch(`${base}/api/v1/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ login: handle, password }),
}), 'login');
const token = (await login.json()).token;
const bearer = { authorization: `Bearer ${token}` };

const signin = await fetch(`${base}/signin`, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ login: handle, password }).toString(),
  redirect: 'manual',
});
const cookie = (signin.headers.getSetCookie?.() ?? [])
  .map((c) => /^(praxis_session=[^;]*)/.exec(c)?.[1]).find(Boolean);
if (!cookie) throw new Error(`sign-in gave no session cookie (${signin.status})`);

// Walk the largest public community's topics for one of exactly 20 posts.
let topic = null, cursor = '';
const others = [];
for (let page = 0; page < 40 && !topic; page++) {
  const res = await must(await fetch(`${base}/api/v1/spaces/maths/topics${cursor ? `?cursor=${cursor}` : ''}`,
    { headers: bearer }), 'topics');
  const j = await res.json();
  for (const t of j.topics) {
    if (!topic && t.posts_count === 20) topic = t.id;
    else if (others.length < 20 && t.posts_count < 100) others.push(t.id);
  }
  if (!j.next_cursor) break;
  cursor = encodeURIComponent(j.next_cursor);
}
if (!topic) throw new Error('no topic of 20 posts in the first pages of "maths"');

async function twice(path, headers, file, statusFile) {
  let res;
  for (let i = 0; i < 2; i++) res = await fetch(base + path, { headers, redirect: 'manual' });
  put(statusFile, String(res.status));
  put(file, res.status === 200 ? Buffer.from(await res.arrayBuffer()) : '');
}
await twice(`/topics/${topic}`, { cookie }, 'topic.html', 'status.html');
await twice(`/api/v1/topics/${topic}`, bearer, 'topic.json', 'status.json');
const search = await fetch(`${base}/api/v1/search?q=lesson`, { headers: bearer });
put('status.search', String(search.status));

put('token', token);
put('cookie', cookie);
put('topic', String(topic));
put('post_topics', others.join(','));

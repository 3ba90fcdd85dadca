// Prepare the live benchmarks (bench/live.sh) against a running praxis:
//
//     node bench/live_setup.mjs URL OUTDIR
//
// Signs up one member, makes a space with a topic of 20 posts, and finds the
// space's general chat channel. Writes into OUTDIR: token, channel (its id),
// topic (its id).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [base, out] = process.argv.slice(2);
if (!out) {
  console.error('usage: node bench/live_setup.mjs URL OUTDIR');
  process.exit(2);
}
async function call(method, path, body, token) {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}
const me = await call('POST', '/api/v1/signup', {
  handle: 'bench', name: 'Bench Member', email: 'bench@example.org', password: 'a long enough passphrase',
});
const token = me.token;
await call('POST', '/api/v1/spaces', { slug: 'live-bench', name: 'Live bench', purpose: 'p', visibility: 'private', join: 'open' }, token);
const t = await call('POST', '/api/v1/spaces/live-bench/topics', { title: 'A topic of twenty posts', body: 'The first post.' }, token);
for (let i = 2; i <= 20; i++) {
  await call('POST', `/api/v1/topics/${t.topic.id}/posts`, { body: `Post number ${i}, with a little **Markdown** to render.` }, token);
}
const { channels } = await call('GET', '/api/v1/spaces/live-bench/channels', undefined, token);
const general = channels.find((c) => c.name === 'general') || channels[0];
writeFileSync(join(out, 'token'), token);
writeFileSync(join(out, 'channel'), String(general.id));
writeFileSync(join(out, 'topic'), String(t.topic.id));

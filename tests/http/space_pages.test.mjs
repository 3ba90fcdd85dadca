// The pages of spaces over HTTP, as a browser without JavaScript uses them:
// each page for the right people, 404 for a private space to outsiders on
// every page, forms that round-trip with their CSRF token and field errors,
// joining by each door, members and requests, invite links and their landing
// page, the home page and the profile's spaces, and names kept as text.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signup, sessionCookie, sql, BACKEND } from './harness.mjs';

const formBody = (fields) => new URLSearchParams(fields).toString();

// A person with an API token (for quick set-up) and a browser session with its CSRF token.
async function person(s, fields = {}) {
  const u = await signup(s, fields);
  const res = await s.fetch('/signin', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: formBody({ login: u.user.handle, password: u.password }),
  });
  assert.equal(res.status, 303);
  const cookie = sessionCookie(res);
  const me = await (await s.fetch('/api/v1/me', { headers: { cookie } })).json();
  return { ...u, handle: u.user.handle, cookie, csrf: me.csrf_token };
}

const get = (s, who, path) => s.fetch(path, { headers: who ? { cookie: who.cookie } : {} });

// POST a form as who would from a page: with the session cookie and, unless told not to, _csrf.
function post(s, who, path, fields = {}, { csrf = true } = {}) {
  const body = { ...(who && csrf ? { _csrf: who.csrf } : {}), ...fields };
  return s.fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(who ? { cookie: who.cookie } : {}) },
    body: formBody(body),
  });
}

// Set-up through the API, with the person's token.
async function api(s, who, method, path, body) {
  const res = await s.fetch(path, {
    method,
    headers: { authorization: who.auth, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}

const space = (s, who, fields) =>
  api(s, who, 'POST', '/api/v1/spaces', { visibility: 'public', join: 'open', purpose: 'A purpose.', ...fields });

async function page(res, status = 200) {
  const text = await res.text();
  assert.equal(res.status, status, text.slice(0, 2000));
  assert.match(res.headers.get('content-type'), /text\/html/);
  return text;
}

// The hidden CSRF field on every form of a page carries the session's token.
function assertFormsCarryCsrf(html, who) {
  const forms = html.match(/<form[^>]*method="post"[\s\S]*?<\/form>/g) || [];
  assert.ok(forms.length > 0, 'the page has forms');
  for (const f of forms) assert.ok(f.includes(`name="_csrf" value="${who.csrf}"`), f.slice(0, 300));
}

const main = (html) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));

describe(`space pages on ${BACKEND}`, () => {
  let s, ana, ben, cai, dee;
  before(async () => {
    s = await startServer();
    [ana, ben, cai, dee] = await Promise.all([
      person(s, { name: 'Ana Owner' }),
      person(s, { name: 'Ben Member' }),
      person(s, { name: 'Cai Outsider' }),
      person(s, { name: 'Dee <b>Bold</b>' }),
    ]);
  });
  after(async () => {
    if (!s.exited) await s.stop();
  });

  test('the create form: CSRF, field errors with what was typed, a taken address, then 303 to the space', async () => {
    let html = await page(await get(s, ana, '/spaces/new'));
    assert.match(html, /<h1 id="page-title">Create a community<\/h1>/);
    assertFormsCarryCsrf(html, ana);
    for (const label of ['Name', 'Address', 'Purpose', 'Who can see it', 'How people join', 'Charter']) {
      assert.ok(html.includes(`>${label}<`) || html.includes(`>${label} <`), label);
    }
    // No CSRF token: refused before anything happens.
    let res = await post(s, ana, '/spaces/new', { slug: 'nurses', name: 'N', purpose: 'P', visibility: 'public', join: 'open' }, { csrf: false });
    assert.equal(res.status, 403);
    assert.equal(await sql(s, "SELECT count(*) FROM spaces WHERE slug = 'nurses'"), '0');
    // Errors per field; what was typed comes back, escaped.
    res = await post(s, ana, '/spaces/new', { slug: 'Bad Slug', name: '', purpose: 'Care <i>well</i>', visibility: 'secret', join: 'open', charter: 'Hello' });
    html = await page(res, 400);
    assert.match(html, /id="slug-error">Address may hold only/);
    assert.match(html, /id="name-error">Name is required\./);
    assert.match(html, /id="visibility-error">Who can see it must be public or private\./);
    assert.match(html, /<a href="#slug">Address may hold only/);
    assert.match(html, /value="Bad Slug"/);
    assert.match(html, /value="Care &lt;i&gt;well&lt;\/i&gt;"/);
    assert.match(html, />\nHello<\/textarea>/);
    assert.match(html, /aria-invalid="true"/);
    assertFormsCarryCsrf(html, ana);
    // "new" is reserved, as in the API.
    html = await page(await post(s, ana, '/spaces/new', { slug: 'new', name: 'N', purpose: 'P', visibility: 'public', join: 'open' }), 400);
    assert.match(html, /Address is reserved/);
    // Made.
    res = await post(s, ana, '/spaces/new', {
      slug: 'ward-nurses', name: 'Ward Nurses', purpose: 'Nursing on the ward, together.',
      visibility: 'public', join: 'open', members_create_groups: '1',
      charter: '# Our charter\n\nBe **kind**. <script>alert(1)</script>',
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/spaces/ward-nurses?notice=created');
    html = await page(await get(s, ana, '/spaces/ward-nurses?notice=created'));
    assert.match(html, /<h1 id="page-title">Ward Nurses<\/h1>/);
    assert.match(html, /<p class="lead">Nursing on the ward, together\.<\/p>/);
    assert.match(html, /role="status">Your space is ready/);
    assert.match(html, /<strong>kind<\/strong>/);
    assert.doesNotMatch(html, /<script>alert/);
    assert.match(html, /Your role here: <strong class="role-badge">owner<\/strong>/);
    for (const tab of ['members', 'requests', 'invite', 'edit']) assert.ok(html.includes(`href="/spaces/ward-nurses/${tab}"`), tab);
    // The same address again: 409 on the slug.
    html = await page(await post(s, ben, '/spaces/new', { slug: 'ward-nurses', name: 'Again', purpose: 'P', visibility: 'public', join: 'open' }), 409);
    assert.match(html, /Address is taken/);
  });

  test('a group: created from its community, a breadcrumb back, private to outsiders on every page', async () => {
    await space(s, ana, { slug: 'teachers', name: 'Teachers', join: 'open' });
    await api(s, ben, 'POST', '/api/v1/spaces/teachers/join');
    let html = await page(await get(s, ana, '/spaces/new?parent=teachers'));
    assert.match(html, /Create a group/);
    assert.match(html, /name="parent" value="teachers"/);
    let res = await post(s, ana, '/spaces/new', { parent: 'teachers', slug: 'year-7', name: 'Year 7', purpose: 'The first year.', visibility: 'private', join: 'invite' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/spaces/year-7?notice=created');
    html = await page(await get(s, ana, '/spaces/year-7'));
    assert.match(html, /<nav class="crumbs" aria-label="Breadcrumb">\s*<ol>\s*<li><a href="\/spaces\/teachers">Teachers<\/a><\/li>/);
    assert.match(html, /Group · Private · By invitation/);
    // The community lists it for its owner, not for a member outside it.
    assert.match(await page(await get(s, ana, '/spaces/teachers')), /href="\/spaces\/year-7"/);
    assert.doesNotMatch(await page(await get(s, ben, '/spaces/teachers')), /year-7/);
    // Every page of the private group is 404 to a member of the community who is not in it, and to others.
    for (const who of [ben, cai]) {
      for (const p of ['', '/edit', '/members', '/requests', '/invite']) {
        res = await get(s, who, `/spaces/year-7${p}`);
        assert.equal(res.status, 404, `GET ${p} as ${who.user.name}`);
        assert.doesNotMatch(await res.text(), /Year 7/);
      }
      for (const p of ['/edit', '/join', '/leave', `/members/${ana.handle}`, `/members/${ana.handle}/remove`,
        '/requests/x/approve', '/requests/x/decline', '/invite']) {
        res = await post(s, who, `/spaces/year-7${p}`, { role: 'member', name: 'x', purpose: 'y' });
        assert.equal(res.status, 404, `POST ${p} as ${who.user.name}`);
      }
      res = await post(s, who, '/spaces/new', { parent: 'year-7', slug: 'sub', name: 'n', purpose: 'p', visibility: 'public', join: 'open' });
      assert.equal(res.status, 404);
      assert.equal((await get(s, who, '/spaces/new?parent=year-7')).status, 404);
    }
    // The anonymous: 404 for the page, sign-in first for the rest.
    assert.equal((await get(s, null, '/spaces/year-7')).status, 404);
    res = await get(s, null, '/spaces/year-7/members');
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/signin?next=/spaces/year-7/members');
    assert.equal((await post(s, null, '/spaces/year-7/join')).status, 401);
  });

  test('joining by each door: open, by request (with a note), by invitation; leaving', async () => {
    await space(s, ana, { slug: 'open-door', name: 'Open Door', join: 'open' });
    await space(s, ana, { slug: 'ask-first', name: 'Ask First', join: 'request' });
    await space(s, ana, { slug: 'invited-only', name: 'Invited Only', join: 'invite' });
    // Anonymous readers are asked to sign in.
    let html = await page(await get(s, null, '/spaces/open-door'));
    assert.match(html, /href="\/signin\?next=\/spaces\/open-door">Sign in to join/);
    assert.doesNotMatch(html, /name="_csrf"/);
    // Open: one click.
    html = await page(await get(s, cai, '/spaces/open-door'));
    assert.match(html, /<button class="button" type="submit">Join<\/button>/);
    assertFormsCarryCsrf(html, cai);
    let res = await post(s, cai, '/spaces/open-door/join', {}, { csrf: false });
    assert.equal(res.status, 403, 'no CSRF token, no join');
    res = await post(s, cai, '/spaces/open-door/join');
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/spaces/open-door?notice=joined');
    html = await page(await get(s, cai, res.headers.get('location')));
    assert.match(html, /Welcome! You are a member now\./);
    assert.match(html, /Your role here: <strong class="role-badge">member<\/strong>/);
    // Pressing again changes nothing.
    res = await post(s, cai, '/spaces/open-door/join');
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/spaces/open-door');
    // By request: the button asks, with a note; the page says it waits.
    html = await page(await get(s, cai, '/spaces/ask-first'));
    assert.match(html, /Ask to join/);
    res = await post(s, cai, '/spaces/ask-first/join', { message: 'I work <nights> on ward 4' });
    assert.equal(res.headers.get('location'), '/spaces/ask-first?notice=requested');
    html = await page(await get(s, cai, '/spaces/ask-first'));
    assert.match(html, /Your request to join is waiting for a facilitator/);
    assert.doesNotMatch(html, /Ask to join/);
    // The owner sees it in the Requests tab and on the requests page, the note escaped.
    html = await page(await get(s, ana, '/spaces/ask-first'));
    assert.match(html, /Requests <span class="count">1<\/span>/);
    html = await page(await get(s, ana, '/spaces/ask-first/requests'));
    assert.match(html, /I work &lt;nights&gt; on ward 4/);
    assert.match(html, new RegExp(`action="/spaces/ask-first/requests/${cai.handle}/approve"`));
    assertFormsCarryCsrf(html, ana);
    // Members may not see requests: a friendly 403 with a way back.
    html = await page(await get(s, cai, '/spaces/open-door/requests'), 403);
    assert.match(html, /Only facilitators can do that/);
    assert.match(html, /href="\/spaces\/open-door">Back to Open Door/);
    res = await post(s, ana, `/spaces/ask-first/requests/${cai.handle}/approve`);
    assert.equal(res.headers.get('location'), '/spaces/ask-first/requests?notice=approved');
    assert.match(await page(await get(s, ana, res.headers.get('location'))), /Approved: they are a member now\.[\s\S]*No one is waiting/);
    assert.equal((await api(s, cai, 'GET', '/api/v1/spaces/ask-first')).space.role, 'member');
    // A second press finds it answered.
    res = await post(s, ana, `/spaces/ask-first/requests/${cai.handle}/approve`);
    assert.equal(res.headers.get('location'), '/spaces/ask-first/requests?notice=handled');
    // Decline.
    await post(s, dee, '/spaces/ask-first/join');
    res = await post(s, ana, `/spaces/ask-first/requests/${dee.handle}/decline`);
    assert.equal(res.headers.get('location'), '/spaces/ask-first/requests?notice=declined');
    assert.equal((await api(s, dee, 'GET', '/api/v1/spaces/ask-first')).space.role, null);
    assert.equal((await post(s, ana, '/spaces/ask-first/requests/nobody-at-all/approve')).status, 404);
    // By invitation: no button, and a POST is a friendly 403.
    html = await page(await get(s, cai, '/spaces/invited-only'));
    assert.match(html, /Joined by invitation/);
    assert.doesNotMatch(html, /\/spaces\/invited-only\/join/);
    html = await page(await post(s, cai, '/spaces/invited-only/join'), 403);
    assert.match(html, /invite link/);
    // Groups are for the community's members.
    await space(s, ana, { slug: 'open-group', parent: 'ask-first', name: 'Open Group', join: 'open' });
    html = await page(await get(s, dee, '/spaces/open-group'));
    assert.match(html, /Groups are for members of <a href="\/spaces\/ask-first">Ask First<\/a>/);
    assert.equal((await post(s, dee, '/spaces/open-group/join')).status, 403);
    // Leaving: back to the space when it is public, home when it is out of sight.
    res = await post(s, cai, '/spaces/open-door/leave');
    assert.equal(res.headers.get('location'), '/spaces/open-door?notice=left');
    assert.match(await page(await get(s, cai, '/spaces/open-door')), /<button class="button" type="submit">Join<\/button>/);
    res = await post(s, cai, '/spaces/open-door/leave');
    assert.equal(res.headers.get('location'), '/spaces/open-door', 'not in: nothing to leave');
    await space(s, ana, { slug: 'hidden-room', name: 'Hidden Room', visibility: 'private' });
    const inv = await api(s, ana, 'POST', '/api/v1/spaces/hidden-room/invites', {});
    await api(s, cai, 'POST', `/api/v1/invites/${inv.token}/accept`);
    res = await post(s, cai, '/spaces/hidden-room/leave');
    assert.equal(res.headers.get('location'), '/');
    assert.equal((await get(s, cai, '/spaces/hidden-room')).status, 404);
  });

  test('members: search, profiles, role controls for stewards only, owners kept', async () => {
    await space(s, ana, { slug: 'engineers', name: 'Engineers', join: 'open' });
    for (const p of [ben, cai, dee]) await api(s, p, 'POST', '/api/v1/spaces/engineers/join');
    await api(s, ana, 'PATCH', `/api/v1/users/${ana.handle}`, { interests: { help: ['Bridge design'] } });
    // A member reads the directory, without controls.
    let html = await page(await get(s, ben, '/spaces/engineers/members'));
    assert.match(html, /4 members/);
    assert.match(html, new RegExp(`href="/people/${dee.handle}"`));
    assert.match(html, /Dee &lt;b&gt;Bold&lt;\/b&gt;/);
    assert.doesNotMatch(html, /<select id="role-/);
    assert.match(html, /Can help with:<\/span> <span class="chip">Bridge design<\/span>/);
    // Search by name, by handle, by interest narrowed by kind.
    html = await page(await get(s, ben, '/spaces/engineers/members?q=cai'));
    assert.match(html, /1 match/);
    assert.match(html, /Cai Outsider/);
    assert.doesNotMatch(html, /Ben Member<\/span>/);
    assert.match(html, /value="cai"/);
    html = await page(await get(s, ben, '/spaces/engineers/members?q=bridge&kind=help'));
    assert.match(html, /1 match/);
    assert.match(html, /<option value="help" selected>/);
    html = await page(await get(s, ben, '/spaces/engineers/members?q=%3Cnobody%3E'));
    assert.match(html, /No one matches/);
    assert.match(html, /value="&lt;nobody&gt;"/);
    assert.equal((await get(s, ben, '/spaces/engineers/members?kind=bogus')).status, 400);
    // The owner gets a form per member.
    html = await page(await get(s, ana, '/spaces/engineers/members'));
    assert.match(html, new RegExp(`<select id="role-${ben.handle}" name="role">`));
    assert.match(html, /<option value="owner">Owner<\/option>/);
    assertFormsCarryCsrf(html, ana);
    let res = await post(s, ana, `/spaces/engineers/members/${ben.handle}`, { role: 'facilitator' }, { csrf: false });
    assert.equal(res.status, 403);
    res = await post(s, ana, `/spaces/engineers/members/${ben.handle}`, { role: 'facilitator' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/spaces/engineers/members?notice=role');
    // A facilitator manages members and requests but not owners.
    html = await page(await get(s, ben, '/spaces/engineers/members'));
    assert.match(html, new RegExp(`<select id="role-${cai.handle}" name="role">`));
    assert.doesNotMatch(html, new RegExp(`<select id="role-${ana.handle}"`));
    assert.doesNotMatch(html, /<option value="owner"/);
    html = await page(await post(s, ben, `/spaces/engineers/members/${cai.handle}`, { role: 'owner' }), 403);
    assert.match(html, /Only owners can do that/);
    assert.equal((await post(s, ben, `/spaces/engineers/members/${ana.handle}/remove`)).status, 403);
    assert.equal((await post(s, ben, `/spaces/engineers/members/${cai.handle}`, { role: 'bogus' })).status, 400);
    assert.equal((await post(s, ben, '/spaces/engineers/members/nobody-at-all', { role: 'member' })).status, 404);
    // A member has no say.
    assert.equal((await post(s, cai, `/spaces/engineers/members/${dee.handle}`, { role: 'member' })).status, 403);
    // The last owner stays an owner.
    html = await page(await post(s, ana, `/spaces/engineers/members/${ana.handle}`, { role: 'member' }), 409);
    assert.match(html, /keeps at least one owner/);
    // Remove, then remove again.
    res = await post(s, ben, `/spaces/engineers/members/${dee.handle}/remove`);
    assert.equal(res.headers.get('location'), '/spaces/engineers/members?notice=removed');
    res = await post(s, ben, `/spaces/engineers/members/${dee.handle}/remove`);
    assert.equal(res.headers.get('location'), '/spaces/engineers/members?notice=gone');
    assert.match(await page(await get(s, ben, '/spaces/engineers/members')), /3 members/);
    // The space page shows a few names to people signed in, only a count to others.
    html = await page(await get(s, cai, '/spaces/engineers'));
    assert.match(html, /<ul class="people">/);
    html = await page(await get(s, null, '/spaces/engineers'));
    assert.match(html, /3 members/);
    assert.doesNotMatch(html, /<ul class="people">/);
  });

  test('edit: facilitators change words, only owners change who sees and who joins', async () => {
    await space(s, ana, { slug: 'editors', name: 'Editors', join: 'open', charter: 'Old charter' });
    await api(s, ben, 'POST', '/api/v1/spaces/editors/join');
    await api(s, cai, 'POST', '/api/v1/spaces/editors/join');
    await api(s, ana, 'PATCH', `/api/v1/spaces/editors/members/${ben.handle}`, { role: 'facilitator' });
    let html = await page(await get(s, ana, '/spaces/editors/edit'));
    assert.match(html, /name="visibility"/);
    assert.match(html, /<code>\/spaces\/editors<\/code>/);
    assert.match(html, />\nOld charter<\/textarea>/);
    assertFormsCarryCsrf(html, ana);
    html = await page(await get(s, ben, '/spaces/editors/edit'));
    assert.doesNotMatch(html, /name="visibility"/);
    assert.doesNotMatch(html, /name="join"/);
    html = await page(await get(s, cai, '/spaces/editors/edit'), 403);
    assert.match(html, /Only facilitators can edit this space/);
    // Words, by a facilitator.
    let res = await post(s, ben, '/spaces/editors/edit', { name: 'Editors <3', purpose: 'Words, well chosen.', charter: '*New* charter' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/spaces/editors?notice=saved');
    html = await page(await get(s, cai, '/spaces/editors'));
    assert.match(html, /<h1 id="page-title">Editors &lt;3<\/h1>/);
    assert.match(html, /<em>New<\/em> charter/);
    // Visibility from a facilitator: refused; from the owner: saved.
    html = await page(await post(s, ben, '/spaces/editors/edit', { name: 'E', purpose: 'P', visibility: 'private', join: 'open' }), 403);
    assert.match(html, /Only owners can change that/);
    res = await post(s, ana, '/spaces/editors/edit', { name: 'Editors', purpose: 'P', charter: '', visibility: 'private', join: 'request' });
    assert.equal(res.status, 303);
    const j = await api(s, ana, 'GET', '/api/v1/spaces/editors');
    assert.equal(j.space.visibility, 'private');
    assert.equal(j.space.join, 'request');
    assert.equal(j.space.members_create_groups, false, 'the box was left unticked');
    assert.equal(j.space.charter, '');
    // Errors, with what was typed.
    html = await page(await post(s, ana, '/spaces/editors/edit', { name: ' ', purpose: 'Still <here>', visibility: 'public', join: 'maybe' }), 400);
    assert.match(html, /id="name-error">Name is required\./);
    assert.match(html, /id="join-error">How people join must be one of the three choices\./);
    assert.match(html, /value="Still &lt;here&gt;"/);
    assert.equal((await post(s, ana, '/spaces/editors/edit', { name: 'E', purpose: 'P' }, { csrf: false })).status, 403);
  });

  test('invites: make a link, open it signed out and signed in, accept, and dead links are a friendly 404', async () => {
    await space(s, ana, { slug: 'circle', name: 'Quiet <Circle>', purpose: 'Only by invitation.', visibility: 'private', join: 'invite' });
    let html = await page(await get(s, ana, '/spaces/circle/invite'));
    assert.match(html, /value="14"/);
    assertFormsCarryCsrf(html, ana);
    assert.equal((await get(s, cai, '/spaces/circle/invite')).status, 404);
    assert.equal((await post(s, ana, '/spaces/circle/invite', {}, { csrf: false })).status, 403);
    // Field errors.
    html = await page(await post(s, ana, '/spaces/circle/invite', { expires_in_days: '0', max_uses: 'lots', role: 'member', guest_days: 'x' }), 400);
    assert.match(html, /id="days-error">Days is out of range\./);
    assert.match(html, /id="uses-error">Number of people must be a whole number\./);
    assert.doesNotMatch(html, /guest-days-error/, 'guest days do not matter for members');
    html = await page(await post(s, ana, '/spaces/circle/invite', { role: 'owner' }), 400);
    assert.match(html, /They join as must be members or guests/);
    // A link for two people; no public address is set, so a path.
    html = await page(await post(s, ana, '/spaces/circle/invite', { expires_in_days: '7', max_uses: '2', role: 'member', guest_days: '30' }));
    const m = html.match(/id="invite-link" class="copy-field" value="(\/invites\/[A-Za-z0-9_-]{43})"/);
    assert.ok(m, 'the link is shown');
    const link = m[1];
    assert.match(html, /Invite address on this site/);
    assert.match(html, /Can be used: <strong>2 times<\/strong>/);
    // Signed out: what it is, and the ways in, each coming back here.
    html = await page(await get(s, null, link));
    assert.match(html, /<h1 id="invite-title">Quiet &lt;Circle&gt;<\/h1>/);
    assert.match(html, /Only by invitation\./);
    const token = link.slice('/invites/'.length);
    assert.ok(html.includes(`href="/signup?invite=${token}"`));
    assert.ok(html.includes(`href="/signin?next=/invites/${token}"`));
    assert.doesNotMatch(html, /name="_csrf"/);
    // Signed in: accept.
    html = await page(await get(s, cai, link));
    assert.match(html, /Accept and join/);
    assertFormsCarryCsrf(html, cai);
    assert.equal((await post(s, cai, link, {}, { csrf: false })).status, 403);
    assert.equal((await post(s, null, link)).status, 401);
    let res = await post(s, cai, link);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/spaces/circle?notice=welcome');
    html = await page(await get(s, cai, '/spaces/circle?notice=welcome'));
    assert.match(html, /Welcome! You joined through an invite\./);
    assert.match(html, /Your role here: <strong class="role-badge">member<\/strong>/);
    // Opening it again says so, and does not use it up.
    html = await page(await get(s, cai, link));
    assert.match(html, /You are in this space already/);
    await post(s, dee, link);
    // Used up: a friendly 404 that names nothing.
    for (const who of [null, ben]) {
      html = await page(await get(s, who, link), 404);
      assert.match(html, /This invite link does not work/);
      assert.doesNotMatch(html, /Circle/);
    }
    html = await page(await post(s, ben, link), 404);
    assert.match(html, /This invite link does not work/);
    html = await page(await get(s, ben, '/invites/not-a-real-token'), 404);
    assert.match(html, /Ask the person who sent it for a new link/);
    // A guest invite says until when.
    html = await page(await post(s, ana, '/spaces/circle/invite', { expires_in_days: '3', max_uses: '1', role: 'guest', guest_days: '10' }));
    assert.match(html, /Joins as: <strong>a guest<\/strong>, until/);
    const guestLink = html.match(/value="(\/invites\/[A-Za-z0-9_-]{43})"/)[1];
    html = await page(await get(s, ben, guestLink));
    assert.match(html, /You are invited as a guest: you will see this space until/);
    await post(s, ben, guestLink);
    html = await page(await get(s, ben, '/spaces/circle'));
    assert.match(html, /Your role here: <strong class="role-badge">guest<\/strong>, until \d+ \w+ \d{4}/);
    // Someone new follows "Create an account": the sign-up form carries the invite and accepts it.
    html = await page(await post(s, ana, '/spaces/circle/invite', { expires_in_days: '1', max_uses: '1', role: 'member' }));
    const fresh = html.match(/value="\/invites\/([A-Za-z0-9_-]{43})"/)[1];
    html = await page(await get(s, null, `/signup?invite=${fresh}`));
    assert.ok(html.includes(`name="invite" value="${fresh}"`));
    res = await s.fetch('/signup', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: formBody({ handle: 'newcomer', name: 'New Comer', email: 'newcomer@example.org', password: 'a long enough passphrase', invite: fresh }),
    });
    assert.equal(res.status, 303);
    html = main(await page(await s.fetch(res.headers.get('location'), { headers: { cookie: sessionCookie(res) } })));
    assert.match(html, /Your communities[\s\S]*Quiet &lt;Circle&gt;/);
  });

  test('a public address makes a full link', async () => {
    const t = await startServer({ args: ['--public-url', 'http://praxis.example'] });
    try {
      const o = await person(t);
      await space(t, o, { slug: 'linked', name: 'Linked' });
      const html = await page(await post(t, o, '/spaces/linked/invite', { expires_in_days: '14', max_uses: '5', role: 'member' }));
      assert.match(html, /value="http:\/\/praxis\.example\/invites\/[A-Za-z0-9_-]{43}"/);
      assert.match(html, />Invite link</);
    } finally {
      await t.stop();
    }
  });

  test('home: your communities with their groups, communities to discover, and the way to start one', async () => {
    const t = await startServer();
    try {
      // An empty instance: the welcome stays.
      let html = await page(await get(t, null, '/'));
      assert.match(html, /No communities yet/);
      assert.match(html, /<a href="\/signup">Sign up<\/a>/);
      const [o, v] = [await person(t, { name: 'Olu' }), await person(t, { name: 'Vic' })];
      html = await page(await get(t, o, '/'));
      assert.match(html, /No communities yet/);
      assert.match(html, /href="\/spaces\/new">Start the first community/);
      await space(t, o, { slug: 'potters', name: 'Potters <&> Co', purpose: 'Clay, <wheels> and kilns.' });
      await space(t, o, { slug: 'glaze', parent: 'potters', name: 'Glaze lab', visibility: 'private' });
      await space(t, o, { slug: 'secret', name: 'Secret Society', visibility: 'private' });
      await space(t, o, { slug: 'weavers', name: 'Weavers', purpose: 'Looms.' });
      await api(t, v, 'POST', '/api/v1/spaces/weavers/join');
      // Olu: all three communities are theirs, the private group under its community.
      html = main(await page(await get(t, o, '/')));
      assert.match(html, /<h2 id="mine-title">Your communities<\/h2>/);
      assert.match(html, /href="\/spaces\/new">Create a community/);
      assert.match(html, /Potters &lt;&amp;&gt; Co/);
      assert.match(html, /Clay, &lt;wheels&gt; and kilns\./);
      assert.match(html, /<a href="\/spaces\/glaze">Glaze lab<\/a> <span class="role-badge">owner<\/span>/);
      assert.doesNotMatch(html, /Communities to discover/);
      // Vic: Weavers is theirs; Potters to discover with its count; never the private ones.
      html = main(await page(await get(t, v, '/')));
      const [mine, discover] = html.split('Communities to discover');
      assert.match(mine, /href="\/spaces\/weavers"/);
      assert.match(mine, /<span class="role-badge">member<\/span>/);
      assert.match(discover, /href="\/spaces\/potters"/);
      assert.match(discover, /1 member/);
      assert.doesNotMatch(html, /Secret Society|Glaze lab/);
      // The anonymous see what is public.
      html = main(await page(await get(t, null, '/')));
      assert.match(html, /Communities to discover/);
      assert.match(html, /Weavers/);
      assert.doesNotMatch(html, /Your communities|Secret Society|Create a community/);
      // Only admins create communities: the link goes, and the form says no.
      await sql(t, "DELETE FROM instance_settings WHERE key = 'community_creators'");
      await sql(t, "INSERT INTO instance_settings (key, value, updated_at) VALUES ('community_creators', 'admins', 0)");
      html = main(await page(await get(t, v, '/')));
      assert.doesNotMatch(html, /Create a community/);
      assert.equal((await get(t, v, '/spaces/new')).status, 403);
      assert.equal((await post(t, v, '/spaces/new', { slug: 'mine', name: 'M', purpose: 'P', visibility: 'public', join: 'open' })).status, 403);
    } finally {
      await t.stop();
    }
  });

  test('a profile lists the spaces the viewer may see', async () => {
    await space(s, dee, { slug: 'dee-public', name: 'Dee Public' });
    await space(s, dee, { slug: 'dee-private', name: 'Dee Private', visibility: 'private' });
    await space(s, dee, { slug: 'dee-group', parent: 'dee-public', name: 'Dee Group', visibility: 'private' });
    let html = await page(await get(s, cai, `/people/${dee.handle}`));
    assert.match(html, /<h2 id="spaces-title">Spaces<\/h2>/);
    assert.match(html, /href="\/spaces\/dee-public">Dee Public<\/a>/);
    assert.doesNotMatch(html, /Dee Private|Dee Group/);
    html = await page(await get(s, dee, `/people/${dee.handle}`));
    assert.match(html, /Dee Private/);
    assert.match(html, /Group in Dee Public · <span class="role-badge">owner<\/span>/);
    html = await page(await get(s, null, `/people/${cai.handle}`));
    assert.doesNotMatch(html, /Circle/, 'a private space stays private on a profile');
  });

  test('stops cleanly', async () => {
    assert.deepEqual(await s.stop(), { code: 0, signal: null });
  });
});

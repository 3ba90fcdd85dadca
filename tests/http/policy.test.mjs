// The policy matrix: every route the server answers × eight kinds of actor ×
// a public and a private space, each call against a fresh world, with the
// status the one policy must give. The route list comes from the server
// itself, so a new route without an entry here fails the suite.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signup, run, BACKEND } from './harness.mjs';

const ACTORS = ['anon', 'outsider', 'pending', 'guest', 'member', 'facilitator', 'owner', 'admin'];
const IN = ['guest', 'member', 'facilitator', 'owner'];
const STEWARD = ['facilitator', 'owner', 'admin'];
// Who takes part in discussions: everyone in the space, and instance admins.
const POSTERS = ['guest', 'member', 'facilitator', 'owner', 'admin'];

// Whether an actor may read a space of the given visibility.
const reads = (a, vis) => vis === 'public' || IN.includes(a) || a === 'admin';
// The usual answer for a space route: 401 to the anonymous where the route
// needs a person (or the space is readable and the action needs one), 404
// to whoever may not read the space, 403 to readers without the right, else ok.
function spaceRule({ auth = true, allowed, ok, anon = 401 }) {
  return (a, vis) => {
    if (a === 'anon' && auth) return 401;
    if (!reads(a, vis)) return 404;
    if (a === 'anon') return anon;
    return allowed(a) ? ok : 403;
  };
}

// Each entry: how to call the route in a world w (params for the path, query for
// its query string, form or body), and the expected status.
const EXPECT = {
  'GET /': { status: () => 200 },
  'GET /signup': { status: (a) => (a === 'anon' ? 200 : 303) },
  'POST /signup': { form: {}, status: (a) => (a === 'anon' ? 400 : 409) },
  'GET /signin': { status: (a) => (a === 'anon' ? 200 : 303) },
  'POST /signin': { form: {}, status: () => 400 },
  'POST /signout': { form: {}, status: () => 303 },
  'POST /api/v1/signup': { body: {}, status: () => 400 },
  'POST /api/v1/login': { body: {}, status: () => 400 },
  'POST /api/v1/logout': { status: (a) => (a === 'anon' ? 401 : 204) },
  'GET /api/v1/me': { status: (a) => (a === 'anon' ? 401 : 200) },
  'GET /api/v1/me/tokens': { status: (a) => (a === 'anon' ? 401 : 200) },
  'DELETE /api/v1/me/tokens/{id}': { params: { id: '0' }, status: (a) => (a === 'anon' ? 401 : 404) },
  // Account mail: made-up links are 404 to all; the matrix's people have unconfirmed addresses.
  'GET /confirm-email/{token}': { params: { token: 'no-such-link' }, status: () => 404 },
  'POST /confirm-email/resend': { form: {}, status: (a) => (a === 'anon' ? 401 : 303) },
  'POST /api/v1/email/confirm': { body: {}, status: () => 400 },
  'POST /api/v1/me/email/resend': { status: (a) => (a === 'anon' ? 401 : 202) },
  'GET /forgot-password': { status: () => 200 },
  'POST /forgot-password': { form: {}, status: () => 400 },
  'POST /api/v1/password/forgot': { body: {}, status: () => 400 },
  'GET /reset-password/{token}': { params: { token: 'no-such-link' }, status: () => 404 },
  'POST /reset-password/{token}': { params: { token: 'no-such-link' }, form: {}, status: () => 404 },
  'POST /api/v1/password/reset': { body: {}, status: () => 400 },
  // Mail settings, and one-click unsubscribe, which needs no session: a made-up link is 404 to all.
  'GET /api/v1/me/mail': { status: (a) => (a === 'anon' ? 401 : 200) },
  'PATCH /api/v1/me/mail': { body: { reminders: 'bogus' }, status: (a) => (a === 'anon' ? 401 : 400) },
  'GET /settings/mail': { status: (a) => (a === 'anon' ? 303 : 200) },
  'POST /settings/mail': { form: {}, status: (a) => (a === 'anon' ? 401 : 303) },
  'GET /settings/presence': { status: (a) => (a === 'anon' ? 303 : 200) },
  'POST /settings/presence': { form: {}, status: (a) => (a === 'anon' ? 401 : 303) },
  'GET /unsubscribe/{token}': { params: { token: '1.reminders.AAAAAAAAAAAAAAAAAAAAAA' }, status: () => 404 },
  'POST /unsubscribe/{token}': { params: { token: '1.reminders.AAAAAAAAAAAAAAAAAAAAAA' }, form: {}, status: () => 404 },
  'GET /settings/tokens': { status: (a) => (a === 'anon' ? 303 : 200) },
  'POST /settings/tokens': { form: { label: 'matrix' }, status: (a) => (a === 'anon' ? 401 : 200) },
  'POST /settings/tokens/{id}/revoke': { params: { id: '0' }, form: {}, status: (a) => (a === 'anon' ? 401 : 404) },
  'GET /healthz': { status: () => 200 },
  'GET /metrics': { status: () => 200 },
  'GET /assets/{file}': { params: { file: 'nothing.css' }, status: () => 404 },
  'POST /api/v1/spaces': {
    body: (w) => ({ slug: 'Not A Slug', name: 'n', purpose: 'p', visibility: 'public', join: 'open', parent: w.slug }),
    // Creating a group: members may (the community allows it), stewards may; a bad slug then says 400.
    status: spaceRule({ allowed: (a) => a === 'member' || STEWARD.includes(a), ok: 400 }),
  },
  'GET /api/v1/spaces': { status: () => 200 },
  'GET /api/v1/spaces/{slug}': { status: spaceRule({ auth: false, allowed: () => true, ok: 200, anon: 200 }) },
  'PATCH /api/v1/spaces/{slug}': { body: { name: '' }, status: spaceRule({ allowed: (a) => STEWARD.includes(a), ok: 400 }) },
  'POST /api/v1/spaces/{slug}/join': {
    status: (a, vis) => {
      if (!reads(a, vis)) return 404;
      if (a === 'anon') return 401;
      if (IN.includes(a) || a === 'pending') return 409;
      return 202; // the fixtures' spaces take requests
    },
  },
  'POST /api/v1/spaces/{slug}/leave': {
    status: (a, vis) => {
      if (a === 'anon') return 401;
      if (!reads(a, vis)) return 404;
      return IN.includes(a) ? 204 : 409;
    },
  },
  'GET /api/v1/spaces/{slug}/members': { status: spaceRule({ auth: false, allowed: () => true, ok: 200 }) },
  'PATCH /api/v1/spaces/{slug}/members/{handle}': {
    params: (w) => ({ handle: w.handles.member }),
    body: { role: 'bogus' },
    status: spaceRule({ allowed: (a) => STEWARD.includes(a), ok: 400 }),
  },
  'DELETE /api/v1/spaces/{slug}/members/{handle}': {
    params: (w) => ({ handle: w.handles.member }),
    status: spaceRule({ allowed: (a) => STEWARD.includes(a), ok: 204 }),
  },
  'GET /api/v1/spaces/{slug}/requests': { status: spaceRule({ allowed: (a) => STEWARD.includes(a), ok: 200 }) },
  'POST /api/v1/spaces/{slug}/requests/{handle}/approve': {
    params: (w) => ({ handle: w.handles.pending }),
    status: spaceRule({ allowed: (a) => STEWARD.includes(a), ok: 204 }),
  },
  'POST /api/v1/spaces/{slug}/requests/{handle}/decline': {
    params: (w) => ({ handle: w.handles.pending }),
    status: spaceRule({ allowed: (a) => STEWARD.includes(a), ok: 204 }),
  },
  'POST /api/v1/spaces/{slug}/invites': { body: {}, status: spaceRule({ allowed: (a) => STEWARD.includes(a), ok: 201 }) },
  'GET /people/{handle}': { params: (w) => ({ handle: w.handles.member }), status: () => 200 },
  'GET /settings/profile': { status: (a) => (a === 'anon' ? 303 : 200) },
  'POST /settings/profile': { form: {}, status: (a) => (a === 'anon' ? 401 : 303) },
  'GET /api/v1/users/{handle}': { params: (w) => ({ handle: w.handles.member }), status: () => 200 },
  'PATCH /api/v1/users/{handle}': {
    params: (w) => ({ handle: w.handles.member }),
    body: { name: '' },
    // Only the person and instance admins edit a profile; a bad name then says 400.
    status: (a) => (a === 'anon' ? 401 : a === 'member' || a === 'admin' ? 400 : 403),
  },
  'GET /api/v1/instance': { status: () => 200 },
  'PATCH /api/v1/instance': { body: { signup: 'bogus' }, status: (a) => (a === 'anon' ? 401 : a === 'admin' ? 400 : 403) },
  'POST /api/v1/invites/{token}/accept': { params: { token: 'no-such-invite' }, status: (a) => (a === 'anon' ? 401 : 404) },
  // The pages of spaces: GETs that need a person send the anonymous to sign in (303); POSTs say 401.
  'GET /spaces/new': { status: (a) => (a === 'anon' ? 303 : 200) },
  'POST /spaces/new': {
    body: (w) => ({ slug: 'Not A Slug', name: 'n', purpose: 'p', visibility: 'public', join: 'open', parent: w.slug }),
    status: spaceRule({ allowed: (a) => a === 'member' || STEWARD.includes(a), ok: 400 }),
  },
  'GET /spaces/{slug}': { status: spaceRule({ auth: false, allowed: () => true, ok: 200, anon: 200 }) },
  'GET /spaces/{slug}/edit': {
    status: (a, vis) => (a === 'anon' ? 303 : spaceRule({ allowed: (b) => STEWARD.includes(b), ok: 200 })(a, vis)),
  },
  'POST /spaces/{slug}/edit': { form: {}, status: spaceRule({ allowed: (a) => STEWARD.includes(a), ok: 400 }) },
  // Joining when in already or waiting, and leaving when not in, change nothing and go back (303).
  'POST /spaces/{slug}/join': { form: {}, status: spaceRule({ allowed: () => true, ok: 303 }) },
  'POST /spaces/{slug}/leave': { form: {}, status: spaceRule({ allowed: () => true, ok: 303 }) },
  'GET /spaces/{slug}/members': {
    status: (a, vis) => (a === 'anon' ? 303 : spaceRule({ allowed: () => true, ok: 200 })(a, vis)),
  },
  'POST /spaces/{slug}/members/{handle}': {
    params: (w) => ({ handle: w.handles.member }),
    form: { role: 'bogus' },
    status: spaceRule({ allowed: (a) => STEWARD.includes(a), ok: 400 }),
  },
  // The first steward removes the member; for the next ones they are gone already: 303 each.
  'POST /spaces/{slug}/members/{handle}/remove': {
    params: (w) => ({ handle: w.handles.member }),
    form: {},
    status: spaceRule({ allowed: (a) => STEWARD.includes(a), ok: 303 }),
  },
  'GET /spaces/{slug}/requests': {
    status: (a, vis) => (a === 'anon' ? 303 : spaceRule({ allowed: (b) => STEWARD.includes(b), ok: 200 })(a, vis)),
  },
  // The first steward decides; for the next ones the request is answered already: 303 each.
  'POST /spaces/{slug}/requests/{handle}/approve': {
    params: (w) => ({ handle: w.handles.pending }),
    form: {},
    status: spaceRule({ allowed: (a) => STEWARD.includes(a), ok: 303 }),
  },
  'POST /spaces/{slug}/requests/{handle}/decline': {
    params: (w) => ({ handle: w.handles.pending }),
    form: {},
    status: spaceRule({ allowed: (a) => STEWARD.includes(a), ok: 303 }),
  },
  'GET /spaces/{slug}/invite': {
    status: (a, vis) => (a === 'anon' ? 303 : spaceRule({ allowed: (b) => STEWARD.includes(b), ok: 200 })(a, vis)),
  },
  // The link is shown once, on the page that answers the form.
  'POST /spaces/{slug}/invite': { form: {}, status: spaceRule({ allowed: (a) => STEWARD.includes(a), ok: 200 }) },
  // Discussions: the world has a question by the member (w.topic, its first post w.post).
  'POST /api/v1/spaces/{slug}/topics': { body: { title: 'Matrix', body: 'x' }, status: spaceRule({ allowed: (a) => POSTERS.includes(a), ok: 201 }) },
  'GET /api/v1/spaces/{slug}/topics': { status: spaceRule({ auth: false, allowed: () => true, ok: 200, anon: 200 }) },
  'POST /api/v1/spaces/{slug}/watch': { body: { level: 'watching' }, status: spaceRule({ allowed: () => true, ok: 200 }) },
  'GET /api/v1/topics/{id}': { params: (w) => ({ id: w.topic }), status: spaceRule({ auth: false, allowed: () => true, ok: 200, anon: 200 }) },
  // Its author or a steward edits a topic; an empty title then says 400.
  'PATCH /api/v1/topics/{id}': { params: (w) => ({ id: w.topic }), body: { title: '' }, status: spaceRule({ allowed: (a) => a === 'member' || STEWARD.includes(a), ok: 400 }) },
  'POST /api/v1/topics/{id}/posts': { params: (w) => ({ id: w.topic }), body: { body: 'matrix' }, status: spaceRule({ allowed: (a) => POSTERS.includes(a), ok: 201 }) },
  // The asker or a steward; post_id 0 takes an acceptance back.
  'POST /api/v1/topics/{id}/accept': { params: (w) => ({ id: w.topic }), body: { post_id: 0 }, status: spaceRule({ allowed: (a) => a === 'member' || STEWARD.includes(a), ok: 200 }) },
  'POST /api/v1/topics/{id}/watch': { params: (w) => ({ id: w.topic }), body: { level: 'muted' }, status: spaceRule({ allowed: () => true, ok: 200 }) },
  'PATCH /api/v1/posts/{id}': { params: (w) => ({ id: w.post }), body: { body: 'edited' }, status: spaceRule({ allowed: (a) => a === 'member', ok: 200 }) },
  // The author deletes; a steward must give a reason (400 without).
  'DELETE /api/v1/posts/{id}': {
    params: (w) => ({ id: w.post }),
    status: (a, vis) => (a === 'member' ? 200 : spaceRule({ allowed: (b) => STEWARD.includes(b), ok: 400 })(a, vis)),
  },
  'GET /api/v1/posts/{id}/revisions': { params: (w) => ({ id: w.post }), status: spaceRule({ auth: false, allowed: () => true, ok: 200, anon: 200 }) },
  // Not on one's own post (the member wrote it).
  'POST /api/v1/posts/{id}/reactions': { params: (w) => ({ id: w.post }), body: { kind: 'like' }, status: spaceRule({ allowed: (a) => POSTERS.includes(a) && a !== 'member', ok: 200 }) },
  'GET /api/v1/notifications': { status: (a) => (a === 'anon' ? 401 : 200) },
  // Live (feature/live): the stream and presence follow the space they name.
  'GET /api/v1/stream': { query: (w) => ({ spaces: w.slug, here: `space:${w.slug}` }), status: (a, vis) => (a === 'anon' ? 401 : reads(a, vis) ? 200 : 404) },
  'GET /api/v1/presence': { query: (w) => ({ page: `space:${w.slug}` }), status: (a, vis) => (a === 'anon' ? 401 : reads(a, vis) ? 200 : 404) },
  'GET /api/v1/spaces/{slug}/presence': { status: spaceRule({ auth: false, allowed: () => true, ok: 200 }) },
  'PATCH /api/v1/me': { body: {}, status: (a) => (a === 'anon' ? 401 : 400) },
  'POST /api/v1/notifications/read': { body: { all: true }, status: (a) => (a === 'anon' ? 401 : 200) },
  // The pages of discussions: empty forms say 400 once the policy lets the caller through.
  'GET /spaces/{slug}/topics': { status: spaceRule({ auth: false, allowed: () => true, ok: 200, anon: 200 }) },
  'GET /spaces/{slug}/topics/new': { status: (a, vis) => (a === 'anon' ? 303 : spaceRule({ allowed: (b) => POSTERS.includes(b), ok: 200 })(a, vis)) },
  'POST /spaces/{slug}/topics/new': { form: {}, status: spaceRule({ allowed: (a) => POSTERS.includes(a), ok: 400 }) },
  'POST /spaces/{slug}/watch': { form: {}, status: spaceRule({ allowed: () => true, ok: 400 }) },
  // A private space has no feed, for anyone: a feed reader has no session.
  'GET /spaces/{slug}/feed.atom': { status: (a, vis) => (vis === 'public' ? 200 : 404) },
  'GET /topics/{id}': { params: (w) => ({ id: w.topic }), status: spaceRule({ auth: false, allowed: () => true, ok: 200, anon: 200 }) },
  'POST /topics/{id}/reply': { params: (w) => ({ id: w.topic }), form: {}, status: spaceRule({ allowed: (a) => POSTERS.includes(a), ok: 400 }) },
  'POST /topics/{id}/accept': { params: (w) => ({ id: w.topic }), form: {}, status: spaceRule({ allowed: (a) => a === 'member' || STEWARD.includes(a), ok: 400 }) },
  'POST /topics/{id}/watch': { params: (w) => ({ id: w.topic }), form: {}, status: spaceRule({ allowed: () => true, ok: 400 }) },
  'GET /posts/{id}/edit': { params: (w) => ({ id: w.post }), status: (a, vis) => (a === 'anon' ? 303 : spaceRule({ allowed: (b) => b === 'member', ok: 200 })(a, vis)) },
  'POST /posts/{id}/edit': { params: (w) => ({ id: w.post }), form: {}, status: spaceRule({ allowed: (a) => a === 'member', ok: 400 }) },
  'GET /posts/{id}/delete': { params: (w) => ({ id: w.post }), status: (a, vis) => (a === 'anon' ? 303 : spaceRule({ allowed: (b) => b === 'member' || STEWARD.includes(b), ok: 200 })(a, vis)) },
  // The author deletes their own without a reason (303 back); a steward needs one (400).
  'POST /posts/{id}/delete': { params: (w) => ({ id: w.post }), form: {}, status: (a, vis) => spaceRule({ allowed: (b) => b === 'member' || STEWARD.includes(b), ok: a === 'member' ? 303 : 400 })(a, vis) },
  'POST /posts/{id}/react': { params: (w) => ({ id: w.post }), form: {}, status: spaceRule({ allowed: (a) => POSTERS.includes(a), ok: 400 }) },
  'GET /posts/{id}/revisions': { params: (w) => ({ id: w.post }), status: spaceRule({ auth: false, allowed: () => true, ok: 200, anon: 200 }) },
  // The job queue exists only for instance admins: 404 to everyone else who signed in.
  'GET /api/v1/admin/jobs': { status: (a) => (a === 'anon' ? 401 : a === 'admin' ? 200 : 404) },
  'POST /api/v1/admin/jobs/{id}/retry': { params: { id: '0' }, status: (a) => (a === 'anon' ? 401 : 404) },
  'GET /admin/jobs': { status: (a) => (a === 'anon' ? 303 : a === 'admin' ? 200 : 404) },
  'POST /admin/jobs/{id}/retry': { params: { id: '0' }, form: {}, status: (a) => (a === 'anon' ? 401 : 404) },
  'GET /notifications': { status: (a) => (a === 'anon' ? 303 : 200) },
  'POST /notifications/read': { form: {}, status: (a) => (a === 'anon' ? 401 : 303) },
  'POST /notifications/{id}/read': { params: { id: '0' }, form: {}, status: (a) => (a === 'anon' ? 401 : 404) },
  // Search, filtered to the world's space: as readable as the space.
  'GET /api/v1/search': { query: (w) => ({ q: 'matrix', space: w.slug }), status: spaceRule({ auth: false, allowed: () => true, ok: 200, anon: 200 }) },
  'GET /search': { query: (w) => ({ q: 'matrix', space: w.slug }), status: spaceRule({ auth: false, allowed: () => true, ok: 200, anon: 200 }) },
  // Events: the world has a weekly hybrid event by the facilitator (w.event), its next occurrence in the future (w.occ).
  // Creating takes a steward; an empty body then says 400.
  'POST /api/v1/spaces/{slug}/events': { body: {}, status: spaceRule({ allowed: (a) => STEWARD.includes(a), ok: 400 }) },
  'GET /api/v1/spaces/{slug}/events': { status: spaceRule({ auth: false, allowed: () => true, ok: 200, anon: 200 }) },
  'GET /api/v1/events/{id}': { params: (w) => ({ id: w.event }), status: spaceRule({ auth: false, allowed: () => true, ok: 200, anon: 200 }) },
  // Its hosts (the facilitator made it) and stewards change it; an empty title then says 400.
  'PATCH /api/v1/events/{id}': { params: (w) => ({ id: w.event }), body: { title: '' }, status: spaceRule({ allowed: (a) => STEWARD.includes(a), ok: 400 }) },
  'DELETE /api/v1/events/{id}': { params: (w) => ({ id: w.event }), status: spaceRule({ allowed: (a) => STEWARD.includes(a), ok: 204 }) },
  'POST /api/v1/events/{id}/exceptions': { params: (w) => ({ id: w.event }), body: {}, status: spaceRule({ allowed: (a) => STEWARD.includes(a), ok: 400 }) },
  'POST /api/v1/events/{id}/rsvp': { params: (w) => ({ id: w.event }), body: { status: 'going' }, status: spaceRule({ allowed: (a) => POSTERS.includes(a), ok: 200 }) },
  // Nothing is under way: the code is refused for its window (400).
  'POST /api/v1/events/{id}/checkin': { params: (w) => ({ id: w.event }), body: { code: 'AAAAAA', mode: 'online' }, status: spaceRule({ allowed: (a) => POSTERS.includes(a), ok: 400 }) },
  'GET /api/v1/events/{id}/attendance': { params: (w) => ({ id: w.event }), status: spaceRule({ allowed: (a) => STEWARD.includes(a), ok: 200 }) },
  // The occurrence has not begun: 400 once the policy lets the caller through.
  'POST /api/v1/events/{id}/attendance': {
    params: (w) => ({ id: w.event }),
    body: (w) => ({ occurrence: w.occ, handle: w.handles.member, mode: 'online' }),
    status: spaceRule({ allowed: (a) => STEWARD.includes(a), ok: 400 }),
  },
  // An event's page (and, with ".ics", its calendar file), the calendar and the forms of events' pages:
  // empty forms say 400 once the policy lets the caller through; an empty edit changes nothing (303).
  'GET /events/{id}': { params: (w) => ({ id: w.event }), status: spaceRule({ auth: false, allowed: () => true, ok: 200, anon: 200 }) },
  'GET /spaces/{slug}/calendar': { status: spaceRule({ auth: false, allowed: () => true, ok: 200, anon: 200 }) },
  'GET /spaces/{slug}/events/new': { status: (a, vis) => (a === 'anon' ? 303 : spaceRule({ allowed: (b) => STEWARD.includes(b), ok: 200 })(a, vis)) },
  'POST /spaces/{slug}/events/new': { form: {}, status: spaceRule({ allowed: (a) => STEWARD.includes(a), ok: 400 }) },
  'GET /events/{id}/edit': {
    params: (w) => ({ id: w.event }),
    status: (a, vis) => (a === 'anon' ? 303 : spaceRule({ allowed: (b) => STEWARD.includes(b), ok: 200 })(a, vis)),
  },
  'POST /events/{id}/edit': { params: (w) => ({ id: w.event }), form: {}, status: spaceRule({ allowed: (a) => STEWARD.includes(a), ok: 303 }) },
  'POST /events/{id}/rsvp': { params: (w) => ({ id: w.event }), form: {}, status: spaceRule({ allowed: (a) => POSTERS.includes(a), ok: 400 }) },
  'POST /events/{id}/checkin': { params: (w) => ({ id: w.event }), form: {}, status: spaceRule({ allowed: (a) => POSTERS.includes(a), ok: 400 }) },
  'POST /events/{id}/attendance': { params: (w) => ({ id: w.event }), form: {}, status: spaceRule({ allowed: (a) => STEWARD.includes(a), ok: 400 }) },
  'POST /events/{id}/exceptions': { params: (w) => ({ id: w.event }), form: {}, status: spaceRule({ allowed: (a) => STEWARD.includes(a), ok: 400 }) },
  // Feeds take no session: a private space's is never at the plain address; made-up tokens open nothing.
  // Follow-ups: the event is still to come, so its hosts (stewards here) hear 400 for the occurrence.
  'POST /api/v1/events/{id}/followup': { params: (w) => ({ id: w.event }), body: { summary: 'x' }, status: spaceRule({ allowed: (a) => STEWARD.includes(a), ok: 400 }) },
  'GET /api/v1/events/{id}/followups': { params: (w) => ({ id: w.event }), status: spaceRule({ auth: false, allowed: () => true, ok: 200, anon: 200 }) },
  'GET /events/{id}/followup': {
    params: (w) => ({ id: w.event }),
    status: (a, vis) => (a === 'anon' ? 303 : spaceRule({ allowed: (x) => STEWARD.includes(x), ok: 200 })(a, vis)),
  },
  'POST /events/{id}/followup': { params: (w) => ({ id: w.event }), form: { summary: 'x' }, status: spaceRule({ allowed: (a) => STEWARD.includes(a), ok: 400 }) },
  // A space's rhythm: its readers see it; those who host events there set its ceiling.
  'GET /api/v1/spaces/{slug}/rhythm': { status: spaceRule({ auth: false, allowed: () => true, ok: 200, anon: 200 }) },
  'PATCH /api/v1/spaces/{slug}/rhythm': { body: {}, status: spaceRule({ allowed: (a) => STEWARD.includes(a), ok: 400 }) },
  'GET /spaces/{slug}/rhythm': { status: spaceRule({ auth: false, allowed: () => true, ok: 200, anon: 200 }) },
  'POST /spaces/{slug}/rhythm': { form: { ceiling: 0 }, status: spaceRule({ allowed: (a) => STEWARD.includes(a), ok: 400 }) },
  'GET /spaces/{slug}/events.ics': { status: (a, vis) => (vis === 'public' ? 200 : 404) },
  'GET /calendar/{file}': { params: { file: '1-00000000000000000000000000000000.ics' }, status: () => 404 },
  'GET /calendar/{token}/spaces/{file}': { params: (w) => ({ token: '1-00000000000000000000000000000000', file: `${w.slug}.ics` }), status: () => 404 },
  // Chat: the world has the space's general channel (w.channel) and a message in it by the member (w.message).
  'GET /api/v1/spaces/{slug}/channels': { status: spaceRule({ auth: false, allowed: () => true, ok: 200, anon: 200 }) },
  'POST /api/v1/spaces/{slug}/channels': { body: { name: 'matrix channel' }, status: spaceRule({ allowed: (a) => POSTERS.includes(a), ok: 201 }) },
  'GET /api/v1/channels/{id}': { params: (w) => ({ id: w.channel }), status: spaceRule({ auth: false, allowed: () => true, ok: 200, anon: 200 }) },
  'PATCH /api/v1/channels/{id}': { params: (w) => ({ id: w.channel }), body: { read_only: true }, status: spaceRule({ allowed: (a) => STEWARD.includes(a), ok: 200 }) },
  'GET /api/v1/channels/{id}/messages': { params: (w) => ({ id: w.channel }), status: spaceRule({ auth: false, allowed: () => true, ok: 200, anon: 200 }) },
  'POST /api/v1/channels/{id}/messages': { params: (w) => ({ id: w.channel }), body: { body: 'matrix' }, status: spaceRule({ allowed: (a) => POSTERS.includes(a), ok: 201 }) },
  'POST /api/v1/channels/{id}/read': { params: (w) => ({ id: w.channel }), body: {}, status: spaceRule({ allowed: () => true, ok: 200 }) },
  // The general channel is open to the whole space: no one is added to it (400).
  'POST /api/v1/channels/{id}/members': { params: (w) => ({ id: w.channel }), body: (w) => ({ handles: [w.handles.outsider] }), status: spaceRule({ allowed: () => true, ok: 400 }) },
  'PATCH /api/v1/messages/{id}': { params: (w) => ({ id: w.message }), body: { body: 'edited' }, status: spaceRule({ allowed: (a) => a === 'member', ok: 200 }) },
  'DELETE /api/v1/messages/{id}': { params: (w) => ({ id: w.message }), status: spaceRule({ allowed: (a) => a === 'member' || STEWARD.includes(a), ok: 200 }) },
  'POST /api/v1/messages/{id}/topic': { params: (w) => ({ id: w.message }), body: { title: 'Matrix topic' }, status: spaceRule({ allowed: (a) => POSTERS.includes(a), ok: 201 }) },
  'GET /api/v1/dm': { status: (a) => (a === 'anon' ? 401 : 200) },
  'POST /api/v1/dm': { body: { handles: [] }, status: (a) => (a === 'anon' ? 401 : 400) },
  'GET /spaces/{slug}/chat': { status: spaceRule({ auth: false, allowed: () => true, ok: 200, anon: 200 }) },
  'POST /spaces/{slug}/chat': { form: {}, status: spaceRule({ allowed: (a) => POSTERS.includes(a), ok: 400 }) },
  'GET /channels/{id}': { params: (w) => ({ id: w.channel }), status: spaceRule({ auth: false, allowed: () => true, ok: 200, anon: 200 }) },
  'POST /channels/{id}/messages': { params: (w) => ({ id: w.channel }), form: {}, status: spaceRule({ allowed: (a) => POSTERS.includes(a), ok: 400 }) },
  'POST /channels/{id}/members': { params: (w) => ({ id: w.channel }), form: {}, status: spaceRule({ allowed: () => true, ok: 400 }) },
  'POST /channels/{id}/settings': { params: (w) => ({ id: w.channel }), form: { read_only: 'true' }, status: spaceRule({ allowed: (a) => STEWARD.includes(a), ok: 303 }) },
  'GET /messages': { status: (a) => (a === 'anon' ? 303 : 200) },
  'POST /messages': { form: {}, status: (a) => (a === 'anon' ? 401 : 400) },
  'GET /messages/{id}/edit': { params: (w) => ({ id: w.message }), status: (a, vis) => (a === 'anon' ? 303 : spaceRule({ allowed: (b) => b === 'member', ok: 200 })(a, vis)) },
  'POST /messages/{id}/edit': { params: (w) => ({ id: w.message }), form: {}, status: spaceRule({ allowed: (a) => a === 'member', ok: 400 }) },
  'POST /messages/{id}/delete': { params: (w) => ({ id: w.message }), form: {}, status: spaceRule({ allowed: (a) => a === 'member' || STEWARD.includes(a), ok: 303 }) },
  'GET /messages/{id}/topic': { params: (w) => ({ id: w.message }), status: (a, vis) => (a === 'anon' ? 303 : spaceRule({ allowed: (b) => POSTERS.includes(b), ok: 200 })(a, vis)) },
  'POST /messages/{id}/topic': { params: (w) => ({ id: w.message }), form: {}, status: spaceRule({ allowed: (a) => POSTERS.includes(a), ok: 400 }) },
  'GET /invites/{token}': { params: { token: 'no-such-invite' }, status: () => 404 },
  'POST /invites/{token}': { params: { token: 'no-such-invite' }, form: {}, status: (a) => (a === 'anon' ? 401 : 404) },
};

const json = (auth, body, method = 'POST') => ({
  method,
  headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
  body: JSON.stringify(body),
});

describe(`the policy matrix on ${BACKEND}`, () => {
  let s, people, routes, n = 0;

  before(async () => {
    s = await startServer();
    people = {};
    for (const a of ACTORS.slice(1)) people[a] = await signup(s);
    const r = await run(['admin', 'add', people.admin.user.handle, '--db', s.db]);
    assert.equal(r.code, 0, r.stderr);
    routes = (await (await s.fetch('/api/v1/_test/routes')).json()).routes;
  });
  after(async () => {
    if (!s.exited) await s.stop();
  });

  // Fresh tokens for everyone (logout revokes one) and a space of each kind with
  // an owner, a facilitator, a member, a guest and a pending request.
  async function world(vis) {
    const w = { slug: `m${++n}-${vis}`, auth: {}, handles: {} };
    for (const a of ACTORS.slice(1)) {
      const res = await s.fetch('/api/v1/login', json(null, { login: people[a].user.handle, password: people[a].password }));
      w.auth[a] = `Bearer ${(await res.json()).token}`;
      w.handles[a] = people[a].user.handle;
    }
    const call = async (a, path, body, method) => {
      const res = await s.fetch(path, json(w.auth[a], body, method));
      if (res.status >= 300) throw new Error(`${method || 'POST'} ${path}: ${res.status} ${await res.text()}`);
      return res.status === 204 ? null : res.json();
    };
    const base = `/api/v1/spaces/${w.slug}`;
    await call('owner', '/api/v1/spaces', { slug: w.slug, name: w.slug, purpose: 'matrix', visibility: 'public', join: 'request' });
    await call('pending', `${base}/join`);
    for (const [a, role] of [['member', 'member'], ['facilitator', 'member'], ['guest', 'guest']]) {
      const inv = await call('owner', `${base}/invites`, { role });
      await call(a, `/api/v1/invites/${inv.token}/accept`);
    }
    await call('owner', `${base}/members/${w.handles.facilitator}`, { role: 'facilitator' }, 'PATCH');
    if (vis === 'private') await call('owner', base, { visibility: 'private' }, 'PATCH');
    const q = await call('member', `${base}/topics`, { title: 'Matrix question', body: 'Who sees this?', kind: 'question' });
    w.topic = String(q.topic.id);
    w.post = String(q.post.id);
    const start = new Date(Math.floor(Date.now() / 3600000) * 3600000 + 3 * 86400000).toISOString().slice(0, 16);
    const end = new Date(Date.parse(`${start}Z`) + 3600000).toISOString().slice(0, 16);
    const ev = await call('facilitator', `${base}/events`, {
      title: 'Matrix call', starts_at: start, ends_at: end, tz: 'UTC', mode: 'hybrid', location: 'Room 1',
      join_url: 'https://meet.example.org/matrix', rrule: 'FREQ=WEEKLY;COUNT=4',
    });
    w.event = String(ev.event.id);
    w.occ = ev.event.next.occurrence;
    const chat = await (await s.fetch(`${base}/channels`, { headers: { authorization: w.auth.member } })).json();
    w.channel = String(chat.channels[0].id);
    w.message = String((await call('member', `/api/v1/channels/${w.channel}/messages`, { body: 'Matrix message' })).message.id);
    return w;
  }

  test('every route has an expectation', () => {
    const missing = routes.map((r) => `${r.method} ${r.pattern}`).filter((k) => !EXPECT[k]);
    assert.deepEqual(missing, [], 'add these routes to EXPECT in tests/http/policy.test.mjs');
  });

  for (const vis of ['public', 'private']) {
    test(`every route × every actor, ${vis} space`, async () => {
      const failures = [];
      for (const r of routes) {
        const key = `${r.method} ${r.pattern}`;
        const e = EXPECT[key];
        if (!e) continue;
        const w = await world(vis);
        for (const a of ACTORS) {
          const params = typeof e.params === 'function' ? e.params(w) : e.params || {};
          const query = e.query ? `?${new URLSearchParams(e.query(w))}` : '';
          const path = r.pattern.replace(/\{(\w+)\}/g, (_, name) => (name === 'slug' ? w.slug : encodeURIComponent(params[name]))) + query;
          const headers = a === 'anon' ? {} : { authorization: w.auth[a] };
          let body;
          if (e.form) {
            headers['content-type'] = 'application/x-www-form-urlencoded';
            body = new URLSearchParams(e.form).toString();
          } else if (e.body) {
            headers['content-type'] = 'application/json';
            body = JSON.stringify(typeof e.body === 'function' ? e.body(w) : e.body);
          }
          const res = await s.fetch(path, { method: r.method, headers, body });
          const want = e.status(a, vis);
          // A call that may have changed something leaves a fresh world for the next actor.
          if (res.status !== want) failures.push(`${key} as ${a}: got ${res.status}, want ${want}`);
          if (r.method !== 'GET' && r.method !== 'HEAD' && res.status < 400) {
            Object.assign(w, await world(vis));
          }
        }
      }
      assert.deepEqual(failures, []);
    });
  }

  test('stops cleanly', async () => {
    assert.deepEqual(await s.stop(), { code: 0, signal: null });
  });
});

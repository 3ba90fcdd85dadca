// The meeting loop in a real browser: Kwame, who runs a community, creates a
// weekly hybrid call on its calendar; Mei, a member, in a second browser,
// says she is going and checks in with the code Kwame reads out; Kwame
// publishes the follow-up from the prompt on the event's page; Mei sees the
// summary there. axe-core checks the pages on the way; screenshots go to
// /tmp/praxis-screenshots (PRAXIS_SHOTS).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '../http/harness.mjs';
import { checkA11y } from './axe.mjs';
import { SHOTS, launch, newPage, signUp as signUpAs, fitsWidth } from './kit.mjs';

// "2026-12-10T18:00" for a datetime-local input, in UTC (the zone the event is given).
const localUtc = (ms) => new Date(ms).toISOString().slice(0, 16);

describe('the meeting loop in Chromium', () => {
  let s, browser, kwame, mei;
  const problems = [];

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    s = await startServer({ args: ['--name', 'Practice Commons'] });
    browser = await launch();
    kwame = await newPage(browser, problems, { width: 1200, height: 900 });
    mei = await newPage(browser, problems, { width: 390, height: 844 });
  });
  after(async () => {
    await browser?.close();
    await s?.stop();
  });

  const signUp = (page, handle, name) => signUpAs(s, page, handle, name);

  test('a weekly hybrid call: created, answered, checked in, followed up, the summary seen', async () => {
    // Kwame: a community, then its calendar.
    await signUp(kwame, 'kwame', 'Kwame Mensah');
    await kwame.goto(s.url + '/spaces/new');
    await kwame.getByLabel('Name').fill('Maths Teachers of the North');
    await kwame.getByLabel('Address').fill('maths-north');
    await kwame.getByLabel('Purpose').fill('Teaching maths well, together, from Leeds to Newcastle.');
    await kwame.getByRole('radio', { name: 'Public' }).check();
    await kwame.getByRole('radio', { name: 'Anyone can join' }).check();
    await kwame.getByRole('button', { name: 'Create the community' }).click();
    await kwame.waitForURL(/\/spaces\/maths-north/);

    // Mei joins.
    await signUp(mei, 'mei', 'Tan Mei Lin');
    await mei.goto(s.url + '/spaces/maths-north');
    await mei.getByRole('button', { name: 'Join' }).click();
    await mei.waitForURL(s.url + '/spaces/maths-north?notice=joined');

    // Kwame creates the weekly call; this week's began ten minutes ago.
    await kwame.getByRole('navigation', { name: 'Sections of this space' }).getByRole('link', { name: 'Calendar' }).click();
    await kwame.waitForURL(/\/spaces\/maths-north\/calendar/);
    await kwame.getByRole('link', { name: 'New event' }).click();
    await kwame.waitForURL(/\/spaces\/maths-north\/events\/new/);
    await checkA11y(kwame, 'new event form');
    const start = Math.floor(Date.now() / 60000) * 60000 - 10 * 60000;
    await kwame.getByLabel('Title').fill('Weekly maths chat');
    await kwame.getByLabel('Starts').fill(localUtc(start));
    await kwame.getByLabel('Ends').fill(localUtc(start + 60 * 60000));
    await kwame.getByLabel('Time zone').fill('UTC');
    await kwame.getByLabel(/^Repeats/).fill('FREQ=WEEKLY');
    await kwame.getByRole('radio', { name: 'Both: in person and online' }).check();
    await kwame.getByLabel(/^Place \(in person/).fill('Leeds Central Library, Room 3');
    await kwame.getByLabel(/^Link to join/).fill('https://meet.example.org/maths-chat');
    await kwame.getByRole('button', { name: /Create the event|Save|Create/ }).click();
    await kwame.waitForURL(/\/events\/\d+(\?|$)/);
    const eventUrl = kwame.url().replace(/\?.*$/, '');
    assert.equal(await kwame.getByRole('heading', { level: 1 }).innerText(), 'Weekly maths chat');
    const code = (await kwame.locator('.event-code').innerText()).trim();
    assert.match(code, /^[A-Z0-9]{4,8}$/);
    await checkA11y(kwame, 'event page, a host');

    // Mei: going every week; then she checks in with the code Kwame reads out.
    await mei.goto(eventUrl);
    await mei.locator('form.rsvp-series').getByRole('button', { name: 'Going', exact: true }).click();
    await mei.waitForURL(/notice=answered/);
    assert.equal(await mei.locator('form.rsvp-series').getByRole('button', { name: 'Going', exact: true }).getAttribute('aria-pressed'), 'true');
    await mei.getByLabel('Check-in code').fill(code.toLowerCase());
    await mei.getByRole('radio', { name: 'Online' }).check();
    await mei.getByRole('button', { name: 'Check in' }).click();
    await mei.waitForURL(new RegExp(`${eventUrl.replace(/[/.]/g, '\\$&')}`));
    assert.match(await mei.locator('main').innerText(), /checked in/i);
    await checkA11y(mei, 'event page, a member checked in');
    await fitsWidth(mei, 'event page at 390 px');

    // Kwame: Mei is among those who came; he writes the follow-up from the prompt.
    await kwame.goto(eventUrl);
    assert.match(await kwame.locator('.event-host').innerText(), /Who came[\s\S]*Tan Mei Lin/);
    await kwame.getByRole('link', { name: 'Write the follow-up' }).click();
    await kwame.waitForURL(/\/events\/\d+\/followup\?occurrence=\d+/);
    await checkA11y(kwame, 'follow-up form');
    // Blank (the browser lets spaces through): the server says what is missing, and keeps the rest.
    await kwame.getByLabel(/^Next steps/).fill('Try one of the tasks before next week.');
    await kwame.getByLabel('Summary').fill('   ');
    await kwame.getByRole('button', { name: 'Publish the follow-up' }).click();
    assert.match(await kwame.locator('#summary-error').innerText(), /^Summary: (is required|write what was discussed)\.$/);
    assert.equal(await kwame.getByLabel(/^Next steps/).inputValue(), 'Try one of the tasks before next week.');
    await checkA11y(kwame, 'follow-up form, with an error');
    await kwame.getByLabel('Summary').fill('We shared **one task each** that got the whole class talking.');
    await kwame.getByLabel(/^Resources/).fill('https://example.org/rich-tasks');
    await kwame.getByRole('button', { name: 'Publish the follow-up' }).click();
    await kwame.waitForURL(/\/events\/\d+\?notice=followup/);
    await kwame.screenshot({ path: join(SHOTS, 'event-host-1200.png'), fullPage: true });

    // Mei sees the summary on the event's page, and the topic it was posted as.
    await mei.goto(eventUrl);
    const section = mei.locator('.event-followups');
    assert.match(await section.innerText(), /Follow-up[\s\S]*one task each[\s\S]*rich-tasks[\s\S]*Try one of the tasks/);
    assert.equal(await section.locator('strong').first().innerText(), 'one task each');
    await checkA11y(mei, 'event page with its follow-up');
    await fitsWidth(mei, 'event page with its follow-up at 390 px');
    await mei.screenshot({ path: join(SHOTS, 'event-followup-390.png'), fullPage: true });
    await section.getByRole('link', { name: 'Discuss it in the summary topic' }).click();
    await mei.waitForURL(/\/topics\/\d+/);
    assert.equal(await mei.getByRole('heading', { level: 1 }).innerText(), 'Summary: Weekly maths chat');
    assert.match(await mei.locator('#post-1').innerText(), /Follow-up of Weekly maths chat/);

    // The space's rhythm shows the call as a ritual.
    await kwame.goto(s.url + '/spaces/maths-north/rhythm');
    assert.match(await kwame.locator('.rhythm-rituals').innerText(), /Weekly maths chat: held 1 of 1 so far/);
    await checkA11y(kwame, 'rhythm page');
    await kwame.screenshot({ path: join(SHOTS, 'rhythm-1200.png'), fullPage: true });
    assert.deepEqual(problems, []);
  });
});

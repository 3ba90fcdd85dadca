// Live in a real browser, two contexts side by side: Kwame and Mei in a
// community's general chat channel. Mei's page shows Kwame as here when he
// opens it; Kwame types a message and Mei sees it appear without her page
// reloading; her header's unread count rises when he mentions her in a
// discussion, also without a reload; the community's page shows him online.
// axe-core checks the page; screenshots
// go to /tmp/praxis-screenshots (PRAXIS_SHOTS).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '../http/harness.mjs';
import { checkA11y } from './axe.mjs';
import { SHOTS, launch, newPage, signUp as signUpAs, fitsWidth } from './kit.mjs';

describe('live pages in Chromium', () => {
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

  test('a message typed by one appears for the other, who sees them here', async () => {
    await signUp(kwame, 'kwame', 'Kwame Mensah');
    await kwame.goto(s.url + '/spaces/new');
    await kwame.getByLabel('Name').fill('Maths Teachers of the North');
    await kwame.getByLabel('Address').fill('maths-north');
    await kwame.getByLabel('Purpose').fill('Teaching maths well, together, from Leeds to Newcastle.');
    await kwame.getByRole('radio', { name: 'Public' }).check();
    await kwame.getByRole('radio', { name: 'Anyone can join' }).check();
    await kwame.getByRole('button', { name: 'Create the community' }).click();
    await kwame.waitForURL(/\/spaces\/maths-north/);

    await signUp(mei, 'mei', 'Tan Mei Lin');
    await mei.goto(s.url + '/spaces/maths-north');
    await mei.getByRole('button', { name: 'Join' }).click();
    await mei.waitForURL(s.url + '/spaces/maths-north?notice=joined');

    // Mei opens the chat first; her page is live once its stream is open.
    await mei.getByRole('navigation', { name: 'Sections of this space' }).getByRole('link', { name: 'Chat' }).click();
    await mei.waitForURL(/\/spaces\/maths-north\/chat/);
    await mei.waitForSelector('body[data-live-ready="true"]');
    await mei.evaluate(() => { window.__stillTheSamePage = true; });
    const here = mei.locator('.here-now');
    assert.equal(await here.isHidden(), true, 'nobody else is here yet');

    // Kwame comes to the same channel: Mei sees him here.
    await kwame.goto(s.url + '/spaces/maths-north/chat');
    await kwame.waitForSelector('body[data-live-ready="true"]');
    await here.getByRole('link', { name: 'Kwame Mensah' }).waitFor({ timeout: 8000 });

    // Kwame types; Mei sees the message arrive, her page never reloaded.
    await kwame.getByLabel('Your message').fill('Good evening! Has anyone tried **hinge questions** with Year 8?');
    await kwame.getByRole('button', { name: 'Send', exact: true }).click();
    await kwame.waitForLoadState('load');
    const arrived = mei.locator('#messages .chat-message', { hasText: 'Has anyone tried hinge questions with Year 8?' });
    await arrived.waitFor({ timeout: 8000 });
    assert.equal(await arrived.locator('strong').textContent(), 'hinge questions');
    assert.equal(await arrived.locator('.chat-author').textContent(), 'Kwame Mensah');
    assert.equal(await mei.evaluate(() => window.__stillTheSamePage), true, 'no reload');
    // Kwame is still here after his page came back from sending.
    assert.equal(await here.getByRole('link', { name: 'Kwame Mensah' }).count(), 1);
    await checkA11y(mei, 'chat with live updates');
    await fitsWidth(mei, 'chat at 390 px');
    await mei.screenshot({ path: join(SHOTS, 'live-chat-mei.png'), fullPage: true });
    await kwame.screenshot({ path: join(SHOTS, 'live-chat-kwame.png'), fullPage: true });

    // Kwame mentions Mei in a discussion: her header's count rises while she stays on the chat.
    const count = mei.locator('.site-nav .notices .count');
    assert.equal(await count.isHidden(), true, 'no unread notifications yet');
    await kwame.goto(s.url + '/spaces/maths-north/topics/new');
    await kwame.getByLabel('Title').fill('Hinge questions: what worked');
    await kwame.getByLabel('Your post').fill('@mei you asked about this last week. Here is what worked for us.');
    await kwame.getByRole('button', { name: /Start the (topic|discussion)/ }).click();
    await kwame.waitForURL(/\/topics\/\d+/);
    await count.waitFor({ state: 'visible', timeout: 8000 });
    assert.equal(await count.getAttribute('data-unread'), '1');
    assert.equal(await mei.evaluate(() => window.__stillTheSamePage), true, 'still no reload');

    // On the community's own page, Mei sees who is online in it.
    await mei.goto(s.url + '/spaces/maths-north');
    const onlineNow = mei.locator('.space-people .here-now');
    await onlineNow.getByRole('link', { name: 'Kwame Mensah' }).waitFor({ timeout: 8000 });
    await checkA11y(mei, 'space page with who is online');
    assert.deepEqual(problems, []);
  });
});

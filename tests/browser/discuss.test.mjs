// Discussions in a real browser, the path a question walks: Ana asks in her
// community (the new-topic form, kind question); Ben, in a second browser,
// answers it; Ana accepts his answer; the topic page shows it accepted,
// under the question and on the post, and the count of unread
// notifications in Ben's header goes up. axe-core checks the topic list,
// the topic page and the notifications page; screenshots of the topic and
// notifications pages go to /tmp/praxis-screenshots (PRAXIS_SHOTS).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '../http/harness.mjs';
import { checkA11y } from './axe.mjs';
import { SHOTS, launch, newPage, signUp as signUpAs, fitsWidth } from './kit.mjs';

// The unread count in the header; 0 when it is not shown.
async function unread(page) {
  const badge = page.locator('.site-nav .notices .count');
  if (!(await badge.count())) return 0;
  return Number(await badge.getAttribute('data-unread'));
}

describe('discussions in Chromium', () => {
  let s, browser, ana, ben;
  const problems = [];

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    s = await startServer({ args: ['--name', 'Practice Commons'] });
    browser = await launch();
    ana = await newPage(browser, problems, { width: 1200, height: 900 });
    ben = await newPage(browser, problems, { width: 390, height: 844 });
  });
  after(async () => {
    await browser?.close();
    await s?.stop();
  });

  const signUp = (page, handle, name) => signUpAs(s, page, handle, name);

  test('Ana asks, Ben answers, Ana accepts: the answer shows accepted and Ben hears of it', async () => {
    // Ana: a community, then its discussions.
    await signUp(ana, 'ana', 'Ana Lima');
    await ana.goto(s.url + '/spaces/new');
    await ana.getByLabel('Name').fill('Maths Teachers of the North');
    await ana.getByLabel('Address').fill('maths-north');
    await ana.getByLabel('Purpose').fill('Teaching maths well, together, from Leeds to Newcastle.');
    await ana.getByRole('radio', { name: 'Public' }).check();
    await ana.getByRole('radio', { name: 'Anyone can join' }).check();
    await ana.getByRole('button', { name: 'Create the community' }).click();
    await ana.waitForURL(/\/spaces\/maths-north/);
    await ana.getByRole('navigation', { name: 'Sections of this space' }).getByRole('link', { name: 'Discussions' }).click();
    await ana.waitForURL(s.url + '/spaces/maths-north/topics');
    assert.match(await ana.locator('main').innerText(), /No topics yet/);
    await checkA11y(ana, 'topic list, empty');

    // Ben joins the community.
    await signUp(ben, 'ben', 'Ben Okafor');
    await ben.goto(s.url + '/spaces/maths-north');
    await ben.getByRole('button', { name: 'Join' }).click();
    await ben.waitForURL(s.url + '/spaces/maths-north?notice=joined');

    // Ana asks a question; an empty title first, then the real one.
    await ana.getByRole('link', { name: 'New topic' }).click();
    await ana.waitForURL(s.url + '/spaces/maths-north/topics/new');
    await checkA11y(ana, 'new topic form');
    await ana.getByLabel('Your post').fill('My year 8s freeze when they see a fraction. **What works** for you?');
    await ana.getByRole('radio', { name: 'Question' }).check();
    await ana.getByRole('button', { name: 'Start the topic' }).click();
    assert.match(await ana.locator('#title-error').innerText(), /Title is required/);
    assert.equal(await ana.getByLabel('Your post').inputValue(),
      'My year 8s freeze when they see a fraction. **What works** for you?', 'what was typed stays');
    assert.ok(await ana.getByRole('radio', { name: 'Question' }).isChecked(), 'the kind stays');
    await checkA11y(ana, 'new topic form, with an error');
    await ana.getByLabel('Title').fill('How do you make fractions less scary?');
    await ana.getByLabel(/^Tags/).fill('fractions, year 8');
    await ana.getByRole('button', { name: 'Start the topic' }).click();
    await ana.waitForURL(/\/topics\/\d+$/);
    const topicUrl = ana.url();
    assert.equal(await ana.getByRole('heading', { level: 1 }).innerText(), 'How do you make fractions less scary?');
    assert.match(await ana.locator('.topic-head').innerText(), /Question[\s\S]*Unanswered[\s\S]*fractions[\s\S]*year-8/);

    // Ben: the topic is new to him; he answers it.
    await ben.goto(s.url + '/spaces/maths-north/topics');
    const item = ben.locator('.topic-item', { hasText: 'How do you make fractions less scary?' });
    assert.match(await item.locator('.unread-badge').innerText(), /New/);
    await checkA11y(ben, 'topic list, a member');
    await fitsWidth(ben, 'topic list at 390 px');
    await item.getByRole('link', { name: 'How do you make fractions less scary?' }).click();
    await ben.waitForURL(topicUrl);
    await ben.getByLabel('Your reply').fill('Start with pizza, then fold paper strips: halves, quarters, eighths. ' +
      'Only after that, the notation.');
    await ben.getByRole('button', { name: 'Post your reply' }).click();
    await ben.waitForURL(/#post-2$/);
    assert.match(await ben.locator('#post-2').innerText(), /fold paper strips/);
    await fitsWidth(ben, 'topic page at 390 px');
    await ben.screenshot({ path: join(SHOTS, 'discuss-topic-390.png'), fullPage: true });
    const before = await unread(ben);

    // Ana: opening the topic again goes to the answer, the first post she has not read.
    await ana.goto(topicUrl);
    await ana.waitForURL(/cursor=0\.0#post-2$/);
    assert.match(await ana.locator('#post-2 .new-divider').innerText(), /new since your last visit/i);
    await ana.locator('#post-2').getByRole('button', { name: /Accept this answer/ }).click();
    await ana.waitForURL(/#post-2$/);
    assert.match(await ana.locator('#post-2 .accepted-mark').innerText(), /Accepted answer/);
    assert.match(await ana.locator('#post-1 .accepted-summary').innerText(), /Accepted answer[\s\S]*Ben Okafor[\s\S]*fold paper strips/);
    assert.match(await ana.locator('.topic-head').innerText(), /Answered/);
    // A thank-you reaction, as the asker would.
    await ana.locator('#post-2').getByRole('button', { name: /^Thanks/ }).click();
    await ana.waitForURL(/#post-2$/);
    assert.equal(await ana.locator('#post-2').getByRole('button', { name: /^Thanks/ }).getAttribute('aria-pressed'), 'true');
    await checkA11y(ana, 'topic page, answered');
    await ana.screenshot({ path: join(SHOTS, 'discuss-topic-1200.png'), fullPage: true });

    // Ben: the count in his header rose; the notifications say why.
    await ben.reload();
    const after = await unread(ben);
    assert.ok(after > before, `unread count rose: ${before} → ${after}`);
    await ben.locator('.site-nav').getByRole('link', { name: /Notifications/ }).click();
    await ben.waitForURL(s.url + '/notifications');
    const text = await ben.locator('main').innerText();
    assert.match(text, /Your answer was accepted in How do you make fractions less scary\? by Ana Lima/);
    assert.match(text, /Ana Lima reacted to your post in How do you make fractions less scary\?/);
    await checkA11y(ben, 'notifications');
    await fitsWidth(ben, 'notifications at 390 px');
    await ben.screenshot({ path: join(SHOTS, 'discuss-notifications-390.png'), fullPage: true });
    await ben.setViewportSize({ width: 1200, height: 900 });
    await ben.screenshot({ path: join(SHOTS, 'discuss-notifications-1200.png'), fullPage: true });

    // Following one goes to the post; "Mark all read" empties the count.
    await ben.getByRole('link', { name: 'How do you make fractions less scary?' }).first().click();
    await ben.waitForURL(/#post-2$/);
    assert.match(await ben.locator('#post-2 .accepted-mark').innerText(), /Accepted answer/);
    await ben.screenshot({ path: join(SHOTS, 'discuss-topic-answerer-1200.png'), fullPage: true });
    await ben.goto(s.url + '/notifications');
    await ben.getByRole('button', { name: 'Mark all read' }).click();
    await ben.waitForURL(s.url + '/notifications?notice=all-read');
    assert.equal(await unread(ben), 0);
    await checkA11y(ben, 'notifications, all read');

    // The topic list, now with an answered question, and the space's page.
    await ana.goto(s.url + '/spaces/maths-north/topics');
    assert.match(await ana.locator('.topic-item').first().innerText(), /Answered[\s\S]*1 reply/);
    await checkA11y(ana, 'topic list, answered');
    await ana.screenshot({ path: join(SHOTS, 'discuss-topics-1200.png'), fullPage: true });
    await ana.goto(s.url + '/spaces/maths-north');
    assert.match(await ana.locator('.space-topics').innerText(), /How do you make fractions less scary\?/);
    await checkA11y(ana, 'space page with its discussions');
    await ana.screenshot({ path: join(SHOTS, 'discuss-space-1200.png'), fullPage: true });
    assert.deepEqual(problems, []);
  });
});

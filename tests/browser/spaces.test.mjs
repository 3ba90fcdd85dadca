// Communities and groups in a real browser, the path the issue names: Ana
// signs up, creates a community and a private group in it; Ben signs up in
// a second browser, sees the community but not the group; Ana makes an
// invite link for the group, Ben opens it and accepts, and now sees the
// group. axe-core checks every page on the way; screenshots at 1200 and
// 390 px wide go to build/screenshots/.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, ROOT } from '../http/harness.mjs';
import { checkA11y } from './axe.mjs';

const SHOTS = join(ROOT, 'build', 'screenshots');

// Nothing may spill sideways: the page is no wider than the screen.
async function fitsWidth(page, label) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${label}: ${overflow}px wider than the screen`);
}

describe('spaces in Chromium', () => {
  let s, browser, ana, ben;
  const problems = [];

  const watch = (page) => {
    page.on('console', (m) => {
      // A 403, 404 or a form sent back with its errors is a 4xx page on purpose; Chromium logs that.
      if (m.type() === 'error' && !/responded with a status of 4\d\d/.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(String(e)));
    return page;
  };

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    s = await startServer({ args: ['--name', 'Practice Commons'] });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    ana = watch(await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage());
    ben = watch(await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage());
  });
  after(async () => {
    await browser?.close();
    await s?.stop();
  });

  async function signUp(page, handle, name) {
    await page.goto(s.url + '/');
    await checkA11y(page, 'home, signed out');
    await page.getByRole('link', { name: 'Sign up' }).first().click();
    await checkA11y(page, 'sign-up');
    await page.getByLabel('Handle').fill(handle);
    await page.getByLabel('Name').fill(name);
    await page.getByLabel('Email').fill(`${handle}@example.org`);
    await page.getByLabel('Password').fill('practice makes a practitioner');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(s.url + '/');
  }

  test('Ana creates a community and a private group; Ben sees the one, not the other, until invited', async () => {
    // Ana: an empty instance welcomes her and offers to start the first community.
    await signUp(ana, 'ana', 'Ana Lima');
    assert.match(await ana.locator('main').innerText(), /No communities yet/);
    await checkA11y(ana, 'home, signed in, empty');
    await ana.getByRole('link', { name: 'Start the first community' }).click();
    await ana.waitForURL(s.url + '/spaces/new');
    await checkA11y(ana, 'create a community');

    // A mistake first: the address has capitals and spaces.
    await ana.getByLabel('Name').fill('Maths Teachers of the North');
    await ana.getByLabel('Address').fill('Maths North');
    await ana.getByLabel('Purpose').fill('Teaching maths well, together, from Leeds to Newcastle.');
    await ana.getByRole('button', { name: 'Create the community' }).click();
    assert.match(await ana.locator('#slug-error').innerText(), /may hold only lower-case letters/);
    assert.equal(await ana.getByLabel('Name').inputValue(), 'Maths Teachers of the North', 'what was typed stays');
    await checkA11y(ana, 'create a community, with an error');
    await ana.screenshot({ path: join(SHOTS, 'space-new-error-1200.png'), fullPage: true });
    await ana.getByRole('link', { name: /Address may hold only/ }).click();
    assert.equal(await ana.evaluate(() => location.hash), '#slug');
    await ana.getByLabel('Address').fill('maths-north');
    await ana.getByRole('radio', { name: 'Public' }).check();
    await ana.getByRole('radio', { name: 'Anyone can join' }).check();
    await ana.getByLabel(/^Charter/).fill(
      '## What we are for\n\nWe share what works in our classrooms, and what does not.\n\n' +
      '## How we work\n\n- Ask anything: there are no silly questions.\n- Share lesson plans freely.\n' +
      '- Be kind, and assume good intent.\n');
    await ana.getByRole('button', { name: 'Create the community' }).click();
    await ana.waitForURL(s.url + '/spaces/maths-north?notice=created');
    assert.equal(await ana.getByRole('heading', { level: 1 }).innerText(), 'Maths Teachers of the North');
    assert.match(await ana.locator('.notice').innerText(), /Your space is ready/);
    assert.match(await ana.locator('.membership').innerText(), /owner/i);
    await checkA11y(ana, 'community page, owner');

    // A private group inside it, by invitation only.
    await ana.getByRole('link', { name: 'Create a group' }).click();
    await ana.waitForURL(s.url + '/spaces/new?parent=maths-north');
    await checkA11y(ana, 'create a group');
    await ana.getByLabel('Name').fill('Year 7 Transition');
    await ana.getByLabel('Address').fill('year-7');
    await ana.getByLabel('Purpose').fill('Helping children settle into secondary maths.');
    await ana.getByRole('radio', { name: 'Private' }).check();
    await ana.getByRole('radio', { name: 'By invitation only' }).check();
    await ana.getByRole('button', { name: 'Create the group' }).click();
    await ana.waitForURL(s.url + '/spaces/year-7?notice=created');
    assert.equal(await ana.getByRole('navigation', { name: 'Breadcrumb' }).innerText(), 'Maths Teachers of the North');
    assert.match(await ana.locator('.space-head .eyebrow').textContent(), /Group · Private · By invitation/);
    await checkA11y(ana, 'group page, owner');

    // Ben: signs in another browser and sees the community, not the group.
    await ben.goto(s.url + '/signin');
    await checkA11y(ben, 'sign-in');
    await signUp(ben, 'ben', 'Ben Okafor');
    const discover = ben.getByRole('region', { name: 'Communities to discover' });
    assert.match(await discover.innerText(), /Maths Teachers of the North[\s\S]*1 member/);
    await checkA11y(ben, 'home, signed in, with communities to discover');
    await ben.screenshot({ path: join(SHOTS, 'space-home-discover-390.png'), fullPage: true });
    await discover.getByRole('link', { name: 'Maths Teachers of the North' }).click();
    await ben.waitForURL(s.url + '/spaces/maths-north');
    assert.match(await ben.locator('.space-charter').innerText(), /no silly questions/);
    assert.doesNotMatch(await ben.locator('main').innerText(), /Year 7/);
    await checkA11y(ben, 'community page, a visitor');
    await fitsWidth(ben, 'community page at 390 px');
    // Joining is a button the keyboard reaches and presses.
    await ben.getByRole('button', { name: 'Join' }).focus();
    await ben.keyboard.press('Enter');
    await ben.waitForURL(s.url + '/spaces/maths-north?notice=joined');
    assert.match(await ben.locator('.membership').innerText(), /member/i);
    assert.doesNotMatch(await ben.locator('main').innerText(), /Year 7/, 'a member of the community does not see the private group');
    let res = await ben.goto(s.url + '/spaces/year-7');
    assert.equal(res.status(), 404);
    assert.doesNotMatch(await ben.locator('main').innerText(), /Year 7/);
    await checkA11y(ben, 'a private group: not found');

    // Ana: the members, the requests and the invite pages; an invite link for the group.
    await ana.goto(s.url + '/spaces/maths-north/members');
    assert.match(await ana.locator('.member-list').innerText(), /Ben Okafor/);
    await checkA11y(ana, 'members, as owner');
    await ana.goto(s.url + '/spaces/maths-north/requests');
    assert.match(await ana.locator('main').innerText(), /No one is waiting/);
    await checkA11y(ana, 'requests');
    await ana.goto(s.url + '/spaces/maths-north/edit');
    await checkA11y(ana, 'edit a community');
    await ana.goto(s.url + '/spaces/year-7');
    await ana.getByRole('link', { name: 'Invite' }).click();
    await ana.waitForURL(s.url + '/spaces/year-7/invite');
    await checkA11y(ana, 'invite');
    await ana.getByLabel('Works for how many days').fill('7');
    await ana.getByLabel('How many people may use it').fill('5');
    await ana.getByRole('radio', { name: 'Members' }).check();
    await ana.getByRole('button', { name: 'Create invite link' }).click();
    const link = await ana.getByLabel('Invite address on this site').inputValue();
    assert.match(link, /^\/invites\/[A-Za-z0-9_-]{43}$/);
    await checkA11y(ana, 'invite, made');
    await ana.screenshot({ path: join(SHOTS, 'space-invite-made-1200.png'), fullPage: true });

    // Ben opens it, sees what it is for, accepts, and the group opens to him.
    await ben.goto(s.url + link);
    assert.equal(await ben.getByRole('heading', { level: 1 }).innerText(), 'Year 7 Transition');
    assert.match(await ben.locator('main').innerText(), /A group of Maths Teachers of the North/);
    await checkA11y(ben, 'invite landing');
    await ben.screenshot({ path: join(SHOTS, 'space-invite-landing-390.png'), fullPage: true });
    await ben.getByRole('button', { name: 'Accept and join' }).click();
    await ben.waitForURL(s.url + '/spaces/year-7?notice=welcome');
    assert.match(await ben.locator('.notice').innerText(), /joined through an invite/);
    assert.match(await ben.locator('.membership').innerText(), /member/i);
    await checkA11y(ben, 'group page, new member');
    await ben.screenshot({ path: join(SHOTS, 'space-group-390.png'), fullPage: true });
    await fitsWidth(ben, 'group page at 390 px');
    await ben.goto(s.url + '/spaces/maths-north');
    assert.match(await ben.locator('.space-groups').innerText(), /Year 7 Transition/);
    await ben.goto(s.url + '/spaces/year-7/members');
    await checkA11y(ben, 'members, as member');
    await fitsWidth(ben, 'members at 390 px');

    // Ben's profile lists both spaces to Ana, who may see them; its edit form passes too.
    await ana.goto(s.url + '/people/ben');
    const spaces = ana.getByRole('region', { name: 'Spaces' });
    assert.match(await spaces.innerText(), /Maths Teachers of the North[\s\S]*Year 7 Transition/);
    await checkA11y(ana, 'profile with spaces');
    await ben.goto(s.url + '/settings/profile');
    await checkA11y(ben, 'profile edit');

    // Both homes, signed in: the community and its group with Ben's role.
    await ben.goto(s.url + '/');
    const mine = ben.getByRole('region', { name: 'Your communities' });
    assert.match(await mine.innerText(), /Maths Teachers of the North[\s\S]*Year 7 Transition/);
    await checkA11y(ben, 'home, signed in, a member');
    assert.deepEqual(problems, []);
  });

  test('screenshots: the community page and the home page, wide and on a phone', async () => {
    // Fill the community out a little, as it would be in use.
    await ana.goto(s.url + '/spaces/new?parent=maths-north');
    await ana.getByLabel('Name').fill('GCSE Resit Club');
    await ana.getByLabel('Address').fill('gcse-resits');
    await ana.getByLabel('Purpose').fill('Second chances done well: resources and ideas for resit classes.');
    await ana.getByRole('button', { name: 'Create the group' }).click();
    await ana.waitForURL(/gcse-resits/);
    for (const [w, h] of [[1200, 900], [390, 844]]) {
      await ana.setViewportSize({ width: w, height: h });
      await ana.goto(s.url + '/spaces/maths-north');
      await fitsWidth(ana, `community page at ${w} px`);
      await ana.screenshot({ path: join(SHOTS, `space-community-${w}.png`), fullPage: true });
      await ana.goto(s.url + '/');
      await fitsWidth(ana, `home at ${w} px`);
      await ana.screenshot({ path: join(SHOTS, `space-home-${w}.png`), fullPage: true });
      await ana.goto(s.url + '/spaces/maths-north/members');
      await ana.screenshot({ path: join(SHOTS, `space-members-${w}.png`), fullPage: true });
    }
    // At 360 px, the narrowest phone the issue names.
    await ana.setViewportSize({ width: 360, height: 740 });
    for (const p of ['/', '/spaces/maths-north', '/spaces/maths-north/members', '/spaces/new',
      '/spaces/maths-north/edit', '/spaces/maths-north/invite', '/spaces/maths-north/requests']) {
      await ana.goto(s.url + p);
      await fitsWidth(ana, `${p} at 360 px`);
    }
    await ben.screenshot({ path: join(SHOTS, 'space-home-member-390.png'), fullPage: true });
    assert.deepEqual(problems, []);
  });
});

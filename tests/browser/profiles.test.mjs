// Filling in a profile in a real browser, on a phone-sized screen: the form
// with a mistake and its correction, then the profile page others see.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, ROOT } from '../http/harness.mjs';
import { checkA11y } from './axe.mjs';

const SHOTS = join(ROOT, 'build', 'screenshots');

describe('profiles in Chromium', () => {
  let s, browser, page;
  const problems = [];

  before(async () => {
    s = await startServer({ args: ['--name', 'Ward Nurses Circle'] });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    page.on('console', (m) => {
      // A form sent back with its errors is a 400 page on purpose; Chromium logs that.
      if (m.type() === 'error' && !/responded with a status of 4\d\d/.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(String(e)));
  });
  after(async () => {
    await browser?.close();
    await s?.stop();
  });

  test('sign up, edit the profile through the form, see it on the profile page', async () => {
    mkdirSync(SHOTS, { recursive: true });
    await page.goto(s.url + '/signup');
    await page.getByLabel('Handle').fill('mary_s');
    await page.getByLabel('Name').fill('Mary Seacole');
    await page.getByLabel('Email').fill('mary@example.org');
    await page.getByLabel('Password').fill('kingston and the crimea');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(s.url + '/');

    await page.goto(s.url + '/people/mary_s');
    assert.match(await page.locator('.profile-empty').innerText(), /still empty/);
    await checkA11y(page, 'an empty profile');
    await page.getByRole('link', { name: 'Edit profile' }).click();
    await page.waitForURL(s.url + '/settings/profile');
    await checkA11y(page, 'profile edit');
    await page.screenshot({ path: join(SHOTS, 'profile-edit-phone.png'), fullPage: true });

    // A mistake first: a time zone that does not exist.
    await page.getByLabel('Name').fill('Mary Seacole');
    await page.getByLabel('About you').fill(
      'Nurse and **healer**. I ran the British Hotel near Balaclava.\n\n' +
      'Ask me about:\n\n- herbal remedies\n- field hospitals\n\n<script>alert(1)</script>');
    await page.getByLabel('Time zone').fill('Jamaica/Kingston');
    await page.getByLabel('I can help with').fill('Wound care\nHerbal remedies\nwound care\n\nNight shifts');
    await page.getByLabel('I want to learn').fill('Sign language');
    await page.getByLabel('I’m interested in').fill('History of nursing\nTravel writing');
    await page.getByRole('button', { name: 'Save profile' }).click();
    assert.match(await page.locator('#timezone-error').innerText(), /Time zone is not one we know/);
    assert.equal(await page.getByLabel('Time zone').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByLabel('I can help with').inputValue(),
      'Wound care\nHerbal remedies\nwound care\n\nNight shifts', 'what was typed stays');
    // The summary links to the field.
    await checkA11y(page, 'profile edit with an error');
    await page.getByRole('link', { name: /Time zone is not one we know/ }).click();
    await page.screenshot({ path: join(SHOTS, 'profile-edit-error-phone.png'), fullPage: true });

    await page.getByLabel('Time zone').fill('America/Jamaica');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.waitForURL(s.url + '/people/mary_s');

    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Mary Seacole');
    assert.match(await page.locator('.profile-handle').innerText(), /@mary_s/);
    assert.match(await page.locator('.profile-facts').innerText(), /America\/Jamaica/);
    assert.equal(await page.locator('.profile-bio strong').innerText(), 'healer');
    assert.equal(await page.locator('.profile-bio script').count(), 0);
    const help = page.getByRole('region', { name: 'Can help with' });
    assert.deepEqual(await help.getByRole('listitem').allInnerTexts(), ['Wound care', 'Herbal remedies', 'Night shifts']);
    assert.deepEqual(await page.getByRole('region', { name: 'Wants to learn' }).getByRole('listitem').allInnerTexts(),
      ['Sign language']);
    assert.deepEqual(await page.getByRole('region', { name: 'Interested in' }).getByRole('listitem').allInnerTexts(),
      ['History of nursing', 'Travel writing']);

    // Nothing spills sideways on a phone.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
    await checkA11y(page, 'profile');
    await page.screenshot({ path: join(SHOTS, 'profile-phone.png'), fullPage: true });

    // At 360 px too.
    await page.setViewportSize({ width: 360, height: 740 });
    const narrow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(narrow <= 0, `at 360 px the page is ${narrow}px wider than the screen`);

    // The form again shows what was saved, one per line.
    await page.goto(s.url + '/settings/profile');
    assert.equal(await page.getByLabel('I can help with').inputValue(), 'Wound care\nHerbal remedies\nNight shifts\n');
    await page.setViewportSize({ width: 360, height: 740 });
    const formOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(formOverflow <= 0, `the form is ${formOverflow}px wider than a 360 px screen`);
    assert.deepEqual(problems, []);
  });

  test('keyboard: the form fields come in reading order', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(s.url + '/settings/profile');
    await page.getByLabel('Name').focus();
    const order = [];
    for (let i = 0; i < 6; i++) {
      order.push(await page.evaluate(() => document.activeElement.id));
      await page.keyboard.press('Tab');
    }
    assert.deepEqual(order, ['name', 'bio', 'timezone', 'help', 'learn', 'interest']);
  });
});

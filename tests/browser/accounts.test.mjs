// Signing up, out and in again in a real browser, by keyboard where a person would.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, ROOT } from '../http/harness.mjs';
import { checkA11y } from './axe.mjs';

const SHOTS = join(ROOT, 'build', 'screenshots');

describe('accounts in Chromium', () => {
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

  test('sign up with a mistake, fix it, land signed in; sign out; sign in again', async () => {
    mkdirSync(SHOTS, { recursive: true });
    await page.goto(s.url + '/');
    await checkA11y(page, 'home, signed out');
    await page.getByRole('link', { name: 'Sign up' }).first().click();
    await checkA11y(page, 'sign-up');
    await page.getByLabel('Handle').fill('florence');
    await page.getByLabel('Name').fill('Florence N.');
    await page.getByLabel('Email').fill('florence@example.org');
    await page.getByLabel('Password').fill('lamp');
    await page.getByRole('button', { name: 'Create account' }).click();
    assert.match(await page.locator('#password-error').innerText(), /at least 10 characters/);
    assert.equal(await page.getByLabel('Handle').inputValue(), 'florence', 'what was typed stays');
    await checkA11y(page, 'sign-up with an error');
    await page.screenshot({ path: join(SHOTS, 'signup-error-phone.png'), fullPage: true });
    await page.getByLabel('Password').fill('a lamp in the night ward');
    await page.getByLabel('Password').press('Enter');
    await page.waitForURL(s.url + '/');
    assert.match(await page.locator('.site-nav').innerText(), /Florence N\./);
    await checkA11y(page, 'home, signed in');
    await page.screenshot({ path: join(SHOTS, 'home-signed-in-phone.png'), fullPage: true });
    // API tokens: make one, see it once, revoke it.
    await page.goto(s.url + '/settings/tokens');
    await checkA11y(page, 'API tokens');
    await page.getByLabel('What it is for').fill('my script');
    await page.getByRole('button', { name: 'Make a token' }).click();
    assert.match(await page.locator('code.token').innerText(), /^[A-Za-z0-9_-]{43}$/);
    await page.getByRole('button', { name: 'Revoke my script' }).click();
    assert.match(await page.locator('.notice').innerText(), /revoked/);
    await page.goto(s.url + '/');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(s.url + '/');
    assert.match(await page.locator('.site-nav').innerText(), /Sign in/);
    await page.getByRole('link', { name: 'Sign in' }).click();
    await checkA11y(page, 'sign-in');
    await page.getByLabel('Handle or email').fill('FLORENCE@example.org');
    await page.getByLabel('Password').fill('a lamp in the night ward');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(s.url + '/');
    assert.match(await page.locator('.site-nav').innerText(), /Florence N\./);
    assert.deepEqual(problems, []);
  });
});

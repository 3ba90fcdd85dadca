// What the browser tests share: Debian's Chromium started headless, a page
// that records console errors, signing up through the form, and the check
// that nothing spills sideways.
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

export const SHOTS = process.env.PRAXIS_SHOTS || '/tmp/praxis-screenshots';

export function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

// A new page of its own context, its console errors and page errors pushed to problems
// (a 4xx the test asked for is no problem).
export async function newPage(browser, problems, viewport) {
  const page = await (await browser.newContext({ viewport })).newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' && !/responded with a status of 4\d\d/.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  return page;
}

// Sign up through the form; the page ends on the home page, signed in.
export async function signUp(s, page, handle, name) {
  await page.goto(s.url + '/signup');
  await page.getByLabel('Handle').fill(handle);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(`${handle}@example.org`);
  await page.getByLabel('Password').fill('practice makes a practitioner');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(s.url + '/');
}

// Nothing may spill sideways: the page is no wider than the screen.
export async function fitsWidth(page, label) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${label}: ${overflow}px wider than the screen`);
}

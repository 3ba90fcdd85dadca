// The front page in a real browser (Debian's Chromium through
// playwright-core): it renders with its stylesheet and htmx, breaks no rule
// of the Content-Security-Policy, and can be walked with the keyboard.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, ROOT } from '../http/harness.mjs';

const SHOTS = join(ROOT, 'build', 'screenshots');

describe('front page in Chromium', () => {
  let s, browser, page;
  const problems = [];

  before(async () => {
    s = await startServer({ args: ['--name', 'Maths Teachers of the North'] });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('requestfailed', (r) => problems.push(`failed: ${r.url()}`));
  });
  after(async () => {
    await browser?.close();
    await s?.stop();
  });

  test('renders styled, with htmx, and no CSP or console errors', async () => {
    const res = await page.goto(s.url + '/');
    assert.equal(res.status(), 200);
    assert.equal(await page.locator('h1').innerText(), 'Maths Teachers of the North');
    assert.match(await page.title(), /Maths Teachers of the North/);
    // The stylesheet applied: the body's font is not the browser's default serif.
    const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
    assert.doesNotMatch(font, /^"?Times/);
    assert.equal(await page.evaluate(() => typeof window.htmx), 'object', 'htmx loaded');
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'home.png'), fullPage: true });
    assert.deepEqual(problems, []);
  });

  test('the skip link is the first stop and leads to the main content', async () => {
    await page.goto(s.url + '/');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => ({
      text: document.activeElement.textContent.trim(),
      href: document.activeElement.getAttribute('href'),
    }));
    assert.match(focused.text, /skip/i);
    assert.equal(focused.href, '#main');
    assert.equal(await page.locator('main#main').count(), 1);
  });

  test('the error page shares the layout', async () => {
    const res = await page.goto(s.url + '/nowhere');
    assert.equal(res.status(), 404);
    assert.match(await page.locator('h1').innerText(), /not found/i);
    assert.equal(await page.locator('header a[href="/"]').count() >= 1, true);
    await page.screenshot({ path: join(SHOTS, 'not-found.png') });
  });
});

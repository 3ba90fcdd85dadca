// Accessibility checks with axe-core (from the npm registry, pinned in
// package.json) for the browser tests. The page's Content-Security-Policy
// allows no inline script, so axe is not added as a <script> element: its
// source is evaluated through the DevTools protocol, which the policy does
// not govern. Only the page is checked, never changed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// What a page may not have: violations a person would hit hard.
const BLOCKING = new Set(['serious', 'critical']);

// Run axe on the page as it is now and fail, naming each rule and element,
// when anything serious or critical turns up. Resolves to all violations
// (the minor and moderate ones too) for whoever wants to look.
export async function checkA11y(page, label = page.url()) {
  const loaded = await page.evaluate(() => typeof window.axe === 'object');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const { violations } = await page.evaluate(() =>
    window.axe.run(document, { resultTypes: ['violations'] }));
  const blocking = violations
    .filter((v) => BLOCKING.has(v.impact))
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(blocking, [], `accessibility of ${label}`);
  return violations;
}

// Titles and list items that look like HTML stay text in everything the script builds.
// FIXTURE_SITE_DIR is tests/browser/fixture built by `cargo test --test browser`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, readMatrix, siteDir, start } from './helpers.mjs';

const dir = siteDir('FIXTURE_SITE_DIR');
const matrix = readMatrix(dir);
const hostile = matrix.rows.find((r) => r.title.includes('onerror'));
const plain = matrix.rows.find((r) => r !== hostile);
assert.ok(hostile && plain, 'the fixture has a hostile row and a plain one');

let env;
before(async () => { env = await start(dir); });
after(async () => { await env?.close(); });

test('a markup-shaped title stays text in the compare view', async () => {
  const { page, problems, assertClean } = await openPage(env);
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); d.dismiss(); });
  await page.goto(`${env.url}/compare/`);
  await page.waitForSelector('#matrix-filters:not([hidden])');

  // Pick both through the page, by the boxes' accessible names.
  await page.getByRole('checkbox', { name: `Compare ${hostile.title}`, exact: true }).check();
  await page.getByRole('checkbox', { name: `Compare ${plain.title}`, exact: true }).check();
  const view = page.locator('#matrix-compare');
  assert.equal(await view.isVisible(), true);
  assert.deepEqual(await view.locator('thead th a').allTextContents(), [hostile.title, plain.title]);
  assert.deepEqual(await view.locator('tbody td[data-field="pros"]').first().locator('li').allTextContents(), hostile.pros);
  assert.deepEqual(await view.locator('tbody td[data-field="cons"]').first().locator('li').allTextContents(), hostile.cons);
  // Nothing the data spelled became an element, anywhere on the page.
  assert.equal(await page.locator('img, script:not([src]), b').count(), 0);

  // The status message names it as text too.
  await page.getByRole('button', { name: `Remove ${hostile.title} from the comparison` }).click();
  assert.match(await page.textContent('#matrix-status'), /Removed <img src=x onerror=alert\(1\)>\./);
  assert.equal(await page.locator('img').count(), 0);
  await assertClean();
});

test('a shared URL with the hostile row restores it as text', async () => {
  const { page, problems, assertClean } = await openPage(env);
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); d.dismiss(); });
  await page.goto(`${env.url}/compare/?ids=${plain.id},${hostile.id}`);
  await page.waitForSelector('#matrix-compare:not([hidden])');
  assert.deepEqual(await page.locator('#matrix-compare thead th a').allTextContents(), [plain.title, hostile.title]);
  assert.equal(await page.locator('img').count(), 0);
  await assertClean();
});

// The emergency line (site.toml's [emergency], partials/emergency.html) as a keyboard user meets
// it: from a fresh page load the first Tab still reaches the "Exit this page" link, and the
// emergency box's tel: link is reachable, before the helpline's. On every kind of page of the
// shipped site (SITE_DIR, a box without a page link) and of the fixture (FIXTURE_SITE_DIR, whose
// box links to a page).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { htmlPaths, openPage, siteDir, start } from './helpers.mjs';

const dir = siteDir();
const fixtureDir = siteDir('FIXTURE_SITE_DIR');
// One page of each kind the templates make.
const KINDS = [
  '/', '/medication/', '/medication/methadone-maintenance/', '/browsing-safely/', '/search/',
  '/compare/', '/a-z/', '/settings/', '/settings/community/', '/404.html',
];
// Enough presses to pass the exit bar, the header's navigation and search on any page.
const MAX_TABS = 40;

let env, fixture;
before(async () => {
  const built = new Set(htmlPaths(dir));
  for (const p of KINDS) assert.ok(built.has(p), `the shipped site has ${p}`);
  env = await start(dir);
  fixture = await start(fixtureDir);
});
after(async () => {
  await env?.close();
  await fixture?.close();
});

/**
 * What each Tab focuses on a freshly loaded page, up to and including the helpline's phone
 * link: where it is, its href and whether it can be seen.
 */
async function tabOrder(page) {
  const order = [];
  for (let i = 0; i < MAX_TABS; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const a = document.activeElement;
      const r = a.getBoundingClientRect();
      const where = a.closest('section.emergency') ? 'emergency' : a.closest('aside.helpline') ? 'helpline' : 'other';
      return {
        where,
        href: a.getAttribute('href'),
        quickExit: a.matches('a.skip-link[data-quick-exit]'),
        shown: a.checkVisibility() && r.width > 0 && r.bottom > 0 && r.top < innerHeight,
      };
    });
    order.push(focused);
    if (focused.where === 'helpline' && focused.href?.startsWith('tel:')) return order;
  }
  assert.fail(`no helpline phone link within ${MAX_TABS} Tabs: ${JSON.stringify(order)}`);
}

/** Checks one page's Tab order; returns the emergency box's links in the order reached. */
async function checkPage(site, page, path) {
  await page.goto(site.url + path);
  const order = await tabOrder(page);
  assert.equal(order[0].quickExit, true, `${path}: the first Tab reaches the exit link, not ${JSON.stringify(order[0])}`);
  const emergency = order.filter((f) => f.where === 'emergency');
  const tel = order.findIndex((f) => f.where === 'emergency' && f.href?.startsWith('tel:'));
  // The order ends at the helpline's phone link, so one found comes before it.
  assert.ok(tel > 0, `${path}: Tab reaches the emergency phone link before the helpline's: ${JSON.stringify(order)}`);
  assert.ok(emergency.every((f) => f.shown), `${path}: each emergency link is on screen when focused: ${JSON.stringify(emergency)}`);
  return emergency.map((f) => f.href);
}

test('the first Tab reaches the exit link; the emergency number comes before the helpline', { timeout: 60_000 }, async () => {
  const { page, assertClean } = await openPage(env);
  for (const path of KINDS) {
    assert.deepEqual(await checkPage(env, page, path), ['tel:999', '/if-someone-has-collapsed/'], `${path}: the box's links`);
  }
  await assertClean();
});

test('the emergency page link follows the number, also on a small screen', { timeout: 60_000 }, async () => {
  const expected = ['tel:+442079460000', '/if-someone-has-collapsed/'];
  for (const viewport of [{ width: 1280, height: 900 }, { width: 320, height: 640 }]) {
    const { page, assertClean } = await openPage(fixture, { viewport });
    for (const path of ['/', '/compare/', '/search/', '/404.html']) {
      assert.deepEqual(await checkPage(fixture, page, path), expected, `${path} at ${viewport.width}px`);
    }
    await assertClean();
  }
});

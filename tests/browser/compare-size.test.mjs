// The compare page at every size, against the shipped site in SITE_DIR: on a wide screen the
// table takes the window's width, its first column stays in view while it scrolls sideways, no
// word is cut, and a note says there is more; on a phone the rows are cards and no note shows.
// With and without the script. Also the script's plurals on the fixture's one-row table.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, siteDir, start, statusText } from './helpers.mjs';

const dir = siteDir();
const fixtureDir = siteDir('FIXTURE_SITE_DIR');
const READING_COLUMN = 704; // .wrap's content box: 46rem less 1rem padding each side

let env, fixture;
before(async () => { [env, fixture] = await Promise.all([start(dir), start(fixtureDir)]); });
after(async () => { await env?.close(); await fixture?.close(); });

// What the checks need, read from the page in one go.
const measure = (page) => page.evaluate(() => {
  const wrap = document.querySelector('.matrix-wrap');
  const note = document.getElementById('matrix-scroll-note');
  const firstCells = [...document.querySelectorAll('#matrix tbody tr:not([hidden]) > th')].slice(0, 5);
  const box = wrap.getBoundingClientRect();
  const inView = firstCells.map((th) => {
    const r = th.getBoundingClientRect();
    return r.left >= box.left - 1 && r.right <= box.right + 1 && r.width > 0;
  });
  // A cell cuts a word when its text is wider than the cell (a word that did not fit), or when
  // one word (split at spaces, hyphens and slashes, where lines may break) lies on two lines.
  const cut = [];
  for (const cell of document.querySelectorAll('#matrix th, #matrix td')) {
    const name = cell.dataset.field || 'option';
    if (cell.closest('tr[hidden]') || cell.getBoundingClientRect().width <= 1) continue; // hidden
    if (cell.scrollWidth > cell.clientWidth + 1) cut.push(`${name}: wider than its cell`);
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/[^\s\-\/]+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (lines.size > 1) cut.push(`${name}: "${m[0]}" is cut across lines`);
      }
    }
  }
  return {
    tableWidth: document.getElementById('matrix').getBoundingClientRect().width,
    wrapWidth: box.width,
    overflows: wrap.scrollWidth > wrap.clientWidth + 1,
    noteVisible: !!note && note.checkVisibility() && note.getBoundingClientRect().height > 0,
    pageWidth: document.documentElement.scrollWidth,
    scrollLeft: wrap.scrollLeft,
    inView,
    cut: [...new Set(cut)],
  };
});

for (const javaScriptEnabled of [true, false]) {
  const how = javaScriptEnabled ? 'with the script' : 'without the script';

  test(`at 1280px the table uses the page's width, keeps its first column and cuts no word (${how})`, async () => {
    const { page, assertClean } = await openPage(env, { viewport: { width: 1280, height: 900 }, javaScriptEnabled });
    await page.goto(`${env.url}/compare/`);
    if (javaScriptEnabled) await page.waitForSelector('#matrix-filters:not([hidden])');
    const before = await measure(page);
    assert.ok(before.wrapWidth > READING_COLUMN + 400, `the table's box is ${before.wrapWidth}px, hardly wider than the ${READING_COLUMN}px column`);
    assert.ok(before.tableWidth > READING_COLUMN, `the table is ${before.tableWidth}px wide`);
    assert.ok(before.pageWidth <= 1280, `the page itself is ${before.pageWidth}px wide`);
    assert.deepEqual(before.cut, [], 'no cell cuts a word');
    assert.ok(before.overflows, 'the shipped table is wider than 1280px, so it scrolls');
    assert.equal(before.noteVisible, true, 'the scroll note shows while the table overflows');

    await page.$eval('.matrix-wrap', (w) => { w.scrollLeft = w.scrollWidth; });
    const after = await measure(page);
    assert.ok(after.scrollLeft > 200, `the table scrolled ${after.scrollLeft}px`);
    assert.ok(after.inView.length > 0 && after.inView.every(Boolean), `the option names stay in view: ${after.inView}`);
    await assertClean();
  });

  test(`at 390px the rows are cards: the option name leads each, nothing scrolls, no note (${how})`, async () => {
    const { page, assertClean } = await openPage(env, { viewport: { width: 390, height: 800 }, javaScriptEnabled });
    await page.goto(`${env.url}/compare/`);
    if (javaScriptEnabled) await page.waitForSelector('#matrix-filters:not([hidden])');
    const m = await measure(page);
    assert.ok(m.pageWidth <= 390, `the page is ${m.pageWidth}px wide`);
    assert.equal(m.overflows, false, 'nothing to scroll sideways');
    assert.equal(m.noteVisible, m.overflows, 'the note shows exactly when the table overflows');
    assert.ok(m.inView.length > 0 && m.inView.every(Boolean), 'every option name is in view');
    assert.deepEqual(m.cut, [], 'no cell cuts a word');
    await assertClean();
  });
}

test('with the script, the note goes when the whole table fits and comes back when it does not', async () => {
  // The fixture's one-row table has five columns: at 1280px it fits, at 700px it does not.
  const { page, assertClean } = await openPage(fixture, { viewport: { width: 1280, height: 900 } });
  await page.goto(`${fixture.url}/compare-one/`);
  await page.waitForSelector('#matrix-filters:not([hidden])');
  let m = await measure(page);
  assert.equal(m.overflows, false, 'the fixture table fits at 1280px');
  assert.equal(m.noteVisible, false);
  await page.setViewportSize({ width: 700, height: 900 });
  await page.waitForFunction(() => {
    const w = document.querySelector('.matrix-wrap');
    return w.scrollWidth > w.clientWidth + 1 === !document.getElementById('matrix-scroll-note').hidden;
  });
  m = await measure(page);
  assert.equal(m.overflows, true, 'the fixture table overflows at 700px');
  assert.equal(m.noteVisible, true);
  await assertClean();
});

test('the script agrees its nouns with the count: 1 option, 2 options', async () => {
  const { page, assertClean } = await openPage(fixture);
  await page.goto(`${fixture.url}/compare-one/`);
  await page.waitForSelector('#matrix-filters:not([hidden])');
  assert.equal(await statusText(page), 'Showing 1 of 1 option.');
  assert.match(await page.textContent('#matrix caption'), /: 1 option, one per row/);
  await page.goto(`${fixture.url}/compare/`);
  await page.waitForSelector('#matrix-filters:not([hidden])');
  assert.equal(await statusText(page), 'Showing 2 of 2 options.');
  await assertClean();
});

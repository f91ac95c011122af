// The compare page without JavaScript (the table alone must be complete), and on a 320px-wide
// screen (cards, no sideways scroll), against the shipped site in SITE_DIR.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, readMatrix, siteDir, start } from './helpers.mjs';

const dir = siteDir();
const matrix = readMatrix(dir);

let env;
before(async () => { env = await start(dir); });
after(async () => { await env?.close(); });

test('without JavaScript the table is complete and the filters stay hidden', async () => {
  const { page, assertClean } = await openPage(env, { javaScriptEnabled: false });
  await page.goto(`${env.url}/compare/`);
  assert.equal(await page.isVisible('#matrix-filters'), false);
  assert.equal(await page.isVisible('#matrix-compare'), false);
  assert.deepEqual(
    await page.locator('#matrix thead th').allTextContents(),
    ['Option', ...matrix.columns.map((c) => c.label)],
  );

  // Every cell of every row, read from the page in one go and compared with matrix.json.
  const rows = await page.$$eval('#matrix tbody tr', (trs) => trs.map((tr) => ({
    id: tr.dataset.id,
    visible: tr.offsetParent !== null,
    title: tr.cells[0].textContent.trim(),
    href: tr.cells[0].querySelector('a')?.getAttribute('href'),
    cells: [...tr.cells].slice(1).map((td) => ({
      field: td.dataset.field,
      label: td.dataset.label,
      values: td.dataset.values,
      links: [...td.querySelectorAll('a')].map((a) => a.textContent),
      items: [...td.querySelectorAll('li')].map((li) => li.textContent),
      text: td.textContent.trim(),
    })),
  })));
  assert.deepEqual(rows.map((r) => r.id), matrix.rows.map((r) => r.id), 'one row per matrix.json row, in order');
  for (const [i, want] of matrix.rows.entries()) {
    const got = rows[i];
    assert.equal(got.visible, true, `${want.id} is shown`);
    assert.equal(got.title, want.title);
    assert.equal(got.href, want.url);
    assert.equal(got.cells.length, matrix.columns.length);
    for (const [c, column] of matrix.columns.entries()) {
      const cell = got.cells[c], value = want[column.field], where = `${want.id}.${column.field}`;
      assert.equal(cell.field, column.field, where);
      assert.equal(cell.label, column.label, where);
      if (column.kind === 'facet') {
        assert.deepEqual(cell.links, value.map((v) => v.label), where);
        assert.equal(cell.values, value.map((v) => v.id).join(' '), where);
      } else if (column.kind === 'list') {
        assert.deepEqual(cell.items, value, where);
      } else {
        assert.equal(cell.text, value, where);
      }
    }
  }
  await assertClean();
});

const noSideScroll = async (page, what) => {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= 320, `${what}: the page is ${scroll}px wide at 320px (client ${client}px)`);
};

test('at 320px the rows are labelled cards with no sideways scroll', async () => {
  const { page, assertClean } = await openPage(env, { viewport: { width: 320, height: 700 } });
  const ids = matrix.rows.slice(0, 3).map((r) => r.id).join(',');
  await page.goto(`${env.url}/compare/`);
  await page.waitForSelector('#matrix-filters:not([hidden])');
  await noSideScroll(page, 'filters shown');

  // Each cell is a block that names its column, from data-label.
  const card = await page.$eval('#matrix tbody tr', (tr) => {
    const td = tr.querySelector('td');
    return {
      row: getComputedStyle(tr).display,
      cell: getComputedStyle(td).display,
      before: getComputedStyle(td, '::before').content,
      label: td.dataset.label,
    };
  });
  assert.equal(card.row, 'block');
  assert.equal(card.cell, 'block');
  assert.equal(card.before, JSON.stringify(card.label));

  // With a comparison open, and with a filter on, it still fits.
  await page.goto(`${env.url}/compare/?ids=${ids}`);
  await page.waitForSelector('#matrix-compare:not([hidden])');
  await noSideScroll(page, 'comparison open');
  await page.locator('#matrix-filters input').first().check();
  await noSideScroll(page, 'filtered');
  await assertClean();
});

test('at 320px without JavaScript there is no sideways scroll either', async () => {
  const { page, assertClean } = await openPage(env, { viewport: { width: 320, height: 700 }, javaScriptEnabled: false });
  await page.goto(`${env.url}/compare/`);
  await noSideScroll(page, 'no script');
  await assertClean();
});

test('on a wide screen the table scrolls inside its wrapper, not the page', async () => {
  const { page, assertClean } = await openPage(env, { viewport: { width: 1024, height: 800 } });
  await page.goto(`${env.url}/compare/`);
  const sizes = await page.evaluate(() => {
    const wrap = document.querySelector('.matrix-wrap');
    return { page: document.documentElement.scrollWidth, wrap: wrap.scrollWidth, box: wrap.clientWidth, overflow: getComputedStyle(wrap).overflowX };
  });
  assert.ok(sizes.page <= 1024, `the page itself is ${sizes.page}px wide`);
  assert.equal(sizes.overflow, 'auto');
  assert.ok(sizes.wrap > sizes.box, 'the wide table scrolls inside .matrix-wrap');
  await assertClean();
});

// The compare page with its script, in headless Chromium, against the shipped site (SITE_DIR):
// filters, counts, status, sorting, the side-by-side view, shared URLs and the Back button.
// Expectations come from the same build's matrix.json, so content edits do not break them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, params, readMatrix, siteDir, start, statusText, visibleRowIds } from './helpers.mjs';

const dir = siteDir();
const matrix = readMatrix(dir);
const total = matrix.rows.length;
const facetFields = matrix.columns.filter((c) => c.kind === 'facet').map((c) => c.field);
const has = (row, field, id) => row[field].some((v) => v.id === id);
const idsOf = (rows) => rows.map((r) => r.id);
// What the page should show for a filter: OR within a field, AND across fields.
const expected = (want) =>
  matrix.rows.filter((r) => Object.entries(want).every(([f, ids]) => !ids.length || ids.some((id) => has(r, f, id))));
const valuesByUse = (field, rows = matrix.rows) => {
  const counts = new Map();
  for (const r of rows) for (const v of r[field]) counts.set(v.id, (counts.get(v.id) || 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([id]) => id);
};

// Two facets and values that make both the OR and the AND observable in the shipped content.
assert.ok(facetFields.length >= 2, 'the shipped matrix needs two facet columns for these tests');
const [fieldA, fieldB] = facetFields;
const [a1, a2] = valuesByUse(fieldA);
const onlyA = expected({ [fieldA]: [a1] });
const b1 = valuesByUse(fieldB, onlyA).find((id) => {
  const n = expected({ [fieldA]: [a1], [fieldB]: [id] }).length;
  return n > 0 && n < onlyA.length;
});
assert.ok(a2 && b1, `matrix.json has no ${fieldA}/${fieldB} values that narrow each other`);

let env;
before(async () => { env = await start(dir); });
after(async () => { await env?.close(); });

const open = async (query = '', options) => {
  const p = await openPage(env, options);
  await p.page.goto(`${env.url}/compare/${query}`);
  await p.page.waitForSelector('#matrix-filters:not([hidden])');
  return p;
};
const box = (page, field, id) => page.locator(`#matrix-filters input[name="${field}"][value="${id}"]`);
const countText = (page, field, id) =>
  page.textContent(`#matrix-filters fieldset[data-field="${field}"] [data-count-for="${id}"]`);

test('filters are shown, every row is there, and nothing loads from elsewhere', async () => {
  const { page, requests, assertClean } = await open();
  // The page's own script and style came from its own origin, and nothing else was asked for.
  const paths = requests.map((u) => new URL(u));
  assert.ok(paths.every((u) => u.origin === env.url), `requests: ${requests.join(', ')}`);
  for (const asset of ['/compare/', '/style.css', '/compare.js']) {
    assert.ok(paths.some((u) => u.pathname === asset), `${asset} was loaded`);
  }
  assert.equal(await page.isVisible('#matrix-filters'), true);
  assert.deepEqual(await visibleRowIds(page), idsOf(matrix.rows));
  assert.equal(await statusText(page), `Showing ${total} of ${total} options.`);
  assert.equal(await page.getAttribute('#matrix-status', 'role'), 'status');
  assert.equal(await page.getAttribute('#matrix-status', 'aria-live'), 'polite');
  assert.equal(await page.isVisible('#matrix-compare'), false);
  await assertClean();
});

test('two facets: OR within a field, AND across fields, with counts and status', async () => {
  const { page, assertClean } = await open();

  await box(page, fieldA, a1).check();
  assert.deepEqual(await visibleRowIds(page), idsOf(onlyA));
  assert.equal(await statusText(page), `Showing ${onlyA.length} of ${total} options.`);

  await box(page, fieldB, b1).check();
  const both = expected({ [fieldA]: [a1], [fieldB]: [b1] });
  assert.deepEqual(await visibleRowIds(page), idsOf(both));
  assert.equal(await statusText(page), `Showing ${both.length} of ${total} options.`);

  await box(page, fieldA, a2).check();
  const want = { [fieldA]: [a1, a2], [fieldB]: [b1] };
  const either = expected(want);
  assert.ok(either.length > both.length, `${a2} should add rows to ${a1}`);
  assert.deepEqual(await visibleRowIds(page), idsOf(either));
  assert.equal(await statusText(page), `Showing ${either.length} of ${total} options.`);

  // Each value's count: the rows it would show, given the other fields' choices.
  for (const field of facetFields) {
    for (const v of valuesByUse(field)) {
      const n = expected({ ...want, [field]: [] }).filter((r) => has(r, field, v)).length;
      assert.equal(await countText(page, field, v), `(${n})`, `count for ${field}=${v}`);
    }
  }
  assert.deepEqual(params(page), { [fieldA]: [a1, a2], [fieldB]: [b1] });

  await page.getByRole('button', { name: 'Clear filters' }).click();
  assert.deepEqual(await visibleRowIds(page), idsOf(matrix.rows));
  assert.match(await statusText(page), new RegExp(`^Showing ${total} of ${total} options\\.`));
  assert.equal(await box(page, fieldA, a1).isChecked(), false);
  assert.equal(new URL(page.url()).search, '');
  await assertClean();
});

test('sorting by a column, both ways, and by the option title', async () => {
  const { page, assertClean } = await open();
  const collator = new Intl.Collator('en-GB', { numeric: true, sensitivity: 'base' });
  const column = matrix.columns[0];
  const index = 1 + matrix.columns.indexOf(column);
  const cellTexts = () =>
    page.$$eval(`#matrix tbody tr`, (rows, i) => rows.map((r) => r.cells[i].textContent.trim()), index);
  // Sorted by the column: blanks last, the rest in order (ties keep title order).
  const assertSorted = (texts, dir) => {
    const filled = texts.filter(Boolean);
    assert.deepEqual(texts, [...filled, ...texts.filter((t) => !t)], 'blank cells sort last');
    for (let i = 1; i < filled.length; i++) {
      assert.ok(dir * collator.compare(filled[i - 1], filled[i]) <= 0, `${filled[i - 1]} before ${filled[i]}`);
    }
  };

  const header = page.getByRole('columnheader', { name: column.label });
  await header.getByRole('button').click();
  assert.equal(await header.getAttribute('aria-sort'), 'ascending');
  assertSorted(await cellTexts(), 1);
  await header.getByRole('button').click();
  assert.equal(await header.getAttribute('aria-sort'), 'descending');
  assertSorted(await cellTexts(), -1);
  assert.match(await statusText(page), new RegExp(`Sorted by ${column.label}, descending\\.`));

  // Only one column carries aria-sort at a time.
  const title = page.locator('#matrix thead th[data-field="title"]');
  await title.getByRole('button').click();
  assert.equal(await title.getAttribute('aria-sort'), 'ascending');
  assert.equal(await header.getAttribute('aria-sort'), null);
  const titles = matrix.rows.map((r) => r.title);
  const ascending = [...titles].sort(collator.compare);
  const shown = () => page.$$eval('#matrix tbody tr', (rows) => rows.map((r) => r.cells[0].querySelector('a').textContent));
  assert.deepEqual(await shown(), ascending);
  await title.getByRole('button').click();
  assert.deepEqual(await shown(), [...ascending].reverse());
  await assertClean();
});

test('compare: one asks for another, three side by side, a fifth is refused, then clear', async () => {
  const { page, assertClean } = await open();
  const picks = [matrix.rows[0], matrix.rows[Math.floor(total / 2)], matrix.rows[total - 1]];
  const pick = (row) => page.getByRole('checkbox', { name: `Compare ${row.title}`, exact: true });

  await pick(picks[0]).check();
  assert.equal(await page.isVisible('#matrix-compare'), true);
  assert.match(await page.textContent('#matrix-compare'), /Pick one more to compare/);

  await pick(picks[1]).check();
  await pick(picks[2]).check();
  assert.deepEqual(params(page).ids, idsOf(picks));
  const grid = page.locator('#matrix-compare table');
  const headings = grid.locator('thead th');
  assert.equal(await headings.count(), 3);
  for (const [i, row] of picks.entries()) {
    const link = headings.nth(i).locator('a');
    assert.equal(await link.textContent(), row.title);
    assert.equal(await link.getAttribute('href'), row.url);
  }
  // A row for every matrix column, each cell as in matrix.json.
  const gridRows = grid.locator('tbody tr');
  assert.equal(await gridRows.count(), matrix.columns.length);
  for (const [c, column] of matrix.columns.entries()) {
    const tr = gridRows.nth(c);
    assert.equal((await tr.locator('th').textContent()).trim(), column.label);
    for (const [i, row] of picks.entries()) {
      const cell = tr.locator('td').nth(i);
      const value = row[column.field];
      if (column.kind === 'list') {
        assert.deepEqual(await cell.locator('li').allTextContents(), value, `${row.id} ${column.field}`);
      } else if (column.kind === 'facet') {
        assert.deepEqual(await cell.locator('a').allTextContents(), value.map((v) => v.label));
      } else {
        assert.equal((await cell.textContent()).trim(), value || 'Not stated');
      }
    }
  }

  // A fourth fits; a fifth does not, and the page says why.
  const more = matrix.rows.filter((r) => !picks.includes(r));
  await pick(more[0]).check();
  assert.equal(await headings.count(), 4);
  await pick(more[1]).click();
  assert.equal(await pick(more[1]).isChecked(), false);
  assert.equal(await headings.count(), 4);
  assert.match(await statusText(page), /up to 4 options/);
  assert.equal(params(page).ids.length, 4);

  // Remove one from the view itself, then clear the lot.
  await page.getByRole('button', { name: `Remove ${picks[0].title} from the comparison` }).click();
  assert.equal(await headings.count(), 3);
  assert.equal(await pick(picks[0]).isChecked(), false);
  await page.getByRole('button', { name: 'Clear comparison' }).click();
  assert.equal(await page.isVisible('#matrix-compare'), false);
  assert.equal(params(page).ids, undefined);
  assert.equal(await page.locator('#matrix tbody input:checked').count(), 0);
  await assertClean();
});

test('a shared URL restores the filters and the comparison', async () => {
  const both = expected({ [fieldA]: [a1], [fieldB]: [b1] });
  const ids = [matrix.rows[1].id, matrix.rows[2].id];
  const { page, assertClean } = await open(`?${fieldA}=${a1}&${fieldB}=${b1}&ids=${ids.join(',')}`);
  assert.equal(await box(page, fieldA, a1).isChecked(), true);
  assert.equal(await box(page, fieldB, b1).isChecked(), true);
  assert.equal(await page.locator('#matrix-filters input:checked').count(), 2);
  assert.deepEqual(await visibleRowIds(page), idsOf(both));
  assert.equal(await statusText(page), `Showing ${both.length} of ${total} options.`);
  assert.equal(await page.isVisible('#matrix-compare'), true);
  assert.deepEqual(await page.locator('#matrix-compare thead th a').allTextContents(), [matrix.rows[1].title, matrix.rows[2].title]);
  for (const id of ids) assert.equal(await page.isChecked(`#row-${id} .matrix-pick input`), true);
  await assertClean();
});

test('Back and Forward restore earlier filter and comparison states', async () => {
  const { page, assertClean } = await open();
  // popstate runs in the same task that changes the URL: once the URL is back, so is the page.
  const history = async (move, search) => {
    await move();
    await page.waitForFunction((s) => location.search === s, search);
  };
  const query = (...pairs) => (pairs.length ? '?' + pairs.join('&') : '');
  await box(page, fieldA, a1).check();
  await box(page, fieldB, b1).check();
  const both = expected({ [fieldA]: [a1], [fieldB]: [b1] });
  await page.getByRole('checkbox', { name: `Compare ${both[0].title}`, exact: true }).check();
  assert.equal(await page.isVisible('#matrix-compare'), true);
  assert.deepEqual(params(page).ids, [both[0].id]);

  await history(() => page.goBack(), query(`${fieldA}=${a1}`, `${fieldB}=${b1}`));
  assert.equal(await page.isVisible('#matrix-compare'), false);
  assert.equal(await box(page, fieldB, b1).isChecked(), true);

  await history(() => page.goBack(), query(`${fieldA}=${a1}`));
  assert.equal(await box(page, fieldA, a1).isChecked(), true);
  assert.equal(await box(page, fieldB, b1).isChecked(), false);
  assert.deepEqual(await visibleRowIds(page), idsOf(onlyA));
  assert.equal(await statusText(page), `Showing ${onlyA.length} of ${total} options.`);
  assert.deepEqual(params(page), { [fieldA]: [a1] });

  await history(() => page.goBack(), query());
  assert.equal(await box(page, fieldA, a1).isChecked(), false);
  assert.deepEqual(await visibleRowIds(page), idsOf(matrix.rows));
  assert.equal(await statusText(page), `Showing ${total} of ${total} options.`);

  await history(() => page.goForward(), query(`${fieldA}=${a1}`));
  assert.deepEqual(await visibleRowIds(page), idsOf(onlyA));
  await assertClean();
});

test('keyboard: a filter toggles with Space and focus is visible', async () => {
  const { page, assertClean } = await open();
  const first = box(page, fieldA, a1);
  await first.focus();
  await page.keyboard.press('Space');
  assert.equal(await first.isChecked(), true);
  assert.deepEqual(await visibleRowIds(page), idsOf(onlyA));
  const outline = await first.evaluate((e) => getComputedStyle(e).outlineStyle);
  assert.notEqual(outline, 'none', 'a focused filter shows an outline');
  await assertClean();
});

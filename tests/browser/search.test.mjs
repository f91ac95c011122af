// The search page against the shipped site (SITE_DIR) and the markup-shaped titles of the
// fixture (FIXTURE_SITE_DIR), both built by `cargo test --test browser`. The server sends
// Content-Security-Policy: default-src 'self' (so script-src 'self'), and every test fails on a
// violation, a script error or a request that leaves the origin.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, openPage, siteDir, start } from './helpers.mjs';

let env, fixture;
before(async () => {
  env = await start(siteDir());
  fixture = await start(siteDir('FIXTURE_SITE_DIR'));
});
after(async () => {
  await env?.close();
  await fixture?.close();
});

const status = (page) => page.textContent('#search-status');
const titles = (page) => page.locator('#search-results li > a').allTextContents();

/** Opens /search/ with `query` in the URL and waits for its results. */
async function search(t, query, site = env) {
  await t.page.goto(`${site.url}/search/?${query}`);
  await t.page.waitForFunction(() => document.getElementById('search-status').textContent !== '');
  return titles(t.page);
}

/** Types into the box as a reader would and waits until the status names the query. */
async function type(page, text) {
  await page.fill('#search-q', '');
  await page.type('#search-q', text);
  await page.waitForFunction((q) => document.getElementById('search-status').textContent.includes(`“${q}”`), text);
}

test('"methadone" ranks the methadone page first, and the count is announced', async () => {
  const t = await openPage(env);
  const found = await search(t, 'q=methadone');
  assert.equal(found[0], 'Methadone maintenance', found.join(' | '));
  assert.ok(found.includes('Methadone reduction'), found.join(' | '));
  const live = t.page.locator('#search-status');
  assert.equal(await live.getAttribute('role'), 'status');
  assert.equal(await live.getAttribute('aria-live'), 'polite');
  assert.match(await status(t.page), /^\d+ results for “methadone”$/);
  // The matched word is marked in an excerpt, as an element the script made.
  await t.page.waitForSelector('#search-results li mark');
  assert.equal((await t.page.locator('#search-results li mark').first().textContent()).toLowerCase(), 'methadone');
  await t.assertClean();
});

test('misspellings still find the right pages: "metadone", "counseling", "nethadone"', async () => {
  const t = await openPage(env);
  assert.equal((await search(t, 'q=metadone'))[0], 'Methadone maintenance');
  assert.ok((await search(t, 'q=counseling')).slice(0, 3).includes('Counselling'));
  // A typo in the first letter needs the near-word files.
  assert.equal((await search(t, 'q=nethadone'))[0], 'Methadone maintenance');
  await t.assertClean();
});

test('a prefix finds the word being typed: "bupren" finds buprenorphine', async () => {
  const t = await openPage(env);
  await t.page.goto(`${env.url}/search/`);
  await type(t.page, 'bupren');
  const found = await titles(t.page);
  assert.ok(found[0].startsWith('Buprenorphine'), found.join(' | '));
  assert.ok(found.includes('Buprenorphine with naloxone (Suboxone)'));
  await t.assertClean();
});

test('"detox" narrowed to residential settings shows fewer results and counts per value', async () => {
  const t = await openPage(env);
  const { page } = t;
  await search(t, 'q=detox');
  const all = Number((await status(page)).match(/^\d+/)[0]);
  const residential = page.getByRole('checkbox', { name: /^Residential/ });
  await page.waitForSelector('#search-facets:not([hidden]) .count:not(:empty)');
  const label = page.locator('#search-facets label', { has: residential });
  const count = Number((await label.locator('.count').textContent()).match(/\d+/)[0]);
  assert.ok(count > 0 && count < all, `residential ${count} of ${all}`);

  await residential.check();
  await page.waitForFunction((n) => document.getElementById('search-status').textContent.startsWith(`${n} result`), count);
  // The first five results come first, the next five once their titles are in.
  await page.waitForFunction((n) => document.querySelectorAll('#search-results li').length === n, Math.min(count, 10));
  assert.ok((await titles(page)).includes('Residential rehab'));
  assert.equal(new URL(page.url()).searchParams.get('settings'), 'residential');

  // Back undoes the filter; the URL and the boxes follow.
  await page.goBack();
  await page.waitForFunction((n) => document.getElementById('search-status').textContent.startsWith(`${n} result`), all);
  assert.equal(await residential.isChecked(), false);
  assert.equal(new URL(page.url()).searchParams.get('settings'), null);
  await t.assertClean();
});

test('the URL carries the query, so results can be shared and reloaded', async () => {
  const t = await openPage(env);
  const { page } = t;
  await page.goto(`${env.url}/`);
  // The header's search box is a plain GET form to /search/.
  await page.fill('#site-search-q', 'rehab');
  await page.press('#site-search-q', 'Enter');
  await page.waitForURL(/\/search\/\?q=rehab$/);
  await page.waitForFunction(() => document.getElementById('search-status').textContent.includes('“rehab”'));
  await type(page, 'naloxone');
  assert.equal(new URL(page.url()).searchParams.get('q'), 'naloxone');
  await page.reload();
  await page.waitForFunction(() => document.getElementById('search-status').textContent.includes('“naloxone”'));
  assert.equal(await page.inputValue('#search-q'), 'naloxone');
  await t.assertClean();
});

test('keyboard: arrow keys move from the box through the results, Escape goes back', async () => {
  const t = await openPage(env);
  const { page } = t;
  await search(t, 'q=heroin');
  await page.focus('#search-q');
  await page.keyboard.press('ArrowDown');
  const first = await page.evaluate(() => document.activeElement.textContent);
  assert.equal(first, (await titles(page))[0]);
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), (await titles(page))[1]);
  await page.keyboard.press('Escape');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'search-q');
  await t.assertClean();
});

test('a markup-shaped title is found and shown as text', async () => {
  const t = await openPage(fixture);
  t.page.on('dialog', (d) => { t.problems.push(`dialog: ${d.message()}`); d.dismiss(); });
  const found = await search(t, 'q=onerror', fixture);
  assert.deepEqual(found, ['<img src=x onerror=alert(1)>']);
  assert.equal(await t.page.locator('#search-results img, #search-results script').count(), 0);
  await t.assertClean();
});

test('without JavaScript the page explains itself and links to the A to Z and facet pages', async () => {
  const t = await openPage(env, { javaScriptEnabled: false });
  await t.page.goto(`${env.url}/search/?q=methadone`);
  assert.match(await t.page.textContent('#search-nojs'), /needs JavaScript/);
  const links = await t.page.locator('#search-browse a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(links.includes('/a-z/'), links.join(' '));
  assert.ok(links.includes('/settings/'), links.join(' '));
  await t.assertClean();
});

// Readers' words: the fixture's site.toml maps "gear" to heroin (one way), groups naloxone
// and narcan (every way), maps "cold turkey" to withdrawal (a phrase) and "lapse" to the
// glossary term Relapse.
test('one way: "gear" finds the heroin page, just below the page that says "gear"', async () => {
  const t = await openPage(fixture);
  assert.deepEqual(await search(t, 'q=gear', fixture), ['Street words', 'Opioid treatment']);
  // One way only: "heroin" does not find the page that says "gear".
  assert.deepEqual(await search(t, 'q=heroin', fixture), ['Opioid treatment']);
  // The page word found through the synonym is marked in the excerpt.
  await t.page.waitForSelector('#search-results li mark');
  await t.assertClean();
});

test('every way: "narcan" and "naloxone" each find both pages', async () => {
  const t = await openPage(fixture);
  for (const q of ['narcan', 'naloxone', 'NARCAN']) {
    const found = await search(t, `q=${q}`, fixture);
    assert.deepEqual([...found].sort(), ['Naloxone kits', 'Nasal spray'], `${q}: ${found.join(' | ')}`);
  }
  await t.assertClean();
});

test('a phrase: "cold turkey" finds withdrawal, its words in that order only', async () => {
  const t = await openPage(fixture);
  assert.equal((await search(t, 'q=cold+turkey', fixture))[0], 'Coming off safely');
  assert.equal((await search(t, 'q=Cold,+turkey!', fixture))[0], 'Coming off safely');
  assert.ok(!(await search(t, 'q=turkey+cold', fixture)).includes('Coming off safely'));
  // Typed letter by letter, as readers do.
  await t.page.goto(`${fixture.url}/search/`);
  await type(t.page, 'cold turkey');
  assert.equal((await titles(t.page))[0], 'Coming off safely');
  await t.assertClean();
});

test('a glossary entry\'s other words: "lapse" finds the glossary', async () => {
  const t = await openPage(fixture);
  assert.deepEqual(await search(t, 'q=lapse', fixture), ['Glossary']);
  await t.assertClean();
});

test('on the shipped site, readers\' words find the right pages', async () => {
  const t = await openPage(env);
  const cold = await search(t, 'q=cold+turkey');
  assert.ok(cold.slice(0, 3).some((x) => /detox|withdrawal/i.test(x)), cold.join(' | '));
  const gear = await search(t, 'q=gear');
  assert.match(gear[0], /heroin|opioid|methadone|buprenorphine/i, gear.join(' | '));
  const script = await search(t, 'q=script');
  assert.match(script[0] || '', /prescrib/i, script.join(' | '));
  await t.assertClean();
});

// Numbers and short words (issue 26): each finds the page a reader means. "AA" has no page of
// its own; the Narcotics Anonymous page is the one that names Alcoholics Anonymous (AA).
test('on the shipped site, numbers and short words find their pages', async () => {
  const t = await openPage(env);
  const first = {
    999: /^If someone has collapsed or overdosed$/,
    111: /NHS 111/,
    '12+step': /Narcotics Anonymous|Mutual aid/,
    AA: /Narcotics Anonymous/,
    NA: /^Narcotics Anonymous \(NA\)$/,
    CBT: /^Cognitive behavioural therapy \(CBT\)$/,
    GP: /^Through your GP$/,
  };
  for (const [q, want] of Object.entries(first)) {
    const found = await search(t, `q=${q}`);
    assert.match(found[0] || '', want, `${q}: ${found.join(' | ')}`);
  }
  // "NA" is a word, not the start of naloxone and naltrexone.
  assert.ok(!(await search(t, 'q=NA')).includes('Naltrexone'));
  await t.assertClean();
});

test('a two-letter word is a word once the index has it: "NA" is not "naloxone"', async () => {
  const t = await openPage(fixture);
  assert.deepEqual(await search(t, 'q=NA', fixture), ['Key contacts']);
  // A longer start is still a prefix, as it is typed.
  assert.deepEqual(await search(t, 'q=nal', fixture), ['Naloxone kits']);
  await t.assertClean();
});

// "Key contacts" says "support worker"; "Peer support" has both words apart and one in its title.
test('quoted words match as a phrase; unquoted, words side by side rank first', async () => {
  const t = await openPage(fixture);
  assert.deepEqual(await search(t, 'q=%22support+worker%22', fixture), ['Key contacts']);
  assert.deepEqual(await search(t, 'q=%E2%80%9Csupport+worker%E2%80%9D', fixture), ['Key contacts']);
  assert.deepEqual((await search(t, 'q=support+worker', fixture)).slice(0, 2), ['Key contacts', 'Peer support']);
  // In the other order neither page has them side by side: the title match leads again.
  assert.equal((await search(t, 'q=worker+support', fixture))[0], 'Peer support');
  // A quoted reader's phrase finds its page words; reversed, nothing.
  assert.deepEqual(await search(t, 'q=%22cold+turkey%22', fixture), ['Coming off safely']);
  assert.deepEqual(await search(t, 'q=%22turkey+cold%22', fixture), []);
  // Typed letter by letter, the phrase's last word is a prefix until the quote closes.
  await t.page.goto(`${fixture.url}/search/`);
  await type(t.page, '"support work');
  assert.deepEqual(await titles(t.page), ['Key contacts']);
  await t.assertClean();
});

test('stop words carry the meaning: "how to stop", "what is it"', async () => {
  const t = await openPage(fixture);
  assert.equal((await search(t, 'q=how+to+stop', fixture))[0], 'Key contacts');
  assert.deepEqual(await search(t, 'q=%22how+to+stop%22', fixture), ['Key contacts']);
  // A stop word is not a typo or a prefix of another word in a query with other words.
  assert.deepEqual(await search(t, 'q=gear+the', fixture), ['Street words', 'Opioid treatment']);
  await t.assertClean();
  // Only stop words: titles that have them.
  const s = await openPage(env);
  const what = await search(s, 'q=what+is+it');
  assert.ok(what.includes('What happens in treatment'), what.join(' | '));
  assert.doesNotMatch(await status(s.page), /No results/);
  await s.assertClean();
});

test('no results: says so, offers the closest words and the helpline and emergency line', async () => {
  const t = await openPage(fixture);
  assert.deepEqual(await search(t, 'q=wrkr', fixture), []);
  assert.match(await status(t.page), /^No results for “wrkr”\. Did you mean worker\?/);
  const none = t.page.locator('#search-none');
  assert.ok(await none.isVisible());
  const links = await none.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(links, ['?q=worker', 'tel:03000000000', 'tel:+442079460000']);
  // A quoted phrase with no page offers the words without quotes.
  await search(t, 'q=%22turkey+cold%22', fixture);
  assert.equal(await none.locator('a').first().getAttribute('href'), '?q=turkey+cold');
  // Following a suggestion searches for it; with results, the help is out of the way.
  await t.page.goto(`${fixture.url}/search/?q=wrkr`);
  await t.page.click('#search-none a[href="?q=worker"]');
  await t.page.waitForFunction(() => /results? for “worker”/.test(document.getElementById('search-status').textContent));
  assert.ok(!(await none.isVisible()));
  await t.assertClean();
  // On the shipped site, a misspelling too far off to correct.
  const s = await openPage(env);
  assert.deepEqual(await search(s, 'q=metdone'), []);
  assert.match(await status(s.page), /Did you mean methadone\?/);
  await s.assertClean();
});

test('without JavaScript the search page shows the helpline and the emergency line', async () => {
  const t = await openPage(env, { javaScriptEnabled: false });
  await t.page.goto(`${env.url}/search/?q=xyzzy`);
  const links = await t.page.locator('#search-none a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(links, ['tel:03001236600', 'tel:999']);
  await t.assertClean();
});

// Bytes and requests (issue 26): typed letter by letter in a fresh browser profile (an
// off-the-record context asks for the favicon again at every change of the URL; a profile's
// favicon database is what stops it), no URL is asked for twice, and excerpt text is fetched
// for the first three results only until the others scroll into view.
test('typed letter by letter: no URL twice, and excerpts past the third only after scrolling', async () => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'search-fresh-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, viewport: { width: 390, height: 600 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const page = context.pages()[0] || await context.newPage();
    const asked = [], errors = [];
    page.on('request', (r) => asked.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    const text = () => new Set(asked.filter((u) => /\/search\/t[0-9a-z]{7}\.json$/.test(u))).size;
    await page.goto(`${env.url}/search/`);
    await page.waitForSelector('#search-facets fieldset', { state: 'attached' });
    await page.type('#search-q', 'treatment', { delay: 120 });
    await page.waitForFunction(() => document.getElementById('search-status').textContent.includes('“treatment”'));
    await page.waitForFunction(() => document.querySelectorAll('#search-results li').length === 10);
    await page.waitForSelector('#search-facets .count:not(:empty)', { timeout: 10000 });
    await page.waitForTimeout(500);
    assert.ok(text() >= 1 && text() <= 3, `${text()} text files before scrolling`);
    const before = text();
    await page.locator('#search-results li').last().scrollIntoViewIfNeeded();
    await page.waitForFunction((n) => performance.getEntriesByType('resource').filter((e) => /\/t[0-9a-z]{7}\.json$/.test(e.name)).length > n, before);
    await page.waitForTimeout(500);
    assert.ok(asked.some((u) => u.endsWith('/favicon.svg')), asked.join('\n'));
    const twice = asked.filter((u, i) => asked.indexOf(u) !== i);
    assert.deepEqual(twice, [], `asked twice:\n${twice.join('\n')}`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
});

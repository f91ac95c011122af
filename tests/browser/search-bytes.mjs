// Search benchmark (not a test): the bytes a fresh browser fetches before the first results, a
// query word typed letter by letter into /search/ (as readers search) and opened as
// /search/?q=word, and any URL asked for twice in one page view.
//
//   cargo run --release --example gen-corpus -- 10000 /tmp/s10k 100
//   cargo run --release -- build --root /tmp/s10k --output /tmp/s10k-out
//   node tests/browser/search-bytes.mjs /tmp/s10k-out [queries] [ms per key]
//
// Bytes are response bodies (the test server never compresses) of search.js, the favicon and
// the index files that had arrived when the results for the whole word were shown. Results are
// printed as JSON; docs/benchmarks.md records them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM } from './helpers.mjs';
import { serve } from './server.mjs';

const [dir, count = '12', perKey = '150'] = process.argv.slice(2);
if (!dir) {
  console.error('usage: node tests/browser/search-bytes.mjs SITE_DIR [queries] [ms per key]');
  process.exit(2);
}
const quantile = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))]; };
const summary = (xs) => ({ median: +quantile(xs, 0.5).toFixed(1), p95: +quantile(xs, 0.95).toFixed(1), max: +Math.max(...xs).toFixed(1) });

// Query words: a word of five letters or more from titles spread over the site.
const folder = path.join(dir, 'search');
const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'manifest.json'), 'utf8'));
const stop = new Set(manifest.stop);
const metaIds = manifest.ids.m.match(/.{7}/g);
const words = [];
for (let i = 0; i < +count; i++) {
  const id = metaIds[Math.floor(((i + 0.5) * metaIds.length) / +count)];
  const rows = JSON.parse(fs.readFileSync(path.join(folder, `m${id}.json`), 'utf8'));
  const title = rows[i % rows.length][0].toLowerCase();
  const w = (title.match(/[\p{Alphabetic}\p{N}]+/gu) || []).filter((x) => x.length >= 5 && !stop.has(x))[0];
  words.push(w || 'treatment');
}

const env = await serve(dir);
const counted = (u) => /\/search\/[a-z][0-9a-z]{7}\.(bin|json)$|\/search\/manifest\.json$|\/search\.js$|favicon/.test(u);

/**
 * One page view in a fresh browser profile: bytes before the results for `word`, and URLs
 * asked for twice. (An off-the-record context, such as a private window, asks for the favicon
 * again at every change of the URL: a profile's favicon database is what stops it.)
 */
async function view(word, typed) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'search-bytes-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const page = context.pages()[0] || await context.newPage();
  const asked = new Map();
  page.on('request', (r) => asked.set(r.url(), (asked.get(r.url()) || 0) + 1));
  await page.addInitScript((want) => {
    performance.setResourceTimingBufferSize(5000);
    addEventListener('DOMContentLoaded', () => {
      const status = document.getElementById('search-status');
      new MutationObserver((_, o) => {
        if (status.textContent.includes(want) && document.querySelector('#search-results li')) { window.__first = performance.now(); o.disconnect(); }
      }).observe(status, { childList: true, characterData: true, subtree: true });
    });
  }, `“${word}”`);
  if (typed) {
    await page.goto(`${env.url}/search/`);
    await page.waitForFunction(() => document.querySelector('#search-facets fieldset'));
    await page.type('#search-q', word, { delay: +perKey });
  } else {
    await page.goto(`${env.url}/search/?q=${encodeURIComponent(word)}`);
  }
  await page.waitForFunction(() => window.__first, null, { timeout: 60000 });
  const r = await page.evaluate(() => {
    const first = performance.getEntriesByType('resource').filter((e) => e.responseEnd <= window.__first);
    return first.map((e) => [e.name, e.encodedBodySize]);
  });
  // Later loads (excerpts, facet counts) count for fetching twice, not for the bytes.
  await page.waitForTimeout(2500);
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
  const files = r.filter(([u]) => counted(u));
  const kind = (re) => files.filter(([u]) => re.test(u)).reduce((t, [, b]) => t + b, 0) / 1024;
  return {
    kb: files.reduce((t, [, b]) => t + b, 0) / 1024,
    files: files.length,
    text: kind(/\/t[0-9a-z]{7}\.json$/), facets: kind(/\/f[0-9a-z]{7}\.bin$/), meta: kind(/\/m[0-9a-z]{7}\.json$/),
    shards: kind(/\/[sn][0-9a-z]{7}\.bin$/), fixed: kind(/manifest\.json$|search\.js$/),
    twice: [...asked].filter(([, n]) => n > 1).map(([u, n]) => `${u.replace(env.url, '')} ×${n}`),
  };
}

const results = { pages: manifest.pages, words, ms_per_key: +perKey };
for (const typed of [true, false]) {
  const runs = [];
  for (const w of words) runs.push(await view(w, typed));
  const pick = (k) => summary(runs.map((r) => r[k]));
  results[typed ? 'typed' : 'url'] = {
    kb_before_first_results: pick('kb'), files: pick('files'),
    kb_by_kind_median: Object.fromEntries(['fixed', 'shards', 'meta', 'text', 'facets'].map((k) => [k, pick(k).median])),
    asked_twice: [...new Set(runs.flatMap((r) => r.twice))].slice(0, 12),
  };
}
await env.close();
console.log(JSON.stringify(results, null, 2));

// Search benchmark (not a test): index size and files, then in headless Chromium the bytes and
// round trips before the first result of a cold query on an emulated slow 4G link, keystroke-to-
// results latency with the index files cached, and how often a typo still finds the page.
//
//   cargo run --release --example gen-corpus -- 10000 /tmp/c10k
//   cargo run --release -- build --root /tmp/c10k --output /tmp/c10k-out
//   node tests/browser/search-bench.mjs /tmp/c10k-out [cold queries] [typo queries]
//
// Results are printed as JSON; docs/benchmarks.md records them.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { start } from './helpers.mjs';

const [dir, coldCount = '30', typoCount = '200'] = process.argv.slice(2);
if (!dir) {
  console.error('usage: node tests/browser/search-bench.mjs SITE_DIR [cold queries] [typo queries]');
  process.exit(2);
}
const gz = (file) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
const quantile = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))]; };
const summary = (xs) => ({ median: +quantile(xs, 0.5).toFixed(1), p95: +quantile(xs, 0.95).toFixed(1), max: +Math.max(...xs).toFixed(1) });

// The index on disk.
const folder = fs.readdirSync(path.join(dir, 'search')).map((f) => path.join(dir, 'search', f)).find((f) => fs.statSync(f).isDirectory());
const names = fs.readdirSync(folder);
const sizes = Object.fromEntries(names.map((n) => [n, { raw: fs.statSync(path.join(folder, n)).size, gzip: gz(path.join(folder, n)) }]));
const kind = (prefix) => {
  const files = names.filter((n) => n.startsWith(prefix) && n !== 'manifest.json');
  return { files: files.length, raw: summary(files.map((n) => sizes[n].raw / 1024)), gzip: summary(files.map((n) => sizes[n].gzip / 1024)) };
};
const sum = (key) => names.reduce((t, n) => t + sizes[n][key], 0);
const script = path.join(dir, 'search.js');
const index = {
  files: names.length,
  total_kb: { raw: +(sum('raw') / 1024).toFixed(0), gzip: +(sum('gzip') / 1024).toFixed(0) },
  script_kb: { raw: +(fs.statSync(script).size / 1024).toFixed(1), gzip: +(gz(script) / 1024).toFixed(1) },
  manifest_kb: { raw: +(sizes['manifest.json'].raw / 1024).toFixed(1), gzip: +(sizes['manifest.json'].gzip / 1024).toFixed(1) },
  shards_kb: kind('s'), near_kb: kind('n'), metadata_kb: kind('m'), text_kb: kind('t'),
  facets_kb: { raw: +(sizes['facets.bin'].raw / 1024).toFixed(1), gzip: +(sizes['facets.bin'].gzip / 1024).toFixed(1) },
};
const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'manifest.json'), 'utf8'));

// Queries: words of ≥ 4 letters from page titles, spread evenly over the pages.
const meta = names.filter((n) => /^m\d+\.json$/.test(n)).sort((a, b) => parseInt(a.slice(1)) - parseInt(b.slice(1)))
  .flatMap((n) => JSON.parse(fs.readFileSync(path.join(folder, n), 'utf8')));
const stop = new Set(manifest.stop);
const titleWords = (t) => (t.toLowerCase().match(/[\p{Alphabetic}\p{N}]+/gu) || []).filter((w) => w.length >= 4 && !stop.has(w));
let seed = 12345;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const sample = (n) => Array.from({ length: n }, (_, i) => meta[Math.floor(((i + 0.5) * meta.length) / n)]);
const typo = (w) => {
  const i = Math.floor(random() * w.length), c = 'abcdefghijklmnopqrstuvwxyz'[Math.floor(random() * 26)];
  switch (Math.floor(random() * 4)) {
    case 0: return w.slice(0, i) + c + w.slice(i + 1) === w ? w.slice(0, i) + w.slice(i + 1) : w.slice(0, i) + c + w.slice(i + 1);
    case 1: return w.slice(0, i) + w.slice(i + 1);
    case 2: return w.slice(0, i) + c + w.slice(i);
    default: return i < w.length - 1 && w[i] !== w[i + 1] ? w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2) : w.slice(0, i) + w.slice(i + 1);
  }
};

const env = await start(dir);
const results = { pages: manifest.pages, index };

// Cold queries: a fresh context each, slow 4G (150 ms round trip, 1.6 Mbit/s down).
{
  const bytes = [], trips = [], times = [], files = [];
  for (const row of sample(+coldCount)) {
    const word = titleWords(row[0])[0] || 'treatment';
    const context = await env.browser.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 200000, uploadThroughput: 93750 });
    await page.addInitScript(() => {
      new MutationObserver((_, o) => {
        if (document.querySelector('#search-results li')) { window.__first = performance.now(); o.disconnect(); }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(`${env.url}/search/?q=${encodeURIComponent(word)}`);
    await page.waitForFunction(() => window.__first, null, { timeout: 60000 });
    // Resource timing, relative to the navigation: a request is one round trip after the
    // latest one that had finished when it began; the page itself is the first.
    const r = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const all = [{ name: nav.name, startTime: 0, responseEnd: nav.responseEnd, size: 0 }]
        .concat(performance.getEntriesByType('resource').map((e) => ({ name: e.name, startTime: e.startTime, responseEnd: e.responseEnd, size: e.encodedBodySize })))
        .filter((e) => e.responseEnd <= window.__first);
      all.sort((a, b) => a.startTime - b.startTime);
      for (const e of all) e.wave = 1 + Math.max(0, ...all.filter((o) => o !== e && o.wave && o.responseEnd <= e.startTime).map((o) => o.wave));
      const counted = all.filter((e) => /\/search\/[0-9a-f]+\/|\/search\.js$/.test(e.name));
      return { bytes: counted.reduce((t, e) => t + e.size, 0), trips: Math.max(...all.map((e) => e.wave)), first: window.__first, files: counted.length };
    });
    bytes.push(r.bytes / 1024);
    trips.push(r.trips - 1);
    times.push(r.first);
    files.push(r.files);
    await context.close();
  }
  results.cold = { queries: bytes.length, bytes_before_first_result_kb_raw: summary(bytes), files_before_first_result: summary(files), round_trips_after_the_page: summary(trips), ms_to_first_result_slow4g: summary(times) };
}

// Warm keystrokes: each word typed once to load its files, then again, timing every keystroke
// from the input event to the results being in the page.
{
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.url}/search/`);
  await page.waitForFunction(() => document.querySelector('#search-facets fieldset'));
  const words = sample(40).map((r) => titleWords(r[0])[0] || 'treatment');
  const lat = await page.evaluate(async (words) => {
    const input = document.getElementById('search-q'), list = document.getElementById('search-results');
    const status = document.getElementById('search-status');
    const keystroke = (value) => new Promise((resolve) => {
      const o = new MutationObserver(() => { o.disconnect(); resolve(performance.now() - t); });
      o.observe(list, { childList: true });
      o.observe(status, { childList: true, characterData: true, subtree: true });
      input.value = value;
      const t = performance.now();
      input.dispatchEvent(new Event('input'));
    });
    const out = [];
    for (const pass of [0, 1]) {
      for (const w of words) {
        for (let i = 1; i <= w.length; i++) {
          const ms = await keystroke(w.slice(0, i));
          if (pass) out.push(ms);
          await new Promise((r) => setTimeout(r, pass ? 5 : 30));
        }
      }
    }
    return out;
  }, words);
  results.warm_keystroke_ms = { keystrokes: lat.length, ...summary(lat) };
  await context.close();
}

// Typos: a page's title with one edit in one word of four letters or more; does the page still
// come in the top five? And for single title words, how many of the top five stay the same?
{
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.url}/search/`);
  await page.waitForFunction(() => document.querySelector('#search-facets fieldset'));
  const top5 = (q) => page.evaluate(async (q) => {
    const input = document.getElementById('search-q'), status = document.getElementById('search-status');
    input.value = q + ' ';
    input.dispatchEvent(new Event('input'));
    const want = `“${q}”`;
    for (let i = 0; i < 400 && !status.textContent.includes(want); i++) await new Promise((r) => setTimeout(r, 10));
    return [...document.querySelectorAll('#search-results li > a')].slice(0, 5).map((a) => a.getAttribute('href'));
  }, q);
  let titleHits = 0, exactHits = 0, overlap = 0, n = 0;
  const misses = [];
  for (const row of sample(+typoCount)) {
    const words = titleWords(row[0]);
    if (!words.length) continue;
    const w = words[Math.floor(random() * words.length)], bad = typo(w);
    const lower = row[0].toLowerCase();
    if ((await top5(lower)).includes(row[1])) exactHits++;
    if ((await top5(lower.replace(w, bad))).includes(row[1])) titleHits++;
    else if (misses.length < 12) misses.push(`${lower.replace(w, bad)} (${w})`);
    const good = await top5(w), wrong = await top5(bad);
    overlap += good.filter((u) => wrong.includes(u)).length / Math.max(1, Math.min(5, good.length));
    n++;
  }
  if (n) results.typos = { queries: n, title_found_in_top5_exact: +(exactHits / n).toFixed(3), title_found_in_top5_one_typo: +(titleHits / n).toFixed(3), word_top5_overlap: +(overlap / n).toFixed(3), misses };
  await context.close();
}

await env.close();
console.log(JSON.stringify(results, null, 2));

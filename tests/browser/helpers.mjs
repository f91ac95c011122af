// Shared by the browser tests: start Debian's Chromium through playwright-core (never a browser
// Playwright downloads), serve a built site, and watch every page for CSP violations, script
// errors and requests that leave the origin (which never reach the network: they are answered
// or refused inside the browser).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './server.mjs';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
/** The repository root, where node_modules is. */
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The built site a test file serves: env SITE_DIR, or another env variable's folder. */
export function siteDir(variable = 'SITE_DIR') {
  const dir = process.env[variable];
  assert.ok(dir, `set ${variable} to a built site (cargo test --test browser does this)`);
  assert.ok(fs.existsSync(path.join(dir, 'compare', 'index.html')), `${variable}=${dir} has no compare/index.html`);
  return dir;
}

export function readMatrix(dir) {
  return JSON.parse(fs.readFileSync(path.join(dir, 'compare', 'matrix.json'), 'utf8'));
}

/**
 * Every HTML file of a built site as the URL path a reader asks for ("/", "/a/b/", "/404.html"),
 * sorted; a non-ASCII path is percent-encoded, as a browser sends it.
 */
export function htmlPaths(dir) {
  return fs.readdirSync(dir, { recursive: true })
    .map((file) => file.split(path.sep).join('/'))
    .filter((file) => file.endsWith('.html'))
    .sort()
    .map((file) => encodeURI('/' + file.replace(/(^|\/)index\.html$/, '$1')));
}

/** Debian's headless Chromium. */
export async function launch() {
  assert.ok(fs.existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/** A browser and a server for one test file; `close()` stops both. */
export async function start(dir) {
  const server = await serve(dir);
  const browser = await launch();
  return {
    url: server.url,
    browser,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/** The page a test's outside request gets instead of the real one. */
const ELSEWHERE = '<!DOCTYPE html><html lang="en"><title>Elsewhere</title><p>Another site</p></html>';

/**
 * A page in a new context that records problems: console errors, uncaught errors, CSP
 * violations and any request to another origin. Call `assertClean()` at the end of a test.
 *
 * No request for another origin reaches the network: each is recorded in `outside` and refused,
 * or, if its URL is in `options.allowOutside`, answered with a blank local page and not counted
 * as a problem (for the quick-exit link's destination). `env` is `{ url, browser }`.
 */
export async function openPage(env, options = {}) {
  const { allowOutside = [], ...contextOptions } = options;
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 }, ...contextOptions });
  const page = await context.newPage();
  const problems = [], requests = [], outside = [];
  const local = (url) => url.startsWith(env.url + '/');
  await context.route((url) => !local(url.href), (route) => {
    const url = route.request().url();
    outside.push(url);
    return allowOutside.includes(url)
      ? route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: ELSEWHERE })
      : route.abort('blockedbyclient');
  });
  page.on('console', (m) => {
    // The browser asks for /favicon.ico by itself (the theme has none): same origin, not the page's doing.
    if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) {
      problems.push(`console error: ${m.text()} at ${m.location().url}`);
    }
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  page.on('request', (r) => {
    requests.push(r.url());
    if (!local(r.url()) && !allowOutside.includes(r.url())) problems.push(`request left the origin: ${r.url()}`);
  });
  // Runs before the page's own scripts, through the DevTools protocol, so the CSP does not block it.
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
    });
  });
  return {
    page,
    context,
    problems,
    requests,
    outside,
    async assertClean() {
      // With JavaScript off the init script cannot run, so violations only show as console errors.
      const violations = options.javaScriptEnabled === false ? [] : await page.evaluate(() => window.__violations);
      assert.deepEqual([...problems, ...violations.map((v) => `CSP: ${v}`)], [], 'the page had problems');
      await context.close();
    },
  };
}

/** Ids of the table rows a reader can see, in order. */
export function visibleRowIds(page) {
  return page.$$eval('#matrix tbody tr', (rows) => rows.filter((r) => !r.hidden && r.offsetParent !== null).map((r) => r.dataset.id));
}

export function statusText(page) {
  return page.textContent('#matrix-status');
}

/** Query string values as the script writes them: ?a=x,y&ids=p,q. */
export function params(page) {
  const q = new URL(page.url()).searchParams;
  return Object.fromEntries([...q.keys()].map((k) => [k, q.get(k).split(',')]));
}

// Shared by the browser tests: start Debian's Chromium through playwright-core (never a browser
// Playwright downloads), serve a built site, and watch every page for CSP violations, script
// errors and requests that leave the origin.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from './server.mjs';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

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

/** A browser and a server for one test file; `close()` stops both. */
export async function start(dir) {
  assert.ok(fs.existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: apt-get install -y chromium`);
  const server = await serve(dir);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  return {
    url: server.url,
    browser,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/**
 * A page in a new context that records problems: console errors, uncaught errors, CSP
 * violations and any request to another origin. Call `assertClean()` at the end of a test.
 */
export async function openPage(env, options = {}) {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  const problems = [], requests = [];
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
    if (!r.url().startsWith(env.url + '/')) problems.push(`request left the origin: ${r.url()}`);
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

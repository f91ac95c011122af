// Live reload in a real browser (issue 5): the real `signpost serve` (SIGNPOST_BIN) on a copy of
// tests/browser/live-fixture, served under /guidance/, with a page whose address is not ASCII.
// The test edits files on disk and never reloads the page itself: the dev server's script
// (src/serve/livereload.js) must show new text and keep the scroll position, show a build error
// over the last good page and take it away when fixed, and swap a stylesheet without a reload.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO, launch, openPage } from './helpers.mjs';

const BIN = process.env.SIGNPOST_BIN;
const PAGE = '/guidance/notes/caf%C3%A9/';
const NOTE = 'content/notes/café.md';
const OVERLAY = '#signpost-error-overlay';

let root, server, env, output = '';

/** The note's source: front matter, one line that the test changes, then enough to scroll. */
function note(line, frontMatter = 'title = "Café note"\nsummary = "A note whose address is not plain ASCII."') {
  const filler = Array.from({ length: 60 }, (_, i) => `Paragraph ${i + 1} keeps the page long enough to scroll.`);
  return `+++\n${frontMatter}\n+++\n\n${line}\n\n${filler.join('\n\n')}\n`;
}

const write = (relative, text) => fs.writeFileSync(path.join(root, relative), text);

before(async () => {
  assert.ok(BIN && fs.existsSync(BIN), 'set SIGNPOST_BIN to the signpost binary (cargo test --test browser does this)');
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-live-'));
  fs.cpSync(path.join(REPO, 'tests/browser/live-fixture'), root, { recursive: true });
  // The site's own static/style.css takes the place of the theme's, so the test can edit the
  // stylesheet that every page links.
  fs.mkdirSync(path.join(root, 'static'), { recursive: true });
  fs.copyFileSync(path.join(REPO, 'themes/default/static/style.css'), path.join(root, 'static/style.css'));
  write(NOTE, note('The first version of the note.'));

  server = spawn(BIN, ['serve', '--root', root, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  server.stderr.on('data', (d) => { output += d; });
  const origin = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`signpost serve printed no address:\n${output}`)), 20000);
    server.on('exit', (code) => reject(new Error(`signpost serve exited (${code}):\n${output}`)));
    server.stdout.on('data', (d) => {
      output += d;
      const found = output.match(/Serving at (http:\/\/127\.0\.0\.1:\d+)\/guidance\//);
      if (found) { clearTimeout(timer); resolve(found[1]); }
    });
  });
  env = { url: origin, browser: await launch() };
});

after(async () => {
  await env?.browser.close();
  server?.kill();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

/** A page open at PAGE, once its live-reload script is listening. */
async function openNote() {
  const p = await openPage(env);
  const listening = p.page.waitForResponse((r) => r.url() === `${env.url}/__signpost/events`);
  await p.page.goto(env.url + PAGE);
  await listening;
  return p;
}

/** Polls `read()` in the page until `ok(value)`; the page may reload meanwhile. */
async function eventually(page, read, ok, what, ms = 15000) {
  const deadline = Date.now() + ms;
  let value;
  for (;;) {
    try { value = await page.evaluate(read); } catch { value = undefined; } // mid-reload
    if (ok(value)) return value;
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}; last saw ${JSON.stringify(value)}\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('an edited page shows its new text by itself and keeps the scroll position', { timeout: 60_000 }, async () => {
  const { page, assertClean } = await openNote();
  await page.getByText('The first version of the note.').waitFor();
  await page.evaluate(() => window.scrollTo(0, 900));
  const scrolled = await page.evaluate(() => window.scrollY);
  assert.ok(scrolled > 800, `the page scrolled: ${scrolled}`);
  await page.evaluate(() => { window.__before = true; });

  write(NOTE, note('The second version of the note.'));
  await page.getByText('The second version of the note.').waitFor({ state: 'attached', timeout: 15000 });
  assert.equal(await page.evaluate(() => window.__before), undefined, 'the page itself reloaded');
  await eventually(page, () => window.scrollY, (y) => Math.abs(y - scrolled) <= 2, `scrollY back at ${scrolled}`);
  await assertClean();
});

test('a broken front matter shows the error over the last good page; fixing it shows the fix', { timeout: 60_000 }, async () => {
  const { page, assertClean } = await openNote();
  await page.getByText('The second version of the note.').waitFor();

  write(NOTE, note('The broken version.', 'title = "Café note\nsummary = "An unterminated string."'));
  const overlay = page.locator(OVERLAY);
  await overlay.waitFor({ timeout: 15000 });
  const text = await overlay.innerText();
  assert.match(text, /content[\\/]notes[\\/]café\.md:2(:\d+)?/, `the overlay names the file and line:\n${text}`);
  assert.equal(await page.getByRole('alertdialog').count(), 1, 'the overlay is an alert dialog');
  // The last good page stays, in the tab and on the server.
  assert.equal(await page.getByText('The second version of the note.').count(), 1);
  const served = await page.request.get(env.url + PAGE);
  assert.equal(served.status(), 200);
  assert.match(await served.text(), /The second version of the note\./);

  // The overlay can be dismissed, and comes back with the next failed build.
  await page.getByRole('button', { name: 'Dismiss' }).click();
  assert.equal(await overlay.count(), 0, 'dismissed');
  write(NOTE, note('Still broken.', 'title = "Café note\nsummary = "Still unterminated."'));
  await overlay.waitFor({ timeout: 15000 });

  // Put back exactly as it was: no page changes, and the overlay still goes.
  write(NOTE, note('The second version of the note.'));
  await eventually(page, () => document.querySelector('#signpost-error-overlay') === null, (gone) => gone === true, 'the overlay to go after a revert');
  write(NOTE, note('Broken once more.', 'title = "Café note\nsummary = "Unterminated."'));
  await overlay.waitFor({ timeout: 15000 });

  write(NOTE, note('The fixed version of the note.'));
  await page.getByText('The fixed version of the note.').waitFor({ state: 'attached', timeout: 15000 });
  await eventually(page, () => document.querySelector('#signpost-error-overlay') === null, (gone) => gone === true, 'the overlay to go');
  await assertClean();
});

test('a stylesheet change applies without reloading the page', { timeout: 60_000 }, async () => {
  const { page, assertClean } = await openNote();
  const border = () => getComputedStyle(document.body).borderTopColor;
  assert.notEqual(await page.evaluate(border), 'rgb(1, 2, 3)');
  await page.evaluate(() => { window.__marker = 'still here'; });

  const css = fs.readFileSync(path.join(root, 'static/style.css'), 'utf8');
  write('static/style.css', `${css}\nbody { border-top: 7px solid rgb(1, 2, 3); }\n`);
  await eventually(page, border, (c) => c === 'rgb(1, 2, 3)', 'the new rule to apply');
  assert.equal(await page.evaluate(() => window.__marker), 'still here', 'the page was not reloaded');
  assert.equal(await page.locator('link[rel="stylesheet"]').count(), 1, 'one stylesheet link, not two');
  // An unrelated page's edit does not reload this one.
  write('content/notes/other.md', '+++\ntitle = "Other note"\n+++\n\nChanged elsewhere.\n');
  // Asked from here, not from the page: a page reloads when a file it has fetched changes.
  for (const deadline = Date.now() + 15000; ;) {
    const other = await page.request.get(`${env.url}/guidance/notes/other/`);
    if (/Changed elsewhere/.test(await other.text())) break;
    assert.ok(Date.now() < deadline, `the other page was not rebuilt:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__marker), 'still here', 'another page\'s edit left this one alone');
  await assertClean();
});

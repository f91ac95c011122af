// Accessibility and validity of the shipped site in SITE_DIR (issue 6): axe-core's WCAG 2.0,
// 2.1 and 2.2 A and AA rules on every HTML page in light and dark colour schemes, in headless
// Chromium; and the Nu Html Checker (the npm package vnu-jar, run with Java) over every HTML
// file, and the stylesheets and SVG, in one JVM. The fixture in FIXTURE_SITE_DIR is checked the
// same way: its markup-shaped titles, a page of every callout kind, and an emergency line with a
// page link, which the shipped site does not have.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO, htmlPaths, openPage, readMatrix, siteDir, start } from './helpers.mjs';

const dir = siteDir();
const fixtureDir = siteDir('FIXTURE_SITE_DIR');
const AXE = path.join(REPO, 'node_modules', 'axe-core', 'axe.min.js');
const VNU = path.join(REPO, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
// axe-core has no WCAG 2.2 level A rules yet; 'wcag22a' picks them up when it does.
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

let env, fixture;
before(async () => {
  env = await start(dir);
  fixture = await start(fixtureDir);
});
after(async () => {
  await env?.close();
  await fixture?.close();
});

/**
 * Every page of a built site, and its compare page as its script leaves it with filters on and
 * two options side by side.
 */
function pagesOf(site) {
  const matrix = readMatrix(site);
  return [...htmlPaths(site), `/compare/?ids=${matrix.rows.slice(0, 2).map((r) => r.id).join(',')}`];
}

test('axe-core finds no WCAG 2.x A or AA violation on any page, in light or dark', { timeout: 150_000 }, async () => {
  await assertNoAxeViolations(env, pagesOf(dir));
});

test('axe-core finds no violation on the fixture\'s pages either', { timeout: 60_000 }, async () => {
  await assertNoAxeViolations(fixture, pagesOf(fixtureDir));
});

/**
 * A site of 23 guidance pages with `[lists] page_size = 10`, built with the real binary: its
 * facet value's list runs over three numbered pages and its A to Z has a page per letter.
 */
function buildLongListSite() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-lists-'));
  const write = (file, text) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  write('site.toml', `title = "Lists"
base_url = "/"
[lists]
page_size = 10
[vocabularies.treatment_type]
name = "Kind of help"
[[vocabularies.treatment_type.values]]
id = "talking"
label = "Talking"
[[sources]]
id = "src"
title = "A source"
publisher_type = "charity"
`);
  write('content/_index.md', '+++\ntitle = "Home"\n+++\nWelcome.\n');
  write('content/help/_index.md', '+++\ntitle = "Help"\nguidance = true\n+++\n');
  for (let i = 0; i < 23; i++) {
    const title = `${i < 12 ? 'Option' : 'Idea'} ${String(i).padStart(2, '0')}`;
    write(`content/help/page-${i}.md`, `+++\ntitle = "${title}"\nsummary = "About ${title}."\n` +
      'treatment_type = "talking"\nsources = ["src"]\nlast_reviewed = 2026-01-01\nnext_review = 2027-01-01\n+++\n\nText.\n');
  }
  const built = spawnSync(process.env.SIGNPOST_BIN, ['build', '--root', root], { encoding: 'utf8' });
  assert.equal(built.status, 0, `signpost build failed:\n${built.stderr}`);
  return path.join(root, 'public');
}

test('axe-core finds no violation on the pages of long lists (numbered pages, letters)', { timeout: 60_000 }, async () => {
  assert.ok(process.env.SIGNPOST_BIN, 'set SIGNPOST_BIN (cargo test --test browser does)');
  const site = buildLongListSite();
  const lists = await start(site);
  try {
    const paths = ['/treatment-type/talking/', '/treatment-type/talking/2/', '/treatment-type/talking/3/',
      '/a-z/', '/a-z/o/', '/a-z/o/2/'];
    for (const p of paths) assert.ok(htmlPaths(site).includes(p), `the long-list site has no ${p}`);
    await assertNoAxeViolations(lists, paths);
  } finally {
    await lists.close();
    fs.rmSync(path.dirname(site), { recursive: true, force: true });
  }
});

/** Runs axe-core on each of `paths` of a served site (from `start`), in light and dark. */
async function assertNoAxeViolations(site, paths) {
  assert.ok(fs.existsSync(AXE), `no ${AXE}: run \`npm ci\``);
  // Injected from the file through the DevTools protocol, which the page's CSP does not govern.
  const axeSource = fs.readFileSync(AXE, 'utf8');
  const violations = [];
  const checked = new Set();
  const { page, context, assertClean } = await openPage(site);
  // Two tabs share the work: the machine has two cores.
  const second = await context.newPage();
  const queue = [...paths];
  const worker = async (tab) => {
    for (let p = queue.shift(); p !== undefined; p = queue.shift()) {
      const response = await tab.goto(site.url + p);
      assert.ok(response.ok() || p === '/404.html', `${p}: HTTP ${response.status()}`);
      await tab.evaluate(axeSource);
      for (const colorScheme of ['light', 'dark']) {
        await tab.emulateMedia({ colorScheme });
        // Colours are checked once they have settled: a row the script marks fades in.
        await tab.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => {}))));
        const result = await tab.evaluate((tags) => window.axe.run(document, {
          runOnly: { type: 'tag', values: tags },
          resultTypes: ['violations'],
        }), TAGS);
        checked.add(`${p} ${colorScheme}`);
        for (const v of result.violations) {
          const where = v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join('; ');
          violations.push(`${p} [${colorScheme}] ${v.id} (${v.impact}): ${v.help}: ${where}`);
        }
      }
    }
  };
  await Promise.all([worker(page), worker(second)]);
  assert.equal(checked.size, paths.length * 2, 'every page was checked in both schemes');
  violations.sort();
  const shown = violations.slice(0, 60).join('\n');
  const more = violations.length > 60 ? `\n…and ${violations.length - 60} more` : '';
  assert.equal(violations.length, 0, `axe-core found ${violations.length} violations (page [scheme] rule):\n${shown}${more}`);
  await assertClean();
}

test('the Nu Html Checker finds no error in any HTML file, stylesheet or SVG', () => {
  assert.ok(fs.existsSync(VNU), `no ${VNU}: run \`npm ci\``);
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  assert.ok(!java.error, 'no `java` on PATH: apt-get install -y default-jre-headless (.ci/run does)');

  const filesOf = (site) => fs.readdirSync(site, { recursive: true })
    .filter((f) => /\.(html|css|svg)$/.test(f))
    .sort()
    .map((f) => path.join(site, f));
  const files = [...filesOf(dir), ...filesOf(fixtureDir)];
  assert.ok(files.filter((f) => f.endsWith('.html')).length === htmlPaths(dir).length + htmlPaths(fixtureDir).length);
  // One JVM for every file: starting Java is most of the time.
  const result = spawnSync(
    'java',
    ['-jar', VNU, '--errors-only', '--also-check-css', '--also-check-svg', '--format', 'gnu', ...files],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
  );
  assert.ok(!result.error, `java -jar vnu.jar did not run: ${result.error}`);
  const report = `${result.stdout}${result.stderr}`.split(fixtureDir).join('fixture:').split(dir).join('');
  assert.equal(result.status, 0, `the Nu Html Checker reported errors:\n${report}`);
  assert.equal(report.trim(), '', 'the Nu Html Checker printed messages');
});

'use strict';
// Lighthouse (npm `lighthouse`, pinned in package.json) on Debian's
// Chromium over the sample portal served by lib/server.js: the home page,
// the challenge list, a challenge, a term page and the 404 page, each with
// Lighthouse's mobile preset (a mid-range phone on a slow 4G connection,
// simulated) and its desktop preset. Every page must score at least 0.95 in
// performance, accessibility, best practices and SEO.
//
// The 404 page is the exception in SEO, and rightly: it carries
// `<meta name="robots" content="noindex">` so that no search engine lists
// an error page, and Lighthouse's SEO audit `is-crawlable` ("page is
// blocked from indexing") fails any such page. For it every other SEO
// audit must pass instead of the category's score. Lighthouse will not
// audit a document answered with the status 404 (ERRORED_DOCUMENT_REQUEST),
// so the page is audited at its own file, 404.html: the same bytes a server
// sends with the status 404 for an address that does not exist.
//
// Reliability: throttling is Lighthouse's own simulation (the network and
// CPU of the preset are modelled from one unthrottled load, so a busy
// machine moves the scores little), and a page whose performance score is
// below the bound is measured again, at most twice more, keeping the best
// run: a slow moment of a shared machine is not a slow page, while a page
// that is slow every time still fails. Nothing else is retried.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { setUp } = require('./lib/setup');
const { CHROMIUM } = require('./lib/browser');

const BOUND = 0.95;
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
/** Runs of one page and preset at most: the first and two more. */
const MAX_RUNS = 3;
/** Audits the 404 page fails by design (see the top of this file). */
const NOT_FOUND_EXEMPT = ['is-crawlable'];

const PAGES = [
  { name: 'home', path: '' },
  { name: 'list', path: 'challenges/' },
  { name: 'challenge', path: 'challenges/klimatavtryck-offentlig-konsumtion/' },
  { name: 'term', path: 'tags/klimat/' },
  { name: '404', path: '404.html', notFound: true },
];

let env;
let chrome;
let lighthouse;
let presets;
before(async () => {
  env = await setUp();
  lighthouse = (await import('lighthouse')).default;
  const desktop = (await import('lighthouse/core/config/desktop-config.js')).default;
  presets = { mobile: undefined, desktop };
  const { launch } = await import('chrome-launcher');
  chrome = await launch({
    chromePath: CHROMIUM,
    userDataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'utlys-lighthouse-profile-')),
    chromeFlags: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
});
after(async () => {
  if (chrome) {
    const dir = chrome.userDataDir;
    await chrome.kill();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
  await env?.close();
});

/** One Lighthouse run of `url` with `preset`: its result (the LHR). */
async function audit(url, preset) {
  const flags = { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: CATEGORIES };
  const result = await lighthouse(url, flags, presets[preset]);
  if (!result || result.lhr.runtimeError) {
    throw new Error(`${url}: Lighthouse failed: ${JSON.stringify(result?.lhr.runtimeError)}`);
  }
  return result.lhr;
}

/** The category scores of `lhr`, by id. */
const scores = (lhr) => Object.fromEntries(CATEGORIES.map((c) => [c, lhr.categories[c].score]));

/** The failing audits of `category` in `lhr`, as `id (score): title`. */
function failing(lhr, category) {
  return lhr.categories[category].auditRefs
    .filter((ref) => ref.weight > 0 || category === 'seo')
    .map((ref) => lhr.audits[ref.id])
    .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== 'informative' && a.scoreDisplayMode !== 'manual')
    .map((a) => `${a.id} (${a.score}): ${a.title}${a.displayValue ? ` – ${a.displayValue}` : ''}`);
}

/**
 * Runs `page` with `preset`, again (at most MAX_RUNS in all) while the
 * performance score is below the bound; the run with the best one.
 */
async function bestRun(t, page, preset) {
  const url = `${env.sites.sample.baseUrl}${page.path}`;
  let best = null;
  for (let run = 1; run <= MAX_RUNS; run += 1) {
    const lhr = await audit(url, preset);
    const s = scores(lhr);
    t.diagnostic(`${page.name} (${preset}) run ${run}: ${CATEGORIES.map((c) => `${c} ${s[c]}`).join(', ')}; CLS ${lhr.audits['cumulative-layout-shift'].numericValue.toFixed(3)}`);
    if (s.performance < 1) t.diagnostic(`  performance audits short of full marks: ${failing(lhr, 'performance').join('; ')}`);
    if (!best || s.performance > best.categories.performance.score) best = lhr;
    if (s.performance >= BOUND) break;
  }
  return best;
}

for (const preset of ['mobile', 'desktop']) {
  test(`Lighthouse ${preset}: every page scores at least ${BOUND} in each category`, async (t) => {
    const problems = [];
    for (const page of PAGES) {
      const lhr = await bestRun(t, page, preset);
      for (const category of CATEGORIES) {
        if (page.notFound && category === 'seo') {
          const left = failing(lhr, 'seo').filter((f) => !NOT_FOUND_EXEMPT.some((id) => f.startsWith(`${id} `)));
          const exempt = NOT_FOUND_EXEMPT.map((id) => lhr.audits[id].score);
          // The exemption is real: the page is noindex.
          if (exempt.some((s) => s !== 0)) problems.push(`${page.name}: expected ${NOT_FOUND_EXEMPT} to fail, scores ${exempt}`);
          if (left.length) problems.push(`${page.name} (${preset}) seo: ${left.join('; ')}`);
          continue;
        }
        const score = lhr.categories[category].score;
        if (score < BOUND) {
          problems.push(`${page.name} (${preset}) ${category} ${score}: ${failing(lhr, category).join('; ')}`);
        }
      }
    }
    assert.deepEqual(problems, [], problems.join('\n'));
  });
}

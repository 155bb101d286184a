'use strict';
// The challenge list does not move under the reader while it loads: the
// script adds the search form into a place the page has kept for it, so
// the cumulative layout shift stays below 0.1 (Core Web Vitals' "good") on
// a phone and a desktop. Measured in Chromium with a PerformanceObserver
// for `layout-shift` entries, as Lighthouse counts them (shifts after a
// reader's own input excluded), from the first paint until the page has
// been still for a while, with the script held back as a slow connection
// would.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { setUp } = require('./lib/setup');
const { launch } = require('./lib/browser');

const VIEWPORTS = [
  { name: 'phone', width: 375, height: 667 },
  { name: 'tablet', width: 768, height: 1024 },
  { name: 'desktop', width: 1280, height: 900 },
];
const BOUND = 0.1;
/** How long the theme's script is held back (see `cumulativeShift`). */
const SCRIPT_DELAY_MS = 600;

let env;
let context;
before(async () => {
  env = await setUp();
  context = await launch();
});
after(async () => {
  await context?.close();
  await env?.close();
});

/** Sums every layout shift without recent input, from the start of the page. */
function observeShifts() {
  window.__utlysShifts = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (!entry.hadRecentInput) {
        window.__utlysShifts.push({
          value: entry.value,
          sources: (entry.sources || []).map((s) => (s.node && s.node.nodeName) || '?'),
        });
      }
    }
  }).observe({ type: 'layout-shift', buffered: true });
}

/** The cumulative layout shift of `url` in `viewport`, once the page is still. */
async function cumulativeShift(url, viewport) {
  const page = await context.newPage();
  try {
    await page.setViewportSize(viewport);
    await page.addInitScript(observeShifts);
    // As on a slow connection: the page is painted before its script has
    // arrived, so whatever the script adds comes after the first paint.
    await page.route(/\/static\/utlys\.[0-9a-f]+\.js$/, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, SCRIPT_DELAY_MS));
      await route.continue();
    });
    const response = await page.goto(url, { waitUntil: 'networkidle' });
    assert.equal(response.status(), 200, `${url}: HTTP ${response.status()}`);
    // The form is there (the script ran) and the page has settled.
    await page.waitForSelector('#utlys-search .search__panel');
    await page.waitForTimeout(500);
    const shifts = await page.evaluate(() => window.__utlysShifts);
    return { total: shifts.reduce((sum, s) => sum + s.value, 0), shifts };
  } finally {
    await page.close();
  }
}

test('the challenge list keeps its layout while the search form is added', async (t) => {
  for (const site of Object.values(env.sites)) {
    for (const prefix of ['', 'en/']) {
      const url = `${site.baseUrl}${prefix}challenges/`;
      for (const viewport of VIEWPORTS) {
        const { total, shifts } = await cumulativeShift(url, viewport);
        const what = `${site.name} ${prefix}challenges/ at ${viewport.width} px`;
        t.diagnostic(`${what}: CLS ${total.toFixed(4)}`);
        assert.ok(total < BOUND, `${what}: cumulative layout shift ${total} ≥ ${BOUND}: ${JSON.stringify(shifts)}`);
      }
    }
  }
});

'use strict';
// The challenge list on a phone: the filter panels fold away, so the first
// challenge is on the first or second screen; the count in the list's
// heading follows the search and filters; and the page stays accessible
// with the panels closed, open and in use.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { setUp } = require('./lib/setup');
const { launch } = require('./lib/browser');
const { assertAxeClean } = require('./lib/axe');

const PHONE = { width: 375, height: 667 };

let env;
let withScript;
let withoutScript;
before(async () => {
  env = await setUp();
  withScript = await launch({ viewport: PHONE });
  withoutScript = await launch({ viewport: PHONE, javaScriptEnabled: false });
});
after(async () => {
  await withScript?.close();
  await withoutScript?.close();
  await env?.close();
});

/** The list pages of both portals in both languages. */
function lists() {
  return Object.values(env.sites).flatMap((site) => ['', 'en/'].map((prefix) => ({
    name: `${site.name} ${prefix}challenges/`,
    url: `${site.baseUrl}${prefix}challenges/`,
  })));
}

async function openList(context, url, viewport = PHONE) {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  const response = await page.goto(url, { waitUntil: 'networkidle' });
  assert.equal(response.status(), 200, `${url}: HTTP ${response.status()}`);
  return page;
}

/** The top of the first challenge card, from the top of the page. */
const firstCardTop = (page) => page.$eval('#main .card', (c) => c.getBoundingClientRect().top + window.scrollY);

/** What the count shows: the heading's, the summary's note and the cards left. */
function readCounts() {
  const text = (sel) => (document.querySelector(sel)?.textContent || '').trim();
  return {
    heading: text('#all-heading .group-count'),
    note: text('.search__panel .panel-summary__note'),
    shown: [...document.querySelectorAll('#main .card')].filter((c) => c.checkVisibility()).length,
  };
}

test('at 375 × 667 the first challenge starts within two screen heights', async (t) => {
  for (const [label, context] of [['JavaScript', withScript], ['no JavaScript', withoutScript]]) {
    for (const list of lists()) {
      const page = await openList(context, list.url);
      try {
        const top = await firstCardTop(page);
        t.diagnostic(`${label}, ${list.name}: first card at ${Math.round(top)} px`);
        assert.ok(top < 2 * PHONE.height, `${label}, ${list.name}: the first card starts at ${top} px`);
        // Folded, not gone: the panels are there to open.
        const summaries = await page.$$eval('#main summary', (els) => els.map((s) => s.parentElement.open));
        assert.deepEqual(summaries, label === 'JavaScript' ? [false, false] : [false], `${label}, ${list.name}: panels`);
      } finally {
        await page.close();
      }
    }
  }
});

test('on a wide screen the search panel is open; on a phone, once a filter is in the address', async () => {
  const url = `${env.sites.sample.baseUrl}challenges/`;
  let page = await openList(withScript, url, { width: 1280, height: 900 });
  try {
    assert.equal(await page.$eval('.search__panel', (d) => d.open), true, 'closed at 1280 px');
  } finally {
    await page.close();
  }
  page = await openList(withScript, `${url}?category=klimat-och-miljo`);
  try {
    assert.equal(await page.$eval('.search__panel', (d) => d.open), true, 'closed with ?category=klimat-och-miljo');
    assert.deepEqual(await page.evaluate(readCounts), { heading: '(2 av 4)', note: '1 filter aktivt', shown: 2 });
  } finally {
    await page.close();
  }
});

test('the heading count follows the search and the filters', async () => {
  for (const [prefix, words] of [['', { of: 'av', one: '1 filter aktivt', two: '2 filter aktiva' }],
    ['en/', { of: 'of', one: '1 filter active', two: '2 filters active' }]]) {
    const page = await openList(withScript, `${env.sites.sample.baseUrl}${prefix}challenges/`);
    try {
      assert.deepEqual(await page.evaluate(readCounts), { heading: '(4)', note: '', shown: 4 });
      // By keyboard, as a phone user with a keyboard or switch would.
      await page.focus('.search__panel summary');
      await page.keyboard.press('Enter');
      assert.equal(await page.$eval('.search__panel', (d) => d.open), true, 'Enter does not open the panel');
      await page.selectOption('#utlys-search-category', 'klimat-och-miljo');
      assert.deepEqual(await page.evaluate(readCounts), { heading: `(2 ${words.of} 4)`, note: words.one, shown: 2 });
      await page.fill('#utlys-search-q', 'helsingborg');
      await page.waitForFunction(() => document.querySelector('#all-heading .group-count').textContent.startsWith('(1 '));
      assert.deepEqual(await page.evaluate(readCounts), { heading: `(1 ${words.of} 4)`, note: words.two, shown: 1 });
      await page.click('.search__reset');
      assert.deepEqual(await page.evaluate(readCounts), { heading: '(4)', note: '', shown: 4 });
    } finally {
      await page.close();
    }
  }
});

test('the filters for region, who may respond, value and CPV division narrow the list', async () => {
  for (const [prefix, words] of [['', { of: 'av' }], ['en/', { of: 'of' }]]) {
    const page = await openList(withScript, `${env.sites.sample.baseUrl}${prefix}challenges/`);
    try {
      const shown = () => page.$$eval('#main .card', (cards) => cards
        .filter((c) => c.checkVisibility())
        .map((c) => c.getAttribute('data-url').split('/').filter(Boolean).pop())
        .sort());
      // On a phone the search panel starts folded.
      await page.click('.search__panel summary');
      // Helsingborg is in Skåne län, and so is the school-route need.
      await page.selectOption('#utlys-search-region', 'skane-lan');
      assert.deepEqual(await shown(), ['klimatavtryck-offentlig-konsumtion', 'trygg-skolvag']);
      await page.selectOption('#utlys-search-suitable', 'startup');
      assert.deepEqual(await shown(), ['klimatavtryck-offentlig-konsumtion']);
      assert.equal(await page.$eval('#all-heading .group-count', (h) => h.textContent), `(1 ${words.of} 4)`);
      // The address keeps the choices, so a shared link shows the same.
      assert.match(page.url(), /region=skane-lan&suitable=startup/);
      await page.click('.search__reset');
      await page.selectOption('#utlys-search-value', '1m-10m');
      assert.deepEqual(await shown(), ['minskat-matsvinn-i-skolkoket']);
      await page.selectOption('#utlys-search-value', '');
      await page.selectOption('#utlys-search-cpv', '72000000');
      assert.deepEqual(await shown(), ['klimatavtryck-offentlig-konsumtion', 'minskat-matsvinn-i-skolkoket', 'upplev-min-verklighet']);
      // Each filter is labelled, and offers the terms of the no-JS links.
      const labels = await page.$$eval('.search__filters label', (ls) => ls.map((l) => l.textContent));
      assert.equal(labels.length, 8, labels.join(', '));
      const options = await page.$$eval('#utlys-search-region option', (os) => os.map((o) => o.value));
      const links = await page.$$eval('nav.filters a[data-filter="regions"]', (as) => as.map((a) => a.getAttribute('data-term')));
      assert.deepEqual(options.slice(1), links);
    } finally {
      await page.close();
    }
  }
});

test('axe finds nothing on the list at 375 px: panels closed, open and in use; no sideways scroll at 320 px', async () => {
  for (const list of lists()) {
    const page = await openList(withScript, list.url);
    try {
      await assertAxeClean(page, `${list.name} closed`);
      for (const summary of await page.$$('#main summary')) await summary.click();
      assert.deepEqual(await page.$$eval('#main details', (ds) => ds.map((d) => d.open)), [true, true]);
      await page.selectOption('#utlys-search-status', { index: 1 });
      await assertAxeClean(page, `${list.name} open, filtered`);
      // Reflow (WCAG 1.4.10): nothing scrolls sideways at 320 px.
      await page.setViewportSize({ width: 320, height: 640 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${list.name}: ${overflow} px wider than the screen at 320 px`);
    } finally {
      await page.close();
    }
  }
});

test('without JavaScript the filter panel opens from the keyboard and its links work', async () => {
  const page = await openList(withoutScript, `${env.sites.sample.baseUrl}challenges/`);
  try {
    const link = page.locator('nav.filters a[data-filter="categories"][data-term="klimat-och-miljo"]');
    assert.equal(await link.isVisible(), false, 'the link shows before the panel is opened');
    await page.focus('nav.filters summary');
    await page.keyboard.press('Enter');
    assert.equal(await link.isVisible(), true, 'Enter does not open the panel');
    await Promise.all([page.waitForNavigation(), link.click()]);
    assert.match(page.url(), /\/categories\/klimat-och-miljo\/$/);
    assert.equal(await page.$$eval('#main .card', (cs) => cs.length), 2);
  } finally {
    await page.close();
  }
});

'use strict';
// Long lists in pages (the fixture portal has `paginate = 4`, so its ten
// challenges make a list of three pages): the pages link to each other
// without JavaScript, the search index is fetched only once the reader
// starts searching, and a search finds challenges on every page.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { setUp } = require('./lib/setup');
const { launch } = require('./lib/browser');
const { assertAxeClean } = require('./lib/axe');

const WIDE = { width: 1280, height: 900 };

let env;
let withScript;
let withoutScript;
before(async () => {
  env = await setUp();
  withScript = await launch({ viewport: WIDE });
  withoutScript = await launch({ viewport: WIDE, javaScriptEnabled: false });
});
after(async () => {
  await withScript?.close();
  await withoutScript?.close();
  await env?.close();
});

/** What a page of a list says about its place among the pages. */
function readPaging() {
  const attr = (sel, name) => document.querySelector(sel)?.getAttribute(name) ?? null;
  return {
    path: window.location.pathname,
    cards: [...document.querySelectorAll('#main .card')].map((c) => c.getAttribute('data-url')),
    current: document.querySelector('nav.pagination a[aria-current="page"]')?.textContent.replace(/\D/g, '') ?? null,
    currentCount: document.querySelectorAll('nav.pagination [aria-current]').length,
    label: attr('nav.pagination', 'aria-label'),
    headPrev: attr('link[rel="prev"]', 'href'),
    headNext: attr('link[rel="next"]', 'href'),
    navPrev: attr('nav.pagination a[rel="prev"]', 'href'),
    navNext: attr('nav.pagination a[rel="next"]', 'href'),
    total: Number(attr('[data-utlys-count]', 'data-utlys-count')),
  };
}

test('without JavaScript the pages of a list lead from one to the next and back, by keyboard', async () => {
  const site = env.sites.fixture;
  for (const [prefix, label] of [['', 'Sidor i listan'], ['en/', 'Pages of the list']]) {
    const base = `${site.baseUrl}${prefix}challenges/`;
    const basePath = new URL(base).pathname;
    const page = await withoutScript.newPage();
    try {
      await page.goto(base);
      const seen = [];
      const visited = [];
      for (;;) {
        const p = await page.evaluate(readPaging);
        visited.push(p);
        seen.push(...p.cards);
        assert.equal(p.label, label);
        assert.equal(p.currentCount, 1, `${p.path}: one current page`);
        assert.equal(p.current, String(visited.length), `${p.path}: aria-current marks page ${p.current}`);
        assert.equal(p.headNext, p.navNext, `${p.path}: the head's next is the navigation's`);
        assert.equal(p.headPrev, p.navPrev, `${p.path}: the head's prev is the navigation's`);
        if (!p.navNext) break;
        // Tab to the next link and follow it with Enter.
        await page.focus('nav.pagination a[rel="next"]');
        await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      }
      assert.deepEqual(visited.map((p) => p.path), [basePath, `${basePath}page/2/`, `${basePath}page/3/`]);
      assert.deepEqual(visited.map((p) => p.cards.length), [4, 4, 2]);
      assert.equal(visited[0].headPrev, null);
      assert.equal(visited[1].headPrev, basePath, 'page 2 goes back to the list itself, not to page/1/');
      assert.equal(new Set(seen).size, 10, 'each challenge is on one page');
      assert.equal(visited[2].total, 10, 'the heading counts the whole list');
      // And back from the last page by its previous link.
      await Promise.all([page.waitForNavigation(), page.click('nav.pagination a[rel="prev"]')]);
      assert.equal(new URL(page.url()).pathname, `${basePath}page/2/`);
      const missing = await page.goto(`${base}page/1/`);
      assert.equal(missing.status(), 404, 'page/1/ is not written');
    } finally {
      await page.close();
    }
  }
});

test('the search index is fetched only when the reader starts to search', async () => {
  for (const site of [env.sites.sample, env.sites.fixture]) {
    const page = await withScript.newPage();
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    const isIndex = (url) => url.endsWith('/search-index.json');
    try {
      for (const rel of ['', 'challenges/', 'en/challenges/']) {
        await page.goto(`${site.baseUrl}${rel}`, { waitUntil: 'networkidle' });
      }
      assert.deepEqual(requests.filter(isIndex), [], `${site.name}: the index loaded before any search`);
      await page.waitForSelector('#utlys-search-q');
      const [request] = await Promise.all([
        page.waitForRequest((r) => isIndex(r.url())),
        page.focus('#utlys-search-q'),
      ]);
      assert.equal(new URL(request.url()).pathname, `${new URL(site.baseUrl).pathname}en/search-index.json`);
      await page.waitForLoadState('networkidle');
      await page.fill('#utlys-search-q', 'x');
      await page.selectOption('#utlys-search-status', { index: 1 });
      await page.waitForLoadState('networkidle');
      assert.equal(requests.filter(isIndex).length, 1, `${site.name}: the index is fetched once`);
    } finally {
      await page.close();
    }
  }
});

test('a search on page 1 finds a challenge that is on the last page, and the reset brings the page back', async () => {
  const site = env.sites.fixture;
  const page = await withScript.newPage();
  try {
    // The last challenge of the list, on page 3.
    await page.goto(`${site.baseUrl}challenges/page/3/`, { waitUntil: 'networkidle' });
    const target = await page.$$eval('#main .card', (cs) => cs.map((c) => ({
      url: c.getAttribute('data-url'),
      stage: c.getAttribute('data-stage'),
      title: c.querySelector('.card__title').textContent,
    })).pop());
    await page.goto(`${site.baseUrl}challenges/`, { waitUntil: 'networkidle' });
    const before = await page.evaluate(readPaging);
    assert.ok(!before.cards.includes(target.url), `${target.url} is on page 1 already`);
    await page.fill('#utlys-search-q', `skede ${target.stage}`);
    await page.waitForSelector(`.search__results .card[data-url="${target.url}"]`);
    const found = await page.evaluate(() => ({
      shown: [...document.querySelectorAll('#main .card')].filter((c) => c.checkVisibility()).map((c) => ({
        url: c.getAttribute('data-url'),
        title: c.querySelector('.card__title').textContent,
        link: c.querySelector('.card__title a').getAttribute('href'),
        badge: c.querySelector('.badge__label').textContent,
      })),
      heading: document.querySelector('#all-heading .group-count').textContent,
      pagerHidden: document.querySelector('nav.pagination').checkVisibility() === false,
    }));
    assert.deepEqual(found.shown.map((c) => c.url), [target.url]);
    // The title comes as text, script tags and all, never as markup.
    assert.equal(found.shown[0].title, target.title);
    assert.equal(found.shown[0].link, target.url);
    assert.ok(found.shown[0].badge.length > 0, 'the result has no status');
    assert.equal(found.heading, '(1 av 10)');
    assert.equal(found.pagerHidden, true, 'the page links show while results from every page do');
    assert.equal(await page.evaluate(() => window.__pwned ?? false), false);
    await assertAxeClean(page, 'fixture list with a search result from page 3');
    // A filter alone also covers every page: every closed challenge.
    await page.click('.search__reset');
    await page.selectOption('#utlys-search-status', 'closed');
    const closed = await page.$$eval('.search__results .card', (cs) => cs.map((c) => c.className));
    assert.equal(closed.length, 5);
    assert.ok(closed.every((k) => k.includes('card--closed')), closed.join(' '));
    await page.click('.search__reset');
    const after = await page.evaluate(readPaging);
    assert.deepEqual(after.cards.filter(Boolean), before.cards, 'the reset does not bring page 1 back');
    assert.equal(await page.$eval('nav.pagination', (n) => n.checkVisibility()), true);
    assert.equal(await page.$eval('#all-heading .group-count', (h) => h.textContent), '(10)');
  } finally {
    await page.close();
  }
});

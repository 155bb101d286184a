'use strict';
// Without JavaScript the challenge list still filters: each filter link
// leads to its taxonomy page, which lists exactly the challenges the link
// promised, and every challenge is under exactly one stage and one status.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { setUp } = require('./lib/setup');
const { launch } = require('./lib/browser');

let env;
let context;
before(async () => {
  env = await setUp();
  context = await launch({ javaScriptEnabled: false });
});
after(async () => {
  await context?.close();
  await env?.close();
});

/**
 * Which attribute of a card tells its terms in each filter group: one term
 * (stage, status, buyer, category) or a list (region, who may respond,
 * value band, CPV division).
 */
const CARD_TERM = {
  stages: (card) => [card.stage],
  status: (card) => [card.status],
  buyers: (card) => [card.buyer],
  categories: (card) => [card.category],
  regions: (card) => card.regions,
  'suitable-for': (card) => card.suitableFor,
  value: (card) => card.value,
  cpv: (card) => card.cpv,
};

function readCards() {
  return [...document.querySelectorAll('#main .card')].map((c) => ({
    url: c.getAttribute('data-url'),
    stage: c.getAttribute('data-stage'),
    buyer: c.getAttribute('data-buyer'),
    category: c.getAttribute('data-category'),
    regions: (c.getAttribute('data-regions') || '').split(' ').filter(Boolean),
    suitableFor: (c.getAttribute('data-suitable-for') || '').split(' ').filter(Boolean),
    value: (c.getAttribute('data-value') || '').split(' ').filter(Boolean),
    cpv: (c.getAttribute('data-cpv') || '').split(' ').filter(Boolean),
    status: ([...c.classList].find((k) => k.startsWith('card--')) || '').slice('card--'.length),
  }));
}

/**
 * The cards of the list at `url` and of every later page of it, found by
 * following its `rel="next"` links as a reader without JavaScript would.
 */
async function readAllCards(page, url) {
  const cards = [];
  let next = url;
  while (next) {
    const response = await page.goto(next);
    assert.equal(response.status(), 200, `${next}: HTTP ${response.status()}`);
    cards.push(...await page.evaluate(readCards));
    next = await page.evaluate(() => document.querySelector('nav.pagination a[rel="next"]')?.href || '');
    assert.ok(cards.length < 1000, `${url}: the next links do not end`);
  }
  return cards;
}

function readFilters() {
  return [...document.querySelectorAll('nav.filters a[data-filter]')].map((a) => ({
    group: a.getAttribute('data-filter'),
    term: a.getAttribute('data-term'),
    href: a.href,
    name: a.textContent.trim(),
    count: Number((/\((\d+)/.exec(a.parentElement.querySelector('.count')?.textContent || '') || [])[1]),
  }));
}

test('filter links on the challenge list work without JavaScript', async (t) => {
  let links = 0;
  for (const site of Object.values(env.sites)) {
    for (const prefix of ['', 'en/']) {
      const listUrl = `${site.baseUrl}${prefix}challenges/`;
      await t.test(`${site.name} ${prefix}challenges/`, async () => {
        const page = await context.newPage();
        try {
          await page.goto(listUrl);
          // The script did not run: its search form was never built.
          assert.equal(await page.$$eval('#utlys-search *', (els) => els.length), 0, 'the search form exists without JavaScript');
          const all = await readAllCards(page, listUrl);
          await page.goto(listUrl);
          assert.ok(all.length >= 4, `only ${all.length} challenges on the list`);
          const filters = await page.evaluate(readFilters);
          const groups = new Set(filters.map((f) => f.group));
          // The sample uses every field; the fixture has no regions,
          // values or kinds of respondent.
          const expectedGroups = Object.keys(CARD_TERM).filter((g) => all.some((c) => CARD_TERM[g](c).some(Boolean)));
          assert.deepEqual([...groups].sort(), expectedGroups.sort(), 'filter groups');
          if (site.name === 'sample') {
            assert.equal(groups.size, Object.keys(CARD_TERM).length, 'the sample has every filter');
          }
          for (const group of ['stages', 'status']) {
            const sum = filters.filter((f) => f.group === group).reduce((n, f) => n + f.count, 0);
            assert.equal(sum, all.length, `${group}: the counts add up to ${sum}, not ${all.length}`);
          }
          for (const f of filters) {
            await page.goto(listUrl);
            // The links are in a folded panel, as a phone shows it first.
            await page.click('nav.filters summary');
            const [response] = await Promise.all([
              page.waitForNavigation(),
              page.click(`nav.filters a[data-filter="${f.group}"][data-term="${f.term}"]`),
            ]);
            assert.equal(response.status(), 200, `${f.href}: HTTP ${response.status()}`);
            assert.equal(page.url(), f.href);
            assert.equal((await page.textContent('h1')).trim(), f.name, `${f.href}: heading`);
            const cards = await readAllCards(page, f.href);
            assert.equal(cards.length, f.count, `${f.href}: ${cards.length} challenges, the link said ${f.count}`);
            const expected = all.filter((c) => CARD_TERM[f.group](c).includes(f.term)).map((c) => c.url).sort();
            assert.deepEqual(cards.map((c) => c.url).sort(), expected, `${f.href}: not the challenges of ${f.group}/${f.term}`);
            links += 1;
          }
        } finally {
          await page.close();
        }
      });
    }
  }
  t.diagnostic(`no JavaScript: ${links} filter links followed on 4 challenge lists`);
  assert.ok(links >= 30, `only ${links} filter links`);
});

test('with JavaScript off, a challenge page shows its deadline and how to respond', async () => {
  const page = await context.newPage();
  try {
    await page.goto(`${env.sites.sample.baseUrl}en/challenges/klimatavtryck-offentlig-konsumtion/`);
    const text = await page.textContent('#main');
    assert.match(text, /Thursday 31 August 2023, 23:59 CEST/);
    assert.ok(await page.$('#respond-heading'), 'no "How to respond" section');
  } finally {
    await page.close();
  }
});

'use strict';
// A search whose results are more than one step of the list: the first 50
// show, and the "Visa fler" ("Show more") button adds the next ones, moves
// the keyboard focus to the first card it added and goes away when every
// result is shown. The site is written here: 61 challenges whose titles
// share a word.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { launch } = require('./lib/browser');
const { assertAxeClean } = require('./lib/axe');
const { BASE_PATH, build } = require('./lib/build');
const { serve } = require('./lib/server');

const CHALLENGES = 61;
const STEP = 50;

let tmp;
let server;
let browser;
before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'utlys-browser-more-'));
  const root = path.join(tmp, 'site');
  const write = (rel, text) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  write('site.toml', [
    'title = "Många utmaningar"',
    'base_url = "https://example.se/"',
    'language = "sv"',
    'languages = ["sv", "en"]',
    'timezone = "Europe/Stockholm"',
    'paginate = 20',
    '',
  ].join('\n'));
  for (let i = 1; i <= CHALLENGES; i += 1) {
    const n = String(i).padStart(2, '0');
    write(`content/challenges/utmaning-${n}.md`, [
      '---',
      `title: "Gemensam utmaning ${n}"`,
      `summary: "Utmaning nummer ${n}."`,
      'buyer: Testkommun',
      'stage: rfi',
      'published: 2023-06-01',
      `deadline: 2023-09-${String((i % 28) + 1).padStart(2, '0')}`,
      '---',
      '',
      `Text om utmaning ${n}.`,
      '',
    ].join('\n'));
  }
  const out = path.join(tmp, 'public');
  server = await serve(out, BASE_PATH);
  build(root, out, server.baseUrl);
  browser = await launch({ viewport: { width: 1280, height: 900 } });
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** The search results shown, and the button's state. */
function readResults() {
  const more = document.querySelector('.search__more');
  return {
    results: [...document.querySelectorAll('.search__results .card')].map((c) => c.getAttribute('data-url')),
    moreShown: more !== null && more.checkVisibility(),
    moreText: more?.textContent ?? null,
    moreHeight: more?.getBoundingClientRect().height ?? 0,
    focused: document.activeElement?.getAttribute('href') ?? null,
  };
}

test('"Visa fler" adds the next results, takes the focus to the first added, and goes when all are shown', async () => {
  for (const [prefix, label] of [['', 'Visa fler'], ['en/', 'Show more']]) {
    const page = await browser.newPage();
    try {
      await page.goto(`${server.baseUrl}${prefix}challenges/`, { waitUntil: 'networkidle' });
      const before = await page.evaluate(readResults);
      assert.equal(before.moreShown, false, `${prefix}: the button shows before any search`);
      await page.fill('#utlys-search-q', 'gemensam');
      await page.waitForFunction((step) => document.querySelectorAll('.search__results .card').length === step, STEP);
      const first = await page.evaluate(readResults);
      assert.equal(first.results.length, STEP);
      assert.equal(first.moreShown, true, `${prefix}: no button with ${CHALLENGES} results`);
      assert.equal(first.moreText, label);
      assert.ok(first.moreHeight >= 44, `a button ${first.moreHeight} px high is a small target`);
      await assertAxeClean(page, `${prefix}list with ${STEP} of ${CHALLENGES} results and the button`);
      // By keyboard, as a reader without a mouse would.
      await page.focus('.search__more');
      await page.keyboard.press('Enter');
      const all = await page.evaluate(readResults);
      assert.equal(all.results.length, CHALLENGES);
      assert.equal(new Set(all.results).size, CHALLENGES, 'each challenge once');
      assert.deepEqual(all.results.slice(0, STEP), first.results, 'the first results stay in place');
      assert.equal(all.focused, all.results[STEP], 'the focus is on the first card added');
      assert.equal(all.moreShown, false, 'the button stays when every result is shown');
      // A narrower search starts again from its first results.
      await page.fill('#utlys-search-q', 'gemensam 07');
      await page.waitForFunction((step) => document.querySelectorAll('.search__results .card').length < step, STEP);
      const narrow = await page.evaluate(readResults);
      assert.ok(narrow.results.some((u) => u.endsWith('/utmaning-07/')), narrow.results.join(' '));
      assert.equal(narrow.moreShown, false);
    } finally {
      await page.close();
    }
  }
});

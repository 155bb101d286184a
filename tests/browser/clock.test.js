'use strict';
// The page script and the build use one clock. A site built for a chosen
// time (`utlys build --now`) shows in the browser exactly the statuses, days
// left and "status as of" notes it was built with, whatever the reader's
// clock says. Only a site built with the real clock lets the script refresh
// them from the reader's clock.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { REPO, BASE_PATH, build } = require('./lib/build');
const { serve } = require('./lib/server');
const { launch } = require('./lib/browser');

/** Far before every sample deadline, and long after all of them. */
const CLOCKS = {
  past: '2019-06-03T09:00:00+02:00',
  future: '2031-11-20T16:30:00+01:00',
};

/** Pages with badges and days-left texts, in both languages. */
const PATHS = [
  '',
  'challenges/',
  'challenges/klimatavtryck-offentlig-konsumtion/',
  'en/challenges/',
  'en/challenges/upplev-min-verklighet/',
];

let tmp;
const sites = {};
let withScript;
let withoutScript;

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'utlys-browser-clock-'));
  for (const [name, now] of [...Object.entries(CLOCKS), ['live', null]]) {
    const out = path.join(tmp, name, 'public');
    const server = await serve(out, BASE_PATH);
    sites[name] = { server, baseUrl: server.baseUrl };
    build(REPO, out, server.baseUrl, { now });
  }
  withScript = await launch();
  withoutScript = await launch({ javaScriptEnabled: false });
});

after(async () => {
  await withScript?.close();
  await withoutScript?.close();
  await Promise.all(Object.values(sites).map((s) => s.server.close()));
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** What the page shows of the clock: every badge, days-left text and note. */
function readClock() {
  const text = (el) => el.textContent.trim().replace(/\s+/g, ' ');
  return {
    clock: document.body.getAttribute('data-utlys-clock'),
    badges: [...document.querySelectorAll('[data-utlys-status]')].map((b) => ({
      status: b.getAttribute('data-utlys-status'),
      label: text(b),
      card: b.closest('.card')?.className || '',
    })),
    days: [...document.querySelectorAll('[data-utlys-days]')].map(text),
    asof: [...document.querySelectorAll('[data-utlys-asof]')].map(text),
    shown: [...document.querySelectorAll('[data-utlys-show]')].map((el) => el.hidden),
  };
}

/** `url` read in `context`, once the script has run (and the index loaded). */
async function read(context, url) {
  const page = await context.newPage();
  try {
    const response = await page.goto(url, { waitUntil: 'networkidle' });
    assert.equal(response.status(), 200, `${url}: HTTP ${response.status()}`);
    return await page.evaluate(readClock);
  } finally {
    await page.close();
  }
}

for (const [name, now] of Object.entries(CLOCKS)) {
  test(`built with --now in the ${name} (${now}), the script shows the build's statuses`, async () => {
    for (const rel of PATHS) {
      const url = `${sites[name].baseUrl}${rel}`;
      const built = await read(withoutScript, url);
      const shown = await read(withScript, url);
      assert.equal(built.clock, 'fixed', `${url}: the page does not say its clock is fixed`);
      assert.ok(built.badges.length > 0, `${url}: no status badge`);
      assert.deepEqual(shown, built, `${url}: the script changed what the build wrote`);
    }
  });
}

test('the past build differs from what the reader\'s clock would say, so the check above can fail', async () => {
  // Built in 2019 every sample deadline is ahead; by the reader's clock the
  // Helsingborg RFI (31 August 2023) has closed.
  const url = `${sites.past.baseUrl}challenges/klimatavtryck-offentlig-konsumtion/`;
  const page = await read(withScript, url);
  assert.equal(page.badges[0].status, 'open');
  assert.ok(Date.now() > Date.parse('2023-09-01T00:00:00+02:00'), 'the reader\'s clock is before 2023-09-01');
  const future = await read(withScript, url.replace(sites.past.baseUrl, sites.future.baseUrl));
  assert.equal(future.badges[0].status, 'closed');
});

test('built with the real clock, the script refreshes statuses from the reader\'s clock', async () => {
  const url = `${sites.live.baseUrl}challenges/`;
  const built = await read(withoutScript, url);
  assert.equal(built.clock, null, 'a build without --now says its clock is fixed');
  const page = await withScript.newPage();
  try {
    // A reader long after every sample deadline and opening date.
    await page.clock.setFixedTime(new Date('2099-01-01T12:00:00Z'));
    await page.goto(url, { waitUntil: 'networkidle' });
    const shown = await page.evaluate(readClock);
    const live = await page.evaluate(() => document.body.getAttribute('data-utlys-status-live'));
    assert.ok(live, 'no text for a live status');
    assert.deepEqual(shown.asof, built.asof.map(() => live), 'the notes do not say the status is live');
    const withDeadline = await page.$$eval('[data-utlys-status]', (els) => els
      .filter((b) => b.getAttribute('data-deadline'))
      .map((b) => b.getAttribute('data-utlys-status')));
    assert.ok(withDeadline.length >= 2, 'too few badges with a deadline');
    assert.deepEqual(withDeadline, withDeadline.map(() => 'closed'), 'statuses at 2099 by the reader\'s clock');
  } finally {
    await page.close();
  }
});

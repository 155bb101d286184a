'use strict';
// Sharing and embedding in a real browser: the embedded list inside an
// iframe on a page of another origin, and the "Ask a question" action,
// which the build leaves out after the last day for questions and the page
// script hides once the reader's clock passes it.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { REPO, BASE_PATH, build } = require('./lib/build');
const { serve } = require('./lib/server');
const { launch } = require('./lib/browser');
const { AXE_SOURCE, AXE_TAGS } = require('./lib/axe');


/** The last day for questions of the test challenge, far in the future. */
const QUESTIONS_DEADLINE = '2099-06-01T12:00:00+02:00';

const CHALLENGE = `---
title: Fråga oss & svara sedan
summary: En utmaning med en sista dag för frågor.
buyer: Exempelstad
stage: procurement
published: 2023-06-15
questions_deadline: 2099-06-01T12:00
deadline: 2099-06-30
contact:
  name: Anna Andersson
  email: anna@example.se
---

Text.
`;

let tmp;
let context;
const servers = [];
let sample;
let host;
let live;
let late;

/** Serves `dir` under the test base path; closed after the tests. */
async function served(dir) {
  const server = await serve(dir, BASE_PATH);
  servers.push(server);
  return server;
}

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'utlys-browser-sharing-'));
  // The sample portal, and a page of another origin (another port) that
  // embeds its list the way the documentation says.
  sample = await served(path.join(tmp, 'sample'));
  build(REPO, path.join(tmp, 'sample'), sample.baseUrl);
  const hostDir = path.join(tmp, 'host');
  fs.mkdirSync(hostDir);
  fs.writeFileSync(path.join(hostDir, 'index.html'), `<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>Kommunens webbplats</title></head>
<body><main><h1>Kommunens webbplats</h1>
<iframe src="${sample.baseUrl}embed/" title="Öppna utmaningar" width="100%" height="480" loading="lazy" style="border:0"></iframe>
</main></body></html>
`);
  host = await served(hostDir);
  // A small site with one question deadline far ahead, built with the real
  // clock (so the page script follows the reader's clock) and built after it.
  const site = path.join(tmp, 'site');
  fs.mkdirSync(path.join(site, 'content', 'challenges'), { recursive: true });
  fs.writeFileSync(path.join(site, 'site.toml'), 'title = "Testportal"\nbase_url = "https://example.se/"\n');
  fs.writeFileSync(path.join(site, 'content', 'challenges', 'fraga.md'), CHALLENGE);
  live = await served(path.join(tmp, 'live'));
  build(site, path.join(tmp, 'live'), live.baseUrl, { now: null });
  late = await served(path.join(tmp, 'late'));
  build(site, path.join(tmp, 'late'), late.baseUrl, { now: '2099-06-01T12:00:01+02:00' });
  context = await launch();
});

after(async () => {
  await context?.close();
  await Promise.all(servers.map((s) => s.close()));
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** The embedded list's frame in `page`, once it has loaded. */
async function embedFrame(page) {
  await page.goto(host.baseUrl, { waitUntil: 'load' });
  const handle = await page.waitForSelector('iframe');
  const frame = await handle.contentFrame();
  await frame.waitForLoadState('load');
  return frame;
}

test('the embedded list shows in an iframe on another origin and passes axe there', async () => {
  const page = await context.newPage();
  try {
    assert.notEqual(new URL(host.baseUrl).origin, new URL(sample.baseUrl).origin);
    const frame = await embedFrame(page);
    assert.equal(frame.url(), `${sample.baseUrl}embed/`);
    const items = await frame.$$eval('.embed__item', (els) => els.map((el) => ({
      title: el.querySelector('h2 a').textContent.trim(),
      href: el.querySelector('h2 a').href,
      time: el.querySelector('time')?.getAttribute('datetime') || '',
    })));
    // The sample portal at the test clock has open and upcoming challenges,
    // and each links to its page with a deadline or opening time.
    assert.ok(items.length >= 1, 'the list is empty');
    for (const item of items) {
      assert.ok(item.href.startsWith(`${sample.baseUrl}challenges/`), item.href);
      assert.match(item.time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    }
    await frame.addScriptTag({ content: AXE_SOURCE });
    const result = await frame.evaluate(
      (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
      AXE_TAGS,
    );
    const found = result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
    assert.deepEqual(found, []);
    // Nothing in the frame keeps state in the reader's browser.
    assert.equal(await frame.evaluate(() => document.cookie), '');
  } finally {
    await page.close();
  }
});

test('a challenge clicked in the embedded list opens in the top window', async () => {
  const page = await context.newPage();
  try {
    const frame = await embedFrame(page);
    const link = await frame.$('.embed__item h2 a');
    const target = await link.evaluate((a) => a.href);
    await Promise.all([page.waitForURL(target), link.click()]);
    assert.equal(page.url(), target);
    assert.equal(page.frames().length, 1, 'the page still holds a frame');
    assert.ok(await page.$('.site-header'), 'the challenge page with its header is shown');
  } finally {
    await page.close();
  }
});

/** What the challenge page of `server` shows of the action. */
async function readAsk(page, server) {
  await page.goto(`${server.baseUrl}challenges/fraga/`, { waitUntil: 'load' });
  return page.evaluate(() => {
    const box = document.querySelector('.ask');
    const link = box?.querySelector('a');
    return box && {
      visible: !box.hidden && box.getBoundingClientRect().height > 0,
      href: link?.getAttribute('href'),
      text: link?.textContent.trim(),
      until: box.getAttribute('data-utlys-until'),
    };
  });
}

test('before the last day for questions the action is there, with the title as the subject', async () => {
  const page = await context.newPage();
  try {
    const ask = await readAsk(page, live);
    assert.deepEqual(ask, {
      visible: true,
      href: 'mailto:anna@example.se?subject=Fr%C3%A5ga%20oss%20%26%20svara%20sedan',
      text: 'Ställ en fråga',
      until: QUESTIONS_DEADLINE,
    });
  } finally {
    await page.close();
  }
});

test('built before and read after the last day for questions, the script hides the action', async () => {
  const page = await context.newPage();
  try {
    // Read a minute before the deadline: still there.
    await page.clock.install({ time: new Date(Date.parse(QUESTIONS_DEADLINE) - 60000) });
    const open = await readAsk(page, live);
    assert.equal(open.visible, true);
    // Left open across it: the script's next check hides it.
    await page.clock.runFor(2 * 60000);
    const hidden = await page.evaluate(() => document.querySelector('.ask').hidden);
    assert.equal(hidden, true);
  } finally {
    await page.close();
  }
  const later = await context.newPage();
  try {
    await later.clock.install({ time: new Date(Date.parse(QUESTIONS_DEADLINE) + 86400000) });
    const ask = await readAsk(later, live);
    assert.equal(ask.visible, false);
  } finally {
    await later.close();
  }
});

test('built after the last day for questions, the action is not on the page', async () => {
  const page = await context.newPage();
  try {
    assert.equal(await readAsk(page, late), null);
    const html = await page.content();
    assert.ok(!html.includes('mailto:anna@example.se?subject'), 'the e-mail link is still there');
    // The contact is still named, only the action is gone.
    assert.ok(html.includes('anna@example.se'));
  } finally {
    await page.close();
  }
});

'use strict';
// Following a challenge or a term: the page's own feed link and, on a site
// with `follow_email_url` (the fixture portal), the "follow by e-mail" link
// beside every feed link, its address made from the feed's own.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { setUp } = require('./lib/setup');
const { launch } = require('./lib/browser');
const { FOLLOW_EMAIL_URL } = require('./lib/fixture');
const { open } = require('./lib/visit');
const { AXE_SOURCE, AXE_TAGS } = require('./lib/axe');


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

/** The address that follows the feed at absolute `feed` by e-mail. */
const emailUrl = (feed) => FOLLOW_EMAIL_URL.replace('{feed}', encodeURIComponent(feed));

const PAGES = [
  { path: 'challenges/skede-rfi/', follow: 'Följ den här utmaningen (Atom)', email: 'Följ via e-post' },
  { path: 'en/challenges/skede-rfi/', follow: 'Follow this challenge (Atom)', email: 'Follow by e-mail' },
  { path: 'stages/rfi/', follow: /^Följ .+ \(Atom\)$/, email: 'Följ via e-post' },
  { path: 'en/tags/rfi/', follow: 'Follow rfi (Atom)', email: 'Follow by e-mail' },
];

for (const want of PAGES) {
  test(`${want.path}: the feed and e-mail links follow the page's own feed`, async () => {
    const site = env.sites.fixture;
    const visit = await open(context, { site: 'fixture', lang: '', path: want.path, url: site.baseUrl + want.path, status: 200 });
    const { page } = visit;
    try {
      const found = await page.evaluate(() => ({
        alternate: [...document.querySelectorAll('link[rel="alternate"][type="application/atom+xml"]')].map((l) => l.href),
        links: [...document.querySelectorAll('.follow-links a')].map((a) => ({ href: a.href, text: a.textContent.trim(), type: a.type })),
        footer: [...document.querySelectorAll('.footer-feeds a')].map((a) => ({ href: a.href, text: a.textContent.trim() })),
      }));
      const feed = `${site.baseUrl}${want.path}atom.xml`;
      assert.ok(found.alternate.includes(feed), `${found.alternate}`);
      assert.equal(found.links.length, 2, JSON.stringify(found.links));
      const [atom, email] = found.links;
      assert.equal(atom.href, feed);
      assert.equal(atom.type, 'application/atom+xml');
      if (want.follow instanceof RegExp) assert.match(atom.text, want.follow);
      else assert.equal(atom.text, want.follow);
      assert.equal(email.text, want.email);
      assert.equal(email.href, emailUrl(feed));
      assert.equal(new URL(email.href).searchParams.get('rss'), feed);
      // The site feed in the footer has its own e-mail link.
      const siteFeed = found.footer.findIndex((a) => a.href.endsWith('atom.xml'));
      assert.ok(siteFeed >= 0);
      assert.equal(found.footer[siteFeed + 1].text, want.email);
      assert.equal(found.footer[siteFeed + 1].href, emailUrl(found.footer[siteFeed].href));
      // The feed is there, served as the link says.
      const response = await page.request.get(feed);
      assert.equal(response.status(), 200);
      assert.match(await response.text(), /^<\?xml version="1.0"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
      await page.addScriptTag({ content: AXE_SOURCE });
      const axe = await page.evaluate(
        (tags) => window.axe.run({ include: [['.follow-links'], ['.footer-feeds']] }, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
        AXE_TAGS,
      );
      assert.deepEqual(axe.violations.map((v) => v.id), []);
      assert.deepEqual(visit.failed, []);
    } finally {
      await page.close();
    }
  });
}

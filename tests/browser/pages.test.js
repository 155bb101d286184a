'use strict';
// Every page type of both portals, in both languages, opened once in
// Chromium; each test below then judges one aspect of what was seen:
// axe-core (WCAG 2.1 A/AA), requests and cookies, reflow at 320 px, the
// page frame (lang, one h1, skip link, accessibility statement) and the
// language links.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { setUp } = require('./lib/setup');
const { launch } = require('./lib/browser');
const { REQUIRED_TYPES, EMBEDDED_TYPES, LANGS, label } = require('./lib/pages');
const { STAGES } = require('./lib/fixture');
const { open } = require('./lib/visit');
const { AXE_SOURCE, AXE_TAGS } = require('./lib/axe');

const NARROW = 320;

let env;
let context;
/** One record per page visited: what each test below asserts on. */
const seen = [];
let cookiesAfter = null;

/** The page frame, read inside the page. */
function readFrame() {
  const focusable = 'a[href], button, input, select, textarea, summary, [tabindex]';
  const first = [...document.querySelectorAll(focusable)].find(
    (el) => el.tabIndex >= 0 && !el.disabled && !el.closest('[hidden], [inert]'),
  );
  return {
    lang: document.documentElement.getAttribute('lang'),
    h1: [...document.querySelectorAll('h1')].map((h) => h.textContent.trim()),
    title: document.title,
    first: first ? { cls: String(first.className), href: first.getAttribute('href') } : null,
    mainExists: !!document.getElementById('main'),
    footerLinks: [...document.querySelectorAll('footer a[href]')].map((a) => a.href),
    alternates: [...document.querySelectorAll('link[rel="alternate"][hreflang]')].map((l) => ({ lang: l.hreflang, href: l.href })),
    switcher: [...document.querySelectorAll('.lang-nav a[href]')].map((a) => ({ lang: a.getAttribute('lang'), hreflang: a.hreflang, href: a.href })),
    cookie: document.cookie,
    storage: localStorage.length + sessionStorage.length,
  };
}

before(async () => {
  env = await setUp();
  context = await launch();
  for (const site of Object.values(env.sites)) {
    for (const entry of site.pages()) {
      const visit = await open(context, entry);
      const { page } = visit;
      try {
        const record = { entry, site, requests: visit.requests, failed: visit.failed };
        record.frame = await page.evaluate(readFrame);
        await page.keyboard.press('Tab');
        record.firstTab = await page.evaluate(() => String(document.activeElement?.className || document.activeElement?.tagName));
        await page.addScriptTag({ content: AXE_SOURCE });
        const axe = await page.evaluate(
          (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
          AXE_TAGS,
        );
        record.violations = axe.violations;
        await page.setViewportSize({ width: NARROW, height: 640 });
        record.narrow = await page.evaluate(() => new Promise((resolve) => {
          requestAnimationFrame(() => resolve({
            scrollWidth: document.documentElement.scrollWidth,
            // The element that sticks out furthest, to name in a failure.
            widest: [...document.body.querySelectorAll('*')]
              .map((el) => ({ el, right: el.getBoundingClientRect().right }))
              .filter((x) => x.right > window.innerWidth + 1)
              .sort((a, b) => b.right - a.right)
              .slice(0, 3)
              .map((x) => `${x.el.tagName.toLowerCase()}.${String(x.el.className).split(' ')[0]} (${Math.round(x.right)}px)`),
          }));
        }));
        seen.push(record);
      } finally {
        await page.close();
      }
    }
  }
  cookiesAfter = await context.cookies();
});

after(async () => {
  await context?.close();
  await env?.close();
});

const report = (t, line) => {
  t.diagnostic(line);
};

test('every page type exists in both languages of both portals', () => {
  for (const site of Object.values(env.sites)) {
    for (const lang of LANGS) {
      const types = new Set(seen.filter((r) => r.site === site && r.entry.lang === lang).map((r) => r.entry.type));
      for (const type of REQUIRED_TYPES) {
        assert.ok(types.has(type), `${site.name}/${lang} has no page of type ${type}`);
      }
    }
  }
  for (const lang of LANGS) {
    const prefix = lang === 'sv' ? '' : `${lang}/`;
    // The fixture's lists are longer than a page (`paginate = 4`).
    for (const type of ['list-page', 'term-page']) {
      assert.ok(
        seen.some((r) => r.site.name === 'fixture' && r.entry.lang === lang && r.entry.type === type),
        `fixture/${lang}: no page of type ${type}`,
      );
    }
    for (const stage of STAGES) {
      assert.ok(
        seen.some((r) => r.site.name === 'fixture' && r.entry.path === `${prefix}challenges/skede-${stage}/`),
        `fixture/${lang}: no challenge page at the ${stage} stage`,
      );
    }
  }
});

test('axe-core: no WCAG 2.1 A/AA violations on any page type', async (t) => {
  let violations = 0;
  let elements = 0;
  for (const r of seen) {
    violations += r.violations.length;
    elements += r.violations.reduce((n, v) => n + v.nodes.length, 0);
  }
  report(t, `axe-core: ${seen.length} pages checked, ${violations} violations (${elements} elements); tags ${AXE_TAGS.join(', ')}`);
  for (const r of seen) {
    await t.test(`axe ${label(r.entry)} (${r.entry.type})`, () => {
      const found = r.violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')}: ${n.failureSummary}`));
      assert.deepEqual(found, []);
    });
  }
  assert.ok(seen.length >= 80, `only ${seen.length} pages were checked`);
});

test('no request leaves the site, no cookies or storage, nothing fails to load', (t) => {
  let requests = 0;
  const problems = [];
  for (const r of seen) {
    const origin = `${r.site.origin}/`;
    requests += r.requests.length;
    for (const url of r.requests) {
      if (!url.startsWith(origin)) problems.push(`${label(r.entry)}: request to ${url}`);
    }
    for (const f of r.failed) problems.push(`${label(r.entry)}: failed to load ${f}`);
    if (r.frame.cookie !== '') problems.push(`${label(r.entry)}: document.cookie is "${r.frame.cookie}"`);
    if (r.frame.storage !== 0) problems.push(`${label(r.entry)}: ${r.frame.storage} items in web storage`);
  }
  report(t, `privacy: ${seen.length} pages, ${requests} requests, all to the site's own origin; ${cookiesAfter.length} cookies`);
  assert.deepEqual(problems, []);
  assert.deepEqual(cookiesAfter, [], 'the browser holds cookies after visiting every page');
  // The recording works: every page load asked for the page and the stylesheet.
  // An embedded page has its own, smaller one; both are named with a hash.
  const sheet = (r) => (EMBEDDED_TYPES.has(r.entry.type) ? /\/static\/embed\.[0-9a-f]{8}\.css$/ : /\/static\/style\.[0-9a-f]{8}\.css$/);
  for (const r of seen) {
    assert.ok(r.requests.some((u) => sheet(r).test(u)), `${label(r.entry)} loaded without ${sheet(r)}`);
  }
});

test(`no horizontal scrolling at ${NARROW} px`, (t) => {
  const problems = seen
    .filter((r) => r.narrow.scrollWidth > NARROW)
    .map((r) => `${label(r.entry)}: scrollWidth ${r.narrow.scrollWidth} px; widest: ${r.narrow.widest.join(', ')}`);
  report(t, `reflow: ${seen.length} pages at ${NARROW} px, ${problems.length} wider than the screen`);
  assert.deepEqual(problems, []);
});

test('every page: lang, exactly one h1, skip link first, accessibility statement in the footer', () => {
  const problems = [];
  for (const r of seen) {
    const f = r.frame;
    const where = label(r.entry);
    const statement = seen.find((s) => s.site === r.site && s.entry.lang === r.entry.lang && s.entry.type === 'accessibility');
    if (f.lang !== r.entry.lang) problems.push(`${where}: <html lang="${f.lang}">`);
    if (f.h1.length !== 1 || !f.h1[0]) problems.push(`${where}: h1 elements ${JSON.stringify(f.h1)}`);
    if (!f.title) problems.push(`${where}: empty <title>`);
    // A list shown inside another site's page repeats no blocks to skip:
    // its first link is the first challenge.
    if (EMBEDDED_TYPES.has(r.entry.type)) {
      if (f.first && /\bskip-link\b/.test(f.first.cls)) problems.push(`${where}: an embedded page with a skip link`);
    } else {
      if (!f.first || !/\bskip-link\b/.test(f.first.cls) || f.first.href !== '#main' || !f.mainExists) {
        problems.push(`${where}: first focusable element is ${JSON.stringify(f.first)}, not a skip link to #main`);
      }
      if (!/\bskip-link\b/.test(r.firstTab)) problems.push(`${where}: the first Tab focuses "${r.firstTab}"`);
    }
    if (!statement || !f.footerLinks.includes(statement.entry.url)) {
      problems.push(`${where}: the footer does not link to the accessibility statement ${statement?.entry.url}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('language links: hreflang alternates and the switcher lead to existing pages', async (t) => {
  const problems = [];
  const status = new Map();
  let translated = 0;
  for (const r of seen) {
    const f = r.frame;
    const where = label(r.entry);
    for (const link of [...f.alternates, ...f.switcher]) {
      if (!status.has(link.href)) status.set(link.href, (await context.request.get(link.href)).status());
      if (status.get(link.href) !== 200) problems.push(`${where}: ${link.href} answers ${status.get(link.href)}`);
    }
    for (const a of f.switcher) {
      if (a.lang !== a.hreflang || a.lang === r.entry.lang) problems.push(`${where}: switcher link ${JSON.stringify(a)}`);
    }
    if (r.entry.status === 200 && f.alternates.length > 1) {
      translated += 1;
      if (!f.alternates.some((a) => a.lang === r.entry.lang && a.href === r.entry.url)) {
        problems.push(`${where}: no hreflang="${r.entry.lang}" link to itself`);
      }
      if (f.switcher.length === 0) problems.push(`${where}: translated but no language switcher`);
    }
  }
  report(t, `language links: ${translated} pages with alternates, ${status.size} distinct targets checked`);
  assert.deepEqual(problems, []);

  // The sample's translations point at each other, both ways.
  const base = env.sites.sample.baseUrl;
  const pairs = [
    ['', 'en/'],
    ['challenges/', 'en/challenges/'],
    ['om/', 'en/om/'],
    ['hur-du-svarar/', 'en/hur-du-svarar/'],
    ['tillganglighetsredogorelse/', 'en/tillganglighetsredogorelse/'],
    ['challenges/klimatavtryck-offentlig-konsumtion/', 'en/challenges/klimatavtryck-offentlig-konsumtion/'],
    ['challenges/upplev-min-verklighet/', 'en/challenges/upplev-min-verklighet/'],
  ];
  for (const [sv, en] of pairs) {
    for (const [from, to, lang] of [[sv, en, 'en'], [en, sv, 'sv']]) {
      const r = seen.find((s) => s.site.name === 'sample' && s.entry.url === base + from);
      assert.ok(r, `${from} was not visited`);
      assert.ok(r.frame.alternates.some((a) => a.lang === lang && a.href === base + to), `${from || '(home)'}: no hreflang="${lang}" link to ${to}`);
      assert.ok(r.frame.switcher.some((a) => a.lang === lang && a.href === base + to), `${from || '(home)'}: no switcher link to ${to}`);
    }
  }
  // A challenge written only in Swedish offers no English version.
  const untranslated = seen.find((s) => s.site.name === 'sample' && s.entry.path === 'challenges/trygg-skolvag/');
  assert.ok(untranslated && !untranslated.frame.alternates.some((a) => a.lang === 'en'), 'trygg-skolvag claims an English version');
});

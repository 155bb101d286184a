'use strict';
// The fixture portal writes script tags, quotes and `</script>` into titles,
// summaries, facts, names, terms and Markdown. Its pages must show that text
// as text and run none of it: no dialog opens, the trap is never sprung, and
// the only scripts are the theme's own file and the JSON-LD data block.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { setUp } = require('./lib/setup');
const { launch } = require('./lib/browser');
const { label } = require('./lib/pages');
const { STAGES, TEXT } = require('./lib/fixture');
const { open } = require('./lib/visit');

let env;
let context;
/** Every dialog any page opened: page URL and message. */
const dialogs = [];
before(async () => {
  env = await setUp();
  context = await launch();
  // Listening on the context catches dialogs from the first script of a
  // page, before a test could listen on the page itself.
  context.on('dialog', (d) => {
    dialogs.push({ url: d.page()?.url(), message: d.message() });
    d.dismiss().catch(() => {});
  });
  // Runs before any script of the page: anything that calls a dialog
  // function springs the trap, and the dialog itself is recorded too.
  await context.addInitScript(() => {
    window.__pwned = false;
    for (const name of ['alert', 'confirm', 'prompt', 'print']) {
      const original = window[name];
      window[name] = function trapped(...args) {
        window.__pwned = true;
        return original.apply(this, args);
      };
    }
  });
});
after(async () => {
  await context?.close();
  await env?.close();
});

/** Scripts, handlers and links of the open page that could run code. */
function readDangers() {
  const scripts = [...document.scripts]
    .filter((s) => !(s.type === 'application/ld+json' || (s.src && /\/static\/utlys\.[0-9a-f]{8}\.js$/.test(new URL(s.src).pathname) && !s.text.trim())))
    .map((s) => s.outerHTML.slice(0, 120));
  const handlers = [...document.querySelectorAll('*')]
    .flatMap((el) => [...el.attributes].filter((a) => a.name.startsWith('on')).map((a) => `<${el.tagName.toLowerCase()} ${a.name}="${a.value}">`));
  const links = [...document.querySelectorAll('[href], [src], [action], [formaction]')]
    .map((el) => el.getAttribute('href') || el.getAttribute('src') || el.getAttribute('action') || el.getAttribute('formaction'))
    .filter((v) => /^\s*(javascript|data|vbscript):/i.test(v));
  const jsonLd = [...document.querySelectorAll('script[type="application/ld+json"]')].map((s) => s.text);
  return {
    scripts,
    handlers,
    links,
    jsonLd,
    pwned: window.__pwned,
    h1: document.querySelector('h1')?.textContent.trim(),
    title: document.title,
    description: document.querySelector('meta[name="description"]')?.getAttribute('content'),
  };
}

test('the trap works: a page that runs alert(1) is caught', async () => {
  const page = await context.newPage();
  try {
    await page.setContent('<p>x</p><script>alert(1)</script>');
    assert.equal(await page.evaluate(() => window.__pwned), true);
    assert.deepEqual(dialogs.map((d) => d.message), ['1']);
  } finally {
    await page.close();
    dialogs.length = 0;
  }
});

test('no injected text runs on any fixture page', async (t) => {
  const entries = env.sites.fixture.pages({ allTerms: true });
  const problems = [];
  let checkedTitles = 0;
  for (const entry of entries) {
    const { page } = await open(context, entry);
    try {
      const d = await page.evaluate(readDangers);
      const where = label(entry);
      if (d.pwned !== false) problems.push(`${where}: the trap was sprung (window.__pwned = ${d.pwned})`);
      for (const s of d.scripts) problems.push(`${where}: unexpected script ${s}`);
      for (const h of d.handlers) problems.push(`${where}: event handler ${h}`);
      for (const l of d.links) problems.push(`${where}: script address ${l}`);
      for (const text of d.jsonLd) {
        try {
          JSON.parse(text);
        } catch (e) {
          problems.push(`${where}: JSON-LD does not parse: ${e.message}`);
        }
      }
      // A challenge page shows its title and summary exactly as written.
      const m = /challenges\/skede-([a-z]+)\/$/.exec(entry.path);
      if (m && STAGES.includes(m[1])) {
        const text = TEXT[entry.lang];
        const title = text.title(m[1]);
        checkedTitles += 1;
        if (d.h1 !== title) problems.push(`${where}: h1 is ${JSON.stringify(d.h1)}, expected ${JSON.stringify(title)}`);
        if (!d.title.startsWith(title)) problems.push(`${where}: <title> is ${JSON.stringify(d.title)}`);
        if (d.description !== text.summary(m[1])) problems.push(`${where}: meta description is ${JSON.stringify(d.description)}`);
        const data = d.jsonLd.flatMap((s) => {
          try {
            const v = JSON.parse(s);
            return Array.isArray(v) ? v : [v];
          } catch {
            return [];
          }
        });
        const demand = data.find((v) => v['@type'] === 'Demand');
        if (!demand || demand.name !== title) problems.push(`${where}: JSON-LD name is ${JSON.stringify(demand?.name)}`);
        const facts = await page.textContent('#main');
        if (!facts.includes(text.factValue)) problems.push(`${where}: the fact value is not shown as text`);
      }
    } finally {
      await page.close();
    }
  }
  t.diagnostic(`injection: ${entries.length} fixture pages, ${dialogs.length} dialogs, ${problems.length} problems; ${checkedTitles} challenge titles shown verbatim`);
  assert.deepEqual(dialogs, [], 'dialogs opened');
  assert.deepEqual(problems, []);
  assert.equal(checkedTitles, STAGES.length * 2);
});

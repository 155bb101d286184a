'use strict';
// The HTML of every generated page, read as files: valid according to the
// Nu HTML checker, and the page frame present on every single page (the
// browser tests visit one page of each type; these read them all).

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFile } = require('node:child_process');
const { setUp } = require('./lib/setup');
const { build, filesUnder } = require('./lib/build');
const { barChartPng } = require('./lib/fixture');

const VNU_JAR = require.resolve('vnu-jar/build/dist/vnu.jar');

let env;
before(async () => {
  env = await setUp();
});
after(async () => {
  await env?.close();
});

/** Runs the Nu HTML checker on `files`; resolves to its messages. */
function vnu(files) {
  return new Promise((resolve, reject) => {
    execFile('java', ['-jar', VNU_JAR, '--errors-only', '--format', 'json', ...files],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        // The checker reports on stderr and exits 1 when it found errors.
        let parsed;
        try {
          parsed = JSON.parse(stderr);
        } catch {
          reject(new Error(`the Nu HTML checker did not answer in JSON (${error?.message || 'exit 0'}):\n${stderr}${stdout}`));
          return;
        }
        resolve(parsed.messages || []);
      });
  });
}

const report = (t, line) => {
  t.diagnostic(line);
};

test('the Nu HTML checker finds no errors in any generated page', async (t) => {
  let total = 0;
  for (const name of ['sample', 'fixture']) {
    const site = env.sites[name];
    const files = filesUnder(site.out, '.html');
    assert.ok(files.length > 50, `${name}: only ${files.length} HTML files`);
    const messages = await vnu(files);
    const errors = messages.filter((m) => m.type === 'error' || m.type === 'non-document-error');
    total += errors.length;
    report(t, `vnu: ${name}: ${files.length} HTML files checked, ${errors.length} errors`);
    const shown = errors.map((m) => `${path.relative(site.out, new URL(m.url).pathname)}:${m.lastLine}: ${m.message} [${(m.extract || '').trim()}]`);
    assert.deepEqual(shown, [], `${name}: Nu HTML checker errors`);
  }
  report(t, `vnu: ${total} errors in total`);
});

test('the checker is awake: it reports an error in a broken page', async () => {
  const dir = fs.mkdtempSync(path.join(env.tmp, 'vnu-'));
  const file = path.join(dir, 'broken.html');
  fs.writeFileSync(file, '<!DOCTYPE html><html lang="sv"><head><title>x</title></head><body><p><div></p></span></body></html>');
  const messages = await vnu([file]);
  assert.ok(messages.some((m) => m.type === 'error'), 'no error reported for broken HTML');
});

test('every generated page: lang, one h1, skip link first (not on the embedded list), accessibility statement in the footer', (t) => {
  const problems = [];
  let pages = 0;
  for (const site of Object.values(env.sites)) {
    for (const file of filesUnder(site.out, '.html')) {
      const rel = path.relative(site.out, file);
      const lang = rel.startsWith('en/') ? 'en' : 'sv';
      const html = fs.readFileSync(file, 'utf8');
      const where = `${site.name}/${rel}`;
      pages += 1;
      const htmlLang = /<html\s[^>]*\blang="([^"]+)"/.exec(html);
      if (!htmlLang || htmlLang[1] !== lang) problems.push(`${where}: <html lang> is ${htmlLang?.[1]}, expected ${lang}`);
      const h1 = (html.match(/<h1[\s>]/g) || []).length;
      if (h1 !== 1) problems.push(`${where}: ${h1} h1 elements`);
      const body = html.slice(html.indexOf('<body'));
      const first = /<(a\s[^>]*\bhref=|button[\s>]|input[\s>]|select[\s>]|textarea[\s>]|summary[\s>]|[a-z]+\s[^>]*\btabindex="(?!-)[^"]*")[^>]*>/.exec(body);
      // The list shown inside other sites' pages repeats no blocks to
      // skip: there the first link is the first challenge.
      const embedded = /(^|\/)embed\/index\.html$/.test(rel);
      if (embedded) {
        if (/class="skip-link"/.test(body)) problems.push(`${where}: an embedded page with a skip link`);
      } else if (!first || !/class="skip-link"/.test(first[0]) || !/href="#main"/.test(first[0])) {
        problems.push(`${where}: the first focusable element is ${first?.[0]}`);
      }
      if (!/\bid="main"/.test(body)) problems.push(`${where}: no id="main"`);
      const statement = `${site.server.baseUrl.replace(site.origin, '')}${lang === 'en' ? 'en/' : ''}tillganglighetsredogorelse/`;
      const footer = body.slice(body.indexOf('<footer'));
      if (!footer.includes(`href="${statement}"`)) problems.push(`${where}: the footer does not link to ${statement}`);
    }
  }
  report(t, `page frame: ${pages} HTML files read`);
  assert.deepEqual(problems, []);
  assert.ok(pages > 150, `only ${pages} pages`);
});

test('images beside a translated folder page load from its translation', () => {
  const root = path.join(env.tmp, 'translated-image', 'site');
  const out = path.join(env.tmp, 'translated-image', 'public');
  const write = (rel, text) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  write('site.toml', 'title = "Bilder"\nbase_url = "https://example.se/"\nlanguages = ["sv", "en"]\n');
  const front = (title) => `---\ntitle: ${title}\nsummary: En bild.\nbuyer: Exempelstad\nstage: need\npublished: 2023-06-15\n---\n\n![Diagram](bild.png)\n`;
  write('content/challenges/bild/index.md', front('Bild'));
  write('content/challenges/bild/index.en.md', front('Image'));
  write('content/challenges/bild/bild.png', barChartPng());
  build(root, out, 'http://127.0.0.1:9/utmaningar/');
  for (const page of ['challenges/bild/', 'en/challenges/bild/']) {
    const html = fs.readFileSync(path.join(out, page, 'index.html'), 'utf8');
    const src = /<img[^>]*\bsrc="([^"]+)"/.exec(html)?.[1];
    assert.ok(src, `${page}: no image`);
    const target = new URL(src, `http://127.0.0.1:9/utmaningar/${page}`).pathname.replace('/utmaningar/', '');
    assert.ok(fs.existsSync(path.join(out, target)), `${page}: the image ${src} is not published (${target})`);
  }
});

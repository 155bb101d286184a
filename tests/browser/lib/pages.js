'use strict';
// Which pages of a built portal to visit: one or more of every page type in
// every language, found in the output rather than listed by hand, so a page
// type that disappears makes the tests fail instead of shrinking them.

const fs = require('node:fs');
const path = require('node:path');

const TAXONOMIES = ['stages', 'status', 'categories', 'buyers', 'regions', 'suitable-for', 'value', 'cpv', 'tags'];
const LANGS = ['sv', 'en'];

const isDir = (p) => fs.existsSync(p) && fs.statSync(p).isDirectory();
const subdirs = (p) => (isDir(p)
  ? fs.readdirSync(p, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()
  : []);

/**
 * The pages to check in the portal built into `out` and served at `baseUrl`.
 * Each entry: `{ site, lang, type, path, url, status }`, where `path` is
 * relative to the base URL and `status` the HTTP status expected.
 * `allTerms` visits every term page instead of the first of each taxonomy.
 */
function pagesOf(site, out, baseUrl, { allTerms = false } = {}) {
  const pages = [];
  const add = (lang, type, rel, status = 200) => {
    pages.push({ site, lang, type, path: rel, url: baseUrl + rel, status });
  };
  for (const lang of LANGS) {
    const prefix = lang === 'sv' ? '' : `${lang}/`;
    const dir = path.join(out, prefix);
    if (!fs.existsSync(path.join(dir, 'index.html'))) continue;
    add(lang, 'home', prefix);
    add(lang, 'list', `${prefix}challenges/`);
    // The second page of a long list (`paginate` in site.toml), and of the
    // first term whose list is long: a page kind of its own.
    if (fs.existsSync(path.join(dir, 'challenges', 'page', '2', 'index.html'))) {
      add(lang, 'list-page', `${prefix}challenges/page/2/`);
    }
    for (const slug of subdirs(path.join(dir, 'challenges'))) {
      if (fs.existsSync(path.join(dir, 'challenges', slug, 'index.html'))) {
        add(lang, 'challenge', `${prefix}challenges/${slug}/`);
      }
    }
    for (const tax of TAXONOMIES) {
      if (!fs.existsSync(path.join(dir, tax, 'index.html'))) continue;
      add(lang, 'taxonomy', `${prefix}${tax}/`);
      const terms = subdirs(path.join(dir, tax));
      for (const term of allTerms ? terms : terms.slice(0, 1)) {
        add(lang, 'term', `${prefix}${tax}/${term}/`);
      }
    }
    if (fs.existsSync(path.join(dir, 'embed', 'index.html'))) add(lang, 'embed', `${prefix}embed/`);
    const pagedTerm = TAXONOMIES.flatMap((tax) => subdirs(path.join(dir, tax)).map((term) => `${tax}/${term}/`))
      .find((rel) => fs.existsSync(path.join(dir, rel, 'page', '2', 'index.html')));
    if (pagedTerm) add(lang, 'term-page', `${prefix}${pagedTerm}page/2/`);
    const skip = new Set(['challenges', 'static', 'api', 'embed', ...TAXONOMIES, ...LANGS]);
    for (const name of subdirs(dir)) {
      if (skip.has(name) || !fs.existsSync(path.join(dir, name, 'index.html'))) continue;
      const type = name.startsWith('tillganglighet') || name.startsWith('accessibility')
        ? 'accessibility'
        : 'plain';
      add(lang, type, `${prefix}${name}/`);
    }
    add(lang, '404', `${prefix}finns-inte/ingen-sida/`, 404);
  }
  return pages;
}

/** The page types every language of a portal must have. */
const REQUIRED_TYPES = ['home', 'list', 'challenge', 'taxonomy', 'term', 'plain', 'accessibility', 'embed', '404'];

/**
 * Page types shown inside another site's page (in an iframe): no skip link
 * or site chrome, and their own small style sheet.
 */
const EMBEDDED_TYPES = new Set(['embed']);

/** A short name of a page for messages: `sample/en challenges/a/`. */
const label = (p) => `${p.site}/${p.lang} ${p.path || '(home)'}`;

module.exports = { pagesOf, REQUIRED_TYPES, EMBEDDED_TYPES, TAXONOMIES, LANGS, label };

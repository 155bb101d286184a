'use strict';
// Shared set-up of every test file: a temporary folder holding the sample
// portal (the repository's content/) and the fixture portal, each built for
// and served on its own free loopback port under /utmaningar/.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { REPO, BASE_PATH, build } = require('./build');
const { writeFixture } = require('./fixture');
const { serve } = require('./server');
const { pagesOf } = require('./pages');

/**
 * Builds and serves both portals. `keep` leaves the temporary folder in
 * place after `close()` (for screenshots a person looks at afterwards).
 */
async function setUp({ keep = false } = {}) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'utlys-browser-'));
  const sites = {};
  try {
    for (const name of ['sample', 'fixture']) {
      const root = name === 'sample' ? REPO : path.join(tmp, 'fixture', 'site');
      if (name === 'fixture') writeFixture(root);
      const out = path.join(tmp, name, 'public');
      const server = await serve(out, BASE_PATH);
      sites[name] = { name, root, out, server, baseUrl: server.baseUrl, origin: server.origin };
      build(root, out, server.baseUrl);
      sites[name].pages = (opts) => pagesOf(name, out, server.baseUrl, opts);
    }
  } catch (e) {
    await Promise.all(Object.values(sites).map((s) => s.server.close()));
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return {
    tmp,
    sites,
    async close() {
      await Promise.all(Object.values(sites).map((s) => s.server.close()));
      if (!keep) fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

module.exports = { setUp };

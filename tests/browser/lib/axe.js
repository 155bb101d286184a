'use strict';
// axe-core as the browser tests run it: the WCAG 2.1 A and AA rules,
// violations only.

const assert = require('node:assert/strict');
const fs = require('node:fs');

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Fails, naming `what`, unless axe-core finds nothing on the page. */
async function assertAxeClean(page, what) {
  await page.addScriptTag({ content: AXE_SOURCE });
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    AXE_TAGS,
  );
  const found = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(found, [], `${what}: axe violations`);
}

module.exports = { AXE_SOURCE, AXE_TAGS, assertAxeClean };

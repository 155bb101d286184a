'use strict';
// Screenshots of the sample portal's home page, challenge list and the
// Helsingborg challenge at a phone width (375 px) and a desktop width
// (1280 px), for a person to look at. They are kept in the test's temporary
// folder; the paths are printed. The portal is built with --now, so the
// theme's script keeps the statuses of that time whatever the browser's
// clock says.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { setUp } = require('./lib/setup');
const { launch } = require('./lib/browser');

let env;
let context;
before(async () => {
  env = await setUp({ keep: true });
  context = await launch();
});
after(async () => {
  await context?.close();
  await env?.close();
});

/** Width and height from a PNG's header. */
function pngSize(file) {
  const bytes = fs.readFileSync(file);
  assert.equal(bytes.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', `${file} is not a PNG`);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

test('screenshots of home, the list and a challenge at 375 px and 1280 px', async (t) => {
  const dir = path.join(env.tmp, 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  const base = env.sites.sample.baseUrl;
  const shots = [
    ['home', base, 'Innovationsutmaningar'],
    ['list', `${base}challenges/`, 'Alla utmaningar'],
    ['helsingborg', `${base}challenges/klimatavtryck-offentlig-konsumtion/`, 'Halvera klimatavtrycket'],
  ];
  for (const [name, url, expected] of shots) {
    for (const width of [375, 1280]) {
      const page = await context.newPage();
      try {
        await page.setViewportSize({ width, height: 800 });
        await page.goto(url, { waitUntil: 'networkidle' });
        assert.match(await page.textContent('h1'), new RegExp(expected));
        const file = path.join(dir, `${name}-${width}.png`);
        await page.screenshot({ path: file, fullPage: true });
        const size = pngSize(file);
        assert.equal(size.width, width, `${file}: ${size.width} px wide`);
        assert.ok(size.height >= 800, `${file}: only ${size.height} px high`);
        t.diagnostic(`screenshot: ${file} (${size.width}×${size.height})`);
      } finally {
        await page.close();
      }
    }
  }
});

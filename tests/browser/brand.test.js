'use strict';
// The fixture portal carries a brand ([brand] in its site.toml: a colour,
// a logo, contact details). Its home page in Chromium at 320 px and
// 1280 px: the colour reaches the header and the buttons, the logo keeps
// the room its width and height reserve (nothing shifts), fits a 320 px
// screen, and the page stays clean under axe-core. Screenshots are kept in
// the test's temporary folder for a person to look at; the paths are
// printed. (pages.test.js and html.test.js run axe and the Nu checker over
// every page of the same branded portal.)

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { setUp } = require('./lib/setup');
const { launch } = require('./lib/browser');
const { BRAND } = require('./lib/fixture');
const { AXE_SOURCE, AXE_TAGS } = require('./lib/axe');


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

/** `#rrggbb` as the browser computes it: `rgb(r, g, b)`. */
function rgb(hex) {
  const n = (i) => parseInt(hex.slice(i, i + 2), 16);
  return `rgb(${n(1)}, ${n(3)}, ${n(5)})`;
}

/** What the branded header looks like, read inside the page. */
function readBrand() {
  const img = document.querySelector('.site-header img.site-logo');
  const box = img?.getBoundingClientRect();
  const header = document.querySelector('.site-header');
  return {
    logo: img && {
      width: img.getAttribute('width'),
      height: img.getAttribute('height'),
      alt: img.getAttribute('alt'),
      loaded: img.complete && img.naturalWidth > 0,
      box: { left: box.left, right: box.right, width: box.width, height: box.height },
    },
    header: getComputedStyle(header).backgroundColor,
    brandVar: getComputedStyle(document.documentElement).getPropertyValue('--brand').trim(),
    focusVar: getComputedStyle(document.documentElement).getPropertyValue('--focus').trim(),
    org: document.querySelector('.footer-org__name')?.textContent,
    viewport: window.innerWidth,
    scrollWidth: document.documentElement.scrollWidth,
  };
}

/** The layout shift of the page so far (Chromium's layout-shift entries). */
function layoutShift() {
  return new Promise((resolve) => {
    let total = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) total += entry.value;
    }).observe({ type: 'layout-shift', buffered: true });
    setTimeout(() => resolve(total), 300);
  });
}

/** Width and height from a PNG's header. */
function pngSize(file) {
  const bytes = fs.readFileSync(file);
  assert.equal(bytes.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', `${file} is not a PNG`);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

test('the branded home page at 320 px and 1280 px: colour, logo, no shift, axe clean', async (t) => {
  const dir = path.join(env.tmp, 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  const staticDir = path.join(env.sites.fixture.out, 'static');
  const sheet = fs.readdirSync(staticDir).find((f) => /^brand\.[0-9a-f]{8}\.css$/.test(f));
  assert.ok(sheet, 'no static/brand.<hash>.css in the output');
  const css = fs.readFileSync(path.join(staticDir, sheet), 'utf8');
  assert.match(css, new RegExp(`--brand: ${BRAND.color};`));
  for (const width of [320, 1280]) {
    const page = await context.newPage();
    try {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(env.sites.fixture.baseUrl, { waitUntil: 'networkidle' });
      const seen = await page.evaluate(readBrand);
      assert.equal(seen.brandVar, BRAND.color);
      assert.equal(seen.header, rgb(BRAND.color), 'the header has the brand colour');
      // The theme's yellow is too close to this red: the build lifted it.
      assert.notEqual(seen.focusVar, '#ffbf47');
      assert.ok(seen.logo, 'the header shows the logo');
      assert.ok(seen.logo.loaded, 'the logo loads');
      assert.equal(seen.logo.width, String(BRAND.width));
      assert.equal(seen.logo.height, String(BRAND.height));
      assert.match(seen.logo.alt, /^Testkommun <script>/);
      assert.ok(seen.logo.box.right <= seen.viewport, `the logo ends at ${seen.logo.box.right}px`);
      assert.ok(seen.logo.box.height <= BRAND.height + 0.5, `the logo is ${seen.logo.box.height}px high`);
      const ratio = seen.logo.box.width / seen.logo.box.height;
      assert.ok(Math.abs(ratio - BRAND.width / BRAND.height) < 0.05, `the logo's shape ${ratio}`);
      assert.ok(seen.scrollWidth <= seen.viewport, `${seen.scrollWidth}px wide at ${width}px`);
      assert.match(seen.org, /^Testkommun <script>/);
      const shift = await page.evaluate(layoutShift);
      assert.ok(shift < 0.01, `layout shift ${shift}`);
      await page.addScriptTag({ content: AXE_SOURCE });
      const axe = await page.evaluate(
        (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
        AXE_TAGS,
      );
      assert.deepEqual(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`), []);
      const file = path.join(dir, `brand-home-${width}.png`);
      await page.screenshot({ path: file, fullPage: true });
      assert.equal(pngSize(file).width, width);
      t.diagnostic(`screenshot: ${file}`);
    } finally {
      await page.close();
    }
  }
});

test('buttons take the brand colour, and its computed darker shade under the pointer', async () => {
  const page = await context.newPage();
  try {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${env.sites.fixture.baseUrl}challenges/skede-rfi/`, { waitUntil: 'load' });
    const button = page.locator('a.button').first();
    const background = () => button.evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(await background(), rgb(BRAND.color));
    const dark = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--brand-dark').trim());
    assert.match(dark, /^#[0-9a-f]{6}$/);
    assert.notEqual(dark, BRAND.color);
    await button.hover();
    assert.equal(await background(), rgb(dark));
  } finally {
    await page.close();
  }
});

test('the focus highlight stands out on the branded header', async () => {
  const page = await context.newPage();
  try {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(env.sites.fixture.baseUrl, { waitUntil: 'load' });
    await page.focus('.site-title');
    await page.keyboard.press('Tab');
    await page.keyboard.down('Shift');
    await page.keyboard.press('Tab');
    await page.keyboard.up('Shift');
    const seen = await page.evaluate(() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      return {
        cls: String(el.className),
        background: style.backgroundColor,
        focus: getComputedStyle(document.documentElement).getPropertyValue('--focus').trim(),
      };
    });
    assert.match(seen.cls, /site-title/);
    const n = (hex, i) => parseInt(hex.slice(i, i + 2), 16);
    const f = seen.focus;
    assert.equal(seen.background, `rgb(${n(f, 1)}, ${n(f, 3)}, ${n(f, 5)})`);
  } finally {
    await page.close();
  }
});

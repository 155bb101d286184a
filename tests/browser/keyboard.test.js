'use strict';
// Keyboard use: Tab reaches every link, button and form control, in document
// order, and each shows where the focus is (its outline or box shadow
// changes from the unfocused state). The skip link moves focus to the
// content.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { setUp } = require('./lib/setup');
const { launch } = require('./lib/browser');

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

/** Marks what should take focus and records how it looks unfocused. */
function markFocusable() {
  const selector = 'a[href], area[href], button, input:not([type="hidden"]), select, textarea, summary, iframe, [contenteditable=""], [contenteditable="true"], [tabindex]';
  const style = (el) => {
    const s = getComputedStyle(el);
    return { outlineStyle: s.outlineStyle, outlineWidth: s.outlineWidth, outlineColor: s.outlineColor, boxShadow: s.boxShadow };
  };
  const items = [...document.querySelectorAll(selector)].filter((el) => el.tabIndex >= 0
    && !el.disabled
    && !el.closest('[inert]')
    && el.checkVisibility({ visibilityProperty: true }));
  return items.map((el, i) => {
    el.setAttribute('data-kbd', String(i));
    const text = (el.getAttribute('aria-label') || el.textContent || el.value || el.name || el.id || '').trim().replace(/\s+/g, ' ');
    return { i, what: `<${el.tagName.toLowerCase()}> "${text.slice(0, 50)}"`, style: style(el) };
  });
}

/** The focused element's mark and look. */
function readFocus() {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const s = getComputedStyle(el);
  return {
    i: el.hasAttribute('data-kbd') ? Number(el.getAttribute('data-kbd')) : null,
    what: `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}>`,
    style: { outlineStyle: s.outlineStyle, outlineWidth: s.outlineWidth, outlineColor: s.outlineColor, boxShadow: s.boxShadow },
  };
}

const transparent = (color) => /rgba\([^)]*,\s*0\)$/.test(color) || color === 'transparent';

/** Whether the focused look differs visibly from the unfocused one. */
function focusVisible(before, focused) {
  const outline = focused.outlineStyle !== 'none'
    && parseFloat(focused.outlineWidth) > 0
    && !transparent(focused.outlineColor)
    && (focused.outlineStyle !== before.outlineStyle
      || focused.outlineWidth !== before.outlineWidth
      || focused.outlineColor !== before.outlineColor);
  const shadow = focused.boxShadow !== 'none' && focused.boxShadow !== before.boxShadow;
  return outline || shadow;
}

async function tabThrough(t, url, name) {
  const page = await context.newPage();
  try {
    const response = await page.goto(url, { waitUntil: 'networkidle' });
    assert.equal(response.status(), 200, `${name}: HTTP ${response.status()}`);
    const items = await page.evaluate(markFocusable);
    assert.ok(items.length >= 10, `${name}: only ${items.length} focusable elements`);
    const reached = new Map();
    const order = [];
    for (let n = 0; n < items.length + 5; n += 1) {
      await page.keyboard.press('Tab');
      const focus = await page.evaluate(readFocus);
      if (!focus) break; // past the last element
      assert.notEqual(focus.i, null, `${name}: Tab reached ${focus.what}, which was not expected to take focus`);
      if (reached.has(focus.i)) break; // wrapped around
      reached.set(focus.i, focus);
      order.push(focus.i);
    }
    const missed = items.filter((it) => !reached.has(it.i)).map((it) => it.what);
    assert.deepEqual(missed, [], `${name}: never reached by Tab`);
    assert.deepEqual(order, [...order].sort((a, b) => a - b), `${name}: the focus order is not the document order`);
    const invisible = items
      .filter((it) => !focusVisible(it.style, reached.get(it.i).style))
      .map((it) => `${it.what}: ${JSON.stringify(reached.get(it.i).style)}`);
    assert.deepEqual(invisible, [], `${name}: focus not visible on`);
    const kinds = await page.evaluate(() => [...document.querySelectorAll('[data-kbd]')].map((el) => el.tagName.toLowerCase()));
    const counts = kinds.reduce((m, k) => ({ ...m, [k]: (m[k] || 0) + 1 }), {});
    const line = `keyboard: ${name}: ${items.length} elements reached by Tab with visible focus (${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')})`;
    t.diagnostic(line);
    return counts;
  } finally {
    await page.close();
  }
}

test('Tab reaches every interactive element, in order, with visible focus', async (t) => {
  const sample = env.sites.sample.baseUrl;
  const fixture = env.sites.fixture.baseUrl;
  const pages = [
    [`${sample}`, 'sample home'],
    [`${sample}en/`, 'sample home (en)'],
    [`${sample}challenges/klimatavtryck-offentlig-konsumtion/`, 'Helsingborg challenge'],
    [`${sample}en/challenges/klimatavtryck-offentlig-konsumtion/`, 'Helsingborg challenge (en)'],
    [`${sample}challenges/`, 'challenge list with search form'],
    [`${fixture}challenges/skede-rfi/`, 'fixture rfi challenge'],
  ];
  const seen = {};
  for (const [url, name] of pages) {
    await t.test(name, async (st) => {
      const counts = await tabThrough(st, url, name);
      for (const [k, v] of Object.entries(counts)) seen[k] = (seen[k] || 0) + v;
    });
  }
  // The list's search form gives the keyboard inputs, selects and a button.
  for (const kind of ['a', 'input', 'select', 'button']) {
    assert.ok(seen[kind] > 0, `no <${kind}> was among the elements tabbed through`);
  }
});

test('the skip link moves the focus to the main content', async () => {
  const page = await context.newPage();
  try {
    await page.goto(`${env.sites.sample.baseUrl}challenges/klimatavtryck-offentlig-konsumtion/`);
    await page.keyboard.press('Tab');
    const box = await page.locator('.skip-link').boundingBox();
    assert.ok(box && box.y >= 0 && box.height > 0, 'the focused skip link is not on screen');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
    await page.keyboard.press('Tab');
    const inMain = await page.evaluate(() => !!document.activeElement?.closest('#main'));
    assert.ok(inMain, 'the next Tab after the skip link does not land in the main content');
  } finally {
    await page.close();
  }
});

test('the focus check can fail: an element with its outline removed is caught', async () => {
  const page = await context.newPage();
  try {
    await page.setContent('<a href="#x" style="outline:none">x</a>');
    const before = await page.evaluate(() => {
      const s = getComputedStyle(document.querySelector('a'));
      return { outlineStyle: s.outlineStyle, outlineWidth: s.outlineWidth, outlineColor: s.outlineColor, boxShadow: s.boxShadow };
    });
    await page.keyboard.press('Tab');
    const focus = await page.evaluate(readFocus);
    assert.equal(focusVisible(before, focus.style), false);
  } finally {
    await page.close();
  }
});

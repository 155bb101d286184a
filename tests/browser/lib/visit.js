'use strict';
// Opening a page of a served portal and recording what it asks for.

const { label } = require('./pages');

/**
 * Opens `entry` (from pagesOf) in a new page of `context`, recording every
 * request and failed subresource. Checks the HTTP status the page is meant
 * to have. The caller closes the page.
 */
async function open(context, entry, { idle = false } = {}) {
  const page = await context.newPage();
  const requests = [];
  const failed = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('requestfailed', (r) => failed.push(`${r.url()} (${r.failure()?.errorText})`));
  page.on('response', (r) => {
    if (r.status() >= 400 && r.url() !== entry.url) failed.push(`${r.url()} (HTTP ${r.status()})`);
  });
  const response = await page.goto(entry.url, { waitUntil: 'load' });
  if (!response) throw new Error(`${label(entry)}: no response`);
  if (response.status() !== entry.status) {
    throw new Error(`${label(entry)}: HTTP ${response.status()}, expected ${entry.status}`);
  }
  // The list page fetches its search index after load.
  if (idle || (await page.$('#utlys-search'))) {
    await page.waitForLoadState('networkidle');
  }
  return { page, requests, failed, response };
}

/** Runs `fn` for every entry with one page open at a time. */
async function eachPage(context, entries, fn, options) {
  for (const entry of entries) {
    const visit = await open(context, entry, options);
    try {
      await fn(visit, entry);
    } finally {
      await visit.page.close();
    }
  }
}

module.exports = { open, eachPage };

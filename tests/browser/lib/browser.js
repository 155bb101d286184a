'use strict';
// Debian's Chromium, driven by playwright-core: no browser download, a fresh
// profile in a temporary folder for every launch, and nothing that phones
// home (updates, sync, QUIC, background networking), so every request the
// tests see comes from the page itself.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.UTLYS_CHROMIUM || '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/**
 * Launches Chromium with its own profile folder (removed on close) and
 * returns the browser context. `options` go to the context, e.g.
 * `{ javaScriptEnabled: false }` or a viewport.
 */
async function launch(options = {}) {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)`);
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'utlys-chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ARGS,
    headless: true,
    viewport: { width: 1280, height: 900 },
    ...options,
  });
  context.setDefaultTimeout(15000);
  context.setDefaultNavigationTimeout(15000);
  const close = context.close.bind(context);
  context.close = async () => {
    try {
      await close();
    } finally {
      fs.rmSync(profile, { recursive: true, force: true });
    }
  };
  return context;
}

module.exports = { launch, CHROMIUM, ARGS };

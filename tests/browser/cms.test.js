'use strict';
// Editing in the browser: the admin page `utlys init --cms decap` writes,
// with Decap CMS (the pinned npm package, served from here: nothing is
// fetched from the internet) and `decap-server` as its local backend on a
// temporary Git repository. A writer creates a challenge through the form;
// a deadline in a form Utlys does not read is stopped by the form, one that
// falls in the daylight-saving gap is let through by the form and caught by
// `utlys check` (as in CI); the corrected challenge goes through the
// editorial workflow (draft, in review, ready, published) and then passes
// the check and appears in a build.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const crypto = require('node:crypto');
const { spawn, execFileSync, spawnSync } = require('node:child_process');
const { launch } = require('./lib/browser');
const { utlysBinary, build } = require('./lib/build');

const MODULES = path.join(__dirname, 'node_modules');
const DIST = path.join(MODULES, 'decap-cms', 'dist');
const SHOTS = fs.mkdtempSync(path.join(os.tmpdir(), 'utlys-cms-screens-'));
const BASE = '/utmaningar/';
const TYPES = { '.js': 'text/javascript', '.html': 'text/html; charset=utf-8', '.yml': 'text/yaml', '.css': 'text/css' };

/** Runs `utlys` with `args`; returns its exit code and output. */
function utlys(args) {
  const r = spawnSync(utlysBinary(), [...args, '--lang', 'en'], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Git in `dir`, as a test writer. */
function git(dir, ...args) {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.se', ...args], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A server for the built site under BASE and the CMS package under /decap/. */
async function serveSiteAndCms(pub) {
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    let file = null;
    if (url.startsWith('/decap/')) file = path.join(DIST, url.slice('/decap/'.length));
    else if (url.startsWith(BASE)) file = path.join(pub, url.slice(BASE.length));
    if (file && url.endsWith('/')) file = path.join(file, 'index.html');
    if (!file || url.includes('..') || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found\n');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** Starts decap-server on `port` over the Git repository `repo`; resolves once it answers. */
async function startDecapServer(repo, port) {
  const child = spawn(process.execPath, [path.join(MODULES, 'decap-server', 'dist', 'index.js')], {
    env: { ...process.env, PORT: String(port), MODE: 'git', GIT_REPO_DIRECTORY: repo },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'info' }),
      });
      if (res.ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('decap-server did not start');
}

/** The top-level keys of the template `utlys new challenge` writes, live or commented out. */
function templateKeys(file) {
  const text = fs.readFileSync(file, 'utf8').split('\n---\n')[0];
  const keys = new Set();
  for (const line of text.split('\n')) {
    const m = /^(?:# )?([a-z_]+):/.exec(line);
    if (m) keys.add(m[1]);
  }
  return [...keys].sort();
}

/** Replaces the text of the form field `name` (the first one so named). */
async function type(page, name, text) {
  const input = page.locator(`[id^="${name}-field-"]`).first();
  await input.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(text);
}

async function shot(page, name) {
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  console.log(`screenshot: ${file}`);
}

test('the pinned default script is the npm package file with the integrity hash the admin page gives', () => {
  const bytes = fs.readFileSync(path.join(DIST, 'decap-cms.js'));
  const hash = `sha384-${crypto.createHash('sha384').update(bytes).digest('base64')}`;
  const version = JSON.parse(fs.readFileSync(path.join(MODULES, 'decap-cms', 'package.json'), 'utf8')).version;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'utlys-cms-pin-'));
  try {
    const site = path.join(tmp, 'site');
    assert.equal(utlys(['init', site, '--cms', 'decap']).code, 0);
    const page = fs.readFileSync(path.join(site, 'static/admin/index.html'), 'utf8');
    assert.ok(
      page.includes(`src="https://unpkg.com/decap-cms@${version}/dist/decap-cms.js" integrity="${hash}"`),
      `the admin page does not load decap-cms@${version} with ${hash}:\n${page}`,
    );
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('a writer creates a challenge in the browser; the form and the check stop wrong deadlines', async (t) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'utlys-cms-'));
  const site = path.join(tmp, 'site');
  const pub = path.join(tmp, 'public');
  assert.equal(utlys(['init', site, '--cms', 'decap']).code, 0);
  // The script from the npm package, served here, instead of the public CDN.
  fs.appendFileSync(path.join(site, 'site.toml'), '\n[cms]\nscript_url = "/decap/decap-cms.js"\n');
  const regenerated = utlys(['cms', '--root', site]);
  assert.equal(regenerated.code, 0, regenerated.stderr);
  git(site, 'init', '-q', '-b', 'main');
  git(site, 'add', '-A');
  git(site, 'commit', '-qm', 'Ny webbplats');

  const server = await serveSiteAndCms(pub);
  const port = server.address().port;
  const probe = await serveSiteAndCms(pub);
  const backendPort = probe.address().port;
  await new Promise((r) => probe.close(r));
  const backend = await startDecapServer(site, backendPort);
  const context = await launch();
  t.after(async () => {
    await context.close();
    backend.kill();
    await new Promise((r) => server.close(r));
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  build(site, pub, `http://127.0.0.1:${port}${BASE}`);
  // Decap looks for its local backend on port 8081; this test's is elsewhere.
  const config = path.join(pub, 'admin', 'config.yml');
  const text = fs.readFileSync(config, 'utf8');
  assert.ok(text.includes('\nlocal_backend: true\n'));
  fs.writeFileSync(
    config,
    text.replace('\nlocal_backend: true\n', `\nlocal_backend:\n  url: "http://127.0.0.1:${backendPort}/api/v1"\n`),
  );

  const page = await context.newPage();
  const outside = [];
  page.on('request', (req) => {
    const u = new URL(req.url());
    if (u.hostname !== '127.0.0.1' && u.protocol !== 'data:' && u.protocol !== 'blob:') outside.push(req.url());
  });
  await page.goto(`http://127.0.0.1:${port}${BASE}admin/`);
  assert.equal(await page.locator('meta[name="robots"]').getAttribute('content'), 'noindex, nofollow');
  await shot(page, '1-login');
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.getByText('Exempel: minskat matsvinn i skolköket').waitFor();
  await shot(page, '2-collections');

  await page.goto(`http://127.0.0.1:${port}${BASE}admin/#/collections/challenges/new`);
  await page.locator('[id^="title-field-"]').waitFor();

  // Every field of the model (the template `utlys new` writes has each
  // once) has its place in the form.
  const made = utlys(['new', 'challenge', 'Mall', '--root', site]);
  assert.equal(made.code, 0, made.stderr);
  const template = path.join(site, 'content', 'challenges', 'mall.md');
  const keys = templateKeys(template);
  fs.rmSync(template);
  const ids = await page.locator('label[for]').evaluateAll((ls) => ls.map((l) => l.htmlFor.replace(/-field-\d+$/, '')));
  for (const key of keys) assert.ok(ids.includes(key), `the form has no field \`${key}\``);

  await type(page, 'title', 'Trygg skolväg');
  await type(page, 'summary', 'Vi söker sätt att göra vägen till skolan tryggare.');
  await type(page, 'buyer', 'Exempelstads kommun');
  await page.locator('[id^="stage-field-"]').click();
  await page.getByText('RFI (förfrågan om information)', { exact: true }).click();
  await page.locator('[id^="published-field-"]').fill('2027-01-10');
  await type(page, 'name', 'Anna Andersson');
  await type(page, 'email', 'anna.andersson@exempel.se');
  await page.locator('[data-slate-editor]').last().click();
  await page.keyboard.type('Barn ska kunna gå och cykla till skolan på egen hand.');

  // A date the way people write it by hand: the form refuses to save it.
  await type(page, 'deadline', '28/3/2027');
  await page.getByRole('button', { name: 'Spara' }).click();
  await page.getByText('Skriv ÅÅÅÅ-MM-DD, ÅÅÅÅ-MM-DDTTT:MM', { exact: false }).first().waitFor();
  await page.locator('[id^="deadline-field-"]').scrollIntoViewIfNeeded();
  await shot(page, '3-pattern-error');
  assert.doesNotMatch(git(site, 'branch', '--list'), /cms\//, 'nothing is saved');

  // 02:30 on the night the clocks go forward: the form saves it as a
  // draft, and the check (as run in CI) refuses it.
  await type(page, 'deadline', '2027-03-28T02:30');
  await page.getByRole('button', { name: 'Spara' }).click();
  await page.getByRole('button', { name: /^Status: Utkast/ }).waitFor();
  const branch = 'cms/challenges/trygg-skolvag';
  const file = 'content/challenges/trygg-skolvag.md';
  await waitFor(() => git(site, 'show', `${branch}:${file}`).includes('deadline: 2027-03-28T02:30'));
  const draft = path.join(tmp, 'draft');
  git(tmp, 'clone', '-q', '--branch', branch, site, draft);
  const checked = utlys(['check', '--root', draft, '--format', 'json']);
  assert.equal(checked.code, 1, checked.stdout);
  const report = JSON.parse(checked.stdout);
  const gap = report.diagnostics.find((d) => d.code === 'nonexistent-time');
  assert.ok(gap, checked.stdout);
  assert.equal(gap.path, file);
  assert.equal(gap.field, 'deadline');

  // Corrected, then through the editorial workflow.
  await type(page, 'deadline', '2027-03-31T12:00');
  await page.getByRole('button', { name: 'Spara' }).click();
  await waitFor(() => git(site, 'show', `${branch}:${file}`).includes('deadline: 2027-03-31T12:00'));
  await shot(page, '4-saved-draft');
  await page.getByRole('button', { name: /^Status: Utkast/ }).click();
  await page.getByRole('menuitem', { name: 'Under granskning' }).click();
  await page.getByRole('button', { name: /^Status: Under granskning/ }).waitFor();
  await page.goto(`http://127.0.0.1:${port}${BASE}admin/#/workflow`);
  await page.getByText('Trygg skolväg').first().waitFor();
  await shot(page, '5-workflow-in-review');
  await page.getByText('Trygg skolväg').first().click();
  await page.getByRole('button', { name: /^Status: Under granskning/ }).click();
  await page.getByRole('menuitem', { name: 'Redo' }).click();
  await page.getByRole('button', { name: /^Status: Redo/ }).waitFor();
  await page.getByRole('button', { name: 'Publicera', exact: true }).click();
  page.once('dialog', (d) => d.accept());
  await page.getByRole('menuitem', { name: 'Publicera nu' }).click();
  await waitFor(() => {
    try {
      return git(site, 'show', `main:${file}`).includes('2027-03-31T12:00');
    } catch {
      return false;
    }
  });
  await shot(page, '6-published');

  const published = path.join(tmp, 'published');
  git(tmp, 'clone', '-q', site, published);
  const ok = utlys(['check', '--root', published, '--format', 'json']);
  assert.equal(ok.code, 0, ok.stdout);
  assert.equal(JSON.parse(ok.stdout).errors, 0);
  const out = path.join(tmp, 'out');
  build(published, out, 'https://utmaningar.exempel.se/');
  const html = fs.readFileSync(path.join(out, 'challenges', 'trygg-skolvag', 'index.html'), 'utf8');
  assert.match(html, /<h1[^>]*>Trygg skolväg<\/h1>/);
  assert.match(html, /Barn ska kunna gå och cykla till skolan på egen hand\./);
  assert.deepEqual(outside, [], 'the admin page asked for nothing outside this machine');
});

/** Polls `ok` until it holds (15 s at most). */
async function waitFor(ok) {
  for (let i = 0; i < 150; i++) {
    try {
      if (ok()) return;
    } catch {
      // not there yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${ok}`);
}

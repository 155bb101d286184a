'use strict';
// Builds portals with the real `utlys` binary into temporary folders.

const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

/** The repository's root folder. */
const REPO = path.resolve(__dirname, '..', '..', '..');

/** The build clock: the Helsingborg RFI is closing soon at this moment. */
const NOW = '2023-08-25T10:00:00+02:00';

/** The URL folder every test portal is published under. */
const BASE_PATH = '/utmaningar/';

let binary = null;

/**
 * The `utlys` binary: `UTLYS_BIN` when set, else the debug build, which is
 * brought up to date first (cargo does nothing when it is).
 */
function utlysBinary() {
  if (binary) return binary;
  if (process.env.UTLYS_BIN) {
    binary = process.env.UTLYS_BIN;
  } else {
    execFileSync('cargo', ['build', '--quiet'], { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit'] });
    binary = path.join(REPO, 'target', 'debug', 'utlys');
  }
  if (!fs.existsSync(binary)) {
    throw new Error(`the utlys binary ${binary} does not exist`);
  }
  return binary;
}

/**
 * Builds the site in `root` into `output` for `baseUrl`, with the clock
 * `now` (`null`: the real clock, no `--now`). Throws with the build's own
 * messages when it fails.
 */
function build(root, output, baseUrl, { now = NOW } = {}) {
  const clock = now === null ? [] : ['--now', now];
  const args = ['build', '--root', root, '--output', output, ...clock, '--base-url', baseUrl];
  try {
    return execFileSync(utlysBinary(), args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(`utlys ${args.join(' ')} failed:\n${e.stdout || ''}${e.stderr || ''}`);
  }
}

/** Every file under `dir` whose name ends in `ext`, sorted, as absolute paths. */
function filesUnder(dir, ext) {
  const found = [];
  const walk = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith(ext)) found.push(p);
    }
  };
  walk(dir);
  return found.sort();
}

module.exports = { REPO, NOW, BASE_PATH, utlysBinary, build, filesUnder };

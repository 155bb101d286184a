'use strict';
// A tiny static file server for a built portal: serves only what lies under
// the base path (/utmaningar/), answers unknown paths with the portal's own
// 404 page and the status 404, and sets no headers beyond the content type.

const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.ics': 'text/calendar; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.pdf': 'application/pdf',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

/** The content type of a file name, by its extension. */
function contentType(file) {
  return TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

/**
 * Starts a server on a free loopback port. `root` is the built site and
 * `basePath` the URL folder it is published under ('/utmaningar/'). The
 * folder may be empty or missing at start: files are looked up per request,
 * so the site can be built after the port is known.
 */
async function serve(root, basePath) {
  const requests = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { 'content-type': 'text/plain; charset=utf-8', allow: 'GET, HEAD' });
      res.end('method not allowed\n');
      return;
    }
    const url = new URL(req.url, 'http://127.0.0.1');
    let pathname;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return notFound(res, req, root, basePath, '');
    }
    if (!pathname.startsWith(basePath)) {
      if (pathname === basePath.replace(/\/$/, '')) {
        res.writeHead(301, { location: basePath });
        res.end();
        return;
      }
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('not found\n');
      return;
    }
    const rel = pathname.slice(basePath.length);
    // No way out of the site's folder: no '..', no NUL, no backslash.
    if (rel.split('/').some((s) => s === '..') || /[\0\\]/.test(rel)) {
      return notFound(res, req, root, basePath, rel);
    }
    let file = path.join(root, rel);
    let stat = statOrNull(file);
    if (stat && stat.isDirectory()) {
      if (!pathname.endsWith('/')) {
        res.writeHead(301, { location: `${pathname}/${url.search}` });
        res.end();
        return;
      }
      file = path.join(file, 'index.html');
      stat = statOrNull(file);
    }
    if (!stat || !stat.isFile()) {
      return notFound(res, req, root, basePath, rel);
    }
    send(res, req, 200, file, stat);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    baseUrl: `http://127.0.0.1:${port}${basePath}`,
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}

function statOrNull(file) {
  try {
    return fs.statSync(file);
  } catch {
    return null;
  }
}

function send(res, req, status, file, stat) {
  res.writeHead(status, {
    'content-type': contentType(file),
    'content-length': stat.size,
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  fs.createReadStream(file).pipe(res);
}

/** The 404 page of the language folder the path is in, else the site's. */
function notFound(res, req, root, basePath, rel) {
  const lang = /^([a-z]{2})\//.exec(rel);
  const candidates = [lang && path.join(root, lang[1], '404.html'), path.join(root, '404.html')];
  for (const file of candidates.filter(Boolean)) {
    const stat = statOrNull(file);
    if (stat && stat.isFile()) {
      return send(res, req, 404, file, stat);
    }
  }
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  res.end('not found\n');
}

module.exports = { serve, contentType };

// A tiny static file server for the browser tests: serves one built site on 127.0.0.1 and a free
// port, with the Content-Security-Policy the theme promises to work under, so that any inline
// script, eval or outside request shows up as a violation in the test.
//
// Run it alone to look at a build: SITE_DIR=public node tests/browser/server.mjs
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const CSP = "default-src 'self'";

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** Serves `root`; resolves to { url, close() } once listening. */
export async function serve(root) {
  const base = path.resolve(root);
  const server = http.createServer(async (req, res) => {
    const headers = {
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    };
    let file;
    try {
      const { pathname } = new URL(req.url, 'http://127.0.0.1');
      file = path.join(base, decodeURIComponent(pathname));
    } catch {
      res.writeHead(400, headers).end('bad request');
      return;
    }
    // Never serve outside the site folder.
    if (file !== base && !file.startsWith(base + path.sep)) {
      res.writeHead(403, headers).end('forbidden');
      return;
    }
    try {
      if ((await fs.stat(file)).isDirectory()) file = path.join(file, 'index.html');
      const body = await fs.readFile(file);
      headers['Content-Type'] = TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
      res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : body);
    } catch {
      const notFound = await fs.readFile(path.join(base, '404.html')).catch(() => 'not found');
      headers['Content-Type'] = 'text/html; charset=utf-8';
      res.writeHead(404, headers).end(notFound);
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve); // port 0: the system picks a free one
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] || '').href) {
  const root = process.env.SITE_DIR;
  if (!root) {
    console.error('set SITE_DIR to a built site, e.g. SITE_DIR=public');
    process.exit(2);
  }
  const { url } = await serve(root);
  console.log(`serving ${root} at ${url}/`);
}

// A tiny static file server for the browser tests: serves the repository root (dist/, build/,
// test/browser/) over http://127.0.0.1 with the MIME types a browser insists on (.js as
// text/javascript for ES modules, .wasm as application/wasm for WebAssembly.compileStreaming).
//
// Every path is also reachable under /coi/ (…/coi/test/browser/page.html) with the two headers that
// make a page cross-origin isolated (Cross-Origin-Opener-Policy: same-origin and
// Cross-Origin-Embedder-Policy: require-corp), so that SharedArrayBuffer exists there; the same files
// served without the prefix get neither header. Run it by hand with `npm run build && npx tsx test/browser/server.ts`
// (PORT, default 8080).
//
// /datasets/fashion-mnist/<file> serves the four gzipped Fashion-MNIST IDX files (and nothing else
// from there) from $FASHION_MNIST_DIR, or Debian's /usr/share/datasets/fashion-mnist.

import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.bin': 'application/octet-stream',
};

/** The URL prefix of the Fashion-MNIST files, and the only names served under it. */
export const FASHION_MNIST_ROUTE = '/datasets/fashion-mnist/';
export const FASHION_MNIST_FILES: readonly string[] = [
  'train-images-idx3-ubyte.gz',
  'train-labels-idx1-ubyte.gz',
  't10k-images-idx3-ubyte.gz',
  't10k-labels-idx1-ubyte.gz',
];

/** Where the Fashion-MNIST route reads from: $FASHION_MNIST_DIR, else the Debian package's directory. */
export function fashionMnistDir(): string {
  return resolve(process.env.FASHION_MNIST_DIR || '/usr/share/datasets/fashion-mnist');
}

/** The prefix under which responses carry the cross-origin isolation headers. */
export const ISOLATED_PREFIX = '/coi';

export interface StaticServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** Base URL of the cross-origin isolated view of the same files. */
  readonly isolatedUrl: string;
  /** Paths requested so far (without the /coi prefix), for assertions on what the page loaded. */
  readonly requests: string[];
  close(): Promise<void>;
}

/** Starts the server on 127.0.0.1 (port 0: an ephemeral one), serving files under `root`. */
export async function startStaticServer(root: string = REPO_ROOT, port = 0): Promise<StaticServer> {
  const base = resolve(root);
  const requests: string[] = [];
  const server: Server = createServer(async (req, res) => {
    const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
    try {
      let path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      if (path === ISOLATED_PREFIX || path.startsWith(`${ISOLATED_PREFIX}/`)) {
        path = path.slice(ISOLATED_PREFIX.length) || '/';
        headers['Cross-Origin-Opener-Policy'] = 'same-origin';
        headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
        headers['Cross-Origin-Resource-Policy'] = 'same-origin';
      }
      requests.push(path);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
        return;
      }
      const dataset = path.startsWith(FASHION_MNIST_ROUTE) ? path.slice(FASHION_MNIST_ROUTE.length) : undefined;
      if (dataset !== undefined && !FASHION_MNIST_FILES.includes(dataset)) {
        res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end(`not found: ${path}`);
        return;
      }
      const file = dataset !== undefined ? join(fashionMnistDir(), dataset) : resolve(join(base, path));
      if (dataset === undefined && file !== base && !file.startsWith(base + sep)) {
        res.writeHead(403, headers).end('forbidden');
        return;
      }
      const info = await stat(file).catch(() => null);
      if (!info?.isFile()) {
        res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end(`not found: ${path}`);
        return;
      }
      const body = await readFile(file);
      res.writeHead(200, {
        ...headers,
        'Content-Type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'Content-Length': String(body.length),
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, headers);
      res.end(String(error));
    }
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => done());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    isolatedUrl: url + ISOLATED_PREFIX,
    requests,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const s = await startStaticServer(REPO_ROOT, Number(process.env.PORT ?? 8080));
  console.log(
    `serving ${REPO_ROOT} at ${s.url}/test/browser/page.html (isolated: ${s.isolatedUrl}/test/browser/page.html)`,
  );
}

// The built SPA as the local stack serves it: precompressed variants chosen by Accept-Encoding (brotli, then
// gzip, q=0 refused), Vary, a year of caching for hashed assets and no-cache for index.html.
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptQ, serveStatic } from '../../supabase/local/static';

const JS = `export const big = ${JSON.stringify('queue '.repeat(400))};`;
const HTML = '<!doctype html><div id="root"></div>' + '<!-- pad -->'.repeat(60);

interface Got {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}
function get(url: string, headers: Record<string, string>, method = 'GET'): Promise<Got> {
  return new Promise((ok, fail) => {
    const req = request(url, { method, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () =>
        ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }),
      );
    });
    req.on('error', fail);
    req.end();
  });
}

describe('static SPA serving (supabase/local/static.ts)', () => {
  const dist = mkdtempSync(join(tmpdir(), 'qm-static-'));
  let server: Server;
  let base = '';
  beforeAll(async () => {
    mkdirSync(join(dist, 'assets'));
    for (const [file, text] of [
      ['index.html', HTML],
      [join('assets', 'app-Ab12.js'), JS],
    ] as const) {
      writeFileSync(join(dist, file), text);
      writeFileSync(join(dist, `${file}.br`), brotliCompressSync(text));
      writeFileSync(join(dist, `${file}.gz`), gzipSync(text));
    }
    writeFileSync(join(dist, 'assets', 'plain-Cd34.js'), 'console.log(1)'); // too small to precompress
    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (!serveStatic(res, dist, path, req.method === 'HEAD', req.headers['accept-encoding'])) {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(dist, { recursive: true, force: true });
  });

  it('sends brotli to a browser that accepts it, gzip to one that only takes gzip, identity otherwise', async () => {
    const br = await get(`${base}/assets/app-Ab12.js`, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).toString()).toBe(JS);
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(br.body.length).toBeLessThan(JS.length / 4);

    const gz = await get(`${base}/assets/app-Ab12.js`, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(JS);

    const refused = await get(`${base}/assets/app-Ab12.js`, { 'accept-encoding': 'br;q=0, gzip;q=0.5' });
    expect(refused.headers['content-encoding']).toBe('gzip');

    const plain = await get(`${base}/assets/app-Ab12.js`, {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(JS);
    expect(plain.headers.vary).toBe('Accept-Encoding');
  });

  it('caches hashed assets for a year and revalidates index.html (also for client-side routes)', async () => {
    const asset = await get(`${base}/assets/app-Ab12.js`, { 'accept-encoding': 'br' });
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['content-type']).toContain('javascript');
    const route = await get(`${base}/t/some-token`, { 'accept-encoding': 'gzip, br' });
    expect(route.status).toBe(200);
    expect(route.headers['cache-control']).toBe('no-cache');
    expect(route.headers['content-type']).toContain('text/html');
    expect(route.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(route.body).toString()).toBe(HTML);
    const small = await get(`${base}/assets/plain-Cd34.js`, { 'accept-encoding': 'br' });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.body.toString()).toBe('console.log(1)');
    const head = await get(`${base}/assets/app-Ab12.js`, { 'accept-encoding': 'br' }, 'HEAD');
    expect(head.body.length).toBe(0);
    expect(head.headers['content-encoding']).toBe('br');
  });

  it('reads Accept-Encoding q-values, including * and q=0', () => {
    expect(acceptQ('gzip, br', 'br')).toBe(1);
    expect(acceptQ('gzip;q=0.8, br;q=0', 'br')).toBe(0);
    expect(acceptQ('*;q=0.3', 'br')).toBe(0.3);
    expect(acceptQ(undefined, 'gzip')).toBe(0);
    expect(acceptQ('identity', 'gzip')).toBe(0);
  });
});

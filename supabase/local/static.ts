/**
 * Serves the built SPA: files from `dist/`, and index.html for any other GET (client-side routes).
 *
 * The build writes every text asset precompressed next to itself (`.br`, `.gz`; scripts/viteBuildPlugins.ts);
 * the client's Accept-Encoding picks one (brotli first, then gzip, honouring q=0), sent with
 * Content-Encoding and `Vary: Accept-Encoding`. Hashed files under /assets/ are cached for a year
 * (immutable); index.html and other unhashed files are `no-cache` (revalidated), so a new build shows at once.
 *
 * Every answer also carries SPA_SECURITY_HEADERS (review18 finding 6): no page of QueueMed may be framed by
 * another site (`frame-ancestors 'none'`, and X-Frame-Options for older browsers) — staff screens would be
 * clickjackable, and neither the waiting-room board nor the kiosk is meant to be embedded (they run full screen
 * in their own browser) — and no page sends a Referer: a tracking link's path (`/t/<token>`) is a bearer secret
 * that must not leak to another origin.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { send } from './http.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** Sent with every file and client-side route of the SPA (see above). */
export const SPA_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

const ENCODINGS = [
  { token: 'br', ext: '.br' },
  { token: 'gzip', ext: '.gz' },
] as const;

/** The q-value the client gives an encoding (`*` counts for unnamed ones); 0 when it refuses or omits it. */
export function acceptQ(acceptEncoding: string | undefined, token: string): number {
  if (!acceptEncoding) return 0;
  let star = 0;
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    const value = Number.isFinite(q) ? q : 0;
    if (name === token) return value;
    if (name === '*') star = value;
  }
  return star;
}

export function serveStatic(
  res: ServerResponse,
  dir: string,
  pathname: string,
  head: boolean,
  acceptEncoding?: string,
): boolean {
  const root = resolve(dir);
  const index = join(root, 'index.html');
  if (!existsSync(index)) return false;
  let rel: string;
  try {
    rel = normalize(decodeURIComponent(pathname));
  } catch {
    return false;
  }
  let file = resolve(join(root, rel));
  if (!(file === root || file.startsWith(root + sep)) || !existsSync(file) || statSync(file).isDirectory()) {
    // Unknown asset paths are a 404; everything else is a client-side route of the SPA.
    if (rel.startsWith(`${sep}assets${sep}`) || extname(rel) !== '') return false;
    file = index;
  }
  const type = TYPES[extname(file)] ?? 'application/octet-stream';
  const cache = file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache';
  const headers: Record<string, string> = {
    ...SPA_SECURITY_HEADERS,
    'content-type': type,
    'cache-control': cache,
  };
  let body = file;
  const variants = ENCODINGS.filter((e) => existsSync(file + e.ext));
  if (variants.length > 0) {
    headers.vary = 'Accept-Encoding';
    const best = variants
      .map((e) => ({ ...e, q: acceptQ(acceptEncoding, e.token) }))
      .filter((e) => e.q > 0)
      .sort((a, b) => b.q - a.q)[0];
    if (best) {
      body = file + best.ext;
      headers['content-encoding'] = best.token;
    }
  }
  const bytes = readFileSync(body);
  headers['content-length'] = String(bytes.length);
  send(res, 200, head ? null : bytes, headers);
  return true;
}

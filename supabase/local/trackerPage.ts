/**
 * GET /t/<token>: the tracker's first view rendered on the server (issue 14, lcp23). On slow 4G the tracker's JS
 * (≈ 77 KiB brotli) cannot arrive and run within 1.5 s, so the patient's ticket, place in line and estimate come
 * in the HTML: the SPA's own index.html with #root filled by the real components (src/entry-tracker-server.tsx,
 * built into dist-ssr/ by `vite build`), <html lang dir> in the reader's language (?lang=, the saved choice's
 * cookie, Accept-Language — the browser's own rule), and the visit embedded (#qm-seed) so the browser hydrates it
 * without a second status request.
 *
 * The visit is read exactly as the browser reads it: get_tracker_view over this stack's own /rest/v1 with the anon
 * key — no service role, nothing the browser could not read. Unknown/expired/malformed links, a database that does
 * not answer (within TIMEOUT_MS), a missing renderer or any render error → `false`, and the caller serves the plain
 * SPA shell as before (never a 500, never a stack trace). The answer is personal: `Cache-Control: no-store`.
 * sec24a (review24 L3): a render costs about twice the CPU of the get_tracker_view call it makes, so each render is
 * counted per client address (`admit`; fix24b: in its own counter, scope tracker_page_ip, no longer the public reads'
 * public_api_ip, so a waiting room's renders cannot spend its address's bookings); over the limit the caller serves the plain SPA shell (the browser then reads the visit
 * itself over /rest/v1, as before the server render) — never an error page.
 * A static host without this server serves the SPA as before (docs/operations.md).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Logger } from 'pino';
import { header, send } from './http.js';
import { acceptQ, SPA_SECURITY_HEADERS } from './static.js';

/** What dist-ssr/entry-tracker-server.js exports (src/entry-tracker-server.tsx). */
interface TrackerRenderer {
  trackerLanguage(req: {
    lang: string | null;
    cookie: string | undefined;
    acceptLanguage: string | undefined;
  }): 'ar' | 'fr' | 'en';
  renderTracker(input: {
    token: string;
    lng: 'ar' | 'fr' | 'en';
    supabaseUrl: string;
    supabaseAnonKey: string;
    vapidPublicKey?: string;
    fetch?: typeof fetch;
    signal?: AbortSignal;
  }): Promise<{ html: string; seed: unknown } | null>;
}

/** A fetch that adds `extra` to every request's headers. */
const withHeaders =
  (extra: Record<string, string>): typeof fetch =>
  (url, init) => {
    const headers = new Headers(init?.headers);
    for (const [k, v] of Object.entries(extra)) headers.set(k, v);
    return fetch(url, { ...init, headers });
  };

/** The longest the HTML waits for the visit and its render before the plain shell is sent instead. */
export const TRACKER_RENDER_TIMEOUT_MS = 2000;

const TRACKER_PATH = /^\/t\/([^/]+)$/;

export interface TrackerPagesOptions {
  /** the built SPA (its index.html is the page's frame) */
  readonly staticDir: string;
  /** the renderer's build; default: `<staticDir>-ssr` (dist-ssr beside dist) */
  readonly ssrDir?: string;
  readonly anonKey: string;
  /** the web-push key config.json hands browsers (the first view then shows the push offer's hint) */
  readonly vapidPublicKey?: string;
  /** this stack's own address, once it listens */
  readonly selfUrl: () => string;
  readonly log: Logger;
  readonly timeoutMs?: number;
  /**
   * Whether this request may be rendered (the per-address public-read limit); false → the plain shell.
   * Absent: every request is rendered (embedded test stacks without the limit).
   */
  readonly admit?: (req: IncomingMessage) => Promise<boolean>;
  /**
   * sec25: the headers the render's own read (get_tracker_view over this stack's /rest/v1) carries for this
   * request — the stack's forward secret, so the read is not counted again per address (tracker_view_ip) under the
   * loopback address every render shares; the render itself was counted (admit).
   */
  readonly readHeaders?: (req: IncomingMessage) => Record<string, string>;
}

/**
 * Runs `f` once the page has painted (a frame, then a task), or after 300 ms at the latest (a hidden tab paints no
 * frame). The first view's scripts start downloading only then: the view is already in the HTML, and the paint waits
 * for nothing but the stylesheet (on slow 4G the scripts would share its bandwidth; Lighthouse counts every request
 * that starts before the largest paint as blocking it).
 */
const AFTER_PAINT =
  'window.__qmAfterPaint=function(f){var d=0,g=function(){if(!d){d=1;f()}};' +
  'requestAnimationFrame(function(){setTimeout(g,0)});setTimeout(g,300)};';

/**
 * `<html lang dir>` set, #root filled, the seed embedded (`<` escaped: the JSON cannot close its script), and the
 * SPA's scripts (the entry, its module preloads) loaded after the first paint instead of from the head.
 */
export function trackerHtml(shell: string, lng: string, body: string, seed: unknown): string {
  const dir = lng === 'ar' ? 'rtl' : 'ltr';
  const json = JSON.stringify(seed).replace(/</g, '\\u003c');
  const scripts: string[] = [];
  const preloads: string[] = [];
  const page = shell
    .replace(/<html[^>]*>/, `<html lang="${lng}" dir="${dir}">`)
    .replace(/<script type="module" crossorigin src="([^"]+)"><\/script>\s*/g, (_, src: string) => {
      scripts.push(src);
      return '';
    })
    .replace(/<link rel="modulepreload" crossorigin href="([^"]+)">\s*/g, (_, href: string) => {
      preloads.push(href);
      return '';
    });
  const load =
    `(function(){var h=document.head;window.__qmAfterPaint(function(){` +
    `${JSON.stringify(preloads)}.forEach(function(u){var l=document.createElement('link');l.rel='modulepreload';l.crossOrigin='';l.href=u;h.appendChild(l)});` +
    `${JSON.stringify(scripts)}.forEach(function(u){var s=document.createElement('script');s.type='module';s.crossOrigin='';s.src=u;h.appendChild(s)})})})();`;
  return page
    .replace('<head>', () => `<head>\n    <script>${AFTER_PAINT}</script>`)
    .replace(
      '<div id="root"></div>',
      () =>
        `<div id="root">${body}</div><script id="qm-seed" type="application/json">${json}</script>` +
        `<script>${load}</script>`,
    );
}

export function createTrackerPages(options: TrackerPagesOptions) {
  const staticDir = resolve(options.staticDir);
  const entry = join(options.ssrDir ?? `${staticDir}-ssr`, 'entry-tracker-server.js');
  let renderer: Promise<TrackerRenderer | null> | null = null;
  const load = (): Promise<TrackerRenderer | null> =>
    (renderer ??= existsSync(entry)
      ? (import(pathToFileURL(entry).href) as Promise<TrackerRenderer>).catch((e: unknown) => {
          options.log.warn(
            { err: e instanceof Error ? e.message : String(e) },
            'tracker renderer not loaded: plain SPA shell',
          );
          return null;
        })
      : Promise.resolve(null));
  let shell: { mtimeMs: number; text: string } | null = null;
  const shellText = (): string | null => {
    const file = join(staticDir, 'index.html');
    if (!existsSync(file)) return null;
    const mtimeMs = statSync(file).mtimeMs;
    if (shell?.mtimeMs !== mtimeMs) shell = { mtimeMs, text: readFileSync(file, 'utf8') };
    return shell.text;
  };

  /** Answers GET /t/<token> with the rendered first view; false → the caller serves the plain shell. */
  return async function serveTrackerPage(
    req: IncomingMessage,
    res: ServerResponse,
    pathname: string,
    search: string,
  ): Promise<boolean> {
    const m = TRACKER_PATH.exec(pathname);
    if (!m) return false;
    let token: string;
    try {
      token = decodeURIComponent(m[1]!);
    } catch {
      return false;
    }
    if (token.length > 200) return false;
    try {
      if (options.admit && !(await options.admit(req))) return false;
      const page = shellText();
      const r = page ? await load() : null;
      if (!page || !r) return false;
      const lng = r.trackerLanguage({
        lang: new URLSearchParams(search).get('lang'),
        cookie: header(req, 'cookie'),
        acceptLanguage: header(req, 'accept-language'),
      });
      const out = await r.renderTracker({
        token,
        lng,
        supabaseUrl: options.selfUrl(),
        supabaseAnonKey: options.anonKey,
        ...(options.vapidPublicKey ? { vapidPublicKey: options.vapidPublicKey } : {}),
        ...(options.readHeaders ? { fetch: withHeaders(options.readHeaders(req)) } : {}),
        signal: AbortSignal.timeout(options.timeoutMs ?? TRACKER_RENDER_TIMEOUT_MS),
      });
      if (!out) return false;
      const html = Buffer.from(trackerHtml(page, lng, out.html, out.seed));
      const headers: Record<string, string> = {
        ...SPA_SECURITY_HEADERS,
        'content-type': 'text/html; charset=utf-8',
        // a patient's visit: no cache may keep it
        'cache-control': 'no-store',
        vary: 'Accept-Encoding, Accept-Language, Cookie',
      };
      const enc = header(req, 'accept-encoding');
      let body = html;
      if (acceptQ(enc, 'br') > 0) {
        body = brotliCompressSync(html, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } });
        headers['content-encoding'] = 'br';
      } else if (acceptQ(enc, 'gzip') > 0) {
        body = gzipSync(html, { level: 6 });
        headers['content-encoding'] = 'gzip';
      }
      headers['content-length'] = String(body.length);
      send(res, 200, body, headers);
      return true;
    } catch (e) {
      // never the token (a bearer secret) nor the visit in the log
      options.log.warn(
        { err: e instanceof Error ? e.name : 'unknown' },
        'tracker first view not rendered: plain SPA shell',
      );
      return false;
    }
  };
}

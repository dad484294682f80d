/**
 * The browser's logger (issue 19, operations): pino's browser build, created right after the first render
 * (main.tsx loads this module on demand, so no screen's first load pays for it). Warnings and errors — and
 * the page's uncaught errors and rejections — are sent in small batches to the backend's ingest endpoint
 * (the local stack's POST /client-logs, supabase/local/clientLogs.ts), so a clinic's failures are seen.
 * Before anything leaves the browser: sensitive keys (phone, name, token …) are redacted, phone-like digit
 * runs masked, the names of people the page has shown masked wherever they appear in free text
 * (shared/knownNames), tracking tokens in the page path replaced; and at most `maxPerMinute` entries go out per
 * minute (the rest are counted and the count sent with the next batch). The server checks all of it again.
 */
import type { Logger } from 'pino';
import pino from 'pino/browser';
import { nameMasker } from '../shared/logSanitize';
import { maskPath, sanitizeLogValue, scrubText } from '../shared/logTextSanitize';

export { maskPath };
import { knownNames } from '../shared/knownNames';
import { lastTraceId } from '../shared/trace';

export interface ClientLogEntry {
  readonly level: 'warn' | 'error' | 'fatal';
  readonly msg: string;
  readonly time: number;
  readonly page?: string;
  readonly context?: Record<string, unknown>;
  /** The trace id of the last request the page made (shared/trace): the server's lines of that call carry it. */
  readonly traceId?: string;
}
export interface ClientLogBatch {
  readonly entries: readonly ClientLogEntry[];
  readonly dropped?: number;
}

export interface BrowserLoggerOptions {
  /** Delivers one batch (production: a keepalive POST to the ingest endpoint). */
  readonly send: (batch: ClientLogBatch) => void;
  /** Milliseconds since the epoch (the rate budget's clock). */
  readonly now: () => number;
  /** The current page's path (tokens are masked before it is sent). */
  readonly page?: () => string;
  readonly maxPerMinute?: number;
  /** When a batch is flushed (default: after the current task). */
  readonly schedule?: (flush: () => void) => void;
  /** Also write to the browser console (default true; tests turn it off). */
  readonly console?: boolean;
  /** The people's names to mask in free text, with a version that changes when they do (shared/knownNames). */
  readonly names?: () => { readonly version: number; readonly names: readonly string[] };
  /** The trace id to attach to an entry (the page's last request; null: none yet). */
  readonly traceId?: () => string | null;
}

const BATCH = 20;
const LEVELS = new Set(['warn', 'error', 'fatal']);

/** Errors carry their text in non-enumerable fields: made plain (name, message, first lines of the stack). */
const plain = (v: unknown): unknown =>
  v instanceof Error
    ? { name: v.name, message: v.message, stack: (v.stack ?? '').split('\n').slice(0, 6).join('\n') }
    : v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x instanceof Error ? plain(x) : x]))
      : v;

export function createBrowserLogger(o: BrowserLoggerOptions): Logger {
  const max = o.maxPerMinute ?? 20;
  const schedule = o.schedule ?? ((f: () => void) => void setTimeout(f, 0));
  let windowStart = Number.NEGATIVE_INFINITY;
  let used = 0;
  let dropped = 0;
  let queue: ClientLogEntry[] = [];
  let pending = false;
  let masker: { version: number; mask: (t: string) => string } | null = null;
  const mask = (): ((t: string) => string) => {
    if (!o.names) return (t) => t;
    const cur = o.names();
    if (masker?.version !== cur.version) masker = { version: cur.version, mask: nameMasker(cur.names) };
    return masker.mask;
  };
  const flush = () => {
    pending = false;
    if (queue.length === 0) return;
    const entries = queue.slice(0, BATCH);
    queue = queue.slice(BATCH);
    o.send(dropped > 0 ? { entries, dropped } : { entries });
    dropped = 0;
    if (queue.length > 0) later();
  };
  const later = () => {
    if (pending) return;
    pending = true;
    schedule(flush);
  };
  const admit = (t: number) => {
    if (t - windowStart >= 60_000) {
      windowStart = t;
      used = 0;
    }
    if (used >= max) {
      dropped += 1;
      return false;
    }
    used += 1;
    return true;
  };
  return pino({
    level: 'info',
    browser: {
      ...(o.console === false ? { write: () => undefined } : {}),
      transmit: {
        level: 'warn',
        send(level, event) {
          if (!LEVELS.has(level) || !admit(o.now())) return;
          const [first, ...rest] = event.messages as unknown[];
          const fromObject = typeof first === 'object' && first !== null;
          const text = fromObject ? rest.find((m) => typeof m === 'string') : first;
          const bindings = Object.assign({}, ...(event.bindings as object[]));
          const context = { ...bindings, ...(fromObject ? (plain(first) as object) : {}) };
          const names = mask();
          const traceId = o.traceId?.() ?? null;
          queue.push({
            level: level as ClientLogEntry['level'],
            msg: names(scrubText(String(text ?? ''))).slice(0, 1000),
            time: o.now(),
            ...(o.page ? { page: maskPath(o.page()) } : {}),
            ...(traceId ? { traceId } : {}),
            ...(Object.keys(context).length > 0
              ? { context: sanitizeLogValue(context, 0, names) as Record<string, unknown> }
              : {}),
          });
          later();
        },
      },
    },
  });
}

/** Wires the logger to the page: uncaught errors and unhandled rejections are logged as errors. */
export function logUncaught(target: Pick<Window, 'addEventListener'>, logger: Logger): void {
  target.addEventListener('error', (e: Event) => {
    const ev = e as ErrorEvent;
    logger.error({ err: ev.error ?? null, source: 'window.onerror' }, ev.message || 'uncaught error');
  });
  target.addEventListener('unhandledrejection', (e: Event) => {
    const reason = (e as PromiseRejectionEvent).reason as unknown;
    logger.error({ err: reason, source: 'unhandledrejection' }, 'unhandled rejection');
  });
}

/** Where the batches go: the local stack's same-origin route, or the hosted function (with the anon key). */
export interface ClientLogTarget {
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The ingest endpoint for a backend: the address the config names (the local stack's `/client-logs`), else,
 * in a hosted build, the project's `client-logs` edge function. Null: nowhere to send.
 */
export function clientLogTarget(c: {
  readonly supabaseUrl: string;
  readonly supabaseAnonKey: string;
  readonly clientLogsUrl?: string;
  readonly hosted: boolean;
}): ClientLogTarget | null {
  if (c.clientLogsUrl) return { url: c.clientLogsUrl };
  if (!c.hosted || !/^https?:\/\//.test(c.supabaseUrl)) return null;
  return {
    url: `${c.supabaseUrl.replace(/\/+$/, '')}/functions/v1/client-logs`,
    headers: { apikey: c.supabaseAnonKey },
  };
}

/** Production wiring (main.tsx): batches POSTed to the target (keepalive, so the last ones survive a page close). */
export function installBrowserLogger(target: ClientLogTarget): Logger {
  const logger = createBrowserLogger({
    send: (batch) =>
      void fetch(target.url, {
        method: 'POST',
        keepalive: true,
        headers: { 'content-type': 'application/json', ...target.headers },
        body: JSON.stringify(batch),
      }).catch(() => undefined),
    now: () => Date.now(),
    page: () => window.location.pathname,
    names: knownNames,
    traceId: lastTraceId,
  });
  logUncaught(window, logger);
  return logger;
}

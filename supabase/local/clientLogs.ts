/**
 * POST /client-logs — the browser's warnings and errors (issue 19, operations): the SPA's pino logger
 * (src/services/composition/browserLogger.ts) sends them here in small batches so a clinic's failures are
 * seen in the stack's own log. Nothing from the browser is trusted: every entry is checked (zod), every value
 * sanitised (sensitive keys redacted, phone-like digits masked, sizes capped: sanitizeLogValue), and each
 * client address has a budget of entries per window (429 RATE.LIMITED beyond it, nothing logged).
 *
 * Body: { entries: [{ level: warn|error|fatal, msg: string ≤ 1000, time?: ms, page?: path ≤ 200,
 *         context?: object }] (1..20), dropped?: count the browser's own budget dropped }
 * Answers 204; 400 VALIDATION.FAILED (bad body); 429 RATE.LIMITED (with Retry-After).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { z } from 'zod';
import { sanitizeLogValue, scrub } from '../../src/services/shared/Logger';
import { HttpError, readBody } from './http.js';
import { RateLimiter, type RateLimit } from './rateLimit.js';

export const CLIENT_LOG_PATH = '/client-logs';
/** Entries per client address per window (the browser also keeps to its own budget). */
export const DEFAULT_CLIENT_LOG_LIMIT: RateLimit = { max: 60, windowMs: 60_000 };

const Entry = z.object({
  level: z.enum(['warn', 'error', 'fatal']),
  msg: z.string().max(1000),
  time: z.number().int().nonnegative().optional(),
  page: z.string().max(200).optional(),
  context: z.record(z.string(), z.unknown()).optional(),
});
const Body = z.object({
  entries: z.array(Entry).min(1).max(20),
  dropped: z.number().int().nonnegative().max(1_000_000).optional(),
});

export function createClientLogs(log: Logger, limit: RateLimit = DEFAULT_CLIENT_LOG_LIMIT, now: () => number = Date.now) {
  const limiter = new RateLimiter(limit);
  const out = log.child({ svc: 'browser' });
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req, 32 * 1024)).toString('utf8'));
    } catch (e) {
      if (e instanceof HttpError) throw e;
      throw new HttpError(400, { code: 'VALIDATION.FAILED', message: 'The body must be JSON' });
    }
    const p = Body.safeParse(body);
    if (!p.success)
      throw new HttpError(400, {
        code: 'VALIDATION.FAILED',
        message: 'Invalid log entries',
        details: p.error.issues.slice(0, 5).map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    const key = req.socket.remoteAddress ?? 'unknown';
    const at = now();
    // the whole batch counts: a client over its budget gets nothing logged
    let allowed = true;
    for (let i = 0; i < p.data.entries.length; i++) if (!limiter.take(key, at)) allowed = false;
    if (!allowed)
      throw new HttpError(
        429,
        { code: 'RATE.LIMITED', message: 'Too many log entries from this client; try later' },
        { 'retry-after': String(limiter.retryAfterSeconds(key, at)) },
      );
    for (const e of p.data.entries) {
      const fields = {
        source: 'browser',
        ...(e.time !== undefined ? { clientTime: e.time } : {}),
        ...(e.page !== undefined ? { page: scrub(e.page) } : {}),
        ...(e.context ? { context: sanitizeLogValue(e.context) } : {}),
      };
      out[e.level](fields, scrub(e.msg));
    }
    if (p.data.dropped) out.warn({ source: 'browser', dropped: p.data.dropped }, 'browser dropped log entries over its budget');
    res.writeHead(204, { 'cache-control': 'no-store' });
    res.end();
  };
}

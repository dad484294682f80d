/**
 * POST /client-logs — the browser's warnings and errors (issue 19, operations): the SPA's pino logger
 * (src/services/composition/browserLogger.ts) sends them here in small batches so a clinic's failures are
 * seen in the stack's own log. The contract, checks, budget and masking are shared with the hosted edge
 * function `client-logs`: src/services/shared/clientLogIngest.ts.
 * Answers 204; 400 VALIDATION.FAILED (bad body); 429 RATE.LIMITED (with Retry-After).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import {
  CLIENT_LOG_MAX_BYTES,
  DEFAULT_CLIENT_LOG_LIMIT,
  ingestClientLogs,
} from '../../src/services/shared/clientLogIngest';
import { clientIp, HttpError, readBody } from './http.js';
import { RateLimiter, type RateLimit } from './rateLimit.js';

export const CLIENT_LOG_PATH = '/client-logs';
export { DEFAULT_CLIENT_LOG_LIMIT };

export function createClientLogs(
  log: Logger,
  limit: RateLimit = DEFAULT_CLIENT_LOG_LIMIT,
  now: () => number = Date.now,
) {
  const limiter = new RateLimiter(limit);
  const out = log.child({ svc: 'browser' });
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req, CLIENT_LOG_MAX_BYTES)).toString('utf8'));
    } catch (e) {
      if (e instanceof HttpError) throw e;
      throw new HttpError(400, { code: 'VALIDATION.FAILED', message: 'The body must be JSON' });
    }
    // keyed like every per-address limit (an IPv6 client by its /64): sec19, review19 L1
    const r = ingestClientLogs(body, clientIp(req), now(), limiter);
    if (r.kind === 'invalid')
      throw new HttpError(400, {
        code: 'VALIDATION.FAILED',
        message: 'Invalid log entries',
        details: r.details,
      });
    if (r.kind === 'limited')
      throw new HttpError(
        429,
        { code: 'RATE.LIMITED', message: 'Too many log entries from this client; try later' },
        { 'retry-after': String(r.retryAfterSeconds) },
      );
    for (const l of r.lines) out[l.level](l.fields, l.msg);
    res.writeHead(204, { 'cache-control': 'no-store' });
    res.end();
  };
}

/**
 * The client-log ingest contract (issue 19, operations), one implementation for both backends: the local
 * stack's POST /client-logs (supabase/local/clientLogs.ts) and the hosted edge function `client-logs`
 * (supabase/functions/client-logs). Each parses the JSON body (≤ 32 KiB) and hands it here with the client's
 * address; this checks it (zod), counts it against the address's budget and returns the lines to log, every
 * value sanitised (sensitive keys redacted, phone-like digits and known names masked, sizes capped).
 *
 * Body: { entries: [{ level: warn|error|fatal, msg: string ≤ 1000, time?: ms, page?: path ≤ 200,
 *         context?: object, traceId?: 32 hex }] (1..20), dropped?: count the browser's own budget dropped }
 * Outcomes: ok (answer 204) · invalid (400 VALIDATION.FAILED, nothing logged) · limited (429 RATE.LIMITED with
 * Retry-After, nothing logged: the whole batch counts).
 */
import { z } from './zod';
import { maskPath, sanitizeLogValue, scrubText } from './logTextSanitize';
import type { RateLimit, RateLimiter } from './RateLimiter';

export const CLIENT_LOG_MAX_BYTES = 32 * 1024;
/** Entries per client address per window (the browser also keeps to its own budget). */
export const DEFAULT_CLIENT_LOG_LIMIT: RateLimit = { max: 60, windowMs: 60_000 };

/** A W3C trace id (32 lowercase hex, not all zero): what ties a browser's lines to the calls it made. */
export const TraceId = z.string().check(z.regex(/^(?!0{32})[0-9a-f]{32}$/));

const Entry = z.object({
  level: z.enum(['warn', 'error', 'fatal']),
  msg: z.string().check(z.maxLength(1000)),
  time: z.optional(z.number().check(z.int(), z.gte(0))),
  page: z.optional(z.string().check(z.maxLength(200))),
  context: z.optional(z.record(z.string(), z.unknown())),
  traceId: z.optional(TraceId),
});
export const ClientLogBody = z.object({
  entries: z.array(Entry).check(z.minLength(1), z.maxLength(20)),
  dropped: z.optional(z.number().check(z.int(), z.gte(0), z.lte(1_000_000))),
});

export interface ClientLogLine {
  readonly level: 'warn' | 'error' | 'fatal';
  readonly fields: Record<string, unknown>;
  readonly msg: string;
}

export type ClientLogOutcome =
  | { readonly kind: 'ok'; readonly lines: readonly ClientLogLine[] }
  | { readonly kind: 'invalid'; readonly details: readonly { path: string; message: string }[] }
  | { readonly kind: 'limited'; readonly retryAfterSeconds: number };

/** Checks one parsed body from `clientKey` at `at` (ms) against `limiter`; see the module's contract. */
export function ingestClientLogs(
  body: unknown,
  clientKey: string,
  at: number,
  limiter: RateLimiter,
): ClientLogOutcome {
  const p = ClientLogBody.safeParse(body);
  if (!p.success)
    return {
      kind: 'invalid',
      details: p.error.issues.slice(0, 5).map((i) => ({ path: i.path.join('.'), message: i.message })),
    };
  // the whole batch counts: a client over its budget gets nothing logged
  let allowed = true;
  for (let i = 0; i < p.data.entries.length; i++) if (!limiter.take(clientKey, at)) allowed = false;
  if (!allowed) return { kind: 'limited', retryAfterSeconds: limiter.retryAfterSeconds(clientKey, at) };
  const lines: ClientLogLine[] = p.data.entries.map((e) => ({
    level: e.level,
    msg: scrubText(e.msg),
    fields: {
      source: 'browser',
      ...(e.time !== undefined ? { clientTime: e.time } : {}),
      // review26 L4: the browser's own path scrub (a tracking token in /t/<token> is ":token"), done again here
      ...(e.page !== undefined ? { page: maskPath(e.page) } : {}),
      ...(e.traceId !== undefined ? { traceId: e.traceId } : {}),
      ...(e.context ? { context: sanitizeLogValue(e.context) } : {}),
    },
  }));
  if (p.data.dropped)
    lines.push({
      level: 'warn',
      msg: 'browser dropped log entries over its budget',
      fields: { source: 'browser', dropped: p.data.dropped },
    });
  return { kind: 'ok', lines };
}

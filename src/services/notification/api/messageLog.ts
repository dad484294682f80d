/**
 * The message log's one mapping (issue 18 review): a `notifications` row as PostgREST answers it → the
 * module's `LoggedMessage` (the admin screen's list, the repository's zod parse), and `LoggedMessage` → the
 * view REST /v1 and MCP answer (`Message` in the OpenAPI document). Both directions live here so a column the
 * log gains is added once. No I/O; runs in the browser, Node and Deno (the `api` edge function imports it).
 */
import { z } from '../../shared/zod';
import type { LoggedMessage } from '../repositories/NotificationAdminRepository';

/** The columns the log reads (RLS: the clinic's staff). */
export const MESSAGE_LOG_COLUMNS =
  'id, kind, status, language, body, segments, channel, skip_reason, fallback_of, hard_bounce, created_at';

/** One `notifications` row (MESSAGE_LOG_COLUMNS) → a logged message. */
export const MessageLogRowSchema = z.pipe(
  z.object({
    id: z.string(),
    kind: z.string(),
    status: z.string(),
    language: z.nullable(z.string()),
    body: z.nullable(z.string()),
    segments: z.nullable(z.number().check(z.int())),
    channel: z.enum(['sms', 'email', 'whatsapp', 'push']),
    skip_reason: z.nullable(z.enum(['opted_out', 'no_phone', 'email_not_confirmed'])),
    fallback_of: z.nullable(z.string().check(z.uuid())),
    hard_bounce: z.boolean(),
    created_at: z.string(),
  }),
  z.transform((m): LoggedMessage => ({
    id: m.id,
    kind: m.kind,
    status: m.status,
    language: m.language,
    body: m.body,
    segments: m.segments,
    channel: m.channel,
    skipReason: m.skip_reason,
    fallbackOf: m.fallback_of,
    hardBounce: m.hard_bounce,
    createdAt: m.created_at,
  })),
);

/** What REST /v1 and MCP show of a logged message: every field present, the time in ISO UTC. */
export interface MessageView {
  readonly id: string;
  readonly kind: string;
  readonly status: string;
  readonly language: string | null;
  readonly body: string | null;
  readonly segments: number | null;
  readonly channel: LoggedMessage['channel'];
  readonly skipReason: LoggedMessage['skipReason'];
  readonly fallbackOf: string | null;
  readonly hardBounce: boolean;
  readonly createdAt: string;
}

/** PostgREST's `2026-12-01 10:00:00+00` / `…T10:00:00.123+00:00` → `2026-12-01T10:00:00.123Z`. */
const isoUtc = (v: string): string => {
  const d = new Date(
    (/^\d{4}-\d\d-\d\d \d/.test(v) ? v.replace(' ', 'T') : v).replace(/([+-]\d\d)$/, '$1:00'),
  );
  return Number.isNaN(d.getTime()) ? v : d.toISOString();
};

export const messageView = (m: LoggedMessage): MessageView => ({
  id: m.id,
  kind: m.kind,
  status: m.status,
  language: m.language,
  body: m.body,
  segments: m.segments,
  channel: m.channel,
  skipReason: m.skipReason,
  fallbackOf: m.fallbackOf ?? null,
  hardBounce: m.hardBounce ?? false,
  createdAt: isoUtc(m.createdAt),
});

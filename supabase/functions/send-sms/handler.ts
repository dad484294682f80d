/**
 * POST /functions/v1/send-sms — send one SMS for a clinic (the browser's SmsChannel, or the service role).
 *
 * Body (JSON, zod-checked):
 *   { clinic_id: uuid, kind: notification kind (almost_your_turn accepted for almost_turn),
 *     idempotency_key: 1-200 chars, body: the rendered text (1-1600 chars; nothing else is rendered here),
 *     to?: E.164 phone, entry_id?: uuid (one of to / entry_id), event_id?: queue event id,
 *     language?: 'ar'|'fr'|'en' }
 * Answer 200: { notification_id, status: sent|simulated|failed|skipped_budget|opted_out|no_recipient
 *   (or the earlier status when duplicate), duplicate, attempts, segments, cost, provider_id, budget_alert,
 *   error }. 400 VALIDATION.FAILED (bad body), 401 AUTH.REQUIRED (no token), 403/404/409 from the
 *   database (not staff of that clinic, visit of another clinic …), 500 INTERNAL.
 */
import { z } from 'npm:zod@^4.6.7';
import { rpcFor, sendDeps } from '../_shared/context.ts';
import type { Runtime } from '../_shared/context.ts';
import { CORS_HEADERS, bearerToken, fail, json } from '../_shared/http.ts';
import { RpcError } from '../_shared/rest.ts';
import { DB_KINDS, deliver } from '../_shared/send.ts';

export const SendSmsInput = z
  .object({
    clinic_id: z.uuid(),
    kind: z.preprocess((k) => (k === 'almost_your_turn' ? 'almost_turn' : k), z.enum(DB_KINDS)),
    idempotency_key: z.string().min(1).max(200),
    body: z.string().trim().min(1).max(1600),
    to: z
      .string()
      .regex(/^\+[1-9][0-9]{6,14}$/, 'E.164 phone expected')
      .optional(),
    entry_id: z.uuid().optional(),
    event_id: z.number().int().positive().optional(),
    language: z.enum(['ar', 'fr', 'en']).optional(),
  })
  .strict()
  .refine((v) => v.to !== undefined || v.entry_id !== undefined, {
    message: 'to or entry_id is required',
    path: ['to'],
  });
export type SendSmsInput = z.infer<typeof SendSmsInput>;

export const createSendSmsHandler =
  (rt: Runtime) =>
  async (req: Request): Promise<Response> => {
    if (req.method === 'OPTIONS') return new Response(null, { status: 204, headers: CORS_HEADERS });
    if (req.method !== 'POST') return fail(405, 'VALIDATION.FAILED', 'POST only');
    const token = bearerToken(req);
    if (!token) return fail(401, 'AUTH.REQUIRED', 'sign in first');
    let raw: unknown;
    try {
      raw = await req.json();
    } catch {
      return fail(400, 'VALIDATION.FAILED', 'the body must be JSON');
    }
    const parsed = SendSmsInput.safeParse(raw);
    if (!parsed.success) {
      return fail(
        400,
        'VALIDATION.FAILED',
        'invalid message',
        parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      );
    }
    const m = parsed.data;
    try {
      const result = await deliver(
        {
          clinicId: m.clinic_id,
          kind: m.kind,
          idempotencyKey: m.idempotency_key,
          body: m.body,
          to: m.to,
          entryId: m.entry_id,
          eventId: m.event_id,
          language: m.language,
        },
        sendDeps(rt, rpcFor(rt, token)),
      );
      return json(200, result);
    } catch (e) {
      if (e instanceof RpcError && e.status >= 400 && e.status < 500) {
        return fail(e.status, e.code, e.detail ?? e.code);
      }
      rt.log.error('send-sms failed', {
        clinic_id: m.clinic_id,
        err: e instanceof Error ? e.message.slice(0, 200) : 'unknown',
      });
      return fail(500, 'INTERNAL', 'the message could not be processed');
    }
  };

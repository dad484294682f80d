/**
 * POST /functions/v1/send-sms — send the SMS a clinic OWES one of its patients, by reference (the staff
 * browser's SmsChannel right after a queue step, or the service role).
 *
 * There is no free text and no free number: the caller names what happened, the database decides whether
 * it owes a message (notification_prepare: the visit must be this clinic's, a queue message needs a logged
 * event of that visit), the recipient is the visit's patient read from the database, and the text is the
 * clinic's template rendered here with values the database holds. The idempotency key is derived by the
 * database too, so one event is one message whether the browser or the sweep sends it.
 *
 * Two tokens, on purpose (session 17): the CALLER's decides whether a message is owed (notification_prepare) and
 * reads the shown estimate; everything after — recipient, message log (sms_budget_reserve / *_begin / *_settle),
 * budget — runs with the SERVICE key, and those writers are the service role's only: no signed-in user can
 * record a body, a recipient or a "sent" status of their own.
 *
 * Body (JSON, zod-checked, strict — `to`, `body`, `idempotency_key` are refused):
 *   { clinic_id: uuid, entry_id: uuid, kind: your_turn | still_next | marked_absent | returned | cancelled
 *     | no_show (a logged event of the visit; optional event_id / correlation_id pick it) | almost_turn
 *     (position 1..notify_at_position) | booking_confirmed (optional
 *     tracking_token: the visit's own, proven against its stored hash, for the tracking link) }
 * Limit (review26 L5, 20261227200001): before any other work the CALLER's token asks send_sms_admit — counted in
 * the database per caller (every call, whatever clinic it names) and per clinic (calls by that clinic's own staff
 * only); the service role is never counted. Over it: 429 RATE.LIMITED with Retry-After, nothing else runs. A caller
 * the database refused is then refused by this instance without asking again until that Retry-After has passed
 * (keyed by the token's `sub`: only a refusal the database made for that verified user is kept, so a token naming
 * someone else's `sub` can at most be refused — it would be anyway — and never admitted).
 * Answer 200: { notification_id, status: sent|simulated|failed|skipped_budget|opted_out|no_recipient
 *   (or the earlier status when duplicate), duplicate, attempts, segments, cost, provider_id, budget_alert,
 *   error }. 400 VALIDATION.FAILED (bad body), 401 AUTH.REQUIRED (no token), 429
 *   RATE.LIMITED (over the caller's or the clinic's limit; Retry-After in seconds), 403/404/409/422 from the
 *   database (not staff of that clinic, visit of another clinic, nothing owed …), 500 INTERNAL.
 */
import { z } from 'npm:zod@^4.6.7';
import { isServiceToken, rpcFor, sendDeps, tracedRuntime } from '../_shared/context.ts';
import type { Runtime } from '../_shared/context.ts';
import { CORS_HEADERS, bearerToken, fail, json, unverifiedClaims } from '../_shared/http.ts';
import { etaFor, usesEta } from '../_shared/eta.ts';
import { linkValues } from '../_shared/links.ts';
import { renderTemplate } from '../_shared/render.ts';
import { RpcError, supaFromEnv } from '../_shared/rest.ts';
import { DB_KINDS, deliver } from '../_shared/send.ts';
import type { DbKind } from '../_shared/send.ts';

// staff invitations have their own function; the owner's webhook notice is the notification sweep's alone
const PATIENT_KINDS = DB_KINDS.filter((k) => k !== 'staff_invitation' && k !== 'webhook_disabled') as [
  DbKind,
  ...DbKind[],
];

export const SendSmsInput = z
  .object({
    clinic_id: z.uuid(),
    entry_id: z.uuid(),
    kind: z.enum(PATIENT_KINDS),
    event_id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
    correlation_id: z.uuid().optional(),
    position: z.number().int().min(1).max(50).optional(),
    tracking_token: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,128}$/, 'a tracking token')
      .optional(),
  })
  .strict();
export type SendSmsInput = z.infer<typeof SendSmsInput>;

/** What send_sms_admit answers. */
const Admission = z.union([
  z.object({ admitted: z.literal(true) }),
  z.object({
    admitted: z.literal(false),
    scope: z.enum(['caller', 'clinic']),
    retry_after: z.number().int().positive(),
  }),
]);

/** What notification_prepare answers. */
const Prepared = z.object({
  kind: z.enum(PATIENT_KINDS),
  entry_id: z.string(),
  event_id: z.number().int().nullable(),
  idempotency_key: z.string().min(1).max(200),
  language: z.enum(['ar', 'fr', 'en']),
  template: z.string().nullable(),
  values: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
  tracking_token_ok: z.boolean(),
  /** The visit's link token the server rendered (issue 15.3; absent from older databases). */
  tracking_token: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable()
    .optional(),
});

/** The `sub` claim of a JWT, unverified (a key for refusals the database made, never a proof of anything). */
const subOf = (token: string): string | null => {
  if ((token.split('.')[1] ?? '').length > 4096) return null;
  const sub = unverifiedClaims(token)?.['sub'];
  return typeof sub === 'string' && /^[0-9a-f-]{36}$/i.test(sub) ? sub : null;
};

const tooMany = (scope: 'caller' | 'clinic', retryAfter: number): Response =>
  fail(
    429,
    'RATE.LIMITED',
    scope === 'caller'
      ? 'too many messages asked by this account; try again later'
      : 'too many messages asked for this clinic; try again later',
    undefined,
    { 'retry-after': String(retryAfter) },
  );

/** At most this many held callers are remembered (expired ones are dropped first). */
const MAX_HELD = 10_000;

export const createSendSmsHandler = (base: Runtime, now: () => number = Date.now) => {
  // review26 L5: callers the database refused, until their Retry-After (ms): a refused caller's loop then costs no
  // database call at all — the count in the database stays the only authority (it admitted nothing here)
  const held = new Map<string, number>();
  const hold = (sub: string, retryAfter: number) => {
    if (held.size >= MAX_HELD) {
      const t = now();
      for (const [k, until] of held) if (until <= t) held.delete(k);
      if (held.size >= MAX_HELD) held.clear();
    }
    held.set(sub, now() + retryAfter * 1000);
  };
  return async (req: Request): Promise<Response> => {
    // the caller's trace on every line and RPC of this request (issue 19)
    const rt = tracedRuntime(base, req);
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
        'invalid message reference',
        parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      );
    }
    const m = parsed.data;
    const sub = isServiceToken(rt, token) ? null : subOf(token);
    const until = sub === null ? undefined : held.get(sub);
    if (until !== undefined) {
      const wait = Math.ceil((until - now()) / 1000);
      if (wait > 0) return tooMany('caller', wait);
      held.delete(sub!);
    }
    try {
      const rpc = rpcFor(rt, token, req);
      // counted in its own transaction before anything else: a call refused further on is counted too (the
      // service role is never counted: no round trip for it)
      const admission = isServiceToken(rt, token)
        ? ({ admitted: true } as const)
        : Admission.parse(await rpc('send_sms_admit', { p_clinic_id: m.clinic_id }));
      if (!admission.admitted) {
        rt.log.warn('send-sms over its limit', { clinic_id: m.clinic_id, scope: admission.scope });
        if (admission.scope === 'caller' && sub !== null) hold(sub, admission.retry_after);
        return tooMany(admission.scope, admission.retry_after);
      }
      const p = Prepared.parse(
        await rpc('notification_prepare', {
          p_clinic_id: m.clinic_id,
          p_entry_id: m.entry_id,
          p_kind: m.kind,
          p_event_id: m.event_id ?? null,
          p_correlation_id: m.correlation_id ?? null,
          p_position: m.position ?? null,
          p_tracking_token: m.tracking_token ?? null,
        }),
      );
      if (p.template === null) {
        rt.log.warn('no template for this message', { clinic_id: m.clinic_id, kind: p.kind });
        return fail(422, 'TEMPLATE.EMPTY', 'the clinic has no template for this message');
      }
      const values = {
        ...p.values,
        // the server's own rendering of the visit's link (almost your turn, your turn, booking confirmed);
        // else the token the caller proved it holds (a visit booked before links were derivable)
        ...linkValues(
          rt.env,
          p.tracking_token ?? (p.tracking_token_ok && m.tracking_token ? m.tracking_token : null),
        ),
        // the wait the dashboard showed (the stored estimate), in the patient's language
        ...(usesEta(p.template)
          ? { eta: await etaFor(rpc, rt.log, m.clinic_id, p.entry_id, p.language) }
          : {}),
      };
      const result = await deliver(
        {
          clinicId: m.clinic_id,
          kind: p.kind,
          idempotencyKey: p.idempotency_key,
          body: renderTemplate(p.template, values, p.language),
          values,
          entryId: p.entry_id,
          eventId: p.event_id ?? undefined,
          language: p.language,
        },
        // the message log's writers are the service role's only (20261216800001): the caller was checked above
        sendDeps(rt, rpcFor(rt, supaFromEnv(rt.env).serviceKey, req)),
      );
      return json(200, result);
    } catch (e) {
      if (e instanceof RpcError && e.status >= 400 && e.status < 500) {
        return fail(e.status, e.code, e.detail ?? e.code);
      }
      rt.log.error('send-sms failed', {
        clinic_id: m.clinic_id,
        err:
          e instanceof RpcError
            ? `rpc ${e.status} ${e.pgCode ?? e.code}`
            : e instanceof Error
              ? e.message.slice(0, 200)
              : 'unknown',
      });
      return fail(500, 'INTERNAL', 'the message could not be processed');
    }
  };
};

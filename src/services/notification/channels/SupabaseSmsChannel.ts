/**
 * `SmsChannel` on supabase-js: `functions.invoke('send-sms')` with the signed-in staff member's session
 * (the function and the database check that they belong to the clinic). Only the reference is sent — never
 * a phone number or a text: the server reads the recipient and renders the clinic's template. The answer is zod-parsed; HTTP
 * errors carry the function's `{ code, message }` and become AppErrors with that code.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from '../../shared/zod';
import { appError, ErrorCodes, isAppError } from '../../shared/AppError';
import type { AppError } from '../../shared/AppError';
import { err, ok } from '../../shared/Result';
import { commandTraceparent } from '../../shared/trace';
import type { Result } from '../../shared/Result';
import { dbNotificationKind } from './idempotency';
import { SMS_SEND_OUTCOMES, smsSendStatus } from './SmsChannel';
import type { SmsChannel, SmsMessage, SmsSendResult } from './SmsChannel';

const Answer = z.object({
  notification_id: z.nullable(z.string()),
  status: z.enum(SMS_SEND_OUTCOMES),
  duplicate: z.boolean(),
  attempts: z.number().check(z.int(), z.gte(0)),
  segments: z.number().check(z.int(), z.gte(0)),
  cost: z.number().check(z.gte(0)),
  provider_id: z.nullable(z.string()),
  budget_alert: z.boolean(),
  error: z.nullable(z.string()),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const ErrorBody = z.object({ code: z.string(), message: z.optional(z.string()) });

/** The function's error answer (FunctionsHttpError keeps the Response in `context`). */
async function errorOf(e: unknown): Promise<AppError> {
  const ctx = (e as { context?: unknown } | null)?.context;
  if (ctx instanceof Response) {
    const body = ErrorBody.safeParse(
      await ctx
        .clone()
        .json()
        .catch(() => null),
    );
    const candidate = body.success
      ? { code: body.data.code, message: body.data.message ?? body.data.code }
      : null;
    if (candidate && isAppError(candidate))
      return appError(candidate.code, candidate.message, { status: ctx.status });
    const byStatus =
      ctx.status === 401
        ? ErrorCodes.AUTH_REQUIRED
        : ctx.status === 403
          ? ErrorCodes.AUTH_FORBIDDEN
          : ctx.status === 404
            ? ErrorCodes.NOT_FOUND
            : ctx.status === 400 || ctx.status === 422
              ? ErrorCodes.VALIDATION_FAILED
              : ErrorCodes.INTERNAL;
    return appError(byStatus, `send-sms answered ${ctx.status}`, { status: ctx.status });
  }
  return appError(ErrorCodes.INTERNAL, e instanceof Error ? e.message : 'send-sms could not be reached');
}

export class SupabaseSmsChannel implements SmsChannel {
  constructor(private readonly client: SupabaseClient) {}

  async send(m: SmsMessage): Promise<Result<SmsSendResult, AppError>> {
    const body = {
      clinic_id: m.clinicId,
      entry_id: m.entryId,
      kind: dbNotificationKind(m.kind),
      ...(m.eventId !== undefined ? { event_id: m.eventId } : {}),
      // the queue log keeps uuid correlation ids in its column (others in the payload): without one the
      // server takes the visit's newest event of that kind
      ...(m.correlationId && UUID.test(m.correlationId) ? { correlation_id: m.correlationId } : {}),
      ...(m.position !== undefined ? { position: m.position } : {}),
      ...(m.trackingToken ? { tracking_token: m.trackingToken } : {}),
    };
    let response: { data: unknown; error: unknown };
    try {
      // the command's trace (shared/trace commandTrace): the step that logged the event and this message are
      // one trace on the server
      const traceparent = commandTraceparent(m.correlationId);
      response = await this.client.functions.invoke('send-sms', {
        body,
        ...(traceparent ? { headers: { traceparent } } : {}),
      });
    } catch (e) {
      return err(await errorOf(e));
    }
    if (response.error) return err(await errorOf(response.error));
    const parsed = Answer.safeParse(response.data);
    if (!parsed.success) {
      return err(
        appError(ErrorCodes.INTERNAL, 'send-sms: unexpected answer', {
          issues: parsed.error.issues.slice(0, 5).map((i) => i.path.join('.')),
        }),
      );
    }
    const a = parsed.data;
    return ok({
      notificationId: a.notification_id,
      status: smsSendStatus(a.status, a.duplicate),
      outcome: a.status,
      attempts: a.attempts,
      segments: a.segments,
      cost: a.cost,
      providerId: a.provider_id,
      budgetAlert: a.budget_alert,
      error: a.error,
    });
  }
}

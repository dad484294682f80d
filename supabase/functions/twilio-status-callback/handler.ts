/**
 * POST /functions/v1/twilio-status-callback — Twilio's delivery receipts (StatusCallback of each sent
 * message). The X-Twilio-Signature is verified against TWILIO_AUTH_TOKEN and the public URL; unsigned or
 * forged calls get 403 and change nothing. delivered → delivered; failed / undelivered → failed (with
 * Twilio's ErrorCode); other statuses (queued, sending, sent …) are acknowledged and ignored.
 * A WhatsApp message whose receipt says failed / undelivered falls back to SMS, once (the database keys the
 * SMS `<key>:sms`, so a repeated receipt sends nothing more), as a refused email does.
 * Answer: 204 (Twilio only needs a 2xx).
 */
import type { Runtime } from '../_shared/context.ts';
import { rpcFor, sendDeps } from '../_shared/context.ts';
import { smsFallback } from '../_shared/send.ts';
import type { DbKind, SendResult } from '../_shared/send.ts';
import { fail } from '../_shared/http.ts';
import { supaFromEnv } from '../_shared/rest.ts';
import { formParams, publicFunctionUrl, verifyTwilioSignature } from '../_shared/twilio.ts';

interface Receipt {
  notification_id: string;
  status: string;
  changed: boolean;
  channel?: 'sms' | 'email' | 'whatsapp';
  clinic_id: string;
  kind: DbKind;
  entry_id: string | null;
  idempotency_key: string;
  /** Set only for a WhatsApp message that this receipt just marked failed. */
  body?: string | null;
}

export const createStatusCallbackHandler =
  (rt: Runtime) =>
  async (req: Request): Promise<Response> => {
    if (req.method !== 'POST') return fail(405, 'VALIDATION.FAILED', 'POST only');
    const params = await formParams(req);
    const url = publicFunctionUrl(rt.env, 'twilio-status-callback', req);
    const ok = await verifyTwilioSignature(
      rt.env.get('TWILIO_AUTH_TOKEN') ?? '',
      url,
      params,
      req.headers.get('x-twilio-signature'),
    );
    if (!ok) {
      rt.log.warn('status callback refused: bad or missing X-Twilio-Signature');
      return fail(403, 'AUTH.FORBIDDEN', 'invalid signature');
    }
    const sid = params.MessageSid ?? params.SmsSid ?? '';
    const status = params.MessageStatus ?? params.SmsStatus ?? '';
    const target =
      status === 'delivered'
        ? 'delivered'
        : status === 'failed' || status === 'undelivered'
          ? 'failed'
          : null;
    if (!sid || target === null) return new Response(null, { status: 204 });
    const rpc = rpcFor(rt, supaFromEnv(rt.env).serviceKey, req);
    const r = await rpc<Receipt | null>('sms_delivery_update', {
      p_provider_id: sid,
      p_status: target,
      p_error:
        target === 'failed' ? `twilio ${status}${params.ErrorCode ? ` ${params.ErrorCode}` : ''}` : null,
    });
    rt.log.info('delivery receipt', { sid, status, known: r !== null, changed: r?.changed ?? false });
    if (r?.changed && r.status === 'failed' && r.channel === 'whatsapp' && r.body && r.entry_id) {
      const who = await rpc<{ sender?: string | null; language?: 'ar' | 'fr' | 'en' | null }>(
        'notification_recipient',
        { p_clinic_id: r.clinic_id, p_entry_id: r.entry_id, p_phone: null },
      );
      const base: SendResult = {
        notification_id: null,
        status: 'queued',
        duplicate: false,
        attempts: 0,
        segments: 0,
        cost: 0,
        provider_id: null,
        budget_alert: false,
        error: null,
      };
      const error = `twilio ${status}${params.ErrorCode ? ` ${params.ErrorCode}` : ''}`;
      const out = await smsFallback(
        r.notification_id,
        error,
        { ...base, status: 'failed', channel: 'whatsapp', error },
        {
          clinicId: r.clinic_id,
          kind: r.kind,
          idempotencyKey: r.idempotency_key,
          body: r.body,
          entryId: r.entry_id,
          language: who.language ?? undefined,
        },
        who.sender ?? null,
        sendDeps(rt, rpc),
        base,
      );
      rt.log.info('WhatsApp undelivered: SMS fallback', { sid, fallback: out.status });
    }
    return new Response(null, { status: 204 });
  };

/**
 * POST /functions/v1/twilio-status-callback — Twilio's delivery receipts (StatusCallback of each sent
 * message). The X-Twilio-Signature is verified against TWILIO_AUTH_TOKEN and the public URL; unsigned or
 * forged calls get 403 and change nothing. delivered → delivered; failed / undelivered → failed (with
 * Twilio's ErrorCode); other statuses (queued, sending, sent …) are acknowledged and ignored.
 * Answer: 204 (Twilio only needs a 2xx).
 */
import type { Runtime } from '../_shared/context.ts';
import { rpcFor } from '../_shared/context.ts';
import { fail } from '../_shared/http.ts';
import { supaFromEnv } from '../_shared/rest.ts';
import { formParams, publicFunctionUrl, verifyTwilioSignature } from '../_shared/twilio.ts';

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
    const r = await rpcFor(rt, supaFromEnv(rt.env).serviceKey)<{ status: string; changed: boolean } | null>(
      'sms_delivery_update',
      {
        p_provider_id: sid,
        p_status: target,
        p_error:
          target === 'failed' ? `twilio ${status}${params.ErrorCode ? ` ${params.ErrorCode}` : ''}` : null,
      },
    );
    rt.log.info('delivery receipt', { sid, status, known: r !== null, changed: r?.changed ?? false });
    return new Response(null, { status: 204 });
  };

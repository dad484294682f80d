/**
 * POST /functions/v1/send-staff-invitation — deliver a staff invitation link (owner/admin of the clinic).
 *
 * Body: { invitation_id: uuid, token: the token create_staff_invitation returned (shown once),
 *         channel?: 'auto' (SMS when the invitation has a phone, else email) | 'sms' | 'email',
 *         language?: 'ar'|'fr'|'en' (default: the clinic's) }
 * The database checks the caller is an admin of that clinic and that the token is the pending
 * invitation's (staff_invitation_delivery). Link: <SITE_URL or SUPABASE_URL>/invite/<token>.
 * SMS goes through the same path as every message (budget, idempotency key staff_invitation:<id>, or
 * staff_invitation:<id>:<n> after the n-th resend_staff_invitation, Twilio or
 * simulation). Email goes through a Resend-compatible API when RESEND_API_KEY and EMAIL_FROM are set
 * (RESEND_API_BASE for tests), recorded in the message log first (staff_invitation_email_begin, service role;
 * one email per invitation, a failed one may be retried); otherwise the answer says not_configured and the admin
 * shares the link. A clinic still held for SMS (sms_held) gets the built-in text only: the database gives no
 * template of its own (20261217800001).
 * Answer 200: { channel: 'sms'|'email', status, notification_id, provider_id, error }.
 */
import { z } from 'npm:zod@^4.6.7';
import { rpcFor, sendDeps, tracedRuntime } from '../_shared/context.ts';
import type { Runtime } from '../_shared/context.ts';
import { CORS_HEADERS, bearerToken, fail, json } from '../_shared/http.ts';
import { renderTemplate } from '../_shared/render.ts';
import { RpcError, supaFromEnv } from '../_shared/rest.ts';
import { deliver } from '../_shared/send.ts';

const Input = z
  .object({
    invitation_id: z.uuid(),
    token: z.string().min(16).max(200),
    channel: z.enum(['auto', 'sms', 'email']).default('auto'),
    language: z.enum(['ar', 'fr', 'en']).optional(),
  })
  .strict();

interface Delivery {
  invitation_id: string;
  clinic_id: string;
  clinic_name: string;
  language: 'ar' | 'fr' | 'en';
  display_name: string;
  email: string | null;
  phone: string | null;
  templates: Record<'ar' | 'fr' | 'en', string | null>;
  /** How many times resend_staff_invitation renewed it (0: the first send); absent from an older database. */
  resends?: number;
}

const SUBJECT = {
  fr: 'Invitation à rejoindre {clinic_name} sur QueueMed',
  en: 'Invitation to join {clinic_name} on QueueMed',
  ar: 'دعوة للانضمام إلى {clinic_name} على QueueMed',
} as const;

export const createInvitationHandler =
  (base: Runtime) =>
  async (req: Request): Promise<Response> => {
    // the caller's trace on every line and RPC of this request (issue 19)
    const rt = tracedRuntime(base, req);
    if (req.method === 'OPTIONS') return new Response(null, { status: 204, headers: CORS_HEADERS });
    if (req.method !== 'POST') return fail(405, 'VALIDATION.FAILED', 'POST only');
    const token = bearerToken(req);
    if (!token) return fail(401, 'AUTH.REQUIRED', 'sign in first');
    const parsed = Input.safeParse(await req.json().catch(() => null));
    if (!parsed.success) {
      return fail(
        400,
        'VALIDATION.FAILED',
        'invalid invitation',
        parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      );
    }
    const input = parsed.data;
    const rpc = rpcFor(rt, token, req);
    try {
      const inv = await rpc<Delivery>('staff_invitation_delivery', {
        p_invitation_id: input.invitation_id,
        p_token: input.token,
      });
      const lang = input.language ?? inv.language;
      const site = (rt.env.get('SITE_URL') || rt.env.get('SUPABASE_URL') || '').replace(/\/$/, '');
      const link = `${site}/invite/${encodeURIComponent(input.token)}`;
      const body = renderTemplate(
        inv.templates[lang] ?? inv.templates.fr ?? '{clinic_name}: {tracking_url}',
        {
          clinic_name: inv.clinic_name,
          tracking_url: link,
        },
      );
      const channel = input.channel === 'auto' ? (inv.phone ? 'sms' : 'email') : input.channel;
      // one message per invitation and send round: a resend (new token, resend_staff_invitation) is a new message,
      // a retried send of the same round is not (the first round keeps the key it always had)
      const round = inv.resends ? `:${inv.resends}` : '';
      if (channel === 'sms') {
        if (!inv.phone) return fail(422, 'VALIDATION.FAILED', 'this invitation has no phone number');
        const r = await deliver(
          {
            clinicId: inv.clinic_id,
            kind: 'staff_invitation',
            idempotencyKey: `staff_invitation:${inv.invitation_id}${round}`,
            body,
            to: inv.phone,
            language: lang,
          },
          // checked above with the admin's token (staff_invitation_delivery); the message log's writers are the
          // service role's only (20261216800001)
          sendDeps(rt, rpcFor(rt, supaFromEnv(rt.env).serviceKey, req)),
        );
        return json(200, {
          channel,
          status: r.status,
          notification_id: r.notification_id,
          provider_id: r.provider_id,
          error: r.error,
        });
      }
      if (!inv.email) return fail(422, 'VALIDATION.FAILED', 'this invitation has no email address');
      const key = rt.env.get('RESEND_API_KEY') ?? '';
      const from = rt.env.get('EMAIL_FROM') ?? '';
      if (key === '' || from === '') {
        rt.log.info('invitation email not configured: the admin shares the link', {
          clinic_id: inv.clinic_id,
        });
        return json(200, {
          channel,
          status: 'not_configured',
          notification_id: null,
          provider_id: null,
          error: null,
        });
      }
      // fix18 H3: the email is a line of the message log like every message (recipient: the invitation's own
      // address, one per invitation), written with the service key after the admin's token was checked above
      const service = rpcFor(rt, supaFromEnv(rt.env).serviceKey, req);
      const subject = renderTemplate(SUBJECT[lang], { clinic_name: inv.clinic_name });
      const begun = await service<{ notification_id: string; status: string; duplicate: boolean }>(
        'staff_invitation_email_begin',
        { p_invitation_id: inv.invitation_id, p_subject: subject, p_body: body, p_language: lang },
      );
      if (begun.duplicate) {
        return json(200, {
          channel,
          status: begun.status,
          notification_id: begun.notification_id,
          provider_id: null,
          error: null,
        });
      }
      const res = await rt.fetch(
        `${(rt.env.get('RESEND_API_BASE') || 'https://api.resend.com').replace(/\/$/, '')}/emails`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${key}`,
            'content-type': 'application/json',
            'idempotency-key': `staff_invitation:${inv.invitation_id}${round}`,
          },
          body: JSON.stringify({ from, to: [inv.email], subject, text: body }),
        },
      );
      const out = (await res.json().catch(() => ({}))) as { id?: string; message?: string };
      const error = res.ok ? null : `email HTTP ${res.status}`;
      const providerId = res.ok ? (out.id ?? null) : null;
      await service('notification_email_settle', {
        p_notification_id: begun.notification_id,
        p_status: res.ok ? 'sent' : 'failed',
        p_provider_id: providerId,
        p_error: error,
      });
      rt.log.info('invitation email', { clinic_id: inv.clinic_id, http: res.status });
      return json(200, {
        channel,
        status: res.ok ? 'sent' : 'failed',
        notification_id: begun.notification_id,
        provider_id: providerId,
        error,
      });
    } catch (e) {
      if (e instanceof RpcError && e.status >= 400 && e.status < 500)
        return fail(e.status, e.code, e.detail ?? e.code);
      rt.log.error('send-staff-invitation failed', {
        err:
          e instanceof RpcError
            ? `rpc ${e.status} ${e.pgCode ?? e.code}`
            : e instanceof Error
              ? e.message.slice(0, 200)
              : 'unknown',
      });
      return fail(500, 'INTERNAL', 'the invitation could not be sent');
    }
  };

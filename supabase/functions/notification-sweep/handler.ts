/**
 * POST /functions/v1/notification-sweep — the outbox sweep (service role only: the local stack calls it
 * on an interval, Supabase on a schedule). Sends what queue events owe when the browser that saved them
 * never sent it (closed mid-way), through the same idempotent path as send-sms, so a message the browser
 * did send is never sent again.
 *
 * Body (optional JSON): { limit?: 1-500 (50), min_age_seconds?: 0-3600 (20, or NOTIFICATION_SWEEP_MIN_AGE_S),
 *   max_age_seconds?: 60-86400 (3600) }
 * Also sends the appointment reminders due now (public.reminder_outbox), through the same path, and the
 * owner notices of webhook endpoints disabled for failing (public.webhook_notice_outbox, kind webhook_disabled:
 * once per disabling, by the owner's account email, else SMS to their profile's phone, else recorded as
 * skipped; rendered by the same renderer from the clinic's or the built-in template).
 * Each message goes by the channel the database routes it to: SMS (Twilio) or email (SMTP, ../_shared/email.ts).
 * Also tries again the web pushes a busy push service put off (notification_push_retry_due; ../_shared/send.ts).
 * Answer 200: { processed, by_status: { sent: n, … }, marked, interrupted } — interrupted: messages left
 *   `queued` for 10+ minutes by a sender that died mid-way, closed as failed (not resent: at most once).
 */
import { z } from 'npm:zod@^4.6.7';
import { isServiceToken, rpcFor, sendDeps } from '../_shared/context.ts';
import type { Runtime } from '../_shared/context.ts';
import { bearerToken, fail, json } from '../_shared/http.ts';
import { etaFor, usesEta } from '../_shared/eta.ts';
import { linkValues, trackingUrl } from '../_shared/links.ts';
import { renderTemplate } from '../_shared/render.ts';
import { deliverEmail, emailSubject } from '../_shared/email.ts';
import { deliver, retryDuePushes } from '../_shared/send.ts';
import type { DbKind, SendDeps, SendResult } from '../_shared/send.ts';
import type { Rpc } from '../_shared/rest.ts';

const Options = z
  .object({
    limit: z.number().int().min(1).max(500).default(50),
    min_age_seconds: z.number().int().min(0).max(3600).default(20),
    max_age_seconds: z.number().int().min(60).max(86_400).default(3600),
  })
  .strict();

interface OutboxItem {
  /** The queue event that owes the message; null for an appointment reminder (owed by the clock). */
  event_id: number | null;
  clinic_id: string;
  entry_id: string;
  kind: DbKind;
  idempotency_key: string;
  /** The channel the database routed the message to (the patient's choice, then SMS, then email); null:
   *  none reaches the patient (a reminder listed to record its skip). deliver() asks again for the visit
   *  (notification_recipient), so an email goes only to the address the database holds at send time. */
  channel?: 'sms' | 'email' | 'whatsapp' | null;
  /** null: SMS is not the channel or the patient has no phone (a reminder listed to record its skip). */
  phone: string | null;
  /** The address of an email (never logged). */
  email?: string | null;
  language: 'ar' | 'fr' | 'en';
  template: string | null;
  values: Record<string, string | null>;
  /** The visit's link token for the messages carrying a link (absent from older databases). */
  tracking_token?: string | null;
  /** Set when the message can't be sent (opted out, no phone): the sender records it as skipped. */
  skip_reason?: 'opted_out' | 'no_phone' | 'email_not_confirmed' | null;
}

const PARALLEL = 4;

/** A code mail owed by the database (public.take_notification_email_codes, mail22). */
interface EmailCodeMail {
  email: string;
  code: string;
  language: string;
  clinic_name: string;
}
const EMAIL_CODE_SUBJECT = {
  fr: 'Votre code de confirmation QueueMed',
  en: 'Your QueueMed confirmation code',
  ar: 'رمز التأكيد من QueueMed',
} as const;
const EMAIL_CODE_TEXT = {
  fr: 'Votre code pour confirmer cette adresse pour les messages de {clinic} : {code}. Il est valable 15 minutes.',
  en: 'Your code to confirm this email for the messages of {clinic}: {code}. It is valid for 15 minutes.',
  ar: 'رمزك لتأكيد هذا البريد لرسائل {clinic}: {code}. وهو صالح لمدة 15 دقيقة.',
} as const;
const escapeHtml = (t: string) =>
  t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** An owner notice owed by the database (public.webhook_notice_outbox). */
interface OwnerNotice {
  clinic_id: string;
  endpoint_id: string;
  /** Which disabling of the endpoint this notice is for (its key's last part). */
  disables: number;
  kind: 'webhook_disabled';
  idempotency_key: string;
  channel: 'email' | 'sms' | null;
  email: string | null;
  phone: string | null;
  /** The owner's phone when the notice goes by email: the SMS in place of an email refused for good (absent
   *  from databases before 20261212600004). */
  fallback_phone?: string | null;
  language: 'ar' | 'fr' | 'en';
  template: string | null;
  values: Record<string, string | null>;
  skip_reason: 'no_phone' | null;
}

/** The notice by SMS to the owner's phone through deliver() (budget, key, Twilio), else a recorded skip. */
const ownerSms = async (
  n: OwnerNotice,
  key: string,
  phone: string | null,
  body: string,
  rpc: Rpc,
  deps: SendDeps,
): Promise<string> => {
  if (phone) {
    const r = await deliver(
      {
        clinicId: n.clinic_id,
        kind: n.kind,
        idempotencyKey: key,
        body,
        values: n.values,
        to: phone,
        language: n.language,
      },
      deps,
    );
    return r.duplicate ? 'duplicate' : r.status;
  }
  const r = await rpc<{ duplicate: boolean } | null>('notification_record_skip', {
    p_clinic_id: n.clinic_id,
    p_idempotency_key: key,
    p_kind: n.kind,
    p_reason: 'no_phone',
    p_language: n.language,
  });
  return r?.duplicate ? 'duplicate' : 'no_recipient';
};

/**
 * One owner notice: by email (the owner's account address; the database checks it is theirs), else by SMS
 * through deliver() (budget, idempotency key, Twilio), else recorded as skipped (no address). An email the mail
 * server refused for good (5xx) goes on down that order: the same text by SMS to the owner's phone under
 * `<key>:sms`, else that SMS recorded as skipped (status `fallback_<sms status>`). Then the endpoint is marked
 * told. The keys make a second sweep, or two at once, record and send each once.
 */
export const sendOwnerNotice = async (n: OwnerNotice, rpc: Rpc, deps: SendDeps): Promise<string> => {
  let status: string;
  if (n.template === null) {
    status = 'no_template';
  } else if (n.channel === 'email' && n.email) {
    const body = renderTemplate(n.template, n.values, n.language);
    const r = await deliverEmail(
      {
        clinicId: n.clinic_id,
        kind: n.kind,
        idempotencyKey: n.idempotency_key,
        entryId: null,
        to: n.email,
        language: n.language,
        subject: emailSubject(n.kind, n.language, n.values),
        body,
      },
      {
        rpc,
        log: deps.log,
        mailer: deps.email?.mailer ?? null,
        from: deps.email?.from ?? '',
        unsubscribe: null,
      },
    );
    status = r.duplicate ? 'duplicate' : r.status;
    if (!r.duplicate && r.status === 'failed' && r.refused === true) {
      deps.log.warn('owner notice refused by the mail server: sending by SMS instead', {
        clinic_id: n.clinic_id,
        key: n.idempotency_key,
        has_phone: Boolean(n.fallback_phone),
      });
      const key = `${n.idempotency_key}:sms`;
      status = `fallback_${await ownerSms(n, key, n.fallback_phone ?? null, body, rpc, deps)}`;
    }
  } else if (n.channel === 'sms' && n.phone) {
    const body = renderTemplate(n.template, n.values, n.language);
    status = await ownerSms(n, n.idempotency_key, n.phone, body, rpc, deps);
  } else {
    status = await ownerSms(n, n.idempotency_key, null, '', rpc, deps);
  }
  await rpc('webhook_notice_done', { p_endpoint_id: n.endpoint_id, p_disables: n.disables });
  return status;
};

export const createSweepHandler =
  (rt: Runtime) =>
  async (req: Request): Promise<Response> => {
    if (req.method !== 'POST') return fail(405, 'VALIDATION.FAILED', 'POST only');
    const token = bearerToken(req);
    if (!token || !isServiceToken(rt, token)) return fail(403, 'AUTH.FORBIDDEN', 'service role only');
    const text = await req.text();
    let raw: unknown = {};
    try {
      raw = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      return fail(400, 'VALIDATION.FAILED', 'the body must be JSON');
    }
    // NOTIFICATION_SWEEP_MIN_AGE_S: the default grace before an event counts as abandoned by its browser
    const envMin = Number(rt.env.get('NOTIFICATION_SWEEP_MIN_AGE_S'));
    if (
      raw &&
      typeof raw === 'object' &&
      !('min_age_seconds' in raw) &&
      Number.isInteger(envMin) &&
      envMin >= 0 &&
      envMin <= 3600
    ) {
      raw = { ...raw, min_age_seconds: envMin };
    }
    const opts = Options.safeParse(raw);
    if (!opts.success)
      return fail(
        400,
        'VALIDATION.FAILED',
        'invalid options',
        opts.error.issues.map((i) => i.path.join('.')),
      );

    const rpc = rpcFor(rt, token, req);
    const owed = await rpc<OutboxItem[]>('notification_outbox', {
      p_limit: opts.data.limit,
      p_min_age_seconds: opts.data.min_age_seconds,
      p_max_age_seconds: opts.data.max_age_seconds,
    });
    // appointment reminders due by the database clock (clinics.reminder_minutes_before), keyed per visit and
    // slot: a sweep running twice at once sends one (the key is unique), a moved visit gets a new one
    const reminders = (await rpc<OutboxItem[] | null>('reminder_outbox', { p_limit: opts.data.limit })) ?? [];
    const items = [...owed, ...reminders];
    const deps = sendDeps(rt, rpc);
    const byStatus: Record<string, number> = {};
    const done: number[] = [];
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const item = items[next++]!;
        let result: SendResult | null = null;
        try {
          if (item.template !== null) {
            const values = {
              ...item.values,
              // the links, rendered as send-sms renders them (../_shared/links.ts)
              ...linkValues(rt.env, item.tracking_token),
              ...(usesEta(item.template)
                ? { eta: await etaFor(rpc, rt.log, item.clinic_id, item.entry_id, item.language) }
                : {}),
            };
            result = await deliver(
              {
                clinicId: item.clinic_id,
                kind: item.kind,
                idempotencyKey: item.idempotency_key,
                body: renderTemplate(item.template, values, item.language),
                values,
                to: item.phone ?? undefined,
                entryId: item.entry_id,
                eventId: item.event_id ?? undefined,
                language: item.language,
              },
              deps,
            );
          }
          if (item.event_id !== null) done.push(item.event_id);
          const s = result?.status ?? 'no_template';
          byStatus[s] = (byStatus[s] ?? 0) + 1;
        } catch (e) {
          // left unmarked: the next sweep tries again (the idempotency key keeps it to one message)
          byStatus.error = (byStatus.error ?? 0) + 1;
          rt.log.error('sweep: event not processed', {
            event_id: item.event_id,
            err: e instanceof Error ? e.message.slice(0, 200) : 'unknown',
          });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, worker));
    // the owners of webhook endpoints disabled for failing, once per disabling (not tied to a visit or an age)
    const notices =
      (await rpc<OwnerNotice[] | null>('webhook_notice_outbox', { p_limit: opts.data.limit })) ?? [];
    for (const n of notices) {
      try {
        const s = await sendOwnerNotice(n, rpc, deps);
        byStatus[s] = (byStatus[s] ?? 0) + 1;
      } catch (e) {
        // not marked: the next sweep tries again (the key keeps it to one message)
        byStatus.error = (byStatus.error ?? 0) + 1;
        rt.log.error('sweep: owner notice not processed', {
          endpoint_id: n.endpoint_id,
          err: e instanceof Error ? e.message.slice(0, 200) : 'unknown',
        });
      }
    }
    // mail22: QueueMed's own codes that prove a notification email, when a mail server is configured (the local
    // stack delivers them itself on the request's NOTIFY; in simulation mode they stay for it). Each mail is taken
    // once; the address and the code never reach a log.
    const mailer = deps.email?.mailer ?? null;
    if (mailer) {
      const codes =
        (await rpc<EmailCodeMail[] | null>('take_notification_email_codes', { p_limit: opts.data.limit })) ??
        [];
      for (const m of codes) {
        const lng = m.language === 'ar' || m.language === 'en' ? m.language : 'fr';
        const text = EMAIL_CODE_TEXT[lng].replace('{clinic}', m.clinic_name).replace('{code}', m.code);
        try {
          await mailer.send({
            from: deps.email?.from ?? '',
            to: m.email,
            subject: EMAIL_CODE_SUBJECT[lng],
            text,
            html: `<p dir="${lng === 'ar' ? 'rtl' : 'ltr'}">${escapeHtml(text)}</p>`,
            headers: {},
          });
          byStatus.email_code = (byStatus.email_code ?? 0) + 1;
        } catch (e) {
          // taken, not sent: the patient asks for a new code (the screen offers it)
          byStatus.email_code_failed = (byStatus.email_code_failed ?? 0) + 1;
          rt.log.error('sweep: email proof code not sent', {
            err: e instanceof Error ? e.message.slice(0, 200) : 'unknown',
          });
        }
      }
    }
    const marked = done.length === 0 ? 0 : await rpc<number>('mark_events_notified', { p_event_ids: done });
    // web pushes a busy push service (429/5xx) put off: tried again when due, then the SMS fallback once
    const retried = await retryDuePushes(deps, (token) => trackingUrl(rt.env, token), opts.data.limit);
    const pushRetried = Object.values(retried).reduce((a, b) => a + b, 0);
    // sends that died between recording and settling: closed as failed (never resent), budget released;
    // a web push is handed to the retry path above once instead (one notification per visit: a resend replaces it)
    const interrupted =
      (await rpc<number | null>('notification_close_interrupted', { p_older_than_seconds: 600 })) ?? 0;
    const processed = items.length + notices.length;
    if (processed > 0 || interrupted > 0 || pushRetried > 0)
      rt.log.info('sweep', { processed, marked, interrupted, ...byStatus, push_retried: pushRetried });
    return json(200, {
      processed,
      by_status: byStatus,
      marked,
      interrupted,
      // only when a push was tried again (by outcome: sent, queued = put off again, fallback_<sms status>)
      ...(pushRetried > 0 ? { push_retries: retried } : {}),
    });
  };

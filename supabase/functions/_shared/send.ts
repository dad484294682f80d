/**
 * One message through the whole path, shared by send-sms (a staff browser or the service role) and the
 * notification sweep:
 *
 *   recipient + opt-out → segments and cost → sms_budget_reserve (records the message under its
 *   idempotency key BEFORE any provider call; over budget → skipped_budget; same key → duplicate, nothing
 *   sent) → Twilio (429/5xx/network retried with backoff + jitter, each failed try counted) →
 *   sms_budget_settle (sent with provider id, segments and cost | failed with the reason | simulated).
 *
 * Every database call here runs with the service key (deps.rpc): the message log's writers (sms_budget_reserve,
 * *_begin, *_settle, notification_sms_fallback, notification_push_defer) are the service role's only (session 17:
 * a staff token could record free text and a "sent" line). The caller is checked before deliver() by the edge
 * function with the caller's own token (notification_prepare, staff_invitation_delivery).
 */
import type { Mailer } from './email.ts';
import { deliverEmail, emailSubject } from './email.ts';
import type { Log } from './log.ts';
import { maskPhone } from './log.ts';
import type { SmsValues } from './render.ts';
import type { Rpc } from './rest.ts';
import { smsSegments } from './segments.ts';
import type { TwilioConfig } from './twilio.ts';
import type { UnsubscribeConfig } from './unsubscribe.ts';
import { unsubscribeHeaders } from './unsubscribe.ts';
import { backoffMs, createMessage, senderParams } from './twilio.ts';
import type { PushConfig, PushSubscriptionRow } from './push.ts';
import { endpointHost, sendPush } from './push.ts';
import { etaFor } from './eta.ts';

export const DB_KINDS = [
  'booking_confirmed',
  'appointment_reminder',
  'fluid_reminder',
  'waitlist_offer',
  'remote_join_confirmed',
  'almost_turn',
  'your_turn',
  'still_next',
  'marked_absent',
  'returned',
  'cancelled',
  'no_show',
  'staff_invitation',
  'webhook_disabled',
] as const;
export type DbKind = (typeof DB_KINDS)[number];

export interface SendRequest {
  clinicId: string;
  kind: DbKind;
  idempotencyKey: string;
  body: string;
  to?: string | undefined;
  entryId?: string | undefined;
  eventId?: number | undefined;
  language?: 'ar' | 'fr' | 'en' | undefined;
  /** The template's values: an email's subject is rendered from them ({clinic_name}). */
  values?: SmsValues | undefined;
}

export type SendStatus =
  'sent' | 'simulated' | 'failed' | 'skipped_budget' | 'opted_out' | 'no_recipient' | 'queued' | 'delivered';

export interface SendResult {
  notification_id: string | null;
  status: SendStatus;
  duplicate: boolean;
  attempts: number;
  segments: number;
  cost: number;
  provider_id: string | null;
  /** True once per month when this message took usage to the clinic's budget_alert_ratio. */
  budget_alert: boolean;
  error: string | null;
  /** Set on an email, a WhatsApp message or a web push (the server routed the message there); absent on an SMS. */
  channel?: 'email' | 'whatsapp' | 'push';
  /** On a web push: how many of the visit's browsers accepted it, and how many expired ones were removed;
   *  retry_at: no browser accepted it for a passing reason (429/5xx/unreachable): the sweep tries again then. */
  push?: { delivered: number; removed: number; retry_at?: string };
  /** On a WhatsApp message: free-form inside the 24-hour window, or an approved template (ContentSid). */
  whatsapp_mode?: 'session' | 'template';
  /** Set on an SMS sent in place of an email or WhatsApp message the provider refused: its record and reason. */
  fallback_from?: { notification_id: string; status: 'failed'; error: string | null };
}

export interface SendDeps {
  rpc: Rpc;
  twilio: TwilioConfig | null;
  fetch?: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  log: Log;
  /** Price of one SMS segment in the budget's currency (SMS_SEGMENT_PRICE, default 0.25). */
  segmentPrice: number;
  /** Absolute URL of twilio-status-callback, or null. */
  statusCallbackUrl: string | null;
  /** The email channel: the SMTP adapter (null: simulation) and the From header. Absent: SMS only. */
  email?: { mailer: Mailer | null; from: string } | undefined;
  /** Signs the one-click unsubscribe link of each email (unsubscribe.ts); absent: no List-Unsubscribe. */
  unsubscribe?: UnsubscribeConfig | null | undefined;
  /** The WhatsApp channel: the platform's sender (TWILIO_WHATSAPP_FROM; a clinic may have its own) and the
   *  price of one message in the budget's currency (WHATSAPP_MESSAGE_PRICE). Absent: no WhatsApp. */
  whatsapp?: { from: string | null; price: number } | undefined;
  /** Web push (VAPID keys, push.ts); absent or null: no push, every message keeps its route. */
  push?: PushConfig | null | undefined;
  /** The service role's RPC: the only caller that may read push endpoints and keys (notification_push_targets)
   *  or drop a subscription (push_subscription_gone). Absent: `rpc` (the sweep, already the service role). */
  serviceRpc?: Rpc | undefined;
}

/** The kinds a patient's opted-in browsers get instead of the visit's route (free, works with the phone locked). */
export const PUSH_KINDS: readonly DbKind[] = ['almost_turn', 'your_turn'];

interface Recipient {
  phone: string | null;
  /** clinics.sms_sender (null: the platform's sender). */
  sender?: string | null;
  language: 'ar' | 'fr' | 'en' | null;
  opted_out: boolean;
  /** The channel the server routes this visit's messages to (private.notification_route); null: none. */
  channel?: 'sms' | 'email' | 'whatsapp' | null;
  /** The address, when the channel is email. */
  email?: string | null;
  /** The patient's record (the email's one-click unsubscribe link is signed for it). */
  patient_id?: string | null;
  /** Why no channel reaches the patient (absent from databases before 20261217200002): email_not_confirmed when
   *  their only way is an email address they have not proved. */
  skip_reason?: RecipientSkip | null;
}

type SkipReason = 'no_phone' | 'opted_out' | 'email_not_confirmed';
/** What notification_recipient may answer as skip_reason: + the number is outside the deployment's SMS
 *  countries (sec22a, private.sms_countries) — recorded as `no_phone`: no number this deployment may text. */
type RecipientSkip = SkipReason | 'country_not_allowed';

interface Reserve {
  notification_id: string;
  status: SendStatus;
  reserved: boolean;
  duplicate: boolean;
  alert: boolean;
}

const round4 = (n: number): number => Math.round(n * 10_000) / 10_000;

export const deliver = async (req: SendRequest, deps: SendDeps): Promise<SendResult> => {
  const { rpc, log } = deps;
  const seg = smsSegments(req.body);
  const estimate = round4(seg.segments * deps.segmentPrice);
  const base: SendResult = {
    notification_id: null,
    status: 'queued',
    duplicate: false,
    attempts: 0,
    segments: seg.segments,
    cost: estimate,
    provider_id: null,
    budget_alert: false,
    error: null,
  };
  const logCtx = { clinic_id: req.clinicId, kind: req.kind, key: req.idempotencyKey };

  const who = await rpc<Recipient>('notification_recipient', {
    p_clinic_id: req.clinicId,
    p_entry_id: req.entryId ?? null,
    p_phone: req.to ?? null,
  });
  // web push first for "near" and "called" when the patient opted in on this visit's tracker (the database says
  // whether there is a subscription); failed → SMS once
  if (req.entryId && deps.push && PUSH_KINDS.includes(req.kind)) {
    const pushed = await deliverPush(req, req.entryId, who, deps, base);
    if (pushed !== 'none') return pushed;
  }
  // the server's routing (the patient's choice, then SMS, then email): an email when it says so
  if (req.to === undefined && req.entryId && who.channel === 'email' && who.email && deps.email) {
    const language = req.language ?? who.language ?? 'fr';
    const mail = await deliverEmail(
      {
        clinicId: req.clinicId,
        kind: req.kind,
        idempotencyKey: req.idempotencyKey,
        entryId: req.entryId,
        eventId: req.eventId,
        to: who.email,
        language,
        subject: emailSubject(req.kind, language, req.values ?? {}),
        body: req.body,
      },
      {
        rpc,
        log,
        mailer: deps.email.mailer,
        from: deps.email.from,
        unsubscribe:
          who.patient_id && deps.unsubscribe
            ? await unsubscribeHeaders(deps.unsubscribe, who.patient_id)
            : null,
      },
    );
    if (mail.status !== 'failed' || mail.refused !== true || mail.notification_id === null) return mail;
    // refused for good by the mail server: the same text by SMS instead, once per failed email (the database
    // keys it `<key>:sms`, picks the patient's own phone and records the SMS with fallback_of = the email)
    return smsFallback(mail.notification_id, mail.error, mail, req, who.sender ?? null, deps, base);
  }
  if (req.to === undefined && req.entryId && who.channel === 'whatsapp' && deps.whatsapp) {
    const wa = await deliverWhatsApp(req, req.entryId, who, deps, base);
    if (wa !== 'fallback') return wa;
    // outside the 24-hour window with no approved template for this kind and language: nothing was recorded;
    // the message goes by SMS under its own key (the SMS opt-out below still applies)
    log.info('WhatsApp: outside the window and no template for this kind: sending by SMS', logCtx);
  }
  // sec22a: a number outside the deployment's SMS countries is never texted, a caller-given one included (the
  // database answers no phone for it; its notifications trigger refuses to record one besides)
  const outsideCountries = who.skip_reason === 'country_not_allowed';
  const phone = outsideCountries ? null : (req.to ?? who.phone);
  /** Not sent: recorded in the message log as skipped with its reason (no phone number kept), once per key. */
  const skip = async (reason: SkipReason): Promise<SendResult> => {
    const s = await rpc<{ notification_id: string | null; duplicate: boolean }>('notification_record_skip', {
      p_clinic_id: req.clinicId,
      p_idempotency_key: req.idempotencyKey,
      p_kind: req.kind,
      p_reason: reason,
      p_entry_id: req.entryId ?? null,
      p_event_id: req.eventId ?? null,
      p_language: req.language ?? who.language ?? null,
    });
    return {
      ...base,
      notification_id: s?.notification_id ?? null,
      duplicate: s?.duplicate === true,
      status: reason === 'opted_out' ? 'opted_out' : 'no_recipient',
    };
  };
  if (!phone) {
    if (outsideCountries) {
      log.info('number outside the SMS countries of this deployment: not sent, recorded as skipped', logCtx);
      return skip('no_phone');
    }
    if (req.to === undefined && who.skip_reason === 'email_not_confirmed') {
      // the patient's only way is an address they have not proved: never mailed (email18)
      log.info('email address not confirmed: not sent, recorded as skipped', logCtx);
      return skip('email_not_confirmed');
    }
    log.info('no phone for this visit: not sent, recorded as skipped', logCtx);
    return skip('no_phone');
  }
  if (who.opted_out) {
    log.info('recipient opted out (STOP): not sent, recorded as skipped', {
      ...logCtx,
      to: maskPhone(phone),
    });
    return skip('opted_out');
  }

  const r = await rpc<Reserve>('sms_budget_reserve', {
    p_clinic_id: req.clinicId,
    p_idempotency_key: req.idempotencyKey,
    p_kind: req.kind,
    p_segments: seg.segments,
    p_cost: estimate,
    p_entry_id: req.entryId ?? null,
    p_event_id: req.eventId ?? null,
    p_recipient: phone,
    p_language: req.language ?? who.language ?? null,
    p_body: req.body,
  });
  return sendReserved(r, phone, req, who.sender ?? null, deps, base);
};

/**
 * The same text by SMS in place of an email or WhatsApp message the provider refused, once per failed message
 * (the database keys it `<key>:sms`, picks the patient's own phone and records the SMS with fallback_of set).
 */
export const smsFallback = async (
  failedId: string,
  failedError: string | null,
  failed: SendResult,
  req: SendRequest,
  sender: string | null,
  deps: SendDeps,
  base: SendResult,
): Promise<SendResult> => {
  const { rpc, log } = deps;
  const seg = smsSegments(req.body);
  const estimate = round4(seg.segments * deps.segmentPrice);
  const f = await rpc<(Reserve & { phone: string | null; skip_reason?: 'no_phone' | 'opted_out' }) | null>(
    'notification_sms_fallback',
    { p_notification_id: failedId, p_segments: seg.segments, p_cost: estimate, p_body: req.body },
  );
  if (!f) return failed; // an empty answer (no fallback recorded): the failure stands
  const fallbackFrom = { notification_id: failedId, status: 'failed' as const, error: failedError };
  log.warn('refused by the provider: sending by SMS instead', {
    clinic_id: req.clinicId,
    kind: req.kind,
    key: req.idempotencyKey,
    channel: failed.channel ?? null,
    skip: f.skip_reason ?? null,
  });
  const smsBase = { ...base, segments: seg.segments, cost: estimate };
  if (f.phone === null) {
    return {
      ...smsBase,
      notification_id: f.notification_id,
      duplicate: f.duplicate === true,
      status: f.skip_reason === 'opted_out' ? 'opted_out' : 'no_recipient',
      fallback_from: fallbackFrom,
    };
  }
  const sms = await sendReserved(
    f,
    f.phone,
    { ...req, idempotencyKey: `${req.idempotencyKey}:sms` },
    sender,
    deps,
    smsBase,
  );
  return { ...sms, fallback_from: fallbackFrom };
};

interface PushBegin {
  mode: 'none' | 'push';
  notification_id?: string;
  status?: SendStatus;
  duplicate?: boolean;
}

/** What the service worker shows (public/push-sw.js). */
const pushPayload = (
  kind: DbKind,
  entryId: string,
  body: string,
  language: 'ar' | 'fr' | 'en',
  clinicName: string,
  trackingUrl: string | null,
) => ({
  title: clinicName || 'QueueMed',
  body,
  lang: language,
  dir: language === 'ar' ? ('rtl' as const) : ('ltr' as const),
  tag: `queuemed-visit-${entryId}`,
  url: trackingUrl,
  kind,
});

/**
 * One web push to every browser the patient opted in on this visit (push.ts): recorded by the database first
 * (notification_push_begin: channel push, cost 0, outside the budget; same key → duplicate), the browsers read
 * with the service key (notification_push_targets), then one request per browser — see pushToBrowsers.
 * 'none': no subscription (or not a push kind): nothing recorded, the route decides.
 */
const deliverPush = async (
  req: SendRequest,
  entryId: string,
  who: Recipient,
  deps: SendDeps,
  base: SendResult,
): Promise<SendResult | 'none'> => {
  const { rpc, log } = deps;
  const logCtx = { clinic_id: req.clinicId, kind: req.kind, key: req.idempotencyKey, channel: 'push' };
  const b = await rpc<PushBegin>('notification_push_begin', {
    p_clinic_id: req.clinicId,
    p_idempotency_key: req.idempotencyKey,
    p_kind: req.kind,
    p_entry_id: entryId,
    p_body: req.body,
    p_event_id: req.eventId ?? null,
    p_language: req.language ?? who.language ?? null,
  });
  if (b.mode !== 'push' || !b.notification_id) return 'none';
  const pushBase: SendResult = {
    ...base,
    channel: 'push',
    segments: 0,
    cost: 0,
    notification_id: b.notification_id,
  };
  if (b.duplicate) {
    log.info('same idempotency key: not sent again', { ...logCtx, status: b.status });
    return { ...pushBase, status: b.status ?? 'queued', duplicate: true };
  }
  const subs = await (deps.serviceRpc ?? rpc)<PushSubscriptionRow[] | null>('notification_push_targets', {
    p_notification_id: b.notification_id,
  });
  const language = req.language ?? who.language ?? 'fr';
  const values = req.values ?? {};
  const payload = pushPayload(
    req.kind,
    entryId,
    req.body,
    language,
    String(values.clinic_name ?? ''),
    typeof values.tracking_url === 'string' && values.tracking_url !== '' ? values.tracking_url : null,
  );
  return pushToBrowsers(
    b.notification_id,
    subs ?? [],
    payload,
    req,
    who.sender ?? null,
    deps,
    base,
    pushBase,
  );
};

/**
 * The push's requests and outcome: at least one browser accepted → sent; 404/410 → that subscription removed at
 * once; no browser accepted but one was busy (429/5xx/unreachable) → deferred (notification_push_defer: the
 * database keeps it queued with retry_at, honouring the largest Retry-After, 3 tries at most) and the sweep tries
 * again (retryDuePushes); otherwise, or once the tries are spent → failed and the same text by SMS once.
 */
const pushToBrowsers = async (
  notificationId: string,
  subs: readonly PushSubscriptionRow[],
  payload: ReturnType<typeof pushPayload>,
  req: SendRequest,
  sender: string | null,
  deps: SendDeps,
  base: SendResult,
  pushBase: SendResult,
): Promise<SendResult> => {
  const { rpc, log } = deps;
  const cfg = deps.push!;
  const logCtx = { clinic_id: req.clinicId, kind: req.kind, key: req.idempotencyKey, channel: 'push' };
  let delivered = 0;
  let removed = 0;
  let busy = false;
  let retryAfter: number | null = null;
  const reasons: string[] = [];
  for (const sub of subs) {
    const out = await sendPush(sub, payload, cfg, deps.fetch ?? fetch);
    if (out.ok) {
      delivered++;
      continue;
    }
    reasons.push(out.reason);
    log.warn('push not accepted', {
      ...logCtx,
      host: endpointHost(sub.endpoint),
      http: out.status,
      gone: out.gone,
      busy: out.busy,
    });
    if (out.gone) {
      await (deps.serviceRpc ?? rpc)('push_subscription_gone', { p_subscription_id: sub.id });
      removed++;
    }
    if (out.busy) {
      busy = true;
      if (out.retryAfterS !== null) retryAfter = Math.max(retryAfter ?? 0, out.retryAfterS);
    }
  }
  if (delivered > 0) {
    const s = await rpc<{ attempts: number }>('notification_push_settle', {
      p_notification_id: notificationId,
      p_status: 'sent',
      p_delivered: delivered,
    });
    log.info('sent', { ...logCtx, delivered, removed });
    return { ...pushBase, status: 'sent', attempts: s.attempts, push: { delivered, removed } };
  }
  const reason = [...new Set(reasons)].join('; ').slice(0, 500) || 'no browser to push to';
  if (busy) {
    const d = await rpc<{ deferred: boolean; attempts: number; retry_at: string | null }>(
      'notification_push_defer',
      { p_notification_id: notificationId, p_error: reason, p_retry_after_seconds: retryAfter },
    );
    if (d.deferred && d.retry_at) {
      log.warn('push service busy: trying again later', {
        ...logCtx,
        attempts: d.attempts,
        retry_at: d.retry_at,
        retry_after_s: retryAfter,
      });
      return {
        ...pushBase,
        status: 'queued',
        error: reason,
        attempts: d.attempts,
        push: { delivered, removed, retry_at: d.retry_at },
      };
    }
  }
  const s = await rpc<{ attempts: number }>('notification_push_settle', {
    p_notification_id: notificationId,
    p_status: 'failed',
    p_error: reason,
  });
  log.error('push not delivered: sending by SMS instead', { ...logCtx, removed, reason });
  const failed: SendResult = {
    ...pushBase,
    status: 'failed',
    error: reason,
    attempts: s.attempts,
    push: { delivered, removed },
  };
  return smsFallback(notificationId, reason, failed, req, sender, deps, base);
};

/** A push due for another try, as notification_push_retry_due lists it (service role). */
interface PushRetry {
  notification_id: string;
  clinic_id: string;
  entry_id: string;
  kind: DbKind;
  idempotency_key: string;
  body: string;
  language: 'ar' | 'fr' | 'en';
  event_id: number | null;
  attempts: number;
  clinic_name: string;
  sender: string | null;
  tracking_token: string | null;
  subscriptions: PushSubscriptionRow[];
}

/**
 * The sweep's part of a busy push: the pushes whose retry is due (leased by the database, so two sweeps at once
 * get different ones) are tried again with the text recorded the first time; the outcome as above (sent,
 * deferred again, or failed → SMS once). Answers the count per outcome. Needs the service role's `rpc`.
 */
export const retryDuePushes = async (
  deps: SendDeps,
  trackingUrl: (token: string | null) => string,
  limit = 50,
): Promise<Record<string, number>> => {
  const out: Record<string, number> = {};
  if (!deps.push) return out;
  const due = (await deps.rpc<PushRetry[] | null>('notification_push_retry_due', { p_limit: limit })) ?? [];
  for (const d of due) {
    try {
      const req: SendRequest = {
        clinicId: d.clinic_id,
        kind: d.kind,
        idempotencyKey: d.idempotency_key,
        body: d.body,
        entryId: d.entry_id,
        eventId: d.event_id ?? undefined,
        language: d.language,
      };
      const seg = smsSegments(d.body);
      const base: SendResult = {
        notification_id: null,
        status: 'queued',
        duplicate: false,
        attempts: 0,
        segments: seg.segments,
        cost: round4(seg.segments * deps.segmentPrice),
        provider_id: null,
        budget_alert: false,
        error: null,
      };
      const url = trackingUrl(d.tracking_token);
      const payload = pushPayload(
        d.kind,
        d.entry_id,
        d.body,
        d.language,
        d.clinic_name,
        url === '' ? null : url,
      );
      const r = await pushToBrowsers(d.notification_id, d.subscriptions, payload, req, d.sender, deps, base, {
        ...base,
        channel: 'push',
        segments: 0,
        cost: 0,
        notification_id: d.notification_id,
        attempts: d.attempts,
      });
      const key = r.fallback_from ? `fallback_${r.status}` : r.status;
      out[key] = (out[key] ?? 0) + 1;
    } catch (e) {
      // the lease runs out and a later sweep tries again
      out.error = (out.error ?? 0) + 1;
      deps.log.error('push retry not processed', {
        clinic_id: d.clinic_id,
        kind: d.kind,
        err: e instanceof Error ? e.message.slice(0, 200) : 'unknown',
      });
    }
  }
  return out;
};

interface WhatsAppBegin extends Reserve {
  mode: 'session' | 'template' | 'fallback' | null;
  phone?: string;
  sender?: string | null;
  content_sid?: string | null;
  variables?: string[] | null;
}

/**
 * One WhatsApp message (Twilio's Messages API with `whatsapp:` addresses): the database decides the mode and
 * records the message under its key with the budget reserved (notification_whatsapp_begin) BEFORE Twilio is
 * called; inside the 24-hour customer service window the rendered body is sent, outside it the clinic's
 * approved template (ContentSid + ContentVariables, {{n}} ← the n-th configured variable). Twilio refusing it
 * (or no WhatsApp sender configured) → failed, then SMS once. 'fallback': no template, nothing recorded.
 */
const deliverWhatsApp = async (
  req: SendRequest,
  entryId: string,
  who: Recipient,
  deps: SendDeps,
  base: SendResult,
): Promise<SendResult | 'fallback'> => {
  const { rpc, log } = deps;
  const wa = deps.whatsapp!;
  const logCtx = { clinic_id: req.clinicId, kind: req.kind, key: req.idempotencyKey, channel: 'whatsapp' };
  const waBase: SendResult = { ...base, channel: 'whatsapp', segments: 0, cost: wa.price };
  const b = await rpc<WhatsAppBegin>('notification_whatsapp_begin', {
    p_clinic_id: req.clinicId,
    p_idempotency_key: req.idempotencyKey,
    p_kind: req.kind,
    p_entry_id: entryId,
    p_body: req.body,
    p_cost: wa.price,
    p_event_id: req.eventId ?? null,
    p_language: req.language ?? who.language ?? null,
  });
  if (b.mode === 'fallback') return 'fallback';
  const withId: SendResult = {
    ...waBase,
    notification_id: b.notification_id,
    budget_alert: b.alert === true,
    ...(b.mode ? { whatsapp_mode: b.mode } : {}),
  };
  if (b.alert) log.warn('SMS budget alert ratio reached', { clinic_id: req.clinicId });
  if (b.duplicate) {
    log.info('same idempotency key: not sent again', { ...logCtx, status: b.status });
    return { ...withId, status: b.status, duplicate: true };
  }
  if (!b.reserved) {
    log.warn('monthly messaging budget exhausted: skipped', logCtx);
    return { ...withId, status: 'skipped_budget' };
  }
  const phone = b.phone!;
  if (deps.twilio === null) {
    const sim = `SIM${crypto.randomUUID().replace(/-/g, '')}`;
    const s = await rpc<{ attempts: number }>('sms_budget_settle', {
      p_notification_id: b.notification_id,
      p_status: 'simulated',
      p_provider_id: sim,
      p_segments: 0,
      p_cost: wa.price,
    });
    log.info('simulation mode (no Twilio credentials): WhatsApp recorded as simulated', {
      ...logCtx,
      to: maskPhone(phone),
      mode: b.mode,
    });
    return { ...withId, status: 'simulated', provider_id: sim, attempts: s.attempts };
  }
  const fail = async (reason: string, attempt: number): Promise<SendResult> => {
    const s = await rpc<{ attempts: number }>('sms_budget_settle', {
      p_notification_id: b.notification_id,
      p_status: 'failed',
      p_error: reason,
    });
    log.error('WhatsApp not sent', { ...logCtx, to: maskPhone(phone), attempt, reason });
    const failed: SendResult = { ...withId, status: 'failed', error: reason, attempts: s.attempts };
    return smsFallback(b.notification_id, reason, failed, req, who.sender ?? null, deps, base);
  };
  const sender = b.sender ?? wa.from;
  if (!sender) return fail('no WhatsApp sender configured (TWILIO_WHATSAPP_FROM or the clinic setting)', 0);
  let values = req.values ?? {};
  // an approved template may number {eta} among its variables although the clinic's text template has none (the
  // callers read the stored estimate only for a text that uses it): read it here, as send-sms would
  if (b.mode === 'template' && (b.variables ?? []).includes('eta') && values.eta === undefined)
    values = {
      ...values,
      eta: await etaFor(rpc, log, req.clinicId, entryId, req.language ?? who.language ?? 'fr'),
    };
  const params: Record<string, string> = {
    To: `whatsapp:${phone}`,
    From: `whatsapp:${sender}`,
    ...(b.mode === 'template' && b.content_sid
      ? {
          ContentSid: b.content_sid,
          ContentVariables: JSON.stringify(
            Object.fromEntries(
              (b.variables ?? []).map((name, i) => [String(i + 1), String(values[name] ?? '')]),
            ),
          ),
        }
      : { Body: req.body }),
    ...(deps.statusCallbackUrl ? { StatusCallback: deps.statusCallbackUrl } : {}),
  };
  for (let attempt = 1; ; attempt++) {
    const out = await createMessage(deps.twilio, params, deps.fetch);
    if (out.ok) {
      const cost = out.price ?? wa.price;
      const s = await rpc<{ attempts: number }>('sms_budget_settle', {
        p_notification_id: b.notification_id,
        p_status: 'sent',
        p_provider_id: out.sid,
        p_segments: 0,
        p_cost: cost,
      });
      log.info('sent', { ...logCtx, to: maskPhone(phone), attempt, mode: b.mode, sid: out.sid });
      return { ...withId, status: 'sent', provider_id: out.sid, cost, attempts: s.attempts };
    }
    if (out.retryable && attempt < deps.twilio.maxAttempts) {
      await rpc('notification_record_attempt', { p_notification_id: b.notification_id, p_error: out.reason });
      await deps.sleep(Math.max(out.retryAfterMs ?? 0, backoffMs(deps.twilio, attempt, deps.random)));
      continue;
    }
    return fail(out.reason, attempt);
  }
};

/** After the reservation: the duplicate / budget answers, then Twilio (or simulation) and the settle. */
const sendReserved = async (
  r: Reserve,
  phone: string,
  req: SendRequest,
  sender: string | null,
  deps: SendDeps,
  base: SendResult,
): Promise<SendResult> => {
  const { rpc, log } = deps;
  const seg = { segments: base.segments };
  const estimate = base.cost;
  const logCtx = { clinic_id: req.clinicId, kind: req.kind, key: req.idempotencyKey };
  const withId = { ...base, notification_id: r.notification_id, budget_alert: r.alert === true };
  if (r.alert) log.warn('SMS budget alert ratio reached', { clinic_id: req.clinicId });
  if (r.duplicate) {
    log.info('same idempotency key: not sent again', { ...logCtx, status: r.status });
    return { ...withId, status: r.status, duplicate: true };
  }
  if (!r.reserved) {
    log.warn('monthly SMS budget exhausted: skipped', logCtx);
    return { ...withId, status: 'skipped_budget' };
  }

  if (deps.twilio === null) {
    const sim = `SIM${crypto.randomUUID().replace(/-/g, '')}`;
    const s = await rpc<{ attempts: number }>('sms_budget_settle', {
      p_notification_id: r.notification_id,
      p_status: 'simulated',
      p_provider_id: sim,
      p_segments: seg.segments,
      p_cost: estimate,
    });
    log.info('simulation mode (no Twilio credentials): recorded as simulated', {
      ...logCtx,
      to: maskPhone(phone),
    });
    return { ...withId, status: 'simulated', provider_id: sim, attempts: s.attempts };
  }

  const params: Record<string, string> = {
    To: phone,
    ...senderParams(deps.twilio, req.clinicId, sender),
    Body: req.body,
    ...(deps.statusCallbackUrl ? { StatusCallback: deps.statusCallbackUrl } : {}),
  };
  for (let attempt = 1; ; attempt++) {
    const out = await createMessage(deps.twilio, params, deps.fetch);
    if (out.ok) {
      const segments = out.segments ?? seg.segments;
      const cost = out.price ?? round4(segments * deps.segmentPrice);
      const s = await rpc<{ attempts: number }>('sms_budget_settle', {
        p_notification_id: r.notification_id,
        p_status: 'sent',
        p_provider_id: out.sid,
        p_segments: segments,
        p_cost: cost,
      });
      log.info('sent', { ...logCtx, to: maskPhone(phone), attempt, segments, sid: out.sid });
      return { ...withId, status: 'sent', provider_id: out.sid, segments, cost, attempts: s.attempts };
    }
    if (out.retryable && attempt < deps.twilio.maxAttempts) {
      await rpc('notification_record_attempt', { p_notification_id: r.notification_id, p_error: out.reason });
      const wait = Math.max(out.retryAfterMs ?? 0, backoffMs(deps.twilio, attempt, deps.random));
      log.warn('provider failure: retrying', { ...logCtx, attempt, http: out.httpStatus, wait_ms: wait });
      await deps.sleep(wait);
      continue;
    }
    const s = await rpc<{ attempts: number }>('sms_budget_settle', {
      p_notification_id: r.notification_id,
      p_status: 'failed',
      p_error: out.reason,
    });
    log.error('not sent', {
      ...logCtx,
      to: maskPhone(phone),
      attempt,
      http: out.httpStatus,
      reason: out.reason,
    });
    return { ...withId, status: 'failed', error: out.reason, attempts: s.attempts };
  }
};

/** WHATSAPP_MESSAGE_PRICE, default 0.1 (budget currency units per WhatsApp message). */
export const whatsappPriceFrom = (v: string | undefined): number => {
  const n = Number(v);
  return v !== undefined && v !== '' && Number.isFinite(n) && n >= 0 && n <= 100 ? n : 0.1;
};

/** SMS_SEGMENT_PRICE, default 0.25 (budget currency units per segment). */
export const segmentPriceFrom = (v: string | undefined): number => {
  const n = Number(v);
  return v !== undefined && v !== '' && Number.isFinite(n) && n >= 0 && n <= 100 ? n : 0.25;
};

/**
 * The email channel (issue 20): one patient message by SMTP (nodemailer), on the same at-most-once path as
 * SMS. The server decides the channel and the address (private.notification_route, via notification_recipient
 * or the outboxes); this module only renders and sends:
 *
 *   notification_email_begin (records the email under the message's idempotency key BEFORE the SMTP call; the
 *   database refuses any address but the one it routes the visit to; same key → duplicate, nothing sent) →
 *   SMTP (one try: a mail server that accepted the message may still answer late, and a resend could
 *   duplicate it) → notification_email_settle (sent with the Message-ID | failed with the reason | simulated)
 *   → on a permanent refusal (SMTP 5xx, a hard bounce) notification_email_bounced.
 *
 * Text and HTML bodies carry the same server-rendered text (render.ts, as the SMS and the admin preview);
 * Arabic is right to left (dir="rtl"). The subject is per kind and language (EMAIL_SUBJECTS). Neither the
 * address nor a phone number ever reaches a log. Emails do not count against the SMS budget.
 *
 * Environment: SMTP_URL (smtp://user:pass@host:587 or smtps://…; without it: simulation mode, recorded as
 * `simulated`), EMAIL_FROM (the From header, default "QueueMed <no-reply@queuemed.invalid>").
 */
import type { Env } from './http.ts';
import type { Log } from './log.ts';
import { redactPhones } from './log.ts';
import { renderTemplate } from './render.ts';
import type { SmsLanguage, SmsValues } from './render.ts';
import type { Rpc } from './rest.ts';

export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

/** The SMTP port: the real adapter is smtpMailer; tests may pass their own. */
export interface Mailer {
  send(message: MailMessage): Promise<{ messageId: string }>;
}

export interface EmailConfig {
  url: string;
  from: string;
}

export const DEFAULT_EMAIL_FROM = 'QueueMed <no-reply@queuemed.invalid>';

/** SMTP_URL + EMAIL_FROM; null (simulation) without SMTP_URL. */
export const emailFromEnv = (env: Env): EmailConfig | null => {
  const url = (env.get('SMTP_URL') ?? '').trim();
  if (url === '') return null;
  return { url, from: (env.get('EMAIL_FROM') ?? '').trim() || DEFAULT_EMAIL_FROM };
};

/** The domain of the From address ("Clinic <no-reply@clinic.ma>" → clinic.ma), else localhost. */
export const heloName = (from: string): string => /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'localhost';

/** nodemailer over SMTP, loaded on the first email (an SMS-only function never pays for it). */
export const smtpMailer = (cfg: EmailConfig): Mailer => {
  let transport: Promise<{ sendMail(m: MailMessage): Promise<{ messageId: string }> }> | null = null;
  return {
    send: async (m) => {
      transport ??= import('npm:nodemailer@^10').then((mod) =>
        mod.default.createTransport({
          url: cfg.url,
          // the EHLO name: the sender's domain (else nodemailer asks the OS for the host name, a permission
          // the functions do not have)
          name: heloName(cfg.from),
          connectionTimeout: 15_000,
          greetingTimeout: 15_000,
          socketTimeout: 30_000,
        }),
      );
      const info = await (await transport).sendMail(m);
      return { messageId: String(info.messageId ?? '') };
    },
  };
};

type PatientKind =
  | 'booking_confirmed'
  | 'appointment_reminder'
  | 'fluid_reminder'
  | 'waitlist_offer'
  | 'remote_join_confirmed'
  | 'almost_turn'
  | 'your_turn'
  | 'still_next'
  | 'marked_absent'
  | 'returned'
  | 'cancelled'
  | 'no_show'
  | 'staff_invitation'
  | 'webhook_disabled';

/** Subjects per kind and language; `{clinic_name}` is filled by the same renderer as the body. */
export const EMAIL_SUBJECTS: Record<PatientKind, Record<SmsLanguage, string>> = {
  booking_confirmed: {
    fr: '{clinic_name} : rendez-vous confirmé',
    en: '{clinic_name}: appointment confirmed',
    ar: '{clinic_name}: تم تأكيد موعدك',
  },
  appointment_reminder: {
    fr: '{clinic_name} : rappel de votre rendez-vous',
    en: '{clinic_name}: appointment reminder',
    ar: '{clinic_name}: تذكير بموعدك',
  },
  fluid_reminder: {
    fr: '{clinic_name} : votre place dans la file demain',
    en: '{clinic_name}: your place in the line tomorrow',
    ar: '{clinic_name}: مكانك في الطابور غدًا',
  },
  waitlist_offer: {
    fr: '{clinic_name} : un créneau plus tôt pour vous',
    en: '{clinic_name}: an earlier slot for you',
    ar: '{clinic_name}: موعد أبكر لك',
  },
  remote_join_confirmed: {
    fr: "{clinic_name} : vous êtes dans la file d'attente",
    en: "{clinic_name}: you are in today's queue",
    ar: '{clinic_name}: انضممت إلى طابور اليوم',
  },
  almost_turn: {
    fr: '{clinic_name} : bientôt votre tour',
    en: '{clinic_name}: your turn is near',
    ar: '{clinic_name}: اقترب دورك',
  },
  your_turn: {
    fr: '{clinic_name} : c’est votre tour',
    en: '{clinic_name}: it is your turn',
    ar: '{clinic_name}: حان دورك',
  },
  still_next: {
    fr: '{clinic_name} : vous êtes toujours le prochain',
    en: '{clinic_name}: you are still next',
    ar: '{clinic_name}: ما زلت التالي',
  },
  marked_absent: {
    fr: '{clinic_name} : vous avez été marqué absent',
    en: '{clinic_name}: you were marked absent',
    ar: '{clinic_name}: تم تسجيلك غائبًا',
  },
  returned: {
    fr: '{clinic_name} : vous êtes de retour dans la file',
    en: '{clinic_name}: you are back in the queue',
    ar: '{clinic_name}: عدت إلى قائمة الانتظار',
  },
  cancelled: {
    fr: '{clinic_name} : visite annulée',
    en: '{clinic_name}: visit cancelled',
    ar: '{clinic_name}: تم إلغاء الزيارة',
  },
  no_show: {
    fr: '{clinic_name} : visite manquée',
    en: '{clinic_name}: missed visit',
    ar: '{clinic_name}: فاتتك الزيارة',
  },
  webhook_disabled: {
    fr: '{clinic_name} : webhook désactivé',
    en: '{clinic_name}: webhook switched off',
    ar: '{clinic_name}: تم إيقاف webhook',
  },
  staff_invitation: {
    fr: '{clinic_name} : invitation',
    en: '{clinic_name}: invitation',
    ar: '{clinic_name}: دعوة',
  },
};

export const emailSubject = (kind: PatientKind, language: SmsLanguage, values: SmsValues): string =>
  renderTemplate(
    (EMAIL_SUBJECTS[kind] ?? EMAIL_SUBJECTS.your_turn)[language] ?? EMAIL_SUBJECTS[kind].fr,
    values,
    language,
  )
    .replace(/[\r\n]+/g, ' ')
    .slice(0, 300);

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The HTML twin of the text: escaped, links clickable, lines kept, right to left for Arabic. */
export const emailHtml = (text: string, language: SmsLanguage): string => {
  const dir = language === 'ar' ? 'rtl' : 'ltr';
  const body = escapeHtml(text)
    .replace(/https?:\/\/[^\s<>"]+/g, (u) => `<a href="${u}">${u}</a>`)
    .replace(/\r?\n/g, '<br>');
  return (
    `<!doctype html><html lang="${language}" dir="${dir}"><head><meta charset="utf-8"></head>` +
    `<body dir="${dir}" style="font-family:sans-serif;direction:${dir};text-align:${dir === 'rtl' ? 'right' : 'left'}">` +
    `<p>${body}</p></body></html>`
  );
};

/** Addresses and phone numbers out of a provider's error text (it can quote the recipient). */
export const redactAddresses = (text: string): string =>
  redactPhones(text.replace(/[^\s<>"'@]+@[^\s<>"'@]+/g, '•@•'));

export interface EmailRequest {
  clinicId: string;
  kind: PatientKind;
  idempotencyKey: string;
  /** The visit; null only for an owner notice (webhook_disabled), which the database sends to the owner. */
  entryId: string | null;
  eventId?: number | undefined;
  /** The address the server routed the message to. */
  to: string;
  language: SmsLanguage;
  subject: string;
  /** The rendered text (render.ts). */
  body: string;
}

export interface EmailResult {
  notification_id: string | null;
  channel: 'email';
  status: 'sent' | 'simulated' | 'failed' | 'queued' | 'delivered';
  duplicate: boolean;
  attempts: number;
  segments: number;
  cost: number;
  provider_id: string | null;
  budget_alert: boolean;
  error: string | null;
  /** True when the mail server refused the message for good (an SMTP 5xx answer): it surely did not take
   *  it, so the sender may send it by SMS instead (notification_sms_fallback). */
  refused?: boolean;
}

/** A permanent refusal: the mail server answered 5xx (unknown recipient, mailbox disabled, policy). A
 *  timeout or a dropped connection is not one: the server may have accepted the message. */
export const permanentlyRefused = (e: unknown): boolean => {
  const code = (e as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
};

export interface EmailDeps {
  rpc: Rpc;
  /** null: simulation mode. */
  mailer: Mailer | null;
  from: string;
  log: Log;
  /** The RFC 8058 one-click unsubscribe headers for this patient (unsubscribe.ts); null: none. */
  unsubscribe?: Record<string, string> | null;
}

export const deliverEmail = async (req: EmailRequest, deps: EmailDeps): Promise<EmailResult> => {
  const { rpc, log } = deps;
  const logCtx = { clinic_id: req.clinicId, kind: req.kind, key: req.idempotencyKey, channel: 'email' };
  const base: EmailResult = {
    notification_id: null,
    channel: 'email',
    status: 'queued',
    duplicate: false,
    attempts: 0,
    segments: 0,
    cost: 0,
    provider_id: null,
    budget_alert: false,
    error: null,
  };
  const b = await rpc<{ notification_id: string; status: EmailResult['status']; duplicate: boolean }>(
    'notification_email_begin',
    {
      p_clinic_id: req.clinicId,
      p_idempotency_key: req.idempotencyKey,
      p_kind: req.kind,
      p_entry_id: req.entryId,
      p_recipient: req.to,
      p_subject: req.subject,
      p_body: req.body,
      p_event_id: req.eventId ?? null,
      p_language: req.language,
    },
  );
  const withId = { ...base, notification_id: b.notification_id };
  if (b.duplicate) {
    log.info('same idempotency key: not sent again', { ...logCtx, status: b.status });
    return { ...withId, status: b.status, duplicate: true };
  }
  const settle = (status: 'sent' | 'failed' | 'simulated', providerId: string | null, error: string | null) =>
    rpc<{ attempts: number }>('notification_email_settle', {
      p_notification_id: b.notification_id,
      p_status: status,
      p_provider_id: providerId,
      p_error: error,
    });
  if (deps.mailer === null) {
    const sim = `SIM${crypto.randomUUID().replace(/-/g, '')}`;
    const s = await settle('simulated', sim, null);
    log.info('simulation mode (no SMTP_URL): recorded as simulated', logCtx);
    return { ...withId, status: 'simulated', provider_id: sim, attempts: s.attempts };
  }
  try {
    const out = await deps.mailer.send({
      from: deps.from,
      to: req.to,
      subject: req.subject,
      text: req.body,
      html: emailHtml(req.body, req.language),
      headers: {
        'Content-Language': req.language,
        'Auto-Submitted': 'auto-generated',
        ...(deps.unsubscribe ?? {}),
      },
    });
    const s = await settle('sent', out.messageId || null, null);
    log.info('sent', logCtx);
    return { ...withId, status: 'sent', provider_id: out.messageId || null, attempts: s.attempts };
  } catch (e) {
    const reason = redactAddresses(e instanceof Error ? e.message : String(e)).slice(0, 500) || 'SMTP error';
    const s = await settle('failed', null, reason);
    const refused = permanentlyRefused(e);
    log.error('not sent', { ...logCtx, reason, refused });
    if (refused) {
      // a hard bounce: the database marks the email and the patient's address, so the route stops choosing
      // it. A failure to record it does not undo the email's own outcome (the fallback still runs). An owner
      // notice (no visit) has no patient address: its email is marked, so the outbox owes the SMS in its place
      // even when this sweep dies before sending it (20261214100003).
      try {
        await rpc('notification_email_bounced', { p_notification_id: b.notification_id });
      } catch (be) {
        log.error('hard bounce not recorded', {
          ...logCtx,
          reason: be instanceof Error ? be.message : 'error',
        });
      }
    }
    return { ...withId, status: 'failed', error: reason, attempts: s.attempts, refused };
  }
};

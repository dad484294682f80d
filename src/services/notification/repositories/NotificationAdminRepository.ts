/** The clinic admin's view of messaging: its SMS templates, the month's budget report and the message log. */
import type { AppError } from '../../shared/AppError';
import type { Result } from '../../shared/Result';
import type { TemplateKind, TemplateLanguage } from '../api';
import type { ChannelName } from '../models/ChannelChoice';

export interface StoredTemplate {
  readonly kind: TemplateKind;
  readonly language: TemplateLanguage;
  readonly body: string;
}

export interface BudgetReport {
  readonly limitCount: number | null;
  readonly limitAmount: number | null;
  readonly spentCount: number;
  readonly spentAmount: number;
  readonly reservedCount: number;
  readonly usedRatio: number;
  readonly alert: boolean;
  /** The platform operator has not approved this self-made clinic for SMS yet: nothing is sent (abuse17). */
  readonly smsHeld: boolean;
  readonly byStatus: Readonly<Record<string, number>>;
}

export interface LoggedMessage {
  readonly id: string;
  readonly kind: string;
  readonly status: string;
  readonly language: string | null;
  readonly body: string | null;
  readonly segments: number | null;
  /** The channel it went (or would have gone) through. */
  readonly channel: 'sms' | 'email' | 'whatsapp' | 'push';
  /** Set on a `skipped` message: why it was not sent (never the phone number). */
  readonly skipReason: 'opted_out' | 'no_phone' | 'email_not_confirmed' | null;
  /** On an SMS sent in place of an email the mail server refused: that email's id (absent/null: none). */
  readonly fallbackOf?: string | null;
  /** On a failed email: the mail server refused it for good (a hard bounce); the address is no longer used. */
  readonly hardBounce?: boolean;
  /** ISO UTC. */
  readonly createdAt: string;
}

/** One approved WhatsApp template (Twilio Content SID) of a clinic, for a kind and language. */
export interface WhatsAppTemplate {
  readonly kind: string;
  readonly language: 'ar' | 'fr' | 'en';
  /** HX + 32 hex. */
  readonly sid: string;
  /** variables[i] fills the template's {{i+1}}. */
  readonly variables: readonly string[];
}

/** The clinic's WhatsApp sender (null: the platform's) and its approved templates. */
export interface WhatsAppSettings {
  readonly sender: string | null;
  readonly templates: readonly WhatsAppTemplate[];
}

/** Where a page of the message log ends: the last message's created_at (as stored) and id. */
export interface MessageCursor {
  readonly createdAt: string;
  readonly id: string;
}

export interface NotificationAdminRepository {
  templates(clinicId: string): Promise<Result<readonly StoredTemplate[], AppError>>;
  /** Validated by the database too (unknown variables, length). */
  saveTemplate(clinicId: string, template: StoredTemplate): Promise<Result<void, AppError>>;
  budget(clinicId: string): Promise<Result<BudgetReport, AppError>>;
  /**
   * The newest messages first, at most `limit`; with `before`, only the messages after that one in this
   * order (created_at desc, id desc) — a keyset page that new messages do not shift.
   */
  messageLog(
    clinicId: string,
    limit: number,
    before?: MessageCursor | null,
  ): Promise<Result<readonly LoggedMessage[], AppError>>;
  /** clinics.reminder_minutes_before: minutes before a booked visit its reminder is sent; null = off. */
  reminderMinutes(clinicId: string): Promise<Result<number | null, AppError>>;
  /** public.set_reminder_minutes_before (owners/admins; 5–2880 or null, else REMINDER.INVALID_MINUTES). */
  setReminderMinutes(clinicId: string, minutes: number | null): Promise<Result<number | null, AppError>>;
  /** clinics.default_channel: the channel after the patient's own choice (null = none: SMS, then email). */
  defaultChannel(clinicId: string): Promise<Result<ChannelName | null, AppError>>;
  /** clinics.whatsapp_sender and clinics.whatsapp_templates. */
  whatsAppSettings(clinicId: string): Promise<Result<WhatsAppSettings, AppError>>;
  /** public.set_whatsapp_settings (owners/admins; the database refuses a bad number, SID or variable). */
  setWhatsAppSettings(
    clinicId: string,
    settings: WhatsAppSettings,
  ): Promise<Result<WhatsAppSettings, AppError>>;
  /** public.set_default_channel (owners/admins). */
  setDefaultChannel(
    clinicId: string,
    channel: ChannelName | null,
  ): Promise<Result<ChannelName | null, AppError>>;
}

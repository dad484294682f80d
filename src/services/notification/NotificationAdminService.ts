/**
 * NotificationAdminService — what a clinic admin does with messaging: read and save SMS templates
 * (validated against the kind's variables before the database sees them), the month's budget report and
 * the latest messages sent.
 */
import { z } from '../shared/zod';
import { appError, ErrorCodes, type AppError } from '../shared/AppError';
import { err, type Result } from '../shared/Result';
import { checkReminderMinutes } from './models/ReminderSetting';
import type { ChannelName } from './models/ChannelChoice';
import { whatsAppSettingsProblem } from './models/WhatsAppSettings';
import { MAX_TEMPLATE_LENGTH, TEMPLATE_KINDS, templateVariables } from './api';
import type {
  BudgetReport,
  LoggedMessage,
  MessageCursor,
  NotificationAdminRepository,
  StoredTemplate,
  WhatsAppSettings,
} from './repositories/NotificationAdminRepository';

export const TemplateInputSchema = z.object({
  kind: z.enum(TEMPLATE_KINDS),
  language: z.enum(['ar', 'fr', 'en']),
  body: z.string(),
});
export type TemplateInput = z.input<typeof TemplateInputSchema>;

export class NotificationAdminService {
  constructor(private readonly repo: NotificationAdminRepository) {}

  templates(clinicId: string): Promise<Result<readonly StoredTemplate[], AppError>> {
    return this.repo.templates(clinicId);
  }

  async saveTemplate(clinicId: string, input: TemplateInput): Promise<Result<void, AppError>> {
    const p = TemplateInputSchema.safeParse(input);
    if (!p.success) return err(appError(ErrorCodes.VALIDATION_FAILED, 'Invalid template'));
    const body = p.data.body.trim();
    if (body === '') return err(appError(ErrorCodes.TEMPLATE_EMPTY, 'A template needs a text'));
    if (body.length > MAX_TEMPLATE_LENGTH)
      return err(appError(ErrorCodes.VALIDATION_FAILED, 'Template too long', { max: MAX_TEMPLATE_LENGTH }));
    const allowed = new Set(templateVariables(p.data.kind));
    const unknown = [...body.matchAll(/\{([a-z_]+)\}/g)]
      .map((m) => m[1] ?? '')
      .filter((v) => !allowed.has(v));
    if (unknown.length > 0)
      return err(appError(ErrorCodes.TEMPLATE_UNKNOWN_VARIABLE, 'Unknown variable', { variables: unknown }));
    return this.repo.saveTemplate(clinicId, { ...p.data, body });
  }

  budget(clinicId: string): Promise<Result<BudgetReport, AppError>> {
    return this.repo.budget(clinicId);
  }

  /** Minutes before a booked visit its reminder is sent; null = reminders off. */
  reminderMinutes(clinicId: string): Promise<Result<number | null, AppError>> {
    return this.repo.reminderMinutes(clinicId);
  }

  /** Turns reminders on (5–2880 minutes before) or off (null); checked here before the database sees it. */
  async setReminderMinutes(
    clinicId: string,
    minutes: number | null,
  ): Promise<Result<number | null, AppError>> {
    const c = checkReminderMinutes(minutes);
    if (!c.ok) return c;
    return this.repo.setReminderMinutes(clinicId, c.value);
  }

  /** The clinic's default channel (after the patient's own choice); null = none (SMS, then email). */
  defaultChannel(clinicId: string): Promise<Result<ChannelName | null, AppError>> {
    return this.repo.defaultChannel(clinicId);
  }

  /** Sets or clears it (owners/admins; the database checks). */
  setDefaultChannel(
    clinicId: string,
    channel: ChannelName | null,
  ): Promise<Result<ChannelName | null, AppError>> {
    return this.repo.setDefaultChannel(clinicId, channel);
  }

  /** The clinic's WhatsApp sender (null: the platform's) and approved templates (issue 20). */
  whatsAppSettings(clinicId: string): Promise<Result<WhatsAppSettings, AppError>> {
    return this.repo.whatsAppSettings(clinicId);
  }

  /** Saves them (owners/admins); checked here first as the database checks them (VALIDATION.FAILED). */
  async setWhatsAppSettings(
    clinicId: string,
    settings: WhatsAppSettings,
  ): Promise<Result<WhatsAppSettings, AppError>> {
    const sender = settings.sender?.trim() || null;
    const clean = {
      sender,
      templates: settings.templates.map((t) => ({ ...t, sid: t.sid.trim() })),
    };
    const problem = whatsAppSettingsProblem(clean);
    if (problem) return err(appError(ErrorCodes.VALIDATION_FAILED, 'Invalid WhatsApp settings', { problem }));
    return this.repo.setWhatsAppSettings(clinicId, clean);
  }

  /** The newest 50 messages. */
  messageLog(clinicId: string): Promise<Result<readonly LoggedMessage[], AppError>> {
    return this.repo.messageLog(clinicId, 50);
  }

  /** One page of the log (newest first), after `before` (the last message of the previous page). */
  messageLogPage(
    clinicId: string,
    page: { readonly limit: number; readonly before: MessageCursor | null },
  ): Promise<Result<readonly LoggedMessage[], AppError>> {
    if (!Number.isInteger(page.limit) || page.limit < 1 || page.limit > 100)
      return Promise.resolve(err(appError(ErrorCodes.VALIDATION_FAILED, 'limit: 1 to 100')));
    return this.repo.messageLog(clinicId, page.limit, page.before);
  }
}

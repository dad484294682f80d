/**
 * In-memory `NotificationAdminRepository` for hook tests (the same contract runs on the Supabase adapter:
 * test/fixtures/contracts/notificationAdminContract.ts). Who is an admin of which clinic is asked of
 * `roleOf` (the clinic world in the in-memory composition root).
 */
import { appError, ErrorCodes, type AppError } from '../../shared/AppError';
import { err, ok, type Result } from '../../shared/Result';
import { checkReminderMinutes } from '../models/ReminderSetting';
import type { ChannelName } from '../models/ChannelChoice';
import { whatsAppSettingsProblem } from '../models/WhatsAppSettings';
import type {
  BudgetReport,
  LoggedMessage,
  NotificationAdminRepository,
  StoredTemplate,
  WhatsAppSettings,
} from './NotificationAdminRepository';

export class InMemoryNotificationAdminWorld {
  readonly templates = new Map<string, StoredTemplate[]>();
  readonly messages = new Map<string, LoggedMessage[]>();
  readonly limits = new Map<string, { count: number | null; amount: number | null }>();
  /** Clinics whose SMS the platform operator has not approved yet (sms_budget_report.sms_held). */
  readonly held = new Set<string>();
  /** clinics.reminder_minutes_before (absent = off). */
  readonly reminders = new Map<string, number | null>();
  /** clinics.default_channel (absent = none). */
  readonly defaultChannels = new Map<string, ChannelName | null>();
  readonly whatsApp = new Map<string, WhatsAppSettings>();
  constructor(readonly roleOf: (userId: string | null, clinicId: string) => string | null) {}
  as(userId: string | null): NotificationAdminRepository {
    const admin = (clinicId: string): Result<void, AppError> => {
      if (userId === null) return err(appError(ErrorCodes.AUTH_REQUIRED, 'sign in first'));
      const r = this.roleOf(userId, clinicId);
      return r === 'owner' || r === 'admin'
        ? ok(undefined)
        : err(appError(ErrorCodes.AUTH_FORBIDDEN, 'owner or admin only'));
    };
    const staff = (clinicId: string) => this.roleOf(userId, clinicId) !== null;
    const member = (clinicId: string): Result<void, AppError> => {
      if (userId === null) return err(appError(ErrorCodes.AUTH_REQUIRED, 'sign in first'));
      return staff(clinicId)
        ? ok(undefined)
        : err(appError(ErrorCodes.AUTH_FORBIDDEN, 'not a member of this clinic'));
    };
    return {
      templates: async (clinicId) => ok(staff(clinicId) ? [...(this.templates.get(clinicId) ?? [])] : []),
      saveTemplate: async (clinicId, t) => {
        const a = admin(clinicId);
        if (!a.ok) return a;
        this.templates.set(clinicId, [
          ...(this.templates.get(clinicId) ?? []).filter(
            (x) => !(x.kind === t.kind && x.language === t.language),
          ),
          { ...t },
        ]);
        return ok(undefined);
      },
      budget: async (clinicId): Promise<Result<BudgetReport, AppError>> => {
        const a = admin(clinicId);
        if (!a.ok) return a;
        const sent = this.messages.get(clinicId) ?? [];
        const limit = this.limits.get(clinicId) ?? { count: null, amount: null };
        const byStatus: Record<string, number> = {};
        for (const m of sent) byStatus[m.status] = (byStatus[m.status] ?? 0) + 1;
        const spent = sent.filter((m) => m.status === 'sent').length;
        const ratio = limit.count ? spent / limit.count : 0;
        return ok({
          limitCount: limit.count,
          limitAmount: limit.amount,
          spentCount: spent,
          spentAmount: 0,
          reservedCount: 0,
          usedRatio: ratio,
          alert: ratio >= 0.8,
          smsHeld: this.held.has(clinicId),
          byStatus,
        });
      },
      messageLog: async (clinicId, limit, before) =>
        ok(
          staff(clinicId)
            ? [...(this.messages.get(clinicId) ?? [])]
                .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
                .filter(
                  (m) =>
                    !before ||
                    m.createdAt < before.createdAt ||
                    (m.createdAt === before.createdAt && m.id < before.id),
                )
                .slice(0, limit)
            : [],
        ),
      // the clinic's private settings: its staff only (get_clinic_staff_settings)
      reminderMinutes: async (clinicId) => {
        const s = member(clinicId);
        return s.ok ? ok(this.reminders.get(clinicId) ?? null) : s;
      },
      setReminderMinutes: async (clinicId, minutes) => {
        const a = admin(clinicId);
        if (!a.ok) return a;
        // the database's own check (the service checks first; the contract proves both refuse)
        const c = checkReminderMinutes(minutes);
        if (!c.ok) return c;
        this.reminders.set(clinicId, c.value);
        return ok(c.value);
      },
      whatsAppSettings: async (clinicId) => {
        const s = member(clinicId);
        return s.ok ? ok(this.whatsApp.get(clinicId) ?? { sender: null, templates: [] }) : s;
      },
      setWhatsAppSettings: async (clinicId, settings) => {
        const a = admin(clinicId);
        if (!a.ok) return a;
        // the database's own checks (set_whatsapp_settings)
        const bad = whatsAppSettingsProblem(settings);
        if (bad) return err(appError(ErrorCodes.VALIDATION_FAILED, bad));
        this.whatsApp.set(clinicId, settings);
        return ok(settings);
      },
      defaultChannel: async (clinicId) => {
        const s = member(clinicId);
        return s.ok ? ok(this.defaultChannels.get(clinicId) ?? null) : s;
      },
      setDefaultChannel: async (clinicId, channel) => {
        const a = admin(clinicId);
        if (!a.ok) return a;
        this.defaultChannels.set(clinicId, channel);
        return ok(channel);
      },
    };
  }
}

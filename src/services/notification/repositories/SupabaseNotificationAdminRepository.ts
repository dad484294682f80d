/** `NotificationAdminRepository` on supabase-js: templates and the log are RLS-guarded reads, writes and the budget are RPCs. */
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from '../../shared/zod';
import { appError, ErrorCodes, type AppError } from '../../shared/AppError';
import { err, ok, type Result } from '../../shared/Result';
import { fromResponse, guard } from '../../shared/repositories/postgrest';
import { TEMPLATE_KINDS } from '../api';
import { MESSAGE_LOG_COLUMNS, MessageLogRowSchema } from '../api/messageLog';
import type { ChannelName } from '../models/ChannelChoice';
import type {
  BudgetReport,
  LoggedMessage,
  MessageCursor,
  NotificationAdminRepository,
  StoredTemplate,
  WhatsAppSettings,
  WhatsAppTemplate,
} from './NotificationAdminRepository';

/** clinics.default_channel (null = none). */
const ChannelRow = z.pipe(
  z.nullable(z.object({ default_channel: z.nullable(z.enum(['sms', 'email', 'whatsapp'])) })),
  z.transform((r) => r?.default_channel ?? null),
);

/** { <kind>: { <language>: { sid, variables } } } as stored (clinics.whatsapp_templates) → one row each. */
const WhatsAppTemplates = z.pipe(
  z.record(
    z.string(),
    z.record(z.string(), z.object({ sid: z.string(), variables: z._default(z.array(z.string()), []) })),
  ),
  z.transform((byKind): WhatsAppTemplate[] =>
    Object.entries(byKind).flatMap(([kind, byLang]) =>
      Object.entries(byLang)
        .filter((e): e is ['ar' | 'fr' | 'en', { sid: string; variables: string[] }] =>
          ['ar', 'fr', 'en'].includes(e[0]),
        )
        .map(([language, t]) => ({ kind, language, sid: t.sid, variables: t.variables })),
    ),
  ),
);
const WhatsAppRow = z.pipe(
  z.object({ whatsapp_sender: z.nullable(z.string()), whatsapp_templates: WhatsAppTemplates }),
  z.transform((r): WhatsAppSettings => ({ sender: r.whatsapp_sender, templates: r.whatsapp_templates })),
);

const num = z.coerce.number();

const MessageRows = z.array(MessageLogRowSchema);

export class SupabaseNotificationAdminRepository implements NotificationAdminRepository {
  constructor(private readonly client: SupabaseClient) {}

  templates(clinicId: string) {
    return guard(async () =>
      fromResponse(
        await this.client
          .from('notification_templates')
          .select('kind, language, body')
          .eq('clinic_id', clinicId),
        z.array(
          z.object({ kind: z.enum(TEMPLATE_KINDS), language: z.enum(['ar', 'fr', 'en']), body: z.string() }),
        ),
        'notification_templates',
      ),
    );
  }

  saveTemplate(clinicId: string, t: StoredTemplate) {
    return guard(async () => {
      const r = fromResponse(
        await this.client.rpc('save_notification_template', {
          p_clinic_id: clinicId,
          p_kind: t.kind,
          p_language: t.language,
          p_body: t.body,
        }),
        z.unknown(),
        'save_notification_template',
      );
      return r.ok ? ok(undefined) : r;
    });
  }

  budget(clinicId: string) {
    return guard(async () =>
      fromResponse(
        await this.client.rpc('sms_budget_report', { p_clinic_id: clinicId }),
        z.pipe(
          z.object({
            limit_count: z.nullable(num),
            limit_amount: z.nullable(num),
            spent_count: num,
            spent_amount: num,
            reserved_count: num,
            used_ratio: num,
            alert: z.boolean(),
            sms_held: z._default(z.boolean(), false),
            by_status: z._default(z.nullable(z.record(z.string(), num)), {}),
          }),
          z.transform((b): BudgetReport => ({
            limitCount: b.limit_count,
            limitAmount: b.limit_amount,
            spentCount: b.spent_count,
            spentAmount: b.spent_amount,
            reservedCount: b.reserved_count,
            usedRatio: b.used_ratio,
            alert: b.alert,
            smsHeld: b.sms_held,
            byStatus: b.by_status ?? {},
          })),
        ),
        'sms_budget_report',
      ),
    );
  }

  messageLog(clinicId: string, limit: number, before?: MessageCursor | null) {
    /** `sameAt`: the instant `at` with an id below `id`; `olderThan`: every earlier instant. */
    const page = async (
      where: { readonly sameAt?: MessageCursor; readonly olderThan?: string },
      n: number,
    ): Promise<Result<readonly LoggedMessage[], AppError>> => {
      if (n <= 0) return ok([]);
      let q = this.client.from('notifications').select(MESSAGE_LOG_COLUMNS).eq('clinic_id', clinicId);
      if (where.sameAt) q = q.eq('created_at', where.sameAt.createdAt).lt('id', where.sameAt.id);
      if (where.olderThan) q = q.lt('created_at', where.olderThan);
      return fromResponse(
        await q.order('created_at', { ascending: false }).order('id', { ascending: false }).limit(n),
        MessageRows,
        'notifications',
      );
    };
    return guard(async () => {
      if (!before) return page({}, limit);
      // keyset (created_at, id) < before in two plain filters: the same instant with a smaller id, then
      // every earlier instant (no PostgREST `or`, which the local stack does not serve)
      const same = await page({ sameAt: before }, limit);
      if (!same.ok) return same;
      const older = await page({ olderThan: before.createdAt }, limit - same.value.length);
      return older.ok ? ok([...same.value, ...older.value]) : older;
    });
  }

  reminderMinutes(clinicId: string) {
    return guard(async () => {
      const r = fromResponse(
        await this.staffSettings(clinicId),
        z.nullable(z.object({ reminder_minutes_before: z.nullable(z.number().check(z.int())) })),
        'get_clinic_staff_settings',
      );
      if (!r.ok) return r;
      return r.value === null
        ? err(appError(ErrorCodes.NOT_FOUND, 'no such clinic'))
        : ok(r.value.reminder_minutes_before);
    });
  }

  setReminderMinutes(clinicId: string, minutes: number | null) {
    return guard(async () => {
      const r = fromResponse(
        await this.client.rpc('set_reminder_minutes_before', { p_clinic_id: clinicId, p_minutes: minutes }),
        z.object({ reminder_minutes_before: z.nullable(z.number().check(z.int())) }),
        'set_reminder_minutes_before',
      );
      return r.ok ? ok(r.value.reminder_minutes_before) : r;
    });
  }

  defaultChannel(clinicId: string) {
    return this.channel(() => this.staffSettings(clinicId));
  }

  whatsAppSettings(clinicId: string) {
    return guard(async () => {
      const r = fromResponse(
        await this.staffSettings(clinicId),
        z.nullable(WhatsAppRow),
        'whatsapp_settings',
      );
      return r.ok ? ok(r.value ?? { sender: null, templates: [] }) : r;
    });
  }

  setWhatsAppSettings(clinicId: string, settings: WhatsAppSettings) {
    const templates: Record<string, Record<string, { sid: string; variables: readonly string[] }>> = {};
    for (const t of settings.templates)
      (templates[t.kind] ??= {})[t.language] = { sid: t.sid, variables: t.variables };
    return guard(async () =>
      fromResponse(
        await this.client.rpc('set_whatsapp_settings', {
          p_clinic_id: clinicId,
          p_sender: settings.sender,
          p_templates: templates,
        }),
        WhatsAppRow,
        'set_whatsapp_settings',
      ),
    );
  }

  setDefaultChannel(clinicId: string, channel: ChannelName | null) {
    return this.channel(() =>
      this.client.rpc('set_default_channel', { p_clinic_id: clinicId, p_channel: channel }),
    );
  }

  /**
   * The clinic's private settings (reminders, default channel, WhatsApp set-up): its staff only, through
   * get_clinic_staff_settings (signed-in callers read only the clinics table's public columns); else
   * AUTH.FORBIDDEN.
   */
  private staffSettings(clinicId: string) {
    return this.client.rpc('get_clinic_staff_settings', { p_clinic_id: clinicId });
  }

  /** clinics.default_channel from the staff settings or the setter's answer. */
  private channel(q: () => PromiseLike<Parameters<typeof fromResponse>[0]>) {
    return guard(async () => fromResponse(await q(), ChannelRow, 'default_channel'));
  }
}

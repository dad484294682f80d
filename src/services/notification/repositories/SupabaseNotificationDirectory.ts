/**
 * `RecipientDirectory` and `TemplateSource` on supabase-js table reads (RLS: staff of the clinic see their
 * patients and templates). Templates that no longer validate are skipped (the built-in default is used).
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from '../../shared/zod';
import type { AppError } from '../../shared/AppError';
import { ok, type Result } from '../../shared/Result';
import { fromResponse, guard } from '../../shared/repositories/postgrest';
import { MessageTemplate, isMessageKind } from '../api';
import type { Recipient, RecipientDirectory, TemplateSource } from './NotificationPorts';

const lang = z.enum(['ar', 'fr', 'en']);

export class SupabaseNotificationDirectory implements RecipientDirectory, TemplateSource {
  constructor(private readonly client: SupabaseClient) {}

  async forEntry(entryId: string): Promise<Result<Recipient | null, AppError>> {
    return guard(async () => {
      const entry = fromResponse(
        await this.client
          .from('queue_entries')
          .select('id, clinic_id, patient_id, ticket_number')
          .eq('id', entryId)
          .maybeSingle(),
        z.nullable(
          z.object({
            id: z.string(),
            clinic_id: z.string(),
            patient_id: z.string(),
            ticket_number: z.number().check(z.int()),
          }),
        ),
        'queue_entries',
      );
      if (!entry.ok || entry.value === null) return entry.ok ? ok(null) : entry;
      const e = entry.value;
      const [patient, clinic] = await Promise.all([
        this.client
          .from('patients')
          .select('full_name, phone, preferred_language, sms_opt_out')
          .eq('id', e.patient_id)
          .single(),
        this.client
          .from('clinics')
          .select('name, default_language, time_zone, ticket_prefix')
          .eq('id', e.clinic_id)
          .single(),
      ]);
      const p = fromResponse(
        patient,
        z.object({
          full_name: z.string(),
          phone: z.nullable(z.string()),
          preferred_language: z.nullable(lang),
          sms_opt_out: z.boolean(),
        }),
        'patients',
      );
      if (!p.ok) return p;
      const c = fromResponse(
        clinic,
        z.object({
          name: z.string(),
          default_language: lang,
          time_zone: z.string(),
          ticket_prefix: z.string(),
        }),
        'clinics',
      );
      if (!c.ok) return c;
      return ok({
        entryId: e.id,
        clinicId: e.clinic_id,
        patientName: p.value.full_name,
        phone: p.value.phone,
        language: p.value.preferred_language,
        smsOptOut: p.value.sms_opt_out,
        clinicName: c.value.name,
        clinicLanguage: c.value.default_language,
        timeZone: c.value.time_zone,
        ticket: `${c.value.ticket_prefix}-${String(e.ticket_number).padStart(3, '0')}`,
      });
    });
  }

  async clinicTemplates(clinicId: string): Promise<Result<readonly MessageTemplate[], AppError>> {
    return guard(async () => {
      const rows = fromResponse(
        await this.client
          .from('notification_templates')
          .select('kind, language, body')
          .eq('clinic_id', clinicId),
        z.array(z.object({ kind: z.string(), language: lang, body: z.string() })),
        'notification_templates',
      );
      if (!rows.ok) return rows;
      const out: MessageTemplate[] = [];
      for (const r of rows.value) {
        const kind = r.kind;
        if (!isMessageKind(kind)) continue;
        const t = MessageTemplate.create({ kind, language: r.language, body: r.body });
        if (t.ok) out.push(t.value);
      }
      return ok(out);
    });
  }
}

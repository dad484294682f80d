/**
 * `RecipientDirectory` and `TemplateSource` on supabase-js table reads (RLS: staff of the clinic see their
 * patients and templates). Templates that no longer validate are skipped (the built-in default is used).
 *
 * desk25 (issues 12/14): after every queue step the desk used to read the entry, its patient and the clinic
 * (queue_entries + patients + clinics) to message the patients the step concerned — server load on every
 * click. In the staff browser the SMS channel sends only a REFERENCE (channels/SmsChannel.ts): send-sms reads
 * the recipient, checks the opt-out and the phone and renders the text itself. So, given `views` (the queue
 * view the desk just saved or loaded, QueueService.latestView), an entry of that view is answered from it
 * with no read — the ticket, the name and the clinic are in the view; the contact is left to the server
 * (`contactOnServer`). The clinic's templates (only the browser's preview of the text) are read once per
 * clinic-day, and forgotten at sign-out (sec26: forgetUser). Anything the view does not hold (another day's
 * booking, no view yet) is read as before.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from '../../shared/zod';
import type { AppError } from '../../shared/AppError';
import { ok, type Result } from '../../shared/Result';
import { fromResponse, guard } from '../../shared/repositories/postgrest';
import { MessageTemplate, isMessageKind } from '../api';
import type { Recipient, RecipientDirectory, TemplateSource } from './NotificationPorts';

const lang = z.enum(['ar', 'fr', 'en']);

/** What the directory takes from a clinic's queue view (structurally QueueService's `QueueView`). */
export interface HeldQueueView {
  readonly queue: { readonly id: string; readonly day: string; readonly timeZone: string };
  readonly directory: {
    readonly clinic: {
      readonly id: string;
      readonly name: string;
      readonly defaultLanguage: 'ar' | 'fr' | 'en';
      readonly ticketPrefix: string;
    };
  };
  readonly entries: readonly { readonly id: string; readonly patientName: string; readonly ticket: string }[];
}

export class SupabaseNotificationDirectory implements RecipientDirectory, TemplateSource {
  /** Per clinic: its templates, read once for the day of `day` (a new queue day reads them again). */
  private readonly templates = new Map<
    string,
    { readonly day: string; readonly rows: Promise<Result<readonly MessageTemplate[], AppError>> }
  >();

  constructor(
    private readonly client: SupabaseClient,
    /** The clinic's queue view this browser holds now (null: none); without it every look-up reads. */
    private readonly views?: (clinicId: string) => HeldQueueView | null,
  ) {}

  async forEntry(entryId: string, clinicId?: string): Promise<Result<Recipient | null, AppError>> {
    const held = this.held(entryId, clinicId);
    if (held) return ok(held);
    return this.read(entryId);
  }

  /** The recipient from the clinic's view when it holds the entry (only ever the named clinic's view). */
  private held(entryId: string, clinicId: string | undefined): Recipient | null {
    if (clinicId === undefined || !this.views) return null;
    const view = this.views(clinicId);
    if (!view || view.directory.clinic.id !== clinicId) return null;
    const entry = view.entries.find((e) => e.id === entryId);
    if (!entry) return null;
    const clinic = view.directory.clinic;
    return {
      entryId,
      clinicId,
      patientName: entry.patientName,
      phone: null,
      language: null,
      smsOptOut: false,
      contactOnServer: true,
      clinicName: clinic.name,
      clinicLanguage: clinic.defaultLanguage,
      timeZone: view.queue.timeZone,
      ticket: entry.ticket,
    };
  }

  private async read(entryId: string): Promise<Result<Recipient | null, AppError>> {
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

  /**
   * sec26: forgets the templates kept per clinic-day — at sign-out, with QueueService.forgetUser (the next user of
   * this browser reads their own clinic's templates; nothing of the previous user's clinic stays in memory).
   */
  forgetUser(): void {
    this.templates.clear();
  }

  async clinicTemplates(clinicId: string): Promise<Result<readonly MessageTemplate[], AppError>> {
    const day = this.views?.(clinicId)?.queue.day;
    if (day === undefined) return this.readTemplates(clinicId);
    const known = this.templates.get(clinicId);
    if (known && known.day === day) return known.rows;
    const rows = this.readTemplates(clinicId);
    this.templates.set(clinicId, { day, rows });
    // a failed read is not kept: the next message reads again
    void rows.then((r) => {
      if (!r.ok && this.templates.get(clinicId)?.rows === rows) this.templates.delete(clinicId);
    });
    return rows;
  }

  private async readTemplates(clinicId: string): Promise<Result<readonly MessageTemplate[], AppError>> {
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

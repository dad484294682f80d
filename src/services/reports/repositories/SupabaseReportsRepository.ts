/** `ReportsRepository` on supabase-js: the report_* RPCs (20261202800001_reports.sql), parsed by zod. */
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from '../../shared/zod';
import { appError, ErrorCodes, type AppError } from '../../shared/AppError';
import { err, ok, type Result } from '../../shared/Result';
import { fromResponse, guard } from '../../shared/repositories/postgrest';
import {
  AUDIT_KINDS,
  REPORT_BREAKDOWNS,
  REPORT_PERIODS,
  type AccuracyRow,
  type AuditEntry,
  type AuditQuery,
  type ReportBreakdown,
  type ReportQuery,
  type SmsRow,
  type VisitRow,
  type PatientRecord,
  type RecordAccess,
  type PatientMatch,
  type PatientSearch,
  type VisitNote,
  type Erasure,
} from '../api';
import type { ReportsRepository } from './ReportsRepository';

const day = z.string().check(z.regex(/^\d{4}-\d\d-\d\d$/));
const count = z.number().check(z.int(), z.gte(0));
const figure = z.nullable(z.number());

const Visit = z.pipe(z
  .object({
    period: z.optional(z.nullable(day)),
    key: z.nullable(z.string()),
    label: z.nullable(z.string()),
    visits: count,
    seen: count,
    walk_in: count,
    booked: count,
    no_show: count,
    cancelled: count,
    late: count,
    no_show_rate: figure,
    late_rate: figure,
    wait_median: figure,
    wait_p90: figure,
    visit_median: figure,
    visit_p90: figure,
  }), z.transform((r): VisitRow => ({
      period: r.period ?? null,
      key: r.key,
      label: r.label,
      visits: r.visits,
      seen: r.seen,
      walkIn: r.walk_in,
      booked: r.booked,
      noShow: r.no_show,
      cancelled: r.cancelled,
      late: r.late,
      noShowRate: r.no_show_rate,
      lateRate: r.late_rate,
      waitMedian: r.wait_median,
      waitP90: r.wait_p90,
      visitMedian: r.visit_median,
      visitP90: r.visit_p90,
    })));
const VisitsReportSchema = z.pipe(z
  .object({
    from: day,
    to: day,
    period: z.enum(REPORT_PERIODS),
    by: z.enum(REPORT_BREAKDOWNS),
    rows: z.array(Visit),
    totals: z.array(Visit),
  }), z.transform((r) => r));

const BusySchema = z.object({
  from: day,
  to: day,
  cells: z.array(
    z.object({ weekday: z.number().check(z.int(), z.gte(0), z.lte(6)), hour: z.number().check(z.int(), z.gte(0), z.lte(23)), arrivals: count }),
  ),
});

const Accuracy = z.pipe(z
  .object({ period: z.optional(z.nullable(day)), judged: count, median_abs_error: figure, within_share: figure }), z.transform((r): AccuracyRow => ({
      period: r.period ?? null,
      judged: r.judged,
      medianAbsError: r.median_abs_error,
      withinShare: r.within_share,
    })));
const AccuracySchema = z.object({ rows: z.array(Accuracy), totals: Accuracy });

const Sms = z.pipe(z
  .object({
    period: z.optional(z.nullable(day)),
    sent: count,
    failed: count,
    skipped: count,
    segments: count,
    cost: z.number().check(z.gte(0)),
  }), z.transform((r): SmsRow => ({ ...r, period: r.period ?? null })));
const SmsSchema = z.object({ rows: z.array(Sms), totals: Sms });

const instant = z.pipe(z.string(), z.transform((v) => new Date(v.replace(/^(\d{4}-\d\d-\d\d) /, '$1T')).toISOString()));
const Audit = z.pipe(z
  .object({
    id: z.number().check(z.int()),
    kind: z.enum(AUDIT_KINDS),
    occurred_at: instant,
    patient_id: z.nullable(z.string()),
    patient_name: z.nullable(z.string()),
    actor_id: z.nullable(z.string()),
    actor_name: z.nullable(z.string()),
    actor_role: z.nullable(z.string()),
    reason: z.nullable(z.string()),
    client_ip: z.nullable(z.string()),
    user_agent: z.nullable(z.string()),
  }), z.transform((r): AuditEntry => ({
      id: r.id,
      kind: r.kind,
      occurredAt: r.occurred_at,
      patientId: r.patient_id,
      patientName: r.patient_name,
      actorId: r.actor_id,
      actorName: r.actor_name,
      actorRole: r.actor_role,
      reason: r.reason,
      clientIp: r.client_ip,
      userAgent: r.user_agent,
    })));

const Access = z.pipe(z
  .object({
    occurred_at: instant,
    clinic_name: z.string(),
    actor_name: z.nullable(z.string()),
    actor_role: z.nullable(z.string()),
  }), z.transform((r): RecordAccess => ({
      occurredAt: r.occurred_at,
      clinicName: r.clinic_name,
      actorName: r.actor_name,
      actorRole: r.actor_role,
    })));
const PatientRecordSchema = z.pipe(z
  .object({
    patient: z.object({
      id: z.string(),
      full_name: z.string(),
      phone: z.nullable(z.string()),
      preferred_language: z.nullable(z.string()),
      sms_opt_out: z.boolean(),
      email: z.nullable(z.string()),
      email_bounced_at: z.nullable(z.string()),
    }),
    visits: z.array(
      z.object({
        day: z.string(),
        ticket: z.string(),
        kind: z.string(),
        status: z.string(),
        appointment_type: z.nullable(z.string()),
        practitioner: z.nullable(z.string()),
      }),
    ),
  }), z.transform((r): PatientRecord => ({
      patient: {
        id: r.patient.id,
        fullName: r.patient.full_name,
        phone: r.patient.phone,
        preferredLanguage: r.patient.preferred_language,
        smsOptOut: r.patient.sms_opt_out,
        email: r.patient.email,
        emailBouncedAt: r.patient.email_bounced_at,
      },
      visits: r.visits.map((v) => ({
        day: v.day,
        ticket: v.ticket,
        kind: v.kind,
        status: v.status,
        appointmentType: v.appointment_type,
        practitioner: v.practitioner,
      })),
    })));

const Match = z.pipe(z
  .object({
    id: z.string(),
    full_name: z.string(),
    phone: z.nullable(z.string()),
    last_day: z.nullable(day),
    last_ticket: z.nullable(z.string()),
  }), z.transform((r): PatientMatch => ({
      id: r.id,
      fullName: r.full_name,
      phone: r.phone,
      lastDay: r.last_day,
      lastTicket: r.last_ticket,
    })));
const Note = z.pipe(z
  .object({
    id: z.string(),
    entry_id: z.string(),
    author_name: z.nullable(z.string()),
    author_role: z.nullable(z.string()),
    body: z.string(),
    created_at: z.string(),
  }), z.transform((r): VisitNote => ({
      id: r.id,
      entryId: r.entry_id,
      authorName: r.author_name,
      authorRole: r.author_role,
      body: r.body,
      createdAt: r.created_at,
    })));

export class SupabaseReportsRepository implements ReportsRepository {
  constructor(private readonly client: SupabaseClient) {}

  visits(q: ReportQuery & { by: ReportBreakdown }) {
    return guard(async () =>
      fromResponse(
        await this.client.rpc('report_visits', {
          p_clinic_id: q.clinicId,
          p_from: q.from,
          p_to: q.to,
          p_period: q.period,
          p_by: q.by,
        }),
        VisitsReportSchema,
        'report_visits',
      ),
    );
  }

  busyHours(q: Omit<ReportQuery, 'period'>) {
    return guard(async () =>
      fromResponse(
        await this.client.rpc('report_busy_hours', { p_clinic_id: q.clinicId, p_from: q.from, p_to: q.to }),
        BusySchema,
        'report_busy_hours',
      ),
    );
  }

  accuracy(q: ReportQuery) {
    return guard(async () =>
      fromResponse(
        await this.client.rpc('report_wait_accuracy', {
          p_clinic_id: q.clinicId,
          p_from: q.from,
          p_to: q.to,
          p_period: q.period,
        }),
        AccuracySchema,
        'report_wait_accuracy',
      ),
    );
  }

  sms(q: ReportQuery) {
    return guard(async () =>
      fromResponse(
        await this.client.rpc('report_sms', { p_clinic_id: q.clinicId, p_from: q.from, p_to: q.to, p_period: q.period }),
        SmsSchema,
        'report_sms',
      ),
    );
  }

  auditLog(q: AuditQuery) {
    return guard(async () =>
      fromResponse(
        await this.client.rpc('get_audit_log', {
          p_clinic_id: q.clinicId,
          p_from: q.from,
          p_to: q.to,
          p_patient_id: q.patientId ?? null,
          p_actor_id: q.actorId ?? null,
          p_kind: q.kind ?? null,
        }),
        z.array(Audit),
        'get_audit_log',
      ),
    );
  }

  patientRecord(patientId: string) {
    return guard(async () =>
      fromResponse(await this.client.rpc('get_patient_record', { p_patient_id: patientId }), PatientRecordSchema, 'get_patient_record'),
    );
  }

  myRecordAccess() {
    return guard(async () =>
      fromResponse(await this.client.rpc('get_my_record_access'), z.array(Access), 'get_my_record_access'),
    );
  }

  searchPatients(q: Required<PatientSearch>) {
    return guard(async () =>
      fromResponse(
        await this.client.rpc('search_patients', { p_clinic_id: q.clinicId, p_query: q.query, p_limit: q.limit }),
        z.array(Match),
        'search_patients',
      ),
    );
  }

  visitNotes(entryId: string) {
    return guard(async () =>
      fromResponse(await this.client.rpc('list_visit_notes', { p_entry_id: entryId }), z.array(Note), 'list_visit_notes'),
    );
  }

  addVisitNote(entryId: string, body: string) {
    return guard(async () =>
      fromResponse(await this.client.rpc('add_visit_note', { p_entry_id: entryId, p_body: body }), Note, 'add_visit_note'),
    );
  }

  retention(clinicId: string) {
    return guard(async () => {
      const r = fromResponse(
        // staff of the clinic only (signed-in callers read only the clinics table's public columns)
        await this.client.rpc('get_clinic_staff_settings', { p_clinic_id: clinicId }),
        z.nullable(z.object({ retention_days: z.nullable(z.number().check(z.int())) })),
        'get_clinic_staff_settings',
      );
      if (!r.ok) return r;
      return r.value === null ? err(appError(ErrorCodes.NOT_FOUND, 'no such clinic')) : ok(r.value.retention_days);
    });
  }

  setRetention(clinicId: string, days: number | null) {
    return guard(async () => {
      const r = fromResponse(
        await this.client.rpc('set_retention', { p_clinic_id: clinicId, p_days: days }),
        z.object({ retention_days: z.nullable(z.number().check(z.int())) }),
        'set_retention',
      );
      return r.ok ? ok(r.value.retention_days) : r;
    });
  }

  erasePatient(patientId: string, reason: string | null) {
    return guard(async () =>
      fromResponse(
        await this.client.rpc('erase_patient', { p_patient_id: patientId, p_reason: reason }),
        z.object({ visits: z.number().check(z.int(), z.gte(0)), cancelled: z.number().check(z.int(), z.gte(0)) }),
        'erase_patient',
      ) as Result<Erasure, AppError>,
    );
  }
}

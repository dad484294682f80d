/**
 * ReportService — owners' reports (issue 19). Validates what is asked (days, range ≤ 367 days, period,
 * breakdown) so a bad request never reaches the database, then asks the repository; the database decides
 * who may (owners and admins of the clinic) and computes every figure.
 */
import { z } from '../shared/zod';
import { appError, ErrorCodes, type AppError } from '../shared/AppError';
import { err, type Result } from '../shared/Result';
import {
  AUDIT_KINDS,
  REPORT_BREAKDOWNS,
  REPORT_PERIODS,
  type AccuracyReport,
  type AuditEntry,
  type AuditQuery,
  type BusyHoursReport,
  type ReportBreakdown,
  type ReportQuery,
  type SmsReport,
  type VisitsReport,
  type PatientRecord,
  type RecordAccess,
  PATIENT_QUERY_MAX,
  PATIENT_QUERY_MIN,
  PATIENT_SEARCH_LIMIT,
  VISIT_NOTE_MAX,
  type PatientMatch,
  type PatientSearch,
  type VisitNote,
  type Erasure,
  ERASE_REASON_MAX,
  RETENTION_MAX_DAYS,
  RETENTION_MIN_DAYS,
} from './api';
import { daysIn, isDay } from './models/ReportRange';
import type { ReportsRepository } from './repositories/ReportsRepository';

/** The longest range one report covers (a year, leap day included). */
export const MAX_REPORT_DAYS = 367;

const day = z.string().check(z.refine(isDay, 'Invalid day (YYYY-MM-DD)'));
const QuerySchema = z
  .object({
    clinicId: z.string().check(z.minLength(1), z.maxLength(200)),
    from: day,
    to: day,
    period: z._default(z.enum(REPORT_PERIODS), 'day'),
    by: z._default(z.enum(REPORT_BREAKDOWNS), 'total'),
  }).check(z.refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['to'] }), z.refine((q) => !isDay(q.from) || !isDay(q.to) || daysIn(q) <= MAX_REPORT_DAYS, { message: `at most ${MAX_REPORT_DAYS} days`, path: ['to'] }));

const AuditSchema = z
  .object({
    clinicId: z.string().check(z.minLength(1), z.maxLength(200)),
    from: day,
    to: day,
    patientId: z._default(z.nullable(z.string().check(z.uuid())), null),
    actorId: z._default(z.nullable(z.string().check(z.uuid())), null),
    kind: z._default(z.nullable(z.enum(AUDIT_KINDS)), null),
  }).check(z.refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['to'] }), z.refine((q) => !isDay(q.from) || !isDay(q.to) || daysIn(q) <= MAX_REPORT_DAYS, {
    message: `at most ${MAX_REPORT_DAYS} days`,
    path: ['to'],
  }));

const SearchSchema = z.object({
  clinicId: z.string().check(z.minLength(1), z.maxLength(200)),
  query: z.string().check(z.trim(), z.minLength(PATIENT_QUERY_MIN), z.maxLength(PATIENT_QUERY_MAX)),
  limit: z._default(z.number().check(z.int(), z.gte(1), z.lte(50)), PATIENT_SEARCH_LIMIT),
});
const NoteSchema = z.object({
  entryId: z.string().check(z.uuid()),
  body: z.string().check(z.trim(), z.minLength(1), z.maxLength(VISIT_NOTE_MAX)),
});
const RetentionSchema = z.object({
  clinicId: z.string().check(z.minLength(1), z.maxLength(200)),
  days: z.nullable(z.number().check(z.int(), z.gte(RETENTION_MIN_DAYS), z.lte(RETENTION_MAX_DAYS))),
});
const ErasureSchema = z.object({
  patientId: z.string().check(z.uuid()),
  // an empty reason is no reason
  reason: z.pipe(z.nullable(z
    .string().check(z.trim(), z.maxLength(ERASE_REASON_MAX))), z.transform((r) => r || null)),
});
const invalid = (message: string, e: z.core.$ZodError) =>
  appError(ErrorCodes.VALIDATION_FAILED, message, {
    issues: e.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });

export type ReportRequest = Omit<ReportQuery, 'period'> & {
  readonly period?: ReportQuery['period'];
  readonly by?: ReportBreakdown;
};

export class ReportService {
  constructor(private readonly repo: ReportsRepository) {}

  private parse(input: ReportRequest): Result<z.output<typeof QuerySchema>, AppError> {
    const p = QuerySchema.safeParse(input);
    if (p.success) return { ok: true, value: p.data };
    return err(
      appError(ErrorCodes.VALIDATION_FAILED, 'Invalid report request', {
        issues: p.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      }),
    );
  }

  async visits(input: ReportRequest): Promise<Result<VisitsReport, AppError>> {
    const q = this.parse(input);
    return q.ok ? this.repo.visits(q.value) : q;
  }

  async busyHours(input: ReportRequest): Promise<Result<BusyHoursReport, AppError>> {
    const q = this.parse(input);
    return q.ok ? this.repo.busyHours({ clinicId: q.value.clinicId, from: q.value.from, to: q.value.to }) : q;
  }

  async accuracy(input: ReportRequest): Promise<Result<AccuracyReport, AppError>> {
    const q = this.parse(input);
    return q.ok ? this.repo.accuracy(q.value) : q;
  }

  async sms(input: ReportRequest): Promise<Result<SmsReport, AppError>> {
    const q = this.parse(input);
    return q.ok ? this.repo.sms(q.value) : q;
  }

  /** The audit trail (owners and admins): overrides and record reads with who, when and from where. */
  async auditLog(input: AuditQuery): Promise<Result<readonly AuditEntry[], AppError>> {
    const p = AuditSchema.safeParse(input);
    if (!p.success)
      return err(
        appError(ErrorCodes.VALIDATION_FAILED, 'Invalid audit filter', {
          issues: p.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        }),
      );
    return this.repo.auditLog(p.data);
  }

  /** Staff: a patient's record. The database logs the read (the patient can see it, 09-08 / GDPR). */
  async patientRecord(patientId: string): Promise<Result<PatientRecord, AppError>> {
    if (!z.string().check(z.uuid()).safeParse(patientId).success)
      return err(appError(ErrorCodes.VALIDATION_FAILED, 'Invalid patient id'));
    return this.repo.patientRecord(patientId);
  }

  /** The signed-in patient: which staff read their records, when. */
  async myRecordAccess(): Promise<Result<readonly RecordAccess[], AppError>> {
    return this.repo.myRecordAccess();
  }

  /** Staff: find the clinic's patients by name, phone or ticket (issue 17). The database limits it to the
   * clinic and to staff; opening a result goes through patientRecord, which is a logged read. */
  async searchPatients(input: PatientSearch): Promise<Result<readonly PatientMatch[], AppError>> {
    const p = SearchSchema.safeParse(input);
    if (!p.success) return err(invalid('Invalid patient search', p.error));
    return this.repo.searchPatients(p.data);
  }

  /** Staff: a visit's staff-only notes. */
  async visitNotes(entryId: string): Promise<Result<readonly VisitNote[], AppError>> {
    if (!z.string().check(z.uuid()).safeParse(entryId).success)
      return err(appError(ErrorCodes.VALIDATION_FAILED, 'Invalid visit id'));
    return this.repo.visitNotes(entryId);
  }

  /** Staff: add a note (1..1000 characters once trimmed) to a visit. */
  async addVisitNote(entryId: string, body: string): Promise<Result<VisitNote, AppError>> {
    const p = NoteSchema.safeParse({ entryId, body });
    if (!p.success) return err(invalid('Invalid visit note', p.error));
    return this.repo.addVisitNote(p.data.entryId, p.data.body);
  }

  /** The clinic's retention period in days (null = everything kept). */
  async retention(clinicId: string): Promise<Result<number | null, AppError>> {
    if (!clinicId) return err(appError(ErrorCodes.VALIDATION_FAILED, 'Invalid clinic id'));
    return this.repo.retention(clinicId);
  }

  /** Owners: visits older than `days` (30..3650) are anonymised by the server's daily job; null keeps all. */
  async setRetention(clinicId: string, days: number | null): Promise<Result<number | null, AppError>> {
    const p = RetentionSchema.safeParse({ clinicId, days });
    if (!p.success) return err(invalid('Invalid retention period', p.error));
    return this.repo.setRetention(p.data.clinicId, p.data.days);
  }

  /** Owners: erase a patient on request (09-08 / GDPR). Irreversible: their visits ahead are cancelled, the
   * record keeps no name, phone or account; queue history keeps anonymous counts; the audit trail records
   * who did it (not the name). */
  async erasePatient(patientId: string, reason: string | null = null): Promise<Result<Erasure, AppError>> {
    const p = ErasureSchema.safeParse({ patientId, reason });
    if (!p.success) return err(invalid('Invalid erasure request', p.error));
    return this.repo.erasePatient(p.data.patientId, p.data.reason);
  }
}

/**
 * In-memory `ReportsRepository` (tests, demos): answers the reports a test sets per clinic, records the
 * queries it was asked, refuses a clinic it does not know as the database does (403 AUTH.FORBIDDEN).
 */
import { appError, ErrorCodes, type AppError } from '../../shared/AppError';
import { err, ok, type Result } from '../../shared/Result';
import type {
  AccuracyReport,
  AuditEntry,
  AuditQuery,
  BusyHoursReport,
  ReportBreakdown,
  ReportQuery,
  SmsReport,
  VisitsReport,
  PatientRecord,
  RecordAccess,
  PatientMatch,
  PatientSearch,
  VisitNote,
} from '../api';
import type { ReportsRepository } from './ReportsRepository';

export interface ClinicReports {
  visits?: (q: ReportQuery & { by: ReportBreakdown }) => VisitsReport;
  busyHours?: BusyHoursReport['cells'];
  accuracy?: AccuracyReport;
  sms?: SmsReport;
  audit?: readonly AuditEntry[];
}

export class InMemoryReportsRepository implements ReportsRepository {
  readonly clinics = new Map<string, ClinicReports>();
  /** Records staff may read (by patient id); each read is appended to `reads`, as the database logs it. */
  readonly records = new Map<string, PatientRecord>();
  readonly reads: string[] = [];
  /** What get_my_record_access answers. */
  access: readonly RecordAccess[] = [];
  readonly asked: { report: string; query: Partial<ReportQuery> & { by?: ReportBreakdown } & Partial<AuditQuery> }[] = [];

  private of(clinicId: string): Result<ClinicReports, AppError> {
    const c = this.clinics.get(clinicId);
    return c ? ok(c) : err(appError(ErrorCodes.AUTH_FORBIDDEN, 'owner or admin only'));
  }

  async visits(q: ReportQuery & { by: ReportBreakdown }): Promise<Result<VisitsReport, AppError>> {
    this.asked.push({ report: 'visits', query: q });
    const c = this.of(q.clinicId);
    if (!c.ok) return c;
    return ok(
      c.value.visits?.(q) ?? { from: q.from, to: q.to, period: q.period, by: q.by, rows: [], totals: [] },
    );
  }

  async busyHours(q: Omit<ReportQuery, 'period'>): Promise<Result<BusyHoursReport, AppError>> {
    this.asked.push({ report: 'busyHours', query: q });
    const c = this.of(q.clinicId);
    return c.ok ? ok({ from: q.from, to: q.to, cells: c.value.busyHours ?? [] }) : c;
  }

  async accuracy(q: ReportQuery): Promise<Result<AccuracyReport, AppError>> {
    this.asked.push({ report: 'accuracy', query: q });
    const c = this.of(q.clinicId);
    if (!c.ok) return c;
    return ok(
      c.value.accuracy ?? { rows: [], totals: { period: null, judged: 0, medianAbsError: null, withinShare: null } },
    );
  }

  async sms(q: ReportQuery): Promise<Result<SmsReport, AppError>> {
    this.asked.push({ report: 'sms', query: q });
    const c = this.of(q.clinicId);
    if (!c.ok) return c;
    return ok(
      c.value.sms ?? {
        rows: [],
        totals: { period: null, sent: 0, failed: 0, skipped: 0, segments: 0, cost: 0 },
      },
    );
  }

  async auditLog(q: AuditQuery): Promise<Result<readonly AuditEntry[], AppError>> {
    this.asked.push({ report: 'audit', query: q });
    const c = this.of(q.clinicId);
    if (!c.ok) return c;
    return ok(
      (c.value.audit ?? []).filter(
        (a) =>
          (!q.patientId || a.patientId === q.patientId) &&
          (!q.actorId || a.actorId === q.actorId) &&
          (!q.kind || a.kind === q.kind),
      ),
    );
  }

  async patientRecord(patientId: string): Promise<Result<PatientRecord, AppError>> {
    const r = this.records.get(patientId);
    if (!r) return err(appError(ErrorCodes.NOT_FOUND, 'patient not found'));
    this.reads.push(patientId);
    return ok(r);
  }

  async myRecordAccess(): Promise<Result<readonly RecordAccess[], AppError>> {
    return ok(this.access);
  }

  /** Patients per clinic the desk may search (a clinic not set here is refused, as the database does). */
  readonly patients = new Map<string, PatientMatch[]>();
  /** Visits staff may annotate (entry id → its notes). */
  readonly notes = new Map<string, VisitNote[]>();
  /** The author the in-memory database stamps on a note. */
  author: { name: string; role: string } = { name: 'Staff', role: 'receptionist' };
  now: () => string = () => new Date(0).toISOString();

  async searchPatients(q: Required<PatientSearch>): Promise<Result<readonly PatientMatch[], AppError>> {
    const all = this.patients.get(q.clinicId);
    if (!all) return err(appError(ErrorCodes.AUTH_FORBIDDEN, 'not staff of this clinic'));
    const needle = q.query.trim().toLocaleLowerCase();
    const digits = needle.replace(/\D/g, '').replace(/^0+/, '');
    return ok(
      all
        .filter(
          (p) =>
            p.fullName.toLocaleLowerCase().includes(needle) ||
            (digits.length >= 4 && (p.phone ?? '').includes(digits)) ||
            (p.lastTicket ?? '').toLocaleLowerCase() === needle,
        )
        .slice(0, q.limit),
    );
  }

  async visitNotes(entryId: string): Promise<Result<readonly VisitNote[], AppError>> {
    const n = this.notes.get(entryId);
    return n ? ok(n) : err(appError(ErrorCodes.NOT_FOUND, 'visit not found'));
  }

  async addVisitNote(entryId: string, body: string): Promise<Result<VisitNote, AppError>> {
    const n = this.notes.get(entryId);
    if (!n) return err(appError(ErrorCodes.NOT_FOUND, 'visit not found'));
    const note: VisitNote = {
      id: `note-${n.length + 1}`,
      entryId,
      authorName: this.author.name,
      authorRole: this.author.role,
      body: body.trim(),
      createdAt: this.now(),
    };
    n.push(note);
    return ok(note);
  }
}

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
  Erasure,
} from '../api';
import { ERASE_REASON_MAX, RETENTION_MAX_DAYS, RETENTION_MIN_DAYS, VISIT_NOTE_MAX } from '../api';
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
    // as add_visit_note: 1 to 1000 characters once trimmed
    const text = body.trim();
    if (text.length < 1 || text.length > VISIT_NOTE_MAX)
      return err(appError(ErrorCodes.VALIDATION_FAILED, 'a note is 1 to 1000 characters'));
    const note: VisitNote = {
      id: `note-${n.length + 1}`,
      entryId,
      authorName: this.author.name,
      authorRole: this.author.role,
      body: text,
      createdAt: this.now(),
    };
    n.push(note);
    return ok(note);
  }

  /** Clinics this repository's user owns (set_retention, erase_patient); the others' staff are refused. */
  readonly owned = new Set<string>();
  /** Retention period per clinic (a clinic not set here keeps everything). */
  readonly retentionDays = new Map<string, number | null>();
  /** Erased patient ids with the reason given, in order (as the audit trail records them). */
  readonly erased: { patientId: string; reason: string | null }[] = [];

  async retention(clinicId: string): Promise<Result<number | null, AppError>> {
    // the clinic's staff only, as get_clinic_staff_settings (the fake's staff: owns it or sees its patients)
    if (!this.owned.has(clinicId) && !this.patients.has(clinicId))
      return err(appError(ErrorCodes.AUTH_FORBIDDEN, 'not a member of this clinic'));
    return ok(this.retentionDays.get(clinicId) ?? null);
  }

  async setRetention(clinicId: string, days: number | null): Promise<Result<number | null, AppError>> {
    if (!this.owned.has(clinicId)) return err(appError(ErrorCodes.AUTH_FORBIDDEN, 'owners only'));
    if (days !== null && (days < RETENTION_MIN_DAYS || days > RETENTION_MAX_DAYS))
      return err(appError(ErrorCodes.VALIDATION_FAILED, 'retention must be 30 to 3650 days, or none'));
    this.retentionDays.set(clinicId, days);
    return ok(days);
  }

  async erasePatient(patientId: string, reason: string | null): Promise<Result<Erasure, AppError>> {
    if (reason !== null && reason.length > ERASE_REASON_MAX)
      return err(appError(ErrorCodes.VALIDATION_FAILED, 'reason is at most 500 characters'));
    const clinic = [...this.patients.entries()].find(([, list]) => list.some((p) => p.id === patientId));
    if (!clinic) return err(appError(ErrorCodes.NOT_FOUND, 'patient not found'));
    const [clinicId, list] = clinic;
    if (!this.owned.has(clinicId)) return err(appError(ErrorCodes.AUTH_FORBIDDEN, 'owners only'));
    const i = list.findIndex((p) => p.id === patientId);
    if (list[i]!.fullName === '—') return err(appError(ErrorCodes.VALIDATION_FAILED, 'this record is already anonymised'));
    // as the database: the record stays (its visits keep anonymous counts), without name or phone
    list[i] = { ...list[i]!, fullName: '—', phone: null };
    this.records.delete(patientId);
    this.erased.push({ patientId, reason });
    return ok({ visits: list[i]!.lastTicket ? 1 : 0, cancelled: 0 });
  }
}

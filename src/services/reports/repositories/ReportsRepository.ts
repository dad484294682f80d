/** Owners' reports port (issue 19): each report is one database call; the database decides who may. */
import type { AppError } from '../../shared/AppError';
import type { Result } from '../../shared/Result';
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

export interface ReportsRepository {
  visits(q: ReportQuery & { readonly by: ReportBreakdown }): Promise<Result<VisitsReport, AppError>>;
  busyHours(q: Omit<ReportQuery, 'period'>): Promise<Result<BusyHoursReport, AppError>>;
  accuracy(q: ReportQuery): Promise<Result<AccuracyReport, AppError>>;
  sms(q: ReportQuery): Promise<Result<SmsReport, AppError>>;
  auditLog(q: AuditQuery): Promise<Result<readonly AuditEntry[], AppError>>;
  /** Staff: a patient's record; the database logs the read (who, when, from where). */
  patientRecord(patientId: string): Promise<Result<PatientRecord, AppError>>;
  /** The signed-in patient: staff reads of their records. */
  myRecordAccess(): Promise<Result<readonly RecordAccess[], AppError>>;
  /** Staff: the clinic's patients by name, phone or ticket (search_patients; limited). */
  searchPatients(q: Required<PatientSearch>): Promise<Result<readonly PatientMatch[], AppError>>;
  /** Staff: a visit's staff-only notes, oldest first. */
  visitNotes(entryId: string): Promise<Result<readonly VisitNote[], AppError>>;
  /** Staff: add a note to a visit (the database records the author, time and origin). */
  addVisitNote(entryId: string, body: string): Promise<Result<VisitNote, AppError>>;
}

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
  Erasure,
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
  /** The clinic's retention period in days (null = everything kept). */
  retention(clinicId: string): Promise<Result<number | null, AppError>>;
  /** Owners: set the retention period (30..3650 days, or null); the period now in force back. */
  setRetention(clinicId: string, days: number | null): Promise<Result<number | null, AppError>>;
  /** Owners: erase a patient on request (erase_patient): visits ahead cancelled, the record anonymised,
   * logged in the audit trail. */
  erasePatient(patientId: string, reason: string | null): Promise<Result<Erasure, AppError>>;
}

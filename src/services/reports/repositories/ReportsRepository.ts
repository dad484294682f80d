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
} from '../api';

export interface ReportsRepository {
  visits(q: ReportQuery & { readonly by: ReportBreakdown }): Promise<Result<VisitsReport, AppError>>;
  busyHours(q: Omit<ReportQuery, 'period'>): Promise<Result<BusyHoursReport, AppError>>;
  accuracy(q: ReportQuery): Promise<Result<AccuracyReport, AppError>>;
  sms(q: ReportQuery): Promise<Result<SmsReport, AppError>>;
  auditLog(q: AuditQuery): Promise<Result<readonly AuditEntry[], AppError>>;
}

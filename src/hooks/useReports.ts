/**
 * Owners' reports (issue 19) over ReportService: one query per report for a range of clinic-local days.
 * Keys from `reportKeys`. Past periods do not change, so results stay fresh for a few minutes.
 */
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { AppServices } from '../services/composition/AppServices';
import type {
  AccuracyReport,
  AuditEntry,
  AuditQuery,
  BusyHoursReport,
  ReportBreakdown,
  ReportPeriod,
  SmsReport,
  VisitRow,
  VisitsReport,
  PatientRecord,
  RecordAccess,
} from '../services/reports/api';
import { unwrap, type AppErrorException } from './AppErrorException';
import { reportKeys } from './queryKeys';
import { useServices } from './ServicesContext';

export type {
  AccuracyReport,
  BusyHoursReport,
  ReportBreakdown,
  ReportPeriod,
  SmsReport,
  VisitRow,
  VisitsReport,
};

export interface ReportRange {
  readonly clinicId: string;
  readonly from: string;
  readonly to: string;
  readonly period: ReportPeriod;
}

const common = { staleTime: 5 * 60_000, placeholderData: keepPreviousData } as const;

export const visitsReportQuery = (services: AppServices, r: ReportRange, by: ReportBreakdown) =>
  queryOptions<VisitsReport, AppErrorException>({
    queryKey: reportKeys.report(r.clinicId, 'visits', r.from, r.to, r.period, by),
    queryFn: async () => unwrap(await (await services.reports()).visits({ ...r, by })),
    enabled: Boolean(r.clinicId),
    ...common,
  });
export function useVisitsReport(r: ReportRange, by: ReportBreakdown) {
  return useQuery(visitsReportQuery(useServices(), r, by));
}

export const busyHoursQuery = (services: AppServices, r: ReportRange) =>
  queryOptions<BusyHoursReport, AppErrorException>({
    queryKey: reportKeys.report(r.clinicId, 'busy-hours', r.from, r.to, 'day'),
    queryFn: async () => unwrap(await (await services.reports()).busyHours(r)),
    enabled: Boolean(r.clinicId),
    ...common,
  });
export function useBusyHoursReport(r: ReportRange) {
  return useQuery(busyHoursQuery(useServices(), r));
}

export const accuracyReportQuery = (services: AppServices, r: ReportRange) =>
  queryOptions<AccuracyReport, AppErrorException>({
    queryKey: reportKeys.report(r.clinicId, 'accuracy', r.from, r.to, r.period),
    queryFn: async () => unwrap(await (await services.reports()).accuracy(r)),
    enabled: Boolean(r.clinicId),
    ...common,
  });
export function useAccuracyReport(r: ReportRange) {
  return useQuery(accuracyReportQuery(useServices(), r));
}

export const smsReportQuery = (services: AppServices, r: ReportRange) =>
  queryOptions<SmsReport, AppErrorException>({
    queryKey: reportKeys.report(r.clinicId, 'sms', r.from, r.to, r.period),
    queryFn: async () => unwrap(await (await services.reports()).sms(r)),
    enabled: Boolean(r.clinicId),
    ...common,
  });
export function useSmsReport(r: ReportRange) {
  return useQuery(smsReportQuery(useServices(), r));
}

export type { AuditEntry, AuditKind, AuditQuery } from '../services/reports/api';

export const auditLogQuery = (services: AppServices, q: AuditQuery) =>
  queryOptions<readonly AuditEntry[], AppErrorException>({
    queryKey: reportKeys.audit(
      q.clinicId,
      q.from,
      q.to,
      q.patientId ?? null,
      q.actorId ?? null,
      q.kind ?? null,
    ),
    queryFn: async () => unwrap(await (await services.reports()).auditLog(q)),
    enabled: Boolean(q.clinicId),
    placeholderData: keepPreviousData,
  });
/** The audit trail for the owners' screen (always re-read: it grows while the clinic works). */
export function useAuditLog(q: AuditQuery) {
  return useQuery(auditLogQuery(useServices(), q));
}

export type { PatientRecord, RecordAccess } from '../services/reports/api';

/** The signed-in patient: staff reads of their records (get_my_record_access). */
export function useMyRecordAccess(enabled: boolean) {
  const services = useServices();
  return useQuery<readonly RecordAccess[], AppErrorException>({
    queryKey: reportKeys.myAccess(),
    queryFn: async () => unwrap(await (await services.reports()).myRecordAccess()),
    enabled,
  });
}

/** Staff: a patient's record (get_patient_record). Every fetch is a logged read, so it is read once per
 * opening (no background refetch) and only while `patientId` is set. */
export function usePatientRecord(patientId: string | null) {
  const services = useServices();
  return useQuery<PatientRecord, AppErrorException>({
    queryKey: reportKeys.patientRecord(patientId ?? ''),
    queryFn: async () => unwrap(await (await services.reports()).patientRecord(patientId ?? '')),
    enabled: Boolean(patientId),
    staleTime: 0,
    gcTime: 0,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
}

/**
 * The reports module's public surface (issue 19): owners' reports over a range of clinic-local days,
 * grouped per day / ISO week / month, computed by the database (20261202800001_reports.sql).
 */
export const REPORT_PERIODS = ['day', 'week', 'month'] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];

export const REPORT_BREAKDOWNS = ['total', 'practitioner', 'type'] as const;
export type ReportBreakdown = (typeof REPORT_BREAKDOWNS)[number];

/** What a report covers: clinic-local days `from`…`to` (YYYY-MM-DD, inclusive), grouped by `period`. */
export interface ReportQuery {
  readonly clinicId: string;
  readonly from: string;
  readonly to: string;
  readonly period: ReportPeriod;
}

/** One row of the visits report: a period (null in the totals) × a practitioner / visit type (or all). */
export interface VisitRow {
  /** First day of the period (YYYY-MM-DD); null for the whole range. */
  readonly period: string | null;
  /** The practitioner (member) or visit type id; null = all, or "unassigned". */
  readonly key: string | null;
  readonly label: string | null;
  /** Visits not cancelled. */
  readonly visits: number;
  readonly seen: number;
  readonly walkIn: number;
  readonly booked: number;
  readonly noShow: number;
  readonly cancelled: number;
  readonly late: number;
  readonly noShowRate: number | null;
  readonly lateRate: number | null;
  /** Minutes from arrival (or the booked slot, if later) to the call. */
  readonly waitMedian: number | null;
  readonly waitP90: number | null;
  /** Minutes from start to finish of completed visits. */
  readonly visitMedian: number | null;
  readonly visitP90: number | null;
}

export interface VisitsReport {
  readonly from: string;
  readonly to: string;
  readonly period: ReportPeriod;
  readonly by: ReportBreakdown;
  readonly rows: readonly VisitRow[];
  /** One row per practitioner / visit type (or one row) for the whole range. */
  readonly totals: readonly VisitRow[];
}

/** Arrivals (check-ins) by clinic-local weekday (0 = Sunday) × hour; only non-empty cells. */
export interface BusyHoursReport {
  readonly from: string;
  readonly to: string;
  readonly cells: readonly { readonly weekday: number; readonly hour: number; readonly arrivals: number }[];
}

export interface AccuracyRow {
  readonly period: string | null;
  /** Called visits that had a stored estimate. */
  readonly judged: number;
  /** Median |real − estimated| wait, minutes. */
  readonly medianAbsError: number | null;
  /** Share called inside the range the patient was shown (0–1). */
  readonly withinShare: number | null;
}
export interface AccuracyReport {
  readonly rows: readonly AccuracyRow[];
  readonly totals: AccuracyRow;
}

export interface SmsRow {
  readonly period: string | null;
  readonly sent: number;
  readonly failed: number;
  /** Not sent: the monthly budget was reached. */
  readonly skipped: number;
  readonly segments: number;
  readonly cost: number;
}
export interface SmsReport {
  readonly rows: readonly SmsRow[];
  readonly totals: SmsRow;
}

/** What the audit trail records (20261202800002_audit.sql). */
export const AUDIT_KINDS = [
  'record_read',
  'out_of_order_call',
  'priority_change',
  'reorder',
  'transfer',
  'reactivation',
  'manual_sms',
  'patient_erased',
  'undo',
  'sms_opt_out',
  'sms_opt_in',
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

export interface AuditEntry {
  readonly id: number;
  readonly kind: AuditKind;
  readonly occurredAt: string;
  readonly patientId: string | null;
  readonly patientName: string | null;
  readonly actorId: string | null;
  readonly actorName: string | null;
  readonly actorRole: string | null;
  readonly reason: string | null;
  /** Where the request came from (the client the gateway settled, sec22b: never a caller-written hop) and its browser. */
  readonly clientIp: string | null;
  readonly userAgent: string | null;
}

/** The owners' audit screen's filter: clinic-local days, and optionally one patient, staff account, kind. */
export interface AuditQuery {
  readonly clinicId: string;
  readonly from: string;
  readonly to: string;
  readonly patientId?: string | null;
  readonly actorId?: string | null;
  readonly kind?: AuditKind | null;
}

/** A staff read of the signed-in patient's record (get_my_record_access): who, of which clinic, when. */
export interface RecordAccess {
  readonly occurredAt: string;
  readonly clinicName: string;
  readonly actorName: string | null;
  readonly actorRole: string | null;
}

/** A patient's record as staff read it (get_patient_record — the read is logged in the audit trail). */
export interface PatientRecord {
  readonly patient: {
    readonly id: string;
    readonly fullName: string;
    readonly phone: string | null;
    readonly preferredLanguage: string | null;
    readonly smsOptOut: boolean;
    /** The address on file (null: none). */
    readonly email: string | null;
    /** When the mail server refused that address for good (issue 20, a hard bounce); null: it did not. */
    readonly emailBouncedAt: string | null;
  };
  /** Newest first, at most 50. */
  readonly visits: readonly {
    readonly day: string;
    readonly ticket: string;
    readonly kind: string;
    readonly status: string;
    readonly appointmentType: string | null;
    readonly practitioner: string | null;
  }[];
}

/** The desk's patient search (issue 17, search_patients): by name, phone or ticket, one clinic. */
export const PATIENT_QUERY_MIN = 2;
export const PATIENT_QUERY_MAX = 100;
export const PATIENT_SEARCH_LIMIT = 20;
export interface PatientSearch {
  readonly clinicId: string;
  readonly query: string;
  readonly limit?: number;
}
/** One patient found: newest visit first (a patient without visits last). */
export interface PatientMatch {
  readonly id: string;
  readonly fullName: string;
  readonly phone: string | null;
  readonly lastDay: string | null;
  readonly lastTicket: string | null;
}

/** A staff-only note on a visit (issue 17, visit_notes): never shown to the patient or on the board. */
export const VISIT_NOTE_MAX = 1000;
export interface VisitNote {
  readonly id: string;
  readonly entryId: string;
  readonly authorName: string | null;
  readonly authorRole: string | null;
  readonly body: string;
  readonly createdAt: string;
}

// Pure helpers the Reports screen uses: CSV export (UTF-8 with BOM) and the ranges it moves through.
export { CSV_BOM, parseCsv, toCsv, type CsvCell } from '../models/ReportCsv';
export { REPORT_SPANS, daysIn, rangeOf, shiftRange, type DayRange, type ReportSpan } from '../models/ReportRange';

/** Retention (issue 19, set_retention): visits older than this many days are anonymised; null = kept. */
export const RETENTION_MIN_DAYS = 30;
export const RETENTION_MAX_DAYS = 3650;
/** Erasure on request (erase_patient): the optional reason recorded in the audit trail. */
export const ERASE_REASON_MAX = 500;
/** What an erasure did: the patient's visits (kept, anonymous) and those still ahead that were cancelled. */
export interface Erasure {
  readonly visits: number;
  readonly cancelled: number;
}

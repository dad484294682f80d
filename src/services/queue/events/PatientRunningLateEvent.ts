import type { QueueEventBase } from './QueueEventBase';
export const RUNNING_LATE_SOURCES = ['tracking_link', 'sms', 'app', 'staff'] as const;
export type RunningLateSource = (typeof RUNNING_LATE_SOURCES)[number];

/** The patient said "I'm running late" before their turn; the entry is kept and marked late. */
export interface PatientRunningLatePayload {
  readonly ticket: string;
  readonly source: RunningLateSource;
  /** how late the patient said they would be (report_running_late's amount); absent when none was given */
  readonly minutes?: number | null;
}

export type PatientRunningLateEvent = QueueEventBase<'PatientRunningLate', PatientRunningLatePayload>;

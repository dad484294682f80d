import type { QueueEventBase } from './QueueEventBase';
export const RUNNING_LATE_SOURCES = ['tracking_link', 'sms', 'app', 'staff'] as const;
export type RunningLateSource = (typeof RUNNING_LATE_SOURCES)[number];

/** The patient said "I'm running late" before their turn; the entry is kept and marked late. */
export interface PatientRunningLatePayload {
  readonly ticket: string;
  readonly source: RunningLateSource;
}

export type PatientRunningLateEvent = QueueEventBase<'PatientRunningLate', PatientRunningLatePayload>;

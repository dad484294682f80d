import type { QueueEventBase } from './QueueEventBase';

/** A present patient was overtaken by a call out of order. */
export interface PatientOvertakenPayload {
  readonly ticket: string;
  readonly skipCount: number;
  readonly overtakenByEntryId: string;
  /** Position after the call (the "you are still next" SMS quotes it). */
  readonly position: number;
  /** Why the other patient was called first (the reason given, or 'no_starvation'). */
  readonly reason: string;
}

export type PatientOvertakenEvent = QueueEventBase<'PatientOvertaken', PatientOvertakenPayload>;

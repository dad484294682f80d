import type { QueueEventBase } from './QueueEventBase';
import type { LateReturnPolicy } from '../../clinic/api';
/** An absent patient came back within grace: absent → waiting, placed by late_return_policy. */
export interface PatientReturnedPayload {
  readonly ticket: string;
  readonly policy: LateReturnPolicy;
  readonly offset: number;
  /** New position (the SMS quotes it). */
  readonly position: number;
}

export type PatientReturnedEvent = QueueEventBase<'PatientReturned', PatientReturnedPayload>;

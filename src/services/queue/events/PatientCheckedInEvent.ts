import type { QueueEventBase } from './QueueEventBase';

/** A booked patient arrived: scheduled → waiting. */
export interface PatientCheckedInPayload {
  readonly ticket: string;
  /** Checked in no later than on_time_tolerance_minutes after the slot: kept the slot time as order key. */
  readonly onTime: boolean;
  readonly orderKey: number;
  readonly position: number;
  /** Set by the database's check_in RPC (kiosk, the patient's app, staff): who checked in. */
  readonly by?: 'staff' | 'patient';
}

export type PatientCheckedInEvent = QueueEventBase<'PatientCheckedIn', PatientCheckedInPayload>;

import type { QueueEventBase } from './QueueEventBase';

/** A booked patient whose slot had come was not present when someone behind them was called; they keep their place. */
export interface PatientPassedOverPayload {
  readonly ticket: string;
  readonly skipCount: number;
  /** The entry called instead. */
  readonly calledEntryId: string;
  /** True when a running-late patient's hold (grace after their turn came) was over. */
  readonly lateHoldOver: boolean;
}

export type PatientPassedOverEvent = QueueEventBase<'PatientPassedOver', PatientPassedOverPayload>;

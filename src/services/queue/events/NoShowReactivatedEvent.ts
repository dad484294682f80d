import type { QueueEventBase } from './QueueEventBase';

/** Staff re-activated a no-show of today: no_show → waiting as a fresh arrival. */
export interface NoShowReactivatedPayload {
  readonly ticket: string;
  /** Always true: the entry re-enters as a fresh arrival at the end of the line. */
  readonly freshArrival: true;
  readonly previousNoShowAt: string | null;
  readonly position: number;
}

export type NoShowReactivatedEvent = QueueEventBase<'NoShowReactivated', NoShowReactivatedPayload>;

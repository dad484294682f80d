/**
 * Realtime port: tells a screen that a clinic's queue changed (any save bumps the queue row's version:
 * staff steps, bookings, patient check-ins, grace sweeps). Screens refetch on a change and after every
 * (re)subscription, so an update made while the connection was down is never lost.
 */
export interface QueueChange {
  readonly clinicId: string;
  readonly queueId: string;
  readonly day: string;
  readonly version: number;
}

export type FeedStatus = 'subscribed' | 'disconnected';

export interface QueueChangeFeed {
  subscribe(
    clinicId: string,
    handlers: { onChange(change: QueueChange): void; onStatus?(status: FeedStatus): void },
  ): () => void;
}

/** The fake realtime feed: reports every successful save of an `InMemoryQueueRepository`. */
import type { InMemoryQueueRepository } from './InMemoryQueueRepository';
import type { FeedStatus, QueueChange, QueueChangeFeed } from './QueueChangeFeed';

export class InMemoryQueueChangeFeed implements QueueChangeFeed {
  private readonly subscribers = new Set<{
    clinicId: string;
    onChange(c: QueueChange): void;
    onStatus?(s: FeedStatus): void;
  }>();

  constructor(repo: InMemoryQueueRepository) {
    repo.onSaved = (change) => {
      for (const s of [...this.subscribers]) if (s.clinicId === change.clinicId) s.onChange(change);
    };
  }

  subscribe(
    clinicId: string,
    handlers: { onChange(change: QueueChange): void; onStatus?(status: FeedStatus): void },
  ): () => void {
    const sub = { clinicId, ...handlers };
    this.subscribers.add(sub);
    queueMicrotask(() => sub.onStatus?.('subscribed'));
    return () => this.subscribers.delete(sub);
  }

  /** Test hook: a network drop and reconnect (subscribers refetch). */
  reconnect(): void {
    for (const s of this.subscribers) {
      s.onStatus?.('disconnected');
      s.onStatus?.('subscribed');
    }
  }
}

/** The fake realtime feed: reports every successful save of an `InMemoryQueueRepository`. */
import type { InMemoryQueueRepository } from './InMemoryQueueRepository';
import type {
  FeedStatus,
  QueueChange,
  QueueChangeFeed,
  QueueChangeHandlers,
  TurnReleaseChange,
} from './QueueChangeFeed';

export class InMemoryQueueChangeFeed implements QueueChangeFeed {
  private readonly subscribers = new Set<{
    clinicId: string;
    onChange(c: QueueChange): void;
    onStatus?(s: FeedStatus): void;
    onTurnReleased?(c: TurnReleaseChange): void;
  }>();

  constructor(repo: InMemoryQueueRepository) {
    repo.onSaved = (change) => {
      for (const s of [...this.subscribers]) if (s.clinicId === change.clinicId) s.onChange(change);
    };
    repo.onTurnReleased = (change) => {
      const clinicId = repo.clinicOfQueue(change.queueId);
      for (const s of [...this.subscribers]) if (s.clinicId === clinicId) s.onTurnReleased?.(change);
    };
  }

  subscribe(
    clinicId: string,
    handlers: Pick<QueueChangeHandlers, 'onChange' | 'onStatus' | 'onTurnReleased'>,
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

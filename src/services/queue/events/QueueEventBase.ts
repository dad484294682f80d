/**
 * What every queue domain event carries. Events are facts in the past tense, recorded by `QueueAggregate`
 * and stored in the queue's event log (audit trail and outbox) in the same transaction as the change.
 */
export interface QueueEventBase<T extends string, P> {
  readonly type: T;
  /** The queue (clinic-day) id. */
  readonly aggregateId: string;
  readonly clinicId: string;
  /** The entry the event is about; null for queue-level events (DayEnded). */
  readonly entryId: string | null;
  /** ISO-8601 UTC, the command's `now`. */
  readonly occurredAt: string;
  readonly correlationId: string;
  /** Who did it: a user id, or null for the system (sweep, automatic end of day) or an anonymous link. */
  readonly actorId: string | null;
  readonly payload: P;
}

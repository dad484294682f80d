/**
 * Who is next (DOMAIN.md "Order: who is next").
 *
 * ORDER. Entries compare by
 *   1. priority class: `emergency` before `urgent` before `normal`;
 *   2. `orderKey` (ms since epoch): a booked patient checked in no later than `on_time_tolerance_minutes`
 *      after the slot keeps the slot time; a later one, and every walk-in, gets the check-in time; a
 *      scheduled (not yet arrived) booked entry sits at its slot time; returns and moves get a key
 *      between their new neighbours;
 *   3. `orderTiebreak` (ticket number unless placed between two equal keys), then ticket number, then id —
 *      so the order is total and the same inputs always give the same order.
 *
 * POOLS. Every entry belongs to exactly one pool: the pool of its assigned practitioner, or the "any" pool
 * when `practitionerId` is null. Pools are disjoint, so positions never repeat inside a pool.
 *   - A practitioner P calling next draws from P's pool and the "any" pool, merged in ORDER.
 *   - A desk without a practitioner (a room calling "any") draws from the "any" pool only.
 *
 * POSITION. For a waiting (present) entry: 1 + the number of waiting entries of the same pool ahead of it in
 * ORDER. Entries already called are at the desk, not ahead in the line, and scheduled (absent-from-the-room)
 * entries are not counted until they check in; so the positions over the waiting entries of each pool are
 * exactly 1..n with no gaps or repeats. Entries of other pools are not counted (the wait-time estimator is
 * what accounts for practitioners shared between the "any" pool and their own).
 */
import type { Priority, QueueEntry } from './QueueEntry';
import { isPresent } from './QueueEntry';

export const PRIORITY_RANK: Readonly<Record<Priority, number>> = { emergency: 0, urgent: 1, normal: 2 };

/**
 * What ORDER reads of an entry. The wait estimator's simulation (WaitEstimator) sorts with this same
 * comparator, for today's queue and for the past days it replays — there is one ordering, here.
 */
export type OrderFields = Pick<QueueEntry, 'id' | 'priority' | 'orderKey' | 'orderTiebreak' | 'ticketNumber'>;

export const compareEntries = (a: OrderFields, b: OrderFields): number =>
  PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] ||
  a.orderKey - b.orderKey ||
  a.orderTiebreak - b.orderTiebreak ||
  a.ticketNumber - b.ticketNumber ||
  (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export const sortInOrder = <T extends OrderFields>(entries: Iterable<T>): T[] =>
  [...entries].sort(compareEntries);

/** The pool an entry belongs to: its practitioner, or null for the "any" pool. */
export const poolOf = (e: QueueEntry): string | null => e.practitionerId;

/** Whether a caller (practitioner id, or null for an "any" desk) may call entries of `e`'s pool. */
export const callerServes = (caller: string | null, e: QueueEntry): boolean =>
  caller === null ? e.practitionerId === null : e.practitionerId === null || e.practitionerId === caller;

/** Waiting entries of one pool, in order. */
export const waitingInPool = (entries: Iterable<QueueEntry>, pool: string | null): QueueEntry[] =>
  sortInOrder([...entries].filter((e) => isPresent(e) && poolOf(e) === pool));

/** Position of every waiting entry (entry id → 1-based position within its pool). */
export const positions = (entries: Iterable<QueueEntry>): Map<string, number> => {
  const result = new Map<string, number>();
  const next = new Map<string | null, number>();
  for (const e of sortInOrder([...entries].filter(isPresent))) {
    const p = (next.get(poolOf(e)) ?? 0) + 1;
    next.set(poolOf(e), p);
    result.set(e.id, p);
  }
  return result;
};

/**
 * The waiting-room board's "next" tickets: the waiting entries of every pool in ORDER, the first `limit`
 * (the database's private.board_lists builds the same list; each pool's line is a subsequence of it).
 */
export const boardNext = (entries: Iterable<QueueEntry>, limit = 10): QueueEntry[] =>
  sortInOrder([...entries].filter(isPresent)).slice(0, limit);

/**
 * What a desk may do with a row of the day's queue — decided by the domain, not by a switch in a page.
 *
 * - `allowedActions(entry)`: the actions a staff screen offers for one entry, from its status (the only
 *   moves DOMAIN.md allows), split into the primary buttons and the "more" menu.
 * - `nextToCall(entries, practitionerId, maxSkips)`: the entry "call next" would call for a desk — the same
 *   pick as `QueueAggregate.callNext` (first present entry the caller serves, an emergency first, else a
 *   patient passed over `max_skips` times). Calling that entry is not "out of order", so it needs no reason.
 */
import { isPresent, type EntryStatus, type QueueEntry } from './QueueEntry';
import { callerServes, sortInOrder } from './QueueOrder';

export type RowAction =
  | 'checkIn'
  | 'call'
  | 'absent'
  | 'move'
  | 'transfer'
  | 'priority'
  | 'cancel'
  | 'start'
  | 'finish'
  | 'return'
  | 'reactivate';

export interface AllowedActions {
  /** Shown as buttons on the row, in this order. */
  readonly primary: readonly RowAction[];
  /** Shown in the row's "more" menu, in this order. */
  readonly more: readonly RowAction[];
}

const NONE: AllowedActions = { primary: [], more: [] };

const BY_STATUS: Readonly<Record<EntryStatus, AllowedActions>> = {
  scheduled: { primary: ['checkIn'], more: ['transfer', 'cancel'] },
  waiting: { primary: ['call', 'absent'], more: ['transfer', 'move', 'priority', 'cancel'] },
  called: { primary: ['start', 'absent'], more: ['finish', 'cancel'] },
  in_service: { primary: ['finish'], more: [] },
  absent: { primary: ['return'], more: ['cancel'] },
  no_show: { primary: ['reactivate'], more: [] },
  completed: NONE,
  cancelled: NONE,
};

/** The actions staff may take on an entry of an open queue (a closed queue allows none). */
export function allowedActions(entry: Pick<QueueEntry, 'status'>, queueClosed = false): AllowedActions {
  return queueClosed ? NONE : BY_STATUS[entry.status];
}

/** The entry "call next" would call for this caller (practitioner id, or null for an "any" desk). */
export function nextToCall(
  entries: Iterable<QueueEntry>,
  practitionerId: string | null,
  maxSkips: number,
): QueueEntry | null {
  const present = sortInOrder([...entries].filter((e) => isPresent(e) && callerServes(practitionerId, e)));
  const first = present[0];
  if (first === undefined) return null;
  if (first.priority === 'emergency') return first;
  return present.find((e) => e.skipCount >= maxSkips) ?? first;
}

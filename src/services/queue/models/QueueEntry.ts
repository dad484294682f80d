/**
 * One visit in a clinic-day's queue (DOMAIN.md "The day's queue"). Plain immutable data: the aggregate
 * replaces an entry object when it changes, it never mutates one.
 *
 * Time convention (the whole queue module): every timestamp is an ISO-8601 UTC string as produced by
 * `Date.prototype.toISOString()` (e.g. `2026-11-24T09:00:00.000Z`); the database stores `timestamptz`,
 * and the api/ schemas normalise whatever Postgres returns to this form. `orderKey` is a number
 * (milliseconds since the epoch, may be fractional).
 */
export const ENTRY_STATUSES = [
  'scheduled',
  'waiting',
  'called',
  'in_service',
  'completed',
  'cancelled',
  'no_show',
  'absent',
] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

export const PRIORITIES = ['emergency', 'urgent', 'normal'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const ENTRY_KINDS = ['booked', 'walk_in'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export const FINAL_STATUSES: readonly EntryStatus[] = ['completed', 'cancelled', 'no_show'];

/** The statuses in which a patient still counts for the day (can be called, served or return). */
export const isFinal = (status: EntryStatus): boolean => FINAL_STATUSES.includes(status);

/**
 * The only allowed status moves (DOMAIN.md's diagram). `called → completed` is the automatic finish
 * (`auto_finish_on_next`, end of day); `no_show → waiting` is staff re-activating a no-show of today.
 */
export const ALLOWED_TRANSITIONS: Readonly<Record<EntryStatus, readonly EntryStatus[]>> = {
  scheduled: ['waiting', 'cancelled', 'no_show'],
  waiting: ['called', 'absent', 'cancelled', 'no_show'],
  called: ['in_service', 'absent', 'completed', 'cancelled'],
  in_service: ['completed', 'cancelled'],
  absent: ['waiting', 'no_show', 'cancelled'],
  no_show: ['waiting'],
  completed: [],
  cancelled: [],
};

export const canTransition = (from: EntryStatus, to: EntryStatus): boolean =>
  ALLOWED_TRANSITIONS[from].includes(to);

export interface QueueEntry {
  readonly id: string;
  /** The booking this entry comes from (booked entries), else null. */
  readonly appointmentId: string | null;
  readonly patientId: string | null;
  readonly patientName: string;
  /** Unique within the queue's day; rendered by `TicketNumber` (e.g. `A-014`). */
  readonly ticketNumber: number;
  /** Assigned practitioner, or null for "any" practitioner. */
  readonly practitionerId: string | null;
  readonly appointmentTypeId: string | null;
  readonly expectedDurationMinutes: number;
  readonly priority: Priority;
  readonly kind: EntryKind;
  readonly status: EntryStatus;
  readonly slotAt: string | null;
  readonly checkedInAt: string | null;
  /** Within a priority class, lower is served first (ms since epoch; fractional for placed entries). */
  readonly orderKey: number;
  /** Breaks ties between equal order keys (defaults to the ticket number; fractional when placed). */
  readonly orderTiebreak: number;
  readonly calledAt: string | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly absentAt: string | null;
  readonly graceEndsAt: string | null;
  readonly runningLateAt: string | null;
  /**
   * How late the patient said they would be (minutes; issue 15.16), read from the database, which alone
   * writes it (report_running_late); absent or null when no amount was given.
   */
  readonly runningLateMinutes?: number | null;
  /** When a running-late entry's turn first came (it was first in line but not present). */
  readonly lateTurnAt: string | null;
  readonly cancelledAt: string | null;
  readonly noShowAt: string | null;
  /** Times passed over (not present when their slot had come) or overtaken while present. */
  readonly skipCount: number;
  readonly room: string | null;
  /** The practitioner (or null: a room desk calling "any") who called / serves the entry. */
  readonly servedBy: string | null;
  /** How many times a no-show of this entry was re-activated. */
  readonly reactivations: number;
}

/**
 * Whether the entry counts against its slot's capacity (`slot_capacity`). A booked visit holds its slot
 * until it is cancelled or becomes a no-show; a no-show frees it, and a re-activated no-show re-enters as a
 * fresh arrival WITHOUT its slot (proposed DOMAIN rule D10), so re-activation never overbooks a slot booked
 * or held by a waitlist offer meanwhile. The database's private.booked_overlapping counts the same way.
 */
export const holdsSlotCapacity = (e: QueueEntry): boolean =>
  e.kind === 'booked' &&
  e.slotAt !== null &&
  e.status !== 'cancelled' &&
  e.status !== 'no_show' &&
  e.reactivations === 0;

/** Entries that are physically present and callable. */
export const isPresent = (e: QueueEntry): boolean => e.status === 'waiting';

/** Entries occupying a practitioner or room desk. */
export const isAtDesk = (e: QueueEntry): boolean => e.status === 'called' || e.status === 'in_service';

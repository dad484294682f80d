/**
 * Realtime port: tells a screen that a clinic's queue changed (any save bumps the queue row's version:
 * staff steps, bookings, patient check-ins, grace sweeps). Screens refetch on a change and after every
 * (re)subscription, so an update made while the connection was down is never lost.
 *
 * Issue 12 "realtime carries the change itself": a staff screen may also ask for the entry rows each change
 * wrote (`onEntry`, RLS-checked per subscriber: staff of the clinic only). Every entry row carries the queue
 * version that wrote it and the queue row says how many entry rows its version wrote (`entryCount`), so the
 * screen applies a complete next version to what it shows instead of re-reading the day (QueueDeltas.ts).
 */
import type { EntryChangeRow } from './queueEntryRow';

export interface QueueChange {
  readonly clinicId: string;
  readonly queueId: string;
  readonly day: string;
  readonly version: number;
  /** How many entry rows the change that set `version` wrote (`queues.version_entries`); absent if unknown. */
  readonly entryCount?: number;
  /** The queue's status after the change, when the row carried it. */
  readonly status?: 'open' | 'closed';
  /** The day's pause and intake state after the change, when the row carried it (staff: signed in). */
  readonly control?: QueueControl;
  /**
   * The queue row's `updated_at`, when the row carried it. A change of the SAME version with a new `touchedAt`
   * says the stored wait estimates changed what a patient is shown (store_queue_estimates touches the row only
   * then, flake22): the tracker re-reads its estimate.
   */
  readonly touchedAt?: string;
}

/** What a pause or an intake change writes: the queue row's own state, no entry row (issue 17). */
export interface QueueControl {
  /** Doctors (clinic_members ids) whose calling is paused. */
  readonly pausedPractitionerIds: readonly string[];
  /** ISO instant the intake was closed at; null = open. */
  readonly intakeClosedAt: string | null;
}

/** One entry row a queue change wrote, as Realtime delivered it. */
export interface EntryChange {
  readonly queueId: string;
  /** The queue version that wrote the row (`queue_entries.queue_version`); null when the row has none. */
  readonly version: number | null;
  /** The row, parsed; null when it could not be (the screen then reloads instead of guessing). */
  readonly row: EntryChangeRow | null;
}

/**
 * Claims of a queue day's turn order that ended without a save (issue 12, session 14:
 * public.queue_turn_releases): the commands waiting in line behind them check their turn again.
 */
export interface TurnReleaseChange {
  readonly queueId: string;
  /** The queue day's count of such claims so far (only grows). */
  readonly releases: number;
  /**
   * The line after this change (session 15): the live claims' tokens (session 17), oldest first (the first
   * is the command whose turn it is), and the queue version in the same snapshot. Absent from an older
   * database: then every waiter checks again (session 14's behaviour).
   */
  readonly line?: readonly number[];
  readonly lineVersion?: number | null;
}

export type FeedStatus = 'subscribed' | 'disconnected';

export interface QueueChangeHandlers {
  onChange(change: QueueChange): void;
  onStatus?(status: FeedStatus): void;
  /** Entry rows too (staff screens): only feeds that can deliver them call it; the others never do. */
  onEntry?(change: EntryChange): void;
  /** Turn claims that ended without a save (staff: the retry loop's version watch); only feeds that can call it. */
  onTurnReleased?(change: TurnReleaseChange): void;
}

export interface QueueChangeFeed {
  subscribe(clinicId: string, handlers: QueueChangeHandlers): () => void;
}

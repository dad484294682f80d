/**
 * The queue module's persistence port (ARCHITECTURE.md §1: load → domain → save with the loaded version).
 * Implemented by `InMemoryQueueRepository` (tests, the fake) and `SupabaseQueueRepository` (get_queue /
 * save_queue_step RPCs). Both pass `test/contracts/queueRepositoryContract.ts`.
 */
import type { AppError } from '../../shared/AppError';
import type { Result } from '../../shared/Result';
import type { QueueDomainEvent, QueueEntry, QueueSnapshot, QueueState } from '../api';

export type Language = 'ar' | 'fr' | 'en';

/** What staff screens show beside the queue (no phone numbers here: those stay in the notification module). */
export interface QueueDirectory {
  readonly clinic: {
    readonly id: string;
    readonly name: string;
    readonly slug: string;
    readonly defaultLanguage: Language;
    readonly ticketPrefix: string;
  };
  readonly members: readonly {
    readonly id: string;
    readonly userId: string;
    readonly role: 'owner' | 'admin' | 'practitioner' | 'receptionist';
    readonly displayName: string;
    readonly room: string | null;
    readonly active: boolean;
  }[];
  readonly appointmentTypes: readonly {
    readonly id: string;
    readonly name: string;
    readonly durationMinutes: number;
    readonly active: boolean;
    /** Its colour (one of the palette's), shown as a dot on the desk's rows (issue 17); none = no dot. */
    readonly color?: string | null;
    /** Its name per language (ar/fr/en); a missing one reads `name`. */
    readonly names?: Readonly<Record<string, string>> | null;
  }[];
}

export interface LoadedQueue {
  readonly snapshot: QueueSnapshot;
  readonly directory: QueueDirectory;
  /**
   * Set when `load` was given a command id that this queue day already applied (exactly-once commands):
   * the version that command produced. The caller answers with that result instead of deciding again.
   */
  readonly appliedCommand?: { readonly version: number } | null;
  /**
   * Set when the adapter answered from what it already held plus the rows changed since (a delta load):
   * how many entry rows the database sent. Absent for a full load.
   */
  readonly deltaRows?: number;
}

/** One saved step: what `QueueAggregate` recorded since it was loaded at `expectedVersion`. */
export interface QueueStep {
  readonly queueId: string;
  readonly expectedVersion: number;
  /** Full state of every changed or new entry (`pendingChanges()`). */
  readonly entries: readonly QueueEntry[];
  /**
   * The changed entries as they were loaded (by id). With it an adapter sends only the columns that
   * changed (issue 12: saves send only what changed); without it, every changeable column.
   */
  readonly loaded?: ReadonlyMap<string, QueueEntry>;
  /** `pendingEvents()`, stored in the queue's event log in the same transaction. */
  readonly events: readonly QueueDomainEvent[];
  /** Ids among `entries` that were not in the loaded snapshot (inserted rather than updated). */
  readonly newEntryIds: readonly string[];
  /** `pendingQueueState()`: set when the day was ended. */
  readonly queue: QueueState | null;
  /**
   * The command's client-generated id (uuid in production). A step whose command id this queue day has
   * already applied is refused with QUEUE.COMMAND_ALREADY_APPLIED and stores nothing.
   */
  readonly commandId?: string | null;
  /** Clinic patient records the new entries need (walk-ins, emergencies): created in the same transaction. */
  readonly newPatients?: readonly NewPatientRecord[];
  /**
   * Which try of the command this save is (1 = first; QueueService counts). A hook for server-side
   * fairness (issue 12): an adapter may hand it to the database so that a desk's retries after repeated
   * conflicts are served in turn (e.g. a short advisory lock on the queue day from the second conflict).
   * The adapters do not send it yet.
   */
  readonly attempt?: number;
}

export interface StoredQueueEvent {
  readonly id: number;
  readonly queueId: string;
  readonly entryId: string | null;
  readonly type: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly actorId: string | null;
  readonly correlationId: string | null;
  readonly occurredAt: string;
}

export interface NewWalkInPatient {
  readonly fullName: string;
  /** E.164, already validated by the caller (shared/models/PhoneNumber). */
  readonly phone: string | null;
  readonly language: Language | null;
}

/** A walk-in patient record created with the step that admits it (its id is chosen by the caller). */
export interface NewPatientRecord extends NewWalkInPatient {
  readonly id: string;
}

/**
 * How much of the day a load brings (issue 12: a command's cost does not grow with the day).
 *  - `day` (default): every entry of the day — staff screens, the end of the day (its summary).
 *  - `active`: the entries a command can act on — not completed, cancelled or no-show — plus `entryIds`
 *    whatever their status (the entry a command names: a no-show to re-activate, a return after grace);
 *    the snapshot then carries `dayCounts`, the whole day's figures the rules need (walk-ins, last ticket).
 */
export type LoadScope =
  { readonly kind: 'day' } | { readonly kind: 'active'; readonly entryIds: readonly string[] };

/** What `claimTurnAndLoad` answers. */
export interface TurnCheck {
  /** Live claims ahead of the command's (0 = its turn). */
  readonly ahead: number;
  /** The queue version the claim recorded (its turn holds the queue only at this version). */
  readonly seenVersion: number;
  /** With `ahead` 0: the load; otherwise null. */
  readonly loaded: LoadedQueue | null;
  /**
   * How many claims of this queue day had ended without a save when the check ran (issue 12, session 14:
   * public.queue_turn_releases; since session 18 also lapsed claims that came back — every change of the line
   * that is not a save). A waiter also wakes when it hears a count above this one; absent when the
   * repository does not count (then only versions and the bounded wait wake it).
   */
  readonly releases?: number;
  /**
   * The claim's name in the queue day's line (issue 12: a token of the queue day and command since session 17,
   * never a number shared by all clinics), by which the waiter finds itself in a release's line
   * (TurnReleaseChange.line); absent from an older database.
   */
  readonly seq?: number;
  /**
   * With claims ahead: ms left on the lease of the claim whose turn it is (a dead tab's claim ends then and
   * the next check sweeps it). Absent from an older database.
   */
  readonly headLeaseMs?: number;
  /**
   * The claims' lease (ms) the database keeps (issue 12, session 18: private.queue_turn_settings, its one source):
   * a claim not refreshed within it lapses. The client derives its waits between checks from it (turnWaits);
   * absent from an older database.
   */
  readonly leaseMs?: number;
}

export const WHOLE_DAY: LoadScope = { kind: 'day' };

export interface QueueRepository {
  /**
   * The clinic's queue of `day` (YYYY-MM-DD, default: the clinic's today in its time zone), created on
   * first use. Errors: NOT_FOUND (clinic), AUTH.REQUIRED / AUTH.FORBIDDEN (not staff of the clinic),
   * VALIDATION.FAILED (a day that is not a real YYYY-MM-DD within a year of today). With `commandId`, the
   * result says whether that command was already applied (`appliedCommand`). `scope`: see LoadScope.
   */
  load(
    clinicId: string,
    day?: string | null,
    commandId?: string | null,
    scope?: LoadScope,
  ): Promise<Result<LoadedQueue, AppError>>;
  /**
   * Saves one step atomically and returns the new version (expectedVersion + 1). A stale
   * `expectedVersion` → QUEUE.VERSION_CONFLICT and nothing is stored; a closed day → QUEUE.CLOSED;
   * a move the status diagram forbids → QUEUE.ILLEGAL_TRANSITION; a command id already applied →
   * QUEUE.COMMAND_ALREADY_APPLIED (checked before the version). Nothing is stored on any refusal.
   */
  save(step: QueueStep): Promise<Result<{ readonly version: number }, AppError>>;
  /**
   * Fair turns (issue 12): registers — or refreshes — the claim of a command that lost a version race on a
   * queue day and answers how many live claims are ahead of it (0 = its turn). While a claim is live, the
   * save of the OLDEST claim is the only one accepted for that queue (others get QUEUE.VERSION_CONFLICT),
   * and its successful save ends the claim. Optional: a repository without it has no turn order.
   */
  claimTurn?(queueId: string, commandId: string): Promise<Result<number, AppError>>;
  /**
   * A turn check and, when it is the command's turn, its load — one round trip (issue 12, session 13):
   * registers or refreshes the claim as `claimTurn` does; with 0 claims ahead answers the queue day as
   * `load(clinicId, day, commandId, scope)` would (the version the claim pinned, so the save right after
   * cannot lose a race), otherwise only how many are ahead and the version the claim saw (nothing loaded).
   * A command id the queue day already applied claims nothing: the load at once, with `appliedCommand`.
   * Optional: without it, a service claims and loads with two calls.
   */
  claimTurnAndLoad?(
    queueId: string,
    commandId: string,
    clinicId: string,
    day: string | null | undefined,
    scope: LoadScope,
  ): Promise<Result<TurnCheck, AppError>>;
  /** Ends a command's claim when it stops without saving (refused, already applied, gave up). */
  releaseTurn?(queueId: string, commandId: string): Promise<Result<void, AppError>>;
  /** A clinic patient record for a walk-in (no account needed). */
  createWalkInPatient(
    clinicId: string,
    patient: NewWalkInPatient,
  ): Promise<Result<{ readonly patientId: string }, AppError>>;
  /** The queue's event log (audit trail / outbox), oldest first. */
  events(queueId: string): Promise<Result<readonly StoredQueueEvent[], AppError>>;
}

/**
 * Pause / reopen of the day (issue 17): typed state on the day's queue (paused doctors, intake closed),
 * changed by its own database functions (set_desk_paused, set_queue_intake) — one transaction each, which
 * bumps the queue's version and logs who and why — not by a queue step. What a pause forbids is then refused
 * by QueueAggregate (the snapshot carries the state) and by the database.
 */
export interface QueueDayControls {
  /**
   * Pauses (or resumes) calling for one doctor of the clinic in today's queue. Errors: NOT_FOUND (not an
   * active practitioner of the clinic), QUEUE.ILLEGAL_TRANSITION (already so), QUEUE.CLOSED, AUTH.*.
   */
  setDeskPaused(
    clinicId: string,
    practitionerId: string,
    paused: boolean,
    reason: string | null,
  ): Promise<Result<{ readonly version: number }, AppError>>;
  /** Closes (open = false) or reopens today's intake of new walk-ins and online joins. Same errors. */
  setIntake(
    clinicId: string,
    open: boolean,
    reason: string | null,
  ): Promise<Result<{ readonly version: number }, AppError>>;
}

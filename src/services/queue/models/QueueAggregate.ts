/**
 * One clinic's queue for one local day (DOMAIN.md "The day's queue", "Order", "Calling", "Absence, grace
 * period, late arrival", "Ending the day"). Pure: time, ids, actor and correlation id come in as arguments.
 *
 * Every command:
 *   - takes a context `{ now, actorId, correlationId }` and a plain input object (see api/ for the zod schemas);
 *   - works on a draft: first expires grace periods that have passed (absent → no_show), then decides;
 *   - returns `ok({ changedEntries, events })`, or `err(AppError)` with a stable code — and then nothing at
 *     all has changed (not even the grace expiry it computed on the draft);
 *   - never throws for an expected failure (an invalid `now` is a bug and throws).
 * The repository persists `pendingChanges()` (full state of every entry changed or added since load),
 * `pendingQueueState()` (set when the day was ended) and `pendingEvents()` against `loadedVersion`.
 *
 * Order, pools and positions are defined in `QueueOrder.ts`.
 */
import { isoDateAt, isValidTimeZone } from '../../shared/models/ZonedTime';
import type { ClinicSettings } from '../../clinic/api';
import { appError, ErrorCodes, type AppError } from '../../shared/AppError';
import { err, ok, type Result } from '../../shared/Result';
import type { QueueDomainEvent, QueueEventOf, QueueEventType, RunningLateSource } from '../events';
import { summarizeDay, type DaySummary } from './DaySummary';
import { graceExpired, GracePeriod } from './GracePeriod';
import {
  canTransition,
  isAtDesk,
  isPresent,
  type EntryStatus,
  type Priority,
  type QueueEntry,
} from './QueueEntry';
import {
  callerServes,
  compareEntries,
  poolOf,
  positions,
  PRIORITY_RANK,
  sortInOrder,
  waitingInPool,
} from './QueueOrder';
import { DEFAULT_TICKET_PREFIX, renderTicket } from './TicketNumber';
import {
  restoredFrom,
  unchangedSince,
  UNDO_REASON,
  UNDO_WINDOW_SECONDS,
  type UndoableStep,
} from './UndoStep';

const MINUTE = 60_000;

export type QueueStatus = 'open' | 'closed';

export interface QueueState {
  readonly id: string;
  readonly clinicId: string;
  /** The clinic's local day, YYYY-MM-DD. */
  readonly day: string;
  /** IANA zone of the clinic (default Africa/Casablanca); decides what "today" is. */
  readonly timeZone: string;
  readonly version: number;
  readonly status: QueueStatus;
  readonly closedAt: string | null;
  readonly summary: DaySummary | null;
  /** Doctors (clinic_members ids) whose calling is paused today (issue 17); absent = none. */
  readonly pausedPractitionerIds?: readonly string[];
  /** Set when the day takes no new walk-ins or online joins (issue 17); absent/null = open. */
  readonly intakeClosedAt?: string | null;
}

export interface QueueSnapshot {
  readonly queue: QueueState;
  /** The whole day, or — with `dayCounts` — only its active part (see QueueDayCounts). */
  readonly entries: readonly QueueEntry[];
  readonly settings: ClinicSettings;
  /** The clinic's ticket prefix (clinics.ticket_prefix); every ticket renders with it. Default `A`. */
  readonly ticketPrefix?: string;
  /**
   * Set when `entries` holds only part of the day: the entries a command can act on (scheduled, waiting,
   * called, in service, absent) plus any it names (a no-show to re-activate, an entry to cancel …). The
   * rules that look at the rest of the day read these figures, kept by the database over the whole day
   * in the step's own transaction (issue 12: a command's cost does not grow with the day). Absent or null:
   * `entries` is the whole day.
   */
  readonly dayCounts?: QueueDayCounts | null;
}

/** Figures of the whole day that the rules need when only the active entries are loaded. */
export interface QueueDayCounts {
  /** Walk-ins of the day that count toward `max_walk_ins_per_day`: not cancelled, not emergencies. */
  readonly walkIns: number;
  /** The highest ticket number used today (0: none). The next walk-in gets a higher one. */
  readonly lastTicket: number;
}

/** Entries that use up one of the day's walk-in places (emergencies are never refused and use none). */
export const countsAsWalkIn = (e: QueueEntry): boolean =>
  e.kind === 'walk_in' && e.status !== 'cancelled' && e.priority !== 'emergency';

export interface CommandContext {
  /** The moment of the command (a Date, or an ISO string). */
  readonly now: Date | string;
  /** Who does it; null for the system (sweep, automatic end of day) or an anonymous tracking link. */
  readonly actorId: string | null;
  readonly correlationId: string;
  /**
   * The clinic's local day now by the server's clock and zone data (the day the server answered for
   * "today's queue"), when the caller knows it. Without it the aggregate works it out from its zone name with
   * the runtime's own zone rules — which in a browser may be of another tzdata release than the server's
   * (Morocco: +00 for good from 2026-09-20 in 2026c+, +01 before), an hour off around midnight.
   */
  readonly today?: string;
}

export interface CommandOutcome {
  /** Full state of every entry this command changed or added. */
  readonly changedEntries: readonly QueueEntry[];
  readonly events: readonly QueueDomainEvent[];
}

export type CommandResult = Result<CommandOutcome, AppError>;

// ---- command inputs (the zod schemas in api/ produce exactly these) ----

export interface NewPatient {
  readonly entryId: string;
  readonly patientId: string | null;
  readonly patientName: string;
  readonly practitionerId: string | null;
  readonly appointmentTypeId: string | null;
  readonly expectedDurationMinutes: number;
}
export interface AddBookedInput extends NewPatient {
  readonly appointmentId: string | null;
  readonly slotAt: string;
  readonly priority?: Priority;
  /** The ticket already given at booking time, if any; else the next free number. */
  readonly ticketNumber?: number;
}
export interface AddWalkInInput extends NewPatient {
  readonly priority?: 'normal' | 'urgent';
}
export interface InsertEmergencyInput extends NewPatient {
  readonly reason: string;
}
export interface EntryInput {
  readonly entryId: string;
}
export interface CallNextInput {
  /** The practitioner calling (draws from their pool and "any"), or null for a room desk calling "any". */
  readonly practitionerId: string | null;
  readonly room: string | null;
}
export interface CallSpecificInput extends CallNextInput {
  readonly entryId: string;
  readonly reason: string;
}
export interface RunningLateInput extends EntryInput {
  readonly source: RunningLateSource;
}
export interface CancelInput extends EntryInput {
  readonly reason?: string | null;
}
export interface MoveInput extends EntryInput {
  /** Target position within the target pool (1 = next). */
  readonly toPosition: number;
  /** Target pool: a practitioner id, null for "any"; omitted = stay in the current pool. */
  readonly practitionerId?: string | null;
  readonly reason: string;
}
/** Transfer to another practitioner's line, or to "any" (null). */
export interface TransferInput extends EntryInput {
  readonly practitionerId: string | null;
  readonly reason: string;
}
export interface SetPriorityInput extends EntryInput {
  readonly priority: Priority;
  readonly reason: string;
}
export interface EndDayInput {
  readonly automatic?: boolean;
}

/** The part of the day not loaded: its walk-ins (toward the limit) and the highest ticket it used. */
interface Elsewhere {
  readonly walkIns: number;
  readonly lastTicket: number;
  /** False when only the active part of the day is loaded. */
  readonly wholeDay: boolean;
}

interface Ctx {
  readonly nowMs: number;
  readonly now: string;
  readonly actorId: string | null;
  readonly correlationId: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const ms = (isoString: string): number => new Date(isoString).getTime();
const blank = (s: string | null | undefined): boolean => s === null || s === undefined || s.trim() === '';

const refuse = (
  code: AppError['code'],
  message: string,
  details?: Record<string, unknown>,
): Result<never, AppError> => err(appError(code, message, details));

/** Mutable working copy of one command; committed only if the command succeeds. */
class Draft {
  readonly entries: Map<string, QueueEntry>;
  readonly events: QueueDomainEvent[] = [];
  readonly changed = new Set<string>();
  queue: QueueState;
  queueChanged = false;

  constructor(
    entries: ReadonlyMap<string, QueueEntry>,
    queue: QueueState,
    readonly settings: ClinicSettings,
    readonly ctx: Ctx,
    readonly ticketPrefix: string,
    /** What the day holds outside the loaded entries (zero when the whole day is loaded). */
    readonly elsewhere: Elsewhere,
  ) {
    this.entries = new Map(entries);
    this.queue = queue;
  }

  /** The entry's ticket as patients see it (clinic prefix + number). */
  ticket(e: Pick<QueueEntry, 'ticketNumber'>): string {
    return renderTicket(e, this.ticketPrefix);
  }

  get(id: string): QueueEntry | undefined {
    return this.entries.get(id);
  }

  put(entry: QueueEntry): QueueEntry {
    this.entries.set(entry.id, entry);
    this.changed.add(entry.id);
    return entry;
  }

  /** Moves an entry to a new status; refuses any move the diagram does not allow. */
  transition(
    entry: QueueEntry,
    to: EntryStatus,
    patch: Partial<QueueEntry> = {},
  ): Result<QueueEntry, AppError> {
    if (!canTransition(entry.status, to)) {
      return refuse(ErrorCodes.QUEUE_ILLEGAL_TRANSITION, `Cannot go from ${entry.status} to ${to}`, {
        entryId: entry.id,
        from: entry.status,
        to,
      });
    }
    return ok(this.put({ ...entry, ...patch, status: to }));
  }

  /** A move the aggregate makes on its own (auto-finish, expiry, end of day); outside the diagram it is a bug. */
  move(entry: QueueEntry, to: EntryStatus, patch: Partial<QueueEntry>): QueueEntry {
    if (!canTransition(entry.status, to))
      throw new Error(`Bug: ${entry.status} → ${to} is not an allowed move`);
    return this.put({ ...entry, ...patch, status: to });
  }

  emit<T extends QueueEventType>(type: T, entryId: string | null, payload: QueueEventOf<T>['payload']): void {
    this.events.push({
      type,
      aggregateId: this.queue.id,
      clinicId: this.queue.clinicId,
      entryId,
      occurredAt: this.ctx.now,
      correlationId: this.ctx.correlationId,
      actorId: this.ctx.actorId,
      payload,
    } as QueueEventOf<T>);
  }

  all(): QueueEntry[] {
    return [...this.entries.values()];
  }

  positionOf(id: string): number {
    return positions(this.entries.values()).get(id) ?? 0;
  }
}

export class QueueAggregate {
  private entriesById: Map<string, QueueEntry>;
  private queue: QueueState;
  private readonly changedIds = new Set<string>();
  private readonly recorded: QueueDomainEvent[] = [];
  private queueChanged = false;
  /** The version the queue had when loaded; the repository saves with it (optimistic concurrency). */
  readonly loadedVersion: number;
  readonly settings: ClinicSettings;
  readonly ticketPrefix: string;
  private readonly elsewhere: Elsewhere;
  private readonly dayCounts: QueueDayCounts | null;

  private constructor(snapshot: QueueSnapshot) {
    if (!isValidTimeZone(snapshot.queue.timeZone)) {
      throw new Error(`Invalid time zone ${snapshot.queue.timeZone}`);
    }
    this.queue = snapshot.queue;
    this.settings = snapshot.settings;
    this.ticketPrefix = snapshot.ticketPrefix ?? DEFAULT_TICKET_PREFIX;
    this.loadedVersion = snapshot.queue.version;
    this.entriesById = new Map(snapshot.entries.map((e) => [e.id, e]));
    if (this.entriesById.size !== snapshot.entries.length) throw new Error('Duplicate entry ids in snapshot');
    const counts = snapshot.dayCounts ?? null;
    this.dayCounts = counts;
    this.elsewhere =
      counts === null
        ? { walkIns: 0, lastTicket: 0, wholeDay: true }
        : {
            // the day's count includes the loaded walk-ins; the aggregate counts those itself as they change
            walkIns: Math.max(0, counts.walkIns - snapshot.entries.filter(countsAsWalkIn).length),
            lastTicket: counts.lastTicket,
            wholeDay: false,
          };
  }

  /** False when only the day's active entries were loaded (a command's load; see QueueSnapshot.dayCounts). */
  get wholeDay(): boolean {
    return this.elsewhere.wholeDay;
  }

  /** Rebuilds the aggregate from what the repository loaded. Call `expireGrace` right after to apply expiries. */
  static load(snapshot: QueueSnapshot): QueueAggregate {
    return new QueueAggregate(snapshot);
  }

  // ---------------------------------------------------------------- reads

  get state(): QueueState {
    return this.queue;
  }

  /** All entries, in queue order (priority class, order key, tiebreak). */
  entries(): QueueEntry[] {
    return sortInOrder(this.entriesById.values());
  }

  entry(id: string): QueueEntry | undefined {
    return this.entriesById.get(id);
  }

  /** Position of every waiting entry within its pool (see QueueOrder). */
  positions(): Map<string, number> {
    return positions(this.entriesById.values());
  }

  positionOf(entryId: string): number | null {
    return this.positions().get(entryId) ?? null;
  }

  /** Changed or new entries since load, full state each. */
  pendingChanges(): QueueEntry[] {
    return [...this.changedIds].map((id) => this.entriesById.get(id) as QueueEntry);
  }

  /** Events recorded since load, in order. */
  pendingEvents(): QueueDomainEvent[] {
    return [...this.recorded];
  }

  /** The queue row when it changed since load (the day was ended), else null. */
  pendingQueueState(): QueueState | null {
    return this.queueChanged ? this.queue : null;
  }

  toSnapshot(): QueueSnapshot {
    return {
      queue: this.queue,
      entries: this.entries(),
      settings: this.settings,
      ticketPrefix: this.ticketPrefix,
      ...(this.dayCounts === null ? {} : { dayCounts: this.dayCounts }),
    };
  }

  // ---------------------------------------------------------------- commands

  /** A booked appointment of this day enters the queue as `scheduled`. */
  addBooked(context: CommandContext, input: AddBookedInput): CommandResult {
    return this.run(context, { today: false }, (d) => {
      const invalid = this.validateNewPatient(d, input);
      if (invalid) return invalid;
      const closed = intakeClosed(d);
      if (closed) return closed;
      const slotMs = ms(input.slotAt);
      if (Number.isNaN(slotMs)) return refuse(ErrorCodes.VALIDATION_FAILED, 'Invalid slot time');
      if (isoDateAt(slotMs, d.queue.timeZone) !== d.queue.day) {
        return refuse(ErrorCodes.QUEUE_NOT_TODAY, 'The slot is not on this queue’s day', {
          slotAt: input.slotAt,
        });
      }
      if (input.appointmentId !== null && d.all().some((e) => e.appointmentId === input.appointmentId)) {
        return refuse(ErrorCodes.QUEUE_DUPLICATE_ENTRY, 'Appointment already in the queue', {
          appointmentId: input.appointmentId,
        });
      }
      const ticket = input.ticketNumber ?? nextTicket(d);
      if (!Number.isInteger(ticket) || ticket < 1)
        return refuse(ErrorCodes.VALIDATION_FAILED, 'Invalid ticket');
      if (d.all().some((e) => e.ticketNumber === ticket)) {
        return refuse(ErrorCodes.QUEUE_DUPLICATE_ENTRY, 'Ticket number already used today', { ticket });
      }
      const entry = d.put(
        newEntry(input, {
          appointmentId: input.appointmentId,
          ticketNumber: ticket,
          kind: 'booked',
          status: 'scheduled',
          priority: input.priority ?? 'normal',
          slotAt: iso(slotMs),
          checkedInAt: null,
          orderKey: slotMs,
        }),
      );
      d.emit('EntryScheduled', entry.id, {
        ticket: d.ticket(entry),
        appointmentId: entry.appointmentId,
        slotAt: entry.slotAt,
        practitionerId: entry.practitionerId,
      });
      return ok(undefined);
    });
  }

  /**
   * A booked patient arrives: scheduled → waiting. Checked in no later than `on_time_tolerance_minutes`
   * after the slot: keeps the slot time as order key (and any pass-overs, which count toward no-starvation);
   * later: the check-in time, and the pass-overs are cleared (they were not overtaken while present).
   */
  checkIn(context: CommandContext, input: EntryInput): CommandResult {
    return this.run(context, {}, (d) => {
      const entry = find(d, input.entryId);
      if (!entry.ok) return entry;
      const e = entry.value;
      if (e.status !== 'scheduled') {
        return refuse(ErrorCodes.QUEUE_ILLEGAL_TRANSITION, 'Only a scheduled entry can check in', {
          entryId: e.id,
          from: e.status,
          to: 'waiting',
        });
      }
      const window = this.settings.check_in_window_minutes * MINUTE;
      if (e.slotAt !== null && ms(e.slotAt) - d.ctx.nowMs > window) {
        return refuse(ErrorCodes.QUEUE_CHECK_IN_TOO_EARLY, 'Check-in opens closer to the slot', {
          entryId: e.id,
          opensAt: iso(ms(e.slotAt) - window),
          windowMinutes: this.settings.check_in_window_minutes,
        });
      }
      const tolerance = this.settings.on_time_tolerance_minutes * MINUTE;
      const onTime = e.slotAt !== null && d.ctx.nowMs <= ms(e.slotAt) + tolerance;
      const moved = d.transition(e, 'waiting', {
        checkedInAt: d.ctx.now,
        orderKey: onTime && e.slotAt !== null ? ms(e.slotAt) : d.ctx.nowMs,
        orderTiebreak: e.ticketNumber,
        skipCount: onTime ? e.skipCount : 0,
      });
      /* c8 ignore next -- scheduled → waiting is always allowed */
      if (!moved.ok) return moved;
      d.emit('PatientCheckedIn', e.id, {
        ticket: d.ticket(e),
        onTime,
        orderKey: moved.value.orderKey,
        position: d.positionOf(e.id),
      });
      return ok(undefined);
    });
  }

  /**
   * A walk-in joins the line (waiting), ordered by arrival time. `max_walk_ins_per_day` counts the day's
   * walk-ins that were not cancelled, emergencies excepted.
   */
  addWalkIn(context: CommandContext, input: AddWalkInInput): CommandResult {
    return this.run(context, {}, (d) => {
      const invalid = this.validateNewPatient(d, input);
      if (invalid) return invalid;
      const closed = intakeClosed(d);
      if (closed) return closed;
      const limit = this.settings.max_walk_ins_per_day;
      // emergencies are never refused and do not use up the day's walk-in places
      // the loaded entries as they are now, plus the rest of the day (dayCounts) when only part is loaded
      const walkIns = d.elsewhere.walkIns + d.all().filter(countsAsWalkIn).length;
      if (limit !== null && walkIns >= limit) {
        return refuse(ErrorCodes.QUEUE_WALK_IN_LIMIT, 'Walk-in limit reached for today', { limit });
      }
      const entry = d.put(this.arrival(d, input, input.priority ?? 'normal'));
      d.emit('WalkInAdded', entry.id, {
        ticket: d.ticket(entry),
        priority: entry.priority,
        practitionerId: entry.practitionerId,
        position: d.positionOf(entry.id),
      });
      return ok(undefined);
    });
  }

  /** An emergency arrives: a walk-in of priority `emergency` (audited: actor + reason; no walk-in limit). */
  insertEmergency(context: CommandContext, input: InsertEmergencyInput): CommandResult {
    return this.run(context, {}, (d) => {
      if (blank(input.reason)) return refuse(ErrorCodes.QUEUE_REASON_REQUIRED, 'An emergency needs a reason');
      const invalid = this.validateNewPatient(d, input);
      if (invalid) return invalid;
      const entry = d.put(this.arrival(d, input, 'emergency'));
      d.emit('EmergencyInserted', entry.id, {
        ticket: d.ticket(entry),
        practitionerId: entry.practitionerId,
        reason: input.reason.trim(),
      });
      return ok(undefined);
    });
  }

  /**
   * Call next for a practitioner (their pool + "any") or a room desk ("any" only):
   *  - the first present entry in order, except that when the first present entry is not an emergency,
   *    a present entry whose skip_count reached `max_skips` is called first (no starvation); the present
   *    entries it overtakes get skip_count + 1 and PatientOvertaken;
   *  - booked entries ahead of it whose slot has come but who are not present are passed over:
   *    skip_count + 1 and PatientPassedOver, place kept; a running-late one is instead held (LatePatientHeld,
   *    no skip) until `grace_period_minutes` after their turn first came;
   *  - the desk's own patient called but not started refuses the call (QUEUE.CALLED_NOT_STARTED: start
   *    them or mark them absent first) — a double click never completes a patient nobody has seen;
   *  - with `auto_finish_on_next` the desk's current in-service patient is completed first,
   *    otherwise a busy desk is refused (QUEUE.PRACTITIONER_BUSY);
   *  - nobody present: QUEUE.NO_PATIENT_PRESENT, nothing changes.
   */
  callNext(context: CommandContext, input: CallNextInput): CommandResult {
    return this.run(context, {}, (d) => {
      if (input.practitionerId === null && blank(input.room)) {
        return refuse(ErrorCodes.VALIDATION_FAILED, 'Call for a practitioner or a room');
      }
      const candidates = sortInOrder(
        d
          .all()
          .filter(
            (e) =>
              (e.status === 'waiting' || e.status === 'scheduled') && callerServes(input.practitionerId, e),
          ),
      );
      const present = candidates.filter(isPresent);
      const first = present[0];
      if (first === undefined) {
        return refuse(ErrorCodes.QUEUE_NO_PATIENT_PRESENT, 'Nobody present to call', {
          practitionerId: input.practitionerId,
        });
      }
      const starved = present.find((e) => e.skipCount >= this.settings.max_skips);
      const pick = first.priority === 'emergency' ? first : (starved ?? first);
      const paused = deskPaused(d, input.practitionerId, pick);
      if (paused) return paused;
      const freed = this.freeDesk(d, input.practitionerId, input.room);
      if (!freed.ok) return freed;
      for (const c of candidates) {
        if (compareEntries(c, pick) >= 0) break;
        if (c.status === 'scheduled') this.passOver(d, c, pick);
      }
      const overtaken = this.overtake(
        d,
        present.filter((e) => compareEntries(e, pick) < 0),
      );
      const called = this.call(d, pick, input, false, null);
      this.reportOvertaken(d, overtaken, pick, 'no_starvation');
      return called;
    });
  }

  /**
   * Call a specific waiting patient out of order (a reason is required). Every present entry ahead of them
   * in the caller's pools gets skip_count + 1 and PatientOvertaken ("you are still next"). Refused with
   * QUEUE.SKIP_CAP_REACHED when another present entry has reached `max_skips` and the patient called is not
   * an emergency. An entry assigned to another practitioner cannot be called (QUEUE.ILLEGAL_TRANSITION).
   */
  callSpecific(context: CommandContext, input: CallSpecificInput): CommandResult {
    return this.run(context, {}, (d) => {
      if (blank(input.reason))
        return refuse(ErrorCodes.QUEUE_REASON_REQUIRED, 'Calling out of order needs a reason');
      const found = find(d, input.entryId);
      if (!found.ok) return found;
      const target = found.value;
      if (target.status !== 'waiting') {
        return refuse(ErrorCodes.QUEUE_ILLEGAL_TRANSITION, `Cannot call an entry that is ${target.status}`, {
          entryId: target.id,
          from: target.status,
          to: 'called',
        });
      }
      if (
        input.practitionerId !== null &&
        target.practitionerId !== null &&
        target.practitionerId !== input.practitionerId
      ) {
        return refuse(ErrorCodes.QUEUE_ILLEGAL_TRANSITION, 'Entry is assigned to another practitioner', {
          entryId: target.id,
          assignedTo: target.practitionerId,
          reason: 'assigned_to_other_practitioner',
        });
      }
      const caller = input.practitionerId ?? target.practitionerId;
      if (caller === null && blank(input.room)) {
        return refuse(ErrorCodes.VALIDATION_FAILED, 'Call for a practitioner or a room');
      }
      const present = sortInOrder(d.all().filter((e) => isPresent(e) && callerServes(caller, e)));
      if (target.priority !== 'emergency') {
        const starved = present.find((e) => e.skipCount >= this.settings.max_skips);
        if (starved !== undefined && starved.id !== target.id) {
          return refuse(
            ErrorCodes.QUEUE_SKIP_CAP_REACHED,
            'A patient passed over too often must be called first',
            {
              mustCallEntryId: starved.id,
              maxSkips: this.settings.max_skips,
            },
          );
        }
      }
      const paused = deskPaused(d, caller, target);
      if (paused) return paused;
      const freed = this.freeDesk(d, caller, input.room);
      if (!freed.ok) return freed;
      const overtaken = this.overtake(
        d,
        present.filter((e) => compareEntries(e, target) < 0),
      );
      const reason = input.reason.trim();
      const called = this.call(d, target, { practitionerId: caller, room: input.room }, true, reason);
      this.reportOvertaken(d, overtaken, target, reason);
      return called;
    });
  }

  /** The practitioner starts seeing the patient: called → in_service. */
  start(context: CommandContext, input: EntryInput): CommandResult {
    return this.run(context, {}, (d) => {
      const found = find(d, input.entryId);
      if (!found.ok) return found;
      const moved = d.transition(found.value, 'in_service', { startedAt: d.ctx.now });
      if (!moved.ok) return moved;
      const e = moved.value;
      d.emit('ServiceStarted', e.id, { ticket: d.ticket(e), practitionerId: e.servedBy, room: e.room });
      return ok(undefined);
    });
  }

  /** The visit is over: in_service → completed. */
  finish(context: CommandContext, input: EntryInput): CommandResult {
    return this.run(context, {}, (d) => {
      const found = find(d, input.entryId);
      if (!found.ok) return found;
      if (found.value.status !== 'in_service') {
        return refuse(ErrorCodes.QUEUE_ILLEGAL_TRANSITION, 'Only a patient in service can be finished', {
          entryId: found.value.id,
          from: found.value.status,
          to: 'completed',
        });
      }
      this.complete(d, found.value, null);
      return ok(undefined);
    });
  }

  /**
   * Called but did not come, or not in the room at their turn (called or waiting → absent): the grace
   * period starts, `graceEndsAt = now + grace_period_minutes`.
   */
  markAbsent(context: CommandContext, input: EntryInput): CommandResult {
    return this.run(context, {}, (d) => {
      const found = find(d, input.entryId);
      if (!found.ok) return found;
      const e = found.value;
      const grace = GracePeriod.start(d.ctx.now, this.settings.grace_period_minutes);
      /* c8 ignore next -- settings are validated (≥ 1 minute), so the grace always starts */
      if (!grace.ok) return grace;
      const moved = d.transition(e, 'absent', {
        absentAt: d.ctx.now,
        graceEndsAt: grace.value.endsAt,
        room: null,
        servedBy: null,
      });
      if (!moved.ok) return moved;
      d.emit('PatientMarkedAbsent', e.id, {
        ticket: d.ticket(e),
        fromStatus: e.status,
        graceMinutes: grace.value.minutes,
        graceEndsAt: grace.value.endsAt,
        room: e.room,
      });
      return ok(undefined);
    });
  }

  /**
   * An absent patient is back within grace: → waiting, placed by `late_return_policy` among the present
   * entries of their pool and priority class: `front`, `end`, or `after_next` = after the next
   * `late_return_offset` present patients (at the end when fewer are waiting). After the grace ended the
   * entry is already a no-show and the return is refused with QUEUE.GRACE_EXPIRED.
   */
  returnFromAbsence(context: CommandContext, input: EntryInput): CommandResult {
    return this.run(context, {}, (d) => {
      const found = find(d, input.entryId);
      if (!found.ok) return found;
      const e = found.value;
      if (e.status === 'no_show' && e.graceEndsAt !== null && e.absentAt !== null) {
        return refuse(ErrorCodes.QUEUE_GRACE_EXPIRED, 'The grace period is over', {
          entryId: e.id,
          graceEndsAt: e.graceEndsAt,
        });
      }
      if (e.status !== 'absent') {
        return refuse(ErrorCodes.QUEUE_ILLEGAL_TRANSITION, 'Only an absent patient can return', {
          entryId: e.id,
          from: e.status,
          to: 'waiting',
        });
      }
      const policy = this.settings.late_return_policy;
      const offset = this.settings.late_return_offset;
      const line = waitingInPool(d.entries.values(), poolOf(e)).filter((x) => x.priority === e.priority);
      const index = policy === 'front' ? 0 : policy === 'end' ? line.length : Math.min(offset, line.length);
      const moved = d.transition(e, 'waiting', {
        ...placeAt(line, index, e, d.ctx.nowMs),
        graceEndsAt: null,
      });
      /* c8 ignore next -- absent → waiting is always allowed */
      if (!moved.ok) return moved;
      d.emit('PatientReturned', e.id, {
        ticket: d.ticket(e),
        policy,
        offset,
        position: d.positionOf(e.id),
      });
      return ok(undefined);
    });
  }

  /**
   * Applies grace expiry (absent → no_show once `grace_ends_at` has passed). Every command does this first;
   * call it on load and from the periodic sweep. The no-show is dated at `grace_ends_at`, the moment it
   * really happened, whoever notices it later.
   */
  expireGrace(context: CommandContext): CommandResult {
    return this.run(context, { open: false, today: false }, () => ok(undefined));
  }

  /**
   * "I'm running late", said before arriving (the entry is `scheduled`): kept and marked late. It is not
   * passed over until `grace_period_minutes` after their turn came (see callNext). A patient already in the
   * waiting room is present: staff mark them absent instead. Saying it twice changes nothing.
   */
  runningLate(context: CommandContext, input: RunningLateInput): CommandResult {
    return this.run(context, {}, (d) => {
      const found = find(d, input.entryId);
      if (!found.ok) return found;
      const e = found.value;
      if (e.status !== 'scheduled') {
        return refuse(
          ErrorCodes.QUEUE_ILLEGAL_TRANSITION,
          'Only a patient not yet arrived can be running late',
          {
            entryId: e.id,
            from: e.status,
            to: 'scheduled',
          },
        );
      }
      if (e.runningLateAt !== null) return ok(undefined);
      d.put({ ...e, runningLateAt: d.ctx.now });
      d.emit('PatientRunningLate', e.id, { ticket: d.ticket(e), source: input.source });
      return ok(undefined);
    });
  }

  /** Any non-final status → cancelled. */
  cancel(context: CommandContext, input: CancelInput): CommandResult {
    return this.run(context, {}, (d) => {
      const found = find(d, input.entryId);
      if (!found.ok) return found;
      const e = found.value;
      const moved = d.transition(e, 'cancelled', { cancelledAt: d.ctx.now });
      if (!moved.ok) return moved;
      d.emit('EntryCancelled', e.id, {
        ticket: d.ticket(e),
        fromStatus: e.status,
        reason: blank(input.reason) ? null : (input.reason ?? '').trim(),
      });
      return ok(undefined);
    });
  }

  /**
   * Staff re-activate a no-show of today: it re-enters as a fresh arrival (order key = now, end of the
   * line, skip count cleared), and the event says so.
   */
  reactivateNoShow(context: CommandContext, input: EntryInput): CommandResult {
    return this.run(context, {}, (d) => {
      const found = find(d, input.entryId);
      if (!found.ok) return found;
      const e = found.value;
      if (e.status !== 'no_show') {
        return refuse(ErrorCodes.QUEUE_ILLEGAL_TRANSITION, 'Only a no-show can be re-activated', {
          entryId: e.id,
          from: e.status,
          to: 'waiting',
        });
      }
      d.put({
        ...e,
        status: 'waiting',
        checkedInAt: d.ctx.now,
        orderKey: d.ctx.nowMs,
        orderTiebreak: e.ticketNumber,
        skipCount: 0,
        calledAt: null,
        absentAt: null,
        graceEndsAt: null,
        noShowAt: null,
        runningLateAt: null,
        lateTurnAt: null,
        room: null,
        servedBy: null,
        reactivations: e.reactivations + 1,
      });
      d.emit('NoShowReactivated', e.id, {
        ticket: d.ticket(e),
        freshArrival: true,
        previousNoShowAt: e.noShowAt,
        position: d.positionOf(e.id),
      });
      return ok(undefined);
    });
  }

  /**
   * Re-order (audited: actor + reason): puts a waiting entry at `toPosition` of its pool, or of another pool
   * (`practitionerId`, reassigning it). The position must lie within the entry's priority class in that pool
   * (use setPriority to change class), else QUEUE.INVALID_POSITION with the allowed range. A move is not a
   * call: it changes nobody's skip count.
   */
  move(context: CommandContext, input: MoveInput): CommandResult {
    return this.run(context, {}, (d) => {
      if (blank(input.reason)) return refuse(ErrorCodes.QUEUE_REASON_REQUIRED, 'A move needs a reason');
      const found = find(d, input.entryId);
      if (!found.ok) return found;
      const e = found.value;
      if (e.status !== 'waiting') {
        return refuse(ErrorCodes.QUEUE_ILLEGAL_TRANSITION, 'Only a waiting entry can be moved', {
          entryId: e.id,
          from: e.status,
          to: 'waiting',
        });
      }
      const pool = input.practitionerId === undefined ? e.practitionerId : input.practitionerId;
      const others = waitingInPool(d.entries.values(), pool).filter((x) => x.id !== e.id);
      const ahead = others.filter((x) => PRIORITY_RANK[x.priority] < PRIORITY_RANK[e.priority]).length;
      const line = others.filter((x) => x.priority === e.priority);
      const min = ahead + 1;
      const max = ahead + line.length + 1;
      if (!Number.isInteger(input.toPosition) || input.toPosition < min || input.toPosition > max) {
        return refuse(ErrorCodes.QUEUE_INVALID_POSITION, 'Position outside the entry’s priority class', {
          toPosition: input.toPosition,
          min,
          max,
        });
      }
      const fromPosition = d.positionOf(e.id);
      d.put({ ...e, practitionerId: pool, ...placeAt(line, input.toPosition - min, e, d.ctx.nowMs) });
      d.emit('EntryMoved', e.id, {
        ticket: d.ticket(e),
        fromPosition,
        toPosition: d.positionOf(e.id),
        fromPractitionerId: e.practitionerId,
        toPractitionerId: pool,
        reason: input.reason.trim(),
      });
      return ok(undefined);
    });
  }

  /**
   * Transfer (issue 17): a waiting — or booked, not yet arrived — patient goes to another practitioner's
   * line or to "any" (null). They keep their place by their order key (no new key, no new tiebreak: the
   * new pool merges them in where their arrival or slot puts them), their priority and their skip count; a
   * transfer is not a call. Audited like a re-order: EntryMoved with both practitioners, actor and reason.
   */
  transfer(context: CommandContext, input: TransferInput): CommandResult {
    return this.run(context, {}, (d) => {
      if (blank(input.reason)) return refuse(ErrorCodes.QUEUE_REASON_REQUIRED, 'A transfer needs a reason');
      const found = find(d, input.entryId);
      if (!found.ok) return found;
      const e = found.value;
      if (e.status !== 'waiting' && e.status !== 'scheduled') {
        return refuse(
          ErrorCodes.QUEUE_ILLEGAL_TRANSITION,
          'Only a waiting or booked patient can be transferred',
          {
            entryId: e.id,
            from: e.status,
            to: e.status,
          },
        );
      }
      if (e.practitionerId === input.practitionerId) {
        return refuse(ErrorCodes.VALIDATION_FAILED, 'The patient is already in that line', {
          entryId: e.id,
          practitionerId: input.practitionerId,
        });
      }
      const fromPosition = d.positionOf(e.id);
      d.put({ ...e, practitionerId: input.practitionerId });
      d.emit('EntryMoved', e.id, {
        ticket: d.ticket(e),
        fromPosition,
        toPosition: d.positionOf(e.id),
        fromPractitionerId: e.practitionerId,
        toPractitionerId: input.practitionerId,
        reason: input.reason.trim(),
        transfer: true,
      });
      return ok(undefined);
    });
  }

  /**
   * Undo a desk's last step (issue 17, rules U1–U6 in UndoStep.ts): every entry the step changed goes back
   * to its state before it, provided nothing changed it since and its desk is free; one StepUndone per
   * entry, reason `undo`. The window is checked here by the desk's clock and again by the database's.
   */
  undo(context: CommandContext, step: UndoableStep): CommandResult {
    return this.run(context, {}, (d) => {
      const ageMs = d.ctx.nowMs - ms(step.at);
      if (!(ageMs <= UNDO_WINDOW_SECONDS * 1000)) {
        return refuse(
          ErrorCodes.QUEUE_UNDO_EXPIRED,
          `Only the last ${UNDO_WINDOW_SECONDS} seconds can be undone`,
          {
            correlationId: step.correlationId,
          },
        );
      }
      for (const { after } of step.entries) {
        const now = d.get(after.id);
        if (now === undefined || !unchangedSince(now, after)) {
          return refuse(ErrorCodes.QUEUE_UNDO_ENTRY_CHANGED, 'The queue moved on since this step', {
            entryId: after.id,
            ticket: d.ticket(after),
            status: now?.status ?? null,
          });
        }
      }
      const undone = new Set(step.entries.map((x) => x.after.id));
      for (const { before } of step.entries) {
        if (before.status !== 'called' && before.status !== 'in_service') continue;
        const busy = d
          .all()
          .find(
            (e) =>
              !undone.has(e.id) &&
              (e.status === 'called' || e.status === 'in_service') &&
              (before.servedBy !== null
                ? e.servedBy === before.servedBy
                : e.servedBy === null && e.room === before.room),
          );
        if (busy !== undefined) {
          return refuse(ErrorCodes.QUEUE_UNDO_DESK_BUSY, 'The desk has another patient now', {
            entryId: before.id,
            busyEntryId: busy.id,
          });
        }
      }
      for (const { before, after, types } of step.entries) {
        const now = d.get(after.id) as QueueEntry;
        d.put(restoredFrom(now, before));
        d.emit('StepUndone', after.id, {
          ticket: d.ticket(after),
          undoes: step.correlationId,
          undoneTypes: [...types],
          fromStatus: now.status,
          toStatus: before.status,
          reason: UNDO_REASON,
        });
      }
      return ok(undefined);
    });
  }

  /** Change the priority class of an entry not yet called (audited: actor + reason). */
  setPriority(context: CommandContext, input: SetPriorityInput): CommandResult {
    return this.run(context, {}, (d) => {
      if (blank(input.reason))
        return refuse(ErrorCodes.QUEUE_REASON_REQUIRED, 'A priority change needs a reason');
      const found = find(d, input.entryId);
      if (!found.ok) return found;
      const e = found.value;
      if (!['scheduled', 'waiting', 'absent'].includes(e.status) || e.priority === input.priority) {
        return refuse(ErrorCodes.QUEUE_ILLEGAL_TRANSITION, 'Priority cannot change now', {
          entryId: e.id,
          status: e.status,
          from: e.priority,
          to: input.priority,
        });
      }
      d.put({ ...e, priority: input.priority });
      d.emit('PriorityChanged', e.id, {
        ticket: d.ticket(e),
        from: e.priority,
        to: input.priority,
        reason: input.reason.trim(),
      });
      return ok(undefined);
    });
  }

  /**
   * End the day (staff, or automatically at closing time + 2 h): called/in_service → completed,
   * scheduled/waiting/absent → no_show, the queue closes with its summary (stored on the queue state and in
   * the DayEnded event). Allowed after midnight (the automatic end of a late clinic).
   */
  endDay(context: CommandContext, input: EndDayInput = {}): CommandResult {
    // the summary (served, waits, service times) is over the whole day: a partial load cannot end it
    if (!this.elsewhere.wholeDay) throw new Error('Bug: endDay needs the whole day loaded');
    return this.run(context, { today: false }, (d) => {
      const completed: string[] = [];
      const noShows: string[] = [];
      for (const e of sortInOrder(d.all())) {
        if (isAtDesk(e)) {
          d.move(e, 'completed', { finishedAt: d.ctx.now });
          completed.push(e.id);
        } else if (e.status === 'scheduled' || e.status === 'waiting' || e.status === 'absent') {
          d.move(e, 'no_show', { noShowAt: d.ctx.now });
          noShows.push(e.id);
        }
      }
      const summary = summarizeDay(d.all());
      d.queue = { ...d.queue, status: 'closed', closedAt: d.ctx.now, summary };
      d.queueChanged = true;
      d.emit('DayEnded', null, {
        summary,
        automatic: input.automatic ?? false,
        completedEntryIds: completed,
        noShowEntryIds: noShows,
      });
      return ok(undefined);
    });
  }

  // ---------------------------------------------------------------- internals

  private run(
    context: CommandContext,
    guards: { open?: boolean; today?: boolean },
    body: (d: Draft) => Result<void, AppError>,
  ): CommandResult {
    const nowMs = new Date(context.now).getTime();
    if (Number.isNaN(nowMs)) throw new Error('CommandContext.now is not a valid time');
    const ctx: Ctx = {
      nowMs,
      now: iso(nowMs),
      actorId: context.actorId,
      correlationId: context.correlationId,
    };
    if ((guards.open ?? true) && this.queue.status === 'closed') {
      return refuse(ErrorCodes.QUEUE_CLOSED, 'The day’s queue is closed', { day: this.queue.day });
    }
    if (guards.today ?? true) {
      const today = context.today ?? isoDateAt(nowMs, this.queue.timeZone);
      if (today !== this.queue.day) {
        return refuse(ErrorCodes.QUEUE_NOT_TODAY, 'This queue is not today’s', {
          day: this.queue.day,
          today,
        });
      }
    }
    const d = new Draft(this.entriesById, this.queue, this.settings, ctx, this.ticketPrefix, this.elsewhere);
    expireGraceIn(d);
    const result = body(d);
    if (!result.ok) return result;
    this.entriesById = d.entries;
    this.queue = d.queue;
    this.queueChanged ||= d.queueChanged;
    for (const id of d.changed) this.changedIds.add(id);
    this.recorded.push(...d.events);
    return ok({
      changedEntries: [...d.changed].map((id) => d.entries.get(id) as QueueEntry),
      events: d.events,
    });
  }

  private validateNewPatient(d: Draft, input: NewPatient): Result<never, AppError> | null {
    if (d.get(input.entryId) !== undefined) {
      return refuse(ErrorCodes.QUEUE_DUPLICATE_ENTRY, 'Entry id already used', { entryId: input.entryId });
    }
    if (blank(input.patientName)) return refuse(ErrorCodes.VALIDATION_FAILED, 'A patient name is required');
    if (!Number.isInteger(input.expectedDurationMinutes) || input.expectedDurationMinutes < 1) {
      return refuse(ErrorCodes.VALIDATION_FAILED, 'Expected duration must be a positive number of minutes');
    }
    return null;
  }

  /** A new present entry ordered by its arrival time (walk-ins, emergencies). */
  private arrival(d: Draft, input: NewPatient, priority: Priority): QueueEntry {
    const ticket = nextTicket(d);
    return newEntry(input, {
      appointmentId: null,
      ticketNumber: ticket,
      kind: 'walk_in',
      status: 'waiting',
      priority,
      slotAt: null,
      checkedInAt: d.ctx.now,
      orderKey: d.ctx.nowMs,
    });
  }

  /** Frees the caller's desk: completes its in-service patient (auto_finish_on_next) or refuses; a called,
   * not started patient always refuses (QUEUE.CALLED_NOT_STARTED). */
  private freeDesk(d: Draft, practitionerId: string | null, room: string | null): Result<void, AppError> {
    const current = d
      .all()
      .filter(
        (e) =>
          isAtDesk(e) &&
          (practitionerId !== null ? e.servedBy === practitionerId : e.servedBy === null && e.room === room),
      );
    if (current.length === 0) return ok(undefined);
    // A patient called but not started has not been seen: never complete them on the desk's next call
    // (a double "call next" would otherwise turn the first patient into `completed`, never seen).
    const notStarted = current.filter((e) => e.status === 'called');
    if (notStarted.length > 0) {
      return refuse(
        ErrorCodes.QUEUE_CALLED_NOT_STARTED,
        'The patient called has not come in yet: start the visit or mark them absent first',
        { entryIds: notStarted.map((e) => e.id) },
      );
    }
    if (!this.settings.auto_finish_on_next) {
      return refuse(ErrorCodes.QUEUE_PRACTITIONER_BUSY, 'Finish the current patient first', {
        entryIds: current.map((e) => e.id),
      });
    }
    for (const e of current) this.complete(d, e, 'auto_finish_on_next');
    return ok(undefined);
  }

  private complete(d: Draft, e: QueueEntry, automatic: 'auto_finish_on_next' | null): void {
    const done = d.move(e, 'completed', { finishedAt: d.ctx.now });
    d.emit('ServiceFinished', e.id, {
      ticket: d.ticket(e),
      practitionerId: e.servedBy,
      fromStatus: e.status,
      serviceMinutes: done.startedAt === null ? null : (d.ctx.nowMs - ms(done.startedAt)) / MINUTE,
      automatic,
    });
  }

  /** A not-present booked entry ahead of the one called. */
  private passOver(d: Draft, e: QueueEntry, called: QueueEntry): void {
    if (e.slotAt === null || ms(e.slotAt) > d.ctx.nowMs) return; // slot not reached: not their turn yet
    if (e.runningLateAt !== null) {
      const turnCame = e.lateTurnAt === null ? d.ctx.nowMs : ms(e.lateTurnAt);
      const holdUntil = turnCame + this.settings.grace_period_minutes * MINUTE;
      if (e.lateTurnAt === null) {
        d.put({ ...e, lateTurnAt: d.ctx.now });
        d.emit('LatePatientHeld', e.id, {
          ticket: d.ticket(e),
          turnCameAt: d.ctx.now,
          holdUntil: iso(holdUntil),
          calledEntryId: called.id,
        });
        return;
      }
      if (d.ctx.nowMs < holdUntil) return;
    }
    const skipped = d.put({ ...e, skipCount: e.skipCount + 1 });
    d.emit('PatientPassedOver', e.id, {
      ticket: d.ticket(e),
      skipCount: skipped.skipCount,
      calledEntryId: called.id,
      lateHoldOver: e.runningLateAt !== null,
    });
  }

  /** Present entries overtaken by a call out of order: skip_count + 1 each (events after the call). */
  private overtake(d: Draft, overtaken: readonly QueueEntry[]): QueueEntry[] {
    return overtaken.map((e) => d.put({ ...e, skipCount: e.skipCount + 1 }));
  }

  /** PatientOvertaken per overtaken entry, with its position once the called patient has left the line. */
  private reportOvertaken(d: Draft, overtaken: readonly QueueEntry[], by: QueueEntry, reason: string): void {
    for (const e of overtaken) {
      d.emit('PatientOvertaken', e.id, {
        ticket: d.ticket(e),
        skipCount: e.skipCount,
        overtakenByEntryId: by.id,
        position: d.positionOf(e.id),
        reason,
      });
    }
  }

  private call(
    d: Draft,
    e: QueueEntry,
    desk: CallNextInput,
    outOfOrder: boolean,
    reason: string | null,
  ): Result<void, AppError> {
    const moved = d.transition(e, 'called', {
      calledAt: d.ctx.now,
      room: desk.room,
      servedBy: desk.practitionerId,
    });
    /* c8 ignore next -- callers only pick waiting entries */
    if (!moved.ok) return moved;
    d.emit('PatientCalled', e.id, {
      ticket: d.ticket(e),
      room: desk.room,
      practitionerId: desk.practitionerId,
      outOfOrder,
      reason,
    });
    return ok(undefined);
  }
}

// ---------------------------------------------------------------- helpers

const find = (d: Draft, id: string): Result<QueueEntry, AppError> => {
  const e = d.get(id);
  return e === undefined
    ? refuse(ErrorCodes.QUEUE_ENTRY_NOT_FOUND, 'No such entry in this queue', { entryId: id })
    : ok(e);
};

/** One past the day's highest ticket: the loaded entries', and the rest of the day's when not loaded. */
const nextTicket = (d: Draft): number =>
  d.all().reduce((max, e) => Math.max(max, e.ticketNumber), d.elsewhere.lastTicket) + 1;

/** Pause (issue 17): a paused doctor's desk calls nobody but an emergency. */
const deskPaused = (d: Draft, caller: string | null, pick: QueueEntry): Result<never, AppError> | null =>
  caller !== null && pick.priority !== 'emergency' && (d.queue.pausedPractitionerIds ?? []).includes(caller)
    ? refuse(ErrorCodes.QUEUE_DESK_PAUSED, 'Calling is paused for this doctor', { practitionerId: caller })
    : null;

/** Intake closed (issue 17): no new walk-in or booking joins the day (an emergency always does). */
const intakeClosed = (d: Draft): Result<never, AppError> | null =>
  d.queue.intakeClosedAt !== undefined && d.queue.intakeClosedAt !== null
    ? refuse(ErrorCodes.QUEUE_INTAKE_CLOSED, 'The queue takes no new patients today', {
        closedAt: d.queue.intakeClosedAt,
      })
    : null;

const expireGraceIn = (d: Draft): void => {
  for (const e of sortInOrder(d.all())) {
    if (e.status === 'absent' && e.graceEndsAt !== null && graceExpired(e.graceEndsAt, d.ctx.nowMs)) {
      d.move(e, 'no_show', { noShowAt: e.graceEndsAt });
      d.emit('GraceExpired', e.id, { ticket: d.ticket(e), graceEndsAt: e.graceEndsAt });
    }
  }
};

/**
 * Order key and tiebreak that put `e` at `index` of `line` (present entries of one pool and class, in
 * order, not containing `e`): before line[0], between line[index-1] and line[index], or after the last.
 * An empty line places it as an arrival at `nowMs`.
 */
export const placeAt = (
  line: readonly QueueEntry[],
  index: number,
  e: Pick<QueueEntry, 'ticketNumber'>,
  nowMs: number,
): Pick<QueueEntry, 'orderKey' | 'orderTiebreak'> => {
  const before = line[index - 1];
  const after = line[index];
  if (before === undefined && after === undefined) return { orderKey: nowMs, orderTiebreak: e.ticketNumber };
  if (before === undefined)
    return { orderKey: (after as QueueEntry).orderKey - 1, orderTiebreak: e.ticketNumber };
  if (after === undefined) return { orderKey: before.orderKey + 1, orderTiebreak: e.ticketNumber };
  const mid = (before.orderKey + after.orderKey) / 2;
  if (mid > before.orderKey && mid < after.orderKey) return { orderKey: mid, orderTiebreak: e.ticketNumber };
  if (before.orderKey < after.orderKey)
    return { orderKey: before.orderKey, orderTiebreak: before.orderTiebreak + 1 };
  // equal keys: split the tiebreaks
  return { orderKey: before.orderKey, orderTiebreak: (before.orderTiebreak + after.orderTiebreak) / 2 };
};

const newEntry = (
  input: NewPatient,
  fields: Pick<
    QueueEntry,
    'appointmentId' | 'ticketNumber' | 'kind' | 'status' | 'priority' | 'slotAt' | 'checkedInAt' | 'orderKey'
  >,
): QueueEntry => ({
  id: input.entryId,
  patientId: input.patientId,
  patientName: input.patientName.trim(),
  practitionerId: input.practitionerId,
  appointmentTypeId: input.appointmentTypeId,
  expectedDurationMinutes: input.expectedDurationMinutes,
  ...fields,
  orderTiebreak: fields.ticketNumber,
  calledAt: null,
  startedAt: null,
  finishedAt: null,
  absentAt: null,
  graceEndsAt: null,
  runningLateAt: null,
  lateTurnAt: null,
  cancelledAt: null,
  noShowAt: null,
  skipCount: 0,
  room: null,
  servedBy: null,
  reactivations: 0,
});

/**
 * QueueService — orchestration only (ARCHITECTURE.md §1): validate input (zod, queue/api) → load →
 * `QueueAggregate` decides → save the pending changes with the loaded version → publish the recorded
 * events on the bus after the save succeeded → result. A stale version (QUEUE.VERSION_CONFLICT, HTTP 409)
 * is retried by reloading and deciding again, at most `maxAttempts` times; then the conflict is returned.
 */
import { appError, ErrorCodes, isOutcomeUnknown, type AppError } from '../shared/AppError';
import { systemClock, type Clock } from '../shared/Clock';
import type { EventBus } from '../shared/EventBus';
import { uuidGenerator, type IdGenerator } from '../shared/ids';
import type { Logger } from '../shared/Logger';
import { loadPhoneNumber } from '../shared/loadPhoneNumber';
import { err, ok, type Result } from '../shared/Result';
import {
  CallNextInputSchema,
  CallSpecificInputSchema,
  CancelInputSchema,
  CheckInInputSchema,
  EndDayInputSchema,
  FinishInputSchema,
  MarkAbsentInputSchema,
  MoveInputSchema,
  ReactivateNoShowInputSchema,
  ReturnFromAbsenceInputSchema,
  RunningLateInputSchema,
  SetPriorityInputSchema,
  TransferInputSchema,
  StartInputSchema,
  UndoInputSchema,
  type UndoableStep,
  type QueueAggregate,
  type CommandContext,
  type CommandResult,
  type InsertEmergencyInput,
  type QueueDomainEvent,
  type QueueEntry,
  type QueueState,
} from './api';
import type { QueueBusEvents } from './api/bus';
import { z } from '../shared/zod';
import type { ClinicSettings } from '../clinic/api';
import {
  WHOLE_DAY,
  type LoadedQueue,
  type LoadScope,
  type NewPatientRecord,
  type QueueDayControls,
  type QueueDirectory,
  type QueueRepository,
  type TurnCheck,
} from './repositories/QueueRepository';
import { isFinal } from './models/QueueEntry';
import type { DayBookings } from './dayBookings';
import { sortInOrder } from './models/QueueOrder';
import type { QueueVersionWatch } from './repositories/QueueVersionWatch';
import type { WaitEstimate } from './models/WaitTime';
import type { ShownAccuracy, WaitContextSource, WaitEstimateSink } from './repositories/WaitEstimates';
import { loadQueueDomain, loadedQueueDomain, type QueueDomain } from './lazyQueueDomain';
import { defaultVisitMinutes } from './models/VisitLength';
import { entryFromRow, type EntryChangeRow } from './repositories/queueEntryRow';
import type { QueueControl } from './repositories/QueueChangeFeed';
import { MAX_NAMES_PER_LOOKUP, type PatientNames } from './repositories/PatientNames';
import type { accuracyOverview, DaySession, HistoryVisit, PastProfile } from './models/WaitEstimator';
import { turnWaits } from './turnWaits';

/**
 * Yesterday's and this week's accuracy: of the estimates patients were shown (`source: 'shown'`, from the
 * database's log of them) when the database says enough were judged (get_wait_accuracy's `source`, the rule of
 * the tracker's "± N min"), else of today's model replayed on those days (`'replay'`).
 */
export type WaitAccuracy = ReturnType<typeof accuracyOverview> & { readonly source: 'shown' | 'replay' };

export type { WaitEstimate } from './models/WaitTime';

export interface QueueServiceDeps {
  readonly repo: QueueRepository;
  /** Only publishing is needed: any bus whose event map includes the queue events fits. */
  readonly bus: Pick<EventBus<QueueBusEvents>, 'publish'>;
  readonly clock?: Clock;
  /** Entry and correlation ids (UUIDs in production: the database columns are uuid). */
  readonly ids?: IdGenerator;
  /** The signed-in user (staff member) doing the commands; null for the system. */
  readonly actor?: () => string | null;
  readonly logger?: Logger;
  /**
   * Save attempts per command before QUEUE.VERSION_CONFLICT is returned (default 20). Each conflict means
   * another desk's save succeeded; with `versions` a desk that lost twice is served in turn (below), so at
   * clinic scale (≈ 10 desks at once) a command does not run out of attempts.
   */
  readonly maxAttempts?: number;
  /**
   * Pause before retry n (ms), given the round trip (load → save) the failed attempt took and, when known,
   * how many saves beat it (`contenders`: versions heard over Realtime past the one it loaded). Default:
   * jitter scaled to that round trip — uniformly 0.25–1 × round trip × min(contenders, 2), or × min(n, 2)
   * when the contenders are unknown — so colliding desks spread out over about a save's time instead of a
   * few milliseconds, without a desk that lost being pushed ever further back (which starved it).
   */
  readonly retryDelayMs?: (attempt: number, roundTripMs: number, contenders: number | null) => number;
  /**
   * The queue versions this client hears over Realtime (FeedVersionWatch over the change feed). With it a
   * desk knows how many desks compete, and from its second conflict on it waits for the queue's next
   * version (a save just committed: the row is free and a fresh load sees everything) before deciding
   * again, instead of polling blindly; the wait is bounded by the pause, so a silent Realtime costs nothing.
   */
  readonly versions?: QueueVersionWatch;
  /**
   * What the wait estimator learns from (issue 16): today's sessions per practitioner and the completed
   * visits of earlier days (≤ 30). Read when a day's queue is first shown, then cached per clinic and day.
   * Without it the estimate uses today's visits only and assumes the practitioners work now.
   */
  readonly waitContext?: WaitContextSource;
  /**
   * Where the estimates of each queue version are left for the tracker, the board and SMS `{eta}` (issue
   * 16: one estimator everywhere). Written after every save, before its events are published (so the
   * "almost your turn" SMS reads the new estimate), and when a newer version is first viewed.
   */
  readonly waitEstimates?: WaitEstimateSink;
  /** Pause / reopen of the day (issue 17); without it those commands answer INTERNAL (not wired). */
  readonly dayControls?: QueueDayControls;
  /**
   * Patients' names for entries another desk added (issue 12): a new walk-in heard over Realtime is applied
   * with its name looked up, not by re-reading the day. Without it such a change reloads.
   */
  readonly patientNames?: PatientNames;
}

export type { WaitContextSource, WaitEstimateSink } from './repositories/WaitEstimates';

/** One entry as a staff screen shows it. */
export interface QueueEntryView extends QueueEntry {
  /** As the patient sees it on the board, the tracker and in SMS: the clinic's prefix, e.g. `A-014`. */
  readonly ticket: string;
  /** 1 = next in the entry's pool; null when not waiting. */
  readonly position: number | null;
  /** Absent entries: whole seconds left of the grace period (never negative); else null. */
  readonly graceRemainingSeconds: number | null;
  /**
   * Said "I'm running late", and the note is still in force (issue 15.16): while scheduled or waiting and,
   * when an amount was given, until it has passed. The amount is `runningLateMinutes`.
   */
  readonly late: boolean;
  /**
   * Waiting entries: the estimated time until called (DOMAIN.md "Wait time": simulation over the
   * practitioners serving the pool, the entries ahead, observed durations); null otherwise. Show
   * `wait.display` ("about 25 min (20–35)" via the queue api's formatWaitForPatient), never raw minutes.
   */
  readonly wait: WaitEstimate | null;
}

export interface QueueView {
  readonly queue: QueueState;
  /** The clinic's settings the queue ran with (grace minutes, notify_at_position, …). */
  readonly settings: ClinicSettings;
  readonly directory: QueueDirectory;
  /** In queue order (priority class, order key). */
  readonly entries: readonly QueueEntryView[];
  /** The moment the view was computed (grace countdowns count from it). */
  readonly asOf: string;
  /**
   * How accurate the wait estimates were yesterday and over the last 7 days (median |error| in minutes,
   * share of waits inside the shown range), from a backtest on the clinic's own days; null without a
   * wait context (no earlier days to judge).
   */
  readonly waitAccuracy: WaitAccuracy | null;
}

export interface CommandSuccess {
  readonly view: QueueView;
  /** The events this command recorded (already published). */
  readonly events: readonly QueueDomainEvent[];
  /** How many load → decide → save rounds it took (1 without contention). */
  readonly attempts: number;
  /**
   * True when the database had already applied this command id (a retried or duplicated command): nothing
   * was changed or published this time, `view` is the queue as it is now.
   */
  readonly replayed?: boolean;
  /**
   * The step as an undo needs it (issue 17: call, absent, finish, move/transfer), for `undo` within
   * UNDO_WINDOW_SECONDS; absent when the step cannot be undone.
   */
  readonly undoable?: UndoableStep;
}

/** Options every command takes. */
export interface CommandOptions {
  /**
   * The command's client-generated id (a UUID). The database applies one id at most once per queue day;
   * sending the same command again (a retry, a double submit) answers with the first result. Default: a
   * new id per call.
   */
  readonly commandId?: string;
}

interface RunOptions extends CommandOptions {
  readonly day?: string | null | undefined;
  readonly newPatients?: readonly NewPatientRecord[];
  /** What the command loads: by default the active entries plus the entry its input names. */
  readonly scope?: LoadScope;
}

const CommandIdSchema = z.uuid();

export type QueueCommandResult = Promise<Result<CommandSuccess, AppError>>;

const LanguageSchema = z.enum(['ar', 'fr', 'en']);
const id = z.string().check(z.minLength(1), z.maxLength(200));

/** Staff adds a walk-in (no account needed: a name, optionally a phone). */
export const AddWalkInRequestSchema = z.object({
  patientName: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  phone: z.optional(z.nullable(z.string().check(z.trim(), z.minLength(1), z.maxLength(40)))),
  language: z.optional(z.nullable(LanguageSchema)),
  practitionerId: z.optional(z.nullable(id)),
  appointmentTypeId: z.optional(z.nullable(id)),
  priority: z.optional(z.enum(['normal', 'urgent'])),
});
export type AddWalkInRequest = z.input<typeof AddWalkInRequestSchema>;

/** An emergency arrives (audited with who and why). */
export const InsertEmergencyRequestSchema = z.extend(z.omit(AddWalkInRequestSchema, { priority: true }), {
  reason: z.string().check(z.trim(), z.minLength(1), z.maxLength(500)),
});
export type InsertEmergencyRequest = z.input<typeof InsertEmergencyRequestSchema>;

export type CallNextRequest = z.input<typeof CallNextInputSchema>;
export type CallSpecificRequest = z.input<typeof CallSpecificInputSchema>;
export type EntryRequest = z.input<typeof StartInputSchema>;
export type RunningLateRequest = z.input<typeof RunningLateInputSchema>;
export type CancelRequest = z.input<typeof CancelInputSchema>;
export type MoveRequest = z.input<typeof MoveInputSchema>;
export type TransferRequest = z.input<typeof TransferInputSchema>;
export type SetPriorityRequest = z.input<typeof SetPriorityInputSchema>;
export type EndDayRequest = z.input<typeof EndDayInputSchema>;
export type UndoRequest = z.input<typeof UndoInputSchema>;

/** Pause / resume one doctor's calling (issue 17); the reason is optional (a break needs none). */
export const DeskPauseRequestSchema = z.object({
  practitionerId: id,
  reason: z.optional(z.nullable(z.string().check(z.trim(), z.maxLength(500)))),
});
export type DeskPauseRequest = z.input<typeof DeskPauseRequestSchema>;
/** Close / reopen today's intake of walk-ins and online joins (issue 17). */
export const IntakeRequestSchema = z.object({
  reason: z.optional(z.nullable(z.string().check(z.trim(), z.maxLength(500)))),
});
export type IntakeRequest = z.input<typeof IntakeRequestSchema>;

/** What every new-patient request (walk-in, emergency) carries after validation. */
type NewPatientRequest = Omit<z.output<typeof InsertEmergencyRequestSchema>, 'reason'>;
/** The aggregate's fields common to every new-patient arrival. */
type Arrival = Omit<InsertEmergencyInput, 'reason'>;

const invalid = (error: z.core.$ZodError): AppError =>
  appError(ErrorCodes.VALIDATION_FAILED, 'Invalid input', {
    issues: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });

export class QueueService {
  private readonly clock: Clock;
  private readonly ids: IdGenerator;
  private readonly actor: () => string | null;
  private readonly maxAttempts: number;
  /** The turn claims' lease the database last answered (undefined: none yet, or an older database). */
  private turnLeaseMs: number | undefined;
  /** `${clinicId}|${day}` → the wait estimator's context and what it learned from the earlier days. */
  private readonly waitContexts = new Map<string, WaitContext>();
  /**
   * Queue id → the day's finished entries (completed, cancelled, no-show) this service has seen: from the
   * last whole-day read, and from its own commands. A command loads only the active entries (issue 12);
   * its view adds these, so the desk keeps showing the day's history and the wait estimate keeps learning
   * from today's visits without the database sending the whole day on every command.
   */
  private readonly finished = new Map<string, Map<string, QueueEntry>>();
  /**
   * `${clinicId}|${day}` → the last version race this service lost on that queue day (issue 12: serialize
   * early). A command that starts within EARLY_TURN_MS of it takes its turn before its first attempt, so a
   * busy queue's writers line up instead of each losing about two races (a load and a save each) first.
   */
  private readonly contended = new Map<
    string,
    { readonly queueId: string; readonly version: number; readonly at: number; readonly roundTrip: number }
  >();

  constructor(private readonly deps: QueueServiceDeps) {
    this.clock = deps.clock ?? systemClock;
    this.ids = deps.ids ?? uuidGenerator;
    this.actor = deps.actor ?? (() => null);
    this.maxAttempts = Math.max(1, deps.maxAttempts ?? 20);
  }

  // ------------------------------------------------------------------ reads

  /** The queue for staff: entries in order, positions, who is late / absent with the grace countdown. */
  async status(clinicId: string, day?: string | null): Promise<Result<QueueView, AppError>> {
    // the domain (aggregate + wait estimator) loads beside the first read, not with the screen (issue 14)
    const [loaded, { QueueAggregate }] = await Promise.all([
      this.load(clinicId, day, null, WHOLE_DAY),
      loadQueueDomain(),
    ]);
    if (!loaded.ok) return loaded;
    const agg = QueueAggregate.load(loaded.value.snapshot);
    this.rememberFinished(agg);
    // Expiries are applied to what is shown (the save happens with the next command or the sweep).
    agg.expireGrace(this.context());
    await this.loadWaitContext(clinicId, agg.state.day);
    const view = this.view(agg, loaded.value.directory);
    await this.storeEstimates(view, day == null);
    return ok(view);
  }

  /**
   * A day's booked visits for the staff's "Bookings" list (issue 17): any day within a year of the clinic's
   * today (get_queue: the clinic's staff only). The list is shaped in its own chunk (./dayBookings), loaded with
   * the lazy view, so the desk's first render does not carry it.
   */
  async dayBookings(clinicId: string, day: string): Promise<Result<DayBookings, AppError>> {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day))
      return err(appError(ErrorCodes.VALIDATION_FAILED, 'day must be a date YYYY-MM-DD', { field: 'day' }));
    const loaded = await this.load(clinicId, day, null, WHOLE_DAY);
    if (!loaded.ok) return loaded;
    return ok((await import('./dayBookings')).dayBookings(loaded.value));
  }

  /**
   * The shown view with one queue version's entry rows applied, as Realtime delivered them (issue 12: the
   * change travels with the event; QueueDeltas decides when a version's rows are complete). No I/O: positions,
   * grace countdowns and wait estimates are recomputed here, as `status` does. Null when the rows cannot be
   * applied to this view — an entry it does not hold (a new walk-in: its name is not in the row), a row of
   * another queue, a change of the day's status — and the caller reloads instead. `control` (a pause or an
   * intake change, carried by the queue row) replaces the day's pause and intake state.
   */
  applyChange(
    view: QueueView,
    change: {
      readonly version: number;
      readonly rows: readonly EntryChangeRow[];
      readonly status?: string;
      readonly control?: QueueControl;
      /** Names (by patient id) of entries the view does not hold yet: new walk-ins, emergencies. */
      readonly names?: ReadonlyMap<string, string>;
    },
  ): QueueView | null {
    if (change.status !== undefined && change.status !== view.queue.status) return null;
    // a view comes from `status` or a command, which loaded the domain; without it, the caller reloads
    const domain = loadedQueueDomain();
    if (domain === null) return null;
    const byId = new Map<string, QueueEntry>(view.entries.map((e) => [e.id, entryOf(e)]));
    const types = new Map(view.directory.appointmentTypes.map((t) => [t.id, t.durationMinutes]));
    const fallback = defaultVisitMinutes(view.directory.appointmentTypes);
    for (const row of change.rows) {
      const name = byId.get(row.id)?.patientName ?? change.names?.get(row.patient_id);
      if (name === undefined || row.queue_id !== view.queue.id) return null;
      byId.set(row.id, entryFromRow({ ...row, patient: { full_name: name } }, types, fallback));
    }
    const agg = domain.QueueAggregate.load({
      queue: {
        ...view.queue,
        version: change.version,
        ...(change.control
          ? {
              pausedPractitionerIds: change.control.pausedPractitionerIds,
              intakeClosedAt: change.control.intakeClosedAt,
            }
          : {}),
      },
      settings: view.settings,
      ticketPrefix: view.directory.clinic.ticketPrefix,
      entries: [...byId.values()],
    });
    this.rememberFinished(agg);
    agg.expireGrace(this.context());
    return this.view(agg, view.directory);
  }

  /**
   * `applyChange` for a change that may add entries the view does not hold (another desk's walk-in or
   * emergency): their patients' names are looked up (one small read, `patientNames`), not the whole day.
   * Null, as applyChange, when it cannot be applied — no look-up port, too many new entries, a name that is
   * not readable, a failed read — and the caller reloads.
   */
  async applyChangeWithNames(
    view: QueueView,
    change: Parameters<QueueService['applyChange']>[1],
  ): Promise<QueueView | null> {
    const held = new Set(view.entries.map((e) => e.id));
    const missing = [...new Set(change.rows.filter((r) => !held.has(r.id)).map((r) => r.patient_id))];
    if (missing.length === 0) return this.applyChange(view, change);
    const lookup = this.deps.patientNames;
    if (lookup === undefined || missing.length > MAX_NAMES_PER_LOOKUP) return null;
    const names = await lookup.namesOf(view.queue.clinicId, missing);
    if (!names.ok) return null;
    return this.applyChange(view, { ...change, names: names.value });
  }

  /**
   * `queueId` → the last version whose estimates this service stored and what those showed the patients (one
   * write per version, and one more whenever what the desk shows changed since: time moved an estimate across a
   * display step — the database takes it at once, flake22, so the patient's phone shows what the desk shows).
   */
  private readonly storedVersions = new Map<string, { readonly version: number; readonly shown: string }>();

  /** Per clinic: the view of today's queue this service last saved or read (see `latestView`). */
  private readonly latestViews = new Map<string, QueueView>();

  /**
   * The view of the clinic's today that this service last saved or read — after a command, the view of the
   * version whose events it is publishing (rt24, issue 14: "almost your turn" takes its positions from it
   * instead of re-reading the whole day after every step, a read that competed with the estimates' store and the
   * other screens' reads). Null before any.
   */
  latestView(clinicId: string): QueueView | null {
    return this.latestViews.get(clinicId) ?? null;
  }

  /**
   * Forgets the queue views kept for the signed-in user (fix25, review25: on a shared reception PC the previous
   * user's queue — names, phones — stayed in this service's memory after sign-out). Called where the app drops
   * react-query's cache: sign-out.
   */
  forgetUser(): void {
    this.latestViews.clear();
    for (const listener of [...this.forgetListeners]) listener();
  }

  /**
   * sec26: what else keeps the signed-in user's data beside this service (the desk's notification directory keeps
   * a clinic's templates per clinic-day) forgets it at the same moment. Returns the unsubscribe.
   */
  onForgetUser(listener: () => void): () => void {
    this.forgetListeners.add(listener);
    return () => {
      this.forgetListeners.delete(listener);
    };
  }

  private readonly forgetListeners = new Set<() => void>();

  /**
   * Leaves the view's estimates for the tracker, the board and SMS (a failure only means those show the
   * previous version's estimate a little longer). `today`: the view is of the clinic's today (no day asked).
   */
  private async storeEstimates(view: QueueView, today: boolean): Promise<void> {
    if (today) {
      const known = this.latestViews.get(view.queue.clinicId);
      // never back to an older version of the same queue (a read that started before a save)
      if (
        known === undefined ||
        known.queue.id !== view.queue.id ||
        known.queue.version <= view.queue.version
      ) {
        // bounded: cleared BEFORE a new clinic is stored, so the view just read is never the one wiped
        if (known === undefined && this.latestViews.size >= 64) this.latestViews.clear();
        this.latestViews.set(view.queue.clinicId, view);
      }
    }
    const sink = this.deps.waitEstimates;
    if (sink === undefined || view.queue.status !== 'open') return;
    const { id, version, clinicId, day } = view.queue;
    const estimates = view.entries.flatMap((e) =>
      e.wait === null || e.status !== 'waiting'
        ? []
        : [
            {
              entryId: e.id,
              minutes: e.wait.minutes,
              low: e.wait.lowMinutes,
              high: e.wait.highMinutes,
              display: e.wait.display,
            },
          ],
    );
    const shown = JSON.stringify(estimates.map((e) => [e.entryId, e.display]));
    const last = this.storedVersions.get(id);
    if (last !== undefined && (last.version > version || (last.version === version && last.shown === shown)))
      return;
    this.storedVersions.set(id, { version, shown });
    if (this.storedVersions.size > 256) this.storedVersions.clear();
    try {
      await sink.store({ clinicId, day, version, estimates, accuracy: view.waitAccuracy, asOf: view.asOf });
    } catch (e) {
      this.deps.logger?.warn(
        { clinicId, version, err: e instanceof Error ? e.message : 'unknown' },
        'wait estimates not stored',
      );
    }
  }

  /** Fills the wait estimator's context of a clinic's day once (a failure only means less to learn from). */
  private async loadWaitContext(clinicId: string, day: string): Promise<void> {
    const key = `${clinicId}|${day}`;
    if (this.deps.waitContext === undefined || this.waitContexts.has(key)) return;
    try {
      const ctx = await this.deps.waitContext.load(clinicId, day);
      if (ctx === null) return;
      if (this.waitContexts.size > 64) this.waitContexts.clear();
      this.waitContexts.set(key, {
        sessions: ctx.sessions,
        clinicSessions: ctx.clinicSessions ?? null,
        history: ctx.history,
        shown: ctx.shown ?? null,
        past: null,
      });
    } catch (e) {
      this.deps.logger?.warn(
        { clinicId, err: e instanceof Error ? e.message : 'unknown' },
        'wait context not loaded',
      );
    }
  }

  // ------------------------------------------------------------------ commands

  callNext(clinicId: string, input: CallNextRequest, opts: CommandOptions = {}): QueueCommandResult {
    return this.command(clinicId, CallNextInputSchema, input, (a, c, i) => a.callNext(c, i), opts);
  }
  /** Call a specific patient out of order (reason required). */
  callSpecific(clinicId: string, input: CallSpecificRequest, opts: CommandOptions = {}): QueueCommandResult {
    return this.command(clinicId, CallSpecificInputSchema, input, (a, c, i) => a.callSpecific(c, i), opts);
  }
  start(clinicId: string, input: EntryRequest, opts: CommandOptions = {}): QueueCommandResult {
    return this.command(clinicId, StartInputSchema, input, (a, c, i) => a.start(c, i), opts);
  }
  finish(clinicId: string, input: EntryRequest, opts: CommandOptions = {}): QueueCommandResult {
    return this.command(clinicId, FinishInputSchema, input, (a, c, i) => a.finish(c, i), opts);
  }
  markAbsent(clinicId: string, input: EntryRequest, opts: CommandOptions = {}): QueueCommandResult {
    return this.command(clinicId, MarkAbsentInputSchema, input, (a, c, i) => a.markAbsent(c, i), opts);
  }
  /** An absent patient is back within grace. */
  returnFromAbsence(clinicId: string, input: EntryRequest, opts: CommandOptions = {}): QueueCommandResult {
    return this.command(
      clinicId,
      ReturnFromAbsenceInputSchema,
      input,
      (a, c, i) => a.returnFromAbsence(c, i),
      opts,
    );
  }
  runningLate(clinicId: string, input: RunningLateRequest, opts: CommandOptions = {}): QueueCommandResult {
    return this.command(clinicId, RunningLateInputSchema, input, (a, c, i) => a.runningLate(c, i), opts);
  }
  checkIn(clinicId: string, input: EntryRequest, opts: CommandOptions = {}): QueueCommandResult {
    return this.command(clinicId, CheckInInputSchema, input, (a, c, i) => a.checkIn(c, i), opts);
  }
  cancel(clinicId: string, input: CancelRequest, opts: CommandOptions = {}): QueueCommandResult {
    return this.command(clinicId, CancelInputSchema, input, (a, c, i) => a.cancel(c, i), opts);
  }
  /** Staff re-activate a no-show of today: a fresh arrival at the end of the line. */
  reactivate(clinicId: string, input: EntryRequest, opts: CommandOptions = {}): QueueCommandResult {
    return this.command(
      clinicId,
      ReactivateNoShowInputSchema,
      input,
      (a, c, i) => a.reactivateNoShow(c, i),
      opts,
    );
  }
  /** Re-order (audited with who and why). */
  move(clinicId: string, input: MoveRequest, opts: CommandOptions = {}): QueueCommandResult {
    return this.command(clinicId, MoveInputSchema, input, (a, c, i) => a.move(c, i), opts);
  }
  /**
   * Transfer a waiting (or booked) patient to another practitioner's line or to "any" (issue 17): they keep
   * their place by their order key; audited (EntryMoved with both practitioners and the reason). The target
   * must be an active practitioner of the clinic (the database checks it too).
   */
  transfer(clinicId: string, input: TransferRequest, opts: CommandOptions = {}): QueueCommandResult {
    return this.command(
      clinicId,
      TransferInputSchema,
      input,
      (a, c, i, directory) => {
        const target = i.practitionerId;
        if (
          target !== null &&
          !directory.members.some(
            (m) => m.id === target && m.active && (m.role === 'practitioner' || m.role === 'owner'),
          )
        ) {
          return err(
            appError(ErrorCodes.VALIDATION_FAILED, 'Transfer to an active practitioner of this clinic', {
              practitionerId: target,
            }),
          );
        }
        return a.transfer(c, i);
      },
      opts,
    );
  }
  /**
   * Undo a desk's last step within UNDO_WINDOW_SECONDS (issue 17): the inverse command, saved like any
   * other step (save_queue_step), recorded as StepUndone per entry with reason `undo`. Refused with a coded
   * error when the queue moved on (QUEUE.UNDO_ENTRY_CHANGED, QUEUE.UNDO_DESK_BUSY) or the window is over by
   * the database's clock (QUEUE.UNDO_EXPIRED).
   */
  undo(
    clinicId: string,
    input: UndoRequest | { readonly step: UndoableStep },
    opts: CommandOptions = {},
  ): QueueCommandResult {
    const parsed = UndoInputSchema.safeParse(input);
    if (!parsed.success) return Promise.resolve(err(invalid(parsed.error)));
    const step = parsed.data.step;
    return this.run(clinicId, (agg, ctx) => agg.undo(ctx, step), {
      ...opts,
      // a finished patient is back in service: the entries of the step are loaded whatever their status
      scope: { kind: 'active', entryIds: step.entries.map((x) => x.after.id) },
    });
  }
  /** Change an entry's priority class, e.g. to `emergency` (audited with who and why). */
  setPriority(clinicId: string, input: SetPriorityRequest, opts: CommandOptions = {}): QueueCommandResult {
    return this.command(clinicId, SetPriorityInputSchema, input, (a, c, i) => a.setPriority(c, i), opts);
  }
  endDay(
    clinicId: string,
    input: EndDayRequest = {},
    day?: string | null,
    opts: CommandOptions = {},
  ): QueueCommandResult {
    // the day's summary is over every entry: the one command that loads the whole day
    return this.command(clinicId, EndDayInputSchema, input, (a, c, i) => a.endDay(c, i), {
      ...opts,
      day,
      scope: WHOLE_DAY,
    });
  }
  /** Periodic sweep: saves grace expiries (absent → no_show) even when nobody opens a screen. */
  sweep(clinicId: string, day?: string | null): QueueCommandResult {
    return this.command(clinicId, EndDayInputSchema, {}, (a, c) => a.expireGrace(c), { day });
  }

  addWalkIn(clinicId: string, input: AddWalkInRequest, opts: CommandOptions = {}): QueueCommandResult {
    return this.admit(
      clinicId,
      AddWalkInRequestSchema,
      input,
      (agg, ctx, arrival, p) =>
        agg.addWalkIn(ctx, { ...arrival, ...(p.priority ? { priority: p.priority } : {}) }),
      opts,
    );
  }

  insertEmergency(
    clinicId: string,
    input: InsertEmergencyRequest,
    opts: CommandOptions = {},
  ): QueueCommandResult {
    return this.admit(
      clinicId,
      InsertEmergencyRequestSchema,
      input,
      (agg, ctx, arrival, p) => agg.insertEmergency(ctx, { ...arrival, reason: p.reason }),
      opts,
    );
  }

  // ------------------------------------------------------------------ pause / reopen (issue 17)

  /** Pause calling for one doctor (break, emergency elsewhere); the board and their patients' trackers say so. */
  pauseDesk(clinicId: string, input: DeskPauseRequest): Promise<Result<QueueView, AppError>> {
    return this.control(clinicId, DeskPauseRequestSchema, input, (c, i) =>
      c.setDeskPaused(clinicId, i.practitionerId, true, i.reason ?? null),
    );
  }
  /** Resume calling for a paused doctor. */
  resumeDesk(clinicId: string, input: DeskPauseRequest): Promise<Result<QueueView, AppError>> {
    return this.control(clinicId, DeskPauseRequestSchema, input, (c, i) =>
      c.setDeskPaused(clinicId, i.practitionerId, false, i.reason ?? null),
    );
  }
  /** Stop accepting walk-ins and online joins for the rest of the day (emergencies are always admitted). */
  closeIntake(clinicId: string, input: IntakeRequest = {}): Promise<Result<QueueView, AppError>> {
    return this.control(clinicId, IntakeRequestSchema, input, (c, i) =>
      c.setIntake(clinicId, false, i.reason ?? null),
    );
  }
  /** Accept walk-ins and online joins again. */
  reopenIntake(clinicId: string, input: IntakeRequest = {}): Promise<Result<QueueView, AppError>> {
    return this.control(clinicId, IntakeRequestSchema, input, (c, i) =>
      c.setIntake(clinicId, true, i.reason ?? null),
    );
  }

  private async control<S extends z.ZodMiniType>(
    clinicId: string,
    schema: S,
    input: unknown,
    apply: (
      controls: QueueDayControls,
      input: z.output<S>,
    ) => Promise<Result<{ readonly version: number }, AppError>>,
  ): Promise<Result<QueueView, AppError>> {
    const parsed = schema.safeParse(input);
    if (!parsed.success) return err(invalid(parsed.error));
    const controls = this.deps.dayControls;
    if (controls === undefined) return err(appError(ErrorCodes.INTERNAL, 'Pause / reopen is not wired'));
    const done = await apply(controls, parsed.data);
    if (!done.ok) return done;
    this.deps.logger?.info({ clinicId, actorId: this.actor(), version: done.value.version }, 'day control');
    return this.status(clinicId);
  }

  // ------------------------------------------------------------------ internals

  /** The arrival's patient record (validated phone), created in the same transaction as the step. */
  private async newPatient(p: NewPatientRequest): Promise<Result<NewPatientRecord, AppError>> {
    let phone: string | null = null;
    if (p.phone) {
      // the full parser is loaded on the first phone, not with the desk (issue 14)
      const { PhoneNumber } = await loadPhoneNumber();
      const parsed = PhoneNumber.create(p.phone);
      if (!parsed.ok) return parsed;
      phone = parsed.value.e164;
    }
    return ok({ id: this.ids.next(), fullName: p.patientName, phone, language: p.language ?? null });
  }

  /**
   * A new patient arrives without a booking (walk-in, emergency): validate → a patient record and one entry
   * id → run `decide` with the arrival's common fields (duration from the loaded directory). The patient
   * record travels with the step, so a refused step leaves no patient behind.
   */
  private async admit<S extends z.ZodMiniType<NewPatientRequest>>(
    clinicId: string,
    schema: S,
    input: unknown,
    decide: (
      agg: QueueAggregate,
      ctx: CommandContext,
      arrival: Arrival,
      parsed: z.output<S>,
    ) => CommandResult,
    opts: CommandOptions,
  ): QueueCommandResult {
    const parsed = schema.safeParse(input);
    if (!parsed.success) return err(invalid(parsed.error));
    const p = parsed.data;
    const patient = await this.newPatient(p);
    if (!patient.ok) return patient;
    const entryId = this.ids.next();
    return this.run(
      clinicId,
      (agg, ctx, directory) =>
        decide(
          agg,
          ctx,
          {
            entryId,
            patientId: patient.value.id,
            patientName: p.patientName,
            practitionerId: p.practitionerId ?? null,
            appointmentTypeId: p.appointmentTypeId ?? null,
            expectedDurationMinutes: duration(directory, p.appointmentTypeId ?? null),
          },
          p,
        ),
      { ...opts, newPatients: [patient.value] },
    );
  }

  private command<S extends z.ZodMiniType>(
    clinicId: string,
    schema: S,
    input: unknown,
    decide: (
      agg: QueueAggregate,
      ctx: CommandContext,
      input: z.output<S>,
      directory: QueueDirectory,
    ) => CommandResult,
    opts: RunOptions = {},
  ): QueueCommandResult {
    const parsed = schema.safeParse(input);
    if (!parsed.success) return Promise.resolve(err(invalid(parsed.error)));
    // the entry the command names is loaded whatever its status (a no-show to re-activate, a late return)
    const named = (parsed.data as { entryId?: unknown }).entryId;
    const scope: LoadScope = opts.scope ?? {
      kind: 'active',
      entryIds: typeof named === 'string' ? [named] : [],
    };
    return this.run(clinicId, (agg, ctx, directory) => decide(agg, ctx, parsed.data, directory), {
      ...opts,
      scope,
    });
  }

  /**
   * Loads the queue of `day`, by default the clinic's today as the server says: its clock and its zone data
   * (issue 14: one source of truth for the clinic's clock). The browser's own zone rules may be of another
   * tzdata release (Morocco moved to +00 for good on 2026-09-20 in 2026c+), which would put "today" an hour
   * off around midnight; the commands on today's queue are checked against this same day (`today` in the
   * command context).
   */
  private async load(
    clinicId: string,
    day: string | null | undefined,
    commandId: string | null,
    scope: LoadScope,
  ): Promise<Result<LoadedQueue, AppError>> {
    return this.deps.repo.load(clinicId, day ?? null, commandId, scope);
  }

  /** Keeps the finished entries of what was loaded or decided (see `finished`). */
  private rememberFinished(agg: QueueAggregate): void {
    const id = agg.state.id;
    let known = this.finished.get(id);
    if (known === undefined || agg.wholeDay) {
      if (this.finished.size >= 16) this.finished.clear();
      known = new Map();
      this.finished.set(id, known);
    }
    for (const e of agg.entries()) {
      if (isFinal(e.status)) known.set(e.id, e);
      else known.delete(e.id); // a re-activated no-show is active again
    }
  }

  /** The day as this service knows it: the aggregate's entries and the finished ones it did not load. */
  private dayEntries(agg: QueueAggregate): QueueEntry[] {
    const loaded = agg.entries();
    if (agg.wholeDay) return loaded;
    const known = this.finished.get(agg.state.id);
    if (known === undefined || known.size === 0) return loaded;
    const ids = new Set(loaded.map((e) => e.id));
    return sortInOrder([...loaded, ...[...known.values()].filter((e) => !ids.has(e.id))]);
  }

  private context(correlationId?: string): CommandContext {
    return {
      now: this.clock.now().toISOString(),
      actorId: this.actor(),
      correlationId: correlationId ?? this.ids.next(),
    };
  }

  /** The answer to a command the database already applied: today's queue as it is now, nothing re-published. */
  private async replayed(
    clinicId: string,
    day: string | null | undefined,
    attempt: number,
    scope: LoadScope,
  ): QueueCommandResult {
    const [loaded, { QueueAggregate }] = await Promise.all([
      this.load(clinicId, day, null, scope),
      loadQueueDomain(),
    ]);
    if (!loaded.ok) return loaded;
    const agg = QueueAggregate.load(loaded.value.snapshot);
    this.rememberFinished(agg);
    return ok({
      view: this.view(agg, loaded.value.directory),
      events: [],
      attempts: attempt,
      replayed: true,
    });
  }

  /**
   * load → decide → save (loaded version) → publish; retried on a version conflict. Every run carries one
   * command id (the caller's, else a new one; it is also the events' correlation id): the database applies
   * a command id at most once, so a duplicated or retried command answers with the first result.
   */
  private async run(
    clinicId: string,
    decide: (agg: QueueAggregate, ctx: CommandContext, directory: QueueDirectory) => CommandResult,
    opts: RunOptions = {},
  ): QueueCommandResult {
    if (opts.commandId !== undefined && !CommandIdSchema.safeParse(opts.commandId).success) {
      return err(appError(ErrorCodes.VALIDATION_FAILED, 'A command id must be a UUID'));
    }
    const commandId = opts.commandId ?? this.ids.next();
    const log = this.deps.logger?.child({ clinicId, actorId: this.actor(), correlationId: commandId });
    const turn: TurnState = { queueId: null, served: false, waited: false };
    // attempts() awaits the lazy queue-domain chunk: a failed load (e.g. a deploy removed the old chunk) must not
    // escape as a raw exception nor skip the release below (the claim would hold the day until its lease ran out)
    const result = await this.attempts(clinicId, decide, opts, commandId, turn, log).catch(
      (e: unknown): Awaited<QueueCommandResult> => {
        log?.error({ err: e instanceof Error ? e.name : typeof e }, 'queue command failed unexpectedly');
        return err(appError(ErrorCodes.INTERNAL, 'The queue could not be updated; try again'));
      },
    );
    // a claim ends with its command: a successful save ended it in the database; any other end releases it
    if (turn.queueId !== null && !turn.served) {
      const released = await this.deps.repo.releaseTurn?.(turn.queueId, commandId);
      if (released && !released.ok) log?.warn({ code: released.error.code }, 'queue turn not released');
    }
    return result;
  }

  private async attempts(
    clinicId: string,
    decide: (agg: QueueAggregate, ctx: CommandContext, directory: QueueDirectory) => CommandResult,
    opts: RunOptions,
    commandId: string,
    turn: TurnState,
    log: Logger | undefined,
  ): QueueCommandResult {
    const correlationId = commandId;
    const day = opts.day;
    const scope: LoadScope = opts.scope ?? { kind: 'active', entryIds: [] };
    let lastConflict: AppError | null = null;
    const versions = this.deps.versions;
    versions?.follow(clinicId);
    let conflicts = 0;
    /** A load started together with the claim that found the command's turn (saves one round trip). */
    let preloaded: Promise<Result<LoadedQueue, AppError>> | null = null;
    /** Load + save of the last attempt that loaded on its own: the scale of every pause and poll. */
    let roundTrip = 0;
    const contendedKey = `${clinicId}|${day ?? ''}`;
    // the domain that decides loads beside the first load (issue 14: not with the screen)
    const domain = loadQueueDomain();
    domain.catch(() => {}); // awaited below; a failed load is thrown there, not reported unhandled meanwhile
    const recent = this.contended.get(contendedKey);
    if (recent !== undefined && this.clock.now().getTime() - recent.at < EARLY_TURN_MS) {
      // the queue was contended a moment ago: line up for a turn now (its claim and load go together)
      roundTrip = recent.roundTrip;
      preloaded =
        (
          await this.awaitTurn(
            { queueId: recent.queueId, loadedVersion: recent.version },
            1,
            roundTrip,
            commandId,
            turn,
            log,
            () => this.load(clinicId, day, commandId, scope),
            this.claimAndLoad(clinicId, day, commandId, scope),
          )
        )?.load ?? null;
      turn.waited = false;
    }
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const startedAt = preloaded === null ? this.clock.now().getTime() : null;
      const loaded: Result<LoadedQueue, AppError> = await (preloaded ??
        this.load(clinicId, day, commandId, scope));
      preloaded = null;
      if (!loaded.ok) return loaded;
      if (loaded.value.appliedCommand) {
        log?.info({ attempt, version: loaded.value.appliedCommand.version }, 'queue command already applied');
        return this.replayed(clinicId, day, attempt, scope);
      }
      const { QueueAggregate, undoableStep } = await domain;
      const agg = QueueAggregate.load(loaded.value.snapshot);
      const loadedById = new Map(loaded.value.snapshot.entries.map((e) => [e.id, e]));
      // today's queue (no day asked): the server's today is the day it answered with
      const ctx =
        day == null ? { ...this.context(correlationId), today: agg.state.day } : this.context(correlationId);
      const decided = decide(agg, ctx, loaded.value.directory);
      if (!decided.ok) {
        log?.info({ code: decided.error.code, attempt }, 'queue command refused');
        return decided;
      }
      const events = agg.pendingEvents();
      const entries = agg.pendingChanges();
      const queueState = agg.pendingQueueState();
      if (entries.length === 0 && events.length === 0 && queueState === null) {
        this.rememberFinished(agg);
        return ok({ view: this.view(agg, loaded.value.directory), events: [], attempts: attempt });
      }
      const newEntryIds = entries.filter((e) => !loadedById.has(e.id)).map((e) => e.id);
      const used = new Set(entries.filter((e) => newEntryIds.includes(e.id)).map((e) => e.patientId));
      const saved = await this.deps.repo.save({
        queueId: agg.state.id,
        expectedVersion: agg.loadedVersion,
        entries,
        loaded: new Map(
          entries.flatMap((e) => {
            const before = loadedById.get(e.id);
            return before === undefined ? [] : [[e.id, before] as const];
          }),
        ),
        newEntryIds,
        events,
        queue: queueState,
        commandId,
        newPatients: (opts.newPatients ?? []).filter((p) => used.has(p.id)),
        attempt,
      });
      if (!saved.ok) {
        if (saved.error.code === ErrorCodes.QUEUE_COMMAND_ALREADY_APPLIED) {
          log?.info({ attempt }, 'queue command already applied');
          return this.replayed(clinicId, day, attempt, scope);
        }
        if (saved.error.code === ErrorCodes.QUEUE_VERSION_CONFLICT) {
          lastConflict = saved.error;
          conflicts++;
          if (startedAt !== null) roundTrip = Math.max(0, this.clock.now().getTime() - startedAt);
          this.contended.set(contendedKey, {
            queueId: agg.state.id,
            version: agg.loadedVersion,
            at: this.clock.now().getTime(),
            roundTrip,
          });
          log?.debug({ attempt, conflicts }, 'queue version conflict, reloading');
          if (attempt >= this.maxAttempts) continue;
          // the first attempt and the first retry race as they always did; after the second lost race the
          // command takes a turn (fair order, see awaitTurn)
          const reload = () => this.load(clinicId, day, commandId, scope);
          if (conflicts >= TURN_AFTER_CONFLICTS) {
            preloaded =
              (
                await this.awaitTurn(
                  { queueId: agg.state.id, loadedVersion: agg.loadedVersion },
                  attempt,
                  roundTrip,
                  commandId,
                  turn,
                  log,
                  reload,
                  this.claimAndLoad(clinicId, day, commandId, scope),
                )
              )?.load ?? null;
          }
          if (preloaded === null && !turn.waited) await this.beforeRetry(agg, attempt, roundTrip);
          turn.waited = false;
          continue;
        }
        if (isOutcomeUnknown(saved.error)) {
          // The answer was lost (connection dropped, timeout, 5xx): the step may have committed all the
          // same. Exactly-once: ask the database whether this command id was applied; if it was, answer
          // with it (a lost answer is not a failure, and the caller must not retry or give up on a step
          // that is in the queue); if not, try again with the same id (the database applies it once).
          const check = await this.load(clinicId, day, commandId, scope);
          if (check.ok && check.value.appliedCommand) {
            log?.info({ attempt, code: saved.error.code }, 'queue save answer lost; the command was applied');
            return this.replayed(clinicId, day, attempt, scope);
          }
          if (check.ok && attempt < this.maxAttempts) {
            log?.info({ attempt, code: saved.error.code }, 'queue save answer lost; not applied, retrying');
            preloaded = Promise.resolve(check);
            continue;
          }
        }
        log?.warn({ code: saved.error.code, attempt }, 'queue save failed');
        return saved;
      }
      turn.served = true;
      if (turn.queued) {
        // it waited behind other claims: the queue is as contended as after a lost race (turns only hide
        // the races), so the next command lines up at once too — else every command would lose a race
        // first whenever commands take longer than EARLY_TURN_MS
        this.contended.set(contendedKey, {
          queueId: agg.state.id,
          version: saved.value.version,
          at: this.clock.now().getTime(),
          roundTrip,
        });
      }
      this.rememberFinished(agg);
      const view = this.view(agg, loaded.value.directory, saved.value.version);
      // the stored estimates first: listeners of the events (the "almost your turn" SMS) read them
      await this.storeEstimates(view, day == null);
      for (const event of events) this.deps.bus.publish(event.type, event as never);
      log?.info(
        { attempt, events: events.map((e) => e.type), version: saved.value.version },
        'queue step saved',
      );
      const undoable = undoableStep(correlationId, ctx.now, events, loadedById, entries);
      return ok({ view, events, attempts: attempt, ...(undoable === null ? {} : { undoable }) });
    }
    log?.warn({ attempts: this.maxAttempts }, 'queue version conflict persisted');
    return err(
      appError(ErrorCodes.QUEUE_VERSION_CONFLICT, 'The queue kept changing; try again', {
        attempts: this.maxAttempts,
        last: lastConflict?.message ?? null,
      }),
    );
  }

  /**
   * The pause after a version conflict: jitter scaled to the round trip and to the desks competing; from
   * the second conflict on (with a version watch) the pause ends as soon as the queue's next version is
   * heard, plus a short jitter so the desks that heard it do not all reload in the same instant.
   */
  private async beforeRetry(agg: QueueAggregate, attempt: number, roundTrip: number): Promise<void> {
    const queueId = agg.state.id;
    const loaded = agg.loadedVersion;
    const heard = this.deps.versions?.latest(queueId) ?? null;
    const contenders = heard === null ? null : Math.max(1, heard - loaded);
    const pause = (this.deps.retryDelayMs ?? defaultRetryDelay)(attempt, roundTrip, contenders);
    const versions = this.deps.versions;
    if (versions && attempt >= 2) {
      const next = await versions.next(queueId, Math.max(heard ?? loaded, loaded), pause);
      if (next === null) return; // nothing heard within the pause: it has been waited already
      const spread = Math.min(pause, roundTrip * 0.5 * Math.random());
      if (spread > 0) await sleep(spread);
      return;
    }
    if (pause > 0) await sleep(pause);
  }

  /**
   * Fair turns (issue 12): a command that lost two version races claims a turn on the queue day. The
   * database keeps the claims in arrival order; the oldest one is the turn, and while its claimant has claimed
   * at the queue's current version only its save is accepted. So the command whose turn it is claims and
   * loads together (one round trip), then saves without a race; a desk that lost is served after the desks
   * that lost before it, instead of drawing lots again each round.
   * Waiting in line is not a save attempt. With one claim ahead it wakes on the queue's next version (most
   * likely the one ahead being served) or after about one round trip; further back it polls at a jittered
   * multiple of the round trip (each poll refreshes its claim). It is never woken by every version of a busy
   * day, and nothing is held while it sleeps: the queue is held only between the turn's claim and its save.
   * The wait is bounded (MAX_TURN_WAITS); a claim ahead that is never served expires in the database.
   * Answers the load started with the claim that found the turn, or null (no turn order: retry as before).
   */
  private async awaitTurn(
    at: { readonly queueId: string; readonly loadedVersion: number },
    attempt: number,
    roundTrip: number,
    commandId: string,
    turn: TurnState,
    log: Logger | undefined,
    reload: () => Promise<Result<LoadedQueue, AppError>>,
    claimAndLoad: ((queueId: string) => Promise<Result<TurnCheck, AppError>>) | null = null,
  ): Promise<{ load: Promise<Result<LoadedQueue, AppError>> } | null> {
    const repo = this.deps.repo;
    if (claimAndLoad !== null && isUuidText(commandId))
      return this.handedTurn(at, attempt, roundTrip, turn, log, claimAndLoad);
    if (!repo.claimTurn || !isUuidText(commandId)) return null;
    const queueId = at.queueId;
    const versions = this.deps.versions;
    let ahead: number | null = null;
    let heard = false;
    for (let wait = 0; wait < MAX_TURN_WAITS; wait++) {
      // likely our turn (the first claim, or the one ahead has just saved): load at the same time as the claim
      const loading = ahead === null || heard ? reload() : null;
      const claimed = await repo.claimTurn(queueId, commandId);
      if (!claimed.ok) {
        log?.debug({ code: claimed.error.code }, 'queue turn not claimed');
        return loading === null ? null : { load: loading };
      }
      turn.queueId = queueId;
      ahead = claimed.value;
      if (ahead === 0) return { load: loading ?? reload() };
      turn.waited = true;
      turn.queued = true;
      log?.debug({ attempt, ahead }, 'waiting for the queue turn');
      // the longest poll: well inside the claims' lease (the last one a turn check told, see turnWaits)
      const pause = Math.min(
        turnWaits(this.turnLeaseMs).poll,
        (this.deps.retryDelayMs ?? defaultRetryDelay)(attempt, roundTrip, null) * Math.max(1, ahead - 1),
      );
      if (loading !== null) await loading; // a stale read, not used: let it finish before the next one
      heard = false;
      if (ahead === 1 && versions) {
        const above = Math.max(versions.latest(queueId) ?? at.loadedVersion, at.loadedVersion);
        heard = (await versions.next(queueId, above, pause)) !== null;
      } else if (pause > 0) await sleep(pause);
    }
    return null;
  }

  /** The repository's one-round-trip turn check, for this command's load (null: the repository has none). */
  private claimAndLoad(
    clinicId: string,
    day: string | null | undefined,
    commandId: string,
    scope: LoadScope,
  ): ((queueId: string) => Promise<Result<TurnCheck, AppError>>) | null {
    const repo = this.deps.repo;
    if (!repo.claimTurnAndLoad) return null;
    return (queueId) => repo.claimTurnAndLoad!(queueId, commandId, clinicId, day ?? null, scope);
  }

  /**
   * awaitTurn with a repository that claims and loads in one call (issue 12, session 13). Each check is one
   * round trip: the claim, and the load only when the turn is this command's (nothing is loaded in vain
   * while others are ahead). Hand-off: with k claims ahead at version v, the turn comes when the k commands
   * ahead have saved, so the waiter sleeps until it hears version v + k over the version watch (the save of
   * the one just ahead wakes it at once) — not a poll per version, not a blind pause. A claim ahead that ends
   * without saving is a release: it names the next in line (session 15), who checks at once, while the
   * waiters further back only re-aim at the version their turn now comes at (no round trip). The bounded wait
   * is the last resort (a lost Realtime change) and the claim's refresh; the waiter right behind the turn
   * also wakes when the turn's lease ends, so a dead tab's claim is swept by that check.
   */
  private async handedTurn(
    at: { readonly queueId: string; readonly loadedVersion: number },
    attempt: number,
    roundTrip: number,
    turn: TurnState,
    log: Logger | undefined,
    claimAndLoad: (queueId: string) => Promise<Result<TurnCheck, AppError>>,
  ): Promise<{ load: Promise<Result<LoadedQueue, AppError>> } | null> {
    const queueId = at.queueId;
    const versions = this.deps.versions;
    for (let wait = 0; wait < MAX_TURN_WAITS; wait++) {
      const checked = await claimAndLoad(queueId);
      if (!checked.ok) {
        log?.debug({ code: checked.error.code }, 'queue turn not claimed');
        return null;
      }
      turn.queueId = queueId;
      const { ahead, seenVersion, loaded, seq, leaseMs } = checked.value;
      // the database's lease (its one source, session 18): every wait below derives from it
      if (leaseMs !== undefined) this.turnLeaseMs = leaseMs;
      const waits = turnWaits(this.turnLeaseMs);
      if (ahead === 0 && loaded !== null) return { load: Promise.resolve(ok(loaded)) };
      turn.waited = true;
      turn.queued = true;
      log?.debug({ attempt, ahead }, 'waiting for the queue turn');
      // a claim ahead that ends without a save never brings v + k: its release (counted by the database
      // above the count this check saw) wakes the waiter (session 14) — with the line it carries, only the
      // waiter now first in line checks; the others re-aim at the version their turn now comes at (session 15)
      let releases = checked.value.releases;
      const signal =
        releases !== undefined && versions?.nextTurnSignal ? versions.nextTurnSignal.bind(versions) : null;
      // with the line every claim ahead ends in a signal (a version or a release): the bound is only the last
      // resort (Realtime lost a change) and the claim's refresh — half the lease the database answered, so the
      // wait's own check refreshes its claim long before it could expire; without it the bound is the poll that
      // finds ended claims (a fifth of the lease); the
      // waiter right behind the turn also wakes when the turn's lease ends — a dead tab's claim is swept by
      // that check, and its release moves the line on (session 15)
      const lined = signal !== null && seq !== undefined;
      const headLease = checked.value.headLeaseMs;
      const bound = lined
        ? ahead === 1 && headLease !== undefined
          ? Math.min(waits.lined, headLease + LEASE_END_MARGIN_MS)
          : waits.lined
        : Math.min(
            waits.poll,
            Math.max(
              MIN_TURN_WAIT_MS,
              (this.deps.retryDelayMs ?? defaultRetryDelay)(attempt, roundTrip, null),
            ) *
              (ahead + 1),
          );
      if (!versions) {
        await sleep(bound);
        continue;
      }
      const until = this.clock.now().getTime() + bound;
      let target = seenVersion + ahead;
      let heard = Math.max(versions.latest(queueId) ?? seenVersion, seenVersion);
      while (heard < target) {
        const left = until - this.clock.now().getTime();
        if (left <= 0) break;
        if (signal !== null) {
          const woke = await signal(queueId, heard, releases!, left, seq);
          if (woke === null || woke.kind === 'released') break;
          if (woke.kind === 'moved') {
            // others still ahead: no round trip, the turn now comes with this version
            releases = woke.releases;
            target = woke.target;
            continue;
          }
          heard = Math.max(heard, woke.version);
          continue;
        }
        const next = await versions.next(queueId, heard, left);
        if (next === null) break;
        heard = Math.max(heard, next);
      }
    }
    return null;
  }

  private view(agg: QueueAggregate, directory: QueueDirectory, version?: number): QueueView {
    const now = this.clock.now();
    const pos = agg.positions();
    const state = version === undefined ? agg.state : { ...agg.state, version };
    const ctx = this.waitContexts.get(`${agg.state.clinicId}|${agg.state.day}`) ?? null;
    const entries = this.dayEntries(agg);
    // an aggregate exists, so the domain has loaded
    const domain = loadedQueueDomain()!;
    const waits = waitEstimates(domain, entries, directory, now, agg.state.timeZone, agg.state.day, ctx);
    return {
      waitAccuracy: waitAccuracyOf(domain, ctx),
      queue: state,
      settings: agg.settings,
      directory,
      asOf: now.toISOString(),
      // Object.assign, not `{ ...e, ticket, … }` (issue 12, turn24): on V8 (node 20) a spread of an entry's ~30
      // keys followed by more keys measured ~20 µs per entry — ~6 ms of CPU per view of a 300-entry day, once
      // per command and per screen refresh (the map's own time was the load generator's largest in the storm
      // bench's profile); the same copy with Object.assign ~0.6 ms. Same own keys in the same order, same values
      // (an entry has no `__proto__` key, the one key [[Set]] would treat apart from a spread).
      entries: entries.map((e) =>
        Object.assign({}, e, {
          ticket: `${directory.clinic.ticketPrefix || 'A'}-${String(e.ticketNumber).padStart(3, '0')}`,
          position: pos.get(e.id) ?? null,
          graceRemainingSeconds:
            e.status === 'absent' && e.graceEndsAt !== null
              ? Math.max(0, Math.ceil((new Date(e.graceEndsAt).getTime() - now.getTime()) / 1000))
              : null,
          late:
            e.runningLateAt !== null &&
            (e.status === 'scheduled' || e.status === 'waiting') &&
            (e.runningLateMinutes == null ||
              new Date(e.runningLateAt).getTime() + e.runningLateMinutes * 60_000 > now.getTime()),
          wait: waits.get(e.id) ?? null,
        }),
      ),
    };
  }
}

/** Jitter scaled to the observed round trip and the competing desks (see QueueServiceDeps.retryDelayMs). */
export const defaultRetryDelay = (
  attempt: number,
  roundTripMs: number,
  contenders: number | null = null,
): number => roundTripMs * (0.25 + 0.75 * Math.random()) * Math.min(contenders ?? attempt, 2);

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The command's claim on a queue day's turn order (issue 12), once it has one. */
interface TurnState {
  queueId: string | null;
  /** Its save succeeded: save_queue_step ended the claim in the same transaction. */
  served: boolean;
  /** The last turn check waited in line already (no further retry pause before the next attempt). */
  waited: boolean;
  /** Some turn check found claims ahead: the queue is still contended, though no race was lost. */
  queued?: boolean;
}

/** Lost races after which a command takes a turn: the first attempt and the first retry never claim. */
const TURN_AFTER_CONFLICTS = 2;
/** A command that starts this soon after a lost race on its queue day takes a turn before its first attempt. */
const EARLY_TURN_MS = 3_000;
/** Turn checks while other desks' claims are ahead, per lost round (each one waits for a save or a poll). */
const MAX_TURN_WAITS = 60;
/** The shortest bound of a hand-off wait per claim ahead (before any round trip was measured). */
const MIN_TURN_WAIT_MS = 50;
/** After the turn's lease ends, the check that sweeps it comes this much later (the database's clock rules). */
const LEASE_END_MARGIN_MS = 50;

const isUuidText = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

/** The type's duration; without a type the shortest active one, else 15 min (as the database's type_duration). */
const duration = (directory: QueueDirectory, typeId: string | null): number => {
  const typed = directory.appointmentTypes.find((t) => t.id === typeId)?.durationMinutes;
  if (typed !== undefined) return typed;
  return defaultVisitMinutes(directory.appointmentTypes);
};

interface WaitContext {
  readonly sessions: ReadonlyMap<string, readonly DaySession[]>;
  readonly clinicSessions: readonly DaySession[] | null;
  readonly history: readonly HistoryVisit[];
  readonly shown: ShownAccuracy | null;
  /** Learned from `history` on first use (the earlier days do not change during the day). */
  past: PastProfile | null;
}

/**
 * The shown estimates' accuracy when the database says they stand for the clinic's (`source`, the same rule
 * as the tracker's "± N min": enough judged in the week), else the replay's (null: neither). Before session
 * 16 the dashboard took them from one judged estimate on and the tracker from 20: two figures for 1–19.
 */
const waitAccuracyOf = ({ accuracyOverview }: QueueDomain, ctx: WaitContext | null): WaitAccuracy | null => {
  if (ctx?.shown?.source === 'shown') {
    const { yesterday, week } = ctx.shown;
    return { yesterday, week, source: 'shown' };
  }
  return ctx?.past ? { ...accuracyOverview(ctx.past), source: 'replay' } : null;
};

/**
 * Wait estimates of the waiting entries, by the one estimator (models/WaitEstimator via
 * QueueWaitEstimates). Practitioners: the active members with the practitioner role and the active owners
 * who have their own hours (feat21b; a clinic without any — e.g. a solo doctor who is its owner without hours —
 * counts its active owners/admins), each with today's
 * sessions and the patient they are serving; history: the earlier days from the wait context, plus
 * today's completed visits.
 */
function waitEstimates(
  { learnPastProfile, estimateQueueWaits }: QueueDomain,
  ordered: readonly QueueEntry[],
  directory: QueueDirectory,
  now: Date,
  timeZone: string,
  day: string,
  ctx: WaitContext | null,
): Map<string, WaitEstimate> {
  const active = directory.members.filter((m) => m.active);
  // feat21b: an owner who has their own hours (practitioner_hours: listed in the day's sessions) sees patients and
  // serves beside the practitioners; an owner without hours manages, and counts only where no one else serves
  const doctors = active.filter(
    (m) => m.role === 'practitioner' || (m.role === 'owner' && ctx?.sessions.has(m.id) === true),
  );
  // a doctor listed with no session today (on leave, or off by their own hours: hours19) serves no one today
  const serving = (
    doctors.length > 0 ? doctors : active.filter((m) => m.role === 'owner' || m.role === 'admin')
  ).filter((m) => ctx?.sessions.get(m.id)?.length !== 0);
  const input = {
    now: now.toISOString(),
    timeZone,
    entries: ordered,
    practitioners: serving.map((m) => ({
      id: m.id,
      sessions: ctx?.sessions.get(m.id) ?? ctx?.clinicSessions ?? [],
    })),
    appointmentTypes: directory.appointmentTypes.map((t) => ({ id: t.id, minutes: t.durationMinutes })),
    pastHistory: ctx?.history ?? [],
  };
  if (ctx !== null && ctx.past === null) {
    // learned once per clinic day, also when nobody waits (the accuracy overview needs it)
    ctx.past = learnPastProfile({
      ...input,
      entries: [],
      practitioners: input.practitioners.map((p) => ({ ...p, serving: null })),
      history: ctx.history,
    });
  }
  if (!ordered.some((e) => e.status === 'waiting')) return new Map();
  return estimateQueueWaits({ ...input, past: ctx?.past ?? undefined }, day);
}

/** The domain entry behind a shown one (the view's own fields dropped). */
function entryOf(e: QueueEntryView): QueueEntry {
  const {
    ticket: _ticket,
    position: _position,
    graceRemainingSeconds: _grace,
    late: _late,
    wait: _wait,
    ...entry
  } = e;
  return entry;
}

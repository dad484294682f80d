/**
 * The in-memory fake of `QueueRepository`. Trusted only because it passes the same contract suite as the
 * Supabase adapter (test/contracts/queueRepositoryContract.ts): optimistic version check, atomic step,
 * status-diagram guard, closed day, ticket uniqueness, event log.
 */
import { DateTime } from 'luxon';
import { appError, ErrorCodes, type AppError } from '../../shared/AppError';
import type { Clock } from '../../shared/Clock';
import { runtimeZoneRules, type ZoneRules } from '../../shared/ZoneRules';
import { err, ok, type Result } from '../../shared/Result';
import { phoneCountryNotAllowed, smsCountryAllowed } from '../../shared/smsCountries';
import { DEFAULT_CLINIC_SETTINGS, type ClinicSettings } from '../../clinic/api';
import type { QueueEntry, QueueState } from '../api';
import { countsAsWalkIn } from '../models/QueueAggregate';
import { canTransition, isFinal } from '../models/QueueEntry';
import { UNDO_REASON, UNDO_WINDOW_SECONDS, UNDOABLE_ACTIONS } from '../models/UndoStep';
import type { QueueChange, TurnReleaseChange } from './QueueChangeFeed';
import type {
  LoadedQueue,
  LoadScope,
  NewWalkInPatient,
  QueueDayControls,
  QueueDirectory,
  QueueRepository,
  QueueStep,
  StoredQueueEvent,
  TurnCheck,
} from './QueueRepository';

export interface FakeClinic {
  readonly id: string;
  readonly name?: string;
  readonly slug?: string;
  readonly timeZone?: string;
  readonly settings?: Partial<ClinicSettings>;
  readonly defaultLanguage?: 'ar' | 'fr' | 'en';
  readonly ticketPrefix?: string;
  readonly members?: QueueDirectory['members'];
  readonly appointmentTypes?: QueueDirectory['appointmentTypes'];
}

interface StoredQueue {
  state: QueueState;
  entries: Map<string, QueueEntry>;
  /** Applied command id → the version it produced (exactly-once commands). */
  commands: Map<string, number>;
}

const clone = <T>(v: T): T => structuredClone(v);
/** A claim's lifetime past its last refresh by default (private.queue_turn_settings.lease_ms). */
const TURN_LIFETIME_MS = 10_000;
const fail = (code: AppError['code'], message: string): Result<never, AppError> =>
  err(appError(code, message));

export class InMemoryQueueRepository implements QueueRepository, QueueDayControls {
  private readonly clinics = new Map<string, Required<FakeClinic>>();
  private readonly queues = new Map<string, StoredQueue>();
  private readonly patients = new Map<string, { clinicId: string } & NewWalkInPatient>();
  private readonly log: StoredQueueEvent[] = [];
  private seq = 0;
  /** Number of save calls (tests of the retry loop look at it). */
  saves = 0;
  /** The scope of every load, in order (tests of what a command loads look at it). */
  readonly loads: LoadScope[] = [];
  /** Test hook: runs before each save is applied (e.g. to simulate another client's concurrent step). */
  beforeSave: ((step: QueueStep) => void | Promise<void>) | null = null;
  /** Called after each successful save (the in-memory realtime feed listens here). */
  onSaved: ((change: QueueChange) => void) | null = null;
  /** Called when a turn claim ends without a save (public.queue_turn_releases; the in-memory feed listens). */
  onTurnReleased: ((change: TurnReleaseChange) => void) | null = null;
  /** Per queue: claims that ended without a save (as public.queue_turn_releases counts them). */
  private readonly releaseCounts = new Map<string, number>();

  /**
   * Fair turns as the database keeps them (private.queue_turns, issue 12), once `enableTurns()` was called:
   * claims in arrival order; the oldest live one holds its queue at the version it last claimed at; a claim
   * lives TURN_LIFETIME_MS past its last refresh by this repository's clock. Off by default (the service
   * tests of the retry loop script their own turns).
   */
  private turns:
    | {
        queueId: string;
        commandId: string;
        actor: string | null;
        seen: number;
        expires: number;
        /** Arrival number (private.queue_turns.seq): never reused, kept by refreshes. */
        seq: number;
      }[]
    | null = null;
  private turnSeq = 0;
  /** The claims' lease (private.queue_turn_settings.lease_ms; a test may change it as an operator would). */
  turnLeaseMs = TURN_LIFETIME_MS;
  /**
   * Places of claims swept after their lease ran out, by queue|command (private.queue_turn_lapses, session 17):
   * the same command of the same actor claiming again within one more lease gets its arrival number back.
   */
  private readonly lapses = new Map<string, { actor: string | null; seq: number; expired: number }>();
  claimTurn?: QueueRepository['claimTurn'];
  claimTurnAndLoad?: QueueRepository['claimTurnAndLoad'];
  releaseTurn?: QueueRepository['releaseTurn'];

  constructor(
    private readonly clock: Clock,
    private readonly zones: ZoneRules = runtimeZoneRules,
  ) {}

  /** Turns on the turn order (claimTurn, claimTurnAndLoad, releaseTurn and the save's refusal). */
  enableTurns(): this {
    this.turns = [];
    this.claimTurn = (queueId, commandId) => Promise.resolve(this.claim(queueId, commandId));
    this.claimTurnAndLoad = async (queueId, commandId, clinicId, day, scope) => {
      const q = [...this.queues.values()].find((x) => x.state.id === queueId);
      if (q?.commands.has(commandId)) {
        // already applied: no claim, no waiting in line — the load says so (appliedCommand)
        const loaded = await this.load(clinicId, day, commandId, scope);
        if (!loaded.ok) return loaded;
        return ok<TurnCheck>({
          ahead: 0,
          seenVersion: q.state.version,
          loaded: loaded.value,
          releases: this.releaseCounts.get(queueId) ?? 0,
          leaseMs: this.turnLeaseMs,
        });
      }
      // leases that ran out ended without a save: swept and counted (they wake the waiters behind them)
      const now = this.clock.now().getTime();
      const expired = (this.turns ?? []).filter((t) => t.queueId === queueId && t.expires <= now);
      if (expired.length > 0) {
        this.turns = (this.turns ?? []).filter((t) => !expired.includes(t));
        this.rememberLapses(expired);
        this.countReleases(queueId, expired.length);
      }
      // the count before the claim, as the database reads it (a lapsed claim's return is counted after it)
      const releases = this.releaseCounts.get(queueId) ?? 0;
      const claimed = this.claim(queueId, commandId);
      if (!claimed.ok) return claimed;
      const mine = this.turns?.find((t) => t.queueId === queueId && t.commandId === commandId);
      const seen = mine?.seen ?? 0;
      const leaseMs = this.turnLeaseMs;
      const seq = mine?.seq ?? 0;
      if (claimed.value > 0) {
        const head = this.liveTurns(queueId)[0];
        const headLeaseMs = Math.max(0, (head?.expires ?? now) - now);
        return ok<TurnCheck>({
          ahead: claimed.value,
          seenVersion: seen,
          loaded: null,
          releases,
          seq,
          headLeaseMs,
          leaseMs,
        });
      }
      const loaded = await this.load(clinicId, day, commandId, scope);
      if (!loaded.ok) return loaded;
      if (loaded.value.snapshot.queue.id !== queueId) return fail(ErrorCodes.NOT_FOUND, 'queue not found');
      return ok<TurnCheck>({ ahead: 0, seenVersion: seen, loaded: loaded.value, releases, seq, leaseMs });
    };
    this.releaseTurn = (queueId, commandId) => {
      const before = (this.turns ?? []).length;
      this.turns = (this.turns ?? []).filter(
        (t) => !(t.queueId === queueId && t.commandId === commandId && t.actor === this.actorId),
      );
      const ended = before - this.turns.length;
      if (ended > 0) this.countReleases(queueId, ended);
      return Promise.resolve(ok(undefined));
    };
    return this;
  }

  /** The clinic a stored queue belongs to (null: none), for the in-memory feed's routing. */
  clinicOfQueue(queueId: string): string | null {
    return [...this.queues.values()].find((q) => q.state.id === queueId)?.state.clinicId ?? null;
  }

  private countReleases(queueId: string, n: number): void {
    const releases = (this.releaseCounts.get(queueId) ?? 0) + n;
    this.releaseCounts.set(queueId, releases);
    // the line after the change, as private.count_turn_releases writes it (session 15)
    const line = this.liveTurns(queueId).map((t) => t.seq);
    const lineVersion = [...this.queues.values()].find((q) => q.state.id === queueId)?.state.version ?? null;
    this.onTurnReleased?.({ queueId, releases, line, lineVersion });
  }

  /** Claims that ended past their lease (and whose command was not applied) keep their place a lease longer. */
  private rememberLapses(
    ended: readonly {
      queueId: string;
      commandId: string;
      actor: string | null;
      expires: number;
      seq: number;
    }[],
  ): void {
    const now = this.clock.now().getTime();
    for (const t of ended) {
      const applied = [...this.queues.values()].some(
        (q) => q.state.id === t.queueId && q.commands.has(t.commandId),
      );
      if (t.expires <= now && !applied)
        this.lapses.set(`${t.queueId}|${t.commandId}`, { actor: t.actor, seq: t.seq, expired: t.expires });
    }
  }

  private liveTurns(queueId: string) {
    const now = this.clock.now().getTime();
    return (this.turns ?? []).filter((t) => t.queueId === queueId && t.expires > now);
  }

  private claim(queueId: string, commandId: string): Result<number, AppError> {
    const q = [...this.queues.values()].find((x) => x.state.id === queueId);
    if (!q || this.turns === null) return fail(ErrorCodes.NOT_FOUND, 'queue not found');
    const expires = this.clock.now().getTime() + this.turnLeaseMs;
    const mine = this.turns.find((t) => t.queueId === queueId && t.commandId === commandId);
    if (mine && mine.actor !== this.actorId)
      return fail(ErrorCodes.QUEUE_VERSION_CONFLICT, 'this command id is claimed by someone else');
    const now = this.clock.now().getTime();
    const lapse = this.lapses.get(`${queueId}|${commandId}`);
    const back =
      lapse && lapse.actor === this.actorId && now < lapse.expired + this.turnLeaseMs ? lapse : undefined;
    if (back) this.lapses.delete(`${queueId}|${commandId}`);
    if (mine) Object.assign(mine, { seen: q.state.version, expires });
    else {
      // a lapsed claim of this command comes back at its old place (session 17)
      this.turns.push({
        queueId,
        commandId,
        actor: this.actorId,
        seen: q.state.version,
        expires,
        seq: back?.seq ?? ++this.turnSeq,
      });
      this.turns.sort((a, b) => a.seq - b.seq);
      // its return changes the line: counted and broadcast as a release is, so the waiters behind re-aim
      if (back) this.countReleases(queueId, 1);
    }
    const live = this.liveTurns(queueId);
    const at = this.turns.findIndex((t) => t.queueId === queueId && t.commandId === commandId);
    return ok(live.filter((t) => this.turns!.indexOf(t) < at).length);
  }

  addClinic(c: FakeClinic): void {
    this.clinics.set(c.id, {
      name: 'Clinic',
      slug: c.id,
      timeZone: 'Africa/Casablanca',
      settings: {},
      defaultLanguage: 'fr',
      ticketPrefix: 'A',
      members: [],
      appointmentTypes: [],
      ...c,
    });
  }

  addPatient(clinicId: string, patientId: string, p: Partial<NewWalkInPatient> = {}): void {
    this.patients.set(patientId, {
      clinicId,
      fullName: p.fullName ?? 'Patient',
      phone: p.phone ?? null,
      language: p.language ?? null,
    });
  }

  /** Ids of every patient record of the fake (tests check that refused steps leave none behind). */
  patientIds(): string[] {
    return [...this.patients.keys()];
  }

  patientName(patientId: string): string | null {
    return this.patients.get(patientId)?.fullName ?? null;
  }

  /** The phone stored on a patient record (E.164 or null), as the database column would hold it. */
  patientPhone(patientId: string): string | null {
    return this.patients.get(patientId)?.phone ?? null;
  }

  async load(
    clinicId: string,
    day?: string | null,
    commandId?: string | null,
    scope: LoadScope = { kind: 'day' },
  ): Promise<Result<LoadedQueue, AppError>> {
    this.loads.push(scope);
    const c = this.clinics.get(clinicId);
    if (!c) return fail(ErrorCodes.NOT_FOUND, 'clinic not found');
    const d = day ?? DateTime.fromJSDate(this.clock.now(), { zone: this.zones(c.timeZone) }).toISODate();
    if (d === null) return fail(ErrorCodes.TIMEZONE_INVALID, 'bad time zone');
    const key = `${clinicId}/${d}`;
    let q = this.queues.get(key);
    if (!q) {
      q = {
        state: {
          id: globalThis.crypto.randomUUID(),
          clinicId,
          day: d,
          timeZone: c.timeZone,
          version: 0,
          status: 'open',
          closedAt: null,
          summary: null,
          pausedPractitionerIds: [],
          intakeClosedAt: null,
        },
        entries: new Map(),
        commands: new Map(),
      };
      this.queues.set(key, q);
    }
    const settings: ClinicSettings = { ...DEFAULT_CLINIC_SETTINGS, ...c.settings };
    const applied = commandId ? q.commands.get(commandId) : undefined;
    const all = [...q.entries.values()].sort((a, b) => a.ticketNumber - b.ticketNumber);
    const named = new Set(scope.kind === 'active' ? scope.entryIds : []);
    return ok({
      appliedCommand: applied === undefined ? null : { version: applied },
      snapshot: clone({
        queue: q.state,
        entries: scope.kind === 'day' ? all : all.filter((e) => !isFinal(e.status) || named.has(e.id)),
        settings,
        ticketPrefix: c.ticketPrefix,
        ...(scope.kind === 'day'
          ? {}
          : {
              dayCounts: {
                walkIns: all.filter(countsAsWalkIn).length,
                lastTicket: all.reduce((m, e) => Math.max(m, e.ticketNumber), 0),
              },
            }),
      }),
      directory: clone({
        clinic: {
          id: c.id,
          name: c.name,
          slug: c.slug,
          defaultLanguage: c.defaultLanguage,
          ticketPrefix: c.ticketPrefix,
        },
        members: c.members,
        appointmentTypes: c.appointmentTypes,
      }),
    });
  }

  /** The database's undo checks (private.verify_undo, issue 17), by this repository's clock. */
  private undoRefusal(queueId: string, step: QueueStep): AppError | null {
    for (const ev of step.events) {
      if (ev.type !== 'StepUndone') continue;
      const undoes = ev.payload.undoes;
      if (ev.payload.reason !== UNDO_REASON)
        return appError(ErrorCodes.QUEUE_REASON_REQUIRED, 'an undo is recorded with the reason undo');
      const done = this.log.filter((x) => x.queueId === queueId && x.correlationId === undoes);
      const types = new Set(done.map((x) => x.type));
      if (
        done.length === 0 ||
        !UNDOABLE_ACTIONS.some((t) => types.has(t)) ||
        [...types].some((t) => !UNDOABLE_WITH.has(t)) ||
        !done.some((x) => x.entryId === ev.entryId && x.type !== 'GraceExpired')
      )
        return appError(ErrorCodes.QUEUE_UNDO_NOT_UNDOABLE, 'only a call, an absence, a finish or a move');
      if (done.some((x) => x.actorId !== ev.actorId))
        return appError(ErrorCodes.QUEUE_UNDO_REFUSED, 'only the desk that made a step can undo it');
      const at = Math.max(...done.map((x) => new Date(x.occurredAt).getTime()));
      if (at < this.clock.now().getTime() - UNDO_WINDOW_SECONDS * 1000)
        return appError(ErrorCodes.QUEUE_UNDO_EXPIRED, `only the last ${UNDO_WINDOW_SECONDS} seconds`);
      if (
        this.log.some((x) => x.queueId === queueId && x.type === 'StepUndone' && x.payload.undoes === undoes)
      )
        return appError(ErrorCodes.QUEUE_UNDO_REFUSED, 'this step was undone already');
      const last = Math.max(...done.map((x) => x.id));
      if (this.log.some((x) => x.queueId === queueId && x.entryId === ev.entryId && x.id > last))
        return appError(ErrorCodes.QUEUE_UNDO_ENTRY_CHANGED, 'the entry changed since the step');
    }
    return null;
  }

  async save(step: QueueStep): Promise<Result<{ readonly version: number }, AppError>> {
    this.saves += 1;
    if (this.beforeSave) await this.beforeSave(step);
    const q = [...this.queues.values()].find((x) => x.state.id === step.queueId);
    if (!q) return fail(ErrorCodes.NOT_FOUND, 'queue not found');
    const applied = step.commandId ? q.commands.get(step.commandId) : undefined;
    if (applied !== undefined) {
      return fail(
        ErrorCodes.QUEUE_COMMAND_ALREADY_APPLIED,
        `command ${step.commandId} was applied at version ${applied}`,
      );
    }
    if (q.state.version !== step.expectedVersion) {
      return fail(
        ErrorCodes.QUEUE_VERSION_CONFLICT,
        `queue is at version ${q.state.version}, not ${step.expectedVersion}`,
      );
    }
    const holder = this.liveTurns(q.state.id)[0];
    if (holder !== undefined && holder.seen === q.state.version && holder.commandId !== step.commandId)
      return fail(ErrorCodes.QUEUE_VERSION_CONFLICT, 'turn of an earlier command: reload and try again');
    if (q.state.status === 'closed' && step.queue?.status !== 'open')
      return fail(ErrorCodes.QUEUE_CLOSED, 'the day is closed');
    // validate everything first: the step is all or nothing
    const newPatients = new Map<string, { clinicId: string } & NewWalkInPatient>();
    for (const p of step.newPatients ?? []) {
      const name = p.fullName.trim();
      if (name.length < 1 || name.length > 200 || this.patients.has(p.id) || newPatients.has(p.id))
        return fail(ErrorCodes.VALIDATION_FAILED, 'a new patient needs a fresh id and a name');
      // the database's patients_phone_country trigger (sec22a)
      if (p.phone !== null && !smsCountryAllowed(p.phone)) return err(phoneCountryNotAllowed());
      newPatients.set(p.id, {
        clinicId: q.state.clinicId,
        fullName: name,
        phone: p.phone,
        language: p.language,
      });
    }
    const refused = this.undoRefusal(q.state.id, step);
    if (refused !== null) return err(refused);
    const undone = new Set(step.events.filter((ev) => ev.type === 'StepUndone').map((ev) => ev.entryId));
    const next = new Map(q.entries);
    for (const e of step.entries) {
      const old = next.get(e.id);
      if (old) {
        if (old.patientId !== e.patientId || old.ticketNumber !== e.ticketNumber || old.kind !== e.kind) {
          return fail(ErrorCodes.VALIDATION_FAILED, 'identity columns of a visit cannot change');
        }
        if (
          old.status !== e.status &&
          !canTransition(old.status, e.status) &&
          !(undone.has(e.id) && UNDO_MOVES.has(`${old.status}>${e.status}`))
        ) {
          return fail(
            ErrorCodes.QUEUE_ILLEGAL_TRANSITION,
            `${old.status} -> ${e.status} is not an allowed move`,
          );
        }
        if (
          e.status === 'called' &&
          old.status !== 'called' &&
          e.priority !== 'emergency' &&
          e.servedBy !== null &&
          (q.state.pausedPractitionerIds ?? []).includes(e.servedBy)
        )
          return fail(ErrorCodes.QUEUE_DESK_PAUSED, 'calling is paused for this doctor');
        if (old.practitionerId !== e.practitionerId) {
          // transfer (issue 17), as the database's queue_entries_transfer_target trigger checks it
          if ((old.status === 'called' || old.status === 'in_service') && e.status === old.status)
            return fail(ErrorCodes.QUEUE_ILLEGAL_TRANSITION, 'a patient at a desk cannot be transferred');
          const clinic = this.clinics.get(q.state.clinicId);
          const target = clinic?.members.find((m) => m.id === e.practitionerId);
          if (
            e.practitionerId !== null &&
            (!target || !target.active || (target.role !== 'practitioner' && target.role !== 'owner'))
          )
            return fail(ErrorCodes.VALIDATION_FAILED, 'transfer to an active practitioner of this clinic');
        }
      } else {
        if ([...this.queues.values()].some((x) => x !== q && x.entries.has(e.id))) {
          return fail(ErrorCodes.QUEUE_ENTRY_NOT_FOUND, 'entry is not in this queue');
        }
        const p =
          e.patientId === null ? undefined : (this.patients.get(e.patientId) ?? newPatients.get(e.patientId));
        if (!p || p.clinicId !== q.state.clinicId)
          return fail(ErrorCodes.NOT_FOUND, 'patient not found in this clinic');
        if (q.state.intakeClosedAt && e.priority !== 'emergency')
          return fail(ErrorCodes.QUEUE_INTAKE_CLOSED, 'the queue takes no new patients today');
        if ([...next.values()].some((x) => x.ticketNumber === e.ticketNumber)) {
          return fail(ErrorCodes.QUEUE_DUPLICATE_ENTRY, 'ticket number taken');
        }
      }
      next.set(e.id, clone(e));
    }
    for (const ev of step.events) {
      if (ev.entryId !== null && !next.has(ev.entryId))
        return fail(ErrorCodes.QUEUE_ENTRY_NOT_FOUND, 'event entry is not in this queue');
    }
    const now = this.clock.now().toISOString();
    for (const [id, p] of newPatients) this.patients.set(id, p);
    q.entries = next;
    for (const ev of step.events) {
      this.log.push({
        id: ++this.seq,
        queueId: q.state.id,
        entryId: ev.entryId,
        type: ev.type,
        payload: clone(ev.payload as unknown as Record<string, unknown>),
        actorId: ev.actorId,
        correlationId: ev.correlationId,
        occurredAt: now,
      });
    }
    const status = step.queue?.status ?? q.state.status;
    q.state = {
      ...q.state,
      version: q.state.version + 1,
      status,
      closedAt: step.queue ? (status === 'closed' ? now : null) : q.state.closedAt,
      summary: step.queue ? clone(step.queue.summary) : q.state.summary,
    };
    if (step.commandId) q.commands.set(step.commandId, q.state.version);
    if (this.turns !== null) {
      // served: its claim ends; expired claims are swept on the way
      const at = this.clock.now().getTime();
      const ended = (t: { queueId: string; commandId: string; expires: number }) =>
        t.queueId === q.state.id && (t.commandId === step.commandId || t.expires <= at);
      this.rememberLapses(this.turns.filter(ended));
      this.turns = this.turns.filter((t) => !ended(t));
    }
    this.onSaved?.({
      clinicId: q.state.clinicId,
      queueId: q.state.id,
      day: q.state.day,
      version: q.state.version,
    });
    return ok({ version: q.state.version });
  }

  async setDeskPaused(
    clinicId: string,
    practitionerId: string,
    paused: boolean,
    reason: string | null,
  ): Promise<Result<{ readonly version: number }, AppError>> {
    const today = await this.todayOf(clinicId);
    if (!today.ok) return today;
    const q = today.value;
    const c = this.clinics.get(clinicId);
    const m = c?.members.find((x) => x.id === practitionerId);
    if (!m || !m.active || (m.role !== 'practitioner' && m.role !== 'owner'))
      return fail(ErrorCodes.NOT_FOUND, 'no such doctor in this clinic');
    const current = q.state.pausedPractitionerIds ?? [];
    if (current.includes(practitionerId) === paused)
      return fail(ErrorCodes.QUEUE_ILLEGAL_TRANSITION, paused ? 'already paused' : 'not paused');
    return this.control(
      q,
      paused ? 'DeskPaused' : 'DeskResumed',
      { practitionerId, reason },
      {
        pausedPractitionerIds: paused
          ? [...current, practitionerId]
          : current.filter((x) => x !== practitionerId),
      },
    );
  }

  async setIntake(
    clinicId: string,
    open: boolean,
    reason: string | null,
  ): Promise<Result<{ readonly version: number }, AppError>> {
    const today = await this.todayOf(clinicId);
    if (!today.ok) return today;
    const q = today.value;
    const isOpen = (q.state.intakeClosedAt ?? null) === null;
    if (isOpen === open)
      return fail(ErrorCodes.QUEUE_ILLEGAL_TRANSITION, open ? 'already open' : 'already closed');
    return this.control(
      q,
      open ? 'IntakeReopened' : 'IntakeClosed',
      { reason },
      {
        intakeClosedAt: open ? null : this.clock.now().toISOString(),
      },
    );
  }

  /** Today's stored queue of a clinic (created on first use), open. */
  private async todayOf(clinicId: string): Promise<Result<StoredQueue, AppError>> {
    const loaded = await this.load(clinicId);
    if (!loaded.ok) return loaded;
    const q = [...this.queues.values()].find((x) => x.state.id === loaded.value.snapshot.queue.id);
    if (!q) return fail(ErrorCodes.NOT_FOUND, 'queue not found');
    if (q.state.status === 'closed') return fail(ErrorCodes.QUEUE_CLOSED, 'the day is closed');
    return ok(q);
  }

  /** A pause / reopen: the queue row changes, its version moves, the event log says who and why. */
  private control(
    q: StoredQueue,
    type: string,
    payload: Record<string, unknown>,
    patch: Partial<QueueState>,
  ): Result<{ readonly version: number }, AppError> {
    q.state = { ...q.state, ...patch, version: q.state.version + 1 };
    this.log.push({
      id: ++this.seq,
      queueId: q.state.id,
      entryId: null,
      type,
      payload: { ...payload },
      actorId: this.actorId,
      correlationId: null,
      occurredAt: this.clock.now().toISOString(),
    });
    this.onSaved?.({
      clinicId: q.state.clinicId,
      queueId: q.state.id,
      day: q.state.day,
      version: q.state.version,
    });
    return ok({ version: q.state.version });
  }

  /** Who the fake's control events name as actor (the database takes it from the JWT). */
  actorId: string | null = null;

  async createWalkInPatient(
    clinicId: string,
    patient: NewWalkInPatient,
  ): Promise<Result<{ readonly patientId: string }, AppError>> {
    if (!this.clinics.has(clinicId)) return fail(ErrorCodes.NOT_FOUND, 'clinic not found');
    const name = patient.fullName.trim();
    if (name.length < 1 || name.length > 200)
      return fail(ErrorCodes.VALIDATION_FAILED, 'a name (1-200 characters) is required');
    // the database's check constraint; callers validate phones (PhoneNumber) first, so this is a bug
    if (patient.phone !== null && !/^\+[1-9][0-9]{6,14}$/.test(patient.phone))
      return fail(ErrorCodes.VALIDATION_FAILED, 'phone is not E.164');
    // the database's patients_phone_country trigger (sec22a)
    if (patient.phone !== null && !smsCountryAllowed(patient.phone)) return err(phoneCountryNotAllowed());
    const patientId = globalThis.crypto.randomUUID();
    this.patients.set(patientId, { clinicId, ...patient, fullName: name });
    return ok({ patientId });
  }

  async events(queueId: string): Promise<Result<readonly StoredQueueEvent[], AppError>> {
    return ok(clone(this.log.filter((e) => e.queueId === queueId)));
  }
}

/** The inverse moves an undo may make (private.undo_transition_allowed). */
const UNDO_MOVES = new Set([
  'called>waiting',
  'absent>waiting',
  'absent>called',
  'completed>in_service',
  'completed>called',
]);
const UNDOABLE_WITH = new Set<string>([
  ...UNDOABLE_ACTIONS,
  'PatientPassedOver',
  'PatientOvertaken',
  'LatePatientHeld',
  'GraceExpired',
]);

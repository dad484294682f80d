/**
 * The in-memory fake of `QueueRepository`. Trusted only because it passes the same contract suite as the
 * Supabase adapter (test/contracts/queueRepositoryContract.ts): optimistic version check, atomic step,
 * status-diagram guard, closed day, ticket uniqueness, event log.
 */
import { DateTime } from 'luxon';
import { appError, ErrorCodes, type AppError } from '../../shared/AppError';
import type { Clock } from '../../shared/Clock';
import { err, ok, type Result } from '../../shared/Result';
import { DEFAULT_CLINIC_SETTINGS, type ClinicSettings } from '../../clinic/api';
import type { QueueEntry, QueueState } from '../api';
import { countsAsWalkIn } from '../models/QueueAggregate';
import { canTransition, isFinal } from '../models/QueueEntry';
import type { QueueChange } from './QueueChangeFeed';
import type {
  LoadedQueue,
  LoadScope,
  NewWalkInPatient,
  QueueDirectory,
  QueueRepository,
  QueueStep,
  StoredQueueEvent,
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
const fail = (code: AppError['code'], message: string): Result<never, AppError> =>
  err(appError(code, message));

export class InMemoryQueueRepository implements QueueRepository {
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

  constructor(private readonly clock: Clock) {}

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

  async load(
    clinicId: string,
    day?: string | null,
    commandId?: string | null,
    scope: LoadScope = { kind: 'day' },
  ): Promise<Result<LoadedQueue, AppError>> {
    this.loads.push(scope);
    const c = this.clinics.get(clinicId);
    if (!c) return fail(ErrorCodes.NOT_FOUND, 'clinic not found');
    const d = day ?? DateTime.fromJSDate(this.clock.now(), { zone: c.timeZone }).toISODate();
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
    if (q.state.status === 'closed' && step.queue?.status !== 'open')
      return fail(ErrorCodes.QUEUE_CLOSED, 'the day is closed');
    // validate everything first: the step is all or nothing
    const newPatients = new Map<string, { clinicId: string } & NewWalkInPatient>();
    for (const p of step.newPatients ?? []) {
      const name = p.fullName.trim();
      if (name.length < 1 || name.length > 200 || this.patients.has(p.id) || newPatients.has(p.id))
        return fail(ErrorCodes.VALIDATION_FAILED, 'a new patient needs a fresh id and a name');
      newPatients.set(p.id, {
        clinicId: q.state.clinicId,
        fullName: name,
        phone: p.phone,
        language: p.language,
      });
    }
    const next = new Map(q.entries);
    for (const e of step.entries) {
      const old = next.get(e.id);
      if (old) {
        if (old.patientId !== e.patientId || old.ticketNumber !== e.ticketNumber || old.kind !== e.kind) {
          return fail(ErrorCodes.VALIDATION_FAILED, 'identity columns of a visit cannot change');
        }
        if (old.status !== e.status && !canTransition(old.status, e.status)) {
          return fail(
            ErrorCodes.QUEUE_ILLEGAL_TRANSITION,
            `${old.status} -> ${e.status} is not an allowed move`,
          );
        }
      } else {
        if ([...this.queues.values()].some((x) => x !== q && x.entries.has(e.id))) {
          return fail(ErrorCodes.QUEUE_ENTRY_NOT_FOUND, 'entry is not in this queue');
        }
        const p =
          e.patientId === null ? undefined : (this.patients.get(e.patientId) ?? newPatients.get(e.patientId));
        if (!p || p.clinicId !== q.state.clinicId)
          return fail(ErrorCodes.NOT_FOUND, 'patient not found in this clinic');
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
    this.onSaved?.({
      clinicId: q.state.clinicId,
      queueId: q.state.id,
      day: q.state.day,
      version: q.state.version,
    });
    return ok({ version: q.state.version });
  }

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
    const patientId = globalThis.crypto.randomUUID();
    this.patients.set(patientId, { clinicId, ...patient, fullName: name });
    return ok({ patientId });
  }

  async events(queueId: string): Promise<Result<readonly StoredQueueEvent[], AppError>> {
    return ok(clone(this.log.filter((e) => e.queueId === queueId)));
  }
}

/**
 * `QueueRepository` on supabase-js: reads with the `get_queue` RPC (creates the day's queue, applies grace
 * expiry), writes with `save_queue_step` (one transaction: entries + event log + version bump, 409 on a
 * stale version). Every RPC result is zod-parsed; PostgREST errors become AppError codes.
 *
 * Entries map row ↔ domain in `queueEntryRow.ts` (every domain field is a column).
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from '../../shared/zod';
import { ErrorCodes, appError, type AppError } from '../../shared/AppError';
import { err, ok, type Result } from '../../shared/Result';
import { fromResponse, guard, isUuid, thrownToAppError } from '../../shared/repositories/postgrest';
import { commandTraceparent } from '../../shared/trace';
import {
  FINAL_STATUSES,
  InstantSchema,
  QueueEntrySchema,
  DayCountsSchema,
  QueueSnapshotSchema,
  QueueStateSchema,
  type QueueDomainEvent,
  type QueueEntry,
} from '../api';
import { EntryRowSchema, entryDiffRow, entryFromRow, entryInsertRow, ts } from './queueEntryRow';
import { defaultVisitMinutes } from '../models/VisitLength';
import type {
  LoadedQueue,
  LoadScope,
  NewWalkInPatient,
  QueueDayControls,
  QueueRepository,
  QueueStep,
  StoredQueueEvent,
  TurnCheck,
} from './QueueRepository';

const uuid = z.string().check(z.minLength(1));
const lang = z.enum(['ar', 'fr', 'en']);

const GetQueueSchema = z.object({
  queue: z.object({
    id: uuid,
    clinic_id: uuid,
    day: z.string(),
    version: z.number().check(z.int()),
    status: z.enum(['open', 'closed']),
    closed_at: ts,
    summary: z.optional(z.nullable(z.unknown())),
    paused_practitioner_ids: z.optional(z.nullable(z.array(uuid))),
    intake_closed_at: ts,
  }),
  clinic: z.object({
    id: uuid,
    name: z.string(),
    slug: z.string(),
    time_zone: z.string(),
    default_language: lang,
    ticket_prefix: z.string(),
  }),
  settings: z.record(z.string(), z.unknown()),
  entries: z.array(EntryRowSchema),
  members: z.array(
    z.object({
      id: uuid,
      user_id: uuid,
      role: z.enum(['owner', 'admin', 'practitioner', 'receptionist']),
      display_name: z.string(),
      room: z.nullable(z.string()),
      active: z.boolean(),
    }),
  ),
  appointment_types: z.array(
    z.object({
      id: uuid,
      name: z.string(),
      // the domain's constraint: an entry's expected duration falls back to its type's
      duration_minutes: QueueEntrySchema.shape.expectedDurationMinutes,
      active: z.boolean(),
      // doctor20: the type's dot and name on the desk's rows (older servers send neither)
      color: z.nullish(z.string()),
      names: z.nullish(z.record(z.string(), z.string())),
    }),
  ),
  applied_command: z.pipe(
    z.optional(z.nullable(z.object({ version: z.number().check(z.int()) }))),
    z.transform((v) => v ?? null),
  ),
  /** Set when the entries are only those changed since that version (a delta answer, see `ActiveView`). */
  delta_since: z.nullish(z.number().check(z.int())),
  /** With p_scope 'active': how many active entries the day has (checks a merged delta). */
  active_count: z.nullish(z.number().check(z.int())),
  /** Only with p_scope 'active': the whole day's figures (private.queue_day_counts). */
  day_counts: z.pipe(
    z.optional(
      z.nullable(z.object({ walk_ins: z.number().check(z.int()), last_ticket: z.number().check(z.int()) })),
    ),
    z.transform((v) => v ?? null),
  ),
});

/** claim_turn_and_load's turn part (with 0 ahead the rest of the answer is get_queue's). */
const TurnSchema = z.object({
  turn_ahead: z.number().check(z.int(), z.gte(0)),
  seen_version: z.number().check(z.int()),
  // 20261212100001: the claims that ended without a save so far (absent from an older database)
  turn_releases: z.optional(z.number().check(z.int(), z.gte(0))),
  // 20261213600001: the claim's arrival number (bigint), to find itself in a release's line
  turn_seq: z.optional(z.coerce.number().check(z.int())),
  turn_head_ms: z.optional(z.number().check(z.int(), z.gte(0))),
  // 20261217400001: the claims' lease, which the client's waits derive from
  turn_lease_ms: z.optional(z.number().check(z.int(), z.gte(1))),
});

const VersionResultSchema = z.pipe(
  z.object({ version: z.number().check(z.int()) }),
  z.transform((v) => ({ version: v.version })),
);

/**
 * A command's requests carry its trace (shared/trace commandTrace: trace id = command id), so its load, its
 * save and the messages its events send are one trace on the server. Without a command id: the fetch's own.
 */
const traced = <B extends { setHeader(name: string, value: string): B }>(
  builder: B,
  commandId: string | null | undefined,
): B => {
  const tp = commandTraceparent(commandId);
  return tp === null ? builder : builder.setHeader('traceparent', tp);
};

/**
 * The active entries of one queue day at one version, as this adapter last loaded them (issue 12: a
 * command's load sends only what changed). The next active load of the same clinic and day asks get_queue
 * for the rows stamped since that version and merges them in; the answer is checked (same queue, same
 * version asked, same appointment types, the database's count of active entries) and loaded in full
 * otherwise. Patient names travel with the rows a change writes: a rename alone reaches the next full load.
 */
interface ActiveView {
  readonly queueId: string;
  readonly version: number;
  /** The appointment types the entries were mapped with (an entry's duration falls back to its type's). */
  readonly typesKey: string;
  readonly entries: ReadonlyMap<string, QueueEntry>;
}

const FINAL: ReadonlySet<string> = new Set(FINAL_STATUSES);

/** The snapshot's queue version, as QueueStateSchema checks it. */
const VersionSchema = QueueStateSchema.shape.version;

export class SupabaseQueueRepository implements QueueRepository, QueueDayControls {
  /** `${clinicId}|${day}` → the last active load (see ActiveView). */
  private readonly active = new Map<string, ActiveView>();

  /**
   * The last snapshot parts parsed (turn25, issue 12): the queue row, the clinic's settings, prefix and day
   * counts come back with every load, and only the queue's version moves from one command to the next. Their
   * parse (the settings' schema, and the time zone's check, which builds an Intl.DateTimeFormat) was ~0.7 ms
   * of the load generator's CPU per command. The same parts again, the version aside, give the same parse with
   * that version: the version alone is checked (the one part of the key left out).
   */
  private parsedParts: {
    readonly key: string;
    readonly data: ReturnType<typeof QueueSnapshotSchema.parse>;
  } | null = null;

  constructor(private readonly client: SupabaseClient) {}

  private parseSnapshotParts(
    input: {
      readonly queue: Readonly<Record<string, unknown>> & { readonly version: number };
      readonly dayCounts: { readonly walkIns: number; readonly lastTicket: number } | null;
    } & Readonly<Record<string, unknown>>,
  ): ReturnType<typeof QueueSnapshotSchema.safeParse> {
    // the version and the day's counts move between a desk's loads (any desk's walk-in moves the counts): left
    // out of the key and checked on their own, with the snapshot schema's own parts
    const key = JSON.stringify({ ...input, queue: { ...input.queue, version: 0 }, dayCounts: null });
    const last = this.parsedParts;
    if (
      last !== null &&
      last.key === key &&
      VersionSchema.safeParse(input.queue.version).success &&
      (input.dayCounts === null || DayCountsSchema.safeParse(input.dayCounts).success)
    ) {
      const { dayCounts: _kept, ...rest } = last.data;
      return {
        success: true,
        data: {
          ...rest,
          queue: { ...last.data.queue, version: input.queue.version },
          ...(input.dayCounts ? { dayCounts: { ...input.dayCounts } } : {}),
        },
      };
    }
    const parsed = QueueSnapshotSchema.safeParse(input);
    this.parsedParts = parsed.success ? { key, data: parsed.data } : null;
    return parsed;
  }

  async setDeskPaused(
    clinicId: string,
    practitionerId: string,
    paused: boolean,
    reason: string | null,
  ): Promise<Result<{ readonly version: number }, AppError>> {
    return guard(async () => {
      const res = await this.client.rpc('set_desk_paused', {
        p_clinic_id: clinicId,
        p_practitioner_id: practitionerId,
        p_paused: paused,
        p_reason: reason,
      });
      return fromResponse(res, VersionResultSchema, 'set_desk_paused');
    });
  }

  async setIntake(
    clinicId: string,
    open: boolean,
    reason: string | null,
  ): Promise<Result<{ readonly version: number }, AppError>> {
    return guard(async () => {
      const res = await this.client.rpc('set_queue_intake', {
        p_clinic_id: clinicId,
        p_open: open,
        p_reason: reason,
      });
      return fromResponse(res, VersionResultSchema, 'set_queue_intake');
    });
  }

  async load(
    clinicId: string,
    day?: string | null,
    commandId?: string | null,
    scope: LoadScope = { kind: 'day' },
  ): Promise<Result<LoadedQueue, AppError>> {
    const key = `${clinicId}|${day ?? ''}`;
    const base = scope.kind === 'active' ? this.active.get(key) : undefined;
    // a delta that does not fit what it was asked against (null): load in full
    // (without a base nothing is asked since a version: the answer is never a delta, never null)
    return ((await this.fetchQueue(key, clinicId, day, commandId, scope, base)) ??
      (await this.fetchQueue(key, clinicId, day, commandId, scope, undefined))) as Result<
      LoadedQueue,
      AppError
    >;
  }

  async claimTurnAndLoad(
    queueId: string,
    commandId: string,
    clinicId: string,
    day: string | null | undefined,
    scope: LoadScope,
  ): Promise<Result<TurnCheck, AppError>> {
    const key = `${clinicId}|${day ?? ''}`;
    const base = scope.kind === 'active' ? this.active.get(key) : undefined;
    const turn = { queueId, commandId };
    const r = ((await this.fetchQueue(key, clinicId, day, commandId, scope, base, turn)) ??
      (await this.fetchQueue(key, clinicId, day, commandId, scope, undefined, turn))) as Result<
      LoadedQueue | TurnCheck,
      AppError
    >;
    if (!r.ok) return r;
    return 'ahead' in r.value
      ? ok(r.value)
      : err(appError(ErrorCodes.INTERNAL, 'claim_turn_and_load: no turn'));
  }

  private async fetchQueue(
    key: string,
    clinicId: string,
    day: string | null | undefined,
    commandId: string | null | undefined,
    scope: LoadScope,
    base: ActiveView | undefined,
    /** Set: claim the command's turn and load only if it is its turn (claim_turn_and_load), one round trip. */
    turn?: { readonly queueId: string; readonly commandId: string },
  ): Promise<Result<LoadedQueue, AppError> | Result<TurnCheck, AppError> | null> {
    try {
      const scopeArgs =
        scope.kind === 'active'
          ? { p_scope: 'active', p_entry_ids: scope.entryIds.filter((id) => isUuid(id)) }
          : {};
      const since =
        base !== undefined ? { p_since_queue_id: base.queueId, p_since_version: base.version } : {};
      const res = await traced(
        turn === undefined
          ? this.client.rpc('get_queue', {
              p_clinic_id: clinicId,
              p_day: day ?? null,
              p_command_id: commandId && isUuid(commandId) ? commandId : null,
              ...scopeArgs,
              ...since,
            })
          : this.client.rpc('claim_turn_and_load', {
              p_queue_id: turn.queueId,
              p_command_id: turn.commandId,
              p_scope: scope.kind,
              ...scopeArgs,
              ...since,
            }),
        commandId,
      );
      let check: {
        ahead: number;
        seenVersion: number;
        releases?: number;
        seq?: number;
        headLeaseMs?: number;
        leaseMs?: number;
      } | null = null;
      if (turn !== undefined) {
        const t = fromResponse(res, TurnSchema, 'claim_turn_and_load');
        if (!t.ok) return t;
        check = {
          ahead: t.value.turn_ahead,
          seenVersion: t.value.seen_version,
          ...(t.value.turn_releases === undefined ? {} : { releases: t.value.turn_releases }),
          ...(t.value.turn_seq === undefined ? {} : { seq: t.value.turn_seq }),
          ...(t.value.turn_head_ms === undefined ? {} : { headLeaseMs: t.value.turn_head_ms }),
          ...(t.value.turn_lease_ms === undefined ? {} : { leaseMs: t.value.turn_lease_ms }),
        };
        if (check.ahead > 0) return ok({ ...check, loaded: null });
      }
      const raw = fromResponse(res, GetQueueSchema, turn === undefined ? 'get_queue' : 'claim_turn_and_load');
      if (!raw.ok) return raw;
      const r = raw.value;
      if (scope.kind === 'active' && r.day_counts === null) {
        // without the day's figures a partial load would look like the whole day (wrong walk-in count)
        return err(appError(ErrorCodes.INTERNAL, 'get_queue: an active load without day_counts'));
      }
      const types = new Map(r.appointment_types.map((t) => [t.id, t.duration_minutes]));
      const fallback = defaultVisitMinutes(
        r.appointment_types.map((t) => ({ durationMinutes: t.duration_minutes, active: t.active })),
      );
      // The entries were parsed once, with the domain's constraints, by EntryRowSchema; the snapshot's
      // other parts are parsed here (with no entries: parsing 300 entries a second time cost ~half the load).
      const snapshot = this.parseSnapshotParts({
        queue: {
          id: r.queue.id,
          clinicId: r.queue.clinic_id,
          day: r.queue.day,
          timeZone: r.clinic.time_zone,
          version: r.queue.version,
          status: r.queue.status,
          closedAt: r.queue.closed_at,
          summary: r.queue.summary ?? null,
          pausedPractitionerIds: r.queue.paused_practitioner_ids ?? [],
          intakeClosedAt: r.queue.intake_closed_at,
        },
        settings: r.settings,
        ticketPrefix: r.clinic.ticket_prefix,
        entries: [],
        dayCounts:
          scope.kind === 'active' && r.day_counts
            ? { walkIns: r.day_counts.walk_ins, lastTicket: r.day_counts.last_ticket }
            : null,
      });
      if (!snapshot.success) {
        return err(
          appError(ErrorCodes.INTERNAL, 'get_queue: snapshot does not fit the domain', {
            issues: snapshot.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`),
          }),
        );
      }
      const typesKey = JSON.stringify(r.appointment_types);
      const delta = r.delta_since ?? null;
      let entries: QueueEntry[];
      /** The live (not final) entries by id, as the next delta's base. */
      let live: Map<string, QueueEntry>;
      if (delta !== null) {
        if (base?.version !== delta || r.queue.id !== base.queueId || typesKey !== base.typesKey) return null;
        const merged = new Map(base.entries);
        const asked = scope.kind === 'active' ? scope.entryIds : [];
        const named: QueueEntry[] = [];
        for (const row of r.entries) {
          const e = entryFromRow(row, types, fallback);
          if (!FINAL.has(e.status)) merged.set(e.id, e);
          else {
            merged.delete(e.id);
            if (asked.includes(e.id)) named.push(e);
          }
        }
        if (merged.size !== r.active_count) return null;
        entries = [...merged.values(), ...named].sort((a, b) => a.ticketNumber - b.ticketNumber);
        // only live entries went into `merged`, and nothing changes it after this: it is the next base as it is
        // (turn25: a second copy of a 300-entry map, its pairs and a filtered array per command were garbage)
        live = merged;
      } else {
        entries = r.entries.map((e) => entryFromRow(e, types, fallback));
        live = new Map();
        for (const e of entries) if (!FINAL.has(e.status)) live.set(e.id, e);
      }
      // (a slower, older load may replace a newer one: its next delta is larger, not wrong)
      if (scope.kind === 'active' && live.size === r.active_count)
        this.active.set(key, {
          queueId: r.queue.id,
          version: r.queue.version,
          typesKey,
          entries: live,
        });
      const loaded: LoadedQueue = {
        ...(delta === null ? {} : { deltaRows: r.entries.length }),
        snapshot: { ...snapshot.data, entries },
        appliedCommand: r.applied_command,
        directory: {
          clinic: {
            id: r.clinic.id,
            name: r.clinic.name,
            slug: r.clinic.slug,
            defaultLanguage: r.clinic.default_language,
            ticketPrefix: r.clinic.ticket_prefix,
          },
          members: r.members.map((m) => ({
            id: m.id,
            userId: m.user_id,
            role: m.role,
            displayName: m.display_name,
            room: m.room,
            active: m.active,
          })),
          appointmentTypes: r.appointment_types.map((t) => ({
            id: t.id,
            name: t.name,
            durationMinutes: t.duration_minutes,
            active: t.active,
            color: t.color ?? null,
            names: t.names ?? null,
          })),
        },
      };
      return check === null ? ok(loaded) : ok({ ...check, loaded });
    } catch (e) {
      return err(thrownToAppError(e));
    }
  }

  async save(step: QueueStep): Promise<Result<{ readonly version: number }, AppError>> {
    return guard(async () => {
      const fresh = new Set(step.newEntryIds);
      const res = await traced(
        this.client.rpc('save_queue_step', {
          p_queue_id: step.queueId,
          p_expected_version: step.expectedVersion,
          p_entries: step.entries.map((e) =>
            fresh.has(e.id) ? entryInsertRow(e) : entryDiffRow(e, step.loaded?.get(e.id)),
          ),
          p_events: step.events.map(toEventRow),
          p_queue: step.queue ? { status: step.queue.status, summary: step.queue.summary } : null,
          p_command_id: step.commandId && isUuid(step.commandId) ? step.commandId : null,
          p_patients: (step.newPatients ?? []).map((p) => ({
            id: p.id,
            full_name: p.fullName.trim(),
            phone: p.phone,
            preferred_language: p.language,
          })),
        }),
        step.commandId,
      );
      const version = fromResponse(res, z.number().check(z.int()), 'save_queue_step');
      return version.ok ? ok({ version: version.value }) : version;
    });
  }

  async claimTurn(queueId: string, commandId: string): Promise<Result<number, AppError>> {
    return guard(async () => {
      const res = await traced(
        this.client.rpc('claim_queue_turn', { p_queue_id: queueId, p_command_id: commandId }),
        commandId,
      );
      return fromResponse(res, z.number().check(z.int(), z.gte(0)), 'claim_queue_turn');
    });
  }

  async releaseTurn(queueId: string, commandId: string): Promise<Result<void, AppError>> {
    return guard(async () => {
      const res = await traced(
        this.client.rpc('release_queue_turn', { p_queue_id: queueId, p_command_id: commandId }),
        commandId,
      );
      const done = fromResponse(res, z.unknown(), 'release_queue_turn');
      return done.ok ? ok(undefined) : done;
    });
  }

  /** A table insert guarded by the `patients_insert` RLS policy (staff of the clinic, no account link). */
  async createWalkInPatient(
    clinicId: string,
    patient: NewWalkInPatient,
  ): Promise<Result<{ readonly patientId: string }, AppError>> {
    return guard(async () => {
      const res = await this.client
        .from('patients')
        .insert({
          clinic_id: clinicId,
          full_name: patient.fullName.trim(),
          phone: patient.phone,
          preferred_language: patient.language,
        })
        .select('id')
        .single();
      const row = fromResponse(res, z.object({ id: uuid }), 'insert patients');
      return row.ok ? ok({ patientId: row.value.id }) : row;
    });
  }

  async events(queueId: string): Promise<Result<readonly StoredQueueEvent[], AppError>> {
    return guard(async () => {
      const res = await this.client
        .from('queue_events')
        .select('id, queue_id, entry_id, type, payload, actor_id, correlation_id, occurred_at')
        .eq('queue_id', queueId)
        .order('id', { ascending: true });
      const rows = fromResponse(
        res,
        z.array(
          z.object({
            id: z.pipe(z.union([z.number(), z.string()]), z.transform(Number)),
            queue_id: uuid,
            entry_id: z.nullable(uuid),
            type: z.string(),
            payload: z.record(z.string(), z.unknown()),
            actor_id: z.nullable(uuid),
            correlation_id: z.nullable(uuid),
            occurred_at: InstantSchema,
          }),
        ),
        'queue_events',
      );
      if (!rows.ok) return rows;
      return ok(
        rows.value.map((r) => {
          const { correlationId: stored, ...payload } = r.payload as { correlationId?: unknown };
          return {
            id: r.id,
            queueId: r.queue_id,
            entryId: r.entry_id,
            type: r.type,
            payload,
            actorId: r.actor_id,
            correlationId: r.correlation_id ?? (typeof stored === 'string' ? stored : null),
            occurredAt: r.occurred_at,
          };
        }),
      );
    });
  }
}

function toEventRow(ev: QueueDomainEvent): Record<string, unknown> {
  const payload = { ...(ev.payload as object) } as Record<string, unknown>;
  if (!isUuid(ev.correlationId)) payload.correlationId = ev.correlationId;
  return {
    type: ev.type,
    entry_id: ev.entryId,
    payload,
    correlation_id: isUuid(ev.correlationId) ? ev.correlationId : null,
  };
}

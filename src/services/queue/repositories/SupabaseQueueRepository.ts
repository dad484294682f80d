/**
 * `QueueRepository` on supabase-js: reads with the `get_queue` RPC (creates the day's queue, applies grace
 * expiry), writes with `save_queue_step` (one transaction: entries + event log + version bump, 409 on a
 * stale version). Every RPC result is zod-parsed; PostgREST errors become AppError codes.
 *
 * Domain fields without a column of their own (`orderTiebreak`, `lateTurnAt`, `servedBy`, `reactivations`,
 * `expectedDurationMinutes`, `appointmentId`, and the exact millisecond `orderKey`) travel in the entry's
 * `notes` column as a small JSON document (see `EntryExtras`); rows written by other RPCs (booking,
 * patient check-in) have none and get the database's own values. `order_key` is epoch seconds in SQL.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import { ErrorCodes, appError, type AppError } from '../../shared/AppError';
import { err, ok, type Result } from '../../shared/Result';
import { fromResponse, isUuid, thrownToAppError } from '../../shared/repositories/postgrest';
import { InstantSchema, QueueSnapshotSchema, type QueueDomainEvent, type QueueEntry } from '../api';
import type {
  LoadedQueue,
  NewWalkInPatient,
  QueueRepository,
  QueueStep,
  StoredQueueEvent,
} from './QueueRepository';

const ts = InstantSchema.nullable()
  .optional()
  .transform((v) => v ?? null);
const uuid = z.string().min(1);
const lang = z.enum(['ar', 'fr', 'en']);

const EntryRowSchema = z.object({
  id: uuid,
  patient_id: uuid,
  practitioner_id: uuid.nullable(),
  appointment_type_id: uuid.nullable(),
  kind: z.enum(['booked', 'walk_in']),
  status: z.string(),
  priority: z.string(),
  ticket_number: z.number().int(),
  order_key: z.union([z.number(), z.string()]).transform(Number),
  skip_count: z.number().int(),
  slot_start: ts,
  running_late_at: ts,
  checked_in_at: ts,
  called_at: ts,
  started_at: ts,
  finished_at: ts,
  absent_at: ts,
  grace_ends_at: ts,
  no_show_at: ts,
  cancelled_at: ts,
  called_room: z.string().nullable(),
  notes: z.string().nullable(),
  patient: z.object({ full_name: z.string() }),
});
type EntryRow = z.infer<typeof EntryRowSchema>;

const GetQueueSchema = z.object({
  queue: z.object({
    id: uuid,
    clinic_id: uuid,
    day: z.string(),
    version: z.number().int(),
    status: z.enum(['open', 'closed']),
    closed_at: ts,
    summary: z.unknown().nullable().optional(),
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
      room: z.string().nullable(),
      active: z.boolean(),
    }),
  ),
  appointment_types: z.array(
    z.object({ id: uuid, name: z.string(), duration_minutes: z.number().int(), active: z.boolean() }),
  ),
  applied_command: z
    .object({ version: z.number().int() })
    .nullable()
    .optional()
    .transform((v) => v ?? null),
});

/** What `notes` carries for the domain (short keys: the column holds at most 2000 characters). */
const EntryExtrasSchema = z.object({
  qm: z.literal(1),
  k: z.number().optional(),
  tb: z.number().optional(),
  lt: z.string().nullable().optional(),
  sb: z.string().nullable().optional(),
  rx: z.number().int().optional(),
  d: z.number().int().optional(),
  a: z.string().nullable().optional(),
});
type EntryExtras = z.infer<typeof EntryExtrasSchema>;

const readExtras = (notes: string | null): EntryExtras | null => {
  if (!notes || !notes.startsWith('{')) return null;
  try {
    const parsed = EntryExtrasSchema.safeParse(JSON.parse(notes));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
};

/** ms → the decimal string of seconds, exactly (no float rounding on the way into `numeric`). */
export const msToSecondsDecimal = (msValue: number): string => {
  const neg = msValue < 0;
  const [int = '0', frac = ''] = Math.abs(msValue).toString().split('.');
  if (/e/i.test(int)) return String(msValue / 1000);
  const padded = int.padStart(4, '0');
  const s = `${padded.slice(0, -3)}.${padded.slice(-3)}${frac}`.replace(/\.?0+$/, '');
  return (neg ? '-' : '') + (s === '' ? '0' : s);
};

const DEFAULT_DURATION = 15;

export class SupabaseQueueRepository implements QueueRepository {
  constructor(private readonly client: SupabaseClient) {}

  async load(
    clinicId: string,
    day?: string | null,
    commandId?: string | null,
  ): Promise<Result<LoadedQueue, AppError>> {
    try {
      const res = await this.client.rpc('get_queue', {
        p_clinic_id: clinicId,
        p_day: day ?? null,
        p_command_id: commandId && isUuid(commandId) ? commandId : null,
      });
      const raw = fromResponse(res, GetQueueSchema, 'get_queue');
      if (!raw.ok) return raw;
      const r = raw.value;
      const types = new Map(r.appointment_types.map((t) => [t.id, t.duration_minutes]));
      const activeDurations = r.appointment_types.filter((t) => t.active).map((t) => t.duration_minutes);
      const fallback = activeDurations.length > 0 ? Math.min(...activeDurations) : DEFAULT_DURATION;
      const snapshot = QueueSnapshotSchema.safeParse({
        queue: {
          id: r.queue.id,
          clinicId: r.queue.clinic_id,
          day: r.queue.day,
          timeZone: r.clinic.time_zone,
          version: r.queue.version,
          status: r.queue.status,
          closedAt: r.queue.closed_at,
          summary: toDomainSummary(r.queue.summary ?? null),
        },
        settings: r.settings,
        ticketPrefix: r.clinic.ticket_prefix,
        entries: r.entries.map((e) => toDomain(e, types, fallback)),
      });
      if (!snapshot.success) {
        return err(
          appError(ErrorCodes.INTERNAL, 'get_queue: snapshot does not fit the domain', {
            issues: snapshot.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`),
          }),
        );
      }
      return ok({
        snapshot: snapshot.data,
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
          })),
        },
      });
    } catch (e) {
      return err(thrownToAppError(e));
    }
  }

  async save(step: QueueStep): Promise<Result<{ readonly version: number }, AppError>> {
    try {
      const fresh = new Set(step.newEntryIds);
      const res = await this.client.rpc('save_queue_step', {
        p_queue_id: step.queueId,
        p_expected_version: step.expectedVersion,
        p_entries: step.entries.map((e) => toRow(e, fresh.has(e.id))),
        p_events: step.events.map(toEventRow),
        p_queue: step.queue ? { status: step.queue.status, summary: step.queue.summary } : null,
        p_command_id: step.commandId && isUuid(step.commandId) ? step.commandId : null,
        p_patients: (step.newPatients ?? []).map((p) => ({
          id: p.id,
          full_name: p.fullName.trim(),
          phone: p.phone,
          preferred_language: p.language,
        })),
      });
      const version = fromResponse(res, z.number().int(), 'save_queue_step');
      return version.ok ? ok({ version: version.value }) : version;
    } catch (e) {
      return err(thrownToAppError(e));
    }
  }

  /** A table insert guarded by the `patients_insert` RLS policy (staff of the clinic, no account link). */
  async createWalkInPatient(
    clinicId: string,
    patient: NewWalkInPatient,
  ): Promise<Result<{ readonly patientId: string }, AppError>> {
    try {
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
    } catch (e) {
      return err(thrownToAppError(e));
    }
  }

  async events(queueId: string): Promise<Result<readonly StoredQueueEvent[], AppError>> {
    try {
      const res = await this.client
        .from('queue_events')
        .select('id, queue_id, entry_id, type, payload, actor_id, correlation_id, occurred_at')
        .eq('queue_id', queueId)
        .order('id', { ascending: true });
      const rows = fromResponse(
        res,
        z.array(
          z.object({
            id: z.union([z.number(), z.string()]).transform(Number),
            queue_id: uuid,
            entry_id: uuid.nullable(),
            type: z.string(),
            payload: z.record(z.string(), z.unknown()),
            actor_id: uuid.nullable(),
            correlation_id: uuid.nullable(),
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
    } catch (e) {
      return err(thrownToAppError(e));
    }
  }
}

/**
 * A day closed by the database itself (`end_day` RPC, or the sweep at closing time + N minutes) stores its
 * own summary shape (snake_case, service time per practitioner as an object); a day closed through
 * `save_queue_step` stores the domain's `DaySummary`. Both load as a `DaySummary`.
 */
const DbSummarySchema = z.object({
  served: z.number(),
  no_shows: z.number(),
  cancelled: z.number(),
  avg_wait_minutes: z.union([z.number(), z.string()]).nullable().optional(),
  p90_wait_minutes: z.union([z.number(), z.string()]).nullable().optional(),
  avg_service_minutes_by_practitioner: z.record(z.string(), z.union([z.number(), z.string()])).optional(),
});
const num = (v: number | string | null | undefined): number | null =>
  v === null || v === undefined ? null : Number(v);
export function toDomainSummary(summary: unknown): unknown {
  const db = DbSummarySchema.safeParse(summary);
  if (!db.success || (summary as Record<string, unknown>).noShows !== undefined) return summary;
  const d = db.data;
  return {
    served: d.served,
    noShows: d.no_shows,
    cancelled: d.cancelled,
    averageWaitMinutes: num(d.avg_wait_minutes),
    p90WaitMinutes: num(d.p90_wait_minutes),
    // the database's summary has no per-practitioner count: 0 means "not recorded"
    serviceByPractitioner: Object.entries(d.avg_service_minutes_by_practitioner ?? {}).map(
      ([practitionerId, m]) => ({
        practitionerId,
        served: 0,
        averageServiceMinutes: Number(m),
      }),
    ),
  };
}

function toDomain(e: EntryRow, types: ReadonlyMap<string, number>, fallbackDuration: number): unknown {
  const x = readExtras(e.notes);
  const dbKeyMs = e.order_key * 1000;
  // The exact ms key survives only while the row's order_key still says the same (an RPC such as the
  // patient's check-in may have rewritten it since).
  const orderKey = x?.k !== undefined && Math.abs(x.k - dbKeyMs) < 1 ? x.k : dbKeyMs;
  return {
    id: e.id,
    appointmentId: x?.a !== undefined ? x.a : e.kind === 'booked' ? e.id : null,
    patientId: e.patient_id,
    patientName: e.patient.full_name,
    ticketNumber: e.ticket_number,
    practitionerId: e.practitioner_id,
    appointmentTypeId: e.appointment_type_id,
    expectedDurationMinutes:
      x?.d ?? (e.appointment_type_id ? types.get(e.appointment_type_id) : undefined) ?? fallbackDuration,
    priority: e.priority,
    kind: e.kind,
    status: e.status,
    slotAt: e.slot_start,
    checkedInAt: e.checked_in_at,
    orderKey,
    orderTiebreak: x?.tb ?? e.ticket_number,
    calledAt: e.called_at,
    startedAt: e.started_at,
    finishedAt: e.finished_at,
    absentAt: e.absent_at,
    graceEndsAt: e.grace_ends_at,
    runningLateAt: e.running_late_at,
    lateTurnAt: x?.lt ?? null,
    cancelledAt: e.cancelled_at,
    noShowAt: e.no_show_at,
    skipCount: e.skip_count,
    room: e.called_room,
    servedBy: x?.sb ?? null,
    reactivations: x?.rx ?? 0,
  };
}

function toRow(e: QueueEntry, isNew: boolean): Record<string, unknown> {
  const extras: EntryExtras = {
    qm: 1,
    k: e.orderKey,
    tb: e.orderTiebreak,
    lt: e.lateTurnAt,
    sb: e.servedBy,
    rx: e.reactivations,
    d: e.expectedDurationMinutes,
    a: e.appointmentId,
  };
  const row: Record<string, unknown> = {
    id: e.id,
    status: e.status,
    priority: e.priority,
    order_key: msToSecondsDecimal(e.orderKey),
    skip_count: e.skipCount,
    practitioner_id: e.practitionerId,
    appointment_type_id: e.appointmentTypeId,
    late: e.runningLateAt !== null,
    running_late_at: e.runningLateAt,
    checked_in_at: e.checkedInAt,
    called_at: e.calledAt,
    started_at: e.startedAt,
    finished_at: e.finishedAt,
    absent_at: e.absentAt,
    grace_ends_at: e.graceEndsAt,
    no_show_at: e.noShowAt,
    cancelled_at: e.cancelledAt,
    called_room: e.room,
    notes: JSON.stringify(extras),
  };
  if (isNew) {
    row.patient_id = e.patientId;
    row.kind = e.kind;
    row.ticket_number = e.ticketNumber;
    row.slot_start = e.slotAt;
    row.slot_end =
      e.slotAt === null
        ? null
        : new Date(new Date(e.slotAt).getTime() + e.expectedDurationMinutes * 60_000).toISOString();
  }
  return row;
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

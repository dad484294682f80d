/**
 * zod schemas for what crosses the queue module's boundary: the snapshot a repository loads (DB rows →
 * `QueueAggregate.load`) and the inputs of every command (UI/RPC → `QueueService`). Timestamps are accepted
 * in any form `Date` parses (Postgres returns `2026-11-24 09:00:00+00`) and normalised to
 * `toISOString()` form, the queue module's single time convention.
 */
import { z } from '../../shared/zod';
import { ClinicSettingsSchema } from '../../clinic/api';
import { ENTRY_KINDS, ENTRY_STATUSES, PRIORITIES, type QueueEntry } from '../models/QueueEntry';
import type { QueueSnapshot, QueueState } from '../models/QueueAggregate';
import { DEFAULT_TICKET_PREFIX } from '../models/TicketNumber';
import { QUEUE_EVENT_TYPES, RUNNING_LATE_SOURCES } from '../events';
import { UNDOABLE_ACTIONS } from '../models/UndoStep';

export const DEFAULT_TIME_ZONE = 'Africa/Casablanca';

/** Postgres text form `2026-11-24 08:00:00.5+00` → ISO-8601 `2026-11-24T08:00:00.5+00:00`. */
const fromPostgres = (v: string): string =>
  v.replace(/^(\d{4}-\d\d-\d\d) (\d)/, '$1T$2').replace(/(\d\d:\d\d(?::\d\d(?:\.\d+)?)?[+-]\d\d)$/, '$1:00');

export const InstantSchema = z.pipe(
  z.union([z.string(), z.date()]),
  z.transform((v, ctx) => {
    const d = new Date(typeof v === 'string' ? fromPostgres(v) : v);
    if (Number.isNaN(d.getTime())) {
      ctx.issues.push({ code: 'custom', message: 'Invalid timestamp', input: v });
      return z.NEVER;
    }
    return d.toISOString();
  }),
);
const instantOrNull = z._default(z.nullable(InstantSchema), null);

const id = z.string().check(z.minLength(1), z.maxLength(200));
const idOrNull = z.nullable(id);
const reason = z.string().check(z.trim(), z.minLength(1), z.maxLength(500));

export const DaySummarySchema = z.object({
  served: z.number().check(z.int(), z.gte(0)),
  noShows: z.number().check(z.int(), z.gte(0)),
  cancelled: z.number().check(z.int(), z.gte(0)),
  averageWaitMinutes: z.nullable(z.number()),
  p90WaitMinutes: z.nullable(z.number()),
  serviceByPractitioner: z.array(
    z.object({
      practitionerId: z.string(),
      served: z.number().check(z.int()),
      averageServiceMinutes: z.number(),
    }),
  ),
});

export const QueueStateSchema = z.object({
  id,
  clinicId: id,
  day: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
  timeZone: z._default(z.string(), DEFAULT_TIME_ZONE).check(
    z.refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'Unknown time zone'),
  ),
  version: z.number().check(z.int(), z.gte(0)),
  status: z.enum(['open', 'closed']),
  closedAt: instantOrNull,
  summary: z._default(z.nullable(DaySummarySchema), null),
  /** Issue 17, pause / reopen: doctors whose calling is paused; the moment intake closed (null = open). */
  pausedPractitionerIds: z._default(z.array(id), []),
  intakeClosedAt: z._default(instantOrNull, null),
});

export const QueueEntrySchema = z.object({
  id,
  appointmentId: z._default(idOrNull, null),
  patientId: idOrNull,
  patientName: z.string().check(z.minLength(1), z.maxLength(200)),
  ticketNumber: z.number().check(z.int(), z.gte(1)),
  practitionerId: idOrNull,
  appointmentTypeId: idOrNull,
  expectedDurationMinutes: z.number().check(z.int(), z.gte(1), z.lte(24 * 60)),
  priority: z.enum(PRIORITIES),
  kind: z.enum(ENTRY_KINDS),
  status: z.enum(ENTRY_STATUSES),
  slotAt: instantOrNull,
  checkedInAt: instantOrNull,
  orderKey: z.number(),
  /** Defaults to the ticket number when absent. */
  orderTiebreak: z.optional(z.number()),
  calledAt: instantOrNull,
  startedAt: instantOrNull,
  finishedAt: instantOrNull,
  absentAt: instantOrNull,
  graceEndsAt: instantOrNull,
  runningLateAt: instantOrNull,
  /** How late the patient said they would be (issue 15.16; written by the database only). */
  runningLateMinutes: z.optional(z.nullable(z.number().check(z.int(), z.gte(1), z.lte(180)))),
  lateTurnAt: instantOrNull,
  cancelledAt: instantOrNull,
  noShowAt: instantOrNull,
  skipCount: z._default(z.number().check(z.int(), z.gte(0)), 0),
  room: z._default(z.nullable(z.string().check(z.maxLength(100))), null),
  servedBy: z._default(idOrNull, null),
  reactivations: z._default(z.number().check(z.int(), z.gte(0)), 0),
});

/** A partial load's whole-day figures (QueueSnapshot.dayCounts). */
export const DayCountsSchema = z.object({
  walkIns: z.number().check(z.int(), z.gte(0)),
  lastTicket: z.number().check(z.int(), z.gte(0)),
});

export const QueueSnapshotSchema = z.pipe(
  z.object({
    queue: QueueStateSchema,
    entries: z.array(QueueEntrySchema),
    settings: ClinicSettingsSchema,
    /** clinics.ticket_prefix: every ticket renders with it (`A-014`), as the database's ticket_label does. */
    ticketPrefix: z._default(z.string().check(z.regex(/^[A-Z]{1,3}$/)), DEFAULT_TICKET_PREFIX),
    /** Only part of the day was loaded (a command's load): the whole day's figures the rules need. */
    dayCounts: z.optional(z.nullable(DayCountsSchema)),
  }),
  z.transform((s): QueueSnapshot => ({
    queue: s.queue satisfies QueueState,
    settings: s.settings,
    ticketPrefix: s.ticketPrefix,
    entries: s.entries.map((e): QueueEntry => ({ ...e, orderTiebreak: e.orderTiebreak ?? e.ticketNumber })),
    ...(s.dayCounts ? { dayCounts: s.dayCounts } : {}),
  })),
);

/** Parses what a repository loaded into the aggregate's snapshot (Result-style via safeParse). */
export const parseQueueSnapshot = (input: unknown) => QueueSnapshotSchema.safeParse(input);

// ---- command context and inputs

export const CommandContextSchema = z.object({
  now: InstantSchema,
  actorId: idOrNull,
  correlationId: id,
});

const newPatient = {
  entryId: id,
  patientId: z._default(idOrNull, null),
  patientName: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  practitionerId: z._default(idOrNull, null),
  appointmentTypeId: z._default(idOrNull, null),
  expectedDurationMinutes: z.number().check(z.int(), z.gte(1), z.lte(24 * 60)),
};
const entryRef = { entryId: id };
const desk = {
  practitionerId: idOrNull,
  room: z._default(z.nullable(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))), null),
};

export const AddBookedInputSchema = z.object({
  ...newPatient,
  appointmentId: z._default(idOrNull, null),
  slotAt: InstantSchema,
  priority: z.optional(z.enum(PRIORITIES)),
  ticketNumber: z.optional(z.number().check(z.int(), z.gte(1))),
});
export const AddWalkInInputSchema = z.object({
  ...newPatient,
  priority: z.optional(z.enum(['normal', 'urgent'])),
});
export const InsertEmergencyInputSchema = z.object({ ...newPatient, reason });
export const EntryInputSchema = z.object(entryRef);
export const CheckInInputSchema = EntryInputSchema;
export const StartInputSchema = EntryInputSchema;
export const FinishInputSchema = EntryInputSchema;
export const MarkAbsentInputSchema = EntryInputSchema;
export const ReturnFromAbsenceInputSchema = EntryInputSchema;
export const ReactivateNoShowInputSchema = EntryInputSchema;
export const CallNextInputSchema = z.object(desk);
export const CallSpecificInputSchema = z.object({ ...desk, ...entryRef, reason });
export const RunningLateInputSchema = z.object({ ...entryRef, source: z.enum(RUNNING_LATE_SOURCES) });
export const CancelInputSchema = z.object({
  ...entryRef,
  reason: z.optional(z.nullable(z.string().check(z.trim(), z.maxLength(500)))),
});
export const MoveInputSchema = z.object({
  ...entryRef,
  toPosition: z.number().check(z.int(), z.gte(1)),
  practitionerId: z.optional(idOrNull),
  reason,
});
/** Transfer to another practitioner's line, or "any" (null); keeps the order key (issue 17). */
export const TransferInputSchema = z.object({ ...entryRef, practitionerId: idOrNull, reason });
export const SetPriorityInputSchema = z.object({ ...entryRef, priority: z.enum(PRIORITIES), reason });
export const EndDayInputSchema = z.object({ automatic: z.optional(z.boolean()) });
const UndoEntrySchema = z.pipe(
  QueueEntrySchema,
  z.transform((e): QueueEntry => ({
    ...e,
    orderTiebreak: e.orderTiebreak ?? e.ticketNumber,
  })),
);
/** Undo a desk's last step (issue 17): the step as the service described it when it was saved. */
export const UndoInputSchema = z.object({
  step: z.object({
    correlationId: z.uuid(),
    action: z.enum(UNDOABLE_ACTIONS),
    at: InstantSchema,
    entries: z
      .array(
        z.object({
          before: UndoEntrySchema,
          after: UndoEntrySchema,
          types: z.array(z.enum(QUEUE_EVENT_TYPES)).check(z.maxLength(20)),
        }),
      )
      .check(z.minLength(1), z.maxLength(100)),
  }),
});

/**
 * A stored queue event (event log / outbox row) as the repository reads it back. The payload is kept as
 * an object; its shape per type is given by the TypeScript event types in ../events.
 */
export const QueueEventRecordSchema = z.object({
  type: z.enum(QUEUE_EVENT_TYPES),
  aggregateId: id,
  clinicId: id,
  entryId: idOrNull,
  occurredAt: InstantSchema,
  correlationId: id,
  actorId: idOrNull,
  payload: z.record(z.string(), z.unknown()),
});

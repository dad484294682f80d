/**
 * The mapper of `public.queue_entries` (row ↔ domain `QueueEntry`), zod-parsed. Every domain field is a
 * column (issue 11): `order_tiebreak`, `late_turn_at`, `served_by`, `reactivations`,
 * `expected_duration_minutes`, `appointment_id` (migration 20261201001001_entry_columns.sql). The order key
 * is `order_key`: epoch seconds as an exact decimal (the domain's milliseconds / 1000); `get_queue` returns
 * it as text and it is converted by shifting the decimal point, so no float rounding on either way.
 */
import { z } from '../../shared/zod';
import { InstantSchema, QueueEntrySchema, type QueueEntry } from '../api';

/** A nullable timestamp column, normalised to ISO form (null when absent). */
export const ts = z.pipe(
  z.optional(z.nullable(InstantSchema)),
  z.transform((v) => v ?? null),
);
/**
 * Each column carries the domain's own constraint (QueueEntrySchema's field), so a row that parses here is a
 * valid QueueEntry once mapped: the load parses every entry ONCE (issue 12: the client parsed the active
 * load twice, rows and then the domain snapshot — about half of a 300-entry load's client time).
 */
const f = QueueEntrySchema.shape;
/** An exact decimal (epoch seconds), kept as text so that no float rounding happens; it must be a number. */
const decimal = z
  .pipe(z.union([z.number(), z.string()]), z.transform(String))
  .check(z.refine((v) => Number.isFinite(+v)));

export const EntryRowSchema = z.object({
  id: f.id,
  patient_id: f.id,
  practitioner_id: f.practitionerId,
  appointment_type_id: f.appointmentTypeId,
  kind: f.kind,
  status: f.status,
  priority: f.priority,
  ticket_number: f.ticketNumber,
  order_key: decimal,
  // zod 4's number refuses NaN and ±Infinity
  order_tiebreak: z.pipe(z.pipe(z.union([z.number(), z.string()]), z.transform(Number)), z.number()),
  skip_count: f.skipCount,
  slot_start: ts,
  running_late_at: ts,
  running_late_minutes: f.runningLateMinutes,
  late_turn_at: ts,
  checked_in_at: ts,
  called_at: ts,
  started_at: ts,
  finished_at: ts,
  absent_at: ts,
  grace_ends_at: ts,
  no_show_at: ts,
  cancelled_at: ts,
  called_room: f.room,
  served_by: f.servedBy,
  reactivations: f.reactivations,
  expected_duration_minutes: z.nullable(f.expectedDurationMinutes),
  appointment_id: f.appointmentId,
  patient: z.object({ full_name: f.patientName }),
});
export type EntryRow = z.infer<typeof EntryRowSchema>;

/**
 * An entry row as Realtime delivers it (issue 12): the table's own columns, without the patient's name (a
 * join `get_queue` adds; a screen keeps the name it already shows), with the queue and the queue version
 * that wrote it.
 */
export const EntryChangeRowSchema = z.extend(z.omit(EntryRowSchema, { patient: true }), {
  queue_id: f.id,
  queue_version: z.optional(z.nullable(z.number().check(z.int()))),
});
export type EntryChangeRow = z.infer<typeof EntryChangeRowSchema>;

/** ms → the decimal string of seconds, exactly (no float rounding on the way into `numeric`). */
export const msToSecondsDecimal = (msValue: number): string => {
  const neg = msValue < 0;
  const [int = '0', frac = ''] = Math.abs(msValue).toString().split('.');
  if (/e/i.test(int)) return String(msValue / 1000);
  const padded = int.padStart(4, '0');
  const s = `${padded.slice(0, -3)}.${padded.slice(-3)}${frac}`.replace(/\.?0+$/, '');
  return (neg ? '-' : '') + (s === '' ? '0' : s);
};

/** The decimal string of seconds → ms, by moving the decimal point (the inverse of msToSecondsDecimal). */
export const secondsDecimalToMs = (seconds: string): number => {
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(seconds.trim());
  if (!m) return Number(seconds) * 1000;
  const [, sign = '', int = '', frac = ''] = m;
  const f = frac.padEnd(3, '0');
  const digits = `${int}${f.slice(0, 3)}`.replace(/^0+(?=\d)/, '');
  const rest = f.slice(3).replace(/0+$/, '');
  return Number(`${sign}${digits === '' ? '0' : digits}${rest ? `.${rest}` : ''}`);
};

/**
 * A parsed row → the domain's entry (no second parse: EntryRowSchema holds the domain's constraints). The
 * expected duration falls back to the appointment type's, then to `fallbackDuration` — both must be valid
 * durations (the caller parses them with the same constraint).
 */
export function entryFromRow(
  e: EntryRow,
  typeDurations: ReadonlyMap<string, number>,
  fallbackDuration: number,
): QueueEntry {
  return {
    id: e.id,
    // the column is the truth: a booking (private.book) stores its own id, an entry without one null
    appointmentId: e.appointment_id,
    patientId: e.patient_id,
    patientName: e.patient.full_name,
    ticketNumber: e.ticket_number,
    practitionerId: e.practitioner_id,
    appointmentTypeId: e.appointment_type_id,
    expectedDurationMinutes:
      e.expected_duration_minutes ??
      (e.appointment_type_id ? typeDurations.get(e.appointment_type_id) : undefined) ??
      fallbackDuration,
    priority: e.priority,
    kind: e.kind,
    status: e.status,
    slotAt: e.slot_start,
    checkedInAt: e.checked_in_at,
    orderKey: secondsDecimalToMs(e.order_key),
    orderTiebreak: e.order_tiebreak,
    calledAt: e.called_at,
    startedAt: e.started_at,
    finishedAt: e.finished_at,
    absentAt: e.absent_at,
    graceEndsAt: e.grace_ends_at,
    runningLateAt: e.running_late_at,
    ...(e.running_late_minutes != null ? { runningLateMinutes: e.running_late_minutes } : {}),
    lateTurnAt: e.late_turn_at,
    cancelledAt: e.cancelled_at,
    noShowAt: e.no_show_at,
    skipCount: e.skip_count,
    room: e.called_room,
    servedBy: e.served_by,
    reactivations: e.reactivations,
  };
}

/** The columns `save_queue_step` may change on an existing entry. */
export function entryChangeRow(e: QueueEntry): Record<string, unknown> {
  return {
    id: e.id,
    status: e.status,
    priority: e.priority,
    order_key: msToSecondsDecimal(e.orderKey),
    order_tiebreak: e.orderTiebreak,
    skip_count: e.skipCount,
    practitioner_id: e.practitionerId,
    appointment_type_id: e.appointmentTypeId,
    running_late_at: e.runningLateAt,
    late_turn_at: e.lateTurnAt,
    checked_in_at: e.checkedInAt,
    called_at: e.calledAt,
    started_at: e.startedAt,
    finished_at: e.finishedAt,
    absent_at: e.absentAt,
    grace_ends_at: e.graceEndsAt,
    no_show_at: e.noShowAt,
    cancelled_at: e.cancelledAt,
    called_room: e.room,
    served_by: e.servedBy,
    reactivations: e.reactivations,
    expected_duration_minutes: e.expectedDurationMinutes,
    appointment_id: e.appointmentId,
  };
}

/**
 * Only the columns of `e` that differ from `before` (the entry as loaded), with its id: a save sends what
 * changed, not the whole row (issue 12). Without `before`, every changeable column.
 */
export function entryDiffRow(e: QueueEntry, before: QueueEntry | undefined): Record<string, unknown> {
  const after = entryChangeRow(e);
  if (before === undefined) return after;
  const was = entryChangeRow(before);
  return Object.fromEntries(
    Object.entries(after).filter(([k, v]) => k === 'id' || JSON.stringify(v) !== JSON.stringify(was[k])),
  );
}

/** A new entry: the changeable columns plus its identity and slot. */
export function entryInsertRow(e: QueueEntry): Record<string, unknown> {
  return {
    ...entryChangeRow(e),
    patient_id: e.patientId,
    kind: e.kind,
    ticket_number: e.ticketNumber,
    slot_start: e.slotAt,
    slot_end:
      e.slotAt === null
        ? null
        : new Date(new Date(e.slotAt).getTime() + e.expectedDurationMinutes * 60_000).toISOString(),
  };
}

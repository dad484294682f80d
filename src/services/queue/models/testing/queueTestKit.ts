/**
 * Builders shared by the queue domain tests (and usable by service tests): a clinic-day in
 * Africa/Casablanca, local wall-clock helpers, and terse command wrappers. Pure, like the models.
 */
import { DateTime } from 'luxon';
import { DEFAULT_CLINIC_SETTINGS, type ClinicSettings } from '../../../clinic/api';
import type { AppError } from '../../../shared/AppError';
import type { Result } from '../../../shared/Result';
import { QueueAggregate, type CommandContext, type QueueSnapshot } from '../QueueAggregate';
import type { QueueEntry } from '../QueueEntry';

export const TZ = 'Africa/Casablanca';
export const DAY = '2026-11-24';
export const QUEUE_ID = 'queue-1';
export const CLINIC_ID = 'clinic-1';

/** `09:05` (local, on DAY) → ISO UTC instant. */
export const at = (hhmm: string): string => {
  const iso = DateTime.fromISO(`${DAY}T${hhmm}`, { zone: TZ }).toUTC().toISO();
  if (iso === null) throw new Error(`bad time ${hhmm}`);
  return iso;
};

export const ms = (hhmm: string): number => new Date(at(hhmm)).getTime();

export const ctx = (hhmm: string, actorId: string | null = 'staff-1'): CommandContext => ({
  now: at(hhmm),
  actorId,
  correlationId: `corr-${hhmm}`,
});

export const snapshot = (
  settings: Partial<ClinicSettings> = {},
  entries: readonly QueueEntry[] = [],
): QueueSnapshot => ({
  queue: {
    id: QUEUE_ID,
    clinicId: CLINIC_ID,
    day: DAY,
    timeZone: TZ,
    version: 7,
    status: 'open',
    closedAt: null,
    summary: null,
  },
  entries,
  settings: { ...DEFAULT_CLINIC_SETTINGS, ...settings },
});

export const newQueue = (settings: Partial<ClinicSettings> = {}): QueueAggregate =>
  QueueAggregate.load(snapshot(settings));

/** Unwraps an ok result; a refusal is a test bug here, so it throws with its code. */
export const must = <T>(r: Result<T, AppError>): T => {
  if (!r.ok) throw new Error(`unexpected ${r.error.code}: ${r.error.message}`);
  return r.value;
};

export interface PatientOpts {
  practitionerId?: string | null;
  priority?: 'normal' | 'urgent';
  durationMinutes?: number;
}

export const walkIn = (q: QueueAggregate, id: string, hhmm: string, o: PatientOpts = {}) =>
  must(
    q.addWalkIn(ctx(hhmm), {
      entryId: id,
      patientId: null,
      patientName: `Patient ${id}`,
      practitionerId: o.practitionerId ?? null,
      appointmentTypeId: null,
      expectedDurationMinutes: o.durationMinutes ?? 15,
      ...(o.priority ? { priority: o.priority } : {}),
    }),
  );

/** Adds a booked entry for `slot` (added at 07:00, before opening). */
export const booked = (q: QueueAggregate, id: string, slot: string, o: PatientOpts = {}) =>
  must(
    q.addBooked(ctx('07:00'), {
      entryId: id,
      appointmentId: `appt-${id}`,
      patientId: `patient-${id}`,
      patientName: `Patient ${id}`,
      practitionerId: o.practitionerId ?? null,
      appointmentTypeId: 'consultation',
      expectedDurationMinutes: o.durationMinutes ?? 15,
      slotAt: at(slot),
      ...(o.priority ? { priority: o.priority } : {}),
    }),
  );

export const checkIn = (q: QueueAggregate, id: string, hhmm: string) =>
  must(q.checkIn(ctx(hhmm), { entryId: id }));

/** The desk's called patient comes in (start): the desk may call next again (a called, not started patient
 * refuses the desk's next call — rule C9). */
export const startCalled = (
  q: QueueAggregate,
  hhmm: string,
  practitionerId: string | null = 'dr-a',
  room: string | null = 'Room 1',
): void => {
  for (const e of q.entries()) {
    const desk =
      practitionerId !== null ? e.servedBy === practitionerId : e.servedBy === null && e.room === room;
    if (e.status === 'called' && desk) must(q.start(ctx(hhmm), { entryId: e.id }));
  }
};

export const callNext = (
  q: QueueAggregate,
  hhmm: string,
  practitionerId: string | null = 'dr-a',
  room = 'Room 1',
) => q.callNext(ctx(hhmm), { practitionerId, room });

/** Ids of the waiting entries of a pool, in position order. */
export const line = (q: QueueAggregate, pool: string | null = null): string[] => {
  const pos = q.positions();
  return q
    .entries()
    .filter((e) => e.status === 'waiting' && e.practitionerId === pool)
    .sort((a, b) => (pos.get(a.id) ?? 0) - (pos.get(b.id) ?? 0))
    .map((e) => e.id);
};

export const entry = (q: QueueAggregate, id: string): QueueEntry => {
  const e = q.entry(id);
  if (e === undefined) throw new Error(`no entry ${id}`);
  return e;
};

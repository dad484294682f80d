/**
 * Bookable slots and the booking rules of DOMAIN.md ("Booking").
 *
 * Within each opening interval slots follow each other as `slot length + buffer_minutes`, starting at
 * the interval's start; a slot must end by the interval's end (the buffer after the last slot may run
 * past it). Slots step in real minutes from the interval's start, so they never overlap or vanish on a
 * clock-change day, and because intervals are wall-clock times the labels stay "09:00" on both sides of
 * Morocco's Ramadan clock change.
 *
 * A slot holds `slot_capacity` patients. Slots too soon to book (`min_booking_notice_minutes`) or beyond
 * the horizon (`booking_horizon_days` after today, in the clinic's zone) are not offered; full slots are
 * offered with `remaining: 0` so a calendar can show them as taken.
 */
import { hhmmAt } from '../../shared/models/ZonedTime';
import type { ClinicSettings } from '../../clinic/api';
import { appError, ErrorCodes } from '../../shared/AppError';
import { err, ok } from '../../shared/Result';
import type { Result } from '../../shared/Result';
import { MINUTE_MS, toEpochMs } from '../../shared/models/Instant';
import type { Instant } from '../../shared/models/Instant';
import type { ClosedDates } from './ClosedDates';
import { addDays, daysBetween, isLocalDate, localDateAt } from './LocalDate';
import type { LocalDate } from './LocalDate';
import type { WorkingHours } from './WorkingHours';

export type SlotSettings = Pick<
  ClinicSettings,
  'buffer_minutes' | 'slot_capacity' | 'booking_horizon_days' | 'min_booking_notice_minutes'
>;
export type CancelSettings = Pick<ClinicSettings, 'min_cancel_notice_minutes'>;

export interface Slot {
  /** ISO-8601 UTC; also the key of `bookedCounts`. */
  readonly startsAt: string;
  readonly endsAt: string;
  /** Local date and `HH:mm` in the clinic's zone. */
  readonly localDate: LocalDate;
  readonly label: string;
  readonly capacity: number;
  readonly booked: number;
  /** `capacity − booked`, never below 0. */
  readonly remaining: number;
}

/** Bookings per slot, keyed by the slot's start (ISO-8601 UTC as in `Slot.startsAt`). */
export type BookedCounts = ReadonlyMap<string, number> | Readonly<Record<string, number>>;

export const MAX_SLOT_RANGE_DAYS = 366;
export const MAX_SLOT_MINUTES = 12 * 60;

export interface GenerateSlotsInput {
  readonly hours: WorkingHours;
  /** Added to the closed dates `hours` already has. */
  readonly closedDates?: ClosedDates;
  /** Local dates, inclusive. */
  readonly from: LocalDate;
  readonly to: LocalDate;
  /** Slot length of the appointment type. */
  readonly typeDurationMinutes: number;
  readonly settings: SlotSettings;
  readonly now: Instant;
  readonly bookedCounts?: BookedCounts;
}

interface RawSlot {
  readonly startMs: number;
  readonly endMs: number;
  readonly localDate: LocalDate;
}

const validationFailed = (message: string, details: Record<string, unknown>) =>
  err(appError(ErrorCodes.VALIDATION_FAILED, message, details));

const checkDuration = (minutes: number): Result<number> =>
  Number.isInteger(minutes) && minutes >= 1 && minutes <= MAX_SLOT_MINUTES
    ? ok(minutes)
    : validationFailed(`Slot length is a whole number of minutes, 1–${MAX_SLOT_MINUTES}.`, {
        field: 'typeDurationMinutes',
      });

/** The slot grid of one local date, ignoring bookings, notice and horizon. */
const gridOn = (hours: WorkingHours, date: LocalDate, durationMin: number, bufferMin: number): RawSlot[] => {
  const out: RawSlot[] = [];
  const length = durationMin * MINUTE_MS;
  const step = (durationMin + bufferMin) * MINUTE_MS;
  for (const interval of hours.intervalsOn(date)) {
    for (let s = interval.startMs; s + length <= interval.endMs; s += step) {
      out.push({ startMs: s, endMs: s + length, localDate: date });
    }
  }
  return out;
};

const bookedFor = (counts: BookedCounts | undefined, key: string): number => {
  if (counts === undefined) return 0;
  const n = counts instanceof Map ? counts.get(key) : (counts as Readonly<Record<string, number>>)[key];
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
};

const toSlot = (raw: RawSlot, hours: WorkingHours, capacity: number, booked: number): Slot => ({
  startsAt: new Date(raw.startMs).toISOString(),
  endsAt: new Date(raw.endMs).toISOString(),
  localDate: raw.localDate,
  label: hhmmAt(raw.startMs, hours.timeZone),
  capacity,
  booked,
  remaining: Math.max(0, capacity - booked),
});

/** Last local date that can be booked from `nowMs`. */
const horizonEnd = (hours: WorkingHours, nowMs: number, settings: SlotSettings): LocalDate =>
  addDays(localDateAt(nowMs, hours.timeZone), settings.booking_horizon_days);

export const generateSlots = (input: GenerateSlotsInput): Result<Slot[]> => {
  const { from, to, settings } = input;
  if (!isLocalDate(from) || !isLocalDate(to)) {
    return validationFailed('Dates are YYYY-MM-DD.', { field: 'from/to' });
  }
  const span = daysBetween(from, to);
  if (span < 0 || span >= MAX_SLOT_RANGE_DAYS) {
    return validationFailed(`A range runs forward and covers at most ${MAX_SLOT_RANGE_DAYS} days.`, {
      field: 'from/to',
    });
  }
  const duration = checkDuration(input.typeDurationMinutes);
  if (!duration.ok) return duration;
  const hours = input.closedDates ? input.hours.withClosedDates(input.closedDates) : input.hours;
  const nowMs = toEpochMs(input.now);
  const earliestMs = nowMs + settings.min_booking_notice_minutes * MINUTE_MS;
  const lastDate = horizonEnd(hours, nowMs, settings);

  const slots: Slot[] = [];
  for (let d = 0; d <= span; d++) {
    const date = addDays(from, d);
    if (date > lastDate) break;
    for (const raw of gridOn(hours, date, duration.value, settings.buffer_minutes)) {
      if (raw.startMs < earliestMs) continue;
      const key = new Date(raw.startMs).toISOString();
      slots.push(toSlot(raw, hours, settings.slot_capacity, bookedFor(input.bookedCounts, key)));
    }
  }
  return ok(slots);
};

export interface ValidateBookingInput {
  readonly hours: WorkingHours;
  readonly closedDates?: ClosedDates;
  /** Start of the slot the patient picked. */
  readonly startsAt: Instant;
  readonly typeDurationMinutes: number;
  readonly settings: SlotSettings;
  readonly now: Instant;
  /** Bookings the slot already holds. */
  readonly bookedCount: number;
}

/**
 * Whether a booking of that slot may be made now. Checks, in order: `BOOKING.TOO_SOON` (starts before
 * now + minimum notice, or in the past), `BOOKING.BEYOND_HORIZON`, `BOOKING.CLINIC_CLOSED` (closed day or
 * outside the opening intervals), `BOOKING.SLOT_UNAVAILABLE` (open, but not a slot start for this type),
 * `BOOKING.SLOT_FULL`. Returns the slot (with the booking counted) when it may be booked.
 *
 * The database function that books re-checks capacity under a lock; this is the rule, not the lock.
 */
export const validateBooking = (input: ValidateBookingInput): Result<Slot> => {
  const { settings } = input;
  const duration = checkDuration(input.typeDurationMinutes);
  if (!duration.ok) return duration;
  const hours = input.closedDates ? input.hours.withClosedDates(input.closedDates) : input.hours;
  const startMs = toEpochMs(input.startsAt);
  const nowMs = toEpochMs(input.now);
  const noticeMs = settings.min_booking_notice_minutes * MINUTE_MS;
  if (startMs < nowMs + noticeMs) {
    return err(
      appError(ErrorCodes.BOOKING_TOO_SOON, 'The slot starts too soon to be booked.', {
        min_booking_notice_minutes: settings.min_booking_notice_minutes,
      }),
    );
  }
  const date = localDateAt(startMs, hours.timeZone);
  if (date > horizonEnd(hours, nowMs, settings)) {
    return err(
      appError(ErrorCodes.BOOKING_BEYOND_HORIZON, 'The slot is beyond the booking horizon.', {
        booking_horizon_days: settings.booking_horizon_days,
      }),
    );
  }
  const endMs = startMs + duration.value * MINUTE_MS;
  const inside = hours.intervalsOn(date).some((i) => i.startMs <= startMs && endMs <= i.endMs);
  if (!inside) {
    return err(
      appError(ErrorCodes.BOOKING_CLINIC_CLOSED, 'The clinic is closed at that time.', {
        reason: hours.closedDates.reasonFor(date) ?? null,
      }),
    );
  }
  const raw = gridOn(hours, date, duration.value, settings.buffer_minutes).find((s) => s.startMs === startMs);
  if (raw === undefined) {
    return err(appError(ErrorCodes.BOOKING_SLOT_UNAVAILABLE, 'No slot starts at that time for this type.'));
  }
  const booked = Math.max(0, Math.floor(input.bookedCount));
  if (booked >= settings.slot_capacity) {
    return err(
      appError(ErrorCodes.BOOKING_SLOT_FULL, 'The slot is full.', { slot_capacity: settings.slot_capacity }),
    );
  }
  return ok(toSlot(raw, hours, settings.slot_capacity, booked + 1));
};

/**
 * Whether a booking may be cancelled now: staff always may; a patient only until
 * `min_cancel_notice_minutes` before the slot (`BOOKING.CANCEL_TOO_LATE`, also once it has started).
 */
export const validateCancellation = (input: {
  readonly startsAt: Instant;
  readonly now: Instant;
  readonly settings: CancelSettings;
  readonly actor: 'patient' | 'staff';
}): Result<void> => {
  if (input.actor === 'staff') return ok(undefined);
  const deadline = toEpochMs(input.startsAt) - input.settings.min_cancel_notice_minutes * MINUTE_MS;
  if (toEpochMs(input.now) > deadline) {
    return err(
      appError(ErrorCodes.BOOKING_CANCEL_TOO_LATE, 'Too late to cancel online.', {
        min_cancel_notice_minutes: input.settings.min_cancel_notice_minutes,
      }),
    );
  }
  return ok(undefined);
};

/**
 * Fluid vs slotted visit types (issue 17, docs/fluid-queues.md).
 *
 * A SLOTTED visit books a time. A FLUID visit books a place in a day's line: no time; the patient comes during
 * opening hours and is served in order of arrival. The rules (each has a test named after it; the database's
 * private.type_booking_mode / fluid_places_left / fluid_day_refusal / book_fluid apply the same ones, the fake
 * repository uses this module):
 *   F1 fluid: a booking takes a place in the day, not a time — a fluid booking has no slot; a slot asked for a
 *      fluid type (or a day's place for a slotted one) is refused with BOOKING.MODE_MISMATCH;
 *   F2 fluid: the day's places — floor((open minutes × slot_capacity − minutes the day's bookings hold) /
 *      the type's duration); a slotted booking holds its slot's minutes, a fluid one its type's duration
 *      (cancelled, no-show and re-activated visits hold none); none left → BOOKING.DAY_FULL. A closed day, a
 *      past day, today after its last opening hour (minus the booking notice) and a day beyond the horizon are
 *      refused as for slots (CLINIC_CLOSED, TOO_SOON, BEYOND_HORIZON);
 *   F3 fluid: in line by arrival — before check-in a fluid visit is never "slot reached" (never passed over,
 *      not counted ahead by the estimator); at check-in it gets the check-in time as order key, as a walk-in
 *      (QueueAggregate.checkIn, public.check_in: a visit without a slot);
 *   F4 per visit type overrides the clinic — effective mode = the type's own mode, else the clinic's
 *      `booking_mode` (default 'slotted').
 * Pure: times, hours and counts come in as arguments.
 */
import { appError, ErrorCodes, type AppError } from '../../shared/AppError';
import { err, ok, type Result } from '../../shared/Result';

export const BOOKING_MODES = ['slotted', 'fluid'] as const;
export type BookingMode = (typeof BOOKING_MODES)[number];

/** F4: the visit type's own mode (null = the clinic's), else the clinic's. */
export const effectiveBookingMode = (
  typeMode: BookingMode | null | undefined,
  clinicMode: BookingMode | null | undefined,
): BookingMode => typeMode ?? clinicMode ?? 'slotted';

export interface DayPlaces {
  /** Minutes of the day's opening intervals (0 on a closed day). */
  readonly openMinutes: number;
  readonly slotCapacity: number;
  /** Minutes the day's active bookings hold (slotted: their slot; fluid: their type's duration). */
  readonly heldMinutes: number;
  /** The fluid type's duration. */
  readonly durationMinutes: number;
}

/** F2: places left in a day's line for a fluid visit type (never below 0). */
export const fluidPlacesLeft = (d: DayPlaces): number =>
  Math.max(0, Math.floor((d.openMinutes * d.slotCapacity - d.heldMinutes) / Math.max(d.durationMinutes, 1)));

export interface FluidDayInput {
  readonly day: string;
  /** The clinic's today (its own zone). */
  readonly today: string;
  /** `today + booking_horizon_days`. */
  readonly horizonDay: string;
  readonly closed: boolean;
  /** End of the day's last opening interval (epoch ms); null when the clinic has no hours that weekday. */
  readonly lastCloseMs: number | null;
  readonly nowMs: number;
  readonly noticeMinutes: number;
  /** Patients: notice and horizon apply; staff: not. */
  readonly enforceNotice: boolean;
}

const refuse = (code: AppError['code'], message: string): Result<never, AppError> =>
  err(appError(code, message));

/** F2: may a place be taken in that day's line at all (before counting places)? */
export const fluidDayDecision = (d: FluidDayInput): Result<void, AppError> => {
  if (d.day < d.today) return refuse(ErrorCodes.BOOKING_TOO_SOON, 'the day is over');
  if (d.enforceNotice && d.day > d.horizonDay)
    return refuse(ErrorCodes.BOOKING_BEYOND_HORIZON, 'the day is beyond the booking horizon');
  if (d.closed || d.lastCloseMs === null)
    return refuse(ErrorCodes.BOOKING_CLINIC_CLOSED, 'the clinic is closed that day');
  const notice = d.enforceNotice ? d.noticeMinutes * 60_000 : 0;
  if (d.lastCloseMs <= d.nowMs + notice) return refuse(ErrorCodes.BOOKING_TOO_SOON, 'the day is over');
  return ok(undefined);
};

/** F2: the last check, under the day's lock — a place left, else BOOKING.DAY_FULL. */
export const fluidPlaceDecision = (placesLeft: number): Result<void, AppError> =>
  placesLeft > 0 ? ok(undefined) : refuse(ErrorCodes.BOOKING_DAY_FULL, 'no place left in that day');

/** F1: a booking's way must match the type's mode. */
export const bookingModeDecision = (mode: BookingMode, asked: 'slot' | 'day'): Result<void, AppError> =>
  (mode === 'fluid') === (asked === 'day')
    ? ok(undefined)
    : refuse(
        ErrorCodes.BOOKING_MODE_MISMATCH,
        mode === 'fluid'
          ? 'this visit type takes a place in the day, not a slot'
          : 'this visit type books a time slot',
      );
